from __future__ import annotations

from django.http import HttpRequest

from qualitycity import clock


def app(request: HttpRequest) -> dict[str, object]:
    """The pinned demo date, and the signed-in user's unread notifications (one query)."""
    context: dict[str, object] = {
        "pinned_today": clock.today() if clock.is_pinned() else None,
        # a refused action shows its page at the action's address (web.middleware)
        "page_url": getattr(request, "qc_page_url", None),
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
    return context
