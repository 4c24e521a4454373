"""Task and report pages: 我的任务, the task list, a task's detail and actions, writing and reviewing
reports, and notifications. Every page is scoped per role; refused changes show a message and
change nothing; forbidden things answer 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import ReportStatus, TaskStatus, WorkRole
from qualitycity.campaigns.models import Notification, ProgressReport, Task
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.choices import Role
from tests.factories import DUE, TODAY, events, html, make_task, phase_of, unit
from tests.factories import persona as make_user
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2018, 8, 1)


@pytest.fixture(autouse=True)
def pinned_day(settings):
    """Pages see the demo's day: 2018-09-15, after August's deadline (09-05)."""
    settings.QC_TODAY = TODAY


@pytest.fixture
def task(campaign, office):
    """A lead task of 市质监局 (the `liaison` persona's unit), 2018-01-01 … 2019-02-28."""
    return make_task(campaign, office)


@pytest.fixture
def other_task(campaign, office):
    return make_task(campaign, office, unit_name="市住建局", title="保障性住房质量巡查")


@pytest.fixture
def other_liaison(orgs):
    return make_user("t-liaison-zhujian", Role.LIAISON, "市住建局")


def table(body: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}".*?</table>', body, re.S)
    assert match, f"no table {testid}"
    return match.group(0)


def task_ids(body: str, testid: str = "tasks") -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', table(body, testid))]


def errors_in(body: str) -> list[str]:
    return re.findall(r'<div class="alert alert-danger" role="alert">(.*?)</div>', body)


def submit_report(task, user, period=AUGUST, **kwargs):
    return campaign_services.save_report(
        task,
        by=user,
        period_start=period,
        text=kwargs.pop("text", "按计划推进。"),
        percent=kwargs.pop("percent", 40),
        submit=True,
        **kwargs,
    )


# --- 我的任务 ----------------------------------------------------------------------------------


@pytest.fixture
def my_work(campaign, office, liaison, other_task):
    """市质监局's tasks in every colour, a returned report, a draft, and two notices."""
    red = make_task(campaign, office, title="红色任务", due=dt.date(2018, 9, 10))
    campaign_services.update_progress(red, by=office, progress=40)
    yellow = make_task(campaign, office, title="黄色任务", role=WorkRole.COOPERATING)
    blue = make_task(
        campaign, office, title="蓝色任务", start=dt.date(2018, 9, 5), due=dt.date(2018, 9, 17)
    )
    campaign_services.update_progress(blue, by=office, progress=90)
    calm = make_task(campaign, office, title="正常任务")
    campaign_services.update_progress(calm, by=office, progress=80)
    returned = submit_report(yellow, liaison, period=dt.date(2018, 7, 1))
    campaign_services.review_report(returned, by=office, accept=False, comment="请补充签到表。")
    campaign_services.save_report(red, by=liaison, period_start=AUGUST, text="起草中", percent=30)
    submit_report(calm, liaison)
    issued = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[red],
        content="红色任务逾期,请说明原因。",
        response_due=dt.date(2018, 9, 20),
        today=TODAY,
    )
    answered = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[red],
        content="已反馈的督办单",
        response_due=dt.date(2018, 9, 20),
        today=TODAY,
    )
    campaign_services.respond_notice(answered, by=liaison, response="已处理。")
    return {
        "red": red,
        "yellow": yellow,
        "blue": blue,
        "calm": calm,
        "returned": returned,
        "issued": issued,
        "answered": answered,
    }


