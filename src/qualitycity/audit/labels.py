"""What an audit action is called in the users' language.

Each app registers the labels of the actions it records (its `actions.py`, registered from its
AppConfig.ready), so pages that list audit events — a task's history, the cockpit's recent
activity, the administrator's audit search — never print an internal code like "task.redated".
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

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
