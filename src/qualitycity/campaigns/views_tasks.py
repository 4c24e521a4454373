"""Tasks (工作任务) and progress reports (进展填报): 我的任务, the task list, a task's detail and the
office's actions on it, writing and reviewing reports, and in-app notifications.

Every write goes through campaigns.services; a refused change comes back as Chinese messages on the page
and changes nothing. A forbidden action answers 404, like a task the user may not see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock
from qualitycity.audit.models import AuditEvent
from qualitycity.errors import DomainError, NotAllowed
from qualitycity.evidence.forms import EvidenceChoice
from qualitycity.orgs.access import liaison_unit_ids
from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Unit
from qualitycity.orgs.services import name_index

from . import rules, services, supervision
from .access import (
    access_campaign,
    access_report,
    access_task,
    manages_campaign,
    sees_all_work,
    visible_campaigns,
    visible_notices,
    visible_tasks,
)
from .choices import NoticeStatus, ReportStatus, TaskStatus, WorkRole
from .models import Campaign, Notification, Phase, ProgressReport, Task

TASK_OBJECT_TYPE = "campaigns.task"
REPORT_OBJECT_TYPE = "campaigns.progressreport"
PER_PAGE = 100
NOTIFICATIONS_PER_PAGE = 50
NO_COLOUR = "none"
DUE_SHOWN = 10  # reports due listed on 我的任务 before "show all"
COLOUR_ORDER = {supervision.RED: 0, supervision.YELLOW: 1, supervision.BLUE: 2, NO_COLOUR: 3}
COLOUR_CHOICES = [
    ("", gettext_lazy("全部颜色")),
    (supervision.RED, gettext_lazy("红色(已逾期)")),
    (supervision.YELLOW, gettext_lazy("黄色(进度滞后)")),
    (supervision.BLUE, gettext_lazy("蓝色(即将到期)")),
    (NO_COLOUR, gettext_lazy("无颜色(正常或已完成)")),
]
DATE_ERRORS = {"invalid": gettext_lazy("日期无效,请按“年-月-日”填写。")}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# --- small read helpers -----------------------------------------------------------------------


def colour_of(task: Task, today: dt.date) -> str:
    """The task's 督办 colour, or NO_COLOUR (done, cancelled or on track)."""
    return supervision.task_colour(task, today) or NO_COLOUR


def _managed(user: Any, campaigns: Iterable[Campaign]) -> list[Campaign]:
    return [c for c in campaigns if manages_campaign(user, c)]


