"""Who may do what with the organisation, and scoped fetching for views.

Regions form a tree (province › city › county). What a person may do comes from their
memberships, each a role in one region:

- 创质办 (office) manages its own region only: its directory of units, groups and aliases, its
  campaigns and their data. It reads (never writes) the campaigns of the regions below it, so a
  city office reads its counties and a province-level office reads every campaign of the province.
- 领导 (leader) reads everything of its region and the regions below it.
- 评审专家 (assessor) reads the rounds it is assigned to, and the evidence of those rounds'
  campaigns (assessments.access); a campaign's other work (tasks, reports, notices) is not theirs.
- 成员单位联络员 (liaison) works for its own unit, in that unit's region.
- 系统管理员 (admin) everything.

Everything here is computed once per request from one query over the user's memberships and one
over the region tree, and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from .choices import RegionKind, Role
from .models import ApiToken, Membership, Region, Unit, UnitGroup, User

# Roles whose reading reaches down the region tree.
READS_BELOW = frozenset({Role.OFFICE, Role.LEADER})
# Roles that read all the material of a region's campaigns (not only one unit's). Assessors read
# what the rounds they are assigned to need (assessments.access), not a whole region's.
READS_MATERIAL = frozenset({Role.OFFICE, Role.LEADER})


@dataclass(frozen=True)
class Scope:
    admin: bool
    roles: frozenset[str]
    by_region: dict[int, frozenset[str]]  # region id → the roles held there directly
    readable: frozenset[int]  # regions whose campaigns the user sees
    material: frozenset[int]  # regions whose campaigns' whole material the user reads
    managed: frozenset[int]  # regions whose office the user is
    province_office: bool  # an office of a province-level region
    liaison_units: frozenset[int]


EMPTY_SCOPE = Scope(
    False, frozenset(), {}, frozenset(), frozenset(), frozenset(), False, frozenset()
)


def _descendants(children: dict[int | None, list[int]], roots: set[int]) -> set[int]:
    out: set[int] = set()
    stack = list(roots)
    while stack:
        region_id = stack.pop()
        if region_id in out:
            continue
        out.add(region_id)
        stack.extend(children.get(region_id, ()))
    return out


def scope_of(user: User) -> Scope:
    if not user.is_authenticated:
        return EMPTY_SCOPE
    cached = getattr(user, "_qc_scope", None)
    if cached is not None:
        return cached
    rows = list(Membership.objects.filter(user=user).values_list("role", "region_id", "unit_id"))
    by_region: dict[int, set[str]] = {}
    liaison_units: set[int] = set()
    for role, region_id, unit_id in rows:
        by_region.setdefault(region_id, set()).add(role)
        if role == Role.LIAISON and unit_id:
            liaison_units.add(unit_id)
    roles = {role for role, _r, _u in rows}
    admin = user.is_superuser or Role.ADMIN in roles
    reach = {r for r, held in by_region.items() if held & READS_BELOW}
    below: set[int] = set()
    province_office = False
    if reach:
        children: dict[int | None, list[int]] = {}
        kinds: dict[int, str] = {}
        for pk, parent_id, kind in Region.objects.values_list("pk", "parent_id", "kind"):
            children.setdefault(parent_id, []).append(pk)
            kinds[pk] = kind
        below = _descendants(children, reach)
        province_office = any(
            kinds.get(r) == RegionKind.PROVINCE and Role.OFFICE in held
            for r, held in by_region.items()
        )
    material = {r for r, held in by_region.items() if held & READS_MATERIAL} | below
    scope = Scope(
        admin=admin,
        roles=frozenset(roles),
        by_region={r: frozenset(held) for r, held in by_region.items()},
        readable=frozenset(set(by_region) | below),
        material=frozenset(material),
        managed=frozenset(r for r, held in by_region.items() if Role.OFFICE in held),
        province_office=province_office,
        liaison_units=frozenset(liaison_units),
    )
    user._qc_scope = scope  # type: ignore[attr-defined]
    return scope


def roles_of(user: User) -> set[str]:
    return set(scope_of(user).roles)


def is_admin(user: User) -> bool:
    return scope_of(user).admin


def is_office(user: User) -> bool:
    """An administrator or the office (创质办) of some region."""
    scope = scope_of(user)
    return scope.admin or bool(scope.managed)


def can_manage_orgs(user: User, region_id: int | None = None) -> bool:
    """A region's directory is kept by its own office (or an administrator). Without a region:
    whether the user keeps any directory at all."""
    scope = scope_of(user)
    if scope.admin:
        return True
    if region_id is None:
        return bool(scope.managed)
    return region_id in scope.managed


def managed_region_ids(user: User) -> frozenset[int] | None:
    """The regions whose directories (and campaigns) a user keeps; None means all (admins)."""
    scope = scope_of(user)
    return None if scope.admin else scope.managed


def writes_reference_series(user: User) -> bool:
    """National averages and ranks serve every region: administrators and province-level
    offices only."""
    scope = scope_of(user)
    return scope.admin or scope.province_office


def can_view_frameworks(user: User) -> bool:
    return user.is_authenticated and bool(scope_of(user).roles or user.is_superuser)


def directory_region_ids(user: User) -> frozenset[int] | None:
    """The regions whose directories a user reads; None means all (administrators)."""
    scope = scope_of(user)
    return None if scope.admin else scope.readable


def visible_units(user: User) -> QuerySet[Unit]:
    if not user.is_authenticated:
        return Unit.objects.none()
    qs = Unit.objects.select_related("region")
    regions = directory_region_ids(user)
    return qs if regions is None else qs.filter(region_id__in=regions)


def visible_groups(user: User) -> QuerySet[UnitGroup]:
    if not user.is_authenticated:
        return UnitGroup.objects.none()
    qs = UnitGroup.objects.select_related("region")
    regions = directory_region_ids(user)
    return qs if regions is None else qs.filter(region_id__in=regions)


def access_unit(user: User, pk: int, *, write: bool = False) -> Unit:
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None or (write and not can_manage_orgs(user, unit.region_id)):
        raise Http404
    return unit


def access_group(user: User, pk: int, *, write: bool = False) -> UnitGroup:
    group = visible_groups(user).filter(pk=pk).first()
    if group is None or (write and not can_manage_orgs(user, group.region_id)):
        raise Http404
    return group


def member_region_ids(user: User, roles: set[str] | None = None) -> set[int]:
    """The regions a user holds a membership in directly (optionally with one of `roles`)."""
    scope = scope_of(user)
    if roles is None:
        return set(scope.by_region)
    return {r for r, held in scope.by_region.items() if held & roles}


def readable_region_ids(user: User) -> frozenset[int] | None:
    """The regions whose campaigns a user sees; None means all (administrators)."""
    scope = scope_of(user)
    return None if scope.admin else scope.readable


def material_region_ids(user: User) -> frozenset[int] | None:
    """The regions in which a user reads all campaign material (every unit's work, scores and
    evidence); None means all. Elsewhere a liaison reads only its own unit's."""
    scope = scope_of(user)
    return None if scope.admin else scope.material


