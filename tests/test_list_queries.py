"""Every list page runs the same number of queries with more rows behind it.

Table-driven: each page is a URL builder, a persona and the data factories that fill its list.
A test renders the page on a small world (one batch of every factory), adds two more batches
(new units with their own liaisons, tasks, reports in every state, notices, meetings, rounds
with scores and findings, evidence, people, indicator values), renders it again and compares
the counts. Pages whose path depends on the campaign's settings run under each setting that
changes it: who reports (`reports_from` all / lead only) and how often (`report_period` month /
quarter).

The supervision board, the cockpit, the home pages, the administrator's pages and the hot pages
of the province bench (the workspace, the round summary, the gap list, the comparison, the league
and the evidence library) are enforced under every campaign setting (the board once ran one query
per task under reports_from "lead"); tests/test_hot_queries.py adds the save, the API and the
exports on a fully scored round. A row marked `probe` would only report its count (xfail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from qualitycity.assessments import services as assessment_services
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns import supervision
from qualitycity.campaigns.choices import MeetingKind, WorkRole
from qualitycity.campaigns.models import Campaign, Meeting, SupervisionNotice, Task
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs import services as org_services
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region, Unit, User
from tests.factories import (
    CITY,
    TODAY,
    lowest_input,
    make_task,
    named,
    pdf_bytes,
    persona,
)
from tests.helpers import count_queries

SETTINGS = [
    pytest.param({"reports_from": "all", "report_period": "month"}, id="all-month"),
    pytest.param({"reports_from": "lead", "report_period": "month"}, id="lead-month"),
    pytest.param({"reports_from": "all", "report_period": "quarter"}, id="all-quarter"),
    pytest.param({"reports_from": "lead", "report_period": "quarter"}, id="lead-quarter"),
]


@dataclass
class World:
    campaign: Campaign
    office: User
    liaison: User
    assessor: User
    rnd: object  # the open round most pages look at
    qzj: Unit
    batch: int = 0
    units: list[Unit] = field(default_factory=list)  # one new unit per batch
    liaisons: dict[int, User] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    notices: list[SupervisionNotice] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    findings: list[object] = field(default_factory=list)
    evidence: list[object] = field(default_factory=list)
    scored: int = 0

    @property
    def city(self) -> Region:
        return self.campaign.region


# --- data factories: each adds one batch ---------------------------------------------------


def _last_ended(task: Task) -> supervision.Period | None:
    ended = [p for p in supervision.report_periods(task) if p.end < TODAY]
    return ended[-1] if ended else None


def _liaison_of(w: World, unit: Unit) -> User:
    return w.liaison if unit.pk == w.qzj.pk else w.liaisons[unit.pk]


def _report(w: World, task: Task, state: str) -> None:
    """A report on the task's last ended period in `state` (draft, submitted, returned, accepted)."""
    period = _last_ended(task)
    if period is None:  # the task's unit reports through the lead unit
        return
    report = campaign_services.save_report(
        task,
        by=_liaison_of(w, task.unit),
        period_start=period.start,
        text=f"第{w.batch}批进展",
        percent=10,
        submit=state != "draft",
    )
    if state in ("returned", "accepted"):
        campaign_services.review_report(
            report, by=w.office, accept=state == "accepted", comment="请补充材料。"
        )


def tasks(w: World) -> None:
    """A new unit with its liaison; lead and cooperating tasks in it and in 市质监局; reports in
    every state; a split task; a cancelled one."""
    used = {u.pk for u in w.units} | {w.qzj.pk}
    unit = (
        Unit.objects.filter(region=w.city, is_active=True)
        .exclude(pk__in=used)
        .exclude(name="市创质办")
        .order_by("position", "pk")
        .first()
    )
    w.units.append(unit)
    w.liaisons[unit.pk] = persona(f"t-liaison-{w.batch}", Role.LIAISON, unit.name)
    b = w.batch
    new = [
        make_task(w.campaign, w.office, title=f"质监牵头任务{b}"),
        make_task(w.campaign, w.office, title=f"质监配合任务{b}", role=WorkRole.COOPERATING),
        make_task(w.campaign, w.office, unit_name=unit.name, title=f"新单位牵头任务{b}"),
        make_task(w.campaign, w.office, unit_name=unit.name, title=f"新单位退回任务{b}"),
        make_task(
            w.campaign,
            w.office,
            unit_name=unit.name,
            title=f"新单位配合任务{b}",
            role=WorkRole.COOPERATING,
        ),
        make_task(w.campaign, w.office, title=f"质监草稿任务{b}"),
    ]
    _report(w, new[0], "submitted")
    _report(w, new[1], "submitted")
    _report(w, new[2], "accepted")
    _report(w, new[3], "returned")
    _report(w, new[5], "draft")
    campaign_services.update_progress(new[2], by=w.office, progress=60)
    cancelled = make_task(w.campaign, w.office, title=f"取消任务{b}")
    campaign_services.cancel_task(cancelled, by=w.office, reason="合并到其他任务")
    w.tasks.extend(new)


