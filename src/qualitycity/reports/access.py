"""Who reads the cockpit: whoever reads every unit's work of the campaign (its office, leaders,
the province level, administrators). Everyone else gets the same 404 as for a missing campaign."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from qualitycity import clock
from qualitycity.campaigns.access import access_campaign, sees_all_work, visible_campaigns
from qualitycity.campaigns.models import Campaign
from qualitycity.orgs.access import material_region_ids, roles_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership

COCKPIT_ROLES = frozenset({Role.ADMIN, Role.OFFICE, Role.LEADER})


def access_cockpit(user: Any, pk: int) -> Campaign:
    """The campaign's cockpit for its office and leaders (and those above: the province level,
    administrators). Experts read the board and rounds, not the cockpit."""
    campaign = access_campaign(user, pk)
    if not (roles_of(user) & COCKPIT_ROLES) or not sees_all_work(user, campaign):
        raise Http404
    return campaign


def cockpit_campaigns(user: Any) -> list[Campaign]:
    """The campaigns of the regions where the user is 创质办 or 领导, running ones first, then by
    start (latest first). The first one is the user's current campaign."""
    regions = Membership.objects.filter(user=user, role__in=[Role.OFFICE, Role.LEADER]).values(
        "region_id"
    )
    today = clock.today()
    campaigns = [
        c for c in visible_campaigns(user).filter(region_id__in=regions) if sees_all_work(user, c)
    ]
    return sorted(
        campaigns, key=lambda c: (not (c.start <= today <= c.end), -c.start.toordinal(), c.pk)
    )


def league_campaigns(user: Any) -> list[Campaign]:
    """The campaigns whose totals the user compares on the league table: those in which it reads
    every unit's work (a city's office or leader: the city and its counties; the province level
    and administrators: all). Other roles get the same 404 as for a missing page."""
    if not sees_all_work(user):
        raise Http404
    regions = material_region_ids(user)
    qs = visible_campaigns(user).select_related("region__parent", "framework")
    if regions is not None:
        qs = qs.filter(region_id__in=regions)
    return list(qs.order_by("region__code", "pk"))
