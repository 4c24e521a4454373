"""The office logs in, reads the supervision board of the demo's campaign (its chart included) and
issues a 督办单 from a unit's row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import override_settings

from qualitycity.campaigns import queries
from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign
from qualitycity.demo.campaign import DEMO_TODAY
from qualitycity.demo.people import DEMO_PASSWORD, ensure_demo_users
from qualitycity.demo.work import ensure_demo_work
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.orgs.models import Region, User
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo_campaign():
    framework, _ = load_framework(YONGZHOU_FILE)
    ensure_demo_users()
    with override_settings(QC_TODAY=DEMO_TODAY):
        campaign = create_campaign(
            by=User.objects.get(username="office"),
            name="永州市创建全国质量强市示范城市",
            region=Region.objects.get(code="431100"),
            framework=framework,
            start=dt.date(2017, 9, 1),
            end=dt.date(2019, 10, 31),
            phases=YONGZHOU_PHASES,
        )
        ensure_demo_work(campaign, today=DEMO_TODAY)
    return campaign


def test_office_reads_the_supervision_board_and_issues_a_notice(page, orgs, settings):
    settings.QC_TODAY = DEMO_TODAY
    campaign = _demo_campaign()
    expected = queries.board(campaign, DEMO_TODAY)

    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(page.base_url + f"/campaigns/{campaign.pk}/board/")
    assert page.get_by_role("heading", name="督办看板").is_visible()
    assert page.get_by_test_id("count-red").inner_text() == str(expected.counts.red)
    assert page.get_by_test_id("count-yellow").inner_text() == str(expected.counts.yellow)
    assert page.get_by_test_id("count-blue").inner_text() == str(expected.counts.blue)
    assert (
        page.get_by_test_id("meeting-gaps")
        .get_by_text("2018年第2季度未召开领导小组会议")
        .is_visible()
    )

    chart = page.get_by_test_id("board-chart")
    chart.locator("canvas, svg").first.wait_for(state="attached")
    page.locator('[data-testid="board-chart"][data-chart-ready="1"]').wait_for()
    box = chart.bounding_box()
    assert box and box["width"] > 800 and box["height"] > 300, box
    assert (
        page.evaluate(
            "echarts.getInstanceByDom(document.querySelector('.qc-board-chart'))"
            ".getOption().series.length"
        )
        == 3
    )
    assert page.locator('[data-testid="unit-table"] tbody tr').count() == len(expected.units)
    path = screenshot(page, "supervision-board")
    assert path.stat().st_size > 10_000

    page.get_by_test_id("sort-yellow").click()
    page.wait_for_url("**/board/?sort=yellow*")
    assert page.get_by_test_id("unit-table").get_attribute("data-sort") == "yellow"

    row = page.locator('[data-testid="unit-table"] tr[data-unit="市质监局"]')
    row.get_by_test_id("issue-notice").click()
    page.wait_for_url("**/notices/new/?unit=*")
    zhijian = next(r for r in expected.units if r.name == "市质监局")
    assert zhijian.counts.red > 0
    # The unit's most urgent (red) tasks are proposed; the others can be ticked.
    assert page.locator('input[name="tasks"]:checked').count() == zhijian.counts.red
    page.get_by_label("督办事项").fill("逾期任务请于一周内说明原因并提出整改措施。")
    page.get_by_role("button", name="签发", exact=True).click()
    page.wait_for_url("**/campaigns/notices/*/")
    assert page.get_by_test_id("notice-number").inner_text() == "督办单 督办〔2018〕4号"
    assert page.get_by_test_id("notice-unit").inner_text() == "市质监局"
    assert page.locator('[data-testid="notice-tasks"] [data-colour="red"]').count() >= 1
    assert page.console_errors == []
