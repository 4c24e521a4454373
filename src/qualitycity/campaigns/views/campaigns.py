"""The campaign list and a campaign's overview page (phases, rounds, links to its work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from qualitycity import clock
from qualitycity.orgs.access import is_office
from qualitycity.refusals import render

from ..access import (
    access_campaign,
    creatable_regions,
    manages_campaign,
    sees_all_work,
    visible_campaigns,
)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_campaigns(request.user).prefetch_related("phases")
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "can_create": creatable_regions(request.user).exists(),
            "can_compare": sees_all_work(request.user),  # the league table (reports.access)
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk)
    today = clock.today()
    phases = list(campaign.phases.all())
    rounds = campaign.rounds.order_by("start")
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "phases": phases,
            "current": [p for p in phases if p.start <= today <= p.end],
            "rounds": rounds,
            "today": today,
            "can_manage": manages_campaign(request.user, campaign),
            # An office reading a campaign of a region below its own (a city office, a county's).
            "read_only_office": is_office(request.user)
            and not manages_campaign(request.user, campaign),
            "can_see_board": sees_all_work(request.user, campaign),
        },
    )