def notices(w: World) -> None:
    """Two notices to 市质监局 (one answered, one closed) and one to the batch's unit."""
    b = w.batch
    due = TODAY + dt.timedelta(days=10)
    for i in range(2):
        task = make_task(w.campaign, w.office, title=f"督办任务{b}-{i}")
        notice = campaign_services.issue_notice(
            w.campaign,
            by=w.office,
            unit=w.qzj,
            tasks=[task],
            content="请加快进度",
            response_due=due,
        )
        notice = campaign_services.respond_notice(notice, by=w.liaison, response="已加快")
        if i:
            campaign_services.close_notice(notice, by=w.office)
        w.notices.append(notice)
    if w.units:
        unit = w.units[-1]
        task = make_task(w.campaign, w.office, unit_name=unit.name, title=f"他单位督办{b}")
        w.notices.append(
            campaign_services.issue_notice(
                w.campaign, by=w.office, unit=unit, tasks=[task], content="请反馈", response_due=due
            )
        )


def meetings(w: World) -> None:
    """A meeting with attendees and decisions that became tasks."""
    b = w.batch
    attendees = [w.qzj, *w.units[-1:]]
    meeting = campaign_services.create_meeting(
        w.campaign,
        by=w.office,
        kind=MeetingKind.COORDINATION,
        title=f"第{b}次碰头会",
        date=TODAY - dt.timedelta(days=b),
        attendees=attendees,
        minutes="会议纪要",
    )
    campaign_services.decisions_to_tasks(
        meeting,
        by=w.office,
        decisions=[(f"会议决定{b}-{u.pk}", u, TODAY + dt.timedelta(days=60)) for u in attendees],
    )
    w.meetings.append(meeting)


def rounds(w: World) -> None:
    """A new round (with the assessor); more scored criteria in the main round; findings in
    every state; the assessor's 合理缺项 claim waiting for the office's decision."""
    b = w.batch
    mock = assessment_services.create_round(
        w.campaign,
        by=w.office,
        kind="mock",
        name=f"第{b}轮模拟",
        start=dt.date(2019, 1, 1),
        end=dt.date(2019, 12, 31),
        assessors=[w.assessor],
    )
    batch = w.criteria[w.scored : w.scored + 6]
    w.scored += 6
    for criterion in batch:
        assessment_services.save_score(
            w.rnd, criterion, by=w.office, value=lowest_input(criterion), expected_version=0
        )
    due = dt.date(2030, 1, 1)
    found = [assessment_services.create_finding(w.rnd, c, by=w.office, due=due) for c in batch[:3]]
    w.findings.extend(found)
    assessment_services.start_rectification(found[1], by=w.office)
    assessment_services.start_rectification(found[2], by=w.office)
    assessment_services.mark_fixed(found[2], by=w.office, note="已整改")
    na = Criterion.objects.filter(framework_id=w.campaign.framework_id, na_allowed=True).first()
    if na is not None:  # in the batch's new round: the framework allows few such claims
        assessment_services.claim_not_applicable(
            mock, na, by=w.assessor, reason="本市无此类企业", expected_version=0
        )