def test_my_tasks_shows_own_tasks_reports_due_returned_reports_and_notices(
    client, liaison, my_work, other_task
):
    client.force_login(liaison)
    body = html(client.get(reverse("campaigns:my_tasks")))
    tasks = table(body, "tasks")
    colours = dict(re.findall(r'<tr data-task="(\d+)" data-colour="(\w+)"', tasks))
    assert colours == {
        str(my_work["red"].pk): "red",
        str(my_work["yellow"].pk): "yellow",
        str(my_work["blue"].pk): "blue",
        str(my_work["calm"].pk): "none",
    }
    assert task_ids(body)[:3] == [my_work[c].pk for c in ("red", "yellow", "blue")]  # worst first
    assert other_task.pk not in task_ids(body) and "保障性住房质量巡查" not in body
    for colour, n in (("red", 1), ("yellow", 1), ("blue", 1), ("due", 2), ("returned", 1)):
        assert f'data-testid="count-{colour}">{n}<' in body, colour

    due = table(body, "due")
    assert (
        set(re.findall(r'data-task="(\d+)" data-period="([\d-]+)"', due))
        == {
            (str(my_work["red"].pk), "2018-08-01"),  # a draft, not yet submitted
            (str(my_work["yellow"].pk), "2018-08-01"),
        }
    )  # July of 黄色任务 is returned (listed below); 蓝色任务 started in September; 正常任务 submitted
    assert "继续填报" in due and "已过截止日期" in due
    assert reverse("campaigns:report_edit", args=[my_work["yellow"].pk, "2018-08-01"]) in due

    returned = table(body, "returned")
    assert "请补充签到表。" in returned and "2018年7月" in returned
    assert reverse("campaigns:report_edit", args=[my_work["yellow"].pk, "2018-07-01"]) in returned

    notices = table(body, "notices")
    assert my_work["issued"].number in notices and my_work["answered"].number not in notices
    assert reverse("campaigns:notice_detail", args=[my_work["issued"].pk]) in notices


def test_my_tasks_filters_by_colour_and_role(client, liaison, my_work):
    client.force_login(liaison)
    url = reverse("campaigns:my_tasks")
    assert task_ids(html(client.get(url, {"colour": "red"}))) == [my_work["red"].pk]
    assert task_ids(html(client.get(url, {"colour": "none"}))) == [my_work["calm"].pk]
    assert task_ids(html(client.get(url, {"role": "cooperating"}))) == [my_work["yellow"].pk]
    both = html(client.get(url, {"role": "lead", "colour": "yellow"}))
    assert task_ids(both) == [] and "没有符合条件的任务。" in both
    # a bad filter value is ignored, not an error
    assert len(task_ids(html(client.get(url, {"colour": "purple"})))) == 4


def test_my_tasks_runs_the_same_queries_for_3_or_30_tasks(
    client, campaign, office, liaison, settings
):
    client.force_login(liaison)
    url = reverse("campaigns:my_tasks")
    for n in range(3):
        make_task(campaign, office, title=f"任务{n}")
    client.get(url)  # warm up (session, content types)
    few = count_queries(lambda: client.get(url))
    for n in range(27):
        task = make_task(campaign, office, title=f"更多任务{n}", due=dt.date(2018, 12, 31))
        if n % 3 == 0:
            submit_report(task, liaison)
        if n % 9 == 0:
            report = submit_report(task, liaison, period=dt.date(2018, 7, 1))
            campaign_services.review_report(report, by=office, accept=False, comment="请补充。")
    campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[Task.objects.filter(unit=unit("市质监局")).first()],
        content="进度滞后",
        response_due=dt.date(2018, 9, 30),
        today=TODAY,
    )
    body = html(client.get(url))
    assert len(task_ids(body)) == 30
    many = count_queries(lambda: client.get(url))
    assert many == few, (few, many)
    assert many <= 16


def test_my_tasks_points_the_office_to_the_task_list_and_board(client, office, campaign):
    client.force_login(office)
    body = html(client.get(reverse("campaigns:my_tasks")))
    assert 'data-testid="office-pointer"' in body
    assert reverse("campaigns:task_list", args=[campaign.pk]) in body
    assert reverse("campaigns:board", args=[campaign.pk]) in body
    assert 'data-testid="tasks"' not in body


def test_my_tasks_for_someone_without_a_unit_or_campaign(client, outsider):
    client.force_login(outsider)
    body = html(client.get(reverse("campaigns:my_tasks")))
    assert 'data-testid="no-tasks"' in body


