"""{% status_badge %} and {% status_dot %}: a status choice with the colour declared beside it.

    {% load badges %}
    {% status_badge task.status "campaigns.TaskStatus" %}
        <span class="badge bg-green-lt" data-status="done">已完成</span>
    {% status_badge report.status "campaigns.ReportStatus" attr="data-report-status" %}
        <span class="badge bg-blue-lt" data-report-status="submitted">已提交</span>
    {% status_badge round.status "assessments.RoundStatus" attr=None testid="round-status" %}
        <span class="badge bg-green-lt" data-testid="round-status">进行中</span>
    {% status_dot result.status "indicators.EvaluationStatus" %}
        <span class="status status-green" data-status="met"><span class="status-dot"></span>达标</span>

`attr` names the data attribute that carries the value (data-status unless told; None for none),
`label` replaces the choice's label, `testid` adds a data-testid.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qualitycity.web.badges import badge

register = template.Library()


def _attrs(value: str, attr: str | None, testid: str | None) -> tuple[str, str]:
    return (
        format_html(' {}="{}"', attr, value) if attr else "",
        format_html(' data-testid="{}"', testid) if testid else "",
    )


@register.simple_tag
def status_badge(
    value: object,
    choices: str,
    attr: str | None = "data-status",
    label: object = None,
    testid: str | None = None,
) -> SafeString:
    b = badge(value, choices)
    return format_html(
        '<span class="badge bg-{}-lt"{}{}>{}</span>',
        b.colour,
        *_attrs(b.value, attr, testid),
        b.label if label is None else label,
    )


@register.simple_tag
def status_dot(
    value: object,
    choices: str,
    attr: str | None = "data-status",
    label: object = None,
    testid: str | None = None,
) -> SafeString:
    b = badge(value, choices)
    return format_html(
        '<span class="status status-{}"{}{}><span class="status-dot"></span>{}</span>',
        b.colour,
        *_attrs(b.value, attr, testid),
        b.label if label is None else label,
    )
