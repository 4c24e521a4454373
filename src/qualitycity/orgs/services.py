"""All writes to the organisation: units, aliases, groups, memberships, and the built-in data."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed

from .access import can_manage_orgs, is_admin
from .choices import RegionKind, Role, UnitKind
from .models import Alias, ApiToken, Membership, Region, Unit, UnitGroup, User

if TYPE_CHECKING:
    from .loading import OrgPlan
    from .people_import import PeoplePlan

BUILTIN_ORG_FILE = Path(__file__).resolve().parent / "data" / "yongzhou.yaml"


@dataclass(frozen=True)
class NameRef:
    """What a printed unit name stands for."""

    kind: str  # "unit" or "group"
    pk: int
    canonical: str


def name_index(region: Region | int) -> dict[str, NameRef]:
    """Every unit name, group name and alias of one region's directory, mapped to what it
    names (3 queries). Names from other directories never appear."""
    region_id = region if isinstance(region, int) else region.pk
    index: dict[str, NameRef] = {}
    for pk, name in Unit.objects.filter(region_id=region_id).values_list("pk", "name"):
        index[name] = NameRef("unit", pk, name)
    for pk, name in UnitGroup.objects.filter(region_id=region_id).values_list("pk", "name"):
        index[name] = NameRef("group", pk, name)
    for name, unit_id, unit_name, group_id, group_name in Alias.objects.filter(
        region_id=region_id
    ).values_list("name", "unit_id", "unit__name", "group_id", "group__name"):
        if unit_id:
            index[name] = NameRef("unit", unit_id, unit_name)
        else:
            index[name] = NameRef("group", group_id, group_name)
    return index


def _require_manager(by: User | None, region: Region) -> None:
    if by is not None and not can_manage_orgs(by, region.pk):
        raise NotAllowed(_("只有本行政区的创质办或系统管理员可以维护其单位名录。"))


def _name_taken(
    name: str, region: Region, *, unit: Unit | None = None, group: UnitGroup | None = None
) -> bool:
    """Whether a name is used in the region's directory by another unit, group or alias."""
    units = Unit.objects.filter(region=region, name=name)
    groups = UnitGroup.objects.filter(region=region, name=name)
    aliases = Alias.objects.filter(region=region, name=name)
    if unit is not None and unit.pk:
        units = units.exclude(pk=unit.pk)
        aliases = aliases.exclude(unit=unit)
    if group is not None and group.pk:
        groups = groups.exclude(pk=group.pk)
        aliases = aliases.exclude(group=group)
    return units.exists() or groups.exists() or aliases.exists()


ALIAS_MAX = Alias._meta.get_field("name").max_length


def _clean_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    too_long = []
    for raw in names:
        name = raw.strip().strip("、,,")  # noqa: B005 — any of these separators
        if len(name) > ALIAS_MAX:
            too_long.append(name)
        elif name and name not in out:
            out.append(name)
    if too_long:
        raise ValidationFailed(
            [
                _("别名“%(name)s…”超过 %(max)s 个字符。") % {"name": n[:20], "max": ALIAS_MAX}
                for n in too_long
            ]
        )
    return out


def _unit_state(unit: Unit) -> dict[str, Any]:
    state = snapshot(unit)
    state["aliases"] = sorted(unit.aliases.values_list("name", flat=True))
    return state


