"""Which campaigns a user sees and manages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from qualitycity.orgs.access import is_admin, roles_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, User

from .models import Campaign


def _region_ids(user: User, roles: set[str] | None = None) -> set[int]:
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("region_id", flat=True))


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    qs = Campaign.objects.select_related("region", "framework")
    if is_admin(user):
        return qs
    return qs.filter(region_id__in=_region_ids(user))


def manages_campaign(user: User, campaign: Campaign) -> bool:
    """The campaign office (创质办) of the campaign's region, or an administrator."""
    if is_admin(user):
        return True
    if Role.OFFICE not in roles_of(user):
        return False
    return campaign.region_id in _region_ids(user, {Role.OFFICE})


def access_campaign(user: User, pk: int, *, manage: bool = False) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None or (manage and not manages_campaign(user, campaign)):
        raise Http404
    return campaign
