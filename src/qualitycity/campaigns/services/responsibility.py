"""Writes to a campaign's responsibility table (责任分工表): resolving the framework's printed
unit names in the campaign's region directory, the office's name mappings, and units assigned to
rows that print none."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record
from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.models import Criterion, CriterionUnit, UnitRole
from qualitycity.orgs.models import Unit, UnitGroup, User
from qualitycity.orgs.services import name_index

from .. import responsibility as pure
from ..choices import WorkRole
from ..models import Campaign, NameMapping, ResponsibleUnit
from .common import directory_problem, require_directory_unit, require_office

Target = Unit | UnitGroup


def _role(printed_role: str) -> str:
    return WorkRole.LEAD if printed_role == UnitRole.LEAD else WorkRole.COOPERATING


def resolution(campaign: Campaign) -> list[pure.Resolved]:
    """The framework's printed entries as this campaign reads them now (5 queries)."""
    directory = {
        name: pure.Target(ref.kind, ref.pk, ref.canonical)
        for name, ref in name_index(campaign.region_id).items()
    }
    mappings = {
        m.printed_name: (
            pure.Target("unit", m.unit_id, m.unit.name)
            if m.unit_id
            else pure.Target("group", m.group_id, m.group.name)
        )
        for m in NameMapping.objects.filter(campaign=campaign).select_related("unit", "group")
    }
    entries = [
        pure.PrintedEntry(criterion_id, _role(role), position, name)
        for criterion_id, role, position, name in CriterionUnit.objects.filter(
            criterion__framework_id=campaign.framework_id
        )
        .order_by("criterion__position", "role", "position")
        .values_list("criterion_id", "role", "position", "printed_name")
    ]
    return pure.resolve(entries, directory, mappings)


def _table_state(campaign: Campaign) -> list[tuple[Any, ...]]:
    return sorted(
        ResponsibleUnit.objects.filter(campaign=campaign).values_list(
            "criterion_id", "role", "position", "printed_name", "unit_id", "group_id"
        )
    )


@transaction.atomic
def resolve_responsibilities(campaign: Campaign, *, by: User | None) -> dict[str, int]:
    """Rebuild the printed part of the table from the framework, the directory and the office's
    mappings; rows the office assigned are kept. Returns counts; one audit event if it changed."""
    require_office(by, campaign)
    resolved = resolution(campaign)
    before = _table_state(campaign)
    ResponsibleUnit.objects.filter(campaign=campaign).exclude(printed_name="").delete()
    # Assigned entries keep their places: they follow the printed entries of their row and
    # role, and a campaign's framework (so its printed entries) never changes.
    rows = [
        ResponsibleUnit(
            campaign=campaign,
            criterion_id=r.entry.criterion_id,
            role=r.entry.role,
            position=r.entry.position,
            printed_name=r.entry.name,
            unit_id=r.target.pk if r.target and r.target.kind == "unit" else None,
            group_id=r.target.pk if r.target and r.target.kind == "group" else None,
        )
        for r in resolved
    ]
    ResponsibleUnit.objects.bulk_create(rows)
    counts = {
        "entries": len(resolved),
        "resolved": sum(1 for r in resolved if r.target is not None),
        "unresolved": sum(1 for r in resolved if r.target is None),
    }
    if _table_state(campaign) != before:
        record(by, "responsibilities.resolved", campaign, before=None, after=counts)
    return counts


@transaction.atomic
def map_name(
    campaign: Campaign, *, by: User | None, printed_name: str, target: Target | None
) -> dict[str, int]:
    """The office reads a printed name as one unit or group of its directory (target None:
    forget the mapping), for every row of the table that prints it; the table is rebuilt."""
    require_office(by, campaign)
    printed_name = printed_name.strip()
    printed = CriterionUnit.objects.filter(
        criterion__framework_id=campaign.framework_id, printed_name=printed_name
    )
    if not printed.exists():
        raise ValidationFailed(
            _("本创建工作的考核评分体系中没有“%(name)s”这一单位名称。") % {"name": printed_name}
        )
    existing = NameMapping.objects.filter(campaign=campaign, printed_name=printed_name).first()
    before = (
        {"printed_name": printed_name, "target": str(existing.unit or existing.group)}
        if existing
        else None
    )
    if target is None:
        if existing is None:
            raise ValidationFailed(_("“%(name)s”没有设置对应单位。") % {"name": printed_name})
        existing.delete()
        record(by, "name.unmapped", campaign, before=before)
    else:
        require_directory_unit(campaign, target)
        mapping = existing or NameMapping(campaign=campaign, printed_name=printed_name)
        mapping.unit = target if isinstance(target, Unit) else None
        mapping.group = target if isinstance(target, UnitGroup) else None
        mapping.save()
        record(
            by,
            "name.mapped",
            campaign,
            before=before,
            after={"printed_name": printed_name, "target": target.name},
        )
    return resolve_responsibilities(campaign, by=by)


@transaction.atomic
def assign_row_units(
    campaign: Campaign,
    *,
    by: User | None,
    criterion: Criterion,
    lead: Sequence[Target],
    cooperating: Sequence[Target] = (),
) -> None:
    """Units the office gives a row beyond what it prints (a table without a unit column);
    replaces the row's earlier assignment. The printed entries stay as they are."""
    require_office(by, campaign)
    if criterion.framework_id != campaign.framework_id:
        raise ValidationFailed(_("该评分细则不属于本创建工作的考核评分体系。"))
    problems = []
    for target in [*lead, *cooperating]:
        if problem := directory_problem(campaign, target):
            problems.append(problem)
    lead_keys = {(type(t), t.pk) for t in lead}
    for target in cooperating:
        if (type(target), target.pk) in lead_keys:
            problems.append(_("“%(name)s”不能同时是牵头单位和配合单位。") % {"name": target.name})
    if problems:
        raise ValidationFailed(problems)
    current = ResponsibleUnit.objects.filter(campaign=campaign, criterion=criterion)
    before = [str(e) for e in current.filter(printed_name="").select_related("unit", "group")]
    current.filter(printed_name="").delete()
    rows = []
    for role, targets in ((WorkRole.LEAD, lead), (WorkRole.COOPERATING, cooperating)):
        position = current.filter(role=role).count()
        for target in targets:
            rows.append(
                ResponsibleUnit(
                    campaign=campaign,
                    criterion=criterion,
                    role=role,
                    position=position,
                    printed_name="",
                    unit=target if isinstance(target, Unit) else None,
                    group=target if isinstance(target, UnitGroup) else None,
                )
            )
            position += 1
    ResponsibleUnit.objects.bulk_create(rows)
    after = [t.name for t in [*lead, *cooperating]]
    if before != after:
        record(
            by,
            "row_units.assigned",
            campaign,
            before={"row": criterion.key, "units": before},
            after={
                "row": criterion.key,
                "lead": [t.name for t in lead],
                "cooperating": [t.name for t in cooperating],
            },
        )
