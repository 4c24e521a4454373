"""Supervision notices (督办单: issued → responded → closed) and meetings (with decisions turned
into tasks), through the services and through the pages. Time is frozen at 2018-04-20."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitycity.assessments.services import upload_evidence
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import MeetingKind, NoticeStatus
from qualitycity.campaigns.models import Meeting, SupervisionNotice, Task
from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.orgs.models import Region, Unit
from tests.factories import html
from tests.factories import pdf_bytes as _pdf

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2018, 4, 20)


def notice_events(notice) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="campaigns.supervisionnotice", object_id=str(notice.pk)
        )
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


@pytest.fixture
def tasks(campaign, office, zhijian, zhujian):
    """Tasks on 2018-04-20: red, yellow, blue and on-track for 市质监局, one red for 市住建局."""

    def add(title, unit, start, due, progress):
        task = campaign_services.add_task(
            campaign, by=office, title=title, unit=unit, start=start, due=due
        )
        if progress:
            campaign_services.update_progress(task, by=office, progress=progress)
        return task

    return {
        "red": add("逾期的任务", zhijian, D(2018, 1, 1), D(2018, 4, 1), 60),
        "yellow": add("滞后的任务", zhijian, D(2018, 1, 1), D(2018, 12, 31), 5),
        "blue": add("快到期的任务", zhijian, D(2018, 4, 1), D(2018, 4, 22), 95),
        "fine": add("正常的任务", zhijian, D(2018, 4, 1), D(2018, 12, 31), 50),
        "other": add("住建局逾期任务", zhujian, D(2018, 1, 1), D(2018, 3, 31), 10),
    }


def issue(campaign, office, zhijian, task_list, **kw):
    return campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhijian,
        tasks=task_list,
        content=kw.pop("content", "请说明原因并限期完成。"),
        response_due=kw.pop("response_due", D(2018, 4, 27)),
        today=TODAY,
        **kw,
    )


# --- notice lifecycle (services) --------------------------------------------------------------


def test_a_notice_goes_from_issued_to_responded_to_closed(
    campaign, office, liaison, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["yellow"], tasks["blue"]])
    assert (notice.number, notice.colour, notice.status) == ("督办〔2018〕1号", "yellow", "issued")
    assert set(notice.tasks.values_list("pk", flat=True)) == {
        tasks["yellow"].pk,
        tasks["blue"].pk,
    }

    responded = campaign_services.respond_notice(notice, by=liaison, response="已制定整改计划。")
    assert responded.status == NoticeStatus.RESPONDED
    assert responded.response == "已制定整改计划。"
    assert responded.responded_at.date() == TODAY

    closed = campaign_services.close_notice(responded, by=office)
    assert closed.status == NoticeStatus.CLOSED and closed.closed_at.date() == TODAY
    assert notice_events(notice) == ["notice.issued", "notice.responded", "notice.closed"]
    issued = AuditEvent.objects.get(action="notice.issued")
    assert issued.actor == office
    assert sorted(issued.after["tasks"]) == sorted([tasks["yellow"].pk, tasks["blue"].pk])


def test_a_notice_carries_the_worst_colour_of_its_tasks(campaign, office, zhijian, tasks):
    assert issue(campaign, office, zhijian, [tasks["blue"], tasks["red"]]).colour == "red"
    assert issue(campaign, office, zhijian, [tasks["blue"]]).colour == "blue"


def test_notices_are_numbered_per_year(campaign, office, zhijian, tasks):
    numbers = [issue(campaign, office, zhijian, [tasks["red"]]).number for _ in range(3)]
    assert numbers == ["督办〔2018〕1号", "督办〔2018〕2号", "督办〔2018〕3号"]


def test_a_notice_cannot_be_closed_before_the_unit_responds(campaign, office, zhijian, tasks):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    with pytest.raises(InvalidTransition, match="只有已反馈的督办单可以销号"):
        campaign_services.close_notice(notice, by=office)
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.ISSUED
    assert notice_events(notice) == ["notice.issued"]


def test_only_a_liaison_of_the_unit_may_respond(
    campaign, office, liaison, zhujian_liaison, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    for user in (zhujian_liaison, office):
        with pytest.raises(NotAllowed):
            campaign_services.respond_notice(notice, by=user, response="代为反馈。")
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.ISSUED


def test_only_the_office_may_issue_or_close(campaign, office, liaison, leader, zhijian, tasks):
    with pytest.raises(NotAllowed):
        issue(campaign, leader, zhijian, [tasks["red"]])
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    campaign_services.respond_notice(notice, by=liaison, response="已办理。")
    with pytest.raises(NotAllowed):
        campaign_services.close_notice(notice, by=liaison)
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.RESPONDED


def test_tasks_of_another_unit_are_refused(campaign, office, zhijian, tasks):
    with pytest.raises(ValidationFailed, match="督办任务必须是该单位在本创建工作中的任务"):
        issue(campaign, office, zhijian, [tasks["red"], tasks["other"]])
    assert not SupervisionNotice.objects.exists()


def test_tasks_without_a_colour_are_refused(campaign, office, zhijian, tasks):
    with pytest.raises(ValidationFailed, match="所选任务进展正常,无需督办"):
        issue(campaign, office, zhijian, [tasks["fine"]])
    campaign_services.update_progress(tasks["red"], by=office, progress=100, done=True)
    with pytest.raises(ValidationFailed, match="所选任务进展正常,无需督办"):
        issue(campaign, office, zhijian, [Task.objects.get(pk=tasks["red"].pk)])
    assert not SupervisionNotice.objects.exists()


def test_a_notice_needs_tasks_content_and_a_future_deadline(campaign, office, zhijian, tasks):
    with pytest.raises(ValidationFailed) as exc:
        issue(campaign, office, zhijian, [], content=" ", response_due=D(2018, 4, 19))
    assert exc.value.messages == [
        "请至少选择一项督办任务。",
        "请填写督办事项。",
        "反馈期限不能早于今天。",
    ]


def test_a_closed_notice_takes_no_more_responses(campaign, office, liaison, zhijian, tasks):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    campaign_services.respond_notice(notice, by=liaison, response="已办理。")
    campaign_services.close_notice(notice, by=office)
    with pytest.raises(InvalidTransition, match="督办单已销号"):
        campaign_services.respond_notice(notice, by=liaison, response="补充说明。")
    with pytest.raises(InvalidTransition):
        campaign_services.close_notice(notice, by=office)
    assert notice_events(notice) == ["notice.issued", "notice.responded", "notice.closed"]


# --- notice pages -----------------------------------------------------------------------------


def create_url(campaign) -> str:
    return reverse("campaigns:notice_create", args=[campaign.pk])


def detail_url(notice) -> str:
    return reverse("campaigns:notice_detail", args=[notice.pk])


def action_url(notice, action: str) -> str:
    return reverse("campaigns:notice_action", args=[notice.pk, action])


def test_the_form_lists_the_units_coloured_tasks_and_proposes_the_worst(
    client, office, campaign, zhijian, tasks
):
    client.force_login(office)
    body = html(client.get(create_url(campaign) + f"?unit={zhijian.pk}"))
    for key in ("red", "yellow", "blue"):
        assert f'value="{tasks[key].pk}"' in body, key
    assert f'value="{tasks["fine"].pk}"' not in body
    assert f'value="{tasks["other"].pk}"' not in body
    checked = set(re.findall(r'name="tasks" value="(\d+)" id="task-\d+" checked', body))
    assert checked == {str(tasks["red"].pk)}
    assert 'value="2018-04-27"' in body  # a week from today


def test_the_office_issues_a_notice_from_the_form(client, office, campaign, zhijian, tasks):
    client.force_login(office)
    response = client.post(
        create_url(campaign),
        {
            "unit": zhijian.pk,
            "tasks": [tasks["red"].pk, tasks["blue"].pk],
            "content": "请于一周内说明逾期原因。",
            "response_due": "2018-04-30",
        },
    )
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(notice)
    assert (notice.unit, notice.colour, notice.response_due) == (zhijian, "red", D(2018, 4, 30))
    body = html(client.get(detail_url(notice)))
    assert "督办单 督办〔2018〕1号 已签发给市质监局。" in body
    assert body.count('data-colour="red"') == 2  # the notice and its red task
    assert 'data-colour="blue"' in body


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("fine", "所选任务进展正常,无需督办。"),
        ("other", "督办任务必须是该单位在本创建工作中的任务。"),
    ],
)
def test_the_form_shows_the_services_refusal_and_creates_nothing(
    client, office, campaign, zhijian, tasks, key, message
):
    client.force_login(office)
    response = client.post(
        create_url(campaign),
        {
            "unit": zhijian.pk,
            "tasks": [tasks[key].pk],
            "content": "督办",
            "response_due": "2018-04-30",
        },
    )
    assert response.status_code == 400
    assert message in html(response)
    assert not SupervisionNotice.objects.exists()


def test_the_form_refuses_a_missing_deadline_in_chinese(client, office, campaign, zhijian, tasks):
    client.force_login(office)
    response = client.post(
        create_url(campaign), {"unit": zhijian.pk, "tasks": [tasks["red"].pk], "content": "督办"}
    )
    assert "请填写反馈期限。" in html(response)
    assert not SupervisionNotice.objects.exists()


def test_only_the_office_opens_the_notice_form(client, leader, liaison, campaign, tasks):
    for user in (leader, liaison):
        client.force_login(user)
        assert client.get(create_url(campaign)).status_code == 404
        assert client.post(create_url(campaign), {}).status_code == 404


def test_the_notice_list_filters_by_status_colour_and_unit(
    client, office, liaison, campaign, zhijian, zhujian, tasks
):
    red = issue(campaign, office, zhijian, [tasks["red"]])
    blue = issue(campaign, office, zhijian, [tasks["blue"]])
    other = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhujian,
        tasks=[tasks["other"]],
        content="请说明。",
        response_due=D(2018, 4, 27),
        today=TODAY,
    )
    campaign_services.respond_notice(blue, by=liaison, response="已办理。")
    client.force_login(office)
    url = reverse("campaigns:notice_list", args=[campaign.pk])

    def listed(query: str) -> set[int]:
        return {int(pk) for pk in re.findall(r'data-notice="(\d+)"', html(client.get(url + query)))}

    assert listed("") == {red.pk, blue.pk, other.pk}
    assert listed("?status=responded") == {blue.pk}
    assert listed("?colour=red") == {red.pk, other.pk}
    assert listed(f"?unit={zhujian.pk}") == {other.pk}
    assert listed(f"?colour=red&unit={zhijian.pk}") == {red.pk}
    assert client.get(url + "?colour=purple").status_code == 200


def test_the_liaison_responds_and_the_office_closes_through_the_pages(
    client, office, liaison, campaign, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    client.force_login(liaison)
    body = html(client.get(detail_url(notice)))
    assert 'data-testid="action-respond"' in body and 'data-testid="action-close"' not in body
    response = client.post(action_url(notice, "respond"), {"response": "已组织专题推进会。"})
    assert response.status_code == 302
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.RESPONDED

    client.force_login(office)
    body = html(client.get(detail_url(notice)))
    assert 'data-testid="action-close"' in body and 'data-testid="action-respond"' not in body
    assert "已组织专题推进会。" in body
    assert client.post(action_url(notice, "close")).status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED
    body = html(client.get(detail_url(notice)))
    assert "督办单已销号。" in body
    assert body.count('data-action="notice.') == 3


def test_closing_before_the_response_shows_a_message_and_changes_nothing(
    client, office, campaign, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    client.force_login(office)
    response = client.post(action_url(notice, "close"))
    assert response.status_code == 400
    assert "只有已反馈的督办单可以销号。" in html(response)
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.ISSUED


def test_an_empty_response_is_refused_with_a_message(
    client, office, liaison, campaign, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    client.force_login(liaison)
    response = client.post(action_url(notice, "respond"), {"response": "  "})
    assert response.status_code == 400 and "请填写反馈情况。" in html(response)
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.ISSUED


def test_actions_others_may_not_take_answer_404(
    client, office, leader, zhujian_liaison, campaign, zhijian, tasks
):
    notice = issue(campaign, office, zhijian, [tasks["red"]])
    client.force_login(office)
    assert client.post(action_url(notice, "respond"), {"response": "代答"}).status_code == 404
    assert client.post(action_url(notice, "delete")).status_code == 404
    assert client.get(action_url(notice, "close")).status_code == 302
    client.force_login(zhujian_liaison)  # another unit's liaison does not even see it
    assert client.post(action_url(notice, "respond"), {"response": "代答"}).status_code == 404
    client.force_login(leader)
    assert client.post(action_url(notice, "close")).status_code == 404
    assert SupervisionNotice.objects.get(pk=notice.pk).status == NoticeStatus.ISSUED


# --- meetings ---------------------------------------------------------------------------------


@pytest.fixture
def evidence(settings, tmp_path, campaign, office):
    settings.MEDIA_ROOT = tmp_path
    creator = Unit.objects.get(name="市创质办")
    return upload_evidence(
        campaign,
        SimpleUploadedFile("minutes.pdf", _pdf("minutes"), "application/pdf"),
        by=office,
        title="领导小组会议签到表",
        unit=creator,
        effective_date=D(2018, 4, 18),
    )


@pytest.fixture
def meeting(campaign, office):
    return campaign_services.create_meeting(
        campaign,
        by=office,
        kind=MeetingKind.COORDINATION,
        title="创建工作碰头会(4月)",
        date=D(2018, 4, 18),
        minutes="通报进展。",
    )


def test_the_office_records_a_meeting_with_attendees_and_attachments(
    client, office, campaign, evidence, zhijian, zhujian
):
    client.force_login(office)
    url = reverse("campaigns:meeting_create", args=[campaign.pk])
    form = html(client.get(url))
    assert "领导小组会议签到表" in form and 'value="2018-04-20"' in form
    response = client.post(
        url,
        {
            "kind": MeetingKind.LEADING_GROUP,
            "title": "质量强市工作领导小组2018年第二次会议",
            "date": "2018-04-18",
            "attendees": [zhijian.pk, zhujian.pk],
            "minutes": "研究部署第二季度工作。",
            "attachments": [evidence.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:meeting_detail", args=[meeting.pk])
    assert set(meeting.attendees.all()) == {zhijian, zhujian}
    assert list(meeting.attachments.all()) == [evidence]
    assert AuditEvent.objects.filter(action="meeting.created").count() == 1
    body = html(client.get(response["Location"]))
    assert "市质监局、市住建局" in body or "市住建局、市质监局" in body
    assert "研究部署第二季度工作。" in body
    assert reverse("assessments:evidence_detail", args=[evidence.pk]) in body


def test_attachments_from_another_campaign_are_refused(
    client, settings, tmp_path, office, campaign, yongzhou
):
    settings.MEDIA_ROOT = tmp_path
    elsewhere = create_campaign(
        by=office,
        name="另一项创建工作",
        region=Region.objects.get(code="431100"),
        framework=yongzhou,
        start=D(2017, 9, 1),
        end=D(2019, 10, 31),
        phases=YONGZHOU_PHASES,
    )
    foreign = upload_evidence(
        elsewhere,
        SimpleUploadedFile("x.pdf", _pdf("x"), "application/pdf"),
        by=office,
        title="别处的材料",
        unit=Unit.objects.get(name="市创质办"),
        effective_date=D(2018, 4, 1),
    )
    client.force_login(office)
    response = client.post(
        reverse("campaigns:meeting_create", args=[campaign.pk]),
        {"kind": "summary", "title": "总结大会", "date": "2018-04-18", "attachments": [foreign.pk]},
    )
    assert response.status_code == 400
    assert "所选佐证材料不存在,或您无权使用。" in html(response)
    assert not Meeting.objects.exists()


def test_only_the_office_records_meetings(client, leader, liaison, campaign):
    for user in (leader, liaison):
        client.force_login(user)
        url = reverse("campaigns:meeting_create", args=[campaign.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"kind": "summary", "title": "x", "date": "2018-04-18"}).status_code
            == 404
        )
    assert not Meeting.objects.exists()


def test_the_meeting_list_shows_the_quarterly_rule_gaps(client, office, campaign):
    for kind, title, day in (
        (MeetingKind.LEADING_GROUP, "领导小组第一次会议", D(2017, 10, 12)),
        (MeetingKind.SUMMARY, "2017年度总结大会", D(2017, 12, 28)),
        (MeetingKind.COORDINATION, "碰头会", D(2018, 2, 10)),
    ):
        campaign_services.create_meeting(campaign, by=office, kind=kind, title=title, date=day)
    client.force_login(office)
    url = reverse("campaigns:meeting_list", args=[campaign.pk])
    body = html(client.get(url))
    assert "2018年第1季度未召开领导小组会议" in body  # a 碰头会 is not a leading-group meeting
    assert "2017年第4季度未召开领导小组会议" not in body
    assert "2017年未召开质量强市工作总结大会" not in body
    assert body.count("data-meeting=") == 3
    assert html(client.get(url + "?kind=summary")).count("data-meeting=") == 1


def test_a_leader_reads_a_meeting_without_the_decision_form(client, leader, meeting):
    client.force_login(leader)
    body = html(client.get(reverse("campaigns:meeting_detail", args=[meeting.pk])))
    assert "创建工作碰头会(4月)" in body and "通报进展。" in body
    assert 'data-testid="decisions-form"' not in body
    url = reverse("campaigns:meeting_decisions", args=[meeting.pk])
    assert client.post(url, {"lines": "事项 | 市质监局 | 2018-06-30"}).status_code == 404
    assert not Task.objects.exists()


def decisions_url(meeting) -> str:
    return reverse("campaigns:meeting_decisions", args=[meeting.pk])


def test_decisions_become_tasks_in_one_step(client, office, campaign, meeting, zhijian, zhujian):
    client.force_login(office)
    lines = "9月底前完成企业质量信用档案补录 | 市质监局 | 2018-09-30\n\n保障房质量专项巡查｜市住建局｜2018-06-30\n"
    response = client.post(decisions_url(meeting), {"lines": lines})
    assert response.status_code == 302
    created = list(Task.objects.filter(meeting=meeting).order_by("due"))
    assert [(t.title, t.unit, t.due) for t in created] == [
        ("保障房质量专项巡查", zhujian, D(2018, 6, 30)),
        ("9月底前完成企业质量信用档案补录", zhijian, D(2018, 9, 30)),
    ]
    assert all(t.start == meeting.date for t in created)
    assert all(t.phase.name == "全面推进阶段" for t in created)
    body = html(client.get(reverse("campaigns:meeting_detail", args=[meeting.pk])))
    assert "已将 2 项会议决定转为工作任务。" in body
    assert body.count("data-task=") == 2


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("补录档案 | 不存在局 | 2018-09-30", "第 2 行:“不存在局”不是已知的单位。"),
        ("补录档案 | 市质监局 | 2018/13/45", "第 2 行:完成期限“2018/13/45”不是有效的日期"),
        ("只有一栏", "第 2 行格式应为“决定事项 | 责任单位 | YYYY-MM-DD”。"),
        (
            "补录档案 | 质量强市工作领导小组成员单位 | 2018-09-30",
            "是单位组,请填写具体的责任单位。",
        ),
        ("补录档案 | 市质监局 | 2018-04-01", "完成期限不能早于开始日期。"),  # before the meeting
        ("补录档案 | 市质监局 | 2020-01-31", "日期必须在创建工作期间"),
    ],
)
def test_one_bad_decision_creates_nothing(client, office, meeting, bad_line, message):
    client.force_login(office)
    lines = f"保障房质量专项巡查 | 市住建局 | 2018-06-30\n{bad_line}"
    response = client.post(decisions_url(meeting), {"lines": lines})
    assert response.status_code == 400
    assert message in html(response)
    assert lines.splitlines()[0] in html(response)  # the lines are kept for correction
    assert not Task.objects.exists()


def test_no_decisions_is_refused(client, office, meeting):
    client.force_login(office)
    response = client.post(decisions_url(meeting), {"lines": " \n "})
    assert "请至少填写一项会议决定。" in html(response)
    assert not Task.objects.exists()


def test_decisions_to_tasks_is_all_or_nothing_in_the_service(office, meeting, zhijian):
    with pytest.raises(ValidationFailed):
        campaign_services.decisions_to_tasks(
            meeting,
            by=office,
            decisions=[("甲", zhijian, D(2018, 6, 30)), (" ", zhijian, D(2018, 6, 30))],
        )
    assert not Task.objects.exists()
    created = campaign_services.decisions_to_tasks(
        meeting, by=office, decisions=[("甲", zhijian, D(2018, 6, 30))]
    )
    assert [t.meeting_id for t in created] == [meeting.pk]
    assert AuditEvent.objects.filter(action="task.created").count() == 1


# --- reading decision lines (services.parse_decisions) ----------------------------------------


def test_decision_lines_resolve_to_units(zhijian, zhujian, campaign):
    text = "补录档案 | 市质监局 | 2018-09-30\n\n专项巡查｜市住建局｜2018-06-30"
    assert campaign_services.parse_decisions(text, campaign) == [
        ("补录档案", zhijian, D(2018, 9, 30)),
        ("专项巡查", zhujian, D(2018, 6, 30)),
    ]


def test_no_decision_lines_are_refused(orgs, campaign):
    with pytest.raises(ValidationFailed) as refused:
        campaign_services.parse_decisions(" \n ", campaign)
    assert refused.value.messages == ["请至少填写一项会议决定。"]


def test_every_problem_is_given_by_line_the_unit_before_the_date(orgs, campaign):
    text = "\n".join(
        [
            "只有一栏",
            "甲 | 不存在局 | 2018/13/45",
            "乙 | 质量强市工作领导小组成员单位 | 2018-09-30",
            "丙 | 市质监局 | 2018-09-30",
        ]
    )
    with pytest.raises(ValidationFailed) as refused:
        campaign_services.parse_decisions(text, campaign)
    assert refused.value.messages == [
        "第 1 行格式应为“决定事项 | 责任单位 | YYYY-MM-DD”。",
        "第 2 行:“不存在局”不是已知的单位。",
        "第 2 行:完成期限“2018/13/45”不是有效的日期,请按 YYYY-MM-DD 填写。",
        "第 3 行:“质量强市工作领导小组成员单位”是单位组,请填写具体的责任单位。",
    ]


def test_a_meeting_links_only_the_tasks_the_reader_may_open(
    client, office, liaison, leader, meeting, zhijian, zhujian
):
    """Issue 11: a liaison followed a meeting's link to another unit's task and got Not Found."""
    client.force_login(office)
    lines = "补录档案 | 市质监局 | 2018-09-30\n保障房质量专项巡查 | 市住建局 | 2018-06-30"
    assert client.post(decisions_url(meeting), {"lines": lines}).status_code == 302
    own = Task.objects.get(meeting=meeting, unit=zhijian)
    other = Task.objects.get(meeting=meeting, unit=zhujian)
    page = reverse("campaigns:meeting_detail", args=[meeting.pk])

    def links(user) -> set[int]:
        client.force_login(user)
        body = html(client.get(page))
        assert own.title in body and other.title in body  # both named
        return {t.pk for t in (own, other) if reverse("campaigns:task_detail", args=[t.pk]) in body}

    assert links(office) == {own.pk, other.pk}
    assert links(leader) == {own.pk, other.pk}
    assert links(liaison) == {own.pk}
    for task in (own, other):  # every link it is given opens; the other one would not
        expected = 200 if task == own else 404
        response = client.get(reverse("campaigns:task_detail", args=[task.pk]))
        assert response.status_code == expected
