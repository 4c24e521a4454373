"""Who may see and provide evidence (佐证材料).

Evidence is scoped by its campaign's region: administrators see all of it; office, leaders and
assessors of the region everything there; liaisons their own unit's. Missing and forbidden give
the same 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qualitycity.orgs.access import (
    is_admin,
    liaison_unit_ids,
    manages_region,
    member_region_ids,
    sees_all_campaign_material,
    sees_region,
)
from qualitycity.orgs.models import Unit, User

from .models import Evidence


def visible_evidence(user: User) -> QuerySet[Evidence]:
    if not user.is_authenticated:
        return Evidence.objects.none()
    qs = Evidence.objects.all()
    if not is_admin(user):
        qs = qs.filter(campaign__region_id__in=member_region_ids(user))
    if sees_all_campaign_material(user):
        return qs
    return qs.filter(unit_id__in=liaison_unit_ids(user))


def access_evidence(user: User, pk: int) -> Evidence:
    evidence = visible_evidence(user).select_related("file", "unit").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


def may_upload_for(user: User, campaign, unit: Unit) -> bool:
    """The campaign office for any unit; a liaison for its own unit in a campaign it can see."""
    if manages_region(user, campaign.region_id):
        return True
    return unit.pk in liaison_unit_ids(user) and sees_region(user, campaign.region_id)
