"""The unit's monthly report (月报): one page per unit and period with every task the unit owes
a report on. The unit's liaisons fill it in and submit it together (services.save_monthly),
uploading evidence inside a task's row (htmx: the new file comes back selected in that row's
picker); the campaign office accepts or returns the whole 月报 or single tasks
(services.review_monthly); leaders and the offices above read it. What the 月报 holds and its
state are campaigns.monthly_report's and campaigns.monthly's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity import clock, xlsx_response
from qualitycity.evidence import services as evidence_services
from qualitycity.evidence.forms import EvidenceChoice
from qualitycity.refusals import refusals, refuse, render

from .. import monthly, monthly_report, rules, services
from ..access import REVIEW, WRITE, access_campaign, access_monthly, sees_all_work
from ..forms import MonthlyDecisionForm, MonthlyRowForm, MonthlyUploadForm
from ..models import Campaign
from .common import error_messages, form_errors, nav

MAX_ID = 2**31 - 1  # larger ids exist nowhere; asking the database would overflow


def _small(*ids: int) -> None:
    if any(i > MAX_ID for i in ids):
        raise Http404


def _load(request: HttpRequest, pk: int, unit_pk: int, period: str):
    _small(pk, unit_pk)
    campaign, unit, mode = access_monthly(request.user, pk, unit_pk)
    start = monthly.parse_period_key(period)
    if start is None:
        raise Http404
    report = monthly_report.load(campaign, unit, start)
    if report is None:
        raise Http404
    return campaign, unit, mode, report


def _evidence_options(user: Any, campaign: Campaign) -> list[tuple[int, str]]:
    """The campaign's evidence the user may use, once for the whole page (one query)."""
    picker = EvidenceChoice(label="")
    picker.limit_to(user, campaign.pk)
    return [(e.pk, picker.label_from_instance(e)) for e in picker.queryset]


@dataclass
class RowView:
    row: monthly_report.Row
    editable: bool
    reviewable: bool
    form: MonthlyRowForm | None = None
    errors: list[str] = field(default_factory=list)
    selected: set[int] = field(default_factory=set)


def _initial(row: monthly_report.Row) -> dict[str, Any]:
    if row.report is None:
        return {"percent": row.task.progress, "evidence": []}
    return {
        "text": row.report.text,
        "percent": row.report.percent,
        "evidence": [e.pk for e in row.evidence],
    }


def _rows(
    report: monthly_report.MonthlyReport,
    mode: str,
    options: list[tuple[int, str]],
    data: Any = None,
) -> list[RowView]:
    out = []
    for row in report.rows:
        editable = mode == WRITE and rules.report_editable(row.task.status, row.status)
        view = RowView(
            row,
            editable,
            reviewable=mode == REVIEW and rules.report_reviewable(row.status or ""),
        )
        if editable:
            prefix = f"t{row.task.pk}"
            view.form = MonthlyRowForm(data, prefix=prefix, initial=_initial(row), choices=options)
            if data is not None:
                chosen = data.getlist(f"{prefix}-evidence")
                view.selected = {int(v) for v in chosen if v.isdigit() and len(v) < 12}
            else:
                view.selected = set(_initial(row)["evidence"])
        out.append(view)
    return out


def _render(
    request: HttpRequest,
    campaign: Campaign,
    report: monthly_report.MonthlyReport,
    mode: str,
    rows: list[RowView],
    options: list[tuple[int, str]],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "campaigns/monthly.html",
        {
            **nav(request, campaign, "monthly"),
            "report": report,
            "key": monthly.period_key(report.period),
            "mode": mode,
            "rows": rows,
            "options": options,
            "any_editable": any(r.editable for r in rows),
            "any_reviewable": any(r.reviewable for r in rows),
            "resubmit": any(r.row.status == "returned" for r in rows if r.editable),
            "past_deadline": clock.today() > report.period.deadline,
        },
        status=status,
    )


