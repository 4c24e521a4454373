"""Read models for rounds: the ORM rows turned into the pure scoring inputs, in fixed queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.models import ResponsibleUnit
from qualitycity.evidence.queries import campaign_criterion_links
from qualitycity.frameworks.models import Criterion, Item
from qualitycity.frameworks.structure import framework_tables

from .charging import Charge, charge_losses
from .choices import FindingStatus, NAStatus
from .models import Evidence, Finding, Round, Score
from .scoring import (
    CriterionResult,
    Gap,
    GradeBand,
    ItemInfo,
    RoundTotal,
    gaps,
    projected,
    totals,
)


@dataclass(frozen=True)
class ScoreFacts:
    """What the totals and the counts read of a score: no model object, no user."""

    points: Decimal | None
    na_status: str
    vetoed: bool  # a veto criterion's input says the veto was triggered

    @property
    def scored(self) -> bool:
        return self.points is not None or self.na_status == NAStatus.APPROVED


@dataclass
class RoundData:
    round: Round
    items: list[Item]
    criteria: list[Criterion]
    scores: dict[int, Score]  # by criterion id; only the rows asked for (`scores_for`)
    facts: dict[int, ScoreFacts] = field(default_factory=dict)  # every scored row
    lead: dict[int, list[ResponsibleUnit]] = field(default_factory=dict)
    cooperating: dict[int, list[ResponsibleUnit]] = field(default_factory=dict)
    evidence_count: dict[int, int] = field(default_factory=dict)  # by criterion id

    @property
    def scheme(self) -> dict:
        """The framework's scheme (bonus, grades), read through the items' join: no query."""
        return self.items[0].framework.scheme or {} if self.items else {}

    def scheme_args(self) -> dict:
        return scheme_args(self.scheme)

    def item_infos(self) -> list[ItemInfo]:
        bonus = set(self.scheme.get("bonus_items", []))
        return [
            ItemInfo(i.code, i.dimension.number, i.max_points, i.code in bonus) for i in self.items
        ]

    def results(self) -> list[CriterionResult]:
        scheme = self.scheme
        item_code = {i.pk: i.code for i in self.items}
        bonus_items = set(scheme.get("bonus_items", []))
        bonus_keys = set(scheme.get("bonus_criteria", []))
        out = []
        for c in self.criteria:
            score = self.facts.get(c.pk)
            na = bool(score and score.na_status == NAStatus.APPROVED)
            points = score.points if score and not na else None
            code = item_code[c.item_id]
            veto = veto_of(c.rule)
            triggered = bool(veto and score and score.vetoed)
            out.append(
                CriterionResult(
                    c.key,
                    code,
                    c.max_points,
                    points,
                    na,
                    bonus=code in bonus_items or c.key in bonus_keys,
                    veto=veto,
                    triggered=triggered,
                )
            )
        return out

    def totals(self) -> RoundTotal:
        return totals(self.item_infos(), self.results(), **self.scheme_args())


def veto_of(rule: dict) -> str | None:
    """A veto criterion's consequence as the totals take it: "fail" or the forced grade."""
    if rule.get("type") != "veto":
        return None
    return rule.get("grade") or rule.get("consequence") or "fail"


def veto_triggered(value: dict | None) -> bool:
    """Whether a veto criterion's stored input says the veto was triggered."""
    return (value or {}).get("input") is True


def scheme_args(scheme: dict) -> dict:
    """The framework scheme as keyword arguments of scoring.totals."""
    cap = scheme.get("bonus_cap")
    return {
        "bonus_cap": None if cap is None else Decimal(str(cap)),
        "grades": [
            GradeBand(
                g["label"],
                Decimal(str(g["min"])),
                None if g.get("max") is None else Decimal(str(g["max"])),
            )
            for g in scheme.get("grades", [])
        ],
    }


def round_data(
    rnd: Round,
    *,
    with_units: bool = True,
    units_for: Collection[int] | None = None,
    scores_for: Collection[int] | None = None,
    cooperating: bool = True,
) -> RoundData:
    """Everything about a round's table in a fixed number of queries. The framework's items and
    criteria are read once per process (frameworks/structure.py); `units_for` limits the
    responsibility table and `scores_for` the score objects (with who scored) to the rows a page
    shows (the workspace shows one dimension, a save one row). The totals and counts read every
    row's facts, as plain values."""
    items, criteria = framework_tables(rnd.campaign.framework)
    detailed = Score.objects.filter(round=rnd).select_related("scored_by", "na_decided_by")
    if scores_for is None:
        scores = {s.criterion_id: s for s in detailed}
        facts = {
            cid: ScoreFacts(s.points, s.na_status, veto_triggered(s.value))
            for cid, s in scores.items()
        }
    else:
        facts = {
            cid: ScoreFacts(points, na_status, veto_triggered(value))
            for cid, points, na_status, value in Score.objects.filter(round=rnd).values_list(
                "criterion_id", "points", "na_status", "value"
            )
        }
        # (an empty `scores_for` makes no query: Django skips an empty IN)
        scores = {s.criterion_id: s for s in detailed.filter(criterion_id__in=list(scores_for))}
    data = RoundData(rnd, items, criteria, scores, facts)
    if with_units:
        # The campaign's responsibility table: printed names as resolved in its directory.
        lead: dict[int, list[ResponsibleUnit]] = defaultdict(list)
        coop: dict[int, list[ResponsibleUnit]] = defaultdict(list)
        entries = ResponsibleUnit.objects.filter(campaign_id=rnd.campaign_id)
        if not cooperating:
            entries = entries.filter(role=WorkRole.LEAD)
        if units_for is not None:
            entries = entries.filter(criterion_id__in=list(units_for))
        for entry in entries.select_related("unit", "group").order_by(
            "criterion_id", "role", "position"
        ):
            (lead if entry.role == WorkRole.LEAD else coop)[entry.criterion_id].append(entry)
        data.lead, data.cooperating = dict(lead), dict(coop)
    rows = {c.pk for c in criteria}  # the framework's rows: links elsewhere are not counted
    data.evidence_count = {
        criterion_id: n
        for criterion_id, n in campaign_criterion_links(rnd.campaign_id)
        .values_list("criterion_id")
        .annotate(n=Count("evidence_id"))
        .values_list("criterion_id", "n")
        if criterion_id in rows
    }
    return data