def evidence(w: World) -> None:
    """Evidence of 市质监局 and of the batch's unit, linked to criteria and the main round."""
    b = w.batch
    for i, unit in enumerate([w.qzj, *w.units[-1:]]):
        item = assessment_services.upload_evidence(
            w.campaign,
            named(f"材料{b}-{i}.pdf", pdf_bytes(f"evidence {b} {i}")),
            by=w.office,
            title=f"材料{b}-{i}",
            unit=unit,
            effective_date=TODAY - dt.timedelta(days=b),
            criteria=w.criteria[b : b + 2],
            rounds=[w.rnd],
        )
        w.evidence.append(item)


def people(w: World) -> None:
    """A unit, a group and members of several roles."""
    b = w.batch
    unit = org_services.save_unit(
        None, by=w.office, name=f"测试单位{b}", kind="政府部门", region=w.city, code=f"T{b:03d}"
    )
    org_services.save_group(
        None, by=w.office, name=f"测试组{b}", members=[unit, w.qzj], region=w.city, code=f"G{b}"
    )
    for role, where in ((Role.LIAISON, unit), (Role.LEADER, None), (Role.ASSESSOR, None)):
        org_services.create_member(
            by=w.office,
            region=w.city,
            username=f"member-{role}-{b}",
            full_name=f"成员{b}{role}",
            role=role,
            unit=where,
        )


def observations(w: World) -> None:
    from qualitycity.indicators.models import Indicator
    from qualitycity.indicators.services import save_observation

    for indicator in Indicator.objects.order_by("pk")[:3]:
        for series, region in (("value", w.city), ("national_average", None)):
            save_observation(
                indicator,
                by=w.office if region else None,
                series=series,
                region=region,
                period=str(1990 + w.batch),
                value="90",
            )


EVERYTHING: tuple[Callable[[World], None], ...] = (
    tasks,
    notices,
    meetings,
    rounds,
    evidence,
    people,
    observations,
)


def grow(w: World, factories: tuple[Callable[[World], None], ...]) -> None:
    w.batch += 1
    for factory in factories:
        factory(w)


# --- the pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[World], str]
    persona: str
    settings: bool = False  # its path depends on reports_from / report_period
    probe: str = ""  # owned elsewhere: measured and reported, not enforced
    data: tuple[Callable[[World], None], ...] = EVERYTHING  # what fills its list
    shows: bool = True  # the page is longer with more rows (the data reaches it)


def _c(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[a(w) for a in args])


def period(w: World) -> str:
    """The last ended period on TODAY (2018-09-15), as the 月报 addresses write it."""
    return "2018-08" if w.campaign.report_period == "month" else "2018-04"


campaign_pk = lambda w: w.campaign.pk  # noqa: E731
qzj_pk = lambda w: w.qzj.pk  # noqa: E731
round_pk = lambda w: w.rnd.pk  # noqa: E731

WORK = (tasks, notices)
SCORING = (rounds, evidence)
PEOPLE = (people, tasks)