@transaction.atomic
def save_unit(
    unit: Unit | None,
    *,
    by: User | None,
    name: str,
    kind: str,
    region: Region,
    full_name: str = "",
    code: str | None = None,
    aliases: Iterable[str] = (),
    is_active: bool = True,
    position: int | None = None,
) -> Unit:
    """Create (unit=None) or change a unit with its aliases; one audit event.

    A unit stays in the directory it was created in; only an administrator (or the system's own
    loading) moves it to another region's directory."""
    _require_manager(by, region)
    if unit is not None and unit.region_id != region.pk:
        _require_manager(by, unit.region)
        if by is not None and not is_admin(by):
            raise NotAllowed(_("单位不能移到其他行政区的名录。"))
    name = name.strip()
    alias_names = [a for a in _clean_names(aliases) if a != name]
    problems: list[str] = []
    if not name:
        problems.append(_("单位简称不能为空。"))
    if kind not in UnitKind.values:
        problems.append(_("单位类型“%(kind)s”无效。") % {"kind": kind})
    target = unit or Unit()
    if name and _name_taken(name, region, unit=target):
        problems.append(
            _("名称“%(name)s”已被本名录中其他单位、单位组或别名使用。") % {"name": name}
        )
    for alias in alias_names:
        if _name_taken(alias, region, unit=target):
            problems.append(
                _("别名“%(name)s”已被本名录中其他单位、单位组或别名使用。") % {"name": alias}
            )
    if unit is None and not code:
        problems.append(_("新单位需要代码。"))
    if code and Unit.objects.filter(region=region, code=code).exclude(pk=target.pk).exists():
        problems.append(_("代码“%(code)s”已被使用。") % {"code": code})
    if problems:
        raise ValidationFailed(problems)

    before = _unit_state(unit) if unit is not None else None
    target.name = name
    target.full_name = full_name.strip()
    target.kind = kind
    target.region = region
    target.is_active = is_active
    if code:
        target.code = code
    if position is not None:
        target.position = position
    target.save()
    existing = {a.name: a for a in target.aliases.all()}
    for alias_name, alias in existing.items():
        if alias_name not in alias_names:
            alias.delete()
        elif alias.region_id != region.pk:
            alias.region = region
            alias.save(update_fields=["region"])
    for alias_name in alias_names:
        if alias_name not in existing:
            Alias.objects.create(region=region, name=alias_name, unit=target)
    after = _unit_state(target)
    if before != after:
        record(
            by,
            "unit.created" if unit is None else "unit.changed",
            target,
            before=before,
            after=after,
        )
    return target


def _group_state(group: UnitGroup) -> dict[str, Any]:
    state = snapshot(group)
    state["members"] = sorted(group.members.values_list("name", flat=True))
    state["aliases"] = sorted(group.aliases.values_list("name", flat=True))
    return state


@transaction.atomic
def save_group(
    group: UnitGroup | None,
    *,
    by: User | None,
    name: str,
    members: Iterable[Unit],
    region: Region | None = None,
    code: str | None = None,
    description: str = "",
    aliases: Iterable[str] = (),
    position: int | None = None,
) -> UnitGroup:
    """Create (group=None, in `region`'s directory) or change a unit group, its members and
    aliases; one audit event. A group's members come from its own directory."""
    if group is not None:
        region = group.region
    if region is None:
        raise ValidationFailed(_("新单位组需要所属行政区。"))
    _require_manager(by, region)
    name = name.strip()
    alias_names = [a for a in _clean_names(aliases) if a != name]
    members = list(members)
    target = group or UnitGroup(region=region)
    problems: list[str] = []
    if not name:
        problems.append(_("单位组名称不能为空。"))
    elif _name_taken(name, region, group=target):
        problems.append(
            _("名称“%(name)s”已被本名录中其他单位、单位组或别名使用。") % {"name": name}
        )
    for alias in alias_names:
        if _name_taken(alias, region, group=target):
            problems.append(
                _("别名“%(name)s”已被本名录中其他单位、单位组或别名使用。") % {"name": alias}
            )
    for member in members:
        if member.region_id != region.pk:
            problems.append(
                _("“%(unit)s”不在%(region)s的单位名录中,不能成为本单位组的成员。")
                % {"unit": member.name, "region": region.name}
            )
    if group is None and not code:
        problems.append(_("新单位组需要代码。"))
    if code and UnitGroup.objects.filter(region=region, code=code).exclude(pk=target.pk).exists():
        problems.append(_("代码“%(code)s”已被使用。") % {"code": code})
    if problems:
        raise ValidationFailed(problems)
    before = _group_state(group) if group is not None else None
    target.name = name
    target.description = description
    if code:
        target.code = code
    if position is not None:
        target.position = position
    target.save()
    target.members.set(members)
    existing = {a.name: a for a in target.aliases.all()}
    for alias_name, alias in existing.items():
        if alias_name not in alias_names:
            alias.delete()
    for alias_name in alias_names:
        if alias_name not in existing:
            Alias.objects.create(region=region, name=alias_name, group=target)
    after = _group_state(target)
    if before != after:
        record(
            by,
            "group.created" if group is None else "group.changed",
            target,
            before=before,
            after=after,
        )
    return target