@dataclass
class GapRow:
    gap: Gap
    criterion: Criterion
    lead: list[ResponsibleUnit]
    evidence: int
    open_findings: int
    share: Decimal | None = None  # each lead unit's part when several share the row


def charged_party(entry: ResponsibleUnit) -> str:
    """Who a lead entry charges: the unit or group it resolves to, else its printed name."""
    return entry.target_name or entry.printed_name


def row_parties(row: GapRow) -> list[str]:
    """The parties a gap row's lost points are charged to (none: the row has no lead unit)."""
    return list(dict.fromkeys(charged_party(e) for e in row.lead))


@dataclass
class GapReport:
    rows: list[GapRow]
    by_unit: list[Charge]
    no_evidence: list[Criterion]
    total: RoundTotal
    projected: RoundTotal


def gap_report(rnd: Round) -> GapReport:
    # lost points are charged to lead units; no score objects, only their facts
    data = round_data(rnd, scores_for=(), cooperating=False)
    results = data.results()
    by_key = {c.key: c for c in data.criteria}
    open_findings: dict[int, int] = defaultdict(int)
    key_of = {c.pk: c.key for c in data.criteria}
    findings: list[tuple[str, str]] = []
    for criterion_id, status in Finding.objects.filter(round=rnd).values_list(
        "criterion_id", "status"
    ):
        findings.append((key_of[criterion_id], status))
        if status in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS, FindingStatus.FIXED):
            open_findings[criterion_id] += 1
    rows = []
    charged: list[tuple[str, Decimal, list[str]]] = []
    for gap in gaps(results):
        criterion = by_key[gap.key]
        lead = data.lead.get(criterion.pk, [])
        parties = list(dict.fromkeys(charged_party(e) for e in lead))
        rows.append(
            GapRow(
                gap,
                criterion,
                lead,
                data.evidence_count.get(criterion.pk, 0),
                open_findings.get(criterion.pk, 0),
                share=(gap.lost / len(parties)).quantize(Decimal("0.01"))
                if len(parties) > 1
                else None,
            )
        )
        charged.append((gap.key, gap.lost, parties))
    no_evidence = [c for c in data.criteria if not data.evidence_count.get(c.pk)]
    items = data.item_infos()
    return GapReport(
        rows=rows,
        by_unit=charge_losses(charged),
        no_evidence=no_evidence,
        total=totals(items, results, **data.scheme_args()),
        projected=projected(items, results, findings, **data.scheme_args()),
    )


@dataclass
class CompareRow:
    criterion: Criterion
    a: ScoreFacts | None
    b: Score | None

    @property
    def delta(self) -> Decimal | None:
        if self.a is None or self.b is None or self.a.points is None or self.b.points is None:
            return None
        return self.b.points - self.a.points

    @property
    def changed(self) -> bool:
        pa = self.a.points if self.a else None
        pb = self.b.points if self.b else None
        na_a = self.a.na_status if self.a else ""
        na_b = self.b.na_status if self.b else ""
        return pa != pb or na_a != na_b


def compare_rounds(a: Round, b: Round) -> tuple[RoundData, RoundData, list[CompareRow]]:
    # the earlier round shows its points only; the later one who scored and when
    da, db = round_data(a, with_units=False, scores_for=()), round_data(b, with_units=False)
    rows = [CompareRow(c, da.facts.get(c.pk), db.scores.get(c.pk)) for c in db.criteria]
    return da, db, rows


def evidence_for_criteria(rnd: Round) -> dict[int, list[Evidence]]:
    """Evidence linked to each criterion of the round's campaign (2 queries)."""
    out: dict[int, list[Evidence]] = defaultdict(list)
    evidence = {
        e.pk: e
        for e in Evidence.objects.filter(campaign_id=rnd.campaign_id).select_related("unit", "file")
    }
    for criterion_id, evidence_id in campaign_criterion_links(rnd.campaign_id).values_list(
        "criterion_id", "evidence_id"
    ):
        out[criterion_id].append(evidence[evidence_id])
    return dict(out)
