"""督办看板 (the office's board of colours by unit) and the campaign's timeline of phases,
meetings and rounds: read-only pages over campaigns.queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.refusals import render

from .. import queries, supervision
from ..access import access_campaign, sees_all_work, visible_meetings
from ..forms import COLOUR_LABELS
from .common import nav

# --- board ------------------------------------------------------------------------------------

FLAGGED_PER_PAGE = 50


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """督办看板: office, leaders and assessors; a liaison has 我的任务 instead (404 here)."""
    campaign = access_campaign(request.user, pk)
    if not sees_all_work(request.user, campaign):
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
    flagged = Paginator(data.flagged[colour], FLAGGED_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/board.html",
        {
            **nav(request, campaign, "board"),
            "board": data,
            "today": today,
            "units": queries.sort_units(data.units, sort),
            "sort": sort,
            "colour": colour,
            "colour_tabs": [
                (c, COLOUR_LABELS[c], getattr(data.counts, c)) for c in queries.COLOURS
            ],
            "flagged": flagged,
            "chart": chart,
            "rules": supervision.colour_rules(
                blue_days=campaign.blue_days,
                grace_days=campaign.grace_days,
                reports_from=campaign.reports_from,
            ),
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
            **nav(request, campaign, "timeline"),
            "today": today,
            "today_span": queries.position(campaign, today) if in_campaign else None,
            "in_campaign": in_campaign,
            "rows": rows,
            "meetings": meetings,
            "rounds": rounds,
            "ticks": queries.year_ticks(campaign),
        },
    )