@transaction.atomic
def add_membership(
    user: User, *, by: User | None, role: str, region: Region, unit: Unit | None = None
) -> Membership:
    _require_manager(by, region)
    problems = _membership_problems(role, region, unit)
    if Membership.objects.filter(user=user, role=role, region=region, unit=unit).exists():
        problems.append(_("该用户已有此角色。"))
    if problems:
        raise ValidationFailed(problems)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, role=role, region=region, unit=unit)
    except IntegrityError as exc:
        raise ValidationFailed(_("该用户已有此角色。")) from exc
    record(by, "membership.added", membership, after=snapshot(membership))
    _forget_scope(user)
    return membership


def _forget_scope(user: User) -> None:
    user.__dict__.pop("_qc_scope", None)


def _membership_problems(role: str, region: Region, unit: Unit | None) -> list[str]:
    problems: list[str] = []
    if role not in Role.values:
        problems.append(_("角色“%(role)s”无效。") % {"role": role})
    if role == Role.LIAISON and unit is None:
        problems.append(_("成员单位联络员必须属于一个单位。"))
    if unit is not None and unit.region_id != region.pk:
        problems.append(
            _("“%(unit)s”不在%(region)s的单位名录中。") % {"unit": unit.name, "region": region.name}
        )
    return problems


@transaction.atomic
def change_membership(
    membership: Membership, *, by: User | None, role: str, region: Region, unit: Unit | None
) -> Membership:
    _require_manager(by, membership.region)
    _require_manager(by, region)
    problems = _membership_problems(role, region, unit)
    if problems:
        raise ValidationFailed(problems)
    clash = Membership.objects.filter(user=membership.user, role=role, region=region, unit=unit)
    if clash.exclude(pk=membership.pk).exists():
        raise ValidationFailed(_("该用户已有此角色。"))
    before = snapshot(membership)
    membership.role, membership.region, membership.unit = role, region, unit
    membership.save()
    record(by, "membership.changed", membership, before=before, after=snapshot(membership))
    _forget_scope(membership.user)
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, by: User | None) -> None:
    _require_manager(by, membership.region)
    before = snapshot(membership)
    record(by, "membership.removed", membership, before=before)
    membership.delete()
    _forget_scope(membership.user)


# --- built-in organisation data -------------------------------------------------------------


