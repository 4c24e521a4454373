"""{% score_points %} and {% score_delta %} (web/templatetags/scores.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.template import Context, Template

from qualitycity.assessments.queries import ScoreFacts


def render(text: str, **context) -> str:
    return Template("{% load scores %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (None, '<span class="text-secondary">未评分</span>'),
        (ScoreFacts(None, "", False), '<span class="text-secondary">未评分</span>'),
        (ScoreFacts(D("7.50"), "", False), "7.50"),
        (ScoreFacts(D("3"), "", False), "3"),
        (ScoreFacts(None, "approved", False), ">合理缺项</span>"),
        (ScoreFacts(None, "pending", False), ">合理缺项待审核</span>"),
    ],
)
def test_points_say_why_a_row_has_none(score, shown):
    out = render("{% score_points s %}", s=score)
    assert out.endswith(shown) if shown.startswith(">") else out == shown


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (None, '<span class="text-secondary">—</span>'),
        (D("2.50"), '<span class="text-green">+2.50</span>'),
        (D("-1.25"), '<span class="text-red">-1.25</span>'),
        (D("0"), '<span class="text-secondary">0</span>'),
    ],
)
def test_a_change_is_coloured_by_its_sign(delta, shown):
    assert render("{% score_delta d %}", d=delta) == shown
