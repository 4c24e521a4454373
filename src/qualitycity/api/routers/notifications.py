"""A person's own notifications (消息): only their own, newest first."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qualitycity.campaigns import services
from qualitycity.campaigns.models import Notification

from ..schemas import ERRORS, WRITE_ERRORS, Paging

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    text: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class ReadOut(Schema):
    marked: int


@router.get("", response={200: list[NotificationOut], **ERRORS})
@paginate(Paging)
def list_notifications(request: HttpRequest, unread: bool = False):
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/read", response={200: ReadOut, **WRITE_ERRORS})
def mark_read(request: HttpRequest):
    """Mark every unread notification read."""
    return {"marked": services.mark_notifications_read(request.user)}
