"""The header on a phone: the main menu folds behind 菜单 and opens with one tap; on a desktop it
is always shown. No script is involved (a checkbox and its label)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_menu_folds_on_a_phone_and_not_on_a_desktop(page, liaison):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(liaison.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    menu = page.get_by_test_id("main-menu")
    assert not menu.is_visible()
    header = page.locator("header").bounding_box()
    assert header["height"] < 200  # the folded header leaves the first screen to the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("menu-toggle").click()
    assert menu.is_visible()
    screenshot(page, "header-phone-open")
    menu.get_by_role("link", name="我的任务").click()
    page.wait_for_url("**/campaigns/my/")
    page.set_viewport_size({"width": 1280, "height": 720})
    assert page.get_by_test_id("main-menu").is_visible()
    assert not page.get_by_test_id("menu-toggle").is_visible()
