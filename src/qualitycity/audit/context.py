"""Who is acting and under which request id, for the audit trail.

Pages set it in RequestContextMiddleware, the CLI in its commands; services read it through
`current()` only to fill in the request id and source of an audit event.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    request_id: str
    source: str  # "web", "admin", "cli", "api", "task"


_current: ContextVar[ActionContext | None] = ContextVar("qualitycity_action_context", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def current() -> ActionContext | None:
    return _current.get()


@contextlib.contextmanager
def acting(source: str, request_id: str | None = None) -> Iterator[ActionContext]:
    ctx = ActionContext(request_id=request_id or new_request_id(), source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
