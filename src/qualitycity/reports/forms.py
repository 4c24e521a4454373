from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitycity.assessments.choices import RoundKind


class LeagueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("考核类型"),
        required=False,
        choices=[("", _("全部类型")), *RoundKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
