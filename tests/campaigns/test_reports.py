"""Progress reports (进展填报): draft → submitted → accepted, returned → resubmitted, lateness,
validation, and who may write and review them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qualitycity.assessments import services as assess
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns import supervision
from qualitycity.campaigns.choices import ReportStatus, TaskStatus
from qualitycity.campaigns.models import ProgressReport
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.orgs.choices import Role
from tests.factories import events, make_task, unit
from tests.factories import pdf_bytes as _pdf
from tests.factories import persona as make_user

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2018, 8, 1)  # deadline 2018-09-05 (five days after the month)


@pytest.fixture
def task(campaign, office):
    """A lead task of 市质监局 (the `liaison` persona's unit), 2018-01-01 … 2019-02-28."""
    return make_task(campaign, office)


@pytest.fixture
def other_liaison(orgs):
    return make_user("t-liaison-zhujian", Role.LIAISON, "市住建局")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def submit(task, user, *, text="完成制度起草,已征求各成员单位意见。", percent=40, **kwargs):
    return campaign_services.save_report(
        task, by=user, period_start=AUGUST, text=text, percent=percent, submit=True, **kwargs
    )


def test_periods_follow_the_campaign_setting(task):
    periods = supervision.report_periods(task)
    assert len(periods) == 14  # 2018-01 … 2019-02, monthly by default
    august = periods[7]
    assert (august.start, august.end, august.deadline) == (
        AUGUST,
        dt.date(2018, 8, 31),
        dt.date(2018, 9, 5),
    )
    assert august.label == "2018年8月"
    campaign = task.campaign
    campaign.report_period = "quarter"
    campaign.report_deadline_days = 10
    campaign.save()
    quarters = supervision.report_periods(task)
    assert [p.start for p in quarters[:2]] == [dt.date(2018, 1, 1), dt.date(2018, 4, 1)]
    assert quarters[0].deadline == dt.date(2018, 4, 10)


def test_draft_then_submitted_then_accepted(task, liaison, office):
    draft = campaign_services.save_report(
        task, by=liaison, period_start=AUGUST, text="", percent=20, submit=False
    )
    assert (draft.status, draft.submitted_at, draft.late) == (ReportStatus.DRAFT, None, False)
    assert draft.deadline == dt.date(2018, 9, 5) and draft.period_end == dt.date(2018, 8, 31)
    assert events(draft, "report.saved").count() == 1
    task.refresh_from_db()
    assert task.progress == 0  # a draft does not move the task

    report = submit(task, liaison, now=at(dt.date(2018, 9, 3)))
    assert report.pk == draft.pk
    assert (report.status, report.late) == (ReportStatus.SUBMITTED, False)
    assert report.submitted_at == at(dt.date(2018, 9, 3))
    event = events(report, "report.submitted").get()
    assert event.before["status"] == ReportStatus.DRAFT
    assert event.after["status"] == ReportStatus.SUBMITTED
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, TaskStatus.IN_PROGRESS)

    accepted = campaign_services.review_report(report, by=office, accept=True)
    assert (accepted.status, accepted.reviewed_by) == (ReportStatus.ACCEPTED, office)
    assert events(report, "report.accepted").get().after["status"] == ReportStatus.ACCEPTED
    with pytest.raises(InvalidTransition):
        submit(task, liaison, percent=50)
    with pytest.raises(InvalidTransition):
        campaign_services.review_report(accepted, by=office, accept=False, comment="再看看")


