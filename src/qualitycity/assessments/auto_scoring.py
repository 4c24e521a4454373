"""Scoring `indicator` criteria from the indicators' evaluations (按指标自动评分): the reads.

Indicators know nothing of rounds; a round asks them for evaluations as of its end date, for its
campaign's region. The write is `services.auto_score_round`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from qualitycity.frameworks.models import Criterion
from qualitycity.indicators import evaluation
from qualitycity.indicators.evaluation import Evaluation
from qualitycity.indicators.models import Indicator
from qualitycity.indicators.queries import evaluations_for_criteria, indicator_code

from .choices import NAStatus
from .models import Round, Score


def evaluations_for_round(
    rnd: Round, criteria: Iterable[Criterion] | None = None
) -> dict[int, tuple[Indicator, Evaluation]]:
    """criterion id → (indicator, evaluation as of the round's end), for the indicator criteria
    among `criteria` (the rows a page shows; no query when there are none) or, without them,
    every indicator criterion of the round's framework whose indicator exists (3 queries)."""
    if criteria is None:
        criteria = Criterion.objects.filter(
            framework_id=rnd.campaign.framework_id, rule__type="indicator"
        ).only("pk", "rule")
    rows = [c for c in criteria if c.rule.get("type") == "indicator"]
    return evaluations_for_criteria(rows, region=rnd.campaign.region, as_of=rnd.end)


# what auto-scoring does with a criterion
SCORE = "score"
UNCHANGED = "unchanged"
KEEP_OVERRIDE = "override"
SKIP_NA = "na"
SKIP_NO_DATA = "no_data"
SKIP_NO_INDICATOR = "no_indicator"


@dataclass
class AutoScoreRow:
    criterion: Criterion
    indicator: Indicator | None
    evaluation: Evaluation | None
    score: Score | None
    action: str
    message: str

    @property
    def value(self) -> bool | None:
        return self.evaluation.met if self.evaluation else None

    @property
    def action_label(self) -> str:
        return {
            SCORE: _("将按评估结果评分"),
            UNCHANGED: _("评分已与评估一致"),
            KEEP_OVERRIDE: _("保留人工调整"),
            SKIP_NA: _("合理缺项,跳过"),
            SKIP_NO_DATA: _("数据不足,跳过"),
            SKIP_NO_INDICATOR: _("未找到指标,跳过"),
        }[self.action]


def auto_score_plan(rnd: Round) -> list[AutoScoreRow]:
    """What auto-scoring would do with each indicator criterion of the round (5 queries)."""
    criteria = list(
        Criterion.objects.filter(framework_id=rnd.campaign.framework_id, rule__type="indicator")
        .select_related("item")
        .order_by("position")
    )
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(round=rnd, criterion__in=criteria).select_related("scored_by")
    }
    evaluations = evaluations_for_criteria(criteria, region=rnd.campaign.region, as_of=rnd.end)
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        found = evaluations.get(criterion.pk)
        indicator, result = found if found else (None, None)
        if score is not None and score.override_reason:
            action = KEEP_OVERRIDE
            message = _("已人工调整为 %(points)s 分:%(reason)s") % {
                "points": evaluation.fmt_number(score.points or Decimal(0)),
                "reason": score.override_reason,
            }
        elif score is not None and score.na_status in (NAStatus.PENDING, NAStatus.APPROVED):
            action, message = SKIP_NA, score.get_na_status_display()
        elif found is None:
            action = SKIP_NO_INDICATOR
            message = _("未找到代码为 %(code)s 的指标。") % {
                "code": indicator_code(criterion) or "—"
            }
        elif result.status == evaluation.NO_DATA:
            action, message = SKIP_NO_DATA, result.reason
        elif (
            score is not None
            and score.points is not None
            and (score.value or {}).get("input") is result.met
            and score.comment == result.reason
        ):
            action, message = UNCHANGED, result.reason
        else:
            action, message = SCORE, result.reason
        rows.append(AutoScoreRow(criterion, indicator, result, score, action, message))
    return rows
