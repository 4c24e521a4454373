"""Every page, as each persona, at a desktop (1280×720) and a phone (390×844) width: no sideways
scroll, no console error, no failed sub-request. Screenshots (first screen only) go to
test-artifacts/widths/<persona>-<page>-<width>.png.

The pages are the project's URL patterns, with their ids filled from one small but complete
campaign (tasks, a report, a round with scores, evidence, a finding, a meeting, a notice, measures,
indicator values), in tests/page_walk.py. `test_every_page_pattern_is_walked` fails when a new
pattern is missing there (add it to PAGE_NAMES and pages(), or to SKIPPED with the reason).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, TODAY
from tests.page_walk import PAGE_NAMES, PERSONAS, SKIPPED, build_world, pages, url_names

WIDTHS = {"1280": {"width": 1280, "height": 720}, "390": {"width": 390, "height": 844}}
SHOTS = ARTIFACTS / "widths"


def test_every_page_pattern_is_walked():
    known = set(SKIPPED) | set(PAGE_NAMES)
    missing = [name for name in url_names() if name not in known]
    assert missing == [], f"add these URL patterns to PAGES or SKIPPED: {missing}"


def _slug(address: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", address).strip("-") or "home"


def _look(page, persona: str, address: str, problems: list[str], seen: list[str]) -> None:
    """Open one page at both widths and note what is wrong with it. An address that does not answer
    this user with a page (a 404 for a page not theirs, a 405 for a POST-only one) is passed by."""
    failed: list[str] = []

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            failed.append(f"{response.status} {response.url}")

    page.set_viewport_size(WIDTHS["1280"])
    start = len(page.console_errors)
    page.on("response", on_response)
    try:
        response = page.goto(page.base_url + address)
    finally:
        page.remove_listener("response", on_response)
    kind = response.headers.get("content-type", "") if response else ""
    if response is None or response.status != 200 or not kind.startswith("text/html"):
        del page.console_errors[start:]  # the browser's own "failed to load" for the 404
        return
    for name, size in WIDTHS.items():
        page.set_viewport_size(size)
        extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if extra > 0:
            problems.append(f"{persona} {address} at {name}: scrolls sideways by {extra} px")
        page.screenshot(path=str(SHOTS / f"{persona}-{_slug(address)}-{name}.png"))
    errors = page.console_errors[start:]
    del page.console_errors[start:]
    problems += [f"{persona} {address}: console error {e}" for e in errors]
    problems += [f"{persona} {address}: failed request {f}" for f in failed]
    seen.append(address)


# The header at every width: it wraps or folds behind 菜单, never widens the page (in English too,
# whose menu links and site name are longer).
HEADER_WIDTHS = (390, 768, 800, 900, 992, 1024, 1100, 1200, 1280, 1366, 1440)


def _header_fits(page, persona: str, problems: list[str], *, english: bool = False) -> None:
    page.goto(page.base_url + "/")
    if english:
        page.get_by_role("button", name="English").click()
        page.get_by_role("button", name="中文").wait_for()
    for width in HEADER_WIDTHS:
        page.set_viewport_size({"width": width, "height": 720})
        extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        lang = "en" if english else "zh"
        if extra > 0:
            problems.append(f"{persona} header ({lang}) at {width}: scrolls sideways by {extra} px")
        brand = page.locator(".navbar-brand").bounding_box()
        if brand["height"] > 64:  # two lines at most, not squeezed into a column
            problems.append(f"{persona} header ({lang}) at {width}: the site name is squeezed")
        if width == 390:
            page.screenshot(path=str(SHOTS / f"{persona}-header-{lang}-390.png"))
    if english:
        page.get_by_role("button", name="中文").click()
        page.get_by_role("button", name="English").wait_for()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_scrolls_sideways_for_any_persona(
    browser,
    live_server,
    settings,
    media,
    office,
    liaison,
    assessor,
    leader,
    admin_user,
    campaign,
    open_round,
):
    settings.QC_TODAY = TODAY
    world = build_world(office, liaison, assessor, leader, admin_user, campaign, open_round)
    addresses = pages(world)
    assert set(addresses) == PAGE_NAMES
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    seen: dict[str, list[str]] = {}

    # signed out: the login page
    context = browser.new_context(locale="zh-CN")
    page = _new_page(context, live_server)
    _look(page, "anonymous", "/login/", problems, seen.setdefault("anonymous", []))
    context.close()

    for persona in PERSONAS:
        user = world.people[persona]
        context = browser.new_context(locale="zh-CN")
        page = _new_page(context, live_server)
        page.goto(page.base_url + "/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(page.base_url + "/")
        _header_fits(page, persona, problems)
        if persona == "office":
            _header_fits(page, persona, problems, english=True)
        for name in sorted(addresses):
            for address in addresses[name]:
                _look(page, persona, address, problems, seen.setdefault(persona, []))
        context.close()

    counts = {persona: len(found) for persona, found in seen.items()}
    print("pages looked at:", counts)
    assert counts["office"] >= 50 and counts["liaison"] >= 20
    assert problems == [], "\n".join(problems)


def _new_page(context, live_server):
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    page.base_url = live_server.url
    return page
