"""Workflows as data: which action moves an object from which states to which state.

Each app with a workflow declares its tables in its `transitions.py`; the service that performs an
action asks the table whether the object's state allows it (and what the new state is), and the
page asks the same table which actions to offer. Pure: no database, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the action keeps the state it is taken in (e.g. saving a draft)


class Workflow:
    """An ordered set of transitions, at most one per action."""

    def __init__(self, name: str, transitions: Iterable[Transition]) -> None:
        self.name = name
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self.transitions:
                raise ValueError(f"{name}: action {t.action!r} declared twice")
            self.transitions[t.action] = t

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    def allows(self, action: str, state: str) -> bool:
        """Whether `action` may be taken from `state` (an unknown action never may)."""
        t = self.transitions.get(action)
        return t is not None and state in t.sources

    def target(self, action: str, state: str) -> str | None:
        """The state `action` leads to from `state`, or None when it is not allowed there."""
        if not self.allows(action, state):
            return None
        return self.transitions[action].target or state

    def sources(self, action: str) -> frozenset[str]:
        return self.transitions[action].sources

    def available(self, state: str) -> list[str]:
        """The actions allowed from `state`, in declaration order."""
        return [a for a, t in self.transitions.items() if state in t.sources]


def transition(action: str, sources: Iterable[str], target: str | None) -> Transition:
    return Transition(
        action, frozenset(str(s) for s in sources), None if target is None else str(target)
    )
