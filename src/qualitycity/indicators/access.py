"""Who may read indicators and enter their data; scoped fetching for views.

Everyone with a role reads the indicators. A region's values are entered by its own campaign
office (创质办) and by the liaisons of the indicator's responsible unit in that region; a city
office reads but never writes its counties' values. Reference series that serve every region
(national averages, no region) are written only by administrators and province-level offices.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from qualitycity.orgs.access import (
    can_view_frameworks,
    is_admin,
    readable_region_ids,
    writes_reference_series,
)
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, User

from .models import Indicator, Observation


@dataclass(frozen=True)
class EntryScope:
    """What one user may enter, read once per request (one query)."""

    admin: bool
    office_regions: frozenset[int]
    liaison: dict[int, frozenset[int]]  # unit id → region ids of that liaison membership
    reference: bool = False  # writes the series without a region (national averages)

    @property
    def any(self) -> bool:
        return self.admin or bool(self.office_regions) or bool(self.liaison)

    def indicator(self, indicator: Indicator) -> bool:
        return (
            self.admin or bool(self.office_regions) or indicator.responsible_unit_id in self.liaison
        )

    def region_ids(self, indicator: Indicator) -> frozenset[int]:
        """Regions (by membership) for which this user enters the indicator's values."""
        ids = set(self.office_regions)
        ids |= self.liaison.get(indicator.responsible_unit_id, frozenset())
        return frozenset(ids)

    def allows(self, indicator: Indicator, region: Region | None) -> bool:
        if self.admin:
            return True
        if not self.indicator(indicator):
            return False
        if region is None:
            return self.reference
        return region.pk in self.region_ids(indicator)


def entry_scope(user: User) -> EntryScope:
    cached = getattr(user, "_qc_indicator_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return EntryScope(False, frozenset(), {}, False)
    office: set[int] = set()
    liaison: dict[int, set[int]] = {}
    for role, region_id, unit_id in Membership.objects.filter(
        user=user, role__in=(Role.OFFICE, Role.LIAISON)
    ).values_list("role", "region_id", "unit_id"):
        if role == Role.OFFICE:
            office.add(region_id)
        elif unit_id is not None:
            liaison.setdefault(unit_id, set()).add(region_id)
    scope = EntryScope(
        is_admin(user),
        frozenset(office),
        {unit: frozenset(regions) for unit, regions in liaison.items()},
        writes_reference_series(user),
    )
    user._qc_indicator_scope = scope  # type: ignore[attr-defined]
    return scope


def can_view_indicators(user: User) -> bool:
    return can_view_frameworks(user)


def visible_indicators(user: User) -> QuerySet[Indicator]:
    if not can_view_indicators(user):
        return Indicator.objects.none()
    return Indicator.objects.select_related("responsible_unit")


def enterable_indicators(user: User) -> QuerySet[Indicator]:
    scope = entry_scope(user)
    qs = visible_indicators(user)
    if scope.admin or scope.office_regions:
        return qs
    return qs.filter(responsible_unit_id__in=list(scope.liaison))


def access_indicator(user: User, pk: int, *, enter: bool = False) -> Indicator:
    qs = enterable_indicators(user) if enter else visible_indicators(user)
    indicator = qs.filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


def visible_regions(user: User) -> QuerySet[Region]:
    """Regions whose indicator values a user reads: their memberships' regions and, for offices
    and leaders, the regions below."""
    if not can_view_indicators(user):
        return Region.objects.none()
    ids = readable_region_ids(user)
    return Region.objects.all() if ids is None else Region.objects.filter(pk__in=ids)


def entry_regions(user: User, indicator: Indicator) -> QuerySet[Region]:
    scope = entry_scope(user)
    if scope.admin:
        return Region.objects.all()
    ids = list(scope.region_ids(indicator)) if scope.indicator(indicator) else []
    return Region.objects.filter(pk__in=ids)


def access_observation(user: User, pk: int) -> Observation:
    """An observation the user may change (404 otherwise, as for a missing one)."""
    obs = (
        Observation.objects.select_related("indicator", "indicator__responsible_unit", "region")
        .filter(pk=pk)
        .first()
    )
    if obs is None or not entry_scope(user).allows(obs.indicator, obs.region):
        raise Http404
    return obs
