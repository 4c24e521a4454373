"""The auto-scoring page of a round: what scoring from the indicators would do, and doing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qualitycity.indicators.choices import Series
from qualitycity.refusals import refusals, render

from .. import auto_scoring, services
from ..access import access_round, round_duties
from ..transitions import ROUND

# --- auto-scoring -----------------------------------------------------------------------------


@login_required
def auto_score(request: HttpRequest, round_pk: int) -> HttpResponse:
    """GET: what auto-scoring would do in a round; POST: do it (whoever `duties` lets score it
    automatically: the round's assessors, and in the office's own rounds the office)."""
    rnd = access_round(request.user, round_pk)
    scorer = round_duties(request.user, rnd).may("auto_score")
    if request.method == "POST":
        if not scorer:
            raise Http404
        with refusals(request, joined=True) as outcome:
            report = services.auto_score_round(rnd, by=request.user)
        if not outcome.refused:
            messages.success(
                request,
                _(
                    "自动评分完成:评分 %(scored)s 项,保留人工调整 %(kept)s 项,"
                    "数据不足或无法评估跳过 %(skipped)s 项。"
                )
                % {
                    "scored": len(report.scored),
                    "kept": len(report.with_action(auto_scoring.KEEP_OVERRIDE)),
                    "skipped": len(report.skipped),
                },
            )
        return redirect("assessments:auto_score", round_pk=rnd.pk)
    rows = auto_scoring.auto_score_plan(rnd)
    return render(
        request,
        "assessments/auto_score.html",
        {
            "round": rnd,
            "rows": rows,
            "can_run": scorer and ROUND.allows("score", rnd.status),
            "pending": sum(1 for r in rows if r.action == auto_scoring.SCORE),
            "series_rank": Series.RANK,
        },
    )
