"""Each persona's home page in a browser at 1280×720 and on a phone (390×844): its sections
shown, no console error, no sideways scroll; the liaison follows a figure to its filtered list,
the assessor a round to its rows, the administrator the system page to the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from qualitycity.audit.services import record
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import DeliveryChannel, DeliveryStatus
from qualitycity.campaigns.models import Delivery
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, TODAY, make_task, unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 720), "phone": (390, 844)}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def log_in(page, user) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def look(page, name: str, size: str) -> None:
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {size}"
    screenshot(page, f"home-{name}-{size}")


def liaison_work(campaign, office, liaison) -> None:
    make_task(campaign, office, title="制定企业质量信用分级分类办法", due=dt.date(2018, 9, 10))
    make_task(
        campaign,
        office,
        title="报送9月质量月活动方案",
        start=TODAY,
        due=TODAY + dt.timedelta(days=2),
    )
    task = make_task(campaign, office, title="建立质量工作部门联席会议制度")
    report = campaign_services.save_report(
        task, by=liaison, period_start=dt.date(2018, 8, 1), text="进展。", percent=30, submit=True
    )
    campaign_services.review_report(report, by=office, accept=False, comment="请附会议纪要。")
    campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[task],
        content="请说明联席会议制度进展。",
        response_due=dt.date(2018, 9, 25),
        today=TODAY,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_liaisons_home_and_a_figure_to_its_list(
    page, settings, campaign, office, liaison, size
):
    settings.QC_TODAY = TODAY
    liaison_work(campaign, office, liaison)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    log_in(page, liaison)
    assert page.locator('[data-section="liaison"]').is_visible()
    assert page.locator('[data-section="assessor"]').count() == 0
    assert page.locator('[data-figure="red"]').get_attribute("data-count") == "1"
    assert page.locator('[data-queue="answer"]').get_attribute("data-count") == "1"
    look(page, "liaison", size)
    page.locator('[data-figure="red"]').click()
    page.wait_for_url("**/campaigns/my/?colour=red#tasks")
    assert "制定企业质量信用分级分类办法" in page.get_by_test_id("tasks").inner_text()
    assert "报送9月质量月活动方案" not in page.get_by_test_id("tasks").inner_text()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_assessors_home_and_a_round_to_its_rows(page, settings, assessor, open_round, size):
    settings.QC_TODAY = TODAY
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    log_in(page, assessor)
    row = page.locator(f'[data-round="{open_round.pk}"]')
    assert row.is_visible() and "2019年自评" in row.inner_text()
    left = int(row.get_attribute("data-left"))
    assert left > 100  # every row of the self-assessment is still to score
    look(page, "assessor", size)
    row.get_by_test_id("left-to-score").click()
    page.wait_for_url(f"**/assessments/queues/to-score/?round={open_round.pk}")
    assert page.get_by_test_id("to-score").locator("a").count() == left
    screenshot(page, f"home-assessor-queue-{size}")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_administrators_home_system_page_and_audit_log(
    page, settings, admin_user, office, liaison, campaign, size
):
    settings.QC_TODAY = TODAY
    Delivery.objects.create(
        channel=DeliveryChannel.EMAIL,
        event="report.returned",
        user=liaison,
        address="liaison@example.org",
        subject="进展报告被退回",
        body="…",
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: {'liaison@example.org': (550, b'mailbox unavailable')}",
    )
    with transaction.atomic():
        record(
            office,
            "campaign.changed",
            campaign,
            before={"name": campaign.name, "blue_days": 3, "reports_from": "lead"},
            after={"name": campaign.name, "blue_days": 5, "reports_from": "all"},
        )
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    log_in(page, admin_user)
    assert page.locator('[data-figure="failed"]').get_attribute("data-count") == "1"
    look(page, "admin", size)
    page.get_by_test_id("system-link").click()
    page.wait_for_url("**/system/")
    assert "mailbox unavailable" in page.get_by_test_id("failed-deliveries").inner_text()
    look(page, "system", size)
    page.get_by_test_id("audit-link").click()
    page.wait_for_url("**/system/audit/")
    page.get_by_label("操作", exact=True).fill("campaign.changed")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/system/audit/?*")
    diff = page.get_by_test_id("diff").first
    assert "蓝色督办提前天数" in diff.inner_text() and "仅牵头单位" in diff.inner_text()
    look(page, "audit", size)


@pytest.mark.parametrize("who", ["office", "leader"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_office_and_leader_homes_fit(page, settings, request, campaign, who, size):
    settings.QC_TODAY = TODAY
    user = request.getfixturevalue(who)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    log_in(page, user)
    assert page.locator('[data-section="about"]').is_visible()
    look(page, who, size)
