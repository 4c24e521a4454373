"""Who may do what with the organisation, and scoped fetching for views."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .choices import Role
from .models import Membership, Unit, UnitGroup, User


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_qc_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        user._qc_roles = cached  # type: ignore[attr-defined]
    return cached


def is_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.ADMIN in roles_of(user))


def is_office(user: User) -> bool:
    return is_admin(user) or Role.OFFICE in roles_of(user)


def can_manage_orgs(user: User) -> bool:
    """Units, aliases, groups and memberships are kept by the campaign office."""
    return is_office(user)


def can_view_frameworks(user: User) -> bool:
    return user.is_authenticated and bool(roles_of(user) or user.is_superuser)


def visible_units(user: User) -> QuerySet[Unit]:
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.select_related("region")


def access_unit(user: User, pk: int, *, write: bool = False) -> Unit:
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None or (write and not can_manage_orgs(user)):
        raise Http404
    return unit


def access_group(user: User, pk: int, *, write: bool = False) -> UnitGroup:
    group = UnitGroup.objects.filter(pk=pk).first() if user.is_authenticated else None
    if group is None or (write and not can_manage_orgs(user)):
        raise Http404
    return group


def member_region_ids(user: User, roles: set[str] | None = None) -> set[int]:
    """The regions a user has a membership in (optionally only with one of `roles`)."""
    if not user.is_authenticated:
        return set()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return set(memberships.values_list("region_id", flat=True))


def sees_region(user: User, region_id: int) -> bool:
    """Administrators see every region; everyone else the regions they are a member of."""
    return is_admin(user) or region_id in member_region_ids(user)


def manages_region(user: User, region_id: int) -> bool:
    """The campaign office (创质办) of the region, or an administrator."""
    if is_admin(user):
        return True
    if Role.OFFICE not in roles_of(user):
        return False
    return region_id in member_region_ids(user, {Role.OFFICE})


def sees_all_campaign_material(user: User) -> bool:
    """Office, leaders and assessors read all work and material of their region's campaigns;
    liaisons only their own unit's."""
    return is_admin(user) or bool(roles_of(user) & {Role.OFFICE, Role.LEADER, Role.ASSESSOR})


def liaison_unit_ids(user: User) -> set[int]:
    """The units a user is a liaison (成员单位联络员) of."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Role.LIAISON).values_list("unit_id", flat=True)
    )
