"""Issue 11's display defects as a liaison and a leader see them in Chromium, at 1280×720 and
390×844: a cooperating task names its lead unit, 整改 items are on 我的任务 and open, a meeting
links only the tasks the liaison may open, indicators are named with values like 93.1%, the
framework's lint is not shown to a leader. No page scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.assessments import services as assess
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import MeetingKind, WorkRole
from qualitycity.indicators.models import Indicator
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, criteria_of, phase_of, score_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2019, 6, 10)
SIZES = ((1280, 720), (390, 844))


def log_in(page, user) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def test_a_liaison_sees_leads_rectifications_and_only_its_own_links(
    page, settings, campaign, office, liaison, open_round, zhijian
):
    settings.QC_TODAY = TODAY
    rows = criteria_of(open_round)
    led = next(r for r in rows if assess.lead_unit_of(campaign, r) == zhijian)
    other = next(r for r in rows if assess.lead_unit_of(campaign, r) not in (zhijian, None))
    coop = campaign_services.add_task(
        campaign,
        by=office,
        title="配合推进质量发展规划",
        unit=zhijian,
        due=dt.date(2019, 9, 30),
        role=WorkRole.COOPERATING,
        phase=phase_of(campaign),
        criterion=other,
    )
    lead_name = assess.lead_unit_of(campaign, other).name
    score_criteria(open_round, [led], by=office)
    finding = assess.create_finding(open_round, led, by=office, due=dt.date(2019, 8, 31))
    meeting = campaign_services.create_meeting(
        campaign, by=office, kind=MeetingKind.COORDINATION, title="碰头会", date=TODAY
    )
    decisions = campaign_services.parse_decisions(
        "补录企业质量信用档案 | 市质监局 | 2019-07-31\n保障房质量巡查 | 市住建局 | 2019-07-31",
        campaign,
    )
    campaign_services.decisions_to_tasks(meeting, by=office, decisions=decisions)

    log_in(page, liaison)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(page.base_url + "/campaigns/my/?role=cooperating")
        row = page.locator(f'[data-testid="tasks"] tr[data-task="{coop.pk}"]')
        assert lead_name in row.get_by_test_id("leads").inner_text()
        section = page.get_by_test_id("my-rectify")
        assert finding.title in section.inner_text()
        no_sideways_scroll(page)
        section.scroll_into_view_if_needed()
        screenshot(page, f"display-my-tasks-{width}")

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(page.base_url + "/campaigns/my/")
    page.get_by_test_id("my-rectify").get_by_role("link", name=finding.title).click()
    page.wait_for_url(f"**/findings/{finding.pk}/")
    assert "Not Found" not in page.locator("body").inner_text()

    page.goto(page.base_url + f"/campaigns/meetings/{meeting.pk}/")
    tasks = page.get_by_test_id("meeting-tasks")
    assert tasks.get_by_role("link", name="保障房质量巡查").count() == 0
    assert "保障房质量巡查" in tasks.get_by_test_id("unlinked-task").inner_text()
    screenshot(page, "display-meeting-1280")
    tasks.get_by_role("link", name="补录企业质量信用档案").click()
    page.wait_for_url("**/campaigns/tasks/*/")
    assert "补录企业质量信用档案" in page.locator("h1").inner_text()

    page.goto(page.base_url + f"/campaigns/tasks/{coop.pk}/")
    assert lead_name in page.get_by_test_id("leads").inner_text()
    screenshot(page, "display-task-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    no_sideways_scroll(page)
    screenshot(page, "display-task-390")


def test_a_leader_reads_named_indicators_and_the_framework_without_its_lint(
    page, settings, yongzhou, leader
):
    from qualitycity.demo.indicators import ensure_demo_indicators

    ensure_demo_indicators()
    indicator = Indicator.objects.get(code="NATIONAL_SUPERVISION_PASS_RATE")
    log_in(page, leader)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(page.base_url + "/indicators/")
        body = page.locator("body").inner_text()
        assert indicator.name in body and indicator.code not in body
        no_sideways_scroll(page)
        screenshot(page, f"display-indicators-{width}")
        page.goto(page.base_url + f"/indicators/{indicator.pk}/")
        values = page.get_by_test_id("observations").inner_text()
        assert "93.1%" in values and "93.1000" not in values
        no_sideways_scroll(page)
        page.get_by_test_id("observations").scroll_into_view_if_needed()
        screenshot(page, f"display-indicator-{width}")
        page.goto(page.base_url + f"/frameworks/{yongzhou.pk}/")
        body = page.locator("body").inner_text()
        assert "个错误" not in body and "检查结果" not in body
        assert "NATIONAL_SUPERVISION_PASS_RATE" not in body
        no_sideways_scroll(page)
        screenshot(page, f"display-framework-{width}")
    page.get_by_role("button", name="English").click()  # the language switch in the header
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(page.base_url + "/campaigns/")
    no_sideways_scroll(page)  # the English brand wraps instead of widening the page
    screenshot(page, "display-english-390")
