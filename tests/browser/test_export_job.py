"""A background export in the browser: 开始生成 queues the job, its page polls (htmx) while the
worker runs it, and the download link appears when it is done; a failed job shows its reason."""

from __future__ import annotations

import threading

import pytest
from django.urls import reverse

from qualitycity.reports import exports
from qualitycity.reports.models import ExportJob
from qualitycity.reports.services import run_export
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RELEASE = threading.Event()


def _write(campaign, out, params, progress):
    progress(1, 2)
    RELEASE.wait(10)  # the page is looked at while the job is half done
    if params.get("fail"):
        raise RuntimeError("boom")
    progress(2, 2)
    out.write(campaign.name.encode())


@pytest.fixture
def slow_kind():
    from qualitycity.campaigns.access import access_campaign

    kind = exports.register(
        exports.ExportKind(
            key="testing-slow",
            label="测试导出",
            resolve=lambda user, pk, params: access_campaign(user, pk),
            filename=lambda c, p: "slow.txt",
            content_type="text/plain",
            write=_write,
            background=True,
            params=("fail",),
        )
    )
    RELEASE.clear()
    yield kind
    exports.REGISTRY.pop(kind.key)


def _sign_in(page, live_server, user) -> None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def test_the_job_page_shows_progress_then_the_download(
    page, live_server, office, campaign, slow_kind
):
    _sign_in(page, live_server, office)
    page.goto(live_server.url + reverse("reports:export", args=["testing-slow", campaign.pk]))
    page.get_by_test_id("start-export").click()
    page.wait_for_url("**/exports/jobs/**")
    job = ExportJob.objects.get()
    worker = threading.Thread(target=run_export, args=(job.pk,))
    worker.start()
    page.locator('[data-testid="job-status"][data-status="running"]').wait_for(timeout=10000)
    assert page.locator("progress").get_attribute("value") == "50"
    screenshot(page, "export-job-running")
    RELEASE.set()
    worker.join(10)
    page.locator('[data-testid="job-status"][data-status="done"]').wait_for(timeout=10000)
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename == "slow.txt"
    screenshot(page, "export-job-done")


def test_a_failed_job_shows_its_reason(page, live_server, office, campaign, slow_kind):
    _sign_in(page, live_server, office)
    page.goto(
        live_server.url + reverse("reports:export", args=["testing-slow", campaign.pk]) + "?fail=1"
    )
    page.get_by_test_id("start-export").click()
    page.wait_for_url("**/exports/jobs/**")
    RELEASE.set()
    run_export(ExportJob.objects.get().pk)
    page.get_by_test_id("job-error").wait_for(timeout=10000)
    assert "RuntimeError" in page.get_by_test_id("job-error").inner_text()
