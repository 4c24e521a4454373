"""The Django admin: configuration editable and audited, workflow read-only.

Tasks, progress reports, supervision notices, meetings, rounds, scores, findings, notifications
and reminders change only through the pages, CLI or API services; the admin shows them (a list
and a read-only detail page) and refuses every write: add, change, delete, bulk actions and
inlines. Campaigns stay editable, with an audit event for each save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from qualitycity.assessments.choices import RoundKind
from qualitycity.assessments.models import Finding, Round, Score
from qualitycity.assessments.services import create_round
from qualitycity.audit.models import AuditEvent
from qualitycity.audit.services import snapshot
from qualitycity.campaigns.choices import MeetingKind, ReportStatus
from qualitycity.campaigns.models import (
    Campaign,
    Meeting,
    Notification,
    ProgressReport,
    Reminder,
    SupervisionNotice,
    Task,
)
from qualitycity.campaigns.services import create_meeting
from qualitycity.orgs.models import Unit
from tests.factories import criteria_of, events, make_task, persona, score_criteria
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

D = dt.date


@dataclass
class World:
    campaign: Campaign
    office: object
    round: Round


@pytest.fixture
def world(campaign, office, open_round):
    return World(campaign, office, open_round)


def some_units(offset: int, n: int) -> list[Unit]:
    """n different units, starting at `offset` and wrapping round, so rows don't share one."""
    units = list(Unit.objects.filter(is_active=True).order_by("pk"))
    return [units[(offset + i) % len(units)] for i in range(n)]


# --- n more rows of each workflow model ---------------------------------------------------------


def add_tasks(w: World, n: int) -> list[Task]:
    k = Task.objects.count()
    return [
        make_task(w.campaign, w.office, unit_name=u.name, title=f"后台测试任务 {k + i}")
        for i, u in enumerate(some_units(k, n))
    ]


def add_reports(w: World, n: int) -> list[ProgressReport]:
    return [
        ProgressReport.objects.create(
            task=task,
            period_start=D(2018, 8, 1),
            period_end=D(2018, 8, 31),
            deadline=D(2018, 9, 5),
            text="按计划推进",
            percent=50,
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.now(),
            author=w.office,
        )
        for task in add_tasks(w, n)
    ]


def add_notices(w: World, n: int) -> list[SupervisionNotice]:
    k = SupervisionNotice.objects.count()
    notices = []
    for i, u in enumerate(some_units(k, n)):
        notice = SupervisionNotice.objects.create(
            campaign=w.campaign,
            number=f"督办〔2018〕{k + i + 1}号",
            unit=u,
            colour="red",
            content="请说明任务滞后原因",
            response_due=D(2018, 9, 30),
            issued_by=w.office,
        )
        notices.append(notice)
    return notices


def add_meetings(w: World, n: int) -> list[Meeting]:
    k = Meeting.objects.count()
    return [
        create_meeting(
            w.campaign,
            by=w.office,
            kind=MeetingKind.COORDINATION,
            title=f"碰头会 {k + i}",
            date=D(2018, 9, 1) + dt.timedelta(days=k + i),
            attendees=some_units(k + i, 2),
        )
        for i in range(n)
    ]


def add_rounds(w: World, n: int) -> list[Round]:
    k = Round.objects.count()
    return [
        create_round(
            w.campaign,
            by=w.office,
            kind=RoundKind.MOCK,
            name=f"模拟考核 {k + i}",
            start=D(2019, 6, 1),
            end=D(2019, 6, 30),
        )
        for i in range(n)
    ]


def add_scores(w: World, n: int) -> list[Score]:
    k = Score.objects.filter(round=w.round).count()
    criteria = criteria_of(w.round)[k : k + n]
    score_criteria(w.round, criteria, by=w.office)
    return list(Score.objects.filter(round=w.round, criterion__in=criteria))


def add_findings(w: World, n: int) -> list[Finding]:
    k = Finding.objects.count()
    criteria = criteria_of(w.round)[k : k + n]
    return [
        Finding.objects.create(
            round=w.round,
            criterion=criterion,
            title=f"失分项 {k + i}",
            points_lost=Decimal("1.00"),
            unit=u,
            due=D(2019, 8, 31),
            created_by=w.office,
        )
        for i, (criterion, u) in enumerate(zip(criteria, some_units(k, n), strict=True))
    ]


def add_notifications(w: World, n: int) -> list[Notification]:
    k = Notification.objects.count()
    return [
        Notification.objects.create(
            user=persona(f"t-reader-n{k + i}", None), text=f"通知 {k + i}", url="/"
        )
        for i in range(n)
    ]


def add_reminders(w: World, n: int) -> list[Reminder]:
    k = Reminder.objects.count()
    return [
        Reminder.objects.create(
            key=f"test:{k + i}",
            day=D(2018, 9, 15),
            kind="report_due",
            user=persona(f"t-reader-r{k + i}", None),
            text=f"提醒 {k + i}",
        )
        for i in range(n)
    ]


