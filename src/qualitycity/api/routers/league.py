"""The league table (各地得分排行): every campaign the caller compares, by its latest round."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qualitycity.assessments.choices import RoundKind
from qualitycity.assessments.league import league
from qualitycity.reports.access import league_campaigns

from ..schemas import ERRORS, Choice, Paging

router = Router(tags=["league"])


class LeagueRoundOut(Schema):
    id: int
    kind: str
    name: str
    status: str
    start: dt.date | None
    end: dt.date | None


class LeagueRowOut(Schema):
    rank: int | None
    campaign_id: int
    campaign: str
    region_code: str
    region: str
    parent_region: str | None
    round: LeagueRoundOut | None
    full: float | None
    final: float | None
    percent: float | None
    grade: str | None
    failed: bool
    scored: int
    criteria: int


@router.get("", response={200: list[LeagueRowOut], **ERRORS})
@paginate(Paging)
def list_league(
    request: HttpRequest,
    kind: Choice(RoundKind.values) = None,  # type: ignore[valid-type]
):
    """Ranked by the latest round's final total (of `kind` when given), highest first; a failed
    veto (一票否决) after every total; campaigns without a round last, unranked."""
    rows = league(league_campaigns(request.user), kind=kind or "")
    out = []
    for row in rows:
        c, rnd, t = row.campaign, row.round, row.total
        out.append(
            {
                "rank": row.rank,
                "campaign_id": c.pk,
                "campaign": c.name,
                "region_code": c.region.code,
                "region": c.region.name,
                "parent_region": c.region.parent.name if c.region.parent else None,
                "round": None
                if rnd is None
                else {
                    "id": rnd.pk,
                    "kind": rnd.kind,
                    "name": rnd.name,
                    "status": rnd.status,
                    "start": rnd.start,
                    "end": rnd.end,
                },
                "full": t.full if t else None,
                "final": t.final if t else None,
                "percent": row.percent,
                "grade": t.grade if t else None,
                "failed": bool(t and t.failed),
                "scored": row.scored,
                "criteria": row.criteria,
            }
        )
    return out
