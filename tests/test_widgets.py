"""FastSelect renders the markup of Django's own <select> (qualitycity/widgets.py)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms

from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Unit
from qualitycity.widgets import FastSelect


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(("start", tag, tuple(sorted(attrs, key=lambda a: a[0]))))

    def handle_endtag(self, tag):
        self.out.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.out.append(("text", data.strip()))


def tree(html: str) -> list[tuple]:
    parser = _Tree()
    parser.feed(str(html))
    return parser.out


CHOICES = [
    ("", "—"),
    ("1", "市质监局 <b>&"),
    ("组", [("2", "二"), ("3", '三"')]),
    (4, "四"),
]


@pytest.mark.parametrize("value", [None, "", "2", "4", 4, "x"])
def test_it_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_a", "class": "form-select", "required": True, "disabled": False}
    django_select = forms.Select(choices=CHOICES).render("a", value, attrs)
    fast = FastSelect(choices=CHOICES).render("a", value, attrs)
    assert tree(fast) == tree(django_select)
    if str(value) in {"2", "4"}:
        assert f'<option value="{value}" selected>' in fast


@pytest.mark.django_db
def test_styled_forms_use_it_for_their_selects_and_keep_the_choices(orgs):
    class Form(StyledForm):
        unit = forms.ModelChoiceField(queryset=Unit.objects.none())
        many = forms.MultipleChoiceField(choices=[("a", "A")])

    form = Form({"unit": ""})
    form.fields["unit"].queryset = Unit.objects.filter(region=orgs).order_by("pk")
    assert type(form.fields["unit"].widget) is FastSelect
    assert type(form.fields["many"].widget) is forms.SelectMultiple  # several values: Django's
    html = str(form["unit"])
    first = Unit.objects.filter(region=orgs).order_by("pk").first()
    assert f'<option value="{first.pk}">{first}</option>' in html
    assert 'class="form-select"' in html and "required" in html