PAGES = [
    # campaigns
    Page("campaign list", _c("campaigns:list"), "office", data=(rounds,), shows=False),
    Page("campaign list (leader)", _c("campaigns:list"), "leader", data=(rounds,), shows=False),
    Page("campaign detail", _c("campaigns:detail", campaign_pk), "office", data=WORK),
    Page("my tasks (liaison)", _c("campaigns:my_tasks"), "liaison", True, data=(*WORK, rounds)),
    Page("my tasks (office)", _c("campaigns:my_tasks"), "office", data=WORK, shows=False),
    Page("task list", _c("campaigns:task_list", campaign_pk), "office", True, data=WORK),
    Page("task list (liaison)", _c("campaigns:task_list", campaign_pk), "liaison", data=WORK),
    Page("task list (leader)", _c("campaigns:task_list", campaign_pk), "leader", data=WORK),
    Page(
        "task list (cooperating, yellow)",
        lambda w: (
            reverse("campaigns:task_list", args=[w.campaign.pk]) + "?role=cooperating&colour=yellow"
        ),
        "office",
        settings=True,
        data=WORK,
    ),
    Page(
        "task detail (its periods, notices and history)",
        lambda w: reverse("campaigns:task_detail", args=[w.tasks[0].pk]),
        "office",
        settings=True,
        data=(*WORK, evidence),
        shows=False,  # the first task's own rows do not grow
    ),
    Page(
        "monthly overview",
        lambda w: (
            reverse("campaigns:monthly_overview", args=[w.campaign.pk]) + f"?period={period(w)}"
        ),
        "office",
        settings=True,
        data=(tasks,),
    ),
    Page(
        "monthly index",
        _c("campaigns:monthly_index", campaign_pk, qzj_pk),
        "liaison",
        settings=True,
        data=(tasks,),
    ),
    Page(
        "monthly page (liaison)",
        lambda w: reverse("campaigns:monthly", args=[w.campaign.pk, w.qzj.pk, period(w)]),
        "liaison",
        settings=True,
        data=(tasks, evidence),
    ),
    Page(
        "monthly page (office)",
        lambda w: reverse("campaigns:monthly", args=[w.campaign.pk, w.qzj.pk, period(w)]),
        "office",
        settings=True,
        data=(tasks, evidence),
    ),
    Page("notifications (office)", _c("campaigns:notifications"), "office", data=WORK),
    Page("notifications (liaison)", _c("campaigns:notifications"), "liaison", data=WORK),
    Page("notice list", _c("campaigns:notice_list", campaign_pk), "office", data=WORK),
    Page("notice list (liaison)", _c("campaigns:notice_list", campaign_pk), "liaison", data=WORK),
    Page(
        "notice detail",
        lambda w: reverse("campaigns:notice_detail", args=[w.notices[0].pk]),
        "office",
        data=WORK,
        shows=False,
    ),
    Page("meeting list", _c("campaigns:meeting_list", campaign_pk), "office", data=(meetings,)),
    Page(
        "meeting detail (its decisions)",
        lambda w: reverse("campaigns:meeting_detail", args=[w.meetings[0].pk]),
        "office",
        data=(meetings,),
        shows=False,
    ),
    Page("measure list", _c("campaigns:measure_list", campaign_pk), "office", True, data=WORK),
    Page(
        "measure detail",
        lambda w: reverse("campaigns:measure_detail", args=[w.campaign.pk, 1]),
        "office",
        data=WORK,
        shows=False,  # the factories' tasks are not linked to a measure
    ),
    Page(
        "measures (edit)",
        _c("campaigns:measures_edit", campaign_pk),
        "office",
        data=WORK,
        shows=False,
    ),
    Page(
        "responsibilities",
        _c("campaigns:responsibilities", campaign_pk),
        "office",
        settings=True,
        data=WORK,
        shows=False,  # the table lists criteria; added tasks have none
    ),
    Page("timeline", _c("campaigns:timeline", campaign_pk), "office", True, data=WORK),
    Page("phases", _c("campaigns:phases_edit", campaign_pk), "office", data=WORK, shows=False),
    Page("robots", _c("campaigns:robots", campaign_pk), "office", data=WORK, shows=False),
    # queues
    *[
        Page(
            f"queue {key} ({who})",
            (lambda k: lambda w: reverse("queue", args=[k]))(key),
            who,
            settings=True,
            data=(*WORK, rounds),
        )
        for key, who in (
            ("review", "office"),
            ("answer", "liaison"),
            ("answer", "office"),
            ("rectify", "office"),
            ("rectify", "liaison"),
            ("verify", "office"),
            ("close", "office"),
        )
    ],
    Page("queue to score", _c("assessments:queue_to_score"), "assessor", data=SCORING),
    Page("queue to decide", _c("assessments:queue_to_decide"), "office", data=SCORING),
    # assessments
    Page("round list", _c("assessments:round_list"), "office", data=SCORING),
    Page("round list (assessor)", _c("assessments:round_list"), "assessor", data=SCORING),
    # one row per dimension / per criterion whatever is scored: longer lists do not show here
    Page(
        "round summary",
        _c("assessments:round_summary", round_pk),
        "office",
        True,
        data=SCORING,
        shows=False,
    ),
    Page("gap list", _c("assessments:gaps", round_pk), "office", True, data=SCORING, shows=False),
    Page(
        "compare",
        lambda w: reverse("assessments:compare") + f"?a={w.rnd.pk}&b={w.rnd.pk + 1}",
        "office",
        True,
        data=SCORING,
    ),
    Page(
        "round assessors",
        _c("assessments:round_assessors", round_pk),
        "office",
        data=(people, rounds),
    ),
    Page(
        "auto score",
        _c("assessments:auto_score", round_pk),
        "office",
        data=(observations, rounds),
        shows=False,
    ),
    Page("finding list", _c("assessments:finding_list"), "office", data=(rounds,)),
    Page("finding list (liaison)", _c("assessments:finding_list"), "liaison", data=(rounds,)),
    Page(
        "finding detail (its history)",
        lambda w: reverse("assessments:finding_detail", args=[w.findings[2].pk]),
        "office",
        data=(rounds,),
        shows=False,
    ),
    Page(
        "evidence detail (its links)",
        lambda w: reverse("assessments:evidence_detail", args=[w.evidence[0].pk]),
        "office",
        data=(evidence, rounds),
        shows=False,
    ),
    Page(
        "evidence library",
        _c("assessments:evidence_list"),
        "office",
        True,
        data=(tasks, evidence),
    ),
    Page(
        "evidence library (liaison)",
        _c("assessments:evidence_list"),
        "liaison",
        data=(tasks, evidence),
    ),
    # indicators, frameworks, people
    Page("indicator board", _c("indicators:board"), "office", data=(observations,), shows=False),
    Page(
        "indicator detail",
        lambda w: reverse("indicators:detail", args=[_first_indicator()]),
        "office",
        data=(observations,),
    ),
    Page("framework list", _c("frameworks:list"), "office", data=(rounds,), shows=False),
    Page("units", _c("orgs:units"), "office", data=PEOPLE),
    Page("unit groups", _c("orgs:groups"), "office", data=PEOPLE),
    Page("users", _c("orgs:users"), "office", data=PEOPLE),
    Page(
        "user detail (memberships)",
        lambda w: reverse("orgs:user_detail", args=[w.liaison.pk]),
        "office",
        data=PEOPLE,
        shows=False,
    ),
    # the board, the cockpit and the home pages (fixed queries under every setting)
    Page("board", _c("campaigns:board", campaign_pk), "office", True, data=WORK),
    Page("board (leader)", _c("campaigns:board", campaign_pk), "leader", True, data=WORK),
    Page(
        "cockpit",
        _c("reports:cockpit", campaign_pk),
        "leader",
        True,
        data=(*WORK, rounds),
        shows=False,
    ),
    Page("league", _c("reports:league"), "office", True, data=(rounds,), shows=False),
    Page("home (office)", _c("home"), "office", True, data=(*WORK, rounds), shows=False),
    Page("home (liaison)", _c("home"), "liaison", True, data=(*WORK, rounds), shows=False),
    Page("system", _c("system"), "admin_user", data=PEOPLE, shows=False),
    Page("audit search", _c("system_audit"), "admin_user", data=EVERYTHING),
    Page("deliveries", _c("system_deliveries"), "admin_user", data=WORK, shows=False),
    Page("workspace", _c("assessments:workspace", round_pk), "assessor", True, data=SCORING),
    Page(
        "workspace (all rows)",
        lambda w: reverse("assessments:workspace", args=[w.rnd.pk]) + "?dim=all",
        "assessor",
        True,
        data=SCORING,
    ),
]


