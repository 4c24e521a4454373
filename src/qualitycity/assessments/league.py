"""The league table (排行): every campaign the user reads, with its latest round's totals, ranked.

A fixed number of queries whatever the number of campaigns: the campaigns, their rounds, the
scores of the latest rounds as plain tuples (no model objects), the veto inputs, and each distinct
framework's structure. A framework version never changes once imported (its content hash names
it), so its structure (items, criteria, scheme) is read once per process and kept
(`framework_structure`); the totals are the pure `scoring.totals` over the tuples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Sum

from qualitycity import clock
from qualitycity.campaigns.models import Campaign
from qualitycity.frameworks.models import Framework
from qualitycity.frameworks.structure import framework_tables

from .choices import NAStatus
from .models import Round, Score
from .queries import scheme_args, veto_of, veto_triggered
from .scoring import CriterionResult, ItemInfo, RoundTotal, totals


@dataclass(frozen=True)
class CriterionInfo:
    pk: int
    key: str
    item: str
    maximum: Decimal
    bonus: bool
    veto: str | None


@dataclass(frozen=True)
class Structure:
    items: tuple[ItemInfo, ...]
    criteria: tuple[CriterionInfo, ...]
    scheme: dict

    @property
    def veto_ids(self) -> list[int]:
        return [c.pk for c in self.criteria if c.veto]

    def total(self, scores: dict[int, tuple], vetoes: dict[int, bool]) -> RoundTotal:
        """The round's totals from {criterion id: (points, na status)} and triggered vetoes."""
        results = []
        for c in self.criteria:
            points, na_status = scores.get(c.pk, (None, None))
            na = na_status == NAStatus.APPROVED
            results.append(
                CriterionResult(
                    c.key,
                    c.item,
                    c.maximum,
                    None if na else points,
                    na,
                    bonus=c.bonus,
                    veto=c.veto,
                    triggered=vetoes.get(c.pk, False),
                )
            )
        return totals(self.items, results, **scheme_args(self.scheme))


# Built from the framework's kept table (frameworks/structure.py), once per version.
_STRUCTURES: dict[tuple, Structure] = {}


def framework_structure(framework: Framework) -> Structure:
    """The framework version's scoring structure, built once per process from its table: a
    version is never changed after its import (its id, content hash and import time name it)."""
    key = (framework.pk, framework.content_hash, framework.loaded_at)
    structure = _STRUCTURES.get(key)
    if structure is None:
        items, criteria = framework_tables(framework)
        scheme = framework.scheme or {}
        bonus_items = set(scheme.get("bonus_items", []))
        bonus_keys = set(scheme.get("bonus_criteria", []))
        codes = {i.pk: i.code for i in items}
        structure = _STRUCTURES[key] = Structure(
            tuple(
                ItemInfo(i.code, i.dimension.number, i.max_points, i.code in bonus_items)
                for i in items
            ),
            tuple(
                CriterionInfo(
                    c.pk,
                    c.key,
                    codes[c.item_id],
                    c.max_points,
                    codes[c.item_id] in bonus_items or c.key in bonus_keys,
                    veto_of(c.rule or {}),
                )
                for c in criteria
            ),
            scheme,
        )
    return structure


@dataclass(frozen=True)
class Standing:
    """What the league shows of a round's totals, computed once from scoring.totals."""

    full: Decimal
    final: Decimal
    grade: str | None
    failed: bool
    unscored: int

    @classmethod
    def of(cls, total: RoundTotal) -> Standing:
        return cls(total.full, total.final, total.grade, total.failed, total.unscored)


@dataclass
class LeagueRow:
    campaign: Campaign
    round: Round | None
    total: Standing | None
    criteria: int  # rows of the campaign's table
    rank: int | None = None

    @property
    def scored(self) -> int:
        if self.total is None:
            return 0
        return self.criteria - self.total.unscored

    @property
    def percent(self) -> Decimal | None:
        if self.total is None or not self.total.full:
            return None
        return (self.total.final * 100 / self.total.full).quantize(Decimal("0.1"))


