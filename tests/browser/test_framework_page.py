"""The office demo user logs in and reads the framework as the seed's table."""

import pytest

from qualitycity.demo.people import DEMO_PASSWORD, ensure_demo_users
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_logs_in_and_opens_the_framework_page(page, orgs):
    framework, _ = load_framework(YONGZHOU_FILE)
    ensure_demo_users()

    page.goto(page.base_url + "/")
    assert "/login/" in page.url
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    assert "创质办" in page.locator("body").inner_text()

    page.get_by_role("link", name="考核评分体系").first.click()
    page.get_by_role("link", name=framework.title).click()
    page.wait_for_selector("table.framework-table")
    assert page.locator("tr[data-criterion]").count() == 125
    assert page.get_by_test_id("total-points").inner_text() == "1055"
    row = page.locator('tr[data-criterion="3.6.1"]')
    assert "同时列为牵头单位和配合单位" in row.inner_text()
    css_loaded = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
    assert css_loaded == "flex"  # Tabler's stylesheet was served and applied
    path = screenshot(page, "framework-page")
    assert path.stat().st_size > 10_000
