"""A liaison logs in, opens the indicator board, sees the traffic lights and the trend charts."""

import pytest

from qualitycity.demo.indicators import ensure_demo_indicators
from qualitycity.demo.people import DEMO_PASSWORD, ensure_demo_users
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_opens_the_indicator_board_and_an_indicator(page, orgs):
    ensure_demo_users()
    ensure_demo_indicators()

    page.goto(page.base_url + "/")
    page.get_by_label("用户名").fill("liaison")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.get_by_role("link", name="质量指标").first.click()
    page.wait_for_selector("table.indicator-board")
    assert page.locator("tr[data-indicator]").count() == 22
    # Wait with a locator: wait_for_function evaluates a string in the page, which the
    # Content-Security-Policy (no unsafe-eval) blocks whenever the condition is not met at once.
    rendered = page.locator('.qc-spark[data-rendered="1"] canvas')
    rendered.nth(21).wait_for()
    assert rendered.count() == 22
    row = page.locator('tr[data-indicator="INDUSTRIALIZED_CONSTRUCTION_SHARE"]')
    assert "未达标" in row.inner_text() and "未连续提高" in row.inner_text()
    assert page.locator('[data-status="no_data"]').count() == 1
    canvas = page.locator(".qc-spark canvas").first.bounding_box()
    assert canvas["width"] > 100 and canvas["height"] > 30
    path = screenshot(page, "indicator-board")
    assert path.stat().st_size > 10_000

    page.get_by_role("link", name="特种设备万台设备事故死亡率").click()
    page.wait_for_selector('[data-testid="history-chart"][data-rendered="1"] canvas')
    assert "低于全国平均水平" in page.get_by_test_id("target").inner_text()
    assert page.get_by_test_id("entry-form").is_visible()  # 市质监局 is responsible
    page.get_by_label("期间").fill("2019")
    page.get_by_label("数值").fill("0.2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector('tr[data-period="2019"]')
    page.wait_for_selector('[data-testid="history-chart"][data-rendered="1"] canvas')
    assert "0.2" in page.locator('tr[data-period="2019"]').inner_text()
    screenshot(page, "indicator-detail")
