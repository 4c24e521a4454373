"""Progress reports (进展填报): the unit's liaison writes a period's report (draft or submit);
the office accepts or returns it. Which reports may still be edited is campaigns.rules'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity import clock
from qualitycity.evidence import services as evidence_services
from qualitycity.orgs.access import liaison_unit_ids
from qualitycity.refusals import refusals, refuse, render

from .. import rules, services, supervision
from ..access import access_report, access_task, manages_campaign
from ..forms import MonthlyUploadForm, ReportForm
from ..models import ProgressReport, Task
from .common import form_errors, form_messages


def _period_of(task: Task, period: str) -> supervision.Period:
    try:
        start = dt.date.fromisoformat(period)
    except ValueError as exc:
        raise Http404 from exc
    for p in supervision.report_periods(task):
        if p.start == start:
            return p
    raise Http404


def _selected(values: list[str]) -> set[int]:
    return {int(v) for v in values if str(v).isdigit() and len(str(v)) < 12}


def _own_period(request: HttpRequest, pk: int, period: str):
    """The task (of one of the liaison's units), its period and that period's report, if any."""
    user = request.user
    task = access_task(user, pk)
    if task.unit_id not in liaison_unit_ids(user):
        raise Http404
    current = _period_of(task, period)
    report = (
        ProgressReport.objects.filter(task=task, period_start=current.start)
        .select_related("reviewed_by", "author")
        .first()
    )
    return task, current, report


@login_required
def report_edit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """The unit's liaison writes one period's report: save as draft, or submit to the office."""
    user = request.user
    task, current, report = _own_period(request, pk, period)
    editable = rules.report_editable(task.status, report.status if report is not None else None)
    if request.method == "POST" and editable:
        form = ReportForm(request.POST, user=user, task=task)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            data = form.cleaned_data
            with refusals(request) as outcome:
                saved = services.save_report(
                    task,
                    by=user,
                    period_start=current.start,
                    text=data["text"],
                    percent=data["percent"],
                    evidence=list(data["evidence"]),
                    submit=submit,
                )
            if not outcome.refused:
                if not submit:
                    messages.success(request, _("草稿已保存。"))
                    return redirect("campaigns:report_edit", task.pk, current.start.isoformat())
                if saved.late:
                    messages.warning(
                        request,
                        _("%(p)s的进展已提交,已过填报截止日期 %(d)s,标记为逾期提交。")
                        % {"p": current.label, "d": current.deadline.isoformat()},
                    )
                else:
                    messages.success(
                        request,
                        _("%(p)s的进展已提交,等待创质办审核。") % {"p": current.label},
                    )
                # no #reports: the page would open below the message that says what happened
                return redirect("campaigns:task_detail", task.pk)
        else:
            form_messages(request, form)
    else:
        if request.method == "POST":
            refuse(
                request,
                _("该期填报已“%(s)s”,不能再修改。") % {"s": report.get_status_display()}
                if report is not None
                else _("任务已取消,不需要填报。"),
            )
        initial: dict[str, Any] = {"percent": task.progress}
        if report is not None:
            initial = {
                "text": report.text,
                "percent": report.percent,
                "evidence": [e.pk for e in report.evidence.all()],
            }
        form = ReportForm(initial=initial, user=user, task=task)
    attached = list(report.evidence.select_related("unit")) if report is not None else []
    picker = form.fields["evidence"]
    return render(
        request,
        "campaigns/report_form.html",
        {
            "task": task,
            "period": current,
            "report": report,
            "form": form,
            "editable": editable,
            "attached": attached,
            "evidence_options": [(e.pk, picker.label_from_instance(e)) for e in picker.queryset]
            if editable
            else [],
            "evidence_selected": _selected([str(v) for v in form["evidence"].value() or []]),
            "past_deadline": clock.today() > current.deadline,
        },
    )


@login_required
@require_POST
def report_upload(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    """Upload a file from inside the report form: answers the form's evidence picker, the new
    file selected beside what was selected (htmx swaps it in; what was typed stays)."""
    user = request.user
    task, current, report = _own_period(request, pk, period)
    if not rules.report_editable(task.status, report.status if report is not None else None):
        raise Http404
    selected = _selected(request.POST.getlist("evidence"))
    form = MonthlyUploadForm(request.POST, request.FILES, prefix="up")
    errors: list[str] = []
    done = ""
    refusal = getattr(request, "upload_refusal", None)
    if refusal:
        errors.append(refusal)
    elif not form.is_valid():
        errors = form_errors(form)
    else:
        upload = form.cleaned_data["file"]
        title = form.cleaned_data["title"].strip() or upload.name
        with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
            evidence = evidence_services.upload_evidence(
                task.campaign,
                upload,
                by=user,
                title=title[:300],
                unit=task.unit,
                effective_date=clock.today(),
                criteria=[task.criterion] if task.criterion_id else [],
                audit_extra={"task": task.pk, "period": current.start.isoformat()},
            )
        if outcome.refused:
            errors = outcome.messages
        else:
            selected.add(evidence.pk)
            done = _("已上传“%(title)s”,并已选为本期填报的佐证材料。") % {"title": evidence.title}
    picker = ReportForm(user=user, task=task).fields["evidence"]
    options = [(e.pk, picker.label_from_instance(e)) for e in picker.queryset]
    return render(
        request,
        "campaigns/_report_evidence.html",
        {
            "task": task,
            "period": current,
            "options": options,
            "selected": selected & {e for e, _label in options},
            "upload_errors": errors,
            "uploaded": done,
        },
        status=422 if errors else 200,
    )


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The office accepts a submitted report, or returns it with a comment."""
    user = request.user
    report = access_report(user, pk)
    task = report.task
    if not manages_campaign(user, task.campaign):
        raise Http404
    # no #reports: the page would open below the message that says what happened
    target = reverse("campaigns:task_detail", args=[task.pk])
    if request.method != "POST":  # the office follows a notification: to the review form
        return redirect(f"{target}#review-{report.pk}")
    decision = request.POST.get("decision")
    if decision not in ("accept", "return"):
        refuse(request, _("请选择采纳或退回。"))
        return redirect(target)
    period = supervision.Period(report.period_start, report.period_end, report.deadline)
    with refusals(request) as outcome:
        services.review_report(
            report, by=user, accept=decision == "accept", comment=request.POST.get("comment", "")
        )
    if outcome.refused:
        return redirect(target)
    if decision == "accept":
        messages.success(request, _("%(p)s的填报已采纳。") % {"p": period.label})
    else:
        messages.success(
            request, _("%(p)s的填报已退回,单位联络员将看到审核意见。") % {"p": period.label}
        )
    return redirect(target)
