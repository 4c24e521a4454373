"""In-app notifications (通知): the user's list, marking them read, the user's choice of channels
per event, and the office's group robots (群机器人) with their recent deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from qualitycity.refusals import refusals, render

from .. import events, services
from ..access import access_campaign
from ..forms import RobotForm
from ..models import Delivery, Notification, Robot
from .common import form_messages, nav

NOTIFICATIONS_PER_PAGE = 50
RECENT_DELIVERIES = 30


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


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; opening it marks it read. Only the user's own (404 else),
    and only a link inside this site."""
    note = Notification.objects.filter(pk=pk, user=request.user).first()
    if note is None:
        raise Http404
    services.open_notification(note)
    target = note.url
    if not (target.startswith("/") and not target.startswith("//")) or not (
        url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("campaigns:notifications")
    return redirect(target)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Which events reach the user, in the app and by e-mail."""
    user = request.user
    if request.method == "POST":
        chosen = {
            key: {c: f"{key}:{c}" in request.POST for c in events.CHANNELS} for key in events.EVENTS
        }
        with refusals(request) as outcome:
            services.save_preferences(user, chosen)
        if not outcome.refused:
            messages.success(request, _("通知设置已保存。"))
            return redirect("campaigns:notification_preferences")
    current = services.preferences(user)
    groups: dict[str, list] = {}
    for e in events.EVENTS.values():
        groups.setdefault(str(e.group), []).append(
            {"key": e.key, "label": e.label, "channels": current[e.key]}
        )
    return render(
        request,
        "campaigns/notification_preferences.html",
        {"groups": groups, "has_email": bool(user.email)},
    )


@login_required
def robots(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign office's group robots: add, switch off/on, remove, send a test message."""
    campaign = access_campaign(request.user, pk, manage=True)
    form = RobotForm(campaign=campaign)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action == "add":
            form = RobotForm(request.POST, campaign=campaign)
            if form.is_valid():
                data = form.cleaned_data
                with refusals(request) as outcome:
                    services.add_robot(
                        campaign,
                        by=request.user,
                        kind=data["kind"],
                        name=data["name"],
                        webhook=data["webhook"],
                        secret=data["secret"],
                        unit=data["unit"],
                        chosen_events=data["events"],
                    )
                if not outcome.refused:
                    messages.success(request, _("已添加机器人“%(n)s”。") % {"n": data["name"]})
                    return redirect("campaigns:robots", campaign.pk)
            else:
                form_messages(request, form)
            status = 400
        else:
            robot = _robot(campaign, request.POST.get("robot", ""))
            with refusals(request) as outcome:
                if action == "remove":
                    services.remove_robot(robot, by=request.user)
                    messages.success(request, _("已删除机器人“%(n)s”。") % {"n": robot.name})
                elif action in ("activate", "deactivate"):
                    services.set_robot_active(robot, by=request.user, active=action == "activate")
                    messages.success(request, _("已保存。"))
                elif action == "test":
                    services.test_robot(robot, by=request.user)
                    messages.success(request, _("测试消息已交给后台发送,结果见下方“最近发送”。"))
                else:
                    raise Http404
            if not outcome.refused:
                return redirect("campaigns:robots", campaign.pk)
            status = 400
    else:
        status = 200
    robot_list = list(campaign.robots.select_related("unit"))
    deliveries = list(
        Delivery.objects.filter(robot__campaign=campaign)
        .select_related("robot")
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
    labels = {e.key: e.label for e in events.EVENTS.values()}
    for r in robot_list:
        r.event_labels = [labels[k] for k in r.events if k in labels]
    for d in deliveries:
        d.event_label = labels.get(d.event, _("测试消息"))
    return render(
        request,
        "campaigns/robots.html",
        {
            **nav(request, campaign, "robots"),
            "form": form,
            "robots": robot_list,
            "deliveries": deliveries,
        },
        status=status,
    )


def _robot(campaign, raw: str) -> Robot:
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    robot = campaign.robots.filter(pk=int(raw)).first()
    if robot is None:
        raise Http404
    return robot
