"""In-app notifications (通知): the user's list, and marking them all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..models import Notification

NOTIFICATIONS_PER_PAGE = 50


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        marked = services.mark_notifications_read(user)
        if marked:
            messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
        return redirect("campaigns:notifications")
    page = Paginator(Notification.objects.filter(user=user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "campaigns/notifications.html",
        {
            "page_obj": page,
            "notifications": list(page.object_list),
        },
    )