# Each round's standing as last computed in this process, with the state of its scores it was
# computed from (their count, the sum of their versions, the newest id): every save, 合理缺项
# claim or decision raises a version, so a changed round is computed again and an unchanged one
# (every locked round) is not. Bounded: cleared when it holds more rounds than a province has.
_STANDINGS: dict[int, tuple[tuple, Standing]] = {}
_STANDINGS_MAX = 5000


def latest_rounds(campaign_ids: Iterable[int], kind: str = "") -> dict[int, Round]:
    """Each campaign's latest round that has begun (of `kind` when given): the latest start on
    or before today, then the newest. A round planned for later does not displace the last one
    held."""
    rounds = Round.objects.filter(
        campaign_id__in=list(campaign_ids), start__lte=clock.today()
    ).order_by("campaign_id", "-start", "-pk")
    if kind:
        rounds = rounds.filter(kind=kind)
    latest: dict[int, Round] = {}
    for rnd in rounds:
        latest.setdefault(rnd.campaign_id, rnd)
    return latest


def _compute(stale: list[Round], structures: dict, framework_of: dict, key) -> None:
    """The standings of the rounds whose scores changed since this process last read them: their
    scores as tuples (two queries for all of them), then the pure totals."""
    ids = [r.pk for r in stale]
    scores: dict[int, dict[int, tuple]] = defaultdict(dict)
    for round_id, criterion_id, points, na_status in (
        Score.objects.filter(round_id__in=ids)
        .order_by()
        .values_list("round_id", "criterion_id", "points", "na_status")
    ):
        scores[round_id][criterion_id] = (points, na_status)
    veto_ids = {pk for r in stale for pk in structures[framework_of[r.campaign_id].pk].veto_ids}
    vetoes: dict[int, dict[int, bool]] = defaultdict(dict)
    if veto_ids:
        for round_id, criterion_id, value in (
            Score.objects.filter(round_id__in=ids, criterion_id__in=veto_ids)
            .order_by()
            .values_list("round_id", "criterion_id", "value")
        ):
            vetoes[round_id][criterion_id] = veto_triggered(value)
    if len(_STANDINGS) + len(stale) > _STANDINGS_MAX:
        _STANDINGS.clear()
    for rnd in stale:
        structure = structures[framework_of[rnd.campaign_id].pk]
        total = structure.total(scores[rnd.pk], vetoes[rnd.pk])
        _STANDINGS[rnd.pk] = (key(rnd), Standing.of(total))


def league(campaigns: Sequence[Campaign], *, kind: str = "") -> list[LeagueRow]:
    """The campaigns (with region and framework selected) ranked by their latest round's final
    total, highest first; a failed veto ranks below every total; campaigns without a round last."""
    latest = latest_rounds((c.pk for c in campaigns), kind)
    round_ids = [r.pk for r in latest.values()]
    structures = {c.framework_id: framework_structure(c.framework) for c in campaigns}
    framework_of = {c.pk: c.framework for c in campaigns}
    states = {
        round_id: (n, versions, newest)
        for round_id, n, versions, newest in Score.objects.filter(round_id__in=round_ids)
        .order_by()
        .values("round_id")
        .annotate(n=Count("pk"), versions=Sum("version"), newest=Max("pk"))
        .values_list("round_id", "n", "versions", "newest")
    }

    def key(rnd: Round) -> tuple:
        f = framework_of[rnd.campaign_id]
        return (states.get(rnd.pk), f.pk, f.content_hash, f.loaded_at)

    stale = [r for r in latest.values() if _STANDINGS.get(r.pk, ((),))[0] != key(r)]
    if stale:
        _compute(stale, structures, framework_of, key)
    rows = []
    for campaign in campaigns:
        structure = structures[campaign.framework_id]
        rnd = latest.get(campaign.pk)
        standing = _STANDINGS[rnd.pk][1] if rnd else None
        rows.append(LeagueRow(campaign, rnd, standing, len(structure.criteria)))

    def order(row: LeagueRow) -> tuple:
        if row.total is None:
            return (2, Decimal(0), row.campaign.region.code)
        return (1 if row.total.failed else 0, -row.total.final, row.campaign.region.code)

    rows.sort(key=order)
    rank = 0
    previous = None
    for n, row in enumerate(rows, start=1):
        if row.total is None:
            continue
        place = (row.total.failed, row.total.final)
        if place != previous:
            rank, previous = n, place
        row.rank = rank
    return rows
