"""The supervision board (queries.board and its page), the phase timeline, and who may open each
supervision page. Time is frozen with settings.QC_TODAY."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qualitycity.campaigns import queries, supervision
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import MeetingKind, ReportStatus, TaskStatus, WorkRole
from qualitycity.campaigns.models import ProgressReport, Task
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Unit
from tests.factories import html, persona
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2018, 4, 20)


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def chart_json(body: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


@pytest.fixture
def small(campaign, office, liaison, zhujian_liaison, zhijian, zhujian):
    """A small campaign on 2018-04-20 whose colours and reporting rates are known by hand.

    市质监局: A yellow (reports Jan on time, Feb late, Mar missing), C cancelled, D yellow (Mar
    report only drafted), E blue, F done, G on track without a phase.
    市住建局: B red (reports Feb on time at 23:30 on the deadline, Mar late).
    """
    phase = campaign.phases.get(name="全面推进阶段")

    def add(title, unit, start, due, *, with_phase=True):
        return campaign_services.add_task(
            campaign,
            by=office,
            title=title,
            unit=unit,
            start=start,
            due=due,
            phase=phase if with_phase else None,
        )

    def submit(task, by, period, at, percent=10):
        return campaign_services.save_report(
            task, by=by, period_start=period, text="进展", percent=percent, submit=True, now=at
        )

    a = add("甲:质量发展规划", zhijian, D(2018, 1, 1), D(2018, 6, 30))
    b = add("乙:保障房质量巡查", zhujian, D(2018, 2, 1), D(2018, 3, 31))
    c = add("丙:已取消的任务", zhijian, D(2018, 1, 1), D(2018, 6, 30))
    d = add("丁:质量信用档案", zhijian, D(2018, 3, 1), D(2018, 12, 31))
    e = add("戊:宣传展板", zhijian, D(2018, 4, 1), D(2018, 4, 22))
    f = add("己:已完成的任务", zhijian, D(2018, 4, 1), D(2018, 5, 31))
    g = add("庚:按进度推进", zhijian, D(2018, 4, 1), D(2018, 12, 31), with_phase=False)

    submit(a, liaison, D(2018, 1, 1), local(2018, 2, 3, 10), percent=10)
    # 20:00 UTC on the deadline is already the next day in Asia/Shanghai: late.
    submit(a, liaison, D(2018, 2, 1), dt.datetime(2018, 3, 5, 20, tzinfo=dt.UTC), percent=20)
    submit(b, zhujian_liaison, D(2018, 2, 1), local(2018, 3, 5, 23, 30), percent=40)
    submit(b, zhujian_liaison, D(2018, 3, 1), local(2018, 4, 6, 9), percent=50)
    campaign_services.save_report(d, by=liaison, period_start=D(2018, 3, 1), text="草稿", percent=5)
    campaign_services.cancel_task(c, by=office, reason="并入甲任务")
    campaign_services.update_progress(e, by=office, progress=95)
    campaign_services.update_progress(f, by=office, progress=100, done=True)
    campaign_services.update_progress(g, by=office, progress=50)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g}


# --- queries.board ----------------------------------------------------------------------------


def test_the_small_campaign_is_what_its_docstring_says(small):
    colours = {
        k: supervision.task_colour(Task.objects.get(pk=t.pk), TODAY) for k, t in small.items()
    }
    assert colours == {
        "A": "yellow",
        "B": "red",
        "C": None,
        "D": "yellow",
        "E": "blue",
        "F": None,
        "G": None,
    }
    late = dict(ProgressReport.objects.filter(submitted_at__isnull=False).values_list("pk", "late"))
    assert sorted(late.values()) == [False, False, True, True]


def test_board_counts_colours_overall_per_unit_and_per_phase(campaign, small):
    board = queries.board(campaign, TODAY)
    c = board.counts
    assert (c.tasks, c.done, c.red, c.yellow, c.blue) == (6, 1, 1, 2, 1)  # C is cancelled
    units = {r.name: r for r in board.units}
    zj, zhu = units["市质监局"].counts, units["市住建局"].counts
    assert (zj.tasks, zj.done, zj.red, zj.yellow, zj.blue) == (5, 1, 0, 2, 1)
    assert (zhu.tasks, zhu.done, zhu.red, zhu.yellow, zhu.blue) == (1, 0, 1, 0, 0)
    phases = {r.phase.name if r.phase else None: r.counts for r in board.phases}
    assert phases["全面推进阶段"].tasks == 5
    assert phases[None].tasks == 1  # G has no phase
    assert phases["规划筹建阶段"].tasks == 0


def test_board_completeness_and_timeliness_per_unit(campaign, small):
    board = queries.board(campaign, TODAY)
    units = {r.name: r.rate for r in board.units}
    # 市质监局: A Jan ✓ on time, A Feb ✓ late, A Mar ✗, D Mar ✗ (draft); C is cancelled.
    zj = units["市质监局"]
    assert (zj.due, zj.arrived, zj.on_time) == (4, 2, 1)
    assert (zj.completeness, zj.timeliness) == (Decimal("50.0"), Decimal("25.0"))
    # 市住建局: B Feb ✓ on time (23:30 on the deadline), B Mar ✓ late.
    zhu = units["市住建局"]
    assert (zhu.due, zhu.arrived, zhu.on_time) == (2, 2, 1)
    assert (zhu.completeness, zhu.timeliness) == (Decimal("100.0"), Decimal("50.0"))
    total = board.rate
    assert (total.due, total.arrived, total.on_time) == (6, 4, 2)
    assert (total.completeness, total.timeliness) == (Decimal("66.7"), Decimal("33.3"))


def test_board_rates_per_period_count_only_deadlines_reached(campaign, small):
    board = queries.board(campaign, TODAY)
    rows = [
        (r.label, r.deadline, r.rate.due, r.rate.arrived, r.rate.on_time) for r in board.periods
    ]
    # April's deadline (May 5) is after today: not due yet.
    assert rows == [
        ("2018年1月", D(2018, 2, 5), 1, 1, 1),
        ("2018年2月", D(2018, 3, 5), 2, 2, 1),
        ("2018年3月", D(2018, 4, 5), 3, 1, 0),
    ]


def test_a_report_is_due_on_its_deadline_day(campaign, small):
    before = queries.board(campaign, D(2018, 4, 4)).rate.due
    on_the_day = queries.board(campaign, D(2018, 4, 5)).rate.due
    assert (before, on_the_day) == (3, 6)


def test_a_returned_report_still_counts_as_arrived(campaign, small, office):
    report = ProgressReport.objects.get(task=small["B"], period_start=D(2018, 3, 1))
    campaign_services.review_report(report, by=office, accept=False, comment="请补充材料。")
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    rate = {r.name: r.rate for r in queries.board(campaign, TODAY).units}["市住建局"]
    assert (rate.due, rate.arrived) == (2, 2)


def test_board_lists_flagged_tasks_most_urgent_first(campaign, small):
    board = queries.board(campaign, TODAY)
    assert [t.title for t in board.flagged["red"]] == ["乙:保障房质量巡查"]
    assert board.flagged["red"][0].overdue_days == 20
    assert [t.title for t in board.flagged["blue"]] == ["戊:宣传展板"]
    assert board.flagged["blue"][0].days_left == 2
    assert {t.title for t in board.flagged["yellow"]} == {"甲:质量发展规划", "丁:质量信用档案"}


def test_board_reports_the_meeting_rule_gaps(campaign, small, office):
    campaign_services.create_meeting(
        campaign,
        by=office,
        kind=MeetingKind.LEADING_GROUP,
        title="领导小组第一次会议",
        date=D(2017, 10, 12),
    )
    campaign_services.create_meeting(
        campaign,
        by=office,
        kind=MeetingKind.SUMMARY,
        title="2017年度总结大会",
        date=D(2017, 12, 28),
    )
    labels = [(g.kind, g.label) for g in queries.board(campaign, D(2018, 4, 20)).gaps]
    assert ("quarter", "2018年第1季度") in labels
    assert ("quarter", "2017年第4季度") not in labels
    assert ("year", "2017年") not in labels


def test_units_sort_by_red_or_yellow(campaign, small):
    rows = queries.board(campaign, TODAY).units
    assert [r.name for r in queries.sort_units(rows, "red")][:1] == ["市住建局"]
    assert [r.name for r in queries.sort_units(rows, "yellow")][:1] == ["市质监局"]
    assert [r.name for r in queries.sort_units(rows, "completeness")][:1] == ["市质监局"]


def _many_tasks(campaign, office, n: int) -> None:
    """n more tasks over ten units, each with a submitted report for January."""
    units = list(Unit.objects.order_by("position", "code")[:10])
    tasks = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            title=f"批量任务{i}",
            unit=units[i % len(units)],
            role=WorkRole.LEAD if i % 2 else WorkRole.COOPERATING,
            start=D(2018, 1, 1),
            due=D(2018, 12, 31) if i % 3 else D(2018, 4, 1),
            progress=i % 100,
            status=TaskStatus.IN_PROGRESS,
        )
        for i in range(n)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            task=t,
            period_start=D(2018, 1, 1),
            period_end=D(2018, 1, 31),
            deadline=D(2018, 2, 5),
            text="进展",
            status=ReportStatus.SUBMITTED,
            submitted_at=local(2018, 2, 1 + i % 9, 10),
            author=office,
        )
        for i, t in enumerate(tasks)
    )


# Every campaign setting that changes the board's path: who reports (lead only reads each task's
# role) and the reporting period.
SETTINGS = pytest.mark.parametrize(
    ("reports_from", "report_period"),
    [("all", "month"), ("lead", "month"), ("all", "quarter"), ("lead", "quarter")],
)


@SETTINGS
def test_board_runs_the_same_queries_for_few_and_many_tasks(
    campaign, small, office, reports_from, report_period
):
    campaign.reports_from, campaign.report_period = reports_from, report_period
    campaign.save()
    few = count_queries(lambda: queries.board(campaign, TODAY))
    _many_tasks(campaign, office, 300)
    assert Task.objects.filter(campaign=campaign).count() > 300
    many = count_queries(lambda: queries.board(campaign, TODAY))
    assert few == many <= 10, (few, many)


@SETTINGS
def test_the_board_page_runs_the_same_queries_for_few_and_many_tasks(
    client, settings, campaign, small, office, reports_from, report_period
):
    campaign.reports_from, campaign.report_period = reports_from, report_period
    campaign.save()
    settings.QC_TODAY = TODAY
    client.force_login(office)
    url = reverse("campaigns:board", args=[campaign.pk])
    client.get(url)  # warm caches (content types, sessions)
    few = count_queries(lambda: client.get(url))
    _many_tasks(campaign, office, 300)
    many = count_queries(lambda: client.get(url))
    assert few == many, (few, many)


# --- the board page ---------------------------------------------------------------------------


def board_url(campaign) -> str:
    return reverse("campaigns:board", args=[campaign.pk])


def test_the_board_shows_cards_tables_chart_and_gaps(client, settings, office, campaign, small):
    settings.QC_TODAY = TODAY
    client.force_login(office)
    body = html(client.get(board_url(campaign)))
    assert re.search(r'data-testid="count-red">1<', body)
    assert re.search(r'data-testid="count-yellow">2<', body)
    assert re.search(r'data-testid="count-blue">1<', body)
    assert re.search(r'data-testid="count-tasks">6<', body)
    assert re.search(r'data-testid="completeness">66.7%<', body)
    assert re.search(r'data-testid="timeliness">33.3%<', body)
    assert "2018年第1季度未召开领导小组会议" in body
    assert "2017年第4季度未召开领导小组会议" in body
    chart = chart_json(body, "board-chart-data")
    assert chart["categories"] == ["市住建局", "市质监局"]
    series = {s["key"]: s for s in chart["series"]}
    assert series["red"]["values"] == [1, 0]
    assert series["yellow"]["values"] == [0, 2]
    assert series["blue"]["values"] == [0, 1]
    assert series["red"]["name"] == "红色督办"
    assert 'data-testid="board-chart"' in body
    assert "vendor/echarts/echarts.min.js" in body and "campaigns/board.js" in body
    assert "<script>" not in body  # no inline scripts: data travels in json_script
    zhujian = Unit.objects.get(name="市住建局")
    create = reverse("campaigns:notice_create", args=[campaign.pk])
    assert f"{create}?unit={zhujian.pk}" in body
    # the phase table and the rates table
    assert 'data-phase="none"' in body
    assert 'data-period="2018-03-01"' in body


def test_the_board_sorts_units_by_yellow(client, settings, office, campaign, small):
    settings.QC_TODAY = TODAY
    client.force_login(office)
    body = html(client.get(board_url(campaign) + "?sort=yellow"))
    table = body[body.index('data-testid="unit-table"') :]
    assert table.index('data-unit="市质监局"') < table.index('data-unit="市住建局"')
    body = html(client.get(board_url(campaign) + "?sort=red"))
    table = body[body.index('data-testid="unit-table"') :]
    assert table.index('data-unit="市住建局"') < table.index('data-unit="市质监局"')
    assert client.get(board_url(campaign) + "?sort=nonsense").status_code == 200


def test_the_board_lists_tasks_of_the_chosen_colour(client, settings, office, campaign, small):
    settings.QC_TODAY = TODAY
    client.force_login(office)
    body = html(client.get(board_url(campaign) + "?colour=blue"))
    listing = body[body.index('data-testid="flagged-tasks"') :]
    assert "戊:宣传展板" in listing and "乙:保障房质量巡查" not in listing
    body = html(client.get(board_url(campaign)))
    listing = body[body.index('data-testid="flagged-tasks"') :]
    assert "乙:保障房质量巡查" in listing and "已逾期 20 天" in listing


def test_leaders_read_the_board_without_the_issue_buttons(
    client, settings, leader, campaign, small
):
    settings.QC_TODAY = TODAY
    client.force_login(leader)
    body = html(client.get(board_url(campaign)))
    assert 'data-testid="board-chart"' in body
    assert 'data-testid="issue-notice"' not in body


def test_a_campaign_without_tasks_shows_an_empty_board(client, settings, office, campaign):
    settings.QC_TODAY = TODAY
    client.force_login(office)
    body = html(client.get(board_url(campaign)))
    assert 'data-testid="board-chart-empty"' in body
    assert "本创建工作尚无工作任务。" in body


# --- timeline ---------------------------------------------------------------------------------


def test_the_timeline_marks_today_and_shows_phases_meetings_and_rounds(
    client, settings, office, campaign, open_round
):
    settings.QC_TODAY = D(2018, 9, 15)
    campaign_services.create_meeting(
        campaign, by=office, kind=MeetingKind.COORDINATION, title="碰头会", date=D(2018, 8, 20)
    )
    client.force_login(office)
    body = html(client.get(reverse("campaigns:timeline", args=[campaign.pk])))
    assert "今天 2018-09-15" in body
    assert body.count("data-phase=") == 4
    assert 'data-current="1"' in body
    current = body[body.index('data-current="1"') - 200 :]
    assert "全面推进阶段" in current[:600]
    assert "2018-08-20 碰头会" in body
    assert "2019年自评" in body
    assert reverse("assessments:round_summary", args=[open_round.pk]) in body
    # the whole campaign is 2017-09-01 … 2019-10-31 (791 days); today is day 379.
    assert 'x1="47.91%"' in body


def test_the_timeline_says_when_today_is_outside_the_campaign(client, settings, office, campaign):
    settings.QC_TODAY = D(2020, 5, 1)
    client.force_login(office)
    body = html(client.get(reverse("campaigns:timeline", args=[campaign.pk])))
    assert "今天(2020-05-01)不在创建工作期间内。" in body
    assert 'data-current="1"' not in body


def test_timeline_positions():
    class C:
        start, end = D(2018, 1, 1), D(2018, 1, 10)  # ten days

    assert queries.position(C, D(2018, 1, 1)) == queries.Span(Decimal("0.00"), Decimal(0))
    span = queries.position(C, D(2018, 1, 1), D(2018, 1, 10))
    assert (span.left, span.width) == (Decimal("0.00"), Decimal("100.00"))
    span = queries.position(C, D(2018, 1, 6), D(2018, 1, 6))
    assert (span.left, span.width) == (Decimal("50.00"), Decimal("10.00"))
    assert queries.position(C, D(2017, 1, 1)).left == Decimal("0.00")  # clipped
    assert queries.position(C, D(2019, 1, 1)).left == Decimal("100.00")


# --- who may open what ------------------------------------------------------------------------


@pytest.fixture
def pages(campaign, office, zhijian):
    """One object of each kind, and every supervision page's URL."""
    task = campaign_services.add_task(
        campaign,
        by=office,
        title="逾期任务",
        unit=zhijian,
        start=D(2018, 1, 1),
        due=D(2018, 3, 1),
    )
    notice = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhijian,
        tasks=[task],
        content="请说明逾期原因。",
        response_due=D(2018, 4, 30),
        today=TODAY,
    )
    meeting = campaign_services.create_meeting(
        campaign, by=office, kind=MeetingKind.LEADING_GROUP, title="领导小组会议", date=TODAY
    )
    return {
        "board": reverse("campaigns:board", args=[campaign.pk]),
        "timeline": reverse("campaigns:timeline", args=[campaign.pk]),
        "notice_list": reverse("campaigns:notice_list", args=[campaign.pk]),
        "notice_create": reverse("campaigns:notice_create", args=[campaign.pk]),
        "notice_detail": reverse("campaigns:notice_detail", args=[notice.pk]),
        "meeting_list": reverse("campaigns:meeting_list", args=[campaign.pk]),
        "meeting_create": reverse("campaigns:meeting_create", args=[campaign.pk]),
        "meeting_detail": reverse("campaigns:meeting_detail", args=[meeting.pk]),
    }


