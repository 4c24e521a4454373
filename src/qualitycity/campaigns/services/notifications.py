"""A user's own in-app notifications."""

from __future__ import annotations

from qualitycity import clock
from qualitycity.orgs.models import User

from ..models import (
    Notification,
)


def mark_notifications_read(user: User) -> int:
    """The user's own unread notifications become read. Not audited: they are the user's inbox,
    not campaign data."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
