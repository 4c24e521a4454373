"""The multiple choice of objects renders as a picker: checkboxes and a search box (no Ctrl-click),
whatever multiple-choice widget a form names; its validation is IdsChoiceField's."""

from __future__ import annotations

import pytest
from django import forms

from qualitycity.orgs.forms import IdsChoiceField, PickerWidget
from qualitycity.orgs.models import Unit

pytestmark = pytest.mark.django_db


class Pick(forms.Form):
    units = IdsChoiceField(
        label="单位",
        queryset=Unit.objects.filter(name__in=["市质监局", "市住建局"]),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )


def test_a_select_multiple_becomes_checkboxes_with_a_search_box(orgs):
    form = Pick(data={"units": [str(Unit.objects.get(name="市质监局").pk)]})
    assert isinstance(form.fields["units"].widget, PickerWidget)
    html = str(form["units"])
    assert "<select" not in html and 'size="10"' not in html
    assert html.count('type="checkbox"') == 2 and html.count("checked") == 1
    assert 'id="id_units_search"' in html and "hidden" in html  # shown by web/ui.js
    assert form["units"].id_for_label == "id_units_search"
    assert 'data-search="永州市质量技术监督局"' in html  # the full name is searched too


def test_a_field_with_no_choices_says_so(orgs):
    form = Pick()
    form.fields["units"].queryset = Unit.objects.none()
    assert "暂无可选项。" in str(form["units"])


def test_the_validation_is_unchanged(orgs):
    assert not Pick(data={"units": ["9" * 23]}).is_valid()
    other = Unit.objects.exclude(name__in=["市质监局", "市住建局"]).first()
    refused = Pick(data={"units": [str(other.pk)]})
    assert not refused.is_valid() and "units" in refused.errors
