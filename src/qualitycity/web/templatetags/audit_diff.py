"""{{ value|audit_value }}: an audited value as a person reads it (audit.diff.shown)."""

from django import template

from qualitycity.audit.diff import shown

register = template.Library()


@register.filter
def audit_value(value: object) -> str:
    return shown(value)
