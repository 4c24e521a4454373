"""Tags for supervision pages, where a template include per row would cost more than the row:

{% load supervision %}
{% colour_badge task.colour %}      <span class="badge bg-red text-red-fg" data-colour="red">红色</span>
{% rate_pct rate.completeness rate.arrived %}   66.7% · — when nothing was due · <0.1% for a trace
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

_BADGES = {
    "red": ("bg-red text-red-fg", "红色"),
    "yellow": ("bg-yellow text-yellow-fg", "黄色"),
    "blue": ("bg-blue text-blue-fg", "蓝色"),
}


@register.simple_tag
def colour_badge(colour: str | None) -> SafeString:
    css, label = _BADGES.get(colour or "", ("bg-green-lt", "正常"))
    return format_html(
        '<span class="badge {}" data-colour="{}">{}</span>',
        css,
        colour if colour in _BADGES else "none",
        gettext(label),
    )


@register.simple_tag
def rate_pct(value: Decimal | None, part: int = 0) -> SafeString:
    if value is None:
        return mark_safe('<span class="text-secondary">—</span>')
    if part and value == 0:
        return format_html("&lt;0.1%")
    # One decimal, a point in both languages (number_format per cell is the table's main cost).
    return format_html("{}%", f"{Decimal(value):.1f}")
