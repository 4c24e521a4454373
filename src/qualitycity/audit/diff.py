"""An audit event's before and after as a readable list of changes. Pure: no ORM.

`diff(before, after)` compares two snapshots (`services.snapshot`, or any JSON value): for
mappings, one change per key whose value differs, was added or was removed, nested mappings by
dotted path ("scheme.bonus_cap"); for anything else one change of the whole value (field "").
`shown(value)` is a value as the page prints it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _

Kind = Literal["changed", "added", "removed"]


@dataclass(frozen=True)
class Change:
    field: str  # dotted path of the key; "" for the whole value
    kind: Kind
    old: Any = None
    new: Any = None


def diff(before: Any, after: Any) -> list[Change]:
    """The changes from `before` to `after`, keys in sorted order."""
    if before is None and after is None:
        return []
    if isinstance(before, Mapping) or isinstance(after, Mapping):
        if before is None:
            before = {}
        if after is None:
            after = {}
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            return _diff_mappings(before, after, "")
    if before == after:
        return []
    if before is None:
        return [Change("", "added", new=after)]
    if after is None:
        return [Change("", "removed", old=before)]
    return [Change("", "changed", before, after)]


def _diff_mappings(
    before: Mapping[str, Any], after: Mapping[str, Any], prefix: str
) -> list[Change]:
    out: list[Change] = []
    for key in sorted({*before, *after}, key=str):
        path = f"{prefix}{key}"
        if key not in after:
            out.append(Change(path, "removed", old=before[key]))
        elif key not in before:
            out.append(Change(path, "added", new=after[key]))
        elif before[key] != after[key]:
            old, new = before[key], after[key]
            if isinstance(old, Mapping) and isinstance(new, Mapping):
                out.extend(_diff_mappings(old, new, f"{path}."))
            else:
                out.append(Change(path, "changed", old, new))
    return out


def apply(before: Any, changes: list[Change]) -> Any:
    """`before` with `changes` applied (the inverse of `diff`, for its tests and for reading)."""
    if any(c.field == "" for c in changes):
        whole = changes[-1]
        return None if whole.kind == "removed" else whole.new
    out: Any = json.loads(json.dumps(before)) if before is not None else {}
    for change in changes:
        *parents, last = change.field.split(".")
        target = out
        for part in parents:
            target = target.setdefault(part, {})
        if change.kind == "removed":
            target.pop(last, None)
        else:
            target[last] = change.new
    return out


def shown(value: Any) -> str:
    """A value as a person reads it: 是/否, an empty mark for nothing, lists joined."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list | tuple):
        return _("、").join(shown(v) for v in value) if value else "—"
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
