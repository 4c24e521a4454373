"""Backup and restore (qualitycity/backup.py, `qualitycity backup|restore`): an archive of every
row and every stored file restored into an empty instance gives identical rows and identical file
hashes; a damaged archive or a non-empty instance is refused with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile

import pytest
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from qualitycity.backup import backed_up_models, instance_is_empty, storage_files
from tests.factories import criteria_of, make_task, named, pdf_bytes, png_bytes, score_criteria

pytestmark = pytest.mark.django_db(transaction=False)


def snapshot() -> dict:
    """Every backed-up row (natural foreign keys, as the archive holds them) and every file's hash."""
    rows = {}
    for model in backed_up_models():
        data = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        rows[model._meta.label_lower] = data
    files = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    return {"rows": rows, "files": files}


@pytest.fixture
def installation(media, campaign, office, open_round, assessor, qzj):
    from qualitycity.evidence import services as evidence_services

    make_task(campaign, office, title="建立质量工作联席会议制度")
    score_criteria(open_round, criteria_of(open_round)[:5], by=assessor)
    for name, body in (("报告.pdf", pdf_bytes("报告")), ("照片.png", png_bytes())):
        ev = evidence_services.upload_evidence(
            campaign,
            named(name, body),
            by=office,
            title=name,
            unit=qzj,
            effective_date=dt.date(2018, 8, 1),
        )
        open_round.evidence.add(ev)
    return media


def _empty_the_instance(media) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":  # TRUNCATE waits for no deferred check in the test's
        with connection.cursor() as cursor:  # transaction
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)  # migrate's own rows come back
    if connection.vendor == "postgresql":  # as in a transaction of its own
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.rmtree(media, ignore_errors=True)
    assert instance_is_empty()


def test_a_backup_restored_into_an_empty_instance_is_identical(installation, tmp_path):
    before = snapshot()
    assert len(before["files"]) == 2 and before["rows"]["assessments.score"]
    archive = tmp_path / "qc.zip"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "2 files" in out.getvalue() and not (tmp_path / "qc.zip.partial").exists()
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "qualitycity-backup/1"
        for name, meta in manifest["members"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == meta["sha256"]
    _empty_the_instance(installation)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "2 files" in out.getvalue()
    after = snapshot()
    assert after["files"] == before["files"]
    for label, rows in before["rows"].items():
        assert len(after["rows"][label]) == len(rows), label
        for old, new in zip(rows, after["rows"][label], strict=True):
            assert new == old, (
                label,
                {
                    k: (v, new["fields"].get(k))
                    for k, v in old["fields"].items()
                    if new["fields"].get(k) != v
                },
            )


def test_a_damaged_archive_restores_nothing(installation, tmp_path):
    archive = tmp_path / "qc.zip"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename.startswith("files/"):
                body = body[:-1] + b"!"  # one byte changed
            dst.writestr(item, body)
    _empty_the_instance(installation)
    with pytest.raises(CommandError, match="校验值与清单不符"):
        call_command("restore", str(damaged))
    assert instance_is_empty() and list(storage_files()) == []
    not_a_backup = tmp_path / "x.zip"
    with zipfile.ZipFile(not_a_backup, "w") as zf:
        zf.writestr("data.json", "[]")
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(not_a_backup))


def test_a_backup_is_never_restored_over_existing_data(installation, tmp_path):
    archive = tmp_path / "qc.zip"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="只能恢复到空的实例"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing.zip"))


def _data(archive) -> tuple[list, dict]:
    with zipfile.ZipFile(archive) as zf:
        members = json.loads(zf.read("manifest.json"))["members"]
        return json.loads(zf.read("data.json")), {
            n: m["sha256"] for n, m in members.items() if n.startswith("files/")
        }


def test_a_backup_restores_into_a_new_sqlite_instance_of_its_own(installation, tmp_path):
    """From this suite's database (SQLite, or PostgreSQL in CI's second run) into a fresh SQLite
    instance made by `migrate` in another process; its own backup holds the same rows and files."""
    import os
    import subprocess
    import sys

    archive = tmp_path / "qc.zip"
    call_command("backup", "-o", str(archive), stdout=io.StringIO())
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QC_MEDIA_ROOT")}
    env |= {"QC_VAR_DIR": str(tmp_path / "new"), "DJANGO_SETTINGS_MODULE": "qualitycity.settings"}
    manage = [sys.executable, "-m", "django"]
    for args in (["migrate", "-v0"], ["restore", str(archive)], ["backup", "-o", "again.zip"]):
        done = subprocess.run(
            manage + args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
    rows, files = _data(archive)
    rows_again, files_again = _data(tmp_path / "again.zip")
    assert files_again == files and len(files) == 2
    assert rows_again == rows
