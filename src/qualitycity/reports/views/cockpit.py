"""The cockpit page: /cockpit/<campaign>/ (also shown on the home page of offices and leaders)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.campaigns.access import manages_campaign
from qualitycity.campaigns.models import Campaign
from qualitycity.indicators.access import visible_indicators
from qualitycity.refusals import render

from ..access import access_cockpit, cockpit_campaigns
from ..cockpit import cockpit


def cockpit_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    data = cockpit(campaign, clock.today(), indicators=list(visible_indicators(request.user)))
    return {
        "cockpit": data,
        "campaign": campaign,
        "can_manage": manages_campaign(request.user, campaign),
        "radar": data.radar(data.round.name if data.round else ""),
        "lost_chart": data.lost_chart(_("失分"), _("分"), _("未指定牵头单位")),
    }


def home_section(request: HttpRequest) -> dict[str, Any] | None:
    """The cockpit of the user's current campaign for the home page, or None when the user is
    neither 创质办 nor 领导 of a region with a campaign."""
    campaigns = cockpit_campaigns(request.user)
    if not campaigns:
        return None
    return {**cockpit_context(request, campaigns[0]), "other_campaigns": campaigns[1:]}


@login_required
def cockpit_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_cockpit(request.user, pk)
    others = [c for c in cockpit_campaigns(request.user) if c.pk != campaign.pk]
    return render(
        request,
        "reports/cockpit.html",
        {**cockpit_context(request, campaign), "other_campaigns": others},
    )
