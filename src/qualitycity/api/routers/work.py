"""The campaign's work: tasks (工作任务), progress reports (进展填报), supervision notices (督办单)
and findings (问题/整改), through the same access helpers and services as the pages."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from qualitycity.assessments.access import access_finding, visible_findings
from qualitycity.assessments.choices import FindingStatus
from qualitycity.campaigns import services
from qualitycity.campaigns.access import (
    access_notice,
    access_report,
    access_task,
    visible_notices,
    visible_reports,
    visible_tasks,
)
from qualitycity.campaigns.choices import NoticeStatus, ReportStatus, TaskStatus
from qualitycity.errors import ValidationFailed
from qualitycity.evidence.access import visible_evidence

from ..schemas import ERRORS, WRITE_ERRORS, BodyId, Bool, Choice, Id, Int, Paging, Text

router = Router(tags=["work"])


class TaskOut(Schema):
    id: int
    campaign_id: int
    title: str
    unit_id: int
    unit: str
    role: str
    criterion_id: int | None
    measure_id: int | None
    phase_id: int | None
    start: dt.date | None
    due: dt.date | None
    status: str
    progress: int

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class ProgressIn(Schema):
    progress: Annotated[Int, Field(ge=0, le=100)]
    done: Bool = False


class ReportOut(Schema):
    id: int
    task_id: int
    period_start: dt.date
    period_end: dt.date
    deadline: dt.date
    text: str
    percent: int
    status: str
    submitted_at: dt.datetime | None
    late: bool
    review_comment: str
    author_id: int | None
    evidence: list[int]

    @staticmethod
    def resolve_evidence(obj) -> list[int]:
        return sorted(e.pk for e in obj.evidence.all())


class ReportIn(Schema):
    period_start: dt.date
    text: Text(20000) = ""  # type: ignore[valid-type]
    percent: Annotated[Int, Field(ge=0, le=100)]
    evidence: Annotated[list[BodyId], Field(max_length=200)] = []
    submit: Bool = False


class NoticeOut(Schema):
    id: int
    campaign_id: int
    number: str
    unit_id: int
    colour: str
    content: str
    response_due: dt.date | None
    status: str
    response: str
    issued_at: dt.datetime
    responded_at: dt.datetime | None
    closed_at: dt.datetime | None
    tasks: list[int]

    @staticmethod
    def resolve_tasks(obj) -> list[int]:
        return sorted(t.pk for t in obj.tasks.all())


class ResponseIn(Schema):
    response: Text(5000, required=True)  # type: ignore[valid-type]


class FindingOut(Schema):
    id: int
    round_id: int
    criterion_id: int
    title: str
    description: str
    points_lost: float
    unit_id: int | None
    due: dt.date | None
    status: str
    fix_note: str
    created_at: dt.datetime
    fixed_at: dt.datetime | None
    verified_at: dt.datetime | None


@router.get("/tasks", response={200: list[TaskOut], **ERRORS}, tags=["work"])
@paginate(Paging)
def list_tasks(
    request: HttpRequest,
    campaign: Id | None = None,
    unit: Id | None = None,
    phase: Id | None = None,
    status: Choice(TaskStatus.values) = None,  # type: ignore[valid-type]
):
    qs = visible_tasks(request.user).order_by("due", "pk")
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if unit:
        qs = qs.filter(unit_id=unit)
    if phase:
        qs = qs.filter(phase_id=phase)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def get_task(request: HttpRequest, task_id: Id):
    return access_task(request.user, task_id)


@router.post("/tasks/{task_id}/progress", response={200: TaskOut, **WRITE_ERRORS})
def update_progress(request: HttpRequest, task_id: Id, payload: ProgressIn):
    task = access_task(request.user, task_id)
    return services.update_progress(
        task, by=request.user, progress=payload.progress, done=payload.done
    )


@router.get("/reports", response={200: list[ReportOut], **ERRORS})
@paginate(Paging)
def list_reports(
    request: HttpRequest,
    campaign: Id | None = None,
    task: Id | None = None,
    status: Choice(ReportStatus.values) = None,  # type: ignore[valid-type]
):
    qs = visible_reports(request.user).prefetch_related("evidence")
    qs = qs.order_by("-period_start", "pk")
    if campaign:
        qs = qs.filter(task__campaign_id=campaign)
    if task:
        qs = qs.filter(task_id=task)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/reports/{report_id}", response={200: ReportOut, **ERRORS})
def get_report(request: HttpRequest, report_id: Id):
    return access_report(request.user, report_id)


@router.post("/tasks/{task_id}/reports", response={200: ReportOut, **WRITE_ERRORS})
def save_report(request: HttpRequest, task_id: Id, payload: ReportIn):
    """Write (and with `submit` hand in) the unit's report for the period that holds
    `period_start`; only the unit's liaisons."""
    task = access_task(request.user, task_id)
    wanted = set(payload.evidence)
    evidence = list(visible_evidence(request.user).filter(pk__in=wanted))
    if len(evidence) != len(wanted):
        raise ValidationFailed(_("佐证材料无效:请选择您可见的佐证材料。"))
    report = services.save_report(
        task,
        by=request.user,
        period_start=payload.period_start,
        text=payload.text,
        percent=payload.percent,
        evidence=evidence,
        submit=payload.submit,
    )
    return access_report(request.user, report.pk)


@router.get("/notices", response={200: list[NoticeOut], **ERRORS})
@paginate(Paging)
def list_notices(
    request: HttpRequest,
    campaign: Id | None = None,
    unit: Id | None = None,
    status: Choice(NoticeStatus.values) = None,  # type: ignore[valid-type]
):
    qs = visible_notices(request.user).prefetch_related("tasks").order_by("-issued_at", "-pk")
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if unit:
        qs = qs.filter(unit_id=unit)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/notices/{notice_id}", response={200: NoticeOut, **ERRORS})
def get_notice(request: HttpRequest, notice_id: Id):
    return access_notice(request.user, notice_id)


@router.post("/notices/{notice_id}/response", response={200: NoticeOut, **WRITE_ERRORS})
def respond_notice(request: HttpRequest, notice_id: Id, payload: ResponseIn):
    """The supervised unit's liaison answers a notice (反馈)."""
    notice = access_notice(request.user, notice_id)
    services.respond_notice(notice, by=request.user, response=payload.response)
    return access_notice(request.user, notice_id)


@router.get("/findings", response={200: list[FindingOut], **ERRORS})
@paginate(Paging)
def list_findings(
    request: HttpRequest,
    round: Id | None = None,
    unit: Id | None = None,
    status: Choice(FindingStatus.values) = None,  # type: ignore[valid-type]
):
    qs = visible_findings(request.user).order_by("-created_at", "-pk").distinct()
    if round:
        qs = qs.filter(round_id=round)
    if unit:
        qs = qs.filter(unit_id=unit)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/findings/{finding_id}", response={200: FindingOut, **ERRORS})
def get_finding(request: HttpRequest, finding_id: Id):
    return access_finding(request.user, finding_id)