def sees_region(user: User, region_id: int) -> bool:
    """Administrators see every region; others their regions and, for offices and leaders, the
    regions below them."""
    scope = scope_of(user)
    return scope.admin or region_id in scope.readable


def manages_region(user: User, region_id: int) -> bool:
    """The campaign office (创质办) of the region itself, or an administrator."""
    scope = scope_of(user)
    return scope.admin or region_id in scope.managed


def sees_all_campaign_material(user: User, region_id: int | None = None) -> bool:
    """Offices and leaders read all work and material of a region's campaigns (also below their
    region); liaisons only their own unit's; assessors their assigned rounds'. Without a region:
    whether the user reads all material anywhere."""
    scope = scope_of(user)
    if scope.admin:
        return True
    if region_id is None:
        return bool(scope.material)
    return region_id in scope.material


def liaison_unit_ids(user: User) -> set[int]:
    """The units a user is a liaison (成员单位联络员) of."""
    return set(scope_of(user).liaison_units)


# --- people: users and memberships ------------------------------------------------------------


def region_users(user: User) -> QuerySet[User]:
    """The accounts an office administers: everyone with a membership in a region it manages
    (administrators: everyone)."""
    if not user.is_authenticated:
        return User.objects.none()
    scope = scope_of(user)
    if scope.admin:
        return User.objects.all()
    if not scope.managed:
        return User.objects.none()
    return User.objects.filter(memberships__region_id__in=scope.managed).distinct()


def manages_user(by: User, user: User) -> bool:
    """Whether `by` may change `user`'s account (activate, send a password link): an
    administrator, or the office of every region the user holds a membership in. Administrators'
    accounts are kept by administrators only."""
    scope = scope_of(by)
    if scope.admin:
        return True
    if user.is_superuser or not scope.managed:
        return False
    regions = {m.region_id for m in user.memberships.all()}
    roles = {m.role for m in user.memberships.all()}
    return bool(regions) and regions <= scope.managed and Role.ADMIN not in roles


def access_user(by: User, pk: int) -> User:
    """An account the office administers (404 otherwise, as for a missing one)."""
    user = region_users(by).prefetch_related("memberships__region", "memberships__unit")
    found = user.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_tokens(user: User) -> QuerySet[ApiToken]:
    """A person's API tokens: only their owner lists or revokes them (an admin neither)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user)


def access_token(user: User, pk: int) -> ApiToken:
    token = own_tokens(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
