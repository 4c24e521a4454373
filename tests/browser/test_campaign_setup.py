"""An office sets up a campaign on a phone: adds a phase row, removes one, fills the dates and
creates it; the page never scrolls sideways."""

from __future__ import annotations

import pytest

from qualitycity.campaigns.models import Campaign
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.querySelector('main, .page-body, body').scrollWidth")
    assert width <= 390 + 1, width


def test_an_office_sets_up_a_campaign_on_a_phone(page, office, yongzhou):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/campaigns/new/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/campaigns/new/")
    form = page.get_by_test_id("campaign-form")
    form.get_by_label("名称", exact=True).fill("永州市质量提升三年行动")
    page.fill("#id_start", "2018-01-01")
    page.fill("#id_end", "2020-12-31")
    page.get_by_test_id("add-phase").click()
    page.wait_for_selector("#id_phases-4-name")
    assert page.input_value("#id_name") == "永州市质量提升三年行动"
    for i, (start, end) in enumerate(
        [("2018-01-01", "2018-06-30"), ("2018-07-01", "2019-12-31"), ("2020-01-01", "2020-12-31")]
    ):
        page.fill(f"#id_phases-{i}-start", start)
        page.fill(f"#id_phases-{i}-end", end)
    page.fill("#id_phases-4-name", "多余的一行")
    page.check("#id_phases-4-DELETE")
    page.uncheck("#id_builtin_measures")
    page.select_option("#id_tasks_phase", label="暂不生成")
    _no_sideways_scroll(page)
    screenshot(page, "campaign-create-phone")
    page.get_by_test_id("create").click()
    page.wait_for_url("**/campaigns/*/")
    campaign = Campaign.objects.get(name="永州市质量提升三年行动")
    assert list(campaign.phases.values_list("name", flat=True)) == [
        "规划筹建阶段",
        "全面推进阶段",
        "巩固提升阶段",
    ]
    assert page.get_by_test_id("campaign-admin-links").is_visible()
