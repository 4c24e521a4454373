"""Names for what an audit event shows, in the users' language:

- an action ("task.redated" → 调整完成期限): each app registers the labels of the actions it
  records (its `actions.py`, registered from its AppConfig.ready), so no page that lists audit
  events prints an internal code;
- an object type's model name ("campaigns.task" → 工作任务), a field's verbose name ("blue_days" →
  the campaign's label for it) and a choice's label ("lead" → 牵头单位), read from the model
  registry (no query). Where nothing names a field or a choice, its code is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext

from .diff import Change


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The model's name for an object type, or the type itself."""
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    opts = model._meta
    for field in (*opts.concrete_fields, *opts.many_to_many):
        if name in (field.name, getattr(field, "attname", None)):
            return field
    try:
        found = opts.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


@dataclass(frozen=True)
class Row:
    """One change as the page shows it."""

    label: str  # the field's name, or its code where it has none; "" for the whole value
    code: str  # the key as recorded
    kind: str
    old: Any
    new: Any


def _value(field: models.Field | None, value: Any) -> Any:
    if field is None or not field.choices or isinstance(value, list | dict):
        return value
    labels = {str(k): v for k, v in field.flatchoices}
    return labels.get(str(value), value)


def rows(object_type: str, changes: list[Change]) -> list[Row]:
    model = model_of(object_type)
    out = []
    for change in changes:
        head, _, rest = change.field.partition(".")
        field = _field(model, head) if head else None
        label = str(field.verbose_name) if field is not None else head
        if rest:
            label = f"{label} · {rest}"
        out.append(
            Row(
                label=label,
                code=change.field,
                kind=change.kind,
                old=_value(field if not rest else None, change.old),
                new=_value(field if not rest else None, change.new),
            )
        )
    return out


# --- actions ---------------------------------------------------------------------------------
_LABELS: dict[str, object] = {}


def register(labels: Mapping[str, object]) -> None:
    """Add an app's action labels (lazy translations)."""
    _LABELS.update(labels)


def action_label(action: str) -> str:
    """The action's name; an action no app registered reads as a generic 操作 (never its code)."""
    label = _LABELS.get(action)
    if label is not None:
        return str(label)
    if action.endswith(".deleted"):  # the admin site's deletions, of any model
        return gettext("删除")
    return gettext("其他操作")


def known_actions() -> dict[str, str]:
    """Every registered action with its label, for a search form's choices."""
    return {key: str(label) for key, label in sorted(_LABELS.items())}
