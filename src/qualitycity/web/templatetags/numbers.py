"""{{ value|number }} and {{ value|number:unit }}: a number without trailing zeros, in the
active language's format, with its unit (qualitycity.numbers.format_number).

    {% load numbers %}
    {{ obs.value|number:indicator.measure_unit }}    93.1%   (not 93.1000)
"""

from __future__ import annotations

from django import template

from qualitycity.numbers import format_number

register = template.Library()


@register.filter(is_safe=False)
def number(value: object, unit: str = "") -> str:
    return format_number(value, unit or "")
