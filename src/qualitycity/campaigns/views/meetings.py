"""Meetings (会议): the list with the quarterly and yearly meeting rule, recording a meeting, its
page, and turning its decisions into tasks (all or nothing).

Every write goes through campaigns.services; a refused change comes back as its Chinese message with
nothing changed; an action the user may not take answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.evidence.access import visible_evidence
from qualitycity.refusals import refusals, render

from .. import services, supervision
from ..access import (
    access_campaign,
    access_meeting,
    manages_campaign,
    readable_task_ids,
    visible_meetings,
)
from ..choices import MeetingKind
from ..forms import DecisionsForm, MeetingForm
from ..models import Meeting
from .common import TaskChoice, nav


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
            **nav(request, campaign, "meetings"),
            "meetings": meetings,
            "gaps": gaps,
            "kind": kind,
            "kinds": MeetingKind.choices,
            "today": today,
        },
    )


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
        with refusals(request, quiet=True) as outcome:
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
        for message in outcome.messages:  # shown with the form's own errors
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(request, _("会议“%(t)s”已登记。") % {"t": meeting.title})
            return redirect("campaigns:meeting_detail", meeting.pk)
    return render(
        request,
        "campaigns/meeting_form.html",
        {**nav(request, campaign, "meetings"), "form": form},
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
    # another unit's task answers 404 to a liaison: named, not linked
    readable = readable_task_ids(user, [c.task.pk for c in tasks])
    return render(
        request,
        "campaigns/meeting_detail.html",
        {
            **nav(request, campaign, "meetings"),
            "meeting": meeting,
            "attendees": list(meeting.attendees.all()),
            "attachments": [(e, e.pk in linkable) for e in attachments],
            "tasks": tasks,
            "readable_tasks": readable,
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
    with refusals(request) as outcome:
        decisions = services.parse_decisions(form.cleaned_data.get("lines", ""), meeting.campaign)
        tasks = services.decisions_to_tasks(meeting, by=request.user, decisions=decisions)
    if outcome.refused:  # the lines stay in the form, to be corrected
        return _render_meeting(request, meeting, decisions_form=form)
    messages.success(request, _("已将 %(n)s 项会议决定转为工作任务。") % {"n": len(tasks)})
    return redirect("campaigns:meeting_detail", meeting.pk)
