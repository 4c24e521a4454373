"""The 月报 services: the liaison saves and submits every owed task's report of a period together
(atomic: one refused task writes nothing), the office returns or accepts the whole 月报 or single
tasks; resubmission after a return; completeness and timeliness stay per task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qualitycity import clock
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import monthly_report
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import MonthlyState, ReportStatus, WorkRole
from qualitycity.campaigns.models import ProgressReport
from qualitycity.campaigns.services import Entry, MonthlyRefused
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from tests.factories import events, make_task, unit

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2018, 8, 1)


@pytest.fixture
def tasks(campaign, office):
    """Three lead tasks of 市质监局 owing August, and one cooperating task that does not (the
    campaign asks reports of lead units only)."""
    campaign.reports_from = "lead"
    campaign.save(update_fields=["reports_from"])
    owed = [make_task(campaign, office, title=f"任务{i}") for i in range(3)]
    make_task(campaign, office, title="配合任务", role=WorkRole.COOPERATING)
    return owed


@pytest.fixture
def qzj():
    return unit("市质监局")


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def entries(tasks, texts=None):
    texts = texts or {}
    return [
        Entry(t.pk, texts.get(t.pk, f"{t.title}本月已完成。"), 50 + i) for i, t in enumerate(tasks)
    ]


def submit_all(campaign, qzj, liaison, tasks, day=dt.date(2018, 9, 3)):
    return campaign_services.save_monthly(
        campaign,
        qzj,
        by=liaison,
        period_start=AUGUST,
        entries=entries(tasks),
        submit=True,
        now=at(day),
    )


def state(campaign, qzj):
    return monthly_report.load(campaign, qzj, AUGUST).state


def test_the_monthly_report_lists_the_owed_tasks_only(campaign, qzj, tasks):
    report = monthly_report.load(campaign, qzj, AUGUST)
    assert [r.task.pk for r in report.rows] == [t.pk for t in tasks]
    assert report.state == MonthlyState.NOT_STARTED and report.deadline == dt.date(2018, 9, 5)
    assert monthly_report.load(campaign, qzj, dt.date(2016, 8, 1)) is None


def test_saving_a_draft_keeps_every_task_a_draft(campaign, qzj, liaison, tasks):
    saved = campaign_services.save_monthly(
        campaign, qzj, by=liaison, period_start=AUGUST, entries=entries(tasks[:2])
    )
    assert {r.status for r in saved} == {ReportStatus.DRAFT}
    assert state(campaign, qzj) == MonthlyState.DRAFT
    assert AuditEvent.objects.filter(action="monthly.saved").count() == 1


def test_submitting_submits_every_task_together(campaign, qzj, liaison, tasks):
    saved = submit_all(campaign, qzj, liaison, tasks)
    assert len(saved) == 3
    assert {r.status for r in ProgressReport.objects.all()} == {ReportStatus.SUBMITTED}
    assert state(campaign, qzj) == MonthlyState.SUBMITTED
    event = AuditEvent.objects.get(action="monthly.submitted")
    assert event.after["tasks"] == sorted(t.pk for t in tasks)
    assert all(events(r, "report.submitted").count() == 1 for r in saved)
    # timeliness per task, as the board counts it
    assert not any(r.late for r in saved)


def test_one_refused_task_writes_nothing_and_says_which(campaign, qzj, liaison, tasks):
    bad = tasks[1]
    with pytest.raises(MonthlyRefused) as exc:
        campaign_services.save_monthly(
            campaign,
            qzj,
            by=liaison,
            period_start=AUGUST,
            entries=[
                Entry(tasks[0].pk, "已完成。", 50),
                Entry(bad.pk, "  ", 50),
                Entry(tasks[2].pk, "已完成。", 101),
            ],
            submit=True,
        )
    assert set(exc.value.by_task) == {bad.pk, tasks[2].pk}
    assert exc.value.by_task[bad.pk] == ["提交前请填写进展情况。"]
    assert "0 到 100" in exc.value.by_task[tasks[2].pk][0]
    assert ProgressReport.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()
    assert not AuditEvent.objects.filter(action__startswith="monthly.").exists()
    for t in tasks:
        t.refresh_from_db()
        assert t.progress == 0


def test_submit_needs_every_editable_task(campaign, qzj, liaison, tasks):
    with pytest.raises(MonthlyRefused) as exc:
        submit_all(campaign, qzj, liaison, tasks[:2])
    assert set(exc.value.by_task) == {tasks[2].pk}
    assert ProgressReport.objects.count() == 0


def test_only_the_units_liaison_writes(campaign, qzj, tasks, office, zhujian_liaison):
    for who in (office, zhujian_liaison):
        with pytest.raises(NotAllowed):
            submit_all(campaign, qzj, who, tasks)
    assert ProgressReport.objects.count() == 0


def test_tasks_of_another_unit_are_refused(campaign, qzj, liaison, tasks, office):
    other = make_task(campaign, office, unit_name="市住建局", title="住建任务")
    with pytest.raises(ValidationFailed):
        campaign_services.save_monthly(
            campaign,
            qzj,
            by=liaison,
            period_start=AUGUST,
            entries=[*entries(tasks), Entry(other.pk, "x", 1)],
            submit=True,
        )
    assert ProgressReport.objects.count() == 0


def test_the_office_returns_one_task_and_the_liaison_resubmits_it(
    campaign, qzj, liaison, office, tasks
):
    submit_all(campaign, qzj, liaison, tasks)
    returned = campaign_services.review_monthly(
        campaign,
        qzj,
        by=office,
        period_start=AUGUST,
        accept=False,
        comment="请附会议纪要。",
        task_ids=[tasks[1].pk],
    )
    assert [r.task_id for r in returned] == [tasks[1].pk]
    assert state(campaign, qzj) == MonthlyState.PARTLY_RETURNED
    report = ProgressReport.objects.get(task=tasks[1])
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "请附会议纪要。")
    assert events(report, "report.returned").count() == 1

    # only the returned task is editable now; the others stay as submitted
    again = campaign_services.save_monthly(
        campaign,
        qzj,
        by=liaison,
        period_start=AUGUST,
        entries=entries(tasks, {tasks[1].pk: "已附会议纪要。"}),
        submit=True,
        now=at(dt.date(2018, 9, 20)),
    )
    assert [r.task_id for r in again] == [tasks[1].pk]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.text == "已附会议纪要。"
    assert report.late is False  # the first submission counts for timeliness
    assert events(report, "report.resubmitted").count() == 1

    campaign_services.review_monthly(campaign, qzj, by=office, period_start=AUGUST, accept=True)
    assert state(campaign, qzj) == MonthlyState.ACCEPTED
    assert AuditEvent.objects.get(action="monthly.accepted").after["whole"] is True


def test_the_office_returns_the_whole_report_with_a_comment(campaign, qzj, liaison, office, tasks):
    submit_all(campaign, qzj, liaison, tasks)
    with pytest.raises(ValidationFailed):
        campaign_services.review_monthly(
            campaign, qzj, by=office, period_start=AUGUST, accept=False, comment=" "
        )
    assert state(campaign, qzj) == MonthlyState.SUBMITTED
    campaign_services.review_monthly(
        campaign, qzj, by=office, period_start=AUGUST, accept=False, comment="请补充佐证。"
    )
    assert state(campaign, qzj) == MonthlyState.RETURNED
    assert set(ProgressReport.objects.values_list("review_comment", flat=True)) == {"请补充佐证。"}


def test_accepting_one_task_then_the_rest(campaign, qzj, liaison, office, tasks):
    submit_all(campaign, qzj, liaison, tasks)
    campaign_services.review_monthly(
        campaign, qzj, by=office, period_start=AUGUST, accept=True, task_ids=[tasks[0].pk]
    )
    assert state(campaign, qzj) == MonthlyState.PARTLY_ACCEPTED
    # the accepted one cannot be reviewed again; the whole report takes the submitted ones only
    with pytest.raises(InvalidTransition):
        campaign_services.review_monthly(
            campaign,
            qzj,
            by=office,
            period_start=AUGUST,
            accept=False,
            comment="再看看",
            task_ids=[tasks[0].pk],
        )
    reviewed = campaign_services.review_monthly(
        campaign, qzj, by=office, period_start=AUGUST, accept=True
    )
    assert sorted(r.task_id for r in reviewed) == [tasks[1].pk, tasks[2].pk]
    assert state(campaign, qzj) == MonthlyState.ACCEPTED
    with pytest.raises(InvalidTransition):
        campaign_services.review_monthly(campaign, qzj, by=office, period_start=AUGUST, accept=True)
    with pytest.raises(InvalidTransition):
        submit_all(campaign, qzj, liaison, tasks)  # all accepted: read-only


def test_reviewing_refuses_unsubmitted_reports_and_others(
    campaign, qzj, liaison, office, tasks, leader
):
    campaign_services.save_monthly(
        campaign, qzj, by=liaison, period_start=AUGUST, entries=entries(tasks)
    )
    with pytest.raises(InvalidTransition):
        campaign_services.review_monthly(campaign, qzj, by=office, period_start=AUGUST, accept=True)
    with pytest.raises(InvalidTransition):
        campaign_services.review_monthly(
            campaign, qzj, by=office, period_start=AUGUST, accept=True, task_ids=[tasks[0].pk]
        )
    with pytest.raises(ValidationFailed):
        campaign_services.review_monthly(
            campaign, qzj, by=office, period_start=AUGUST, accept=True, task_ids=[10**9]
        )
    with pytest.raises(NotAllowed):
        campaign_services.review_monthly(campaign, qzj, by=leader, period_start=AUGUST, accept=True)
    assert {r.status for r in ProgressReport.objects.all()} == {ReportStatus.DRAFT}


def test_a_period_without_owed_tasks_is_refused(campaign, qzj, liaison, tasks):
    with pytest.raises(ValidationFailed):
        campaign_services.save_monthly(
            campaign, qzj, by=liaison, period_start=dt.date(2016, 1, 1), entries=[]
        )


def test_the_board_counts_a_submitted_monthly_report_per_task(campaign, qzj, liaison, tasks):
    """Completeness and timeliness stay per task: a 月报 of three tasks is three reports arrived,
    each on time or late by its own first submission."""
    from qualitycity.campaigns import queries

    today = dt.date(2018, 9, 15)

    def august():
        return next(p for p in queries.board(campaign, today).periods if p.start == AUGUST)

    before = august().rate
    assert (before.due, before.arrived) == (3, 0)
    campaign_services.save_monthly(
        campaign,
        qzj,
        by=liaison,
        period_start=AUGUST,
        entries=entries(tasks),
        submit=True,
        now=at(dt.date(2018, 9, 3)),
    )
    rate = august().rate
    assert (rate.due, rate.arrived, rate.on_time) == (3, 3, 3)


def test_a_submitted_monthly_report_tells_the_office_once_and_its_review_tells_the_unit_once(
    campaign, qzj, liaison, office, tasks
):
    from qualitycity.campaigns.models import Notification

    Notification.objects.all().delete()
    with clock.pinned(dt.date(2018, 9, 3)):
        submit_all(campaign, qzj, liaison, tasks)
    (note,) = Notification.objects.filter(event="report.submitted")
    assert note.user == office and "3 项任务" in note.text and "2018年8月" in note.text
    assert note.url == f"/campaigns/{campaign.pk}/monthly/{qzj.pk}/2018-08/"
    campaign_services.review_monthly(
        campaign, qzj, by=office, period_start=AUGUST, accept=False, comment="请补充佐证"
    )
    (back,) = Notification.objects.filter(event="report.returned")
    assert back.user == liaison and "请补充佐证" in back.text and back.url == note.url
    assert not Notification.objects.filter(event="report.accepted").exists()
