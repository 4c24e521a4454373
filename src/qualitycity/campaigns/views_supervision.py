"""Supervision (督办): the office's board, the phase timeline, supervision notices and meetings.

Reads go through `access` and `queries`; every write through `services`. A refused change comes back
as its Chinese message with nothing changed; an action the user may not take answers 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock
from qualitycity.audit.models import AuditEvent
from qualitycity.errors import DomainError, NotAllowed
from qualitycity.evidence.access import visible_evidence
from qualitycity.evidence.forms import EvidenceChoice
from qualitycity.orgs.forms import StyledForm
from qualitycity.orgs.models import Unit

from . import queries, services, supervision
from .access import (
    access_campaign,
    access_meeting,
    access_notice,
    is_unit_liaison,
    manages_campaign,
    sees_all_work,
    visible_meetings,
    visible_notices,
    visible_tasks,
)
from .choices import MeetingKind, NoticeStatus, TaskStatus
from .models import Campaign, Meeting, SupervisionNotice, Task

COLOUR_LABELS = {
    supervision.RED: gettext_lazy("红色"),
    supervision.YELLOW: gettext_lazy("黄色"),
    supervision.BLUE: gettext_lazy("蓝色"),
}
COLOUR_CHOICES = [(c, COLOUR_LABELS[c]) for c in queries.COLOURS]


def _messages(request: HttpRequest, errors: list[str]) -> None:
    for message in errors:
        messages.error(request, message)


def _form_errors(form: forms.Form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _nav(request: HttpRequest, campaign: Campaign, active: str) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "active": active,
        "sees_board": sees_all_work(request.user),
        "can_manage": manages_campaign(request.user, campaign),
    }


# --- board ------------------------------------------------------------------------------------


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """督办看板: office, leaders and assessors; a liaison has 我的任务 instead (404 here)."""
    campaign = access_campaign(request.user, pk)
    if not sees_all_work(request.user):
        raise Http404
    today = clock.today()
    data = queries.board(campaign, today)
    sort = request.GET.get("sort", "red")
    if sort not in queries.SORTS:
        sort = "red"
    colour = request.GET.get("colour", supervision.RED)
    if colour not in queries.COLOURS:
        colour = supervision.RED
    labels = {c: _("%(c)s督办") % {"c": COLOUR_LABELS[c]} for c in queries.COLOURS}
    chart = queries.chart_data(data.units, labels)
    return render(
        request,
        "campaigns/board.html",
        {
            **_nav(request, campaign, "board"),
            "board": data,
            "today": today,
            "units": queries.sort_units(data.units, sort),
            "sort": sort,
            "colour": colour,
            "colour_tabs": [
                (c, COLOUR_LABELS[c], getattr(data.counts, c)) for c in queries.COLOURS
            ],
            "flagged": data.flagged[colour][: queries.TASK_LIST_LIMIT],
            "flagged_total": len(data.flagged[colour]),
            "chart": chart,
        },
    )


# --- timeline ---------------------------------------------------------------------------------


@dataclass
class Point:
    date: dt.date
    end: dt.date | None
    span: queries.Span
    title: str
    url: str
    kind: str
    label: str


@login_required
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk)
    today = clock.today()
    phases = list(campaign.phases.order_by("position"))
    rows = [
        (p, queries.position(campaign, p.start, p.end), p.start <= today <= p.end) for p in phases
    ]
    meetings = [
        Point(
            m.date,
            None,
            queries.position(campaign, m.date),
            m.title,
            reverse("campaigns:meeting_detail", args=[m.pk]),
            m.kind,
            m.get_kind_display(),
        )
        for m in visible_meetings(request.user)
        .filter(campaign=campaign)
        .order_by("date", "pk")
        .only("pk", "date", "title", "kind")
    ]
    rounds = [
        Point(
            r.start,
            r.end,
            queries.position(campaign, r.start, r.end),
            r.name,
            reverse("assessments:round_summary", args=[r.pk]),
            r.kind,
            r.get_kind_display(),
        )
        for r in campaign.rounds.order_by(
            "start", "pk"
        )  # the campaign is visible, so its rounds are
    ]
    in_campaign = campaign.start <= today <= campaign.end
    return render(
        request,
        "campaigns/timeline.html",
        {
            **_nav(request, campaign, "timeline"),
            "today": today,
            "today_span": queries.position(campaign, today) if in_campaign else None,
            "in_campaign": in_campaign,
            "rows": rows,
            "meetings": meetings,
            "rounds": rounds,
            "ticks": queries.year_ticks(campaign),
        },
    )


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
        choices=[("", gettext_lazy("全部等级")), *COLOUR_CHOICES],
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


@login_required
def notice_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk)
    notices = visible_notices(request.user).filter(campaign=campaign)
    form = NoticeFilter(
        request.GET or None,
        units=Unit.objects.filter(pk__in=notices.values("unit_id")),
    )
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        _messages(request, _form_errors(form))
        filters = form.cleaned_data
    if filters.get("status"):
        notices = notices.filter(status=filters["status"])
    if filters.get("colour"):
        notices = notices.filter(colour=filters["colour"])
    if filters.get("unit"):
        notices = notices.filter(unit=filters["unit"])
    today = clock.today()
    return render(
        request,
        "campaigns/notice_list.html",
        {
            **_nav(request, campaign, "notices"),
            "form": form,
            "notices": list(notices.order_by("-issued_at", "-pk")),
            "today": today,
            "filtered": any(filters.get(k) for k in ("status", "colour", "unit")),
        },
    )


@dataclass
class TaskChoice:
    task: Task
    colour: str | None


def _coloured_tasks(campaign: Campaign, unit: Unit, today: dt.date) -> list[TaskChoice]:
    tasks = Task.objects.filter(campaign=campaign, unit=unit).exclude(
        status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]
    )
    out = []
    for task in tasks.order_by("due", "pk"):
        task.campaign = campaign
        colour = supervision.task_colour(task, today)
        if colour is not None:
            out.append(TaskChoice(task, colour))
    severity = supervision.SEVERITY
    out.sort(key=lambda c: (-severity[c.colour], c.task.due, c.task.pk))
    return out


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
    tasks = forms.ModelMultipleChoiceField(
        label=gettext_lazy("督办任务"),
        queryset=Task.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("所选任务不存在。"),
            "invalid_pk_value": gettext_lazy("所选任务不存在。"),
        },
    )
    content = forms.CharField(
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


def _unit_param(form: NoticeForm, raw: str | None) -> Unit | None:
    if not raw or not raw.isdigit():
        return None
    return form.fields["unit"].queryset.filter(pk=int(raw)).first()


@login_required
def notice_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The office picks a unit, then that unit's tasks with a colour, and issues a 督办单."""
    campaign = access_campaign(request.user, pk, manage=True)
    today = clock.today()
    errors: list[str] = []
    if request.method == "POST":
        form = NoticeForm(request.POST, campaign=campaign, user=request.user)
        unit = _unit_param(form, request.POST.get("unit"))
        if form.is_valid():
            try:
                notice = services.issue_notice(
                    campaign,
                    by=request.user,
                    unit=form.cleaned_data["unit"],
                    tasks=list(form.cleaned_data["tasks"]),
                    content=form.cleaned_data["content"],
                    response_due=form.cleaned_data["response_due"],
                    today=today,
                )
            except NotAllowed as exc:
                raise Http404 from exc
            except DomainError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request,
                    _("督办单 %(n)s 已签发给%(unit)s。")
                    % {"n": notice.number, "unit": notice.unit.name},
                )
                return redirect("campaigns:notice_detail", notice.pk)
        else:
            errors = _form_errors(form)
        selected = {int(v) for v in request.POST.getlist("tasks") if v.isdigit()}
    else:
        form = NoticeForm(
            initial={"response_due": today + dt.timedelta(days=7)},
            campaign=campaign,
            user=request.user,
        )
        unit = _unit_param(form, request.GET.get("unit"))
        if unit is not None:
            form.initial["unit"] = unit.pk
        selected = None
    choices = _coloured_tasks(campaign, unit, today) if unit is not None else []
    if selected is None:  # first visit: the unit's most urgent tasks are proposed
        worst = supervision.worst(c.colour for c in choices)
        selected = {c.task.pk for c in choices if c.colour == worst}
    return render(
        request,
        "campaigns/notice_form.html",
        {
            **_nav(request, campaign, "notices"),
            "form": form,
            "unit": unit,
            "choices": choices,
            "selected": selected,
            "errors": errors,
            "today": today,
        },
    )


