"""The round's evidence package: a zip in dimension / item / row folders with 目录.xlsx."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from qualitycity.assessments import services
from qualitycity.frameworks.models import Criterion
from qualitycity.reports.choices import JobStatus
from qualitycity.reports.models import ExportJob
from qualitycity.reports.services import run_export
from tests.factories import named, pdf_bytes, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def criteria(campaign, *keys):
    return list(Criterion.objects.filter(framework=campaign.framework, key__in=keys))


@pytest.fixture
def files(campaign, office, qzj, open_round):
    a = services.upload_evidence(
        campaign,
        named("a.pdf", pdf_bytes("a")),
        by=office,
        title="质量工作报告",
        unit=qzj,
        effective_date=dt.date(2019, 4, 1),
        criteria=criteria(campaign, "1.1.1", "2.4.3"),
        rounds=[open_round],
    )
    b = services.upload_evidence(
        campaign,
        named("b.png", png_bytes()),
        by=office,
        title="现场照片",
        unit=qzj,
        effective_date=dt.date(2019, 5, 1),
        rounds=[open_round],
    )
    return a, b


def run(client, office, open_round):
    client.force_login(office)
    url = reverse("reports:export", args=["round-zip", open_round.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    job = ExportJob.objects.get()
    return job, run_export(job.pk)


def test_the_package_has_folders_bytes_and_an_index(client, office, open_round, files):
    job, status = run(client, office, open_round)
    assert status == JobStatus.DONE, ExportJob.objects.get().error
    job.refresh_from_db()
    response = client.get(reverse("reports:export_job_download", args=[job.token]))
    zf = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = zf.namelist()
    a, _b = files
    pdfs = [n for n in names if n.endswith("质量工作报告.pdf")]
    assert len(pdfs) == 2  # once per row
    assert all(n.count("/") == 3 and "/第" in n for n in pdfs)
    assert any(n.startswith("01 ") for n in pdfs)
    assert "未关联评分细则/现场照片.png" in names
    with default_storage.open(a.file.storage_name, "rb") as f:
        assert zf.read(pdfs[0]) == f.read()
    # PDFs and images are compressed already: stored as they are; the index is deflated
    assert zf.getinfo(pdfs[0]).compress_type == zipfile.ZIP_STORED
    assert zf.getinfo(pdfs[0]).date_time[:3] == (
        a.effective_date.year,
        a.effective_date.month,
        a.effective_date.day,
    )
    assert zf.getinfo("目录.xlsx").compress_type == zipfile.ZIP_DEFLATED
    ws = load_workbook(io.BytesIO(zf.read("目录.xlsx"))).active
    rows = [r for r in ws.iter_rows(values_only=True)][2:]
    assert len(rows) == 3
    for row in rows:
        assert row[6] == hashlib.sha256(zf.read(row[1])).hexdigest()


def test_a_corrupted_file_fails_the_job(client, office, open_round, files, media):
    a, _b = files
    path = default_storage.path(a.file.storage_name)
    with open(path, "wb") as f:
        f.write(b"broken")
    job, status = run(client, office, open_round)
    assert status == JobStatus.FAILED
    job.refresh_from_db()
    assert "质量工作报告" in job.error and "校验" in job.error


def test_outsider_and_liaison_get_404(client, outsider, liaison, open_round):
    url = reverse("reports:export", args=["round-zip", open_round.pk])
    for user in (outsider, liaison):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_command_line_writes_the_zip(open_round, files, tmp_path):
    target = tmp_path / "p.zip"
    call_command("export", "round", str(open_round.pk), "--format", "zip", "-o", str(target))
    names = zipfile.ZipFile(target).namelist()
    assert "目录.xlsx" in names and len(names) == 4
