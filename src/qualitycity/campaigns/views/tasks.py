"""Tasks (工作任务): 我的任务, a campaign's task list, adding and generating tasks, a task's detail
with its history, and the office's and liaison's actions on it.

Every write goes through campaigns.services; a refused change comes back as Chinese messages on the
page and changes nothing. A forbidden action answers 404, like a task the user may not see.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock, xlsx_response
from qualitycity.audit.labels import action_label
from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.access import liaison_unit_ids
from qualitycity.orgs.models import Unit
from qualitycity.refusals import refusals, render, shown_at

from .. import leads, my_sections, rules, services, supervision
from ..access import (
    access_campaign,
    access_task,
    manages_campaign,
    sees_all_work,
    visible_campaigns,
    visible_tasks,
)
from ..choices import ReportStatus, TaskStatus
from ..forms import (
    NO_COLOUR,
    CancelForm,
    GenerateForm,
    MyTaskFilter,
    ProgressForm,
    ReassignForm,
    RedateForm,
    SplitForm,
    TaskFilter,
    TaskForm,
)
from ..models import Campaign, ProgressReport, Task
from ..my_work import unit_work
from ..transitions import REPORT
from .common import form_messages

TASK_OBJECT_TYPE = "campaigns.task"
REPORT_OBJECT_TYPE = "campaigns.progressreport"
PER_PAGE = 100
DUE_SHOWN = 10  # reports due listed on 我的任务 before "show all"
MY_TASKS_PER_PAGE = 30  # tasks listed on 我的任务 per page
# The task list's filters by measure, scoring row and dimension (forms.TaskFilter); a dimension's
# tasks are those of its rows (a measure's own tasks belong to no row).
FILTER_LOOKUPS = {
    "measure": "measure_id",
    "criterion": "criterion_id",
    "dimension": "criterion__item__dimension_id",
}
COLOUR_ORDER = {supervision.RED: 0, supervision.YELLOW: 1, supervision.BLUE: 2, NO_COLOUR: 3}


def colour_of(task: Task, today: dt.date) -> str:
    """The task's 督办 colour, or NO_COLOUR (done, cancelled or on track)."""
    return supervision.task_colour(task, today) or NO_COLOUR


def _managed(user: Any, campaigns: Iterable[Campaign]) -> list[Campaign]:
    return [c for c in campaigns if manages_campaign(user, c)]


# --- 我的任务 ----------------------------------------------------------------------------------


@dataclass
class TaskRow:
    task: Task
    colour: str
    leads: list[str] = field(default_factory=list)  # a cooperating task's lead units (leads.py)


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
        "readable": [c for c in campaigns if sees_all_work(user, c)],
    }
    work = unit_work(user, today)
    if work is not None:
        tasks, due, returned, notices = work.tasks, work.due, work.returned, work.notices
        lead_names = leads.lead_names(tasks)
        rows = [
            TaskRow(t, work.colours[t.pk] or NO_COLOUR, lead_names.get(t.pk, [])) for t in tasks
        ]
        counts = Counter(r.colour for r in rows)
        if filters.get("colour"):
            rows = [r for r in rows if r.colour == filters["colour"]]
        if filters.get("role"):
            rows = [r for r in rows if r.task.role == filters["role"]]
        rows.sort(key=lambda r: (COLOUR_ORDER[r.colour], r.task.due, r.task.pk))
        # The most urgent first, a page at a time (a unit may hold a hundred tasks or more).
        tasks_page = Paginator(rows, MY_TASKS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            {
                "units": list(
                    Unit.objects.filter(pk__in=work.unit_ids)
                    .order_by("position", "code")
                    .values_list("name", flat=True)
                ),
                "rows": tasks_page.object_list,
                "tasks_page": tasks_page,
                "task_count": len(tasks),
                "counts": {c: counts.get(c, 0) for c in COLOUR_ORDER},
                "due": due if request.GET.get("due") == "all" else due[:DUE_SHOWN],
                "due_count": len(due),
                "returned": returned,
                "notices": notices,
                # each (campaign, unit) the liaison reports for: a link to its 月报
                "monthly_links": work.monthly_links,
                # sections of other apps (整改 from assessments: my_sections.py)
                "sections": my_sections.shown_sections(user, work.unit_ids, today),
                "filtered": bool(filters.get("colour") or filters.get("role")),
                "several_campaigns": len({t.campaign_id for t in tasks}) > 1,
            }
        )
    return render(request, "campaigns/my_tasks.html", context)


