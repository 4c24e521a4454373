"""Keyboard users see where they are: every link, button and field shows a focus outline when
reached with Tab (app.css :focus-visible)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = """() => {
  const el = document.activeElement;
  el.getAnimations().forEach((a) => a.finish());
  const s = getComputedStyle(el);
  if (el.dataset.qcSeen) return ["AGAIN"];  // a date field's inner parts (and its calendar
  el.dataset.qcSeen = "1";                 // button, which draws its own ring) take Tab too
  return [el.tagName, el.getAttribute("type") || "", s.outlineStyle, parseFloat(s.outlineWidth)];
}"""


def test_tabbing_through_a_form_page_shows_where_the_focus_is(page, campaign, office):
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.emulate_media(reduced_motion="reduce")  # Tabler's transitions off: the final outline
    page.goto(page.base_url + f"/campaigns/{campaign.pk}/meetings/new/")
    kinds: set[str] = set()
    wanted = {"a", "button", "select", "input:checkbox", "input:search", "textarea"}
    for _ in range(200):
        if wanted <= kinds:
            break
        page.keyboard.press("Tab")
        seen = page.evaluate(OUTLINE)
        if seen[0] in ("BODY", "AGAIN"):
            continue
        tag, kind, style, width = seen
        assert style != "none" and width >= 2, (tag, kind, style, width)
        kinds.add(f"{tag.lower()}:{kind}" if kind else tag.lower())
    assert wanted <= kinds, kinds
    screenshot(page, "focus-visible")
