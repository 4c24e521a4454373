"""Supervision notices (督办单): the list, issuing one to a unit for its coloured tasks, the
notice's page, the unit's response and the office's 销号.

Every write goes through campaigns.services; a refused change comes back as its Chinese message with
nothing changed; an action the user may not take answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock, xlsx_response
from qualitycity.audit.labels import action_label
from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.models import Unit
from qualitycity.refusals import refusals, render

from .. import rules, services, supervision
from ..access import (
    access_campaign,
    access_notice,
    is_unit_liaison,
    manages_campaign,
    visible_notices,
)
from ..choices import TaskStatus
from ..forms import COLOUR_LABELS, NoticeFilter, NoticeForm, ResponseForm
from ..models import Campaign, SupervisionNotice, Task
from ..transitions import NOTICE
from .common import TaskChoice, error_messages, form_errors, nav


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
        error_messages(request, form_errors(form))
        filters = form.cleaned_data
    if filters.get("status"):
        notices = notices.filter(status=filters["status"])
    if filters.get("colour"):
        notices = notices.filter(colour=filters["colour"])
    if filters.get("unit"):
        notices = notices.filter(unit=filters["unit"])
    today = clock.today()
    notice_rows = list(notices.order_by("-issued_at", "-pk"))
    for n in notice_rows:
        n.overdue = rules.notice_overdue(n.status, n.response_due, today)
    if request.GET.get("format") == "xlsx":
        return _notice_xlsx(form, notice_rows)
    return render(
        request,
        "campaigns/notice_list.html",
        {
            **nav(request, campaign, "notices"),
            "form": form,
            "notices": notice_rows,
            "today": today,
            "filtered": any(filters.get(k) for k in ("status", "colour", "unit")),
        },
    )


def _notice_xlsx(form: NoticeFilter, notices: list[SupervisionNotice]) -> HttpResponse:
    """The filtered notices as xlsx, in the page's order, with the filters on the caption line."""
    return xlsx_response.xlsx_download(
        _("督办单-%(date)s.xlsx") % {"date": clock.today().isoformat()},
        _("督办单"),
        [
            _("编号"),
            _("督办等级"),
            _("督办单位"),
            _("督办事项"),
            _("反馈期限"),
            _("状态"),
            _("签发时间"),
            _("反馈情况"),
            _("反馈时间"),
            _("销号时间"),
            _("已逾期"),
        ],
        (
            [
                n.number,
                str(COLOUR_LABELS.get(n.colour, n.colour)),
                n.unit.name,
                n.content,
                n.response_due,
                n.get_status_display(),
                n.issued_at,
                n.response,
                n.responded_at,
                n.closed_at,
                _("是") if n.overdue else "",
            ]
            for n in notices
        ),
        caption=xlsx_response.filters_caption(form),
    )


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
            with refusals(request, quiet=True) as outcome:  # shown above the form
                notice = services.issue_notice(
                    campaign,
                    by=request.user,
                    unit=form.cleaned_data["unit"],
                    tasks=list(form.cleaned_data["tasks"]),
                    content=form.cleaned_data["content"],
                    response_due=form.cleaned_data["response_due"],
                    today=today,
                )
            errors = outcome.messages
            if not outcome.refused:
                messages.success(
                    request,
                    _("督办单 %(n)s 已签发给%(unit)s。")
                    % {"n": notice.number, "unit": notice.unit.name},
                )
                return redirect("campaigns:notice_detail", notice.pk)
        else:
            errors = form_errors(form)
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
            **nav(request, campaign, "notices"),
            "form": form,
            "unit": unit,
            "choices": choices,
            "selected": selected,
            "errors": errors,
            "today": today,
        },
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
    can_respond = is_unit_liaison(user, notice.unit_id) and NOTICE.allows("respond", notice.status)
    can_close = manages_campaign(user, campaign) and NOTICE.allows("close", notice.status)
    if can_respond and response_form is None:
        response_form = ResponseForm(initial={"response": notice.response})
    history = [
        (event, action_label(event.action))
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
            **nav(request, campaign, "notices"),
            "notice": notice,
            "tasks": tasks,
            "today": today,
            "overdue": rules.notice_overdue(notice.status, notice.response_due, today),
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
    with refusals(request) as outcome:
        if action == "respond":
            form = ResponseForm(request.POST)
            form.is_valid()
            services.respond_notice(
                notice, by=request.user, response=form.cleaned_data.get("response", "")
            )
        else:
            services.close_notice(notice, by=request.user)
    if outcome.refused:
        notice = access_notice(request.user, pk)  # the status may have moved meanwhile
        return _render_notice(request, notice, response_form=form)
    messages.success(request, str(NOTICE_SUCCESS[action]))
    return redirect("campaigns:notice_detail", notice.pk)
