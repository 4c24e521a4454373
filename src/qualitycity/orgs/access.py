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


def liaison_unit_ids(user: User) -> set[int]:
    """The units a user is a liaison (成员单位联络员) of."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role=Role.LIAISON).values_list("unit_id", flat=True)
    )