def _read_org_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(
            _("%(file)s:无法读取组织数据:%(error)s") % {"file": path, "error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise ValidationFailed(_("%(file)s:组织数据必须是一个映射。") % {"file": path})
    return data


@transaction.atomic
def load_org_data(path: Path = BUILTIN_ORG_FILE) -> dict[str, int]:
    """The system's own organisation data (the built-in files, at set-up): create or update
    regions, units, aliases and groups from a YAML file, as the system (no user).

    Idempotent: a second run with the same file changes nothing and records no event. A person's
    file goes through `loading.plan_org_load` and `apply_org_plan` instead, which check who may
    do what; this one may also move a unit whose code is unique across the installation into the
    directory the file names (an installation set up before directories existed).
    """
    by = None
    data = _read_org_file(path)
    counts = {"regions": 0, "units": 0, "groups": 0}
    regions: dict[str, Region] = {r.code: r for r in Region.objects.all()}
    problems: list[str] = []
    for pos, row in enumerate(data.get("regions") or []):
        code = str(row["code"])
        if row.get("kind") not in RegionKind.values:
            problems.append(_("行政区“%(name)s”的类型无效。") % {"name": row.get("name")})
            continue
        parent = regions.get(str(row["parent"])) if row.get("parent") else None
        region = regions.get(code)
        values = {"name": row["name"], "kind": row["kind"], "parent": parent, "position": pos}
        if region is None:
            region = Region.objects.create(code=code, **values)
            record(by, "region.created", region, after=snapshot(region))
            counts["regions"] += 1
        elif any(getattr(region, k) != v for k, v in values.items()):
            before = snapshot(region)
            for k, v in values.items():
                setattr(region, k, v)
            region.save()
            record(by, "region.changed", region, before=before, after=snapshot(region))
            counts["regions"] += 1
        regions[code] = region
    if problems:
        raise ValidationFailed(problems)

    units_by_key = {(u.region_id, u.code): u for u in Unit.objects.prefetch_related("aliases")}
    codes: dict[str, list[Unit]] = {}
    for u in units_by_key.values():
        codes.setdefault(u.code, []).append(u)
    for pos, row in enumerate(data.get("units") or []):
        region = regions.get(str(row.get("region")))
        if region is None:
            problems.append(
                _("单位“%(name)s”的行政区“%(region)s”不存在。")
                % {"name": row.get("name"), "region": row.get("region")}
            )
            continue
        unit = units_by_key.get((region.pk, row["code"]))
        if unit is None and by is None and len(codes.get(row["code"], [])) == 1:
            # The system's own data may move a unit between directories (e.g. a county
            # government that the city's campaign names joins the city's directory).
            unit = codes[row["code"]][0]
        wanted = {
            "name": row["name"],
            "full_name": row.get("full_name", ""),
            "kind": row["kind"],
            "region_id": region.pk,
            "position": pos,
            "aliases": sorted(_clean_names(row.get("aliases") or [])),
        }
        if unit is not None:
            current = {
                "name": unit.name,
                "full_name": unit.full_name,
                "kind": unit.kind,
                "region_id": unit.region_id,
                "position": unit.position,
                "aliases": sorted(a.name for a in unit.aliases.all()),
            }
            if current == wanted:
                continue
        try:
            save_unit(
                unit,
                by=by,
                code=row["code"],
                name=row["name"],
                full_name=row.get("full_name", ""),
                kind=row["kind"],
                region=region,
                aliases=row.get("aliases") or [],
                position=pos,
            )
            counts["units"] += 1
        except ValidationFailed as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationFailed(problems)

    by_name = {(u.region_id, u.name): u for u in Unit.objects.all()}
    groups_by_key = {
        (g.region_id, g.code): g for g in UnitGroup.objects.prefetch_related("members", "aliases")
    }
    for pos, row in enumerate(data.get("groups") or []):
        region = regions.get(str(row.get("region")))
        if region is None:
            problems.append(
                _("单位组“%(name)s”的行政区“%(region)s”不存在。")
                % {"name": row.get("name"), "region": row.get("region")}
            )
            continue
        members = []
        for member in row.get("members") or []:
            unit = by_name.get((region.pk, member))
            if unit is None:
                problems.append(
                    _("单位组“%(group)s”的成员“%(name)s”不是%(region)s名录中的单位。")
                    % {"group": row["name"], "name": member, "region": region.name}
                )
            else:
                members.append(unit)
        group = groups_by_key.get((region.pk, row["code"]))
        if group is not None:
            same = (
                group.name == row["name"]
                and group.description == (row.get("description") or "")
                and group.position == pos
                and {m.pk for m in group.members.all()} == {m.pk for m in members}
                and sorted(a.name for a in group.aliases.all())
                == sorted(_clean_names(row.get("aliases") or []))
            )
            if same:
                continue
        try:
            save_group(
                group,
                by=by,
                region=region,
                code=row["code"],
                name=row["name"],
                description=row.get("description") or "",
                members=members,
                aliases=row.get("aliases") or [],
                position=pos,
            )
            counts["groups"] += 1
        except ValidationFailed as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationFailed(problems)
    return counts


# --- loading an organisation file (planned by orgs.loading) ----------------------------------


@transaction.atomic
def apply_org_plan(plan: OrgPlan, *, by: User | None) -> dict[str, int]:
    """Write a clean plan (from `loading.plan_org_load` for the same user) in one transaction:
    regions first (parents before children), then units, then groups; one audit event per
    created or changed object, none for what is unchanged. Returns the number of writes by kind.
    """
    from .loading import CREATE

    if not plan.clean:
        raise ValidationFailed(plan.error_lines())
    if plan.by_id != (by.pk if by is not None else None):
        raise NotAllowed(_("导入计划不属于当前用户,请重新检查文件。"))
    counts = {"region": 0, "unit": 0, "group": 0}
    writes = plan.writes
    if not writes:
        return counts
    regions = {r.code: r for r in Region.objects.all()}
    region_changes = sorted(
        (c for c in writes if c.kind == "region"), key=lambda c: c.values["depth"]
    )
    for change in region_changes:
        values = change.values
        parent = regions[values["parent"]] if values["parent"] else None
        if change.action == CREATE:
            region = Region.objects.create(
                code=change.code,
                name=values["name"],
                kind=values["kind"],
                parent=parent,
                position=values["position"],
            )
            record(by, "region.created", region, after=snapshot(region))
        else:
            region = regions[change.code]
            before = snapshot(region)
            region.name, region.kind, region.parent = values["name"], values["kind"], parent
            region.save()
            record(by, "region.changed", region, before=before, after=snapshot(region))
        regions[change.code] = region
        counts["region"] += 1
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=[c.pk for c in writes if c.pk and c.kind == "unit"])
    }
    for change in (c for c in writes if c.kind == "unit"):
        values = change.values
        save_unit(
            units[change.pk] if change.pk else None,
            by=by,
            code=values["code"],
            name=values["name"],
            full_name=values["full_name"],
            kind=values["kind"],
            region=regions[values["region"]],
            aliases=values["aliases"],
            is_active=values["is_active"],
            position=values["position"],
        )
        counts["unit"] += 1
    group_changes = [c for c in writes if c.kind == "group"]
    if group_changes:
        directory = {
            (u.region_id, u.code): u
            for u in Unit.objects.filter(
                region_id__in={regions[c.values["region"]].pk for c in group_changes}
            )
        }
        groups = {
            g.pk: g for g in UnitGroup.objects.filter(pk__in=[c.pk for c in group_changes if c.pk])
        }
        for change in group_changes:
            values = change.values
            region = regions[values["region"]]
            save_group(
                groups[change.pk] if change.pk else None,
                by=by,
                region=region,
                code=values["code"],
                name=values["name"],
                description=values["description"],
                members=[directory[(region.pk, code)] for code in values["members"]],
                aliases=values["aliases"],
                position=values["position"],
            )
            counts["group"] += 1
    return counts


