"""Forms of the office's campaign administration: the new campaign with its phase rows, the
campaign's settings, one phase, one measure. Fields check what a form can; the rest is the
services' (campaigns.services.setup), whose refusals the pages show."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from qualitycity.frameworks.models import Framework
from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Region

from .models import Campaign
from .phases import PhaseDates, phase_problems

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PHASE_ROWS = 12
# The printed plan's four phases, offered as the first rows of a new campaign (dates left blank).
DEFAULT_PHASE_NAMES = ("规划筹建阶段", "全面推进阶段", "巩固提升阶段", "总结验收阶段")
# Rows that keep the offered name and nothing else are left out, on the first view and after.
DEFAULT_PHASE_ROWS = [{"name": name} for name in DEFAULT_PHASE_NAMES]


class SettingsForm(StyledForm):
    """A campaign's name, dates and reporting settings."""

    name = forms.CharField(label=_("名称"), max_length=200)
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    report_period = forms.ChoiceField(
        label=_("填报周期"), choices=Campaign._meta.get_field("report_period").choices
    )
    report_deadline_days = forms.IntegerField(
        label=_("填报截止(周期结束后天数)"), min_value=0, max_value=60, initial=5
    )
    blue_days = forms.IntegerField(
        label=_("蓝色督办提前天数"), min_value=0, max_value=60, initial=3
    )
    grace_days = forms.IntegerField(
        label=_("新任务宽限天数"),
        min_value=0,
        max_value=90,
        initial=7,
        help_text=Campaign._meta.get_field("grace_days").help_text,
    )
    reports_from = forms.ChoiceField(
        label=_("进展填报单位"),
        choices=Campaign._meta.get_field("reports_from").choices,
        help_text=Campaign._meta.get_field("reports_from").help_text,
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class CampaignForm(SettingsForm):
    """A new campaign: its region (an administrator's choice), its framework, what to set up."""

    field_order = ["region", "name", "framework"]
    region = forms.ModelChoiceField(label=_("行政区"), queryset=Region.objects.none())
    framework = forms.ModelChoiceField(
        label=_("考核评分体系"), queryset=Framework.objects.order_by("code", "-version")
    )
    builtin_measures = forms.BooleanField(
        label=_("导入实施方案的 25 项主要措施"),
        required=False,
        initial=True,
        help_text=_("措施的责任单位按本行政区的单位名录匹配;名录中找不到的名称会使创建失败。"),
    )
    tasks_phase = forms.ChoiceField(
        label=_("生成工作任务"),
        required=False,
        help_text=_("按责任分工为每个责任单位生成任务,完成期限为所选阶段的结束日期。"),
    )

    def __init__(self, *args, regions, phase_rows: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None
        self.fields["framework"].empty_label = None
        self.fields["tasks_phase"].choices = [("", _("暂不生成"))] + [
            (str(i), _("为第%(n)s个阶段生成") % {"n": i + 1}) for i in range(phase_rows)
        ]
        self.fields["framework"].label_from_instance = lambda f: f"{f.title} v{f.version}"


class PhaseForm(StyledForm):
    name = forms.CharField(label=_("阶段名称"), max_length=100)
    start = forms.DateField(label=_("开始日期"), widget=DATE)
    end = forms.DateField(label=_("结束日期"), widget=DATE)
    description = forms.CharField(
        max_length=2000,
        label=_("工作内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BasePhaseFormSet(forms.BaseFormSet):
    """Every row is an extra row (a row left as offered is no phase); the first rows offer the
    plan's four phase names."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(DEFAULT_PHASE_ROWS):
            kwargs["initial"] = DEFAULT_PHASE_ROWS[index]
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def kept(self) -> list[forms.Form]:
        """The filled rows not marked for removal, in order."""
        return [
            f
            for f in self.forms
            if f.has_changed() and not (self.can_delete and self._should_delete_form(f))
        ]

    def check_against(self, start, end) -> bool:
        """Put the phase rules' problems on the rows' fields; False when there are any."""
        rows = self.kept()
        problems = phase_problems(
            start,
            end,
            [
                PhaseDates(
                    i, f.cleaned_data["name"], f.cleaned_data["start"], f.cleaned_data["end"]
                )
                for i, f in enumerate(rows)
            ],
        )
        for p in problems:
            if p.index is None:
                self._non_form_errors = self.error_class([*self.non_form_errors(), p.message])
            else:
                rows[p.index].add_error(p.field or None, p.message)
        return not problems


PhaseFormSet = forms.formset_factory(
    PhaseForm,
    formset=BasePhaseFormSet,
    extra=len(DEFAULT_PHASE_ROWS),
    can_delete=True,
    max_num=MAX_PHASE_ROWS,
    absolute_max=MAX_PHASE_ROWS,
    validate_max=True,
)


class MeasureForm(StyledForm):
    number = forms.IntegerField(label=_("序号"), min_value=1, max_value=999)
    section = forms.CharField(label=_("所属部分"), max_length=200, required=False)
    title = forms.CharField(label=_("措施"), max_length=200)
    text = forms.CharField(
        max_length=5000, label=_("内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    bracket = forms.CharField(
        label=_("责任分工(原文)"),
        max_length=500,
        required=False,
        help_text=_("如实施方案所印,例如“(市质监局牵头,各成员单位配合)”。"),
    )
    lead_units = forms.CharField(
        max_length=2000,
        label=_("牵头单位"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("单位名录中的名称或别名,用顿号或换行分隔。"),
    )
    cooperating_units = forms.CharField(
        max_length=2000,
        label=_("配合单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    criteria = forms.CharField(
        label=_("对应评分细则"),
        required=False,
        max_length=2000,
        help_text=_("评分细则编号,例如 1.1.1、2.3.2。"),
    )
