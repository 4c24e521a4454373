"""The two assessor queues: 待评分 (rows of open rounds an assigned assessor may score and has no
score yet) and 待认定 (pending 合理缺项 claims the user may decide). Both ask `duties` per round,
so they list exactly what the services accept; each runs a fixed number of queries whatever the
number of rounds, rows and scores (tests/assessments/test_queues.py).

For the home page: `to_score_count(user)` and `to_decide_count(user)` are cheap counts;
`to_score(user)` and `to_decide(user)` are the lists of the queue pages; `assigned_rounds(user)`
is every round the user is assigned to, with what is left for them to score in each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import User

from .access import relations_to, visible_rounds
from .choices import NAStatus, RoundStatus
from .duties import Duty, may
from .models import Round, Score

# A row counts as scored once it has points or an approved 合理缺项; a pending claim waits in 待认定.
_DONE = Q(points__isnull=False) | Q(na_status__in=[NAStatus.APPROVED, NAStatus.PENDING])


def _scoring_rounds(user: User) -> list[Round]:
    """Open rounds the user is assigned to and may score (`duties`)."""
    if not user.is_authenticated:
        return []
    rounds = Round.objects.filter(status=RoundStatus.OPEN, assessors=user).select_related(
        "campaign", "campaign__region", "campaign__framework"
    )
    return [r for r in rounds.order_by("end", "pk") if _scores_in(user, r)]


def _scores_in(user: User, rnd: Round) -> bool:
    """Whether the user, assigned to the round, may score in it now (open, and `duties`)."""
    return rnd.status == RoundStatus.OPEN and may(
        rnd.kind, relations_to(user, rnd, assigned=True), Duty.SCORE
    )


@dataclass
class ToScore:
    round: Round
    criterion: Criterion


def to_score(user: User) -> list[ToScore]:
    rounds = _scoring_rounds(user)
    if not rounds:
        return []
    done = set(
        Score.objects.filter(_DONE, round__in=rounds).values_list("round_id", "criterion_id")
    )
    criteria: dict[int, list[Criterion]] = {}
    for c in (
        Criterion.objects.filter(framework_id__in={r.campaign.framework_id for r in rounds})
        .select_related("item__dimension")
        .order_by("position")
    ):
        criteria.setdefault(c.framework_id, []).append(c)
    return [
        ToScore(r, c)
        for r in rounds
        for c in criteria.get(r.campaign.framework_id, [])
        if (r.pk, c.pk) not in done
    ]


def _left_by_round(rounds: list[Round]) -> dict[int, int]:
    """Each round's rows still to score (two queries whatever the number of rounds)."""
    if not rounds:
        return {}
    per_framework = dict(
        Criterion.objects.filter(framework_id__in={r.campaign.framework_id for r in rounds})
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    done = dict(
        Score.objects.filter(_DONE, round__in=rounds)
        .order_by()
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
    )
    return {r.pk: per_framework.get(r.campaign.framework_id, 0) - done.get(r.pk, 0) for r in rounds}


@dataclass
class AssignedRound:
    round: Round
    may_score: bool  # open, and `duties` lets the user score in it
    left: int | None  # rows the user may score that have no score yet (None: not scoring)


def assigned_rounds(user: User) -> list[AssignedRound]:
    """Every round the user is assigned to: those they may score now first (earliest end
    first), then the others, latest first. A fixed number of queries."""
    if not user.is_authenticated:
        return []
    rounds = list(
        Round.objects.filter(assessors=user)
        .select_related("campaign", "campaign__region", "campaign__framework")
        .order_by("-end", "-pk")
    )
    scoring = {r.pk for r in rounds if _scores_in(user, r)}
    left = _left_by_round([r for r in rounds if r.pk in scoring])
    out = [AssignedRound(r, r.pk in scoring, left.get(r.pk)) for r in rounds]
    out.sort(key=lambda a: (not a.may_score, a.round.end if a.may_score else dt.date.min))
    return out


def to_score_count(user: User) -> int:
    rounds = _scoring_rounds(user)
    if not rounds:
        return 0
    per_framework = dict(
        Criterion.objects.filter(framework_id__in={r.campaign.framework_id for r in rounds})
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    done = Score.objects.filter(_DONE, round__in=rounds).count()
    return sum(per_framework.get(r.campaign.framework_id, 0) for r in rounds) - done


def _deciding_rounds(user: User) -> list[Round]:
    """Open rounds with pending claims in which the user may decide claims (`duties`)."""
    if not user.is_authenticated:
        return []
    pending = Score.objects.filter(round=OuterRef("pk"), na_status=NAStatus.PENDING)
    assigned = Round.assessors.through.objects.filter(round_id=OuterRef("pk"), user_id=user.pk)
    rounds = (
        visible_rounds(user)
        .filter(status=RoundStatus.OPEN)
        .annotate(has_pending=Exists(pending), is_assigned=Exists(assigned))
        .filter(has_pending=True)
    )
    return [
        r
        for r in rounds
        if may(r.kind, relations_to(user, r, assigned=r.is_assigned), Duty.DECIDE_NA)
    ]


def _decidable(user: User) -> QuerySet[Score]:
    rounds = _deciding_rounds(user)
    # Where nobody decides their own claim (`duties`), the user's own claims are left out.
    own_too = [
        r.pk
        for r in rounds
        if may(
            r.kind, relations_to(user, r, assigned=r.is_assigned), Duty.DECIDE_NA, own_claim=True
        )
    ]
    others = [r.pk for r in rounds if r.pk not in own_too]
    return Score.objects.filter(na_status=NAStatus.PENDING).filter(
        Q(round_id__in=own_too) | (Q(round_id__in=others) & ~Q(scored_by=user))
    )


def to_decide(user: User) -> list[Score]:
    if not user.is_authenticated:
        return []
    return list(
        _decidable(user)
        .select_related(
            "round", "round__campaign", "criterion", "criterion__item__dimension", "scored_by"
        )
        .order_by("round__end", "round_id", "criterion__position")
    )


def to_decide_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return _decidable(user).count()
