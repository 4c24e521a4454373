"""The office opens 责任分工 on a desktop and on a phone: no horizontal overflow at either size; it
maps an unmatched name with one click on a suggestion and assigns a lead unit through the
filterable picker."""

from __future__ import annotations

import pytest

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.models import NameMapping, ResponsibleUnit
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 720), "phone": (390, 844)}


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_office_maps_a_name_and_assigns_a_lead_on_desktop_and_phone(page, campaign, office):
    zhujian = Unit.objects.get(name="市住建局", region=campaign.region)
    zhijian = Unit.objects.get(name="市质监局", region=campaign.region)
    Unit.objects.filter(pk=zhujian.pk).update(name="市住房和城乡建设局")
    campaign_services.resolve_responsibilities(campaign, by=office)
    criterion = Criterion.objects.filter(framework=campaign.framework).order_by("position")[0]
    address = page.base_url + f"/campaigns/{campaign.pk}/responsibilities/"

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(address)
        assert page.get_by_role("heading", name="责任分工", exact=True).is_visible()
        scroll, inner = overflow(page)
        assert scroll <= inner, (name, scroll, inner)
        screenshot(page, f"responsibilities-{name}")
        page.get_by_test_id("unknown-names").scroll_into_view_if_needed()
        screenshot(page, f"responsibilities-{name}-names")
        page.goto(address + "?dim=3#table")
        page.get_by_test_id("dimension-nav").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('table').scrollIntoView()")
        screenshot(page, f"responsibilities-{name}-table")
        page.goto(address + f"?assign={criterion.pk}#assign")
        assert page.get_by_test_id("assign-form").is_visible()
        scroll, inner = overflow(page)
        assert scroll <= inner, (name, scroll, inner)
        screenshot(page, f"responsibilities-{name}-assign")

    # On the phone: one click on the suggestion maps the name.
    page.goto(address)
    names = page.get_by_test_id("unknown-names")
    names.locator('[data-name="市住建局"]').get_by_role("button", name="市住房和城乡建设局").click()
    page.wait_for_url(address + "#unknown-names")
    assert "已对应为" in page.locator(".alert-success").inner_text()
    assert NameMapping.objects.get(campaign=campaign, printed_name="市住建局").unit_id == zhujian.pk

    # The picker filters the directory by name; ticking 牵头 and saving assigns the lead.
    page.goto(address + f"?assign={criterion.pk}#assign")
    page.get_by_placeholder("按名称筛选单位名录").fill("质监")
    picks = page.get_by_test_id("assign-picks")
    assert picks.locator(".qc-pick[data-name]:visible").count() < 5
    picks.get_by_label("市质监局 牵头").check()
    scroll, inner = overflow(page)
    assert scroll <= inner, ("phone filtered", scroll, inner)
    screenshot(page, "responsibilities-phone-filtered")
    page.get_by_role("button", name="保存分配").click()
    page.wait_for_url(address + "#without-lead")
    assert "已为细则" in page.locator(".alert-success").inner_text()
    assert ResponsibleUnit.objects.filter(
        campaign=campaign, criterion=criterion, printed_name="", unit=zhijian, role="lead"
    ).exists()