def test_pages_need_a_login(client, task):
    for url in (
        reverse("campaigns:my_tasks"),
        reverse("campaigns:task_list", args=[task.campaign_id]),
        reverse("campaigns:task_detail", args=[task.pk]),
        reverse("campaigns:notifications"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


# --- task list --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_other", "buttons"),
    [
        ("office", True, True),
        ("leader", True, False),
        ("liaison", False, False),
        ("admin_user", True, True),
    ],
)
def test_task_list_is_scoped_per_role(
    request, client, task, other_task, persona, sees_other, buttons
):
    client.force_login(request.getfixturevalue(persona))
    body = html(client.get(reverse("campaigns:task_list", args=[task.campaign_id])))
    ids = task_ids(body)
    assert task.pk in ids
    assert (other_task.pk in ids) is sees_other
    assert ('data-testid="office-buttons"' in body) is buttons


def test_task_list_is_404_for_someone_outside_the_region(client, outsider, task):
    client.force_login(outsider)
    assert client.get(reverse("campaigns:task_list", args=[task.campaign_id])).status_code == 404


def test_task_list_filters(client, office, campaign, task, other_task):
    coop = make_task(campaign, office, title="配合任务", role=WorkRole.COOPERATING)
    overdue = make_task(campaign, office, title="逾期任务", due=dt.date(2018, 9, 1))
    campaign_services.update_progress(task, by=office, progress=100)
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    assert set(task_ids(html(client.get(url, {"unit": other_task.unit_id})))) == {other_task.pk}
    assert task_ids(html(client.get(url, {"role": "cooperating"}))) == [coop.pk]
    assert task_ids(html(client.get(url, {"status": "done"}))) == [task.pk]
    assert task_ids(html(client.get(url, {"colour": "red"}))) == [overdue.pk]
    assert task_ids(html(client.get(url, {"q": "住房"}))) == [other_task.pk]
    assert len(task_ids(html(client.get(url, {"phase": phase_of(campaign).pk})))) == 4
    other_phase = campaign.phases.get(position=1)
    assert task_ids(html(client.get(url, {"phase": other_phase.pk}))) == []
    body = html(client.get(url, {"colour": "red", "role": "lead"}))
    assert 'data-testid="total">共 1 项<' in body


def test_task_list_pages_by_100_with_constant_queries(client, office, campaign):
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    make_task(campaign, office)
    row = Criterion.objects.filter(framework=campaign.framework).order_by("position").first()
    make_task(campaign, office, role=WorkRole.COOPERATING, criterion=row)  # its lead: 1 query
    client.get(url)
    few = count_queries(lambda: client.get(url))
    created = campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    assert created > 200
    body = html(client.get(url))
    assert len(task_ids(body)) == 100
    assert f'data-testid="total">共 {created + 2} 项<' in body
    assert 'data-testid="pagination"' in body and "?page=2" in body
    second = html(client.get(url, {"page": 2}))
    assert len(task_ids(second)) == 100 and not set(task_ids(second)) & set(task_ids(body))
    assert count_queries(lambda: client.get(url)) == few
    assert count_queries(lambda: client.get(url, {"colour": "yellow", "page": 3})) == few


# --- create and generate ----------------------------------------------------------------------


def test_the_office_adds_a_task_due_at_the_end_of_its_phase(client, office, campaign):
    client.force_login(office)
    url = reverse("campaigns:task_create", args=[campaign.pk])
    assert client.get(url).status_code == 200
    phase = phase_of(campaign)
    response = client.post(
        url,
        {
            "title": "编制质量发展年报",
            "unit": unit("市统计局").pk,
            "role": "lead",
            "phase": phase.pk,
        },
    )
    task = Task.objects.get(title="编制质量发展年报")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:task_detail", args=[task.pk])
    assert (task.unit.name, task.due, task.phase) == ("市统计局", phase.end, phase)
    assert events(task, "task.created").get().actor == office


def test_adding_a_task_shows_refusals_on_the_form(client, office, campaign):
    client.force_login(office)
    url = reverse("campaigns:task_create", args=[campaign.pk])
    response = client.post(
        url, {"title": "超期任务", "unit": unit("市统计局").pk, "role": "lead", "due": "2021-01-01"}
    )
    assert response.status_code == 400
    assert "日期必须在创建工作期间" in html(response)
    response = client.post(url, {"title": "无期限", "unit": unit("市统计局").pk, "role": "lead"})
    assert response.status_code == 400 and "请填写完成期限" in html(response)
    assert not Task.objects.exists()


@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor"])
def test_only_the_office_adds_and_generates(request, client, campaign, persona):
    client.force_login(request.getfixturevalue(persona))
    phase = phase_of(campaign)
    assert client.get(reverse("campaigns:task_create", args=[campaign.pk])).status_code == 404
    data = {"title": "x", "unit": unit("市统计局").pk, "role": "lead", "phase": phase.pk}
    assert (
        client.post(reverse("campaigns:task_create", args=[campaign.pk]), data).status_code == 404
    )
    url = reverse("campaigns:task_generate", args=[campaign.pk])
    assert client.post(url, {"phase": phase.pk}).status_code == 404
    assert not Task.objects.exists()


def test_generating_reports_how_many_tasks_were_created(client, office, campaign):
    client.force_login(office)
    url = reverse("campaigns:task_generate", args=[campaign.pk])
    phase = phase_of(campaign)
    body = html(client.post(url, {"phase": phase.pk}, follow=True))
    count = Task.objects.filter(campaign=campaign).count()
    assert count > 200 and f"已生成 {count} 项任务。" in body
    assert "已生成 0 项任务。" in html(client.post(url, {"phase": phase.pk}, follow=True))
    assert Task.objects.filter(campaign=campaign).count() == count
    assert "请选择工作阶段。" in html(client.post(url, {}, follow=True))
    assert client.get(url).status_code == 302


# --- detail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "forms"),
    [
        ("office", 200, {"progress", "reassign", "redate", "split", "cancel"}),
        ("liaison", 200, {"progress"}),
        ("leader", 200, set()),
        ("assessor", 404, None),  # assessors read rounds, not the day-to-day work
        ("other_liaison", 404, None),
        ("outsider", 404, None),
    ],
)
def test_task_detail_is_scoped_and_offers_each_role_its_actions(
    request, client, task, persona, status, forms
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("campaigns:task_detail", args=[task.pk]))
    assert response.status_code == status
    if status == 200:
        found = set(re.findall(r'data-testid="form-(\w+)"', html(response)))
        assert found == forms