# --- user accounts ---------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    by: User | None,
    username: str,
    password: str,
    full_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a sign-in account (the system, or an administrator); one audit event, without the
    password. The username and password are checked by Django's own validators."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError as DjangoValidationError

    from .access import is_admin

    if by is not None and not is_admin(by):
        raise NotAllowed(_("只有系统管理员可以创建用户账号。"))
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    try:
        user.full_clean(exclude=["password"])
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages) from exc
    user.set_password(password)
    user.save()
    record(by, "user.created", user, after=snapshot(user))
    return user


@transaction.atomic
def change_password(user: User, *, old_password: str, new_password: str) -> User:
    """A person changes their own password: the old one must match and the new one pass
    Django's validators; one audit event, without either password."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError as DjangoValidationError

    if not user.check_password(old_password):
        raise ValidationFailed(_("原密码不正确。"))
    if new_password == old_password:
        raise ValidationFailed(_("新密码不能与原密码相同。"))
    try:
        password_validation.validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(user, "user.password_changed", user, after={"username": user.username})
    return user


# --- people: accounts and memberships kept by the office ---------------------------------------

# Roles an office gives within its own region; administrators are made by administrators.
OFFICE_ROLES = (Role.OFFICE, Role.LIAISON, Role.ASSESSOR, Role.LEADER)


@transaction.atomic
def create_member(
    *,
    by: User | None,
    region: Region,
    username: str,
    full_name: str,
    role: str,
    unit: Unit | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    """An account with its first membership in the office's own region, without a password:
    the person sets one through a one-time link (`send_password_link`). Two audit events."""
    _require_manager(by, region)
    problems = _membership_problems(role, region, unit)
    if role not in OFFICE_ROLES and not (by is None or is_admin(by)):
        problems.append(_("创质办不能授予“%(role)s”角色。") % {"role": Role(role).label})
    if not full_name.strip():
        problems.append(_("姓名不能为空。"))
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )
    try:
        user.full_clean(exclude=["password"])
    except DjangoValidationError as exc:
        problems.extend(exc.messages)
    if problems:
        raise ValidationFailed(problems)
    user.set_unusable_password()
    user.save()
    record(by, "user.created", user, after=snapshot(user))
    add_membership(user, by=by, role=role, region=region, unit=unit)
    return user


def _require_user_manager(by: User | None, user: User) -> None:
    from .access import manages_user

    if by is not None and not manages_user(by, user):
        raise NotAllowed(_("只有该用户所在行政区的创质办或系统管理员可以管理其账号。"))


@transaction.atomic
def set_user_active(user: User, *, by: User | None, active: bool) -> User:
    """Deactivate (or reactivate) an account: it can no longer sign in; its history stays."""
    _require_user_manager(by, user)
    if by is not None and by.pk == user.pk:
        raise ValidationFailed(_("不能停用自己的账号。"))
    if user.is_active == active:
        return user
    before = snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        by,
        "user.activated" if active else "user.deactivated",
        user,
        before=before,
        after=snapshot(user),
    )
    return user


def send_password_link(user: User, *, by: User | None, base_url: str) -> str:
    """E-mail the person a one-time link to set a new password (Django's token: it stops
    working once the password changes or after PASSWORD_RESET_TIMEOUT). Returns the link."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _require_user_manager(by, user)
    if not user.email:
        raise ValidationFailed(_("该用户没有填写电子邮箱,无法发送设置密码链接。"))
    if not user.is_active:
        raise ValidationFailed(_("该账号已停用,请先启用再发送设置密码链接。"))
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = base_url.rstrip("/") + path
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    send_mail(
        _("质量强市创建管理平台:设置密码"),
        _(
            "%(name)s:\n\n请打开下面的链接设置您的登录密码(用户名:%(username)s)。"
            "链接只能使用一次,%(days)s 天内有效。\n\n%(link)s\n"
        )
        % {
            "name": user.full_name or user.username,
            "username": user.username,
            "days": days,
            "link": link,
        },
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    record(by, "user.password_link_sent", user, after={"email": user.email})
    return link


@transaction.atomic
def _create_people(plan: PeoplePlan, *, by: User | None) -> list[User]:
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[r.unit_id for r in plan.rows if r.unit_id])
    }
    created = []
    for row in plan.rows:
        created.append(
            create_member(
                by=by,
                region=plan.region,
                username=row.values["username"],
                full_name=row.values["full_name"],
                role=row.role,
                unit=units.get(row.unit_id) if row.unit_id else None,
                email=row.values["email"],
                phone=row.values["phone"],
            )
        )
    record(
        by,
        "users.imported",
        plan.region,
        after={"created": len(created), "usernames": [u.username for u in created]},
    )
    return created