def test_returned_with_a_comment_then_resubmitted(task, liaison, office):
    report = submit(task, liaison, now=at(dt.date(2018, 9, 2)))
    with pytest.raises(ValidationFailed):
        campaign_services.review_report(report, by=office, accept=False, comment="  ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(InvalidTransition):
        submit(task, liaison)  # submitted reports wait for the office

    returned = campaign_services.review_report(
        report, by=office, accept=False, comment="请附会议纪要。"
    )
    assert (returned.status, returned.review_comment) == (ReportStatus.RETURNED, "请附会议纪要。")
    assert events(report, "report.returned").get().after["review_comment"] == "请附会议纪要。"

    again = submit(task, liaison, text="已附会议纪要。", percent=45, now=at(dt.date(2018, 9, 20)))
    assert again.status == ReportStatus.SUBMITTED and again.text == "已附会议纪要。"
    event = events(report, "report.resubmitted").get()
    assert event.before["status"] == ReportStatus.RETURNED
    assert event.after["status"] == ReportStatus.SUBMITTED
    # the first submission counts for timeliness
    assert again.submitted_at == at(dt.date(2018, 9, 2)) and again.late is False
    campaign_services.review_report(again, by=office, accept=True)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_a_submission_after_the_deadline_is_late(task, liaison):
    on_time = submit(task, liaison, now=at(dt.date(2018, 9, 5), 23))
    assert on_time.late is False
    july = campaign_services.save_report(
        task,
        by=liaison,
        period_start=dt.date(2018, 7, 1),
        text="补报7月进展。",
        percent=30,
        submit=True,
        now=at(dt.date(2018, 8, 6), 9),
    )
    assert july.deadline == dt.date(2018, 8, 5) and july.late is True


def test_the_pinned_day_decides_lateness_without_now(task, liaison, settings):
    settings.QC_TODAY = dt.date(2018, 9, 15)
    assert submit(task, liaison).late is True
    settings.QC_TODAY = dt.date(2018, 8, 2)
    july = campaign_services.save_report(
        task, by=liaison, period_start=dt.date(2018, 7, 1), text="按时", percent=30, submit=True
    )
    assert july.late is False


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_percent_outside_0_to_100_is_refused(task, liaison, percent):
    with pytest.raises(ValidationFailed) as exc:
        submit(task, liaison, percent=percent)
    assert exc.value.messages == ["完成百分比必须是 0 到 100 之间的整数。"]
    assert not ProgressReport.objects.exists()


def test_empty_text_is_refused_on_submit_but_not_in_a_draft(task, liaison):
    with pytest.raises(ValidationFailed) as exc:
        submit(task, liaison, text="   ")
    assert exc.value.messages == ["提交前请填写进展情况。"]
    assert not ProgressReport.objects.exists()
    draft = campaign_services.save_report(task, by=liaison, period_start=AUGUST, text="", percent=0)
    assert draft.status == ReportStatus.DRAFT


def test_a_date_that_starts_no_period_is_refused(task, liaison):
    with pytest.raises(ValidationFailed):
        campaign_services.save_report(
            task, by=liaison, period_start=dt.date(2018, 8, 2), text="x", percent=1
        )
    with pytest.raises(ValidationFailed):
        campaign_services.save_report(
            task, by=liaison, period_start=dt.date(2019, 3, 1), text="x", percent=1
        )


def test_a_cancelled_task_takes_no_reports(task, liaison, office):
    campaign_services.cancel_task(task, by=office, reason="合并到其他任务")
    with pytest.raises(InvalidTransition):
        submit(task, liaison)


@pytest.mark.parametrize("persona", ["other_liaison", "office", "leader", "assessor", "admin_user"])
def test_only_the_units_own_liaisons_write_its_reports(request, task, persona):
    with pytest.raises(NotAllowed):
        submit(task, request.getfixturevalue(persona))
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor", "other_liaison"])
def test_only_the_office_reviews(request, task, liaison, persona):
    report = submit(task, liaison)
    with pytest.raises(NotAllowed):
        campaign_services.review_report(report, by=request.getfixturevalue(persona), accept=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_report_carries_evidence_from_the_campaign_library(task, liaison, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    evidence = assess.upload_evidence(
        task.campaign,
        SimpleUploadedFile("minutes.pdf", _pdf("minutes"), "application/pdf"),
        by=liaison,
        title="联席会议纪要",
        unit=unit("市质监局"),
        effective_date=dt.date(2018, 8, 20),
    )
    report = submit(task, liaison, evidence=[evidence])
    assert list(report.evidence.all()) == [evidence]
    assert events(report, "report.submitted").get().after["evidence"] == [evidence.pk]


def test_saving_again_keeps_only_the_evidence_chosen_last(task, liaison, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    chosen = [
        assess.upload_evidence(
            task.campaign,
            SimpleUploadedFile(f"{name}.pdf", _pdf(name), "application/pdf"),
            by=liaison,
            title=name,
            unit=unit("市质监局"),
            effective_date=dt.date(2018, 8, 20),
        )
        for name in ("minutes", "photos")
    ]
    campaign_services.save_report(
        task, by=liaison, period_start=AUGUST, text="", percent=10, evidence=chosen
    )
    report = campaign_services.save_report(
        task, by=liaison, period_start=AUGUST, text="", percent=10, evidence=chosen[:1]
    )
    assert list(report.evidence.all()) == chosen[:1]


def test_when_only_lead_units_report_cooperating_tasks_owe_nothing(campaign, office, liaison):
    from qualitycity.campaigns import services as campaign_services
    from qualitycity.campaigns import supervision
    from qualitycity.campaigns.models import Task
    from qualitycity.campaigns.queries import board
    from qualitycity.errors import ValidationFailed

    campaign.reports_from = "lead"
    campaign.save()
    phase = campaign.phases.get(position=2)
    campaign_services.generate_tasks(campaign, by=office, phase=phase)
    coop = Task.objects.filter(
        campaign=campaign, unit=liaison.memberships.get().unit, role="cooperating"
    ).first()
    lead = Task.objects.filter(
        campaign=campaign, unit=liaison.memberships.get().unit, role="lead"
    ).first()
    assert supervision.report_periods(coop) == []
    assert len(supervision.report_periods(lead)) == 14
    with pytest.raises(ValidationFailed, match="只要求牵头单位填报"):
        campaign_services.save_report(
            coop, by=liaison, period_start=phase.start, text="x", percent=10, submit=True
        )
    import datetime as dt

    data = board(campaign, dt.date(2018, 9, 15))
    lead_tasks = Task.objects.filter(campaign=campaign, role="lead").count()
    assert data.rate.due == lead_tasks * 8  # Jan…Aug 2018 deadlines have passed