def _task_xlsx(base, ids: list[int], form: TaskFilter) -> HttpResponse:
    """The filtered task list (every page) as xlsx, in the page's order."""
    order = {pk: n for n, pk in enumerate(ids[: xlsx_response.MAX_ROWS])}
    tasks = sorted(
        base.filter(pk__in=list(order)).select_related("unit", "phase").iterator(chunk_size=2000),
        key=lambda t: order[t.pk],
    )
    rows = (
        [
            t.title,
            t.unit.name if t.unit_id else "",
            t.get_role_display(),
            str(t.phase) if t.phase_id else "",
            t.start,
            t.due,
            t.progress,
            t.get_status_display(),
        ]
        for t in tasks
    )
    return xlsx_response.xlsx_download(
        _("工作任务-%(date)s.xlsx") % {"date": clock.today().isoformat()},
        _("工作任务"),
        [
            _("任务"),
            _("责任单位"),
            _("角色"),
            _("阶段"),
            _("开始"),
            _("截止"),
            _("进度"),
            _("状态"),
        ],
        rows,
        caption=xlsx_response.filters_caption(form),
    )


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
    invalid: list[str] = []
    if form.is_bound:
        form.is_valid()
        filters = {k: v for k, v in form.cleaned_data.items() if v}
        invalid = form.invalid_filters()
    qs = base
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"])
    for name in ("unit", "role", "phase", "status"):
        if name in filters:
            qs = qs.filter(**{name: filters[name]})
    for name, lookup in FILTER_LOOKUPS.items():
        if name in filters:
            qs = qs.filter(**{lookup: filters[name]})
    # Colours depend on today: worked out from a light row per task, then one page is fetched.
    light = qs.select_related(None).only(
        "pk", "start", "due", "progress", "status", "role", "campaign"
    )
    counts: Counter[str] = Counter()
    ids = []
    for task in light.order_by("due", "pk"):
        task.campaign = campaign
        colour = colour_of(task, today)
        counts[colour] += 1
        if filters.get("colour") in (None, colour):
            ids.append(task.pk)
    if request.GET.get("format") == "xlsx":
        return _task_xlsx(base, ids, form)
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    tasks = {t.pk: t for t in base.filter(pk__in=list(page.object_list))}
    lead_names = leads.lead_names(tasks.values())
    rows = [
        TaskRow(tasks[i], colour_of(tasks[i], today), lead_names.get(i, []))
        for i in page.object_list
    ]
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
            "filtered": bool(filters or invalid),
            "invalid_filters": invalid,
            "measure_number": form.measure_numbers.get(filters.get("measure")),
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
        with refusals(request, quiet=True) as outcome:
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
        for message in outcome.messages:  # shown with the form's own errors
            form.add_error(None, message)
        if not outcome.refused:
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
        form_messages(request, form)
        return redirect("campaigns:task_list", campaign.pk)
    with refusals(request) as outcome:
        created = services.generate_tasks(campaign, by=user, phase=form.cleaned_data["phase"])
    if not outcome.refused:
        messages.success(request, _("已生成 %(n)s 项任务。") % {"n": created})
    return redirect("campaigns:task_list", campaign.pk)


# --- task detail and actions ------------------------------------------------------------------


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
        HistoryEntry(event, action_label(event.action), _changes(event, unit_names))
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
        pending = self.report is None or REPORT.allows("submit", self.report.status)
        return self.today > self.period.deadline and pending

    @property
    def writable(self) -> bool:
        """The report workflow still takes the unit's writing (no report yet, a draft, returned)."""
        return REPORT.allows("save", self.report.status if self.report else ReportStatus.DRAFT)

    @property
    def reviewable(self) -> bool:
        """The office may accept or return the report (the page shows the review form)."""
        return self.report is not None and rules.report_reviewable(self.report.status)


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
    shown_at(request, reverse("campaigns:task_detail", args=[task.pk]))
    user = request.user
    today = clock.today()
    can_manage = manages_campaign(user, task.campaign)
    is_liaison = task.unit_id in liaison_unit_ids(user)
    editable = rules.task_editable(task.status)
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
            action_forms[action] = ReassignForm(campaign=task.campaign)
        elif action == "redate":
            action_forms[action] = RedateForm(initial={"due": task.due})
        else:
            action_forms[action] = _action_form(action, None, task)
    criterion_item = task.criterion.item if task.criterion_id else None
    return render(
        request,
        "campaigns/task_detail.html",
        {
            "task": task,
            "campaign": task.campaign,
            "colour": colour_of(task, today),
            "criterion_item": criterion_item,
            "leads": leads.lead_names([task]).get(task.pk, []),
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


def _action_form(action: str, data: Any, task: Task) -> forms.Form:
    """The form of one task action; those that name units read the campaign's directory."""
    if action in ("reassign", "split"):
        return ACTION_FORMS[action](data, campaign=task.campaign)
    return ACTION_FORMS[action](data)


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
    form = _action_form(action, request.POST, task)
    if not form.is_valid():
        form_messages(request, form)
        return _render_detail(request, task, bound={action: form})
    data = form.cleaned_data
    values: dict[str, Any] = {}
    with refusals(request) as outcome:
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
    if outcome.refused:
        task = access_task(user, pk)  # the service may have changed the instance in memory
        return _render_detail(request, task, bound={action: form})
    messages.success(request, str(SUCCESS[action]) % values if values else str(SUCCESS[action]))
    return redirect("campaigns:task_detail", task.pk)