@login_required
def monthly_page(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The 月报 of one unit and period: the liaison fills it in, the office reviews it."""
    campaign, unit, mode, report = _load(request, pk, unit_pk, period)
    user = request.user
    options = _evidence_options(user, campaign) if mode == WRITE else []
    if request.method != "POST":
        return _render(request, campaign, report, mode, _rows(report, mode, options), options)
    if mode != WRITE:
        raise Http404
    submit = request.POST.get("action") == "submit"
    rows = _rows(report, mode, options, request.POST)
    editable = [r for r in rows if r.editable]
    if not editable:
        refuse(request, _("本期月报已全部提交,没有可以修改的填报。"))
        return redirect(request.path)
    invalid = False
    for view in editable:
        if not view.form.is_valid():
            view.errors = form_errors(view.form)
            invalid = True
    if invalid:
        refuse(request, _("月报中有任务的填报未通过检查,均未保存,请按提示修改。"))
        return _render(request, campaign, report, mode, rows, options, status=400)
    by_id = {e_pk for e_pk, _label in options}
    evidence = _chosen_evidence(user, campaign, by_id, editable)
    entries = [
        services.Entry(
            view.row.task.pk,
            view.form.cleaned_data["text"],
            view.form.percent_value(),
            [evidence[e] for e in view.form.cleaned_data["evidence"] if e in evidence],
        )
        for view in editable
    ]
    with refusals(request, quiet=True) as outcome:
        saved = services.save_monthly(
            campaign,
            unit,
            by=user,
            period_start=report.period.start,
            entries=entries,
            submit=submit,
        )
    if outcome.refused:
        by_task = getattr(outcome.error, "by_task", {})
        for view in editable:
            view.errors = by_task.get(view.row.task.pk, [])
        for message in outcome.messages:
            refuse(request, message)
        return _render(request, campaign, report, mode, rows, options, status=400)
    if not submit:
        messages.success(request, _("月报草稿已保存。"))
    elif any(r.late for r in saved):
        messages.warning(
            request,
            _("%(p)s月报已提交,已过填报截止日期 %(d)s,逾期的任务标记为逾期提交。")
            % {"p": report.period.label, "d": report.period.deadline.isoformat()},
        )
    else:
        messages.success(
            request, _("%(p)s月报已提交,等待创质办审核。") % {"p": report.period.label}
        )
    return redirect(request.path)


def _chosen_evidence(
    user: Any, campaign: Campaign, allowed: set[int], views: list[RowView]
) -> dict[int, Any]:
    """The evidence rows chosen on the page, fetched once (the ids were checked by the forms)."""
    wanted = {e for v in views for e in v.form.cleaned_data["evidence"] if e in allowed}
    picker = EvidenceChoice(label="")
    picker.limit_to(user, campaign.pk)
    return {e.pk: e for e in picker.queryset.filter(pk__in=wanted)} if wanted else {}


@login_required
@require_POST
def monthly_upload(
    request: HttpRequest, pk: int, unit_pk: int, period: str, task_pk: int
) -> HttpResponse:
    """Upload a file from inside a task's row: answers that row's evidence picker, the new file
    selected beside what was selected (htmx swaps it in; the rest of the page is untouched)."""
    _small(task_pk)
    campaign, unit, mode, report = _load(request, pk, unit_pk, period)
    row = next((r for r in report.rows if r.task.pk == task_pk), None)
    if mode != WRITE or row is None or not rules.report_editable(row.task.status, row.status):
        raise Http404
    user = request.user
    prefix = f"t{task_pk}"
    chosen = request.POST.getlist(f"{prefix}-evidence")
    selected = {int(v) for v in chosen if v.isdigit() and len(v) < 12}
    form = MonthlyUploadForm(request.POST, request.FILES, prefix=f"up{task_pk}")
    errors: list[str] = []
    done = ""
    new_option = None
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
                campaign,
                upload,
                by=user,
                title=title[:300],
                unit=unit,
                effective_date=clock.today(),
                criteria=[row.task.criterion] if row.task.criterion_id else [],
                audit_extra={"task": task_pk, "monthly": monthly.period_key(report.period)},
            )
        if outcome.refused:
            errors = outcome.messages
        else:
            selected.add(evidence.pk)
            new_option = (evidence.pk, EvidenceChoice(label="").label_from_instance(evidence))
            done = _("已上传“%(title)s”,并已选为本项任务的佐证材料。") % {"title": evidence.title}
    options = _evidence_options(user, campaign)
    allowed = {e for e, _label in options}
    return render(
        request,
        "campaigns/_monthly_evidence.html",
        {
            "task_pk": task_pk,
            "upload_url": request.path,
            "options": options,
            "selected": selected & allowed,
            "upload_errors": errors,
            "uploaded": done,
            # the new file is offered in the other rows' pickers too (htmx out-of-band)
            "new_option": new_option,
            "other_rows": [
                r.task.pk
                for r in report.rows
                if r.task.pk != task_pk and rules.report_editable(r.task.status, r.status)
            ],
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def monthly_review(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The office accepts or returns the whole 月报, or one task in it."""
    campaign, unit, mode, report = _load(request, pk, unit_pk, period)
    if mode != REVIEW:
        raise Http404
    target = redirect("campaigns:monthly", pk, unit_pk, period)
    form = MonthlyDecisionForm(request.POST)
    if not form.is_valid():
        error_messages(request, form_errors(form))
        return target
    data = form.cleaned_data
    accept = data["decision"] == "accept"
    with refusals(request) as outcome:
        reviewed = services.review_monthly(
            campaign,
            unit,
            by=request.user,
            period_start=report.period.start,
            accept=accept,
            comment=data["comment"],
            task_ids=[data["task"]] if data["task"] else None,
        )
    if outcome.refused:
        return target
    label = report.period.label
    if data["task"]:
        title = reviewed[0].task.title
        if accept:
            messages.success(request, _("“%(t)s”的填报已采纳。") % {"t": title})
        else:
            messages.success(
                request, _("“%(t)s”的填报已退回,单位联络员将看到审核意见。") % {"t": title}
            )
    elif accept:
        messages.success(
            request,
            _("%(unit)s%(p)s月报已采纳(%(n)s 项任务)。")
            % {"unit": unit.name, "p": label, "n": len(reviewed)},
        )
    else:
        messages.success(
            request,
            _("%(unit)s%(p)s月报已退回(%(n)s 项任务),单位联络员将看到审核意见。")
            % {"unit": unit.name, "p": label, "n": len(reviewed)},
        )
    return target


@login_required
def monthly_index(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Every period the unit owes a 月报 for in the campaign, with its state."""
    _small(pk, unit_pk)
    campaign, unit, mode = access_monthly(request.user, pk, unit_pk)
    return render(
        request,
        "campaigns/monthly_index.html",
        {
            **nav(request, campaign, "monthly"),
            "unit": unit,
            "mode": mode,
            "lines": monthly_report.unit_index(campaign, unit),
            "today": clock.today(),
        },
    )


@login_required
def monthly_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's overview of one period: every unit owing a 月报, with its state."""
    _small(pk)
    campaign = access_campaign(request.user, pk)
    if not sees_all_work(request.user, campaign):
        raise Http404
    raw = request.GET.get("period")
    start = None
    if raw:
        start = monthly.parse_period_key(raw)
        if start is None:
            raise Http404
    today = clock.today()
    overview = monthly_report.overview(campaign, start, today)
    if raw and overview.period is None:
        raise Http404
    if request.GET.get("format") == "xlsx" and overview.period is not None:
        return _overview_xlsx(campaign, overview.period)
    return render(
        request,
        "campaigns/monthly_overview.html",
        {
            **nav(request, campaign, "monthly"),
            "overview": overview,
            "key": monthly.period_key(overview.period) if overview.period else "",
            "period_keys": [(monthly.period_key(p), p) for p in reversed(overview.periods)],
            "today": today,
            "read_only": not nav(request, campaign, "monthly")["can_manage"],
        },
    )


def _overview_xlsx(campaign: Campaign, period: Any) -> HttpResponse:
    """The period's progress reports as xlsx: one line per task that owes one, unit by unit."""
    rows = monthly_report.period_rows(campaign, period.start)
    return xlsx_response.xlsx_download(
        _("进展填报-%(period)s.xlsx") % {"period": monthly.period_key(period)},
        _("进展填报"),
        [
            _("单位"),
            _("工作任务"),
            _("序号"),
            _("任务截止"),
            _("完成(%)"),
            _("进展情况"),
            _("状态"),
            _("首次提交时间"),
            _("逾期提交"),
            _("审核意见"),
        ],
        (
            [
                r.unit.name,
                r.task.title,
                r.task.criterion.row if r.task.criterion_id else "",
                r.task.due,
                r.report.percent if r.report else None,
                r.report.text if r.report else "",
                r.report.get_status_display() if r.report else _("未填报"),
                r.report.submitted_at if r.report else None,
                _("是") if r.report and r.report.late else "",
                r.report.review_comment if r.report else "",
            ]
            for r in rows
        ),
        caption=_("周期:%(period)s,填报截止 %(deadline)s")
        % {"period": period.label, "deadline": period.deadline.isoformat()},
    )
