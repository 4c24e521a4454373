"""Every form control on every page has a name a screen reader can read: a <label for>, a
wrapping <label>, aria-label or aria-labelledby (hidden inputs and buttons need none); and no page
offers a <select multiple>, which needs Ctrl-click (impossible on a phone): multiple choices are
checkboxes (orgs.forms.PickerWidget)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.factories import TODAY
from tests.page_walk import build_world, pages

pytestmark = pytest.mark.django_db

UNNAMED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Controls(HTMLParser):
    """The page's form controls, the ids its labels point to, and which controls sit in a label."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[dict[str, str], bool]] = []
        self.label_for: set[str] = set()
        self.ids: set[str] = set()
        self.in_label = 0
        self.multiple: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "select" and "multiple" in a and "hx-swap-oob" not in a:
                self.multiple.append(f"<select multiple name={a.get('name', '')!r}>")
            if tag != "input" or a.get("type", "text").lower() not in UNNAMED_TYPES:
                self.controls.append(({"tag": tag, **a}, self.in_label > 0))

    def handle_endtag(self, tag):
        if tag == "label" and self.in_label:
            self.in_label -= 1

    def unnamed(self) -> list[str]:
        out = []
        for attrs, wrapped in self.controls:
            if wrapped or attrs.get("aria-label", "").strip():
                continue
            if attrs.get("id") and attrs["id"] in self.label_for:
                continue
            labelled_by = attrs.get("aria-labelledby", "").split()
            if labelled_by and all(i in self.ids for i in labelled_by):
                continue
            out.append(
                f"<{attrs['tag']} name={attrs.get('name', '')!r} id={attrs.get('id', '')!r}>"
            )
        return out


def test_the_parser_finds_an_unnamed_control():
    page = Controls()
    page.feed(
        '<label for="a">A</label><input id="a" name="a"><label><input name="b"></label>'
        '<input name="c" aria-label="C"><span id="d">D</span><input name="e" aria-labelledby="d">'
        '<input type="hidden" name="h"><button>go</button><select name="bad"></select>'
        '<input name="lost" aria-labelledby="nowhere">'
    )
    assert page.unnamed() == ["<select name='bad' id=''>", "<input name='lost' id=''>"]


def test_every_control_on_every_page_has_a_label(
    client, settings, media, office, liaison, assessor, leader, admin_user, campaign, open_round
):
    settings.QC_TODAY = TODAY
    world = build_world(office, liaison, assessor, leader, admin_user, campaign, open_round)
    addresses = [a for name in sorted(pages(world)) for a in pages(world)[name]]
    addresses.append("/login/")
    problems: list[str] = []
    looked = 0
    for persona in ("office", "liaison", "assessor", "leader"):
        client.force_login(world.people[persona])
        for address in addresses:
            response = client.get(address)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            looked += 1
            page = Controls()
            page.feed(response.content.decode())
            problems += [f"{persona} {address}: {c}" for c in page.unnamed() + page.multiple]
    assert looked > 150
    assert problems == [], "\n".join(problems)