def test_task_detail_shows_source_periods_and_history(client, office, liaison, campaign):
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    criterion = Criterion.objects.get(framework=campaign.framework, key="3.6.1")
    task = Task.objects.get(campaign=campaign, criterion=criterion, unit=unit("市农委"))
    nongwei = make_user("t-liaison-nongwei", Role.LIAISON, "市农委")
    report = submit_report(task, nongwei, period=dt.date(2018, 7, 1))
    campaign_services.review_report(report, by=office, accept=False, comment="请补充数据。")
    campaign_services.redate_task(task, by=office, due=dt.date(2018, 12, 31))
    client.force_login(office)
    body = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    source = table(body.replace('data-testid="source"', 'data-testid="source"><table'), "source")
    assert (
        "3.6.1" in source and reverse("frameworks:detail", args=[campaign.framework_id]) in source
    )
    assert f"#item-{criterion.item.code}" in source
    periods = table(body, "periods")
    assert periods.count("<tr data-period=") == 12  # 2018-01 … 2018-12 after the redate
    assert "请补充数据。" in periods and "已退回" in periods
    history = table(body, "history")
    actions = re.findall(r'<tr data-action="([\w.]+)"', history)
    assert actions == ["task.progress", "report.submitted", "report.returned", "task.redated"]
    assert "2019-02-28 → 2018-12-31" in history and "审核意见:请补充数据。" in history


# --- actions ----------------------------------------------------------------------------------


def action(client, task, name, data):
    return client.post(reverse("campaigns:task_action", args=[task.pk, name]), data)


