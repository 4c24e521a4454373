"""The export machinery (reports/exports.py, services.py, views/exports.py): small kinds stream
back, background kinds run as jobs with progress and a download, a failed job says why, jobs
belong to their user, and `qualitycity export` writes the same file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse

from qualitycity.campaigns.access import access_campaign
from qualitycity.errors import ValidationFailed
from qualitycity.reports import exports
from qualitycity.reports.choices import JobStatus
from qualitycity.reports.models import ExportJob
from qualitycity.reports.services import run_export

pytestmark = pytest.mark.django_db


def _resolve(user, pk, params):
    from qualitycity.campaigns.models import Campaign

    if user is None:
        return Campaign.objects.get(pk=pk)
    return access_campaign(user, pk)


def _write(campaign, out, params, progress):
    if params.get("fail") == "domain":
        raise ValidationFailed("期间“2018-13”不存在。")
    if params.get("fail") == "bug":
        raise RuntimeError("boom")
    for done in range(1, 4):
        progress(done, 3)
    out.write(f"{campaign.name}\n".encode())


@pytest.fixture
def kinds(media):
    made = [
        exports.ExportKind(
            key=f"testing-{fmt}",
            label="测试导出",
            resolve=_resolve,
            filename=lambda c, p: f"{c.name}.txt",
            content_type="text/plain",
            write=_write,
            background=background,
            params=("fail",),
        )
        for fmt, background in (("small", False), ("big", True))
    ]
    for kind in made:
        exports.register(kind)
    yield made
    for kind in made:
        exports.REGISTRY.pop(kind.key)


def test_a_small_export_streams_the_file(client, office, campaign, kinds):
    client.force_login(office)
    response = client.get(reverse("reports:export", args=["testing-small", campaign.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"{campaign.name}\n".encode()
    assert "attachment" in response["Content-Disposition"]


def test_an_unknown_kind_or_an_unreadable_target_is_404(client, outsider, office, campaign, kinds):
    client.force_login(office)
    assert (
        client.get(reverse("reports:export", args=["nothing-xlsx", campaign.pk])).status_code == 404
    )
    assert client.get(reverse("reports:export", args=["testing-small", 999999])).status_code == 404
    client.force_login(outsider)
    assert (
        client.get(reverse("reports:export", args=["testing-small", campaign.pk])).status_code
        == 404
    )
    url = reverse("reports:export", args=["testing-big", campaign.pk])
    assert client.post(url).status_code == 404
    assert not ExportJob.objects.exists()


def test_a_refused_small_export_is_422_with_the_reason(client, office, campaign, kinds):
    client.force_login(office)
    url = reverse("reports:export", args=["testing-small", campaign.pk])
    response = client.get(url, {"fail": "domain"})
    assert response.status_code == 422
    assert "期间“2018-13”不存在。" in response.content.decode()


def test_a_background_export_runs_as_a_job_with_progress_and_a_download(
    client, office, campaign, kinds
):
    client.force_login(office)
    url = reverse("reports:export", args=["testing-big", campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="start-export"' in page.content.decode()
    response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_job", args=[job.token])
    status = client.get(reverse("reports:export_job_status", args=[job.token])).content.decode()
    assert 'data-status="queued"' in status and "every 1s" in status  # htmx keeps polling

    assert run_export(job.pk) == JobStatus.DONE
    job.refresh_from_db()
    assert (job.done, job.total, job.filename) == (3, 3, f"{campaign.name}.txt")
    status = client.get(reverse("reports:export_job_status", args=[job.token])).content.decode()
    assert 'data-status="done"' in status and "every 1s" not in status
    download = client.get(reverse("reports:export_job_download", args=[job.token]))
    assert b"".join(download.streaming_content) == f"{campaign.name}\n".encode()
    assert run_export(job.pk) == JobStatus.DONE  # a second run of a finished job does nothing


@pytest.mark.parametrize(
    ("fail", "message"),
    [("domain", "期间“2018-13”不存在。"), ("bug", "生成失败(RuntimeError)")],
)
def test_a_failed_job_says_why_on_its_page(client, office, campaign, kinds, fail, message):
    client.force_login(office)
    client.post(reverse("reports:export", args=["testing-big", campaign.pk]), {"fail": fail})
    job = ExportJob.objects.get()
    assert job.params == {"fail": fail}
    assert run_export(job.pk) == JobStatus.FAILED
    page = client.get(reverse("reports:export_job", args=[job.token])).content.decode()
    assert message in page
    download = client.get(reverse("reports:export_job_download", args=[job.token]))
    assert download.status_code == 404


def test_a_job_fails_when_its_target_is_no_longer_readable(client, office, campaign, kinds):
    client.force_login(office)
    client.post(reverse("reports:export", args=["testing-big", campaign.pk]))
    job = ExportJob.objects.get()
    office.memberships.all().delete()
    assert run_export(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert "无权访问" in job.error


def test_a_job_is_its_owners_only(client, office, leader, campaign, kinds):
    client.force_login(office)
    client.post(reverse("reports:export", args=["testing-big", campaign.pk]))
    job = ExportJob.objects.get()
    run_export(job.pk)
    client.force_login(leader)
    for name in ("export_job", "export_job_status", "export_job_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.token])).status_code == 404


def test_the_job_runs_in_the_language_it_was_asked_in(office, campaign, kinds):
    from qualitycity.reports.services import start_export

    job = start_export(office, "testing-big", campaign.pk, {"fail": "bug"}, language="en")
    assert run_export(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.language == "en"
    assert "RuntimeError" in job.error and "生成失败" not in job.error


def test_the_command_line_writes_the_same_file(campaign, kinds, tmp_path):
    exports.register(
        exports.ExportKind(
            key="round-testing",
            label="x",
            resolve=_resolve,
            filename=lambda c, p: "x.txt",
            content_type="text/plain",
            write=_write,
        )
    )
    try:
        target = tmp_path / "out.txt"
        err = io.StringIO()
        call_command(
            "export",
            "round",
            str(campaign.pk),
            "--format",
            "testing",
            "-o",
            str(target),
            stderr=err,
        )
        assert target.read_text() == f"{campaign.name}\n"
        assert "out.txt" in err.getvalue()
        with pytest.raises(CommandError, match="不存在"):
            call_command("export", "round", "999999", "--format", "testing", "-o", str(target))
        with pytest.raises(CommandError, match="不能导出为 nothing"):
            call_command("export", "round", str(campaign.pk), "--format", "nothing")
    finally:
        exports.REGISTRY.pop("round-testing")


def test_a_kind_key_is_registered_once(kinds):
    with pytest.raises(ValueError):
        exports.register(exports.ExportKind(**{**kinds[0].__dict__}))


def test_resolve_raises_404_for_the_outsider(outsider, campaign, kinds):
    with pytest.raises(Http404):
        kinds[0].resolve(outsider, campaign.pk, {})


def _finished_job(office, campaign):
    from qualitycity.reports.services import start_export

    job = start_export(office, "testing-big", campaign.pk, {})
    assert run_export(job.pk) == JobStatus.DONE
    job.refresh_from_db()
    return job


def test_the_sweep_removes_old_jobs_with_their_files_and_orphan_files(
    office, campaign, kinds, media, settings, client
):
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from qualitycity.reports.services import sweep_exports

    settings.QC_EXPORT_DAYS = 7
    old, recent = _finished_job(office, campaign), _finished_job(office, campaign)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    orphan = default_storage.save(
        "exports/00000000-0000-0000-0000-000000000000/x.zip", ContentFile(b"x")
    )
    client.force_login(office)
    page = client.get(reverse("reports:export_job_status", args=[recent.token])).content.decode()
    assert "文件保留至" in page
    swept = sweep_exports()
    assert (swept.jobs, swept.files) == (1, 2)
    assert not default_storage.exists(old.storage_name) and not default_storage.exists(orphan)
    assert not (media / "exports" / "00000000-0000-0000-0000-000000000000").exists()
    assert default_storage.exists(recent.storage_name)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert client.get(reverse("reports:export_job", args=[old.token])).status_code == 404
    assert sweep_exports() == type(swept)(0, 0)  # nothing left to sweep
    out = io.StringIO()
    call_command("sweep_exports", "--days", "0", stdout=out)
    assert "removed 1 export jobs and 1 files" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("sweep_exports", "--days", "-1")


def test_the_worker_books_the_sweep_and_each_sweep_books_the_next(monkeypatch, media):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from qualitycity.reports import jobs

    sweeps = DBTaskResult.objects.filter(task_path__endswith="sweep_export_files")
    assert jobs.schedule_sweep() is True and jobs.schedule_sweep() is False
    booked = sweeps.get()
    assert booked.run_after > timezone.now() + dt.timedelta(hours=23)  # a day from now
    sweeps.update(run_after=timezone.now() - dt.timedelta(seconds=1))  # make it due now
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=io.StringIO())
    assert sweeps.get(pk=booked.pk).status == "SUCCESSFUL"
    assert sweeps.filter(status="READY").count() == 1  # the next one
