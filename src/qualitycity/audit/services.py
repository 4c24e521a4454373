"""The one way to write an audit event. Call it inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from .context import current
from .models import AuditEvent


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ("password",)) -> dict[str, Any]:
    """A JSON-safe dict of an object's concrete fields and many-to-many ids."""
    data: dict[str, Any] = {}
    opts = obj._meta
    for field in opts.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname] = field.value_from_object(obj)
    if obj.pk is not None:
        for field in opts.many_to_many:
            if field.name in exclude:
                continue
            data[field.name] = sorted(o.pk for o in field.value_from_object(obj))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: Any = None,
    object_repr: str | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Record one audit event. Must run inside the caller's transaction."""
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record() must be called inside the transaction of the change")
    ctx = current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr if object_repr is not None else str(obj)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else (str(actor) if actor else "system"))[:150],
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=(object_repr or "")[:300],
        before=json.loads(json.dumps(before, cls=DjangoJSONEncoder))
        if before is not None
        else None,
        after=json.loads(json.dumps(after, cls=DjangoJSONEncoder)) if after is not None else None,
        request_id=ctx.request_id if ctx else "",
        source=ctx.source if ctx else "",
    )
    return event
