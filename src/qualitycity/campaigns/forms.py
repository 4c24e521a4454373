"""Forms of the campaign pages: task filters and the task form, the office's task actions,
progress reports, supervision notices and meetings.

Fields check what a form can (choices, dates, required values); the rules that need the service
(empty titles, dates within the campaign, which tasks may be supervised) are left to
campaigns.services, whose refusals the pages show. The evidence picker is the evidence app's
`EvidenceChoice`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity.evidence.forms import EvidenceChoice
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.forms import IdsChoiceField, StyledForm
from qualitycity.orgs.models import Unit
from qualitycity.orgs.services import name_index

from . import events, queries, supervision
from .access import visible_tasks
from .choices import MeetingKind, NoticeStatus, RobotKind, TaskStatus, WorkRole
from .models import Campaign, Phase, Task

NO_COLOUR = "none"  # the task filters' value for tasks without a 督办 colour
TASK_COLOUR_CHOICES = [
    ("", gettext_lazy("全部颜色")),
    (supervision.RED, gettext_lazy("红色(已逾期)")),
    (supervision.YELLOW, gettext_lazy("黄色(进度滞后)")),
    (supervision.BLUE, gettext_lazy("蓝色(即将到期)")),
    (NO_COLOUR, gettext_lazy("无颜色(正常或已完成)")),
]

COLOUR_LABELS = {
    supervision.RED: gettext_lazy("红色"),
    supervision.YELLOW: gettext_lazy("黄色"),
    supervision.BLUE: gettext_lazy("蓝色"),
}
NOTICE_COLOUR_CHOICES = [(c, COLOUR_LABELS[c]) for c in queries.COLOURS]
DATE_ERRORS = {"invalid": gettext_lazy("日期无效,请按“年-月-日”填写。")}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


def _active_units(campaign: Campaign) -> Any:
    """The active units of the campaign's own directory: nobody else's can be given work."""
    return Unit.objects.filter(region_id=campaign.region_id, is_active=True).order_by(
        "position", "code"
    )


def _compact_select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select w-auto"})


# --- tasks ------------------------------------------------------------------------------------


class MyTaskFilter(StyledForm):
    colour = forms.ChoiceField(
        label=gettext_lazy("督办颜色"),
        required=False,
        choices=TASK_COLOUR_CHOICES,
        widget=_compact_select(),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("职责"),
        required=False,
        choices=[("", gettext_lazy("全部职责")), *WorkRole.choices],
        widget=_compact_select(),
    )


class TaskFilter(MyTaskFilter):
    q = forms.CharField(label=gettext_lazy("任务名称"), required=False, max_length=100)
    unit = UnitChoice(
        label=gettext_lazy("责任单位"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("全部单位"),
    )
    phase = forms.ModelChoiceField(
        label=gettext_lazy("工作阶段"),
        required=False,
        queryset=Phase.objects.none(),
        empty_label=gettext_lazy("全部阶段"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *TaskStatus.choices],
    )
    # By measure (主要措施), scoring row (评分细则) and dimension (指标项): plain choices built
    # from the campaign in two queries, so a value of another campaign, a word or an id too
    # large for the database is simply not a choice (reported by `invalid_filters`, ignored).
    measure = forms.TypedChoiceField(
        label=gettext_lazy("主要措施"), required=False, coerce=int, empty_value=None
    )
    dimension = forms.TypedChoiceField(
        label=gettext_lazy("指标项"), required=False, coerce=int, empty_value=None
    )
    criterion = forms.TypedChoiceField(
        label=gettext_lazy("评分细则"), required=False, coerce=int, empty_value=None
    )
    field_order = [
        "q",
        "unit",
        "role",
        "phase",
        "status",
        "colour",
        "measure",
        "dimension",
        "criterion",
    ]

    def __init__(self, *args: Any, campaign: Campaign, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["phase"].queryset = campaign.phases.all()
        measures = list(campaign.measures.order_by("number").values_list("pk", "number", "title"))
        self.measure_numbers = {pk: number for pk, number, _title in measures}
        self.fields["measure"].choices = [
            ("", _("全部措施")),
            *((pk, _short(f"{number}、{title}")) for pk, number, title in measures),
        ]
        dimensions: dict[int, str] = {}
        rows: dict[str, list[tuple[int, str]]] = {}
        for pk, key, text, dim_id, dim_number, dim_title in (
            Criterion.objects.filter(framework_id=campaign.framework_id)
            .order_by("item__dimension__position", "item__dimension__number", "position")
            .values_list(
                "pk",
                "key",
                "text",
                "item__dimension_id",
                "item__dimension__number",
                "item__dimension__title",
            )
        ):
            label = _short(f"{dim_number}、{dim_title}")
            dimensions.setdefault(dim_id, label)
            rows.setdefault(label, []).append((pk, _short(f"{key} {text}")))
        self.fields["dimension"].choices = [("", _("全部指标项")), *dimensions.items()]
        self.fields["criterion"].choices = [("", _("全部细则")), *rows.items()]

    def invalid_filters(self) -> list[str]:
        """The labels of the fields whose value was not understood (and is ignored)."""
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TaskForm(StyledForm):
    # An empty title is refused by services.add_task, with its own message.
    title = forms.CharField(label=gettext_lazy("任务名称"), max_length=500, required=False)
    unit = UnitChoice(
        label=gettext_lazy("责任单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("请选择单位"),
        error_messages={"required": gettext_lazy("请选择责任单位。")},
    )
    role = forms.ChoiceField(
        label=gettext_lazy("职责"), choices=WorkRole.choices, initial=WorkRole.LEAD
    )
    phase = forms.ModelChoiceField(
        label=gettext_lazy("工作阶段"),
        required=False,
        queryset=Phase.objects.none(),
        empty_label=gettext_lazy("不指定"),
    )
    start = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=_date_widget(),
        error_messages=DATE_ERRORS,
    )
    due = forms.DateField(
        label=gettext_lazy("完成期限"),
        required=False,
        widget=_date_widget(),
        error_messages=DATE_ERRORS,
        help_text=gettext_lazy("不填时为所选工作阶段的结束日期。"),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units(campaign)
        self.fields["phase"].queryset = campaign.phases.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("due") and "due" not in self.errors:
            if data.get("phase"):
                data["due"] = data["phase"].end
            else:
                self.add_error("due", _("请填写完成期限,或选择工作阶段(期限默认为阶段结束日期)。"))
        return data


class GenerateForm(forms.Form):
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.none(),
        error_messages={
            "required": gettext_lazy("请选择工作阶段。"),
            "invalid_choice": gettext_lazy("所选工作阶段不属于本创建工作。"),
        },
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all()


class ReassignForm(StyledForm):
    unit = UnitChoice(
        label=gettext_lazy("新的责任单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("请选择单位"),
        error_messages={
            "required": gettext_lazy("请选择新的责任单位。"),
            "invalid_choice": gettext_lazy("所选单位不存在或已停用。"),
        },
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units(campaign)


class RedateForm(StyledForm):
    due = forms.DateField(
        label=gettext_lazy("新的完成期限"),
        widget=_date_widget(),
        error_messages={"required": gettext_lazy("请填写新的完成期限。"), **DATE_ERRORS},
    )


class CancelForm(StyledForm):
    # An empty reason is refused by services.cancel_task, with its own message.
    reason = forms.CharField(
        max_length=2000,
        label=gettext_lazy("取消原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SPLIT_SEPARATOR = re.compile(r"\s*[|｜]\s*")


class SplitForm(StyledForm):
    parts = forms.CharField(
        max_length=10000,
        label=gettext_lazy("子任务"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "每行一项:任务名称 | 责任单位 | 完成期限(年-月-日),至少两行。原任务将被取消。"
        ),
        error_messages={"required": gettext_lazy("请填写子任务,每行一项。")},
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_parts(self) -> list[tuple[str, Unit, dt.date]]:
        index = name_index(self.campaign.region_id)
        rows: list[tuple[str, int, dt.date]] = []
        problems = []
        lines = [line.strip() for line in self.cleaned_data["parts"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            fields = SPLIT_SEPARATOR.split(line)
            if len(fields) != 3:
                problems.append(
                    _("第 %(n)s 行:请按“任务名称 | 责任单位 | 完成期限”填写。") % {"n": number}
                )
                continue
            title, name, day = fields
            ref = index.get(name)
            if ref is None:
                problems.append(
                    _("第 %(n)s 行:未找到单位“%(name)s”。") % {"n": number, "name": name}
                )
            elif ref.kind != "unit":
                problems.append(
                    _("第 %(n)s 行:“%(name)s”是单位组,请填写具体单位。")
                    % {"n": number, "name": name}
                )
            try:
                due = dt.date.fromisoformat(day)
            except ValueError:
                problems.append(
                    _("第 %(n)s 行:日期“%(d)s”无效,请按“年-月-日”填写。") % {"n": number, "d": day}
                )
                continue
            if ref is not None and ref.kind == "unit":
                rows.append((title, ref.pk, due))
        if problems:
            raise forms.ValidationError(problems)
        units = Unit.objects.in_bulk([pk for _title, pk, _due in rows])
        return [(title, units[pk], due) for title, pk, due in rows]


class ProgressForm(StyledForm):
    progress = forms.IntegerField(
        label=gettext_lazy("进度(%)"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        error_messages={
            "required": gettext_lazy("请填写进度。"),
            "invalid": gettext_lazy("进度必须是 0 到 100 之间的整数。"),
        },
    )
    done = forms.BooleanField(label=gettext_lazy("标记为已完成"), required=False)


# --- progress reports -------------------------------------------------------------------------


class ReportForm(StyledForm):
    # Empty text on submit and percents outside 0…100 are refused by services.save_report.
    text = forms.CharField(
        max_length=10000,
        label=gettext_lazy("进展情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    percent = forms.IntegerField(
        label=gettext_lazy("完成百分比(%)"),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        error_messages={
            "required": gettext_lazy("请填写完成百分比。"),
            "invalid": gettext_lazy("完成百分比必须是 0 到 100 之间的整数。"),
        },
    )
    evidence = EvidenceChoice(label=gettext_lazy("佐证材料(可多选)"))

    def __init__(self, *args: Any, user: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].limit_to(user, task.campaign_id)


# --- supervision notices ----------------------------------------------------------------------


class NoticeFilter(StyledForm):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *NoticeStatus.choices],
    )
    colour = forms.ChoiceField(
        label=gettext_lazy("督办等级"),
        required=False,
        choices=[("", gettext_lazy("全部等级")), *NOTICE_COLOUR_CHOICES],
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("督办单位"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("全部单位"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NoticeForm(StyledForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("督办单位"),
        queryset=Unit.objects.none(),
        empty_label=gettext_lazy("请选择单位"),
        error_messages={
            "required": gettext_lazy("请选择督办单位。"),
            "invalid_choice": gettext_lazy("所选单位在本创建工作中没有任务。"),
        },
    )
    # Any task of the campaign: services.issue_notice says which ones may not be supervised.
    tasks = IdsChoiceField(
        label=gettext_lazy("督办任务"),
        queryset=Task.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("所选任务不存在。"),
            "invalid_pk_value": gettext_lazy("所选任务不存在。"),
        },
    )
    content = forms.CharField(
        max_length=5000,
        label=gettext_lazy("督办事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    response_due = forms.DateField(
        label=gettext_lazy("反馈期限"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("请填写反馈期限。"),
            "invalid": gettext_lazy("反馈期限不是有效的日期,请按“年-月-日”填写。"),
        },
    )

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=Task.objects.filter(campaign=campaign).values("unit_id")
        )
        self.fields["tasks"].queryset = visible_tasks(user).filter(campaign=campaign)


class ResponseForm(StyledForm):
    # Empty responses are refused by services.respond_notice, with its own message.
    response = forms.CharField(
        max_length=5000,
        label=gettext_lazy("反馈情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# --- meetings ---------------------------------------------------------------------------------


class MeetingForm(StyledForm):
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=gettext_lazy("会议名称"), max_length=300)
    date = forms.DateField(
        label=gettext_lazy("会议日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("请填写会议日期。"),
            "invalid": gettext_lazy("会议日期不是有效的日期,请按“年-月-日”填写。"),
        },
    )
    attendees = IdsChoiceField(
        label=gettext_lazy("参会单位(可多选)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={"invalid_choice": gettext_lazy("所选单位不存在。")},
    )
    minutes = forms.CharField(
        max_length=20000,
        label=gettext_lazy("会议纪要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = EvidenceChoice(label=gettext_lazy("附件(从本创建工作的佐证材料中选择,可多选)"))

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _active_units(campaign)
        self.fields["attachments"].limit_to(user, campaign.pk)


class DecisionsForm(StyledForm):
    lines = forms.CharField(
        max_length=20000,
        label=gettext_lazy("会议决定"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "每行一项:决定事项 | 责任单位 | 完成期限(YYYY-MM-DD),全部有效才会生成任务。"
        ),
    )


class RobotForm(StyledForm):
    """A group robot (群机器人) for the campaign or one of its units."""

    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=RobotKind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    webhook = forms.URLField(
        label=gettext_lazy("Webhook 地址"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("在企业微信或钉钉群里添加“自定义机器人”后复制的地址。"),
    )
    secret = forms.CharField(
        label=gettext_lazy("加签密钥"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("钉钉机器人开启“加签”时填写(SEC 开头);企业微信不需要。"),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("单位"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部事件(不限单位)"),
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("推送事件"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("不选:推送全部事件。"),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            region_id=campaign.region_id, is_active=True
        ).order_by("position", "name")
        self.fields["events"].choices = [(e.key, e.label) for e in events.EVENTS.values()]


# --- the unit's monthly report (月报) ----------------------------------------------------------


class MonthlyRowForm(StyledForm):
    """One task's row of the 月报 (prefix `t<task id>`). The evidence choices are the page's one
    list of the campaign's evidence, so checking every row costs no query; empty text on submit
    and percents outside 0…100 are refused by services.save_report (per task)."""

    text = forms.CharField(
        label=gettext_lazy("进展情况"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    percent = forms.CharField(
        label=gettext_lazy("完成百分比(%)"),
        required=False,
        max_length=10,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
    )
    evidence = forms.TypedMultipleChoiceField(
        label=gettext_lazy("佐证材料(可多选)"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={"invalid_choice": gettext_lazy("所选佐证材料不存在,或您无权使用。")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = choices

    def percent_value(self) -> int | None:
        raw = (self.cleaned_data.get("percent") or "").strip()
        return int(raw) if re.fullmatch(r"\d{1,3}", raw) else None


class MonthlyUploadForm(forms.Form):
    """A file uploaded from inside a 月报 row (prefix `up<task id>`)."""

    file = forms.FileField(
        label=gettext_lazy("文件"),
        allow_empty_file=True,  # the upload service refuses empty files with its own message
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=300, required=False)


class MonthlyDecisionForm(forms.Form):
    """The office's decision on the 月报 (no task) or on one task in it."""

    decision = forms.ChoiceField(
        choices=[("accept", "accept"), ("return", "return")],
        error_messages={
            "required": gettext_lazy("请选择采纳或退回。"),
            "invalid_choice": gettext_lazy("请选择采纳或退回。"),
        },
    )
    task = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "invalid": gettext_lazy("所选任务不在本期月报中。"),
            "min_value": gettext_lazy("所选任务不在本期月报中。"),
            "max_value": gettext_lazy("所选任务不在本期月报中。"),
        },
    )
    comment = forms.CharField(required=False, max_length=5000)


class PlanTextForm(StyledForm):
    """The 主要措施 of a plan: pasted, or the plan's file (.docx or .txt)."""

    text = forms.CharField(
        label=gettext_lazy("计划文本"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "粘贴实施方案的“主要措施”部分(或整篇方案),每项措施以“1、”“2、”……开头,"
            "责任分工写在句末括号中,如“(市质监局牵头,市发改委、市财政局等单位配合落实)”。"
        ),
        error_messages={"max_length": gettext_lazy("文本过长:最多 %(limit_value)s 个字符。")},
    )
    file = forms.FileField(
        label=gettext_lazy("或上传方案文件"),
        required=False,
        help_text=gettext_lazy("Word(.docx)或文本(.txt)文件,不超过 5 MB。"),
        error_messages={"empty": gettext_lazy("文件是空的。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "\x00" in (data.get("text") or ""):
            self.add_error("text", _("文本中含有无法识别的控制字符。"))
        elif not (data.get("text") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("请粘贴方案文本或上传方案文件。"))
        return data