# name: (model, make n rows, a text field a change POST would try to alter)
WORKFLOW = {
    "task": (Task, add_tasks, "title"),
    "progressreport": (ProgressReport, add_reports, "text"),
    "supervisionnotice": (SupervisionNotice, add_notices, "content"),
    "meeting": (Meeting, add_meetings, "title"),
    "round": (Round, add_rounds, "name"),
    "score": (Score, add_scores, "comment"),
    "finding": (Finding, add_findings, "title"),
    "notification": (Notification, add_notifications, "text"),
    "reminder": (Reminder, add_reminders, "text"),
}
workflow = pytest.mark.parametrize("name", list(WORKFLOW))


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def one(world, name):
    model, add, field = WORKFLOW[name]
    return model, add(world, 2)[0], field


# --- workflow models: browse only ---------------------------------------------------------------


@workflow
def test_changelist_and_view_page_open(as_admin, world, name):
    model, obj, _ = one(world, name)
    listing = as_admin.get(url(model, "changelist"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count >= 2
    page = as_admin.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    admin_form = page.context["adminform"]
    assert not admin_form.form.fields, "no field is editable"
    opts = model._meta
    every_field = {
        f.name for f in (*opts.concrete_fields, *opts.many_to_many) if not f.auto_created
    }
    assert every_field <= set(admin_form.readonly_fields)
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert url(model, "delete", obj.pk) not in html


@workflow
def test_add_is_forbidden(as_admin, world, name):
    model, _, field = one(world, name)
    before = model.objects.count()
    assert as_admin.get(url(model, "add")).status_code == 403
    assert as_admin.post(url(model, "add"), {field: "后台新增"}).status_code == 403
    assert model.objects.count() == before


@workflow
def test_a_change_post_changes_nothing_and_audits_nothing(as_admin, world, name):
    model, obj, field = one(world, name)
    obj.refresh_from_db()  # as stored (PostgreSQL hands datetimes back in UTC)
    state = snapshot(obj)
    audit_count, log_count = AuditEvent.objects.count(), LogEntry.objects.count()
    response = as_admin.post(url(model, "change", obj.pk), {field: "后台修改"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert snapshot(obj) == state
    assert getattr(obj, field) != "后台修改"
    assert AuditEvent.objects.count() == audit_count
    assert LogEntry.objects.count() == log_count


@workflow
def test_delete_is_forbidden(as_admin, world, name):
    model, obj, _ = one(world, name)
    assert as_admin.get(url(model, "delete", obj.pk)).status_code == 403
    assert as_admin.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
    assert not events(obj, f"{model._meta.model_name}.deleted").exists()


@workflow
def test_no_bulk_actions_are_offered_or_run(as_admin, world, name):
    model, obj, _ = one(world, name)
    listing = as_admin.get(url(model, "changelist"))
    assert listing.context["action_form"] is None
    assert "delete_selected" not in listing.content.decode()
    before = model.objects.count()
    as_admin.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes", "index": "0"},
    )
    assert model.objects.count() == before
    assert model.objects.filter(pk=obj.pk).exists()


@workflow
def test_changelist_queries_do_not_grow_with_rows(as_admin, world, name):
    model, add, _ = WORKFLOW[name]
    changelist = url(model, "changelist")
    add(world, 2)
    as_admin.get(changelist)  # warm caches (content types, session) before counting
    with_two = count_queries(lambda: as_admin.get(changelist))
    add(world, 8)
    response = as_admin.get(changelist)
    assert response.context["cl"].result_count >= 10
    with_ten = count_queries(lambda: as_admin.get(changelist))
    assert with_ten == with_two


def test_a_tasks_reports_show_inline_read_only(as_admin, world):
    report = add_reports(world, 1)[0]
    page = as_admin.get(url(Task, "change", report.task_id))
    assert page.status_code == 200
    (inline,) = page.context["inline_admin_formsets"]
    assert inline.formset.model is ProgressReport
    assert not (
        inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission
    )
    assert [form.original for form in inline] == [report]
    assert inline.formset.max_num == 0


# --- configuration: editable and audited ----------------------------------------------------------


def posted(form) -> dict:
    """The data a browser would post for a form, from the values the page was rendered with."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)
    return data


def test_a_campaign_stays_editable_with_an_audit_event(as_admin, campaign):
    change = url(Campaign, "change", campaign.pk)
    page = as_admin.get(change)
    assert page.status_code == 200
    data = posted(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        data |= posted(inline.formset.management_form)
        for form in inline.formset:
            data |= posted(form)
    data["name"] = "永州市创建全国质量强市示范城市(后台修改)"
    response = as_admin.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.name == "永州市创建全国质量强市示范城市(后台修改)"
    event = events(campaign, "campaign.changed").get()
    assert event.source == "admin"
    assert event.after["name"] == campaign.name
    assert event.before["name"] != campaign.name


@pytest.mark.parametrize("model_name", ["campaign", "phase", "measure"])
def test_configuration_models_can_be_added(as_admin, campaign, model_name):
    response = as_admin.get(reverse(f"admin:campaigns_{model_name}_add"))
    assert response.status_code == 200
    assert 'name="_save"' in response.content.decode()


def test_a_campaign_cannot_be_deleted_through_the_admin(client, admin_user, campaign):
    from qualitycity.campaigns.models import Campaign

    client.force_login(admin_user)
    url = f"/admin/campaigns/campaign/{campaign.pk}/delete/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Campaign.objects.filter(pk=campaign.pk).exists()