ALL = {"office", "admin_user", "leader", "assessor", "liaison", "other_liaison"}
ACCESS = {
    "board": {"office", "admin_user", "leader"},  # assessors read rounds, not the day-to-day work
    "timeline": ALL,
    "notice_list": ALL,
    "notice_create": {"office", "admin_user"},
    # addressed to the liaison's unit, 市质监局; not an assessor's business
    "notice_detail": ALL - {"other_liaison", "assessor"},
    "meeting_list": ALL,
    "meeting_create": {"office", "admin_user"},
    "meeting_detail": ALL,
}
PERSONAS = ["office", "admin_user", "leader", "assessor", "liaison", "outsider", "other_liaison"]


@pytest.fixture
def other_liaison(orgs):
    return persona("t-liaison-other", Role.LIAISON, "市住建局")


@pytest.mark.parametrize("who", PERSONAS)
def test_every_supervision_page_is_scoped(request, client, settings, pages, who):
    settings.QC_TODAY = TODAY
    client.force_login(request.getfixturevalue(who))
    got = {page: client.get(url).status_code for page, url in pages.items()}
    expected = {page: 200 if who in ACCESS[page] else 404 for page in pages}
    assert got == expected


def test_anonymous_users_are_sent_to_log_in(client, pages):
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_missing_objects_answer_404(client, office, campaign):
    client.force_login(office)
    for url in (
        reverse("campaigns:board", args=[999999]),
        reverse("campaigns:timeline", args=[999999]),
        reverse("campaigns:notice_detail", args=[999999]),
        reverse("campaigns:meeting_detail", args=[999999]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_liaison_sees_only_notices_of_their_unit(
    client, settings, pages, campaign, office, other_liaison
):
    settings.QC_TODAY = TODAY
    client.force_login(other_liaison)
    body = html(client.get(pages["notice_list"]))
    assert "督办〔2018〕1号" not in body
    assert "尚无督办单。" in body


@pytest.mark.parametrize(
    ("value", "part", "shown"),
    [
        (None, 0, '<span class="text-secondary">—</span>'),
        (Decimal("0.0"), 0, "0.0%"),
        (Decimal("0.0"), 3, "&lt;0.1%"),  # a few reports of thousands: not shown as nothing
        (Decimal("66.7"), 2, "66.7%"),
        (Decimal("100.0"), 4, "100.0%"),
    ],
)
def test_rates_are_shown_with_one_decimal(value, part, shown):
    from qualitycity.campaigns.templatetags.supervision import rate_pct

    assert rate_pct(value, part) == shown


# --- 亮灯 with meaning: paging, roll-up of cooperating tasks, the rules in words ---------------


def _red_tasks(campaign, n: int) -> list[int]:
    unit = Unit.objects.order_by("position", "code").first()
    made = Task.objects.bulk_create(
        Task(
            campaign=campaign,
            title=f"逾期任务{i}",
            unit=unit,
            role=WorkRole.LEAD,
            start=D(2018, 1, 1),
            due=D(2018, 3, 1) + dt.timedelta(days=i % 40),
            status=TaskStatus.IN_PROGRESS,
        )
        for i in range(n)
    )
    return [t.pk for t in made]


def test_the_flagged_list_pages_through_all_its_rows(client, settings, office, campaign):
    settings.QC_TODAY = TODAY
    pks = _red_tasks(campaign, 120)
    client.force_login(office)
    seen: list[int] = []
    for number, expected in ((1, 50), (2, 50), (3, 20)):
        body = html(client.get(board_url(campaign), {"colour": "red", "page": number}))
        rows = [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', body)]
        assert len(rows) == expected
        seen += rows
        assert "共 120 项" in body
    assert sorted(seen) == sorted(pks)  # every row once, none left out
    last = html(client.get(board_url(campaign), {"colour": "red", "page": 3}))
    assert "page=2" in last and "#flagged" in last  # the pager keeps its place on the page


def test_cooperating_tasks_roll_up_under_their_lead_task_when_only_lead_units_report(
    client, settings, office, campaign, zhijian, zhujian
):
    settings.QC_TODAY = TODAY
    criterion = campaign.framework.dimensions.first().items.first().criteria.first()
    common = dict(start=D(2018, 1, 1), due=D(2018, 3, 31), criterion=criterion)  # overdue
    lead = campaign_services.add_task(campaign, by=office, title="牵头", unit=zhijian, **common)
    coop = campaign_services.add_task(
        campaign, by=office, title="配合", unit=zhujian, role=WorkRole.COOPERATING, **common
    )
    client.force_login(office)

    campaign.reports_from = "all"
    campaign.save()
    body = html(client.get(board_url(campaign), {"colour": "red"}))
    assert f'data-task="{lead.pk}"' in body and f'data-task="{coop.pk}"' in body
    assert re.search(r'data-testid="count-red">2<', body)

    campaign.reports_from = "lead"
    campaign.save()
    body = html(client.get(board_url(campaign), {"colour": "red"}))
    assert f'data-task="{lead.pk}"' in body and f'data-task="{coop.pk}"' not in body
    assert re.search(r'data-testid="count-red">1<', body)
    assert re.search(r'data-testid="rolled-up"[^>]*>配合单位:市住建局<', body)
    assert "1 项配合任务随牵头任务督办" in body


def test_the_board_states_its_colour_rules_in_words(client, settings, office, campaign):
    settings.QC_TODAY = TODAY
    campaign.blue_days, campaign.grace_days, campaign.reports_from = 5, 10, "lead"
    campaign.save()
    client.force_login(office)
    body = html(client.get(board_url(campaign)))
    assert "蓝灯:5 天内到期。" in body
    assert "任务开始 10 天后才判定" in body
    assert "配合单位的任务不单独亮灯" in body
    assert f"/campaigns/{campaign.pk}/edit/" in body  # the office may change them


def test_a_units_figures_on_the_board_link_to_its_filtered_task_list(
    client, settings, office, campaign, small, zhijian
):
    settings.QC_TODAY = TODAY
    client.force_login(office)
    body = html(client.get(board_url(campaign)))
    base = f"/campaigns/{campaign.pk}/tasks/?unit={zhijian.pk}"
    assert f'href="{base}&amp;colour=yellow">2</a>' in body
    assert f'href="{base}&amp;colour=blue">1</a>' in body
    listed = html(client.get(f"{base}&colour=yellow"))
    assert "甲:质量发展规划" in listed and "丁:质量信用档案" in listed
    assert "戊:宣传展板" not in listed


def test_a_long_list_of_cooperating_units_names_three_and_counts_the_rest():
    task = queries.FlaggedTask(1, "任务", "市质监局", D(2018, 5, 1), 0, "red", -3)
    task.cooperating = ["甲", "乙", "丙", "丁", "戊"]
    assert (task.cooperating_shown, task.cooperating_more) == (["甲", "乙", "丙"], 2)
    task.cooperating = ["甲"]
    assert (task.cooperating_shown, task.cooperating_more) == (["甲"], 0)
