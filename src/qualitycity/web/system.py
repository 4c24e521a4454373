"""The administrator's system page (/system/): the counts of users, units and frameworks with
links to their pages, the background jobs (outgoing messages waiting or failed, the worker's
reminder run and failed runs), and the audit log search (/system/audit/). Administrators only:
anyone else gets the same 404 as a page that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from qualitycity import clock, xlsx_response
from qualitycity.audit.diff import diff, shown
from qualitycity.audit.filtersets import AuditEventFilter, object_types
from qualitycity.audit.labels import action_label, object_type_label
from qualitycity.audit.labels import rows as change_rows
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import jobs
from qualitycity.campaigns.choices import DeliveryStatus
from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import is_admin
from qualitycity.orgs.models import Region, Unit, UnitGroup, User

SHOWN_ON_SYSTEM_PAGE = 10
DELIVERIES_PER_PAGE = 50
AUDIT_PER_PAGE = 50


def _admin_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise Http404


def _with_labels(deliveries):
    out = list(deliveries)
    for d in out:
        d.event_label = jobs.event_label(d.event)
    return out


def system_summary() -> dict[str, object]:
    """The figures of the system page and of the administrator's home section."""
    users = User.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    return {
        "users": users["total"],
        "active_users": users["active"],
        "deliveries": jobs.delivery_counts(),
        "worker": jobs.worker(),
    }


@login_required
def system(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    context = {
        **system_summary(),
        "units": Unit.objects.count(),
        "groups": UnitGroup.objects.count(),
        "regions": Region.objects.count(),
        "frameworks": Framework.objects.count(),
        "failed": _with_labels(jobs.deliveries(DeliveryStatus.FAILED)[:SHOWN_ON_SYSTEM_PAGE]),
        "pending": _with_labels(jobs.deliveries(DeliveryStatus.PENDING)[:SHOWN_ON_SYSTEM_PAGE]),
        "shown": SHOWN_ON_SYSTEM_PAGE,
    }
    return render(request, "web/system.html", context)


@login_required
def deliveries(request: HttpRequest) -> HttpResponse:
    """Every outgoing message in one status (`?status=failed`), a page at a time."""
    _admin_only(request)
    status = request.GET.get("status", DeliveryStatus.FAILED)
    if status not in DeliveryStatus.values:
        return render(
            request, "web/bad_request.html", {"message": _("没有这种发送状态。")}, status=400
        )
    page = Paginator(jobs.deliveries(status), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/system_deliveries.html",
        {
            "status": status,
            "status_label": DeliveryStatus(status).label,
            "statuses": DeliveryStatus.choices,
            "page_obj": page,
            "rows": _with_labels(page.object_list),
        },
    )


@login_required
def audit_search(request: HttpRequest) -> HttpResponse:
    """The audit log by user, object, action and date range; each event's before and after as
    the list of what changed (`audit.diff`)."""
    _admin_only(request)
    events = AuditEvent.objects.order_by("-at", "-pk")
    filterset = AuditEventFilter(request.GET or None, queryset=events, object_types=object_types())
    valid = filterset.is_valid() if filterset.is_bound else True
    rows = filterset.qs if valid else events.none()
    if valid and request.GET.get("format") == "xlsx":
        return _audit_xlsx(filterset.form, rows)
    page = Paginator(rows, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    for event in shown:
        event.changes = change_rows(event.object_type, diff(event.before, event.after))
        event.type_label = object_type_label(event.object_type)
        event.action_label = action_label(event.action)
    return render(
        request,
        "web/system_audit.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "events": shown,
            "searched": filterset.is_bound,
        },
        status=200 if valid else 400,
    )


def _changes_text(event: AuditEvent) -> str:
    """What changed, one line per field: "标题:旧 → 新"."""
    lines = []
    for c in change_rows(event.object_type, diff(event.before, event.after)):
        label = c.label if c.code else _("值")
        if c.kind == "added":
            lines.append(f"{label}:{shown(c.new)}")
        elif c.kind == "removed":
            lines.append(f"{label}:{shown(c.old)} → —")
        else:
            lines.append(f"{label}:{shown(c.old)} → {shown(c.new)}")
    return "\n".join(lines)


def _audit_xlsx(form: Any, events: Any) -> HttpResponse:
    """The searched audit events (newest first, at most xlsx_response.MAX_ROWS) as xlsx."""
    rows = (
        [
            e.at,
            e.actor_name,
            action_label(e.action),
            object_type_label(e.object_type),
            e.object_id,
            e.object_repr,
            _changes_text(e),
            e.source,
            e.request_id,
        ]
        for e in events[: xlsx_response.MAX_ROWS].iterator(chunk_size=2000)
    )
    return xlsx_response.xlsx_download(
        _("审计日志-%(date)s.xlsx") % {"date": clock.today().isoformat()},
        _("审计日志"),
        [
            _("时间"),
            _("操作人"),
            _("操作"),
            _("对象类型"),
            _("对象编号"),
            _("对象"),
            _("变更内容"),
            _("来源"),
            _("请求编号"),
        ],
        rows,
        caption=xlsx_response.filters_caption(form),
    )
