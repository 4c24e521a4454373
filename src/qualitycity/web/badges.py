"""Status badges: the colours of status choices, found by name for the status_badge tag.

The colours are declared beside the choices, in each app's choices.py: a mapping per choices
class, member → Tabler colour name, gathered in that module's ``BADGES`` (choices class → mapping).
The templates name a choices class as "app.ClassName", e.g. "campaigns.TaskStatus".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.db.models import TextChoices

# Tabler colours that have both a light badge (bg-<colour>-lt) and a status dot (status-<colour>).
PALETTE = frozenset(
    {
        "blue",
        "azure",
        "indigo",
        "purple",
        "pink",
        "red",
        "orange",
        "yellow",
        "lime",
        "green",
        "teal",
        "cyan",
        "secondary",
        "dark",
    }
)
# An unknown value (not a member of its choices) is shown as it is, in this colour.
UNKNOWN = "secondary"


@dataclass(frozen=True)
class Badge:
    value: str
    label: str
    colour: str


@cache
def colours(name: str) -> tuple[type[TextChoices], Mapping[TextChoices, str]]:
    """The choices class called `name` ("app.ClassName") and its colours."""
    app, _, class_name = name.partition(".")
    try:
        module = import_module(f"qualitycity.{app}.choices")
    except ImportError as exc:
        raise LookupError(f"no choices module for {name!r}") from exc
    for choices, mapping in getattr(module, "BADGES", {}).items():
        if choices.__name__ == class_name:
            return choices, mapping
    raise LookupError(f"{name!r} has no badge colours")


def badge(value: object, name: str) -> Badge:
    """The badge of `value` (a member of the choices `name`, or its value)."""
    choices, mapping = colours(name)
    text = "" if value is None else str(value)
    try:
        member = choices(text)
    except ValueError:
        return Badge(text, text, UNKNOWN)
    return Badge(str(member), str(member.label), mapping[member])
