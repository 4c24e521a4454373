"""A leader opens the cockpit on the home page, reads it at 1280×720 and on a phone, follows its
figures to the lists behind them, and prints it on A4 (charts included)."""

from __future__ import annotations

import re

import pytest

from qualitycity import clock
from qualitycity.campaigns import queries
from qualitycity.demo.campaign import DEMO_TODAY, ensure_demo_campaign
from qualitycity.demo.people import DEMO_PASSWORD, ensure_demo_users
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _demo():
    """The demo campaign as `make run` builds it: rounds scored, tasks, reports, findings."""
    load_framework(YONGZHOU_FILE)
    ensure_demo_users()
    with clock.pinned(DEMO_TODAY):
        return ensure_demo_campaign()


def _sign_in(page, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_leader_reads_the_cockpit_follows_its_figures_and_prints_it(page, orgs, settings):
    settings.QC_TODAY = DEMO_TODAY
    campaign = _demo()
    board = queries.board(campaign, DEMO_TODAY)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.set_viewport_size({"width": 1280, "height": 720})
    _sign_in(page, "leader")
    cockpit = page.get_by_test_id("cockpit")
    assert cockpit.is_visible()
    page.locator('[data-testid="cockpit-radar"][data-chart-ready="1"]').wait_for()
    page.locator('[data-testid="cockpit-lost"][data-chart-ready="1"]').wait_for()
    assert page.get_by_test_id("cockpit-yellow").inner_text() == str(board.counts.yellow)
    assert page.get_by_test_id("cockpit-red").inner_text() == str(board.counts.red)
    _no_sideways_scroll(page)
    screenshot(page, "cockpit-leader-1280")

    # The yellow figure opens the board's yellow list, with as many rows in all.
    page.get_by_test_id("cockpit-yellow").click()
    page.wait_for_url(re.compile(r"/board/\?colour=yellow"))
    assert page.get_by_test_id("flagged-tasks").get_attribute("data-colour") == "yellow"
    assert f"共 {board.counts.yellow} 项" in page.get_by_test_id("flagged-count").inner_text()
    _no_sideways_scroll(page)

    # A unit's yellow figure opens that unit's yellow tasks.
    page.go_back()
    row = page.get_by_test_id("cockpit-units").locator("tbody tr").first
    unit_name = row.get_attribute("data-unit")
    yellow = row.locator("td").nth(2)
    figure = int(yellow.inner_text())
    yellow.locator("a").click()
    page.wait_for_url(re.compile(r"/tasks/\?unit=\d+&colour=yellow"))
    rows = page.locator("table tbody tr[data-task]")
    assert rows.count() == figure
    assert unit_name in page.locator("table tbody").inner_text()
    screenshot(page, "cockpit-leader-follow")

    # Printed on A4: no header or buttons, the charts drawn as vectors on the paper.
    page.go_back()
    page.locator('[data-testid="cockpit-radar"][data-chart-ready="1"]').wait_for()
    page.emulate_media(media="print")
    assert not page.locator("header.navbar").is_visible()
    assert not page.get_by_test_id("print-cockpit").is_visible()
    assert page.locator('[data-testid="cockpit-radar"] svg').count() == 1
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
    page.emulate_media(media="screen")

    # On a phone: the same cockpit, no sideways scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator('[data-testid="cockpit-radar"][data-chart-ready="1"]').wait_for()
    _no_sideways_scroll(page)
    screenshot(page, "cockpit-leader-390")
    assert failed == []
