"""The office opens 主要措施 on a desktop and on a phone: the page never scrolls sideways, the
wide tables scroll inside their card; a figure leads to the task list filtered by the measure,
and the filter clears."""

from __future__ import annotations

import pytest

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.models import Measure, Task
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, TODAY, phase_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 720), "phone": (390, 844)}


def overflow(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def inner_scroll(page, testid: str) -> tuple[int, int]:
    return page.get_by_test_id(testid).evaluate("el => [el.scrollWidth, el.clientWidth]")


def test_measures_on_desktop_and_phone(page, campaign, office, settings):
    settings.QC_TODAY = TODAY
    campaign_services.load_measures(campaign, by=office)
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    culture = Measure.objects.get(campaign=campaign, number=5)
    tasks = Task.objects.filter(measure=culture).count()
    base = page.base_url + f"/campaigns/{campaign.pk}"

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + "/measures/")
        assert page.get_by_role("heading", name="主要措施", exact=True).is_visible()
        scroll, inner = overflow(page)
        assert scroll <= inner, (name, scroll, inner)
        screenshot(page, f"measures-{name}")
        if name == "phone":  # the table is wider than the phone: it scrolls in its card
            content, visible = inner_scroll(page, "measures-scroll")
            assert content > visible <= width, (content, visible)
        page.goto(base + "/measures/5/")
        assert page.get_by_test_id("measure-title").is_visible()
        scroll, inner = overflow(page)
        assert scroll <= inner, (name, scroll, inner)
        screenshot(page, f"measure-detail-{name}")
        page.get_by_test_id("tasks").scroll_into_view_if_needed()
        screenshot(page, f"measure-detail-{name}-tasks")

    # On the phone: the measure's task count opens the filtered task list; the filter clears.
    page.goto(base + "/measures/")
    page.locator('tr[data-measure="5"]').get_by_test_id("total").click()
    page.wait_for_url(f"**/tasks/?measure={culture.pk}")
    assert page.get_by_test_id("total").inner_text() == f"共 {tasks} 项"
    scroll, inner = overflow(page)
    assert scroll <= inner, ("task list", scroll, inner)
    screenshot(page, "measures-task-list-phone")
    page.get_by_test_id("clear-filters").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/tasks/")
    assert page.get_by_test_id("total").inner_text() != f"共 {tasks} 项"
