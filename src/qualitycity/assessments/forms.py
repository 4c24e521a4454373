"""Forms of the assessment pages: rounds, rectification (整改) and the evidence library (佐证材料).

The library lives here because an upload may be linked to open rounds; the evidence itself, its
files and the picker are the evidence app's.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from qualitycity.campaigns.models import Campaign
from qualitycity.evidence.forms import EvidenceChoice
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.forms import IdsChoiceField, StyledForm
from qualitycity.orgs.models import Unit, User

from .access import assessor_candidates, visible_findings, visible_rounds
from .choices import FindingStatus, RoundKind, RoundStatus
from .models import Finding, Round

KEY_SEPARATORS = re.compile(r"[\s,,、;;]+")


def split_keys(raw: str) -> list[str]:
    """Criterion keys typed as "2.4.3, 3.1.1" (commas, 、, semicolons or spaces), without repeats."""
    return list(dict.fromkeys(key for key in KEY_SEPARATORS.split(raw or "") if key))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EvidenceFilterForm(StyledForm):
    """The library's search bar; every field is optional and invalid ones are ignored."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    campaign = forms.ModelChoiceField(
        label=_("创建工作"), queryset=Campaign.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("提供单位"), queryset=Unit.objects.none(), required=False, empty_label=_("全部单位")
    )
    criterion = forms.CharField(label=_("评分细则编号"), required=False, max_length=30)
    date_from = forms.DateField(label=_("材料日期从"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("材料日期至"), required=False, widget=DateInput())

    def __init__(self, *args, campaigns: QuerySet[Campaign], units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = _("全部创建工作")
        self.fields["unit"].queryset = units
        self.fields["q"].widget.attrs["placeholder"] = _("标题、说明或文件名")
        self.fields["criterion"].widget.attrs["placeholder"] = _("例如 2.4.3")

    def value(self, name: str):
        """The cleaned value of a valid field, None for an empty or invalid one."""
        if not self.is_bound:
            return None
        self.is_valid()
        if name in self.errors:
            return None
        return self.cleaned_data.get(name) or None

    def apply(self, qs: QuerySet[Evidence]) -> QuerySet[Evidence]:
        if campaign := self.value("campaign"):
            qs = qs.filter(campaign=campaign)
        if unit := self.value("unit"):
            qs = qs.filter(unit=unit)
        if key := (self.value("criterion") or "").strip().rstrip("."):
            # "2.4.3" is one criterion; "2.4" every criterion under item 2.4.
            linked = Evidence.criteria.through.objects.filter(
                Q(criterion__key=key) | Q(criterion__key__startswith=key + ".")
            ).values("evidence_id")
            qs = qs.filter(pk__in=linked)
        if start := self.value("date_from"):
            qs = qs.filter(effective_date__gte=start)
        if end := self.value("date_to"):
            qs = qs.filter(effective_date__lte=end)
        if text := (self.value("q") or "").strip():
            qs = qs.filter(
                Q(title__icontains=text)
                | Q(description__icontains=text)
                | Q(original_name__icontains=text)
            )
        return qs

    def limit_units(self, campaigns: list[Campaign]) -> None:
        """List the units of the chosen campaign's region, or of the only region among
        `campaigns`; across several regions (a province holds thousands of units) none, until a
        campaign is chosen. Call after filtering: a unit sent from elsewhere is still read."""
        chosen = self.value("campaign")
        regions = {chosen.region_id} if chosen else {c.region_id for c in campaigns}
        field = self.fields["unit"]
        if len(regions) == 1:
            field.queryset = field.queryset.filter(region_id__in=regions)
        else:
            field.queryset = field.queryset.none()
            field.empty_label = _("全部单位(先选择创建工作可按单位筛选)")

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.value(name) for name in self.fields)


class RoundChoiceField(IdsChoiceField):
    def __init__(self, *args, with_campaign: bool = False, **kwargs):
        self.with_campaign = with_campaign
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Round) -> str:
        dates = f"{obj.start:%Y-%m-%d} — {obj.end:%Y-%m-%d}"
        if self.with_campaign:
            return f"{obj.name}({obj.campaign.name},{dates})"
        return f"{obj.name}({dates})"