NOTICE_ACTION_LABELS = {
    "notice.issued": gettext_lazy("签发督办单"),
    "notice.responded": gettext_lazy("反馈办理情况"),
    "notice.closed": gettext_lazy("销号"),
}


class ResponseForm(StyledForm):
    # Empty responses are refused by services.respond_notice, with its own message.
    response = forms.CharField(
        label=gettext_lazy("反馈情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _render_notice(
    request: HttpRequest,
    notice: SupervisionNotice,
    *,
    response_form: ResponseForm | None = None,
) -> HttpResponse:
    user = request.user
    today = clock.today()
    campaign = notice.campaign
    tasks = []
    for task in notice.tasks.select_related("unit").order_by("due", "pk"):
        task.campaign = campaign
        tasks.append(TaskChoice(task, supervision.task_colour(task, today)))
    can_respond = is_unit_liaison(user, notice.unit_id) and notice.status != NoticeStatus.CLOSED
    can_close = manages_campaign(user, campaign) and notice.status == NoticeStatus.RESPONDED
    if can_respond and response_form is None:
        response_form = ResponseForm(initial={"response": notice.response})
    history = [
        (event, NOTICE_ACTION_LABELS.get(event.action, event.action))
        for event in AuditEvent.objects.filter(
            object_type="campaigns.supervisionnotice", object_id=str(notice.pk)
        )
        .select_related("actor")
        .order_by("at", "pk")
    ]
    return render(
        request,
        "campaigns/notice_detail.html",
        {
            **_nav(request, campaign, "notices"),
            "notice": notice,
            "tasks": tasks,
            "today": today,
            "overdue": notice.status == NoticeStatus.ISSUED and notice.response_due < today,
            "can_respond": can_respond,
            "can_close": can_close,
            "response_form": response_form if can_respond else None,
            "history": history,
        },
    )


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_notice(request, access_notice(request.user, pk))


NOTICE_SUCCESS = {
    "respond": gettext_lazy("反馈已提交,等待创质办销号。"),
    "close": gettext_lazy("督办单已销号。"),
}


@login_required
def notice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """respond (the unit's liaison) or close / 销号 (the office); POST only."""
    notice = access_notice(request.user, pk)
    if action not in NOTICE_SUCCESS:
        raise Http404
    if request.method != "POST":
        return redirect("campaigns:notice_detail", notice.pk)
    form = None
    try:
        if action == "respond":
            form = ResponseForm(request.POST)
            form.is_valid()
            services.respond_notice(
                notice, by=request.user, response=form.cleaned_data.get("response", "")
            )
        else:
            services.close_notice(notice, by=request.user)
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        _messages(request, exc.messages)
        notice = access_notice(request.user, pk)  # the status may have moved meanwhile
        return _render_notice(request, notice, response_form=form)
    messages.success(request, str(NOTICE_SUCCESS[action]))
    return redirect("campaigns:notice_detail", notice.pk)


# --- meetings ---------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk)
    today = clock.today()
    meetings = list(
        visible_meetings(request.user)
        .filter(campaign=campaign)
        .prefetch_related("attendees", "tasks")
        .order_by("-date", "-pk")
    )
    all_meetings = meetings
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = [m for m in meetings if m.kind == kind]
    else:
        kind = ""
    dates = [(m.kind, m.date) for m in all_meetings]
    gaps = supervision.meeting_gaps(
        [d for k, d in dates if k == MeetingKind.LEADING_GROUP],
        [d for k, d in dates if k == MeetingKind.SUMMARY],
        start=campaign.start,
        end=campaign.end,
        today=today,
    )
    return render(
        request,
        "campaigns/meeting_list.html",
        {
            **_nav(request, campaign, "meetings"),
            "meetings": meetings,
            "gaps": gaps,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "today": today,
        },
    )


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
    attendees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("参会单位(可多选)"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={"invalid_choice": gettext_lazy("所选单位不存在。")},
    )
    minutes = forms.CharField(
        label=gettext_lazy("会议纪要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = EvidenceChoice(label=gettext_lazy("附件(从本创建工作的佐证材料中选择,可多选)"))

    def __init__(self, *args: Any, campaign: Campaign, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].limit_to(user, campaign.pk)


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk, manage=True)
    form = MeetingForm(
        request.POST or None,
        initial={"date": clock.today(), "kind": MeetingKind.LEADING_GROUP},
        campaign=campaign,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.create_meeting(
                campaign,
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                attendees=data["attendees"],
                minutes=data["minutes"],
                attachments=data["attachments"],
            )
        except NotAllowed as exc:
            raise Http404 from exc
        except DomainError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("会议“%(t)s”已登记。") % {"t": meeting.title})
            return redirect("campaigns:meeting_detail", meeting.pk)
    return render(
        request,
        "campaigns/meeting_form.html",
        {**_nav(request, campaign, "meetings"), "form": form},
    )


class DecisionsForm(StyledForm):
    lines = forms.CharField(
        label=gettext_lazy("会议决定"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "每行一项:决定事项 | 责任单位 | 完成期限(YYYY-MM-DD),全部有效才会生成任务。"
        ),
    )


def _render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    decisions_form: DecisionsForm | None = None,
) -> HttpResponse:
    user = request.user
    campaign = meeting.campaign
    can_manage = manages_campaign(user, campaign)
    attachments = list(meeting.attachments.select_related("unit").order_by("-effective_date"))
    linkable = set(
        visible_evidence(user)
        .filter(pk__in=[e.pk for e in attachments])
        .values_list("pk", flat=True)
    )
    today = clock.today()
    tasks = []
    for task in meeting.tasks.select_related("unit").order_by("due", "pk"):
        task.campaign = campaign
        tasks.append(TaskChoice(task, supervision.task_colour(task, today)))
    return render(
        request,
        "campaigns/meeting_detail.html",
        {
            **_nav(request, campaign, "meetings"),
            "meeting": meeting,
            "attendees": list(meeting.attendees.all()),
            "attachments": [(e, e.pk in linkable) for e in attachments],
            "tasks": tasks,
            "decisions_form": (decisions_form or DecisionsForm()) if can_manage else None,
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, _meeting(request, pk))


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = access_meeting(request.user, pk)
    meeting.campaign = access_campaign(request.user, meeting.campaign_id)
    return meeting


@login_required
def meeting_decisions(request: HttpRequest, pk: int) -> HttpResponse:
    """The office turns a meeting's decisions into tasks in one step (all or nothing)."""
    meeting = _meeting(request, pk)
    if not manages_campaign(request.user, meeting.campaign):
        raise Http404
    if request.method != "POST":
        return redirect("campaigns:meeting_detail", meeting.pk)
    form = DecisionsForm(request.POST)
    form.is_valid()
    problems: list[str] = []
    try:
        decisions = services.parse_decisions(form.cleaned_data.get("lines", ""))
        tasks = services.decisions_to_tasks(meeting, by=request.user, decisions=decisions)
    except NotAllowed as exc:
        raise Http404 from exc
    except DomainError as exc:
        problems = exc.messages
    if problems:
        _messages(request, problems)
        return _render_meeting(request, meeting, decisions_form=form)
    messages.success(request, _("已将 %(n)s 项会议决定转为工作任务。") % {"n": len(tasks)})
    return redirect("campaigns:meeting_detail", meeting.pk)
