"""The office logs in and reads a round's summary: totals, a radar chart and a bar chart."""

import datetime as dt

import pytest

from qualitycity.assessments import services
from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign
from qualitycity.demo.people import DEMO_PASSWORD, ensure_demo_users
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.orgs.models import Region, User
from tests.browser.conftest import screenshot
from tests.factories import criteria_of, score_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _scored_round():
    framework, _ = load_framework(YONGZHOU_FILE)
    ensure_demo_users()
    office = User.objects.get(username="office")
    expert = User.objects.get(username="expert")
    campaign = create_campaign(
        by=office,
        name="永州市创建全国质量强市示范城市",
        region=Region.objects.get(code="431100"),
        framework=framework,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
        phases=YONGZHOU_PHASES,
    )
    rnd = services.create_round(
        campaign,
        by=office,
        kind="self",
        name="2019年自评",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
        assessors=[expert],
    )
    criteria = criteria_of(rnd)
    score_criteria(rnd, criteria[0:90:3], by=expert)  # gaps spread over many lead units
    score_criteria(rnd, [c for i, c in enumerate(criteria[:110]) if i % 3], by=expert, high=True)
    return rnd


def test_office_reads_the_round_summary_with_both_charts(page, orgs):
    rnd = _scored_round()

    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.get_by_role("link", name="考核轮次").first.click()
    page.get_by_role("link", name="2019年自评").first.click()
    page.wait_for_url(page.base_url + f"/rounds/{rnd.pk}/")
    assert page.get_by_test_id("full").inner_text() == "1055"
    assert page.get_by_test_id("round-status").inner_text() == "进行中"
    assert page.locator("tr[data-dimension]").count() == 10

    for testid in ("radar-chart", "bar-chart"):
        chart = page.get_by_test_id(testid)
        chart.locator("canvas, svg").first.wait_for(state="attached")
        page.locator(f'[data-testid="{testid}"][data-chart-ready="1"]').wait_for()
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300, (testid, box)
    assert page.locator(".qc-chart").count() == 2
    assert page.locator(".qc-chart canvas, .qc-chart svg").count() >= 2
    assert page.evaluate(
        "Array.from(document.querySelectorAll('.qc-chart'))"
        ".every(el => echarts.getInstanceByDom(el) !== undefined)"
    )
    assert page.get_by_role("button", name="提交评分").is_visible()
    path = screenshot(page, "round-summary")
    assert path.stat().st_size > 10_000
    assert page.console_errors == []
