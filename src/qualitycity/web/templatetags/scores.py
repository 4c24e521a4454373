"""{% score_points %} and {% score_delta %}: a round's points and their change, one table cell.

Compare and the reports show them for every row of the table (250 cells on the comparison);
rendered as tags they cost a fraction of an include each (bench/province_pages.py).

    {% load scores %}
    {% score_points row.a %}   未评分 / 合理缺项 / 合理缺项待审核 / 7.50 / 8
    {% score_delta row.delta %}   — / +2.50 / -1.25 / 0
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from qualitycity.assessments.choices import NAStatus
from qualitycity.web.templatetags.badges import status_badge

register = template.Library()


@register.simple_tag
def score_points(score) -> SafeString:
    """A score's points, or why it has none (a Score, its facts, or None)."""
    if score is None:
        return format_html('<span class="text-secondary">{}</span>', _("未评分"))
    if score.na_status == NAStatus.APPROVED:
        return status_badge(score.na_status, "assessments.NAStatus", attr=None, label=_("合理缺项"))
    if score.na_status == NAStatus.PENDING:
        return status_badge(
            score.na_status, "assessments.NAStatus", attr=None, label=_("合理缺项待审核")
        )
    if score.points is None:
        return format_html('<span class="text-secondary">{}</span>', _("未评分"))
    return format_html("{}", floatformat(score.points, "-2"))


@register.simple_tag
def score_delta(delta) -> SafeString:
    """A change of points: green when up, red when down."""
    if delta is None:
        return mark_safe('<span class="text-secondary">—</span>')
    if delta > 0:
        return format_html('<span class="text-green">+{}</span>', floatformat(delta, "-2"))
    if delta < 0:
        return format_html('<span class="text-red">{}</span>', floatformat(delta, "-2"))
    return mark_safe('<span class="text-secondary">0</span>')
