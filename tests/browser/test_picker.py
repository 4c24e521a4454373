"""The multiple-choice picker (orgs.forms.PickerWidget): checkboxes, no Ctrl-click, and a search
box that filters them as the user types; without script the checkboxes alone still work."""

from __future__ import annotations

import pytest

from qualitycity.campaigns.models import Meeting
from qualitycity.orgs.models import UnitGroup
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, then: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + then)


def test_the_office_finds_attendees_by_typing_and_ticks_them(page, campaign, office):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, office, f"/campaigns/{campaign.pk}/meetings/new/")
    page.get_by_label("会议名称").fill("第一次联席会议")
    search = page.locator("#id_attendees_search")
    assert search.is_visible()
    attendees = page.locator("#id_attendees")
    zhijian = attendees.locator("label", has_text="市质监局")
    zhujian = attendees.locator("label", has_text="市住建局")
    search.fill("质监")
    search.press("Enter")  # filters, does not send the form
    assert zhijian.is_visible() and not zhujian.is_visible()
    screenshot(page, "picker-filtered-390")
    zhijian.click()
    search.fill("住建")
    other = attendees.locator("label", has_text="市财政局")
    assert zhujian.is_visible() and not other.is_visible()
    assert zhijian.is_visible()  # ticked: stays in sight while filtering
    zhujian.click()
    search.fill("没有这样的单位")
    assert attendees.get_by_text("没有与输入文字相符的选项。").is_visible()
    assert not other.is_visible()
    search.fill("")
    assert zhijian.is_visible() and zhujian.is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/campaigns/meetings/*/")
    assert page.get_by_text("已登记").first.is_visible()
    meeting = Meeting.objects.get(title="第一次联席会议")
    assert sorted(u.name for u in meeting.attendees.all()) == ["市住建局", "市质监局"]


def test_without_script_the_checkboxes_alone_work(browser, live_server, campaign, office):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        log_in(page, office, f"/campaigns/{campaign.pk}/meetings/new/")
        assert not page.locator("#id_attendees_search").is_visible()
        page.get_by_label("会议名称").fill("无脚本会议")
        page.locator("#id_attendees").locator("label", has_text="市质监局").click()
        page.get_by_role("button", name="保存").click()
        page.wait_for_url("**/campaigns/meetings/*/")
    finally:
        context.close()
    meeting = Meeting.objects.get(title="无脚本会议")
    assert [u.name for u in meeting.attendees.all()] == ["市质监局"]


def test_the_office_adds_a_member_to_a_group_by_typing(page, office):
    group = UnitGroup.objects.get(name="各园区管委会")
    assert not group.members.filter(name="市统计局").exists()
    log_in(page, office, f"/orgs/groups/{group.pk}/edit/")
    screenshot(page, "picker-group-1400")
    page.get_by_label("成员单位").fill("统计")
    page.locator("#id_members").locator("label", has_text="市统计局").click()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "picker-group-390")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/orgs/groups/")
    assert group.members.filter(name="市统计局").exists()
