"""Rules for a campaign's phases (工作阶段), pure: no ORM.

A campaign has at least one phase; each lies inside the campaign's dates, ends on or after its
start, and follows the one before it without overlapping. The printed Yongzhou plan lets 总结验收
begin in the month 巩固提升 ends; an edit keeps such an overlap that is already stored (`known`)
but never makes a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class PhaseDates:
    key: object  # a stored phase's pk, or the row's index for new ones
    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PhaseProblem:
    index: int | None  # the phase's index in the list given; None: the list as a whole
    field: str  # "name", "start", "end" or ""
    message: str


def overlapping(phases: Sequence[PhaseDates]) -> set[frozenset[object]]:
    """The pairs of phases (by key) whose dates overlap."""
    out: set[frozenset[object]] = set()
    for i, a in enumerate(phases):
        for b in phases[i + 1 :]:
            if a.start <= b.end and b.start <= a.end:
                out.add(frozenset((a.key, b.key)))
    return out


def phase_problems(
    start: dt.date,
    end: dt.date,
    phases: Sequence[PhaseDates],
    *,
    known: Collection[frozenset[object]] = (),
) -> list[PhaseProblem]:
    """Why these phases may not belong to a campaign running from start to end ([]: they may).
    Phases are given in their order; `known` overlaps (already stored) are tolerated."""
    problems: list[PhaseProblem] = []
    if not phases:
        return [PhaseProblem(None, "", _("至少需要一个工作阶段。"))]
    names: set[str] = set()
    for i, p in enumerate(phases):
        label = p.name or _("第%(n)s个阶段") % {"n": i + 1}
        if not p.name.strip():
            problems.append(PhaseProblem(i, "name", _("阶段名称不能为空。")))
        elif p.name.strip() in names:
            problems.append(
                PhaseProblem(i, "name", _("阶段名称“%(name)s”重复。") % {"name": p.name})
            )
        names.add(p.name.strip())
        if p.end < p.start:
            problems.append(
                PhaseProblem(
                    i, "end", _("阶段“%(name)s”的结束日期早于开始日期。") % {"name": label}
                )
            )
        if p.start < start:
            problems.append(
                PhaseProblem(
                    i, "start", _("阶段“%(name)s”早于创建工作的开始日期。") % {"name": label}
                )
            )
        if p.end > end:
            problems.append(
                PhaseProblem(
                    i, "end", _("阶段“%(name)s”晚于创建工作的结束日期。") % {"name": label}
                )
            )
        if i and p.start < phases[i - 1].start:
            problems.append(
                PhaseProblem(
                    i,
                    "start",
                    _("阶段“%(name)s”应排在上一阶段之后,请按时间顺序填写。") % {"name": label},
                )
            )
    known_pairs = set(known)
    for i, a in enumerate(phases):
        for b in phases[i + 1 :]:
            pair = frozenset((a.key, b.key))
            if a.start <= b.end and b.start <= a.end and pair not in known_pairs:
                problems.append(
                    PhaseProblem(
                        phases.index(b),
                        "start",
                        _("阶段“%(a)s”与“%(b)s”的日期重叠。") % {"a": a.name, "b": b.name},
                    )
                )
    return problems
