"""The cockpit (领导驾驶舱): one campaign at a glance for its office and leaders.

A read model over the other apps' queries, in a fixed number of queries whatever the size of the
campaign: the supervision board (campaigns.queries.board), the latest round's totals and gaps
(assessments.queries.gap_report), the indicators' evaluations, open rectifications and notices,
and the campaign's recent audit events. Every figure carries the URL of the list behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode

from qualitycity.assessments import queries as round_queries
from qualitycity.assessments.charging import Charge
from qualitycity.assessments.choices import FindingStatus
from qualitycity.assessments.models import Finding, Round, Score
from qualitycity.assessments.scoring import RoundTotal
from qualitycity.audit.labels import action_label
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import queries as work_queries
from qualitycity.campaigns.choices import NoticeStatus
from qualitycity.campaigns.models import (
    Campaign,
    Meeting,
    ProgressReport,
    SupervisionNotice,
    Task,
)
from qualitycity.frameworks.models import Dimension
from qualitycity.indicators import evaluation
from qualitycity.indicators import queries as indicator_queries
from qualitycity.indicators.models import Indicator

UNIT_ROWS = 10  # units shown in the cockpit's tables and charts (all of them one click away)
RECENT = 10


def _url(name: str, *args: Any, **params: Any) -> str:
    url = reverse(name, args=args)
    params = {k: v for k, v in params.items() if v is not None and (v != "" or k == "party")}
    return f"{url}?{urlencode(params)}" if params else url


@dataclass
class DimensionRow:
    number: int
    title: str
    earned: Decimal
    reachable: Decimal
    percent: Decimal


@dataclass
class LostRow:
    party: str
    amount: Decimal
    rows: int
    url: str = ""  # the gap list of the rows charged to the party


@dataclass
class UnitColours:
    name: str
    red: int
    yellow: int
    blue: int
    red_url: str
    yellow_url: str
    blue_url: str
    tasks_url: str


@dataclass
class IndicatorRow:
    name: str
    status: str
    latest: str
    target: str
    url: str


@dataclass
class PhaseBar:
    name: str
    start: dt.date
    end: dt.date
    span: work_queries.Span
    current: bool
    past: bool


@dataclass
class Activity:
    at: dt.datetime
    actor: str
    label: str
    object_repr: str


@dataclass
class Cockpit:
    campaign: Campaign
    today: dt.date
    board: work_queries.Board
    round: Round | None = None
    total: RoundTotal | None = None
    projected: RoundTotal | None = None
    dimensions: list[DimensionRow] = field(default_factory=list)
    lost: list[LostRow] = field(default_factory=list)
    lost_total: Decimal = Decimal(0)
    lost_parties: int = 0
    unit_colours: list[UnitColours] = field(default_factory=list)
    indicator_counts: dict[str, int] = field(default_factory=dict)
    indicators_off_target: list[IndicatorRow] = field(default_factory=list)
    phases: list[PhaseBar] = field(default_factory=list)
    today_span: work_queries.Span | None = None
    findings: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    recent: list[Activity] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def open_findings(self) -> int:
        return self.findings.get(FindingStatus.OPEN, 0) + self.findings.get(
            FindingStatus.IN_PROGRESS, 0
        )

    @property
    def gain_if_fixed(self) -> Decimal | None:
        if self.total is None or self.projected is None:
            return None
        return self.projected.final - self.total.final

    def radar(self, name: str) -> dict[str, Any]:
        return {
            "indicators": [{"name": f"{d.number}. {d.title}", "max": 100} for d in self.dimensions],
            "series": [{"name": name, "values": [float(d.percent) for d in self.dimensions]}],
            "suffix": "%",
        }

    def lost_chart(self, name: str, suffix: str, unassigned: str) -> dict[str, Any]:
        return {
            "categories": [r.party or unassigned for r in self.lost],
            "values": [float(r.amount) for r in self.lost],
            "name": name,
            "suffix": suffix,
            "links": [r.url for r in self.lost],  # a bar opens its unit's gap rows
        }


def latest_round(campaign: Campaign) -> Round | None:
    return campaign.rounds.order_by("-start", "-pk").first()


def cockpit(campaign: Campaign, today: dt.date, *, indicators: list[Indicator]) -> Cockpit:
    """Everything the cockpit shows for `campaign` on `today`; `indicators` are those the user
    reads (indicators.access.visible_indicators)."""
    board = work_queries.board(campaign, today)
    out = Cockpit(campaign, today, board)
    pk = campaign.pk
    out.urls = {
        "board": _url("campaigns:board", pk),
        "tasks": _url("campaigns:task_list", pk),
        "monthly": _url("campaigns:monthly_overview", pk),
        "timeline": _url("campaigns:timeline", pk),
        "notices": _url("campaigns:notice_list", pk),
        "notices_issued": _url("campaigns:notice_list", pk, status=NoticeStatus.ISSUED),
        "notices_responded": _url("campaigns:notice_list", pk, status=NoticeStatus.RESPONDED),
        "indicators": _url("indicators:board", region=campaign.region_id),
        "red": _url("campaigns:board", pk, colour="red") + "#flagged",
        "yellow": _url("campaigns:board", pk, colour="yellow") + "#flagged",
        "blue": _url("campaigns:board", pk, colour="blue") + "#flagged",
    }
    _add_round(out, campaign)
    _add_units(out, board)
    _add_indicators(out, campaign, today, indicators)
    _add_phases(out, campaign, board, today)
    out.notices = dict(
        SupervisionNotice.objects.filter(campaign=campaign)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    out.recent = recent_activity(campaign)
    return out


def _add_round(out: Cockpit, campaign: Campaign) -> None:
    rnd = latest_round(campaign)
    if rnd is None:
        return
    report = round_queries.gap_report(rnd)
    out.round, out.total, out.projected = rnd, report.total, report.projected
    titles = dict(
        Dimension.objects.filter(framework_id=campaign.framework_id).values_list("number", "title")
    )
    out.dimensions = [
        DimensionRow(number, titles.get(number, ""), t.earned, t.reachable, t.percent)
        for number, t in sorted(report.total.dimensions.items())
    ]
    charges: list[Charge] = report.by_unit
    out.lost = [
        LostRow(
            c.party, c.amount, c.rows, _url("assessments:gaps", rnd.pk, party=c.party) + "#gap-rows"
        )
        for c in charges[:UNIT_ROWS]
    ]
    out.lost_total = sum((c.amount for c in charges), Decimal(0))
    out.lost_parties = len(charges)
    out.findings = dict(
        Finding.objects.filter(round=rnd)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    out.urls.update(
        {
            "round": _url("assessments:round_summary", rnd.pk),
            "gaps": _url("assessments:gaps", rnd.pk),
            "findings": _url("assessments:finding_list", round=rnd.pk),
            "findings_open": _url(
                "assessments:finding_list", round=rnd.pk, status=FindingStatus.OPEN
            ),
            "findings_in_progress": _url(
                "assessments:finding_list", round=rnd.pk, status=FindingStatus.IN_PROGRESS
            ),
            "findings_fixed": _url(
                "assessments:finding_list", round=rnd.pk, status=FindingStatus.FIXED
            ),
        }
    )


def _add_units(out: Cockpit, board: work_queries.Board) -> None:
    pk = out.campaign.pk
    rows = [r for r in work_queries.sort_units(board.units, "red") if r.counts.flagged]
    out.unit_colours = [
        UnitColours(
            r.name,
            r.counts.red,
            r.counts.yellow,
            r.counts.blue,
            _url("campaigns:task_list", pk, unit=r.unit_id, colour="red"),
            _url("campaigns:task_list", pk, unit=r.unit_id, colour="yellow"),
            _url("campaigns:task_list", pk, unit=r.unit_id, colour="blue"),
            _url("campaigns:task_list", pk, unit=r.unit_id),
        )
        for r in rows[:UNIT_ROWS]
    ]


def _add_indicators(
    out: Cockpit, campaign: Campaign, today: dt.date, indicators: list[Indicator]
) -> None:
    data = indicator_queries.indicator_data(indicators, campaign.region)
    counts: Counter[str] = Counter()
    off: list[IndicatorRow] = []
    for ind in indicators:
        d = data[ind.pk]
        result = d.evaluate(today)
        counts[result.status] += 1
        if result.status != evaluation.MET:
            off.append(
                IndicatorRow(
                    ind.name,
                    result.status,
                    d.latest_text(),
                    ind.target_text(),
                    _url("indicators:detail", ind.pk, region=campaign.region_id),
                )
            )
    out.indicator_counts = {s: counts.get(s, 0) for s in evaluation.STATUSES}
    # Not met first, then those without data.
    out.indicators_off_target = sorted(off, key=lambda r: r.status != evaluation.NOT_MET)


def _add_phases(
    out: Cockpit, campaign: Campaign, board: work_queries.Board, today: dt.date
) -> None:
    for row in board.phases:
        phase = row.phase
        if phase is None:
            continue
        out.phases.append(
            PhaseBar(
                phase.name,
                phase.start,
                phase.end,
                work_queries.position(campaign, phase.start, phase.end),
                phase.start <= today <= phase.end,
                phase.end < today,
            )
        )
    if campaign.start <= today <= campaign.end:
        out.today_span = work_queries.position(campaign, today)


def recent_activity(campaign: Campaign, limit: int = RECENT) -> list[Activity]:
    """The campaign's latest audited changes: to the campaign itself, its tasks, reports,
    notices, meetings, rounds, scores and findings (one query)."""

    def ids(qs: Any) -> Any:
        return qs.annotate(key=Cast("pk", CharField())).values("key")

    where = (
        Q(object_type="campaigns.campaign", object_id=str(campaign.pk))
        | Q(object_type="campaigns.task", object_id__in=ids(Task.objects.filter(campaign=campaign)))
        | Q(
            object_type="campaigns.progressreport",
            object_id__in=ids(ProgressReport.objects.filter(task__campaign=campaign)),
        )
        | Q(
            object_type="campaigns.supervisionnotice",
            object_id__in=ids(SupervisionNotice.objects.filter(campaign=campaign)),
        )
        | Q(
            object_type="campaigns.meeting",
            object_id__in=ids(Meeting.objects.filter(campaign=campaign)),
        )
        | Q(
            object_type="assessments.round",
            object_id__in=ids(Round.objects.filter(campaign=campaign)),
        )
        | Q(
            object_type="assessments.score",
            object_id__in=ids(Score.objects.filter(round__campaign=campaign)),
        )
        | Q(
            object_type="assessments.finding",
            object_id__in=ids(Finding.objects.filter(round__campaign=campaign)),
        )
    )
    events = AuditEvent.objects.filter(where).select_related("actor").order_by("-at", "-pk")[:limit]
    return [
        Activity(
            e.at,
            str(e.actor) if e.actor else e.actor_name,
            action_label(e.action),
            e.object_repr,
        )
        for e in events
    ]
