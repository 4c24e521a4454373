"""The round summary, the gap list and the board print on A4 landscape: no menu, forms or
buttons, every table's header repeated, who printed it and when at the foot, the page's text in
the PDF (read back with pdftotext)."""

from __future__ import annotations

import re
import subprocess

import pytest

from qualitycity.assessments.models import Round
from tests.browser.conftest import screenshot
from tests.browser.test_cockpit import _demo, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _printed(page, tmp_path, name: str) -> str:
    page.emulate_media(media="print")
    try:
        assert not page.locator("header.navbar").is_visible()
        assert not page.get_by_test_id("print").is_visible()
        visible = page.locator("form:visible, .btn:visible")
        assert visible.count() == 0, visible.first.evaluate("e => e.outerHTML.slice(0, 300)")
        assert page.get_by_test_id("printed-by").is_visible()
        heads = page.locator("table thead")
        for index in range(heads.count()):
            display = heads.nth(index).evaluate("e => getComputedStyle(e).display")
            assert display == "table-header-group"
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
    finally:
        page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_summary_the_gap_list_and_the_board_print_on_a4(page, orgs, settings, tmp_path):
    from qualitycity.demo.campaign import DEMO_TODAY

    settings.QC_TODAY = DEMO_TODAY
    campaign = _demo()
    round_ = Round.objects.filter(campaign=campaign).order_by("-start", "-pk").first()
    page.set_viewport_size({"width": 1280, "height": 720})
    _sign_in(page, "office")

    page.goto(f"{page.base_url}/rounds/{round_.pk}/")
    text = _printed(page, tmp_path, "summary")
    assert round_.name in text
    assert "打印于" in text
    screenshot(page, "print-summary")

    page.goto(f"{page.base_url}/rounds/{round_.pk}/gaps/")
    text = _printed(page, tmp_path, "gaps")
    assert round_.name in text and "当前折算总分" in text

    page.goto(f"{page.base_url}/campaigns/{campaign.pk}/board/")
    text = _printed(page, tmp_path, "board")
    assert "督办看板" in re.sub(r"\s+", "", text)
