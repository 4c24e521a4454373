"""Round summary, gap list and round comparison: read-only pages over assessments.queries.

Each page runs a fixed number of queries whatever the number of scores (tests assert it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.campaigns.access import manages_campaign
from qualitycity.frameworks.models import Dimension, Item
from qualitycity.refusals import render

from .. import queries
from ..access import RoundDuties, access_round, round_duties, visible_rounds
from ..models import Round
from ..scoring import ZERO, RoundTotal
from ..transitions import LIFECYCLE, ROUND

FINDING_DUE_DAYS = 30
CHART_UNITS = 15


def _framework_items(rnd: Round) -> list[Item]:
    return list(
        Item.objects.filter(framework_id=rnd.campaign.framework_id)
        .select_related("dimension")
        .order_by("position")
    )


def _dimensions(items: list[Item]) -> list[Dimension]:
    """The framework's dimensions in the order their items come (items are ordered by position)."""
    seen: dict[int, Dimension] = {}
    for item in items:
        seen.setdefault(item.dimension_id, item.dimension)
    return list(seen.values())


@dataclass
class DimensionRow:
    number: int
    title: str
    max_points: Decimal
    na_max: Decimal
    earned: Decimal
    percent: Decimal
    unscored: int = 0


def _dimension_rows(dimensions: list[Dimension], total: RoundTotal) -> list[DimensionRow]:
    rows = []
    unscored = total.unscored_by_dimension
    for dim in dimensions:
        t = total.dimensions.get(dim.number)
        if t is None:
            continue
        rows.append(
            DimensionRow(
                dim.number,
                dim.title,
                t.max_points,
                t.na_max,
                t.earned,
                t.percent,
                unscored.get(dim.number, 0),
            )
        )
    return rows


def _transitions(rnd: Round, duties: RoundDuties) -> dict[str, bool]:
    """Which round transition buttons apply to the status and the user (`duties`)."""
    return {action: duties.may(action) and ROUND.allows(action, rnd.status) for action in LIFECYCLE}


@login_required
def round_summary(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    report = queries.gap_report(rnd)
    total = report.total
    items = _framework_items(rnd)
    dimensions = _dimension_rows(_dimensions(items), total)
    titles = {i.code: i.title for i in items}
    capped = [(t, titles.get(t.code, "")) for t in total.capped_items]
    top_units = report.by_unit[:CHART_UNITS]
    radar = {
        "indicators": [{"name": f"{d.number}. {d.title}", "max": 100} for d in dimensions],
        "series": [{"name": rnd.name, "values": [float(d.percent) for d in dimensions]}],
        "suffix": "%",
    }
    bar = {
        "categories": [c.party or _("未指定牵头单位") for c in top_units],
        "values": [float(c.amount) for c in top_units],
        "name": _("失分"),
        "suffix": _("分"),
    }
    duties = round_duties(request.user, rnd)
    transitions = _transitions(rnd, duties)
    return render(
        request,
        "assessments/round_summary.html",
        {
            "round": rnd,
            "assessors": list(rnd.assessors.order_by("full_name", "username")),
            "total": total,
            "dimensions": dimensions,
            "capped": capped,
            "report": report,
            "top_units": top_units,
            "radar": radar,
            "bar": bar,
            "transitions": transitions,
            "any_transition": any(transitions.values()),
            "can_score": duties.may("score"),
            "can_set_assessors": duties.may("set_assessors")
            and ROUND.allows("set_assessors", rnd.status),
            "scoring_open": ROUND.allows("score", rnd.status),
        },
    )


@login_required
def gap_list(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    report = queries.gap_report(rnd)
    # ?party=<name>: the rows charged to one lead unit (as the by-unit table and the cockpit name
    # it); an empty name is the rows without a lead unit. A name no row carries lists nothing.
    party = request.GET.get("party")
    rows = report.rows
    if party is not None:
        rows = [r for r in rows if party in (queries.row_parties(r) or [""])]
    return render(
        request,
        "assessments/gaps.html",
        {
            "round": rnd,
            "report": report,
            "rows": rows,
            "party": party,
            "lost_total": sum((r.gap.lost for r in report.rows), ZERO),
            "can_create": manages_campaign(request.user, rnd.campaign),
            "default_due": clock.today() + dt.timedelta(days=FINDING_DUE_DAYS),
        },
    )


# --- comparison -------------------------------------------------------------------------------


@dataclass
class TotalRow:
    key: str
    title: str
    max_points: Decimal
    a: Decimal | None
    b: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.a is None or self.b is None:
            return None
        return self.b - self.a


def _compare_totals(
    items: list[Item], ta: RoundTotal, tb: RoundTotal
) -> tuple[list[TotalRow], list[TotalRow]]:
    item_rows = []
    for item in items:
        a, b = ta.items.get(item.code), tb.items.get(item.code)
        item_rows.append(
            TotalRow(
                item.code,
                item.title,
                item.max_points,
                a.earned if a else None,
                b.earned if b else None,
            )
        )
    dim_rows = []
    for dim in _dimensions(items):
        a, b = ta.dimensions.get(dim.number), tb.dimensions.get(dim.number)
        max_points = (b or a).max_points if (a or b) else ZERO
        dim_rows.append(
            TotalRow(
                str(dim.number),
                dim.title,
                max_points,
                a.earned if a else None,
                b.earned if b else None,
            )
        )
    return item_rows, dim_rows


def _round_id(raw: str | None) -> int | None:
    """A positive round id from the query string, or None."""
    try:
        value = int((raw or "").strip())
    except ValueError:
        return None
    return value if value > 0 else None


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    a_id, b_id = _round_id(request.GET.get("a")), _round_id(request.GET.get("b"))
    errors: list[str] = []
    context: dict = {"a_id": a_id, "b_id": b_id, "errors": errors}
    if "a" in request.GET and "b" in request.GET and (a_id is None or b_id is None):
        errors.append(_("请选择要比较的两个考核轮次。"))
    elif a_id is not None and b_id is not None:
        a, b = access_round(request.user, a_id), access_round(request.user, b_id)
        if a.campaign_id != b.campaign_id:
            errors.append(_("两个考核轮次不属于同一创建工作,不能比较。"))
        elif a.pk == b.pk:
            errors.append(_("请选择两个不同的考核轮次。"))
        else:
            context.update(_comparison(a, b, only_changed=request.GET.get("changed") == "1"))
    context["rounds"] = list(
        visible_rounds(request.user).order_by("campaign__name", "campaign_id", "-start")
    )
    return render(request, "assessments/compare.html", context)


def _comparison(a: Round, b: Round, *, only_changed: bool) -> dict:
    da, db, rows = queries.compare_rounds(a, b)
    ta, tb = da.totals(), db.totals()
    changed = [r for r in rows if r.changed]
    item_rows, dim_rows = _compare_totals(db.items, ta, tb)
    return {
        "a": a,
        "b": b,
        "ta": ta,
        "tb": tb,
        "rows": changed if only_changed else rows,
        "row_count": len(rows),
        "changed_count": len(changed),
        "only_changed": only_changed,
        "item_rows": item_rows,
        "dim_rows": dim_rows,
        "adjusted_delta": tb.adjusted - ta.adjusted,
    }
