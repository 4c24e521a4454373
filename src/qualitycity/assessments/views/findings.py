"""Rectification (问题整改): create from a gap row, list, detail and the status actions.

Every write goes through assessments.services; refused changes come back as Chinese messages.
A forbidden action answers 404, like a finding the user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock, xlsx_response
from qualitycity.audit.labels import action_label
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.access import manages_campaign
from qualitycity.errors import DomainError
from qualitycity.refusals import mark_refused, refusals, refuse, render, shown_at

from .. import services
from ..access import (
    access_finding,
    access_round,
    access_round_criterion,
    can_work_on_finding,
    visible_findings,
)
from ..choices import FindingStatus
from ..forms import DueForm, FindingFilter, FixForm, SendBackForm
from ..models import Finding, Score
from ..transitions import FINDING

FINDING_OBJECT_TYPE = "assessments.finding"


# --- forms ------------------------------------------------------------------------------------


def _form_messages(request: HttpRequest, form: forms.Form) -> None:
    mark_refused(request)
    for errors in form.errors.values():
        for message in errors:
            refuse(request, message)


def _domain_messages(request: HttpRequest, exc: DomainError) -> None:
    mark_refused(request)
    for message in exc.messages:
        refuse(request, message)


# --- create from a gap row --------------------------------------------------------------------


@login_required
def finding_create(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    criterion = access_round_criterion(rnd, criterion_pk)
    if request.method != "POST":
        return redirect("assessments:gaps", rnd.pk)
    form = DueForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect("assessments:gaps", rnd.pk)
    with refusals(request) as outcome:
        finding = services.create_finding(
            rnd, criterion, by=request.user, due=form.cleaned_data["due"]
        )
    if outcome.refused:
        return redirect("assessments:gaps", rnd.pk)
    messages.success(
        request,
        _("已生成整改任务“%(title)s”,责任单位:%(unit)s。")
        % {"title": finding.title, "unit": finding.unit.name},
    )
    return redirect("assessments:finding_detail", finding.pk)


# --- list -------------------------------------------------------------------------------------


@dataclass
class FindingRow:
    finding: Finding
    overdue: bool


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    form = FindingFilter(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        _form_messages(request, form)
        filters = form.cleaned_data
    qs = visible_findings(request.user).select_related(
        "round", "round__campaign", "criterion", "unit"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("round"):
        qs = qs.filter(round=filters["round"])
    today = clock.today()
    rows = [FindingRow(f, services.is_overdue(f, today)) for f in qs.order_by("due", "pk")]
    if filters.get("overdue"):
        rows = [r for r in rows if r.overdue]
    if request.GET.get("format") == "xlsx":
        return _finding_xlsx(form, rows)
    return render(
        request,
        "assessments/finding_list.html",
        {
            "form": form,
            "rows": rows,
            "overdue_count": sum(1 for r in rows if r.overdue),
            "filtered": any(filters.get(k) for k in ("status", "unit", "round", "overdue")),
        },
    )


def _finding_xlsx(form: forms.Form, rows: list[FindingRow]) -> HttpResponse:
    """The filtered findings as xlsx, with the filters in words on the caption line."""
    return xlsx_response.xlsx_download(
        _("问题整改-%(date)s.xlsx") % {"date": clock.today().isoformat()},
        _("问题整改"),
        [
            _("考核轮次"),
            _("序号"),
            _("问题"),
            _("责任单位"),
            _("失分"),
            _("整改期限"),
            _("状态"),
            _("已逾期"),
        ],
        (
            [
                r.finding.round.name,
                r.finding.criterion.row,
                r.finding.title,
                r.finding.unit.name,
                r.finding.points_lost,
                r.finding.due,
                r.finding.get_status_display(),
                _("是") if r.overdue else "",
            ]
            for r in rows
        ),
        caption=xlsx_response.filters_caption(form),
    )


# --- detail and actions -----------------------------------------------------------------------


@dataclass
class HistoryEntry:
    event: AuditEvent
    label: str
    before: str
    after: str
    note: str


def _status_label(state: Any) -> str:
    if not isinstance(state, dict) or state.get("status") not in FindingStatus.values:
        return ""
    return str(FindingStatus(state["status"]).label)


def _history(finding: Finding) -> list[HistoryEntry]:
    events = AuditEvent.objects.filter(
        object_type=FINDING_OBJECT_TYPE, object_id=str(finding.pk)
    ).select_related("actor")
    out = []
    for event in events.order_by("at", "pk"):
        after = event.after if isinstance(event.after, dict) else {}
        note = ""
        if event.action == "finding.fix":
            note = after.get("fix_note", "")
        elif event.action == "finding.send_back":
            note = after.get("return_reason", "")
        out.append(
            HistoryEntry(
                event,
                action_label(event.action),
                _status_label(event.before),
                _status_label(event.after),
                note,
            )
        )
    return out


def _available_actions(user: Any, finding: Finding) -> dict[str, bool]:
    manages = manages_campaign(user, finding.round.campaign)
    works = manages or can_work_on_finding(user, finding)  # which includes the office
    # The unit (and the office) works on a finding; only the office verifies or sends it back.
    who = {"start": works, "fix": works, "verify": manages, "send_back": manages}
    return {action: who[action] and FINDING.allows(action, finding.status) for action in who}


def _render_detail(
    request: HttpRequest,
    finding: Finding,
    *,
    fix_form: FixForm | None = None,
    send_back_form: SendBackForm | None = None,
) -> HttpResponse:
    shown_at(request, reverse("assessments:finding_detail", args=[finding.pk]))
    user = request.user
    actions = _available_actions(user, finding)
    if actions["fix"] and fix_form is None:
        fix_form = FixForm(user=user, finding=finding)
    if actions["send_back"] and send_back_form is None:
        send_back_form = SendBackForm()
    score = (
        Score.objects.filter(round_id=finding.round_id, criterion_id=finding.criterion_id)
        .only("points", "na_status")
        .first()
    )
    return render(
        request,
        "assessments/finding_detail.html",
        {
            "finding": finding,
            "round": finding.round,
            "criterion": finding.criterion,
            "score": score,
            "cooperating": list(finding.cooperating_units.all()),
            "evidence": list(finding.evidence.select_related("unit")),
            "history": _history(finding),
            "overdue": services.is_overdue(finding),
            "actions": actions,
            "any_action": any(actions.values()),
            "fix_form": fix_form if actions["fix"] else None,
            "send_back_form": send_back_form if actions["send_back"] else None,
        },
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_finding(request.user, pk))


SUCCESS = {
    "start": gettext_lazy("已开始整改。"),
    "fix": gettext_lazy("整改情况已提交,等待创质办复核。"),
    "verify": gettext_lazy("整改已复核通过。"),
    "send_back": gettext_lazy("整改已退回责任单位。"),
}


@login_required
def finding_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    finding = access_finding(request.user, pk)
    if action not in SUCCESS:
        raise Http404
    if request.method != "POST":
        return redirect("assessments:finding_detail", finding.pk)
    user = request.user
    fix_form = send_back_form = None
    with refusals(request) as outcome:
        if action == "start":
            services.start_rectification(finding, by=user)
        elif action == "verify":
            services.verify_finding(finding, by=user)
        elif action == "send_back":
            send_back_form = SendBackForm(request.POST)
            send_back_form.is_valid()
            services.send_back_finding(
                finding, by=user, reason=send_back_form.cleaned_data.get("reason", "")
            )
        else:
            fix_form = FixForm(request.POST, user=user, finding=finding)
            if not fix_form.is_valid():
                _form_messages(request, fix_form)
                return _render_detail(request, finding, fix_form=fix_form)
            services.mark_fixed(
                finding,
                by=user,
                note=fix_form.cleaned_data["note"],
                evidence=list(fix_form.cleaned_data["evidence"]),
            )
    if outcome.refused:
        finding = access_finding(user, pk)  # the status may have moved meanwhile
        return _render_detail(request, finding, fix_form=fix_form, send_back_form=send_back_form)
    messages.success(request, str(SUCCESS[action]))
    return redirect("assessments:finding_detail", finding.pk)
