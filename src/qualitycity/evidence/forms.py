"""The evidence picker: choose evidence of one campaign among what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qualitycity.orgs.forms import IdsChoiceField

from .access import visible_evidence
from .models import Evidence


class EvidenceChoice(IdsChoiceField):
    """Pick evidence of one campaign among what the user may see (reports, fixes, meetings)."""

    def __init__(self, *, label: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 6}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _("所选佐证材料不存在,或您无权使用。"),
                "invalid_pk_value": _("所选佐证材料不存在,或您无权使用。"),
            },
        )
        super().__init__(queryset=Evidence.objects.none(), label=label, **kwargs)

    def limit_to(self, user: Any, campaign_id: int) -> None:
        self.queryset = (
            visible_evidence(user)
            .filter(campaign_id=campaign_id)
            .select_related("unit")
            .order_by("-effective_date", "-pk")
        )

    def label_from_instance(self, obj: Evidence) -> str:
        return gettext("%(title)s(%(unit)s,%(date)s)") % {
            "title": obj.title,
            "unit": obj.unit.name,
            "date": obj.effective_date.isoformat(),
        }
