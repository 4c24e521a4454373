"""{{ value|audit_value }}: an audited value as a person reads it (audit.diff.shown)."""

from django import template

from qualitycity.audit.diff import shown

register = template.Library()


@register.filter
def audit_value(value: object) -> str:
    return shown(value)


_KIND_BADGES = {"added": ("bg-green-lt", "新增"), "removed": ("bg-red-lt", "删除")}


@register.simple_tag
def change_badge(kind: str) -> str:
    """The badge of an added or removed key in a diff ("" for a changed one)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    if kind not in _KIND_BADGES:
        return ""
    css, label = _KIND_BADGES[kind]
    return format_html('<span class="badge {}">{}</span>', css, gettext(label))
