"""Assessment rounds (考核轮次), their scores and totals; saving one score (assessments.services)."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from qualitycity.assessments import services
from qualitycity.assessments.access import access_round, access_round_criterion, visible_rounds
from qualitycity.assessments.choices import RoundKind, RoundStatus
from qualitycity.assessments.models import Score
from qualitycity.assessments.queries import round_data
from qualitycity.frameworks.models import Criterion

from ..schemas import ERRORS, WRITE_ERRORS, Bool, Choice, Id, Int, Paging, Text

router = Router(tags=["rounds"])


class RoundOut(Schema):
    id: int
    campaign_id: int
    kind: str
    name: str
    start: dt.date | None
    end: dt.date | None
    status: str


class TotalsOut(Schema):
    full: float
    earned: float
    not_applicable_max: float
    adjusted: float
    bonus: float
    final: float
    grade: str | None
    failed: bool
    unscored: int


class RoundDetail(RoundOut):
    assessors: list[int]
    totals: TotalsOut


class ScoreOut(Schema):
    criterion_id: int
    key: str
    points: float | None
    value: Any = None
    comment: str
    override_reason: str
    na_status: str
    na_reason: str
    version: int
    scored_by: int | None
    scored_at: dt.datetime | None


Finite = Annotated[float, Field(allow_inf_nan=False, strict=True)]
Scalar = Bool | Int | Finite | Text(200)  # type: ignore[valid-type]


class ScoreIn(Schema):
    value: Scalar | Annotated[list[Scalar], Field(max_length=50)]  # type: ignore[valid-type]
    expected_version: Annotated[Int, Field(ge=0, le=2_147_483_647)]
    comment: Text(2000) = ""  # type: ignore[valid-type]
    override_points: Finite | None = None
    override_reason: Text(2000) = ""  # type: ignore[valid-type]


def _totals(rnd) -> dict[str, Any]:
    t = round_data(rnd, with_units=False, scores_for=()).totals()
    return {
        "full": t.full,
        "earned": t.earned,
        "not_applicable_max": t.na_max,
        "adjusted": t.adjusted,
        "bonus": t.bonus,
        "final": t.final,
        "grade": t.grade,
        "failed": t.failed,
        "unscored": t.unscored,
    }


@router.get("", response={200: list[RoundOut], **ERRORS})
@paginate(Paging)
def list_rounds(
    request: HttpRequest,
    campaign: Id | None = None,
    kind: Choice(RoundKind.values) = None,  # type: ignore[valid-type]
    status: Choice(RoundStatus.values) = None,  # type: ignore[valid-type]
):
    qs = visible_rounds(request.user).order_by("campaign_id", "start", "pk")
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/{round_id}", response={200: RoundDetail, **ERRORS})
def get_round(request: HttpRequest, round_id: Id):
    rnd = access_round(request.user, round_id)
    out = RoundOut.from_orm(rnd).dict()
    out["assessors"] = sorted(rnd.assessors.values_list("pk", flat=True))
    out["totals"] = _totals(rnd)
    return out


def _score_out(criterion: Criterion, score: Score | None) -> dict[str, Any]:
    if score is None:
        return {
            "criterion_id": criterion.pk,
            "key": criterion.key,
            "points": None,
            "comment": "",
            "override_reason": "",
            "na_status": "",
            "na_reason": "",
            "version": 0,
            "scored_by": None,
            "scored_at": None,
        }
    return {
        "criterion_id": criterion.pk,
        "key": criterion.key,
        "points": score.points,
        "value": (score.value or {}).get("input"),
        "comment": score.comment,
        "override_reason": score.override_reason,
        "na_status": score.na_status,
        "na_reason": score.na_reason,
        "version": score.version,
        "scored_by": score.scored_by_id,
        "scored_at": score.scored_at,
    }


@router.get("/{round_id}/scores", response={200: list[ScoreOut], **ERRORS})
def list_scores(request: HttpRequest, round_id: Id):
    """Every row of the round's table, scored or not, in the table's order."""
    rnd = access_round(request.user, round_id)
    criteria = Criterion.objects.filter(framework_id=rnd.campaign.framework_id).order_by("position")
    scores = {s.criterion_id: s for s in Score.objects.filter(round=rnd)}
    return [_score_out(c, scores.get(c.pk)) for c in criteria]


@router.put("/{round_id}/scores/{criterion_id}", response={200: ScoreOut, **WRITE_ERRORS})
def save_score(request: HttpRequest, round_id: Id, criterion_id: Id, payload: ScoreIn):
    """Score one row from its rule's input; `expected_version` is the version read (0 for a row
    never scored): a stale one is a 409 and nothing is written."""
    rnd = access_round(request.user, round_id)
    criterion = access_round_criterion(rnd, criterion_id)
    score = services.save_score(
        rnd,
        criterion,
        by=request.user,
        value=payload.value,
        expected_version=payload.expected_version,
        comment=payload.comment,
        override_points=payload.override_points,
        override_reason=payload.override_reason,
    )
    return _score_out(criterion, score)