def _first_indicator() -> int:
    from qualitycity.indicators.models import Indicator

    return Indicator.objects.order_by("pk").values_list("pk", flat=True)[0]


def _cases():
    for page in PAGES:
        marks = [pytest.mark.xfail(reason=page.probe, strict=False)] if page.probe else []
        for setting in SETTINGS if page.settings else SETTINGS[:1]:
            yield pytest.param(page, setting.values[0], id=f"{page.name}-{setting.id}", marks=marks)


@pytest.fixture
def world(settings, media, campaign, office, liaison, assessor, open_round):
    settings.QC_TODAY = TODAY
    campaign_services.load_measures(campaign, by=office)
    return World(
        campaign=campaign,
        office=office,
        liaison=liaison,
        assessor=assessor,
        rnd=open_round,
        qzj=Unit.objects.get(name="市质监局", region__code=CITY),
        criteria=list(
            Criterion.objects.filter(framework_id=campaign.framework_id)
            .exclude(na_allowed=True)
            .order_by("position")
        ),
    )


@pytest.mark.parametrize(("page", "setting"), list(_cases()))
def test_a_list_page_runs_the_same_queries_with_more_rows(request, client, world, page, setting):
    Campaign.objects.filter(pk=world.campaign.pk).update(**setting)
    world.campaign.refresh_from_db()
    grow(world, page.data)
    client.force_login(request.getfixturevalue(page.persona))
    url = page.url(world)
    sizes: list[int] = []

    def render() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        sizes.append(len(response.content))

    render()  # warm the per-process caches (content types, the session)
    few = count_queries(render)
    grow(world, page.data)
    grow(world, page.data)
    many = count_queries(render)
    print(f"{page.name} {setting}: {few} → {many} queries, {sizes[1]} → {sizes[2]} bytes")
    assert many == few, f"{page.name} ({url}) {setting}: {few} queries, then {many}"
    if page.shows:
        assert sizes[2] > sizes[1], f"{page.name}: the new rows do not reach the page"


