"""Evidence on shared object storage (QC_STORAGE=s3, django-storages' S3Storage) against a local
S3-compatible server that the test starts (moto in server mode, loopback only): uploads go to the
bucket under their hash and nowhere on local disk, downloads stream back the same bytes, a file
above the multipart threshold arrives whole, the orphan sweep and the backup read the bucket."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import socket
import subprocess
import sys
import time
import zipfile

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.evidence import services as evidence_services
from qualitycity.evidence.models import Evidence
from tests.factories import named, pdf_bytes, stored_files

pytestmark = pytest.mark.django_db

BUCKET = "qualitycity-evidence"
KEYS = {"access_key": "testing", "secret_key": "testing"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the S3 test server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings, media):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": True,
                **KEYS,
            },
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for obj in listed:
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _download(client: Client, evidence: Evidence) -> bytes:
    response = client.get(f"/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_upload_goes_to_the_bucket_and_downloads_back(bucket, media, campaign, liaison, qzj):
    client = Client()
    client.force_login(liaison)
    body = pdf_bytes("存储在对象存储中")
    response = client.post(
        "/evidence/upload/",
        {
            "campaign": campaign.pk,
            "unit": qzj.pk,
            "title": "联席会议纪要",
            "effective_date": "2018-08-01",
            "file": named("纪要.pdf", body),
        },
    )
    assert response.status_code == 302, response.content[:500]
    evidence = Evidence.objects.get()
    sha = hashlib.sha256(body).hexdigest()
    assert keys(bucket) == [f"evidence/{sha[:2]}/{sha[2:4]}/{sha}"]
    assert [p for p in stored_files(media) if "/evidence/" in p.as_posix()] == []
    assert _download(client, evidence) == body


def test_a_file_above_the_multipart_threshold_arrives_whole(bucket, media, campaign, office, qzj):
    body = pdf_bytes("大文件") + b"%" + b"0123456789abcdef" * (12 * 1024 * 1024 // 16)
    evidence = evidence_services.upload_evidence(
        campaign,
        named("大文件.pdf", body),
        by=office,
        title="大文件",
        unit=qzj,
        effective_date=dt.date(2018, 8, 1),
    )
    head = bucket.head_object(Bucket=BUCKET, Key=evidence.file.storage_name)
    assert head["ContentLength"] == len(body)
    client = Client()
    client.force_login(office)
    assert hashlib.sha256(_download(client, evidence)).hexdigest() == evidence.file.sha256


def test_the_orphan_sweep_and_the_backup_read_the_bucket(bucket, media, campaign, office, qzj):
    from qualitycity.backup import write_backup

    kept = evidence_services.upload_evidence(
        campaign,
        named("保留.pdf", pdf_bytes("kept")),
        by=office,
        title="保留",
        unit=qzj,
        effective_date=dt.date(2018, 8, 1),
    )
    orphan = "evidence/ab/cd/" + "abcd" + "0" * 60
    bucket.put_object(Bucket=BUCKET, Key=orphan, Body=b"left by a failed upload")
    assert evidence_services.sweep_orphan_files(hours=24)["blobs"] == 0
    later = timezone.now() + dt.timedelta(days=2)
    assert evidence_services.sweep_orphan_files(now=later, hours=24)["blobs"] == 1
    assert keys(bucket) == [kept.file.storage_name]
    out = io.BytesIO()
    write_backup(out)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        stored = zf.read(f"files/{kept.file.storage_name}")
    assert hashlib.sha256(stored).hexdigest() == kept.file.sha256
    assert f"files/{kept.file.storage_name}" in json.dumps(manifest)


def _storage_setting(tmp_path, **env: str):
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith("QC_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from qualitycity import settings; "
            "print(json.dumps(settings.STORAGES['default']))",
        ],
        env={**clean, "QC_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
    )


def test_qc_storage_selects_the_backend_and_refuses_what_it_cannot_use(tmp_path):
    local = _storage_setting(tmp_path)
    assert local.returncode == 0, local.stderr
    assert json.loads(local.stdout)["BACKEND"].endswith("FileSystemStorage")
    s3 = _storage_setting(
        tmp_path,
        QC_STORAGE="s3",
        QC_S3_BUCKET="evidence",
        QC_S3_ENDPOINT_URL="https://oss-cn-hangzhou.aliyuncs.com",
    )
    chosen = json.loads(s3.stdout)
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    assert chosen["OPTIONS"]["bucket_name"] == "evidence"
    assert chosen["OPTIONS"]["endpoint_url"] == "https://oss-cn-hangzhou.aliyuncs.com"
    no_bucket = _storage_setting(tmp_path, QC_STORAGE="s3")
    assert no_bucket.returncode != 0 and "QC_S3_BUCKET" in no_bucket.stderr
    bogus = _storage_setting(tmp_path, QC_STORAGE="ftp")
    assert bogus.returncode != 0 and "QC_STORAGE must be local or s3" in bogus.stderr