def test_the_office_reassigns_redates_and_cancels_on_the_page(client, office, task):
    client.force_login(office)
    response = action(client, task, "reassign", {"unit": unit("市住建局").pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.unit.name == "市住建局"
    assert action(client, task, "redate", {"due": "2018-12-31"}).status_code == 302
    task.refresh_from_db()
    assert task.due == dt.date(2018, 12, 31)
    assert action(client, task, "cancel", {"reason": "合并"}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == (TaskStatus.CANCELLED, "合并")
    assert set(events(task).values_list("action", flat=True)) == {
        "task.created",
        "task.reassigned",
        "task.redated",
        "task.cancelled",
    }
    body = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    assert "任务已取消,不能再办理。" in body and 'data-testid="form-' not in body
    # a cancelled task refuses changes with a message, not an error page
    response = action(client, task, "redate", {"due": "2018-11-30"})
    assert response.status_code == 400 and "任务已取消,不能再修改。" in html(response)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cancel", {"reason": " "}, "取消任务必须说明原因。"),
        ("redate", {"due": "2017-06-30"}, "完成期限不能早于开始日期。"),
        ("redate", {"due": "明天"}, "日期无效"),
        ("reassign", {"unit": ""}, "请选择新的责任单位。"),
        ("reassign", {"unit": "市质监局"}, "所选单位不存在或已停用。"),
        ("progress", {"progress": "150"}, "进度必须是 0 到 100 之间的整数。"),
        ("progress", {"progress": "很多"}, "进度必须是 0 到 100 之间的整数。"),
        ("split", {"parts": "只有一行 | 市质监局 | 2018-06-30"}, "拆分至少需要两项子任务。"),
        (
            "split",
            {"parts": "甲 | 不存在的局 | 2018-06-30\n乙 | 市质监局 | 2018-07-31"},
            "未找到单位“不存在的局”",
        ),
        (
            "split",
            {"parts": "甲 | 各成员单位 | 2018-06-30\n乙 | 市质监局 | 2018-07-31"},
            "是单位组",
        ),
        (
            "split",
            {"parts": "甲 | 市质监局 | 6月底\n乙 | 市质监局 | 2018-07-31"},
            "日期“6月底”无效",
        ),
        ("split", {"parts": "甲 市质监局 2018-06-30\n乙 | 市质监局 | 2018-07-31"}, "第 1 行"),
    ],
)
def test_refused_actions_show_a_message_and_change_nothing(
    client, office, task, name, data, message
):
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = action(client, task, name, data)
    assert response.status_code == 400
    assert any(message in e for e in errors_in(html(response))), errors_in(html(response))
    assert AuditEvent.objects.count() == before
    task.refresh_from_db()
    assert (task.unit.name, task.due, task.status, task.progress) == (
        "市质监局",
        DUE,
        TaskStatus.NOT_STARTED,
        0,
    )
    assert Task.objects.count() == 1


def test_reassigning_onto_a_unit_that_has_the_same_source_shows_a_message(client, office, campaign):
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    criterion = Criterion.objects.get(framework=campaign.framework, key="3.6.1")
    task = Task.objects.get(campaign=campaign, criterion=criterion, unit=unit("市农委"))
    client.force_login(office)
    response = action(client, task, "reassign", {"unit": unit("市食药局").pk})
    assert response.status_code == 400
    assert "市食药局 已有同一来源的任务" in html(response)
    task.refresh_from_db()
    assert task.unit.name == "市农委"


def test_the_office_splits_a_task_on_the_page(client, office, task):
    client.force_login(office)
    response = action(
        client,
        task,
        "split",
        {"parts": "起草制度 | 市质监局 | 2018-06-30\n\n组织实施|市交通运输局|2018-12-31"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    parts = list(task.parts.order_by("pk"))
    assert [(p.title, p.unit.name, p.due) for p in parts] == [
        ("起草制度", "市质监局", dt.date(2018, 6, 30)),
        ("组织实施", "市交通局", dt.date(2018, 12, 31)),  # found by its alias
    ]
    body = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    assert "起草制度" in body and "组织实施" in body
    child = html(client.get(reverse("campaigns:task_detail", args=[parts[0].pk])))
    assert 'data-testid="parent"' in child


def test_the_units_liaison_updates_progress_on_the_page(client, liaison, task):
    client.force_login(liaison)
    response = action(client, task, "progress", {"progress": "35"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.progress, task.status) == (35, TaskStatus.IN_PROGRESS)
    action(client, task, "progress", {"progress": "35", "done": "on"})
    task.refresh_from_db()
    assert (task.progress, task.status) == (100, TaskStatus.DONE)


@pytest.mark.parametrize(
    ("persona", "name", "data"),
    [
        ("liaison", "reassign", {"unit": "1"}),
        ("liaison", "redate", {"due": "2018-12-31"}),
        ("liaison", "cancel", {"reason": "不想做"}),
        ("liaison", "split", {"parts": "a | 市质监局 | 2018-06-30\nb | 市质监局 | 2018-07-31"}),
        ("leader", "progress", {"progress": "50"}),
        ("assessor", "cancel", {"reason": "x"}),
        ("other_liaison", "progress", {"progress": "50"}),
        ("office", "explode", {}),
    ],
)
def test_forbidden_actions_are_404(request, client, task, persona, name, data):
    client.force_login(request.getfixturevalue(persona))
    before = AuditEvent.objects.count()
    assert action(client, task, name, data).status_code == 404
    assert AuditEvent.objects.count() == before


def test_getting_an_action_url_goes_back_to_the_task(client, office, task):
    client.force_login(office)
    response = client.get(reverse("campaigns:task_action", args=[task.pk, "cancel"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:task_detail", args=[task.pk])


# --- report pages -----------------------------------------------------------------------------


def report_url(task, period=AUGUST):
    return reverse("campaigns:report_edit", args=[task.pk, period.isoformat()])


def test_the_liaison_saves_a_draft_then_submits_late(client, liaison, task):
    client.force_login(liaison)
    url = report_url(task)
    body = html(client.get(url))
    assert 'data-testid="deadline">2018-09-05<' in body
    assert 'data-testid="late-warning"' in body  # 2018-09-15 is past the deadline
    assert f'hx-post="{url}upload/"' in body  # upload in place, not in another tab
    response = client.post(url, {"text": "", "percent": "20", "action": "draft"})
    assert response.status_code == 302 and response["Location"] == url
    draft = ProgressReport.objects.get(task=task, period_start=AUGUST)
    assert (draft.status, draft.percent) == (ReportStatus.DRAFT, 20)

    response = client.post(url, {"text": "制度已起草。", "percent": "45", "action": "submit"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("campaigns:task_detail", args=[task.pk]))
    report = ProgressReport.objects.get(pk=draft.pk)
    assert (report.status, report.late, report.text) == (
        ReportStatus.SUBMITTED,
        True,
        "制度已起草。",
    )
    detail = html(client.get(response["Location"]))
    assert "已过填报截止日期 2018-09-05,标记为逾期提交" in detail
    assert 'data-report-status="submitted"' in table(detail, "periods")
    page = html(client.get(url))
    assert 'data-testid="report-view"' in page and 'data-testid="late"' in page
    # a submitted report is no longer editable: posting again changes nothing
    response = client.post(url, {"text": "改一下", "percent": "50", "action": "submit"})
    assert response.status_code == 400 and "不能再修改" in html(response)
    assert ProgressReport.objects.get(pk=draft.pk).text == "制度已起草。"


def test_a_submission_before_the_deadline_is_on_time(client, liaison, task, settings):
    settings.QC_TODAY = dt.date(2018, 9, 3)
    client.force_login(liaison)
    response = client.post(
        report_url(task), {"text": "按期报送。", "percent": "30", "action": "submit"}, follow=True
    )
    assert "的进展已提交,等待创质办审核。" in html(response)
    assert ProgressReport.objects.get(task=task).late is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "有内容", "percent": "101"}, "完成百分比必须是 0 到 100 之间的整数。"),
        ({"text": "有内容", "percent": "-5"}, "完成百分比必须是 0 到 100 之间的整数。"),
        ({"text": "有内容", "percent": "一半"}, "完成百分比必须是 0 到 100 之间的整数。"),
        ({"text": "  ", "percent": "30"}, "提交前请填写进展情况。"),
        ({"text": "有内容", "percent": ""}, "请填写完成百分比。"),
    ],
)
def test_refused_reports_show_a_message_and_save_nothing(client, liaison, task, data, message):
    client.force_login(liaison)
    response = client.post(report_url(task), {**data, "action": "submit"})
    assert response.status_code == 400
    assert message in errors_in(html(response))
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("persona", ["other_liaison", "office", "leader", "assessor", "outsider"])
def test_only_the_units_liaisons_open_the_report_page(request, client, task, persona):
    client.force_login(request.getfixturevalue(persona))
    url = report_url(task)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "x", "percent": "1", "action": "submit"}).status_code == 404
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("period", ["2018-08-02", "2019-03-01", "august", "2018-13-01"])
def test_a_period_the_task_does_not_have_is_404(client, liaison, task, period):
    client.force_login(liaison)
    url = reverse("campaigns:report_edit", args=[task.pk, period])
    assert client.get(url).status_code == 404


def test_a_returned_report_shows_the_comment_and_is_resubmitted(client, liaison, office, task):
    report = submit_report(task, liaison)
    campaign_services.review_report(report, by=office, accept=False, comment="请附会议签到表。")
    client.force_login(liaison)
    body = html(client.get(report_url(task)))
    assert 'data-testid="returned"' in body and "请附会议签到表。" in body and "重新提交" in body
    response = client.post(
        report_url(task), {"text": "已附签到表。", "percent": "50", "action": "submit"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.text) == (ReportStatus.SUBMITTED, "已附签到表。")
    assert events(report, "report.resubmitted").count() == 1


def test_the_report_page_offers_only_visible_evidence_of_the_campaign(
    client, liaison, other_liaison, task, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qualitycity.assessments import services as assess
    from tests.factories import pdf_bytes as _pdf

    settings.MEDIA_ROOT = tmp_path

    def upload(user, unit_name, title):
        return assess.upload_evidence(
            task.campaign,
            SimpleUploadedFile(f"{title}.pdf", _pdf(title), "application/pdf"),
            by=user,
            title=title,
            unit=unit(unit_name),
            effective_date=dt.date(2018, 8, 20),
        )

    own = upload(liaison, "市质监局", "own-minutes")
    foreign = upload(other_liaison, "市住建局", "foreign-photos")
    client.force_login(liaison)
    body = html(client.get(report_url(task)))
    assert "own-minutes" in body and "foreign-photos" not in body
    response = client.post(
        report_url(task),
        {"text": "附纪要", "percent": "10", "action": "draft", "evidence": [foreign.pk]},
    )
    assert response.status_code == 400 and "所选佐证材料不存在,或您无权使用。" in html(response)
    client.post(
        report_url(task),
        {"text": "附纪要", "percent": "10", "action": "draft", "evidence": [own.pk]},
    )
    assert list(ProgressReport.objects.get(task=task).evidence.all()) == [own]


def test_the_office_accepts_and_returns_reports(client, office, liaison, task):
    report = submit_report(task, liaison)
    client.force_login(office)
    url = reverse("campaigns:report_review", args=[report.pk])
    detail = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    assert url in detail
    body = html(client.post(url, {"decision": "return", "comment": " "}, follow=True))
    assert "退回填报必须写明审核意见。" in body
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.post(url, {"decision": "return", "comment": "请补充数据。"})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "请补充数据。")
    body = html(client.post(url, {"decision": "accept"}, follow=True))
    assert "只能审核“已提交”的填报。" in body
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    july = submit_report(task, liaison, period=dt.date(2018, 7, 1))
    response = client.post(
        reverse("campaigns:report_review", args=[july.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    july.refresh_from_db()
    assert (july.status, july.reviewed_by) == (ReportStatus.ACCEPTED, office)
    assert "请选择采纳或退回。" in html(client.post(url, {"decision": "maybe"}, follow=True))


def test_after_a_review_the_task_page_opens_where_its_message_is(client, office, liaison, task):
    """At the top (no #reports: the message would be above the screen); the notification's
    link (a GET) opens at the review form instead."""
    report = submit_report(task, liaison)
    detail = reverse("campaigns:task_detail", args=[task.pk])
    url = reverse("campaigns:report_review", args=[report.pk])
    client.force_login(office)
    assert client.get(url)["Location"] == f"{detail}#review-{report.pk}"
    assert f'id="review-{report.pk}"' in html(client.get(detail))
    response = client.post(url, {"decision": "return", "comment": "请补充数据。"})
    assert response["Location"] == detail
    client.force_login(liaison)
    response = client.post(
        report_url(task), {"text": "已补充。", "percent": "30", "action": "submit"}
    )
    assert response["Location"] == detail


@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor", "other_liaison", "outsider"])
def test_only_the_office_reviews_on_the_page(request, client, liaison, task, persona):
    report = submit_report(task, liaison)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("campaigns:report_review", args=[report.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- notifications ----------------------------------------------------------------------------


def test_notifications_newest_first_and_mark_all_read(client, liaison, office):
    now = timezone.now()
    for n, minutes in ((1, 30), (2, 20), (3, 10)):
        note = Notification.objects.create(
            user=liaison, text=f"提醒{n}", url=reverse("campaigns:my_tasks")
        )
        Notification.objects.filter(pk=note.pk).update(
            created_at=now - dt.timedelta(minutes=minutes)
        )
    Notification.objects.create(user=office, text="给创质办的提醒")
    client.force_login(liaison)
    url = reverse("campaigns:notifications")
    body = html(client.get(url))
    texts = re.findall(r">(提醒\d)<", body)
    assert texts == ["提醒3", "提醒2", "提醒1"]
    assert "给创质办的提醒" not in body
    assert 'data-testid="unread-count">3<' in body and body.count('data-unread="1"') == 3
    response = client.post(url, follow=True)
    body = html(response)
    assert "已将 3 条通知标为已读。" in body
    assert 'data-unread="1"' not in body and 'data-testid="unread-count"' not in body
    assert not Notification.objects.filter(user=liaison, read_at__isnull=True).exists()
    assert Notification.objects.get(user=office).read_at is None


def test_notifications_page_when_there_are_none(client, leader):
    client.force_login(leader)
    body = html(client.get(reverse("campaigns:notifications")))
    assert "暂无通知。" in body and 'data-testid="mark-all-read"' not in body


# --- uploading from inside the report form ----------------------------------------------------


def upload_url(task, period=AUGUST):
    return reverse("campaigns:report_upload", args=[task.pk, period.isoformat()])


def test_a_file_uploaded_from_the_form_comes_back_selected_beside_the_others(
    client, media, liaison, task
):
    from qualitycity.evidence.models import Evidence

    client.force_login(liaison)
    client.post(upload_url(task), {"up-file": named_pdf("old.pdf"), "up-title": "旧材料"})
    old = Evidence.objects.get(title="旧材料")
    response = client.post(
        upload_url(task),
        {"evidence": [str(old.pk)], "up-file": named_pdf("纪要.pdf"), "text": "写了一半"},
    )
    assert response.status_code == 200
    new = Evidence.objects.get(title="纪要.pdf")  # no title: the file's name
    body = html(response)
    assert f'name="evidence" value="{old.pk}" checked>' in body
    assert f'name="evidence" value="{new.pk}" checked>' in body
    assert "已上传“纪要.pdf”,并已选为本期填报的佐证材料。" in body
    assert new.unit == task.unit and new.campaign_id == task.campaign_id
    assert events(new, "evidence.uploaded").get().after["task"] == task.pk
    assert not ProgressReport.objects.filter(task=task).exists()  # the report is not saved


def test_an_upload_without_a_file_is_a_422_with_a_message_and_nothing_stored(
    client, media, liaison, task
):
    from qualitycity.evidence.models import Evidence

    client.force_login(liaison)
    response = client.post(upload_url(task), {"up-title": "无文件"})
    assert response.status_code == 422
    assert "请选择要上传的文件。" in html(response)
    assert not Evidence.objects.exists()


def test_only_the_units_liaison_uploads_and_only_while_the_report_is_editable(
    client, media, office, liaison, other_liaison, task
):
    from qualitycity.evidence.models import Evidence

    for user in (office, other_liaison):
        client.force_login(user)
        response = client.post(upload_url(task), {"up-file": named_pdf("a.pdf")})
        assert response.status_code == 404
    client.force_login(liaison)
    assert client.get(upload_url(task)).status_code == 405
    assert client.post(upload_url(task, dt.date(2018, 8, 2))).status_code == 404
    campaign_services.save_report(
        task, by=liaison, period_start=AUGUST, text="已完成。", percent=50, submit=True
    )
    response = client.post(upload_url(task), {"up-file": named_pdf("a.pdf")})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def named_pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def test_my_tasks_lists_the_most_urgent_tasks_a_page_at_a_time(
    client, settings, campaign, office, liaison
):
    settings.QC_TODAY = TODAY
    overdue = make_task(
        campaign, office, title="逾期的任务", start=dt.date(2018, 1, 1), due=dt.date(2018, 3, 1)
    )
    for i in range(34):
        make_task(campaign, office, title=f"普通任务{i}", start=TODAY, due=DUE)
    client.force_login(liaison)
    first = html(client.get(reverse("campaigns:my_tasks")))
    tasks_table = first[first.index('data-testid="tasks"') :]
    rows = re.findall(r'<tr data-task="(\d+)"', tasks_table)
    assert len(rows) == 30 and rows[0] == str(overdue.pk)  # red first
    assert "35 / 共 35 项" in first and 'data-testid="pagination"' in tasks_table
    second = html(client.get(reverse("campaigns:my_tasks"), {"page": 2}))
    rest = re.findall(r'<tr data-task="(\d+)"', second[second.index('data-testid="tasks"') :])
    assert len(rest) == 5 and not set(rest) & set(rows)
