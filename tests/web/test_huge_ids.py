"""Ids no database column can hold, sent to every multiple choice: a form error (4xx), never the
OverflowError SQLite raised (500)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms

from qualitycity.orgs.forms import IdsChoiceField
from qualitycity.orgs.models import Unit

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e5", "abc", "9223372036854775808"])
def test_an_impossible_id_is_a_form_error(orgs, value):
    field = IdsChoiceField(queryset=Unit.objects.all())
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([value])
    assert refused.value.code == "invalid_pk_value"


def test_real_ids_still_choose(orgs):
    unit = Unit.objects.first()
    assert list(IdsChoiceField(queryset=Unit.objects.all()).clean([str(unit.pk)])) == [unit]


def test_every_multiple_choice_of_objects_uses_the_safe_field():
    root = Path(__file__).resolve().parents[2] / "src" / "qualitycity"
    plain = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if re.search(r"forms\.ModelMultipleChoiceField\(", p.read_text(encoding="utf-8"))
    ]
    assert plain == []


def test_a_huge_id_in_a_page_form_is_a_4xx(client, office, campaign):
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/meetings/new/",
        {"kind": "coordination", "title": "协调会", "date": "2018-09-01", "attendees": [HUGE]},
    )
    from qualitycity.campaigns.models import Meeting

    assert response.status_code in (200, 400)  # the form again with its error, not a 500
    assert "有效的" in response.content.decode()
    assert not Meeting.objects.exists()