def _form_messages(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _domain_messages(request: HttpRequest, exc: DomainError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- forms ------------------------------------------------------------------------------------


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


def _active_units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("position", "code")


def _compact_select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select w-auto"})


class MyTaskFilter(StyledForm):
    colour = forms.ChoiceField(
        label=gettext_lazy("督办颜色"),
        required=False,
        choices=COLOUR_CHOICES,
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
    field_order = ["q", "unit", "role", "phase", "status", "colour"]

    def __init__(self, *args: Any, campaign: Campaign, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["phase"].queryset = campaign.phases.all()


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
        self.fields["unit"].queryset = _active_units()
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units()


class RedateForm(StyledForm):
    due = forms.DateField(
        label=gettext_lazy("新的完成期限"),
        widget=_date_widget(),
        error_messages={"required": gettext_lazy("请填写新的完成期限。"), **DATE_ERRORS},
    )


class CancelForm(StyledForm):
    # An empty reason is refused by services.cancel_task, with its own message.
    reason = forms.CharField(
        label=gettext_lazy("取消原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


SPLIT_SEPARATOR = re.compile(r"\s*[|｜]\s*")


class SplitForm(StyledForm):
    parts = forms.CharField(
        label=gettext_lazy("子任务"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "每行一项:任务名称 | 责任单位 | 完成期限(年-月-日),至少两行。原任务将被取消。"
        ),
        error_messages={"required": gettext_lazy("请填写子任务,每行一项。")},
    )

    def clean_parts(self) -> list[tuple[str, Unit, dt.date]]:
        index = name_index()
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


class ReportForm(StyledForm):
    # Empty text on submit and percents outside 0…100 are refused by services.save_report.
    text = forms.CharField(
        label=gettext_lazy("进展情况"), required=False, widget=forms.Textarea(attrs={"rows": 6})
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


# --- 我的任务 ----------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    colour: str


@dataclass
class DueReport:
    task: Task
    period: supervision.Period
    report: ProgressReport | None
    overdue: bool


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """A liaison's own units' tasks, reports due, returned reports and notices awaiting response.

    A fixed number of queries however many tasks there are: tasks, their reports, notices."""
    user = request.user
    today = clock.today()
    unit_ids = liaison_unit_ids(user)
    campaigns = list(visible_campaigns(user))
    form = MyTaskFilter(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context: dict[str, Any] = {
        "today": today,
        "form": form,
        "is_liaison": bool(unit_ids),
        "managed": _managed(user, campaigns),
        "readable": campaigns if sees_all_work(user) else [],
    }
    if unit_ids:
        own = (
            visible_tasks(user)
            .filter(unit_id__in=unit_ids)
            .exclude(status=TaskStatus.CANCELLED)
            .order_by("due", "pk")
        )
        tasks = list(own)
        by_id = {t.pk: t for t in tasks}
        reports: dict[tuple[int, dt.date], ProgressReport] = {}
        returned = []
        for report in ProgressReport.objects.filter(task__in=own.values("pk")).order_by(
            "-period_start", "task_id"
        ):
            report.task = by_id[report.task_id]
            report.period = supervision.Period(
                report.period_start, report.period_end, report.deadline
            )
            reports[(report.task_id, report.period_start)] = report
            if report.status == ReportStatus.RETURNED:
                returned.append(report)
        due = []
        for task in tasks:
            if task.status == TaskStatus.DONE:
                continue
            for period in supervision.report_periods(task):
                if not supervision.still_due(period, today):
                    continue
                report = reports.get((task.pk, period.start))
                if report is not None and report.status != ReportStatus.DRAFT:
                    continue  # submitted, accepted, or returned (listed on its own)
                due.append(DueReport(task, period, report, today > period.deadline))
        due.sort(key=lambda d: (d.period.deadline, d.task.due, d.task.pk))
        rows = [TaskRow(t, colour_of(t, today)) for t in tasks]
        counts = Counter(r.colour for r in rows)
        if filters.get("colour"):
            rows = [r for r in rows if r.colour == filters["colour"]]
        if filters.get("role"):
            rows = [r for r in rows if r.task.role == filters["role"]]
        rows.sort(key=lambda r: (COLOUR_ORDER[r.colour], r.task.due, r.task.pk))
        notices = list(
            visible_notices(user)
            .filter(unit_id__in=unit_ids, status=NoticeStatus.ISSUED)
            .order_by("response_due", "pk")
        )
        context.update(
            {
                "units": list(
                    Unit.objects.filter(pk__in=unit_ids)
                    .order_by("position", "code")
                    .values_list("name", flat=True)
                ),
                "rows": rows,
                "task_count": len(tasks),
                "counts": {c: counts.get(c, 0) for c in COLOUR_ORDER},
                "due": due if request.GET.get("due") == "all" else due[:DUE_SHOWN],
                "due_count": len(due),
                "returned": returned,
                "notices": notices,
                "filtered": bool(filters.get("colour") or filters.get("role")),
                "several_campaigns": len({t.campaign_id for t in tasks}) > 1,
            }
        )
    return render(request, "campaigns/my_tasks.html", context)


# --- task list --------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = access_campaign(user, pk)
    today = clock.today()
    base = visible_tasks(user).filter(campaign=campaign)
    units = Unit.objects.filter(pk__in=base.values("unit_id")).order_by("position", "code")
    form = TaskFilter(request.GET or None, campaign=campaign, units=units)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    qs = base
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"])
    for name in ("unit", "role", "phase", "status"):
        if name in filters:
            qs = qs.filter(**{name: filters[name]})
    # Colours depend on today: worked out from a light row per task, then one page is fetched.
    light = qs.select_related(None).only("pk", "start", "due", "progress", "status", "campaign")
    counts: Counter[str] = Counter()
    ids = []
    for task in light.order_by("due", "pk"):
        task.campaign = campaign
        colour = colour_of(task, today)
        counts[colour] += 1
        if filters.get("colour") in (None, colour):
            ids.append(task.pk)
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    tasks = {t.pk: t for t in base.filter(pk__in=list(page.object_list))}
    rows = [TaskRow(tasks[i], colour_of(tasks[i], today)) for i in page.object_list]
    can_manage = manages_campaign(user, campaign)
    return render(
        request,
        "campaigns/task_list.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "page_obj": page,
            "total": len(ids),
            "counts": {c: counts.get(c, 0) for c in COLOUR_ORDER},
            "filtered": bool(filters),
            "can_manage": can_manage,
            "phases": list(campaign.phases.all()) if can_manage else [],
            "today": today,
        },
    )


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = access_campaign(user, pk, manage=True)
    form = TaskForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.add_task(
                campaign,
                by=user,
                title=data["title"],
                unit=data["unit"],
                role=data["role"],
                phase=data["phase"],
                start=data["start"],
                due=data["due"],
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except DomainError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已新增任务“%(title)s”。") % {"title": task.title})
            return redirect("campaigns:task_detail", task.pk)
    return render(request, "campaigns/task_form.html", {"campaign": campaign, "form": form})


@login_required
def task_generate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = access_campaign(user, pk, manage=True)
    if request.method != "POST":
        return redirect("campaigns:task_list", campaign.pk)
    form = GenerateForm(request.POST, campaign=campaign)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect("campaigns:task_list", campaign.pk)
    try:
        created = services.generate_tasks(campaign, by=user, phase=form.cleaned_data["phase"])
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        _domain_messages(request, exc)
    else:
        messages.success(request, _("已生成 %(n)s 项任务。") % {"n": created})
    return redirect("campaigns:task_list", campaign.pk)


# --- task detail and actions ------------------------------------------------------------------

ACTION_LABELS = {
    "task.created": gettext_lazy("新增任务"),
    "task.reassigned": gettext_lazy("调整责任单位"),
    "task.redated": gettext_lazy("调整完成期限"),
    "task.cancelled": gettext_lazy("取消任务"),
    "task.split": gettext_lazy("拆分任务"),
    "task.progress": gettext_lazy("更新进度"),
    "report.saved": gettext_lazy("保存填报草稿"),
    "report.submitted": gettext_lazy("提交填报"),
    "report.resubmitted": gettext_lazy("重新提交填报"),
    "report.accepted": gettext_lazy("采纳填报"),
    "report.returned": gettext_lazy("退回填报"),
}


@dataclass
class HistoryEntry:
    event: AuditEvent
    label: str
    changes: list[str]


def _label(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def _changes(event: AuditEvent, unit_names: dict[int, str]) -> list[str]:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    is_report = event.object_type == REPORT_OBJECT_TYPE
    out: list[str] = []
    if is_report and after.get("period_start") and after.get("period_end"):
        start = dt.date.fromisoformat(after["period_start"])
        end = dt.date.fromisoformat(after["period_end"])
        out.append(supervision.Period(start, end, end).label)

    def changed(key: str) -> bool:
        return key in after and (not before or before.get(key) != after.get(key))

    if event.action == "task.created":
        out.append(
            _("责任单位 %(unit)s,完成期限 %(due)s")
            % {"unit": unit_names.get(after.get("unit_id"), ""), "due": after.get("due", "")}
        )
        return out
    if before and changed("unit_id"):
        out.append(
            _("责任单位:%(a)s → %(b)s")
            % {
                "a": unit_names.get(before.get("unit_id"), ""),
                "b": unit_names.get(after.get("unit_id"), ""),
            }
        )
    if before and changed("due"):
        out.append(_("完成期限:%(a)s → %(b)s") % {"a": before.get("due"), "b": after.get("due")})
    if changed("progress"):
        out.append(
            _("进度:%(a)s → %(b)s")
            % {"a": f"{before.get('progress', 0)}%", "b": f"{after['progress']}%"}
        )
    if is_report and changed("percent"):
        out.append(_("完成 %(p)s") % {"p": f"{after['percent']}%"})
    if changed("status"):
        choices = ReportStatus if is_report else TaskStatus
        if before:
            out.append(
                _("状态:%(a)s → %(b)s")
                % {
                    "a": _label(choices, before.get("status")),
                    "b": _label(choices, after["status"]),
                }
            )
        else:
            out.append(_("状态:%(s)s") % {"s": _label(choices, after["status"])})
    if is_report and after.get("late") and event.action == "report.submitted":
        out.append(_("逾期提交"))
    if event.action in ("task.cancelled", "task.split") and after.get("cancel_reason"):
        out.append(_("原因:%(r)s") % {"r": after["cancel_reason"]})
    if event.action == "report.returned" and after.get("review_comment"):
        out.append(_("审核意见:%(c)s") % {"c": after["review_comment"]})
    return out


def _history(task: Task, report_ids: list[int]) -> list[HistoryEntry]:
    events = list(
        AuditEvent.objects.filter(
            Q(object_type=TASK_OBJECT_TYPE, object_id=str(task.pk))
            | Q(object_type=REPORT_OBJECT_TYPE, object_id__in=[str(i) for i in report_ids])
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    unit_ids = set()
    for event in events:
        for state in (event.before, event.after):
            if isinstance(state, dict) and isinstance(state.get("unit_id"), int):
                unit_ids.add(state["unit_id"])
    unit_names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    return [
        HistoryEntry(
            event, str(ACTION_LABELS.get(event.action, event.action)), _changes(event, unit_names)
        )
        for event in events
    ]


@dataclass
class PeriodRow:
    period: supervision.Period
    report: ProgressReport | None
    today: dt.date

    @property
    def open(self) -> bool:
        """The period has started, so the unit may write its report."""
        return self.period.start <= self.today

    @property
    def ended(self) -> bool:
        return self.period.end < self.today

    @property
    def overdue(self) -> bool:
        """The deadline has passed and nothing stands submitted."""
        pending = self.report is None or self.report.status in (
            ReportStatus.DRAFT,
            ReportStatus.RETURNED,
        )
        return self.today > self.period.deadline and pending


OFFICE_ACTIONS = ("reassign", "redate", "cancel", "split")
ACTIONS = (*OFFICE_ACTIONS, "progress")
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "reassign": ReassignForm,
    "redate": RedateForm,
    "cancel": CancelForm,
    "split": SplitForm,
    "progress": ProgressForm,
}


def _render_detail(
    request: HttpRequest,
    task: Task,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    today = clock.today()
    can_manage = manages_campaign(user, task.campaign)
    is_liaison = task.unit_id in liaison_unit_ids(user)
    editable = task.status != TaskStatus.CANCELLED
    reports = {
        r.period_start: r
        for r in task.reports.select_related("author", "reviewed_by").prefetch_related("evidence")
    }
    periods = [PeriodRow(p, reports.get(p.start), today) for p in supervision.report_periods(task)]
    allowed: list[str] = []
    if editable and can_manage:
        allowed = list(ACTIONS)
    elif editable and is_liaison:
        allowed = ["progress"]
    action_forms: dict[str, forms.Form] = {}
    for action in allowed:
        if bound and action in bound:
            action_forms[action] = bound[action]
        elif action == "progress":
            action_forms[action] = ProgressForm(initial={"progress": task.progress})
        elif action == "reassign":
            action_forms[action] = ReassignForm()
        elif action == "redate":
            action_forms[action] = RedateForm(initial={"due": task.due})
        else:
            action_forms[action] = ACTION_FORMS[action]()
    criterion_item = task.criterion.item if task.criterion_id else None
    return render(
        request,
        "campaigns/task_detail.html",
        {
            "task": task,
            "campaign": task.campaign,
            "colour": colour_of(task, today),
            "criterion_item": criterion_item,
            "parent": task.split_from,
            "parts": list(task.parts.select_related("unit").order_by("pk")),
            "periods": periods,
            "history": _history(task, [r.pk for r in reports.values()]),
            "can_manage": can_manage,
            "is_liaison": is_liaison,
            "editable": editable,
            "forms": action_forms,
            "split_example": _("%(title)s(一) | %(unit)s | %(due)s")
            % {"title": task.title[:20], "unit": task.unit.name, "due": task.due.isoformat()},
            "today": today,
        },
        status=status,
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_task(request.user, pk))


SUCCESS = {
    "reassign": gettext_lazy("责任单位已调整为%(unit)s。"),
    "redate": gettext_lazy("完成期限已调整为 %(due)s。"),
    "cancel": gettext_lazy("任务已取消。"),
    "split": gettext_lazy("任务已拆分为 %(n)s 项子任务,原任务已取消。"),
    "progress": gettext_lazy("进度已更新为 %(progress)s。"),
}


@login_required
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    task = access_task(user, pk)
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        return redirect("campaigns:task_detail", task.pk)
    if action in OFFICE_ACTIONS and not manages_campaign(user, task.campaign):
        raise Http404
    form = ACTION_FORMS[action](request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return _render_detail(request, task, bound={action: form})
    data = form.cleaned_data
    values: dict[str, Any] = {}
    try:
        if action == "reassign":
            services.reassign_task(task, by=user, unit=data["unit"])
            values = {"unit": data["unit"].name}
        elif action == "redate":
            services.redate_task(task, by=user, due=data["due"])
            values = {"due": data["due"].isoformat()}
        elif action == "cancel":
            services.cancel_task(task, by=user, reason=data["reason"])
        elif action == "split":
            values = {"n": len(services.split_task(task, by=user, parts=data["parts"]))}
        else:
            updated = services.update_progress(
                task, by=user, progress=data["progress"], done=data["done"]
            )
            values = {"progress": f"{updated.progress}%"}
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        _domain_messages(request, exc)
        task = access_task(user, pk)  # the service may have changed the instance in memory
        return _render_detail(request, task, bound={action: form})
    messages.success(request, str(SUCCESS[action]) % values if values else str(SUCCESS[action]))
    return redirect("campaigns:task_detail", task.pk)


# --- progress reports -------------------------------------------------------------------------


def _period_of(task: Task, period: str) -> supervision.Period:
    try:
        start = dt.date.fromisoformat(period)
    except ValueError as exc:
        raise Http404 from exc
    for p in supervision.report_periods(task):
        if p.start == start:
            return p
    raise Http404


@login_required
def report_edit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The unit's liaison writes one period's report: save as draft, or submit to the office."""
    user = request.user
    task = access_task(user, pk)
    if task.unit_id not in liaison_unit_ids(user):
        raise Http404
    current = _period_of(task, period)
    report = (
        ProgressReport.objects.filter(task=task, period_start=current.start)
        .select_related("reviewed_by", "author")
        .first()
    )
    editable = rules.report_editable(task.status, report.status if report is not None else None)
    if request.method == "POST" and editable:
        form = ReportForm(request.POST, user=user, task=task)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_report(
                    task,
                    by=user,
                    period_start=current.start,
                    text=data["text"],
                    percent=data["percent"],
                    evidence=list(data["evidence"]),
                    submit=submit,
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except DomainError as exc:
                _domain_messages(request, exc)
            else:
                if not submit:
                    messages.success(request, _("草稿已保存。"))
                    return redirect("campaigns:report_edit", task.pk, current.start.isoformat())
                if saved.late:
                    messages.warning(
                        request,
                        _("%(p)s的进展已提交,已过填报截止日期 %(d)s,标记为逾期提交。")
                        % {"p": current.label, "d": current.deadline.isoformat()},
                    )
                else:
                    messages.success(
                        request,
                        _("%(p)s的进展已提交,等待创质办审核。") % {"p": current.label},
                    )
                return redirect(reverse("campaigns:task_detail", args=[task.pk]) + "#reports")
        else:
            _form_messages(request, form)
    else:
        if request.method == "POST":
            messages.error(
                request,
                _("该期填报已“%(s)s”,不能再修改。") % {"s": report.get_status_display()}
                if report is not None
                else _("任务已取消,不需要填报。"),
            )
        initial: dict[str, Any] = {"percent": task.progress}
        if report is not None:
            initial = {
                "text": report.text,
                "percent": report.percent,
                "evidence": [e.pk for e in report.evidence.all()],
            }
        form = ReportForm(initial=initial, user=user, task=task)
    attached = list(report.evidence.select_related("unit")) if report is not None else []
    return render(
        request,
        "campaigns/report_form.html",
        {
            "task": task,
            "period": current,
            "report": report,
            "form": form,
            "editable": editable,
            "attached": attached,
            "past_deadline": clock.today() > current.deadline,
        },
    )


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The office accepts a submitted report, or returns it with a comment."""
    user = request.user
    report = access_report(user, pk)
    task = report.task
    if not manages_campaign(user, task.campaign):
        raise Http404
    target = reverse("campaigns:task_detail", args=[task.pk]) + "#reports"
    if request.method != "POST":
        return redirect(target)
    decision = request.POST.get("decision")
    if decision not in ("accept", "return"):
        messages.error(request, _("请选择采纳或退回。"))
        return redirect(target)
    period = supervision.Period(report.period_start, report.period_end, report.deadline)
    try:
        services.review_report(
            report, by=user, accept=decision == "accept", comment=request.POST.get("comment", "")
        )
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        _domain_messages(request, exc)
        return redirect(target)
    if decision == "accept":
        messages.success(request, _("%(p)s的填报已采纳。") % {"p": period.label})
    else:
        messages.success(
            request, _("%(p)s的填报已退回,单位联络员将看到审核意见。") % {"p": period.label}
        )
    return redirect(target)


# --- notifications ----------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        marked = services.mark_notifications_read(user)
        if marked:
            messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
        return redirect("campaigns:notifications")
    page = Paginator(Notification.objects.filter(user=user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "campaigns/notifications.html",
        {
            "page_obj": page,
            "notifications": list(page.object_list),
        },
    )
