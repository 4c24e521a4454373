"""Reminders: what is planned (reports due, tasks turning blue or red, notice deadlines), sending
once per thing, person and day, the `remind` command and the django-tasks job."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qualitycity.campaigns import reminders
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.models import Notification, Reminder
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, User

pytestmark = pytest.mark.django_db

D = dt.date
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def mail_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def mailed_liaison(liaison):
    liaison.email = "liaison@zhijian.example"
    liaison.save()
    return liaison


def add(campaign, office, title, unit, start, due, progress=0):
    task = campaign_services.add_task(
        campaign, by=office, title=title, unit=unit, start=start, due=due
    )
    if progress:
        campaign_services.update_progress(task, by=office, progress=progress)
    return task


def planned(day: dt.date) -> list[tuple[str, str, str]]:
    return sorted((p.kind, p.user.username, p.text) for p in reminders.plan(day))


# --- what is planned --------------------------------------------------------------------------


@pytest.fixture
def yearly(campaign, office, zhijian):
    """A year-long task of 市质监局, on track in early February (no colour)."""
    return add(campaign, office, "质量发展规划", zhijian, D(2018, 1, 1), D(2018, 12, 31), 30)


def test_a_report_is_reminded_from_three_days_before_its_deadline(mailed_liaison, yearly):
    assert planned(D(2018, 2, 1)) == []
    assert planned(D(2018, 2, 2)) == [
        (
            "report_due",
            "t-liaison",
            "请于 2018-02-05 前填报“质量发展规划”2018年1月的进展。",
        )
    ]


def test_an_overdue_report_is_reminded_for_a_week_then_left_to_the_board(mailed_liaison, yearly):
    assert [k for k, _u, _t in planned(D(2018, 2, 12))] == ["report_due"]
    assert planned(D(2018, 2, 13)) == []


def test_a_submitted_report_is_not_reminded(mailed_liaison, yearly):
    campaign_services.save_report(
        yearly,
        by=mailed_liaison,
        period_start=D(2018, 1, 1),
        text="已完成。",
        percent=30,
        submit=True,
    )
    assert planned(D(2018, 2, 3)) == []


def test_a_drafted_report_is_still_reminded(mailed_liaison, yearly):
    campaign_services.save_report(
        yearly, by=mailed_liaison, period_start=D(2018, 1, 1), text="草稿", percent=30
    )
    assert [k for k, _u, _t in planned(D(2018, 2, 3))] == ["report_due"]


def test_blue_and_red_tasks_are_reminded(campaign, office, mailed_liaison, zhijian):
    add(campaign, office, "宣传展板", zhijian, D(2018, 4, 1), D(2018, 4, 22), 95)
    add(campaign, office, "标准化协调机制", zhijian, D(2018, 4, 1), D(2018, 4, 19), 60)
    add(campaign, office, "滞后任务", zhijian, D(2018, 4, 1), D(2018, 12, 31), 0)  # yellow
    add(campaign, office, "正常任务", zhijian, D(2018, 4, 1), D(2018, 12, 31), 50)
    assert planned(D(2018, 4, 20)) == [
        ("task_blue", "t-liaison", "任务“宣传展板”将于 2018-04-22 到期。"),
        ("task_red", "t-liaison", "任务“标准化协调机制”已逾期(期限 2018-04-19),请抓紧办理。"),
    ]


def test_done_and_cancelled_tasks_are_not_reminded(campaign, office, mailed_liaison, zhijian):
    done = add(campaign, office, "甲", zhijian, D(2018, 4, 1), D(2018, 4, 19), 60)
    campaign_services.update_progress(done, by=office, progress=100, done=True)
    cancelled = add(campaign, office, "乙", zhijian, D(2018, 4, 1), D(2018, 4, 19), 60)
    campaign_services.cancel_task(cancelled, by=office, reason="合并")
    assert planned(D(2018, 4, 20)) == []


def test_notice_deadlines_are_reminded_until_the_unit_responds(
    campaign, office, mailed_liaison, zhijian
):
    task = add(campaign, office, "逾期任务", zhijian, D(2018, 1, 1), D(2018, 4, 1), 60)
    notice = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhijian,
        tasks=[task],
        content="请说明。",
        response_due=D(2018, 4, 21),
        today=D(2018, 4, 15),
    )
    kinds = [k for k, _u, _t in planned(D(2018, 4, 19))]
    assert "notice_due" not in kinds  # two days before
    got = [p for p in reminders.plan(D(2018, 4, 20)) if p.kind == "notice_due"]
    assert [(p.user.username, p.text) for p in got] == [
        ("t-liaison", "督办单 督办〔2018〕1号 请于 2018-04-21 前反馈。")
    ]
    assert got[0].url == f"/campaigns/notices/{notice.pk}/"
    campaign_services.respond_notice(notice, by=mailed_liaison, response="已办理。")
    assert [p for p in reminders.plan(D(2018, 4, 20)) if p.kind == "notice_due"] == []


def test_every_liaison_of_the_unit_is_reminded_and_no_one_else(
    campaign, office, mailed_liaison, zhujian_liaison, zhijian, zhujian, leader
):
    add(campaign, office, "质监局逾期", zhijian, D(2018, 4, 1), D(2018, 4, 19), 60)
    add(campaign, office, "住建局逾期", zhujian, D(2018, 4, 1), D(2018, 4, 19), 60)
    second = User.objects.create_user(username="t-liaison-2", password="x-Test-2017")
    Membership.objects.create(
        user=second, role=Role.LIAISON, region=Region.objects.get(code="431100"), unit=zhijian
    )
    got = {(p.user.username, p.text[:8]) for p in reminders.plan(D(2018, 4, 20))}
    assert got == {
        ("t-liaison", "任务“质监局逾期"),
        ("t-liaison-2", "任务“质监局逾期"),
        ("t-liaison-zhujian", "任务“住建局逾期"),
    }


# --- sending: once a day ----------------------------------------------------------------------


@pytest.fixture
def due_things(campaign, office, mailed_liaison, zhujian_liaison, zhijian, zhujian):
    add(campaign, office, "质监局逾期", zhijian, D(2018, 4, 1), D(2018, 4, 19), 60)
    add(campaign, office, "住建局快到期", zhujian, D(2018, 4, 1), D(2018, 4, 22), 98)


def test_sending_twice_on_one_day_sends_nothing_the_second_time(
    due_things, mailed_liaison, zhujian_liaison, mailoutbox
):
    sent, skipped = reminders.send(D(2018, 4, 20))
    assert (len(sent), len(skipped)) == (2, 0)
    assert (
        Reminder.objects.count() == 2 and Notification.objects.filter(event="deadline").count() == 2
    )
    assert len(mailoutbox) == 1  # only the liaison with an address gets an email

    sent, skipped = reminders.send(D(2018, 4, 20))
    assert (len(sent), len(skipped)) == (0, 2)
    assert (
        Reminder.objects.count() == 2 and Notification.objects.filter(event="deadline").count() == 2
    )
    assert len(mailoutbox) == 1


def test_the_next_day_sends_again(due_things, mailoutbox):
    reminders.send(D(2018, 4, 20))
    sent, _skipped = reminders.send(D(2018, 4, 21))
    assert len(sent) == 2
    assert sorted(Reminder.objects.values_list("day", flat=True)) == [
        D(2018, 4, 20),
        D(2018, 4, 20),
        D(2018, 4, 21),
        D(2018, 4, 21),
    ]
    assert len(mailoutbox) == 2


def test_a_reminder_is_a_notification_and_an_email(due_things, mailed_liaison, mailoutbox):
    reminders.send(D(2018, 4, 20))
    note = Notification.objects.get(user=mailed_liaison, event="deadline")
    assert note.text == "任务“质监局逾期”已逾期(期限 2018-04-19),请抓紧办理。"
    assert note.url == "/campaigns/my/" and note.read_at is None
    (mail,) = mailoutbox
    assert mail.to == ["liaison@zhijian.example"]
    assert mail.subject == "【质量强市创建】工作提醒"
    assert mail.body == note.text
    reminder = Reminder.objects.get(user=mailed_liaison)
    assert (reminder.kind, reminder.day, reminder.emailed) == ("task_red", D(2018, 4, 20), True)
    assert Reminder.objects.get(user__username="t-liaison-zhujian").emailed is False


def test_a_dry_run_sends_nothing(due_things, mailoutbox):
    sent, skipped = reminders.send(D(2018, 4, 20), dry_run=True)
    assert len(sent) == 2 and skipped == []
    assert (
        not Reminder.objects.exists() and not Notification.objects.filter(event="deadline").exists()
    )
    assert mailoutbox == []


# --- the command ------------------------------------------------------------------------------


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_remind_dry_run_lists_and_writes_nothing(settings, due_things, mailoutbox):
    settings.QC_TODAY = D(2018, 4, 20)
    out = remind("--dry-run")
    assert (
        "将发送 [task_red] t-liaison: 任务“质监局逾期”已逾期(期限 2018-04-19),请抓紧办理。" in out
    )
    assert "将发送 [task_blue] t-liaison-zhujian: 任务“住建局快到期”将于 2018-04-22 到期。" in out
    assert "将发送 2 条提醒,0 条今天已发送过。" in out
    assert (
        not Reminder.objects.exists() and not Notification.objects.filter(event="deadline").exists()
    )
    assert mailoutbox == []


def test_remind_with_a_date_sends_once(due_things, mailoutbox):
    out = remind("--date", "2018-04-20")
    assert "已发送 [task_red] t-liaison:" in out
    assert "共发送 2 条提醒,0 条今天已发送过。" in out
    assert Reminder.objects.count() == 2 and len(mailoutbox) == 1
    assert "共发送 0 条提醒,2 条今天已发送过。" in remind("--date", "2018-04-20")
    assert "将发送 0 条提醒,2 条今天已发送过。" in remind("--date", "2018-04-20", "--dry-run")


def test_remind_on_the_demo_date_works(campaign, office, mailed_liaison, zhijian):
    add(campaign, office, "报送9月质量月活动方案", zhijian, D(2018, 9, 5), D(2018, 9, 17), 90)
    out = remind("--date", "2018-09-15")
    assert "已发送 [task_blue] t-liaison: 任务“报送9月质量月活动方案”将于 2018-09-17 到期。" in out
    assert "共发送 1 条提醒" in out


def test_remind_refuses_a_bad_date_in_chinese(db):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD。"):
        remind("--date", "2018-13-01")


# --- the background job -----------------------------------------------------------------------


def test_the_job_sends_todays_reminders_through_the_immediate_backend(
    settings, due_things, mailoutbox
):
    from django_tasks.base import TaskResultStatus

    from qualitycity.campaigns.tasks import send_reminders

    settings.TASKS = IMMEDIATE
    settings.QC_TODAY = D(2018, 4, 20)
    result = send_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    assert Reminder.objects.count() == 2 and len(mailoutbox) == 1
    assert send_reminders.enqueue().return_value == 0  # safe to run again the same day


def test_remind_enqueue_hands_the_job_to_the_backend(settings, due_things):
    settings.TASKS = IMMEDIATE
    settings.QC_TODAY = D(2018, 4, 20)
    out = remind("--enqueue")
    assert out.startswith("已交给后台任务:")
    assert Reminder.objects.count() == 2


def test_the_database_backend_queues_the_job_for_the_worker(settings, monkeypatch, due_things):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    from qualitycity.campaigns.tasks import send_reminders

    settings.QC_TODAY = D(2018, 4, 20)
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    result = send_reminders.enqueue()
    assert DBTaskResult.objects.filter(id=result.id).exists()
    assert not Reminder.objects.exists()  # nothing runs until a worker picks it up
    # The worker closes idle connections between jobs; the test's transaction must stay open.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=StringIO())
    assert Reminder.objects.count() == 2
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