def import_people(
    plan: PeoplePlan, *, by: User | None, send_links: bool = False, base_url: str = ""
) -> tuple[list[User], int]:
    """Create every person of a clean plan with their first role, in one transaction (two audit
    events each and one for the import); then, if asked, e-mail each new person with an address
    the one-time link to set a password. Returns the accounts and how many links were sent."""
    _require_manager(by, plan.region)
    if not plan.clean:
        raise ValidationFailed(_("导入文件还有问题,没有写入任何数据。"))
    created = _create_people(plan, by=by)
    sent = 0
    if send_links:
        for user in created:
            if not user.email:
                continue
            try:
                send_password_link(user, by=by, base_url=base_url)
            except OSError:  # the mail server refused (smtplib's errors are OSErrors)
                continue  # the account stands; the link can be sent again from its page
            sent += 1
    return created, sent


# --- personal API tokens --------------------------------------------------------------------------

TOKEN_PREFIX = "qc_"
TOKEN_DAYS_MAX = 365
TOKENS_PER_USER = 20


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, *, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A person makes an API token for themself. The secret is returned once and never stored."""
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(_("请填写令牌名称。"))
    elif len(name) > 100:
        problems.append(_("令牌名称不能超过 100 个字符。"))
    elif any(ord(c) < 32 for c in name):
        problems.append(_("令牌名称不能包含控制字符。"))
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_DAYS_MAX:
        problems.append(_("有效天数必须在 1 到 %(max)d 之间。") % {"max": TOKEN_DAYS_MAX})
    now = clock.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= TOKENS_PER_USER:
        problems.append(
            _("有效令牌最多 %(max)d 个,请先撤销不用的令牌。") % {"max": TOKENS_PER_USER}
        )
    if problems:
        raise ValidationFailed(problems)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        digest=_token_digest(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    record(user, "token.created", token, after=snapshot(token, exclude=("digest",)))
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    """Only the owner revokes a token; revoking twice is refused."""
    if token.user_id != by.pk:
        raise NotAllowed(_("只能撤销自己的令牌。"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationFailed(_("该令牌已撤销。"))
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    record(by, "token.revoked", token, after={"name": token.name, "prefix": token.prefix})
    return token


def user_for_token(raw: str) -> User | None:
    """The active owner of a valid token, or None. Marks the token used (at most once a minute,
    so reading through the API does not write on every request)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_token_digest(raw), revoked_at__isnull=True)
        .first()
    )
    now = clock.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
