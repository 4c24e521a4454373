"""The office lands on its home page, follows the 待审核 card to the queue, reviews the report
there and sees the queue empty; on a phone the queue's table scrolls inside its card."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import ReportStatus
from qualitycity.campaigns.models import ProgressReport
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, TODAY, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def test_office_reviews_a_report_from_its_queue(page, settings, campaign, office, liaison):
    settings.QC_TODAY = TODAY
    task = make_task(campaign, office, title="建立质量工作部门联席会议制度")
    report = campaign_services.save_report(
        task,
        by=liaison,
        period_start=dt.date(2018, 8, 1),
        text="联席会议制度已印发。",
        percent=60,
        submit=True,
    )

    log_in(page, office)
    card = page.locator('[data-queue="review"]')
    assert card.get_attribute("data-count") == "1"
    assert page.locator('[data-queue="verify"]').get_attribute("data-count") == "0"
    screenshot(page, "home-queues")
    card.click()
    page.wait_for_url("**/queues/review/")
    row = page.locator(f'tr[data-row="{report.pk}"]')
    assert "市质监局" in row.inner_text() and "逾期提交" in row.inner_text()
    screenshot(page, "queue-review")

    row.get_by_role("link", name="审核").click()
    page.wait_for_url(f"**/campaigns/tasks/{task.pk}/#review-{report.pk}")
    page.locator(f"#review-{report.pk}").get_by_role("button", name="采纳").click()
    page.wait_for_load_state()
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED

    page.goto(page.base_url + "/")
    assert page.locator('[data-queue="review"]').get_attribute("data-count") == "0"
    page.goto(page.base_url + "/queues/review/")
    assert page.get_by_test_id("queue-empty").is_visible()


def test_on_a_phone_the_queue_table_scrolls_inside_its_card(page, settings, campaign, office):
    settings.QC_TODAY = TODAY
    task = make_task(campaign, office, unit_name="市住建局", title="保障性住房质量巡查")
    from tests.factories import persona

    liaison = persona("t-liaison-zhujian", "liaison", "市住建局")
    campaign_services.save_report(
        task, by=liaison, period_start=dt.date(2018, 8, 1), text="巡查。", percent=20, submit=True
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, office)
    page.goto(page.base_url + "/queues/review/")
    widths = page.evaluate(
        "(() => { const t = document.querySelector('[data-testid=queue] .table-responsive');"
        " return [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth,"
        " document.documentElement.clientWidth]; })()"
    )
    table_scroll, table_width, page_scroll, page_width = widths
    assert table_scroll > table_width  # the table is wider than the phone and scrolls ...
    assert page_scroll == page_width  # ... inside its card, not the page
    screenshot(page, "queue-review-phone")
