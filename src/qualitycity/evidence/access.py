"""Who may see and provide evidence (佐证材料).

Evidence is scoped by its campaign's region: administrators see all of it; office, leaders and
assessors of the region everything there (offices and leaders also in the regions below theirs);
liaisons their own unit's. Missing and forbidden give
the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qualitycity.orgs.access import (
    liaison_unit_ids,
    manages_region,
    material_region_ids,
    readable_region_ids,
    sees_region,
)
from qualitycity.orgs.models import Unit, User

from .models import Evidence


def visible_evidence(user: User) -> QuerySet[Evidence]:
    if not user.is_authenticated:
        return Evidence.objects.none()
    regions = readable_region_ids(user)
    if regions is None:
        return Evidence.objects.all()
    material = material_region_ids(user) or frozenset()
    return Evidence.objects.filter(campaign__region_id__in=regions).filter(
        Q(campaign__region_id__in=material) | Q(unit_id__in=liaison_unit_ids(user))
    )


def access_evidence(user: User, pk: int) -> Evidence:
    evidence = visible_evidence(user).select_related("file", "unit").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


def may_upload_for(user: User, campaign, unit: Unit) -> bool:
    """The campaign office for any unit of its directory; a liaison for its own unit in a
    campaign it can see."""
    if unit.region_id != campaign.region_id:
        return False
    if manages_region(user, campaign.region_id):
        return True
    return unit.pk in liaison_unit_ids(user) and sees_region(user, campaign.region_id)