# Every other URL name, and why it needs no row: forms, actions, files, and pages that show one
# object without a list that grows. A new list page fails the test below until it has a row.
NOT_LISTS = {
    "forms": {
        "assessments:evidence_upload",
        "assessments:finding_create",
        "assessments:round_create",
        "campaigns:create",
        "campaigns:edit",
        "campaigns:measure_create",
        "campaigns:measure_edit",
        "campaigns:measures_import",
        "campaigns:meeting_create",
        "campaigns:notice_create",
        "campaigns:notification_preferences",
        "campaigns:phase_edit",
        "campaigns:report_edit",
        "campaigns:task_create",
        "indicators:import",
        "frameworks:import",
        "orgs:group_edit",
        "orgs:load",
        "orgs:people_import",
        "orgs:unit_edit",
        "orgs:user_create",
        "login",
        "password_change",
        "api_tokens",  # a person's own tokens: counted in tests/web/test_api_tokens.py
        "password_reset_confirm",
        "password_reset_complete",
    },
    "actions (POST, or a redirect)": {
        "assessments:finding_action",
        "assessments:round_transition",
        "assessments:score_na",
        "assessments:score_save",
        "campaigns:measure_remove",
        "campaigns:measures_import_confirm",
        "campaigns:meeting_decisions",
        "campaigns:monthly_review",
        "campaigns:monthly_upload",
        "campaigns:notice_action",
        "campaigns:open_notification",
        "campaigns:phase_remove",
        "campaigns:report_review",
        "campaigns:report_upload",
        "campaigns:task_action",
        "campaigns:task_generate",
        "indicators:import_confirm",
        "indicators:observation_delete",
        "frameworks:import_confirm",
        "orgs:load_confirm",
        "orgs:people_import_confirm",
        "orgs:user_action",
        "logout",
        "set_language",
    },
    "files": {
        "assessments:evidence_download",
        "indicators:import_template",
        "frameworks:export",
        "orgs:export",
        "orgs:load_template",
        "orgs:people_import_template",
        "reports:export",  # a download, or for a background kind one button and its 10 last jobs
        "reports:export_job_download",
    },
    "one export job, its owner's (tests/reports/test_exports.py)": {
        "reports:export_job",
        "reports:export_job_status",
    },
    "one object, tested in its own file": {
        "frameworks:detail",  # tests/web/test_pages.py: the framework's rows do not grow here
    },
}


def _url_names() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, prefix: str = ""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":  # tests/test_admin.py counts the changelists
                    continue
                if p.namespace == "api":  # tests/api/test_api_queries.py counts the API's lists
                    continue
                yield from walk(p, prefix + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + p.name

    return set(walk(get_resolver()))


@pytest.mark.django_db
def test_every_url_is_in_the_table_or_said_not_to_list(orgs):
    from django.urls import resolve

    class Fake:
        campaign = type("C", (), {"pk": 1, "report_period": "month"})()
        qzj = liaison = rnd = type("O", (), {"pk": 1})()
        tasks = meetings = notices = findings = evidence = [qzj] * 3

    listed = set()
    for page in PAGES:
        match = resolve(page.url(Fake()).split("?")[0])
        listed.add(match.view_name)
    excused = set().union(*NOT_LISTS.values())
    assert sorted(_url_names() - listed - excused) == []
    assert sorted(listed & excused) == []
