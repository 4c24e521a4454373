"""The audit trail, read only, for administrators (everyone else gets the same 404)."""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.access import is_admin

from ..schemas import ERRORS, Paging, Text

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any = None
    after: Any = None
    request_id: str
    source: str


@router.get("", response={200: list[AuditOut], **ERRORS})
@paginate(Paging)
def list_events(
    request: HttpRequest,
    action: Text(100) | None = None,  # type: ignore[valid-type]
    object_type: Text(100) | None = None,  # type: ignore[valid-type]
    object_id: Text(64) | None = None,  # type: ignore[valid-type]
    actor: Text(150) | None = None,  # type: ignore[valid-type]
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Newest first; `action` and `object_type` match exactly, `actor` is a user name."""
    if not is_admin(request.user):
        raise Http404
    qs = AuditEvent.objects.order_by("-at", "-pk")
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_name=actor)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