class EvidenceUploadForm(StyledForm):
    campaign = forms.ModelChoiceField(label=_("创建工作"), queryset=Campaign.objects.none())
    file = forms.FileField(
        label=_("文件"),
        allow_empty_file=True,  # the service refuses empty files with its own message
        help_text=_("可上传 pdf、doc/docx、xls/xlsx、ppt/pptx、jpg/png、zip,按文件内容识别类型。"),
    )
    title = forms.CharField(label=_("标题"), max_length=300)
    unit = forms.ModelChoiceField(label=_("提供单位"), queryset=Unit.objects.none())
    effective_date = forms.DateField(
        label=_("材料日期"),
        widget=DateInput(),
        help_text=_("材料形成或印发的日期,例如文件的印发日期。"),
    )
    description = forms.CharField(
        max_length=2000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=_("关联评分细则"),
        required=False,
        max_length=2000,
        help_text=_("填写评分细则编号,多个编号用逗号或空格分隔,例如 2.4.3, 3.1.1。"),
    )
    rounds = RoundChoiceField(
        label=_("关联考核轮次"),
        queryset=Round.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(
        self,
        *args,
        campaigns: QuerySet[Campaign],
        units: QuerySet[Unit],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        campaign_list = list(campaigns)
        self.single_campaign = campaign_list[0] if len(campaign_list) == 1 else None
        self.fields["campaign"].queryset = campaigns
        if self.single_campaign is not None:
            self.fields["campaign"].widget = forms.HiddenInput()
            self.fields["campaign"].initial = self.single_campaign.pk
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("请选择")
        unit_list = list(units)
        if len(unit_list) == 1:
            self.fields["unit"].initial = unit_list[0].pk
            self.fields["unit"].empty_label = None
        self.fields["rounds"].queryset = (
            Round.objects.filter(campaign__in=campaigns, status=RoundStatus.OPEN)
            .select_related("campaign")
            .order_by("campaign", "start", "pk")
        )
        self.fields["rounds"].with_campaign = self.single_campaign is None
        self.fields["criteria"].widget.attrs["placeholder"] = _("例如 2.4.3, 3.1.1")
        self.criteria_found: list[Criterion] = []

    def clean(self):
        data = super().clean()
        campaign = data.get("campaign")
        keys = split_keys(data.get("criteria", ""))
        if campaign is not None and keys:
            found = {
                c.key: c
                for c in Criterion.objects.filter(framework_id=campaign.framework_id, key__in=keys)
            }
            missing = [key for key in keys if key not in found]
            if missing:
                self.add_error(
                    "criteria",
                    _("评分细则编号“%(keys)s”不在本创建工作的考核评分体系中。")
                    % {"keys": "、".join(missing)},
                )
            self.criteria_found = [found[key] for key in keys if key in found]
        rounds = data.get("rounds") or []
        if campaign is not None and any(r.campaign_id != campaign.pk for r in rounds):
            self.add_error("rounds", _("所选考核轮次不属于所选的创建工作。"))
        return data


# --- rounds ---------------------------------------------------------------------------------


class RoundForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=RoundKind.choices)
    start = forms.DateField(
        label=gettext_lazy("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("结束日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assessors = IdsChoiceField(
        label=gettext_lazy("评审专家"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.data.get("kind") if self.is_bound else None
        self.fields["assessors"].queryset = assessor_candidates(
            campaign, kind if kind in RoundKind.values else None
        )


class AssessorsForm(forms.Form):
    """The round's assessors, as checkboxes (usable on a phone): the candidates of
    `access.assessor_candidates`; the service checks them again."""

    assessors = IdsChoiceField(
        label=gettext_lazy("评审专家"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("所选人员不是本地区或上级地区的在职评审专家。"),
            "invalid_pk_value": gettext_lazy("所选人员不是本地区或上级地区的在职评审专家。"),
        },
    )

    def __init__(self, *args, candidates: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = candidates


# --- rectification ----------------------------------------------------------------------------


class DueForm(forms.Form):
    due = forms.DateField(
        error_messages={
            "required": gettext_lazy("请填写整改期限。"),
            "invalid": gettext_lazy("整改期限不是有效的日期,请按“年-月-日”填写。"),
        }
    )


class FixForm(StyledForm):
    # Empty notes are refused by services.mark_fixed, with its own message.
    note = forms.CharField(
        max_length=5000,
        label=gettext_lazy("整改情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = EvidenceChoice(label=gettext_lazy("整改佐证(可多选)"))

    def __init__(self, *args: Any, user: Any, finding: Finding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].limit_to(user, finding.round.campaign_id)


class SendBackForm(StyledForm):
    # Empty reasons are refused by services.send_back_finding, with its own message.
    reason = forms.CharField(
        max_length=2000,
        label=gettext_lazy("退回原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FindingFilter(StyledForm):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *FindingStatus.choices],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("责任单位"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("全部单位"),
    )
    round = forms.ModelChoiceField(
        label=gettext_lazy("考核轮次"),
        required=False,
        queryset=Round.objects.none(),
        empty_label=gettext_lazy("全部轮次"),
    )
    overdue = forms.BooleanField(label=gettext_lazy("只看已逾期"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=visible_findings(user).values("unit_id")
        )
        self.fields["round"].queryset = visible_rounds(user).order_by("-start", "-pk")
