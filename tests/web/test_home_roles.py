"""The home page by role: each persona sees its sections and not the others', every figure links
to the filtered list behind it and equals it, empty sections say what to do next; the
administrator's system page and audit log search (404 for everyone else); the audit diff; query
counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qualitycity.assessments import assessor_queues
from qualitycity.assessments import services as assess
from qualitycity.audit.models import AuditEvent
from qualitycity.audit.services import record
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import DeliveryChannel, DeliveryStatus
from qualitycity.campaigns.models import Delivery
from qualitycity.campaigns.tasks import reminder_task_path
from qualitycity.orgs.choices import Role
from tests.factories import TODAY, criteria_of, html, make_task, persona, score_criteria, unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2018, 8, 1)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


def sections_on(body: str) -> list[str]:
    return re.findall(r'<section class="mb-3" data-section="([\w-]+)">', body)


def figures_on(body: str) -> dict[str, tuple[str, int]]:
    """data-figure → (href, count) of every figure card."""
    return {
        key: (href.replace("&amp;", "&"), int(count))
        for href, key, count in re.findall(
            r'href="([^"]+)" data-figure="([\w-]+)" data-count="(\d+)"', body
        )
    }


def section(body: str, key: str) -> str:
    return body.split(f'data-section="{key}">', 1)[1].split("</section>", 1)[0]


def count_of(body: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}">(\d+)<', body).group(1))


class LiaisonWork:
    """Tasks of 市质监局 in every state the home page counts: overdue, due soon, a report due,
    a report returned, a notice to answer."""

    def __init__(self, campaign, office, liaison):
        self.campaign, self.office, self.liaison = campaign, office, liaison
        self.n = 0

    def add(self, unit_name: str = "市质监局", liaison=None) -> None:
        liaison = liaison or self.liaison
        self.n += 1
        make_task(
            self.campaign,
            self.office,
            unit_name=unit_name,
            title=f"逾期{self.n}",
            start=dt.date(2018, 1, 1),
            due=dt.date(2018, 9, 1),
        )
        make_task(
            self.campaign,
            self.office,
            unit_name=unit_name,
            title=f"将到期{self.n}",
            start=TODAY,
            due=TODAY + dt.timedelta(days=2),
        )
        returned = make_task(self.campaign, self.office, unit_name=unit_name, title=f"退回{self.n}")
        report = campaign_services.save_report(
            returned, by=liaison, period_start=AUGUST, text="进展。", percent=10, submit=True
        )
        campaign_services.review_report(report, by=self.office, accept=False, comment="请补充。")
        campaign_services.issue_notice(
            self.campaign,
            by=self.office,
            unit=unit(unit_name),
            tasks=[returned],
            content="督办。",
            response_due=dt.date(2018, 9, 25),
            today=TODAY,
        )


@pytest.fixture
def liaison_work(campaign, office, liaison):
    work = LiaisonWork(campaign, office, liaison)
    work.add()
    return work


# --- which sections each persona gets ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", ["cockpit", "queues", "about"]),
        ("admin_user", ["queues", "system", "about"]),
        ("liaison", ["liaison", "queues", "about"]),
        ("assessor", ["queues", "assessor", "about"]),
        ("leader", ["cockpit", "about"]),
        ("outsider", ["about"]),
    ],
)
def test_each_persona_sees_its_sections_and_not_the_others(
    request, client, campaign, who, expected
):
    client.force_login(request.getfixturevalue(who))
    body = html(client.get("/"))
    assert sections_on(body) == expected
    assert ('data-testid="liaison-figures"' in body or 'data-testid="liaison-empty"' in body) == (
        "liaison" in expected
    )
    assert ('data-testid="assigned-rounds"' in body or 'data-testid="assessor-empty"' in body) == (
        "assessor" in expected
    )
    assert ('data-testid="system-link"' in body) == ("system" in expected)


@pytest.mark.parametrize(
    "who", ["office", "admin_user", "liaison", "assessor", "leader", "outsider"]
)
def test_every_figure_and_card_on_the_home_page_is_a_link_that_opens(
    request, client, liaison_work, open_round, who
):
    client.force_login(request.getfixturevalue(who))
    body = html(client.get("/"))
    links = [href for href, _count in figures_on(body).values()]
    links += re.findall(r'href="([^"]+)" data-queue=', body)
    assert len(links) >= 2
    for href in links:
        assert client.get(href.split("#")[0], follow=True).status_code == 200, href


def test_the_unit_and_group_counts_link_to_their_lists(client, liaison, campaign):
    client.force_login(liaison)
    figures = figures_on(section(html(client.get("/")), "about"))
    assert figures["units"][0] == "/orgs/units/" and figures["groups"][0] == "/orgs/groups/"


def test_no_work_waiting_is_said_in_words(client, office, campaign):
    client.force_login(office)
    body = html(client.get("/"))
    assert 'data-testid="queues-clear"' in section(body, "queues")


def test_the_home_view_is_still_importable_from_views():
    from qualitycity.web import home, views

    assert views.home is home.home


# --- the liaison ------------------------------------------------------------------------------


def test_the_liaisons_figures_equal_its_my_tasks_page(client, liaison, liaison_work):
    client.force_login(liaison)
    figures = figures_on(section(html(client.get("/")), "liaison"))
    assert set(figures) == {"red", "yellow", "blue", "due", "returned"}
    mine = html(client.get("/campaigns/my/"))
    for key in ("red", "yellow", "blue", "due", "returned"):
        assert figures[key][1] == count_of(mine, f"count-{key}"), key
    assert figures["red"][1] == 1 and figures["returned"][1] == 1
    assert figures["blue"][1] >= 1 and figures["due"][1] >= 1


def test_each_liaison_figure_links_to_its_filtered_list(client, liaison, liaison_work):
    client.force_login(liaison)
    figures = figures_on(section(html(client.get("/")), "liaison"))
    for colour in ("red", "yellow", "blue"):
        href, count = figures[colour]
        assert href == f"/campaigns/my/?colour={colour}#tasks"
        body = html(client.get(href.split("#")[0]))
        listed = re.findall(r'<tr data-task="\d+" data-colour="(\w+)"', body) or re.findall(
            r'data-colour="(\w+)"', body.split('data-testid="tasks"', 1)[1]
        )
        assert listed.count(colour) == count and set(listed) <= {colour}, colour
    href, count = figures["due"]
    assert href == "/campaigns/my/?due=all#due"
    due_table = html(client.get(href.split("#")[0])).split('data-testid="due"', 1)[1]
    assert due_table.split("</table>", 1)[0].count('data-testid="due-monthly"') == count
    href, count = figures["returned"]
    returned = html(client.get(href.split("#")[0])).split('data-testid="returned"', 1)[1]
    assert returned.split("</table>", 1)[0].count("<tr data-report=") == count == 1


def test_the_liaisons_queue_cards_count_its_own_unit(
    client, liaison, zhujian_liaison, liaison_work
):
    liaison_work.add("市住建局", zhujian_liaison)
    client.force_login(liaison)
    body = html(client.get("/"))
    cards = dict(re.findall(r'data-queue="([\w-]+)" data-count="(\d+)"', body))
    assert cards == {"answer": "1", "rectify": "0"}
    assert "市质监局" in body.split('data-section="liaison"')[1].split("</section>")[0]
    answer = html(client.get("/queues/answer/"))
    assert len(re.findall(r'<tr data-row="(\d+)"', answer)) == 1


def test_a_liaison_without_tasks_is_told_what_comes_next(client, liaison, campaign):
    client.force_login(liaison)
    body = html(client.get("/"))
    assert 'data-testid="liaison-empty"' in body
    assert "创质办分派任务后" in body


def test_a_liaison_with_nothing_due_is_told_so(client, liaison, campaign, office):
    make_task(campaign, office, start=dt.date(2019, 1, 1), due=dt.date(2019, 6, 30))
    client.force_login(liaison)
    body = html(client.get("/"))
    assert 'data-testid="liaison-clear"' in body
    assert all(count == 0 for _href, count in figures_on(section(body, "liaison")).values())


# --- the assessor -----------------------------------------------------------------------------


def test_the_assessor_sees_its_rounds_with_what_is_left_to_score(
    client, assessor, office, open_round
):
    client.force_login(assessor)
    left = assessor_queues.to_score_count(assessor)
    body = html(client.get("/"))
    assert f'data-round="{open_round.pk}" data-left="{left}"' in body
    assert f"/rounds/{open_round.pk}/score/" in body
    link = f"/assessments/queues/to-score/?round={open_round.pk}"
    assert link in body
    queue = html(client.get(link))
    assert queue.count(f'href="/rounds/{open_round.pk}/score/?dim=') == left

    score_criteria(open_round, criteria_of(open_round)[:3], by=assessor)
    body = html(client.get("/"))
    assert f'data-round="{open_round.pk}" data-left="{left - 3}"' in body


def test_the_to_score_queue_filtered_to_a_round(client, assessor, open_round, campaign, office):
    other = assess.create_round(
        campaign,
        by=office,
        kind="mock",
        name="模拟",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 4, 30),
        assessors=[assessor],
    )
    client.force_login(assessor)
    everything = html(client.get("/assessments/queues/to-score/"))
    one = html(client.get(f"/assessments/queues/to-score/?round={other.pk}"))
    assert f"/rounds/{open_round.pk}/score/" in everything and f"/rounds/{other.pk}/score/" in one
    assert f"/rounds/{open_round.pk}/score/" not in one
    assert 'data-testid="all-rounds"' in one
    bad = client.get("/assessments/queues/to-score/?round=abc")
    assert bad.status_code == 400 and "考核轮次编号无效" in html(bad)


def test_a_round_not_open_links_to_its_summary(client, assessor, office, open_round):
    assess.submit_round(open_round, by=office)
    client.force_login(assessor)
    body = html(client.get("/"))
    assert f'data-round="{open_round.pk}" data-left="-"' in body
    assert f"/rounds/{open_round.pk}/" in body and 'data-testid="summary-link"' in body


def test_an_assessor_sees_only_the_rounds_assigned_to_it(client, open_round):
    other = persona("t-assessor-2", Role.ASSESSOR)
    client.force_login(other)
    body = html(client.get("/"))
    assert 'data-testid="assessor-empty"' in body and "评审专家" in body
    assert f'data-round="{open_round.pk}"' not in body


# --- the administrator's system page ----------------------------------------------------------


def _delivery(status: str, error: str = "", attempts: int = 0, user=None) -> Delivery:
    return Delivery.objects.create(
        channel=DeliveryChannel.EMAIL,
        event="report.returned",
        user=user,
        address="a@example.org",
        subject="填报被退回",
        body="…",
        status=status,
        attempts=attempts,
        last_error=error,
    )


SYSTEM_PAGES = ["/system/", "/system/audit/", "/system/deliveries/?status=failed"]


@pytest.mark.parametrize(
    "who", ["office", "liaison", "assessor", "leader", "province_office", "outsider"]
)
def test_the_system_pages_are_a_404_for_everyone_but_administrators(request, client, who):
    client.force_login(request.getfixturevalue(who))
    for url in SYSTEM_PAGES:
        assert client.get(url).status_code == 404, url


def test_the_system_pages_ask_anonymous_users_to_log_in(client, orgs):
    for url in SYSTEM_PAGES:
        assert client.get(url).status_code == 302, url


def test_the_system_page_counts_and_links(client, admin_user):
    from qualitycity.frameworks.models import Framework
    from qualitycity.orgs.models import Unit, User

    client.force_login(admin_user)
    body = html(client.get("/system/"))
    figures = figures_on(body)
    assert figures["users"] == ("/orgs/users/", User.objects.count())
    assert figures["units"] == ("/orgs/units/", Unit.objects.count())
    assert figures["frameworks"] == ("/frameworks/", Framework.objects.count())
    for href, _count in figures.values():
        assert client.get(href).status_code == 200, href


def test_the_system_page_shows_failed_and_waiting_messages(client, admin_user, liaison):
    _delivery(
        DeliveryStatus.FAILED, "SMTPRecipientsRefused: a@example.org", attempts=5, user=liaison
    )
    _delivery(DeliveryStatus.PENDING, "timed out", attempts=1, user=liaison)
    _delivery(DeliveryStatus.SENT, user=liaison)
    client.force_login(admin_user)
    body = html(client.get("/system/"))
    failed = body.split('data-testid="failed-deliveries"')[1].split("</table>")[0]
    assert "SMTPRecipientsRefused: a@example.org" in failed and "<td>5</td>" in failed
    assert "进展报告被退回" in failed  # the event's name, not its key
    pending = body.split('data-testid="pending-deliveries"')[1].split("</table>")[0]
    assert "timed out" in pending
    home = figures_on(html(client.get("/")))
    assert home["failed"] == ("/system/deliveries/?status=failed", 1)
    assert home["pending"] == ("/system/deliveries/?status=pending", 1)
    listed = html(client.get("/system/deliveries/?status=failed"))
    assert listed.count("<tr data-delivery=") == 1 and "SMTPRecipientsRefused" in listed
    assert client.get("/system/deliveries/?status=nothing").status_code == 400


def test_the_system_page_says_when_no_reminder_run_is_booked_and_shows_failed_runs(
    client, admin_user
):
    client.force_login(admin_user)
    body = html(client.get("/system/"))
    assert "未排期" in body and 'data-testid="no-job-failures"' in body
    now = timezone.now()
    common = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": reminder_task_path(),
        "backend_name": "default",
    }
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        run_after=now - dt.timedelta(days=1),
        finished_at=now - dt.timedelta(hours=20),
        exception_class_path="builtins.RuntimeError",
        traceback="Traceback (most recent call last):\n  File …\nRuntimeError: SMTP down\n",
        **common,
    )
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        run_after=now + dt.timedelta(hours=3),
        exception_class_path="",
        traceback="",
        **common,
    )
    body = html(client.get("/system/"))
    assert "未排期" not in body
    assert "RuntimeError: SMTP down" in body.split('data-testid="last-reminders"')[1]
    assert "RuntimeError: SMTP down" in body.split('data-testid="job-failures"')[1]
    assert figures_on(html(client.get("/")))["job-failures"][1] == 1


# --- the audit log search ---------------------------------------------------------------------


def _event(actor, action, object_type, object_id, repr_, before=None, after=None, at=None):
    with transaction.atomic():
        event = record(
            actor,
            action,
            object_type=object_type,
            object_id=object_id,
            object_repr=repr_,
            before=before,
            after=after,
        )
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    return event


@pytest.fixture
def audit_log(office, liaison, orgs):
    AuditEvent.objects.all().delete()
    tz = timezone.get_current_timezone()
    return {
        "report": _event(
            liaison,
            "report.submitted",
            "campaigns.progressreport",
            7,
            "2018年8月 · 联席会议",
            before={"status": "draft", "percent": 10},
            after={"status": "submitted", "percent": 60, "submitted_at": "2018-08-03"},
            at=dt.datetime(2018, 8, 3, 10, tzinfo=tz),
        ),
        "task": _event(
            office,
            "task.created",
            "campaigns.task",
            12,
            "建立质量工作联席会议制度",
            after={"title": "建立质量工作联席会议制度"},
            at=dt.datetime(2018, 9, 1, 9, tzinfo=tz),
        ),
        "round": _event(
            office,
            "round.submitted",
            "assessments.round",
            3,
            "2019年自评",
            before="open",
            after="submitted",
            at=dt.datetime(2019, 3, 2, 23, 30, tzinfo=tz),
        ),
    }


def listed(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<div class="list-group-item" data-event="(\d+)"', body)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["round", "task", "report"]),
        ("?user=t-liaison", ["report"]),
        ("?object_type=campaigns.task", ["task"]),
        ("?object_type=campaigns.progressreport&object_id=7", ["report"]),
        ("?object_id=12", ["task"]),
        ("?object=自评", ["round"]),
        ("?action=submitted", ["round", "report"]),
        ("?since=2018-09-01", ["round", "task"]),
        ("?until=2018-09-01", ["task", "report"]),
        ("?since=2018-08-04&until=2019-03-01", ["task"]),
        ("?since=2019-03-02&until=2019-03-02", ["round"]),  # 23:30 local time is that day
        ("?user=t-office&action=task", ["task"]),
        ("?action=提交", ["round", "report"]),  # by the action's name, as the page shows it
    ],
)
def test_the_audit_search_filters(client, admin_user, audit_log, query, expected):
    client.force_login(admin_user)
    response = client.get("/system/audit/" + query)
    assert response.status_code == 200
    assert listed(html(response)) == [audit_log[k].pk for k in expected]


def test_the_audit_search_keeps_its_dates_in_the_date_inputs(client, admin_user, audit_log):
    client.force_login(admin_user)
    body = html(client.get("/system/audit/?since=2018-09-01&until=2019-03-02"))
    assert 'type="date" name="since" value="2018-09-01"' in body
    assert 'type="date" name="until" value="2019-03-02"' in body


def test_the_audit_search_names_object_types(client, admin_user, audit_log):
    client.force_login(admin_user)
    body = html(client.get("/system/audit/"))
    assert '<option value="campaigns.task">工作任务</option>' in body
    for label in ("操作人", "对象类型", "对象编号", "对象名称", "操作", "起始日期", "截止日期"):
        assert f">{label}</label>" in body, label


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?since=2018-13-45", "有效的日期"),
        ("?since=2019-01-01&until=2018-01-01", "截止日期不能早于起始日期"),
        ("?until=0001-01-01", "日期超出范围"),
        ("?object_type=nothing.here", "选择一个有效的选项"),
        ("?user=" + "x" * 101, "100"),
    ],
)
def test_bad_audit_searches_are_400_with_the_reason(client, admin_user, audit_log, query, message):
    client.force_login(admin_user)
    response = client.get("/system/audit/" + query)
    assert response.status_code == 400
    body = html(response)
    assert message in body and listed(body) == []


def test_each_event_shows_its_before_and_after_as_a_diff(client, admin_user, audit_log):
    client.force_login(admin_user)
    body = html(client.get(f"/system/audit/?object_id={audit_log['report'].object_id}"))
    table = body.split('data-testid="diff"')[1].split("</table>")[0]
    rows = re.findall(r'<tr data-kind="(\w+)">\s*<th[^>]*>([^<]+)</th>', table)
    # the fields by their names, in the order of their codes (percent, status, submitted_at)
    assert rows == [("changed", "完成(%)"), ("changed", "状态"), ("added", "首次提交时间")]
    assert 'title="status"' in table  # the code is still there, on hover
    assert '<del class="text-secondary">草稿</del> → <span>已提交</span>' in table
    assert "2018-08-03" in table
    whole = html(client.get("/system/audit/?object=自评"))
    assert "open</del> → <span>submitted</span>" in whole and ">值</th>" in whole


def test_an_events_user_and_object_link_to_their_history(client, admin_user, audit_log):
    client.force_login(admin_user)
    body = html(client.get("/system/audit/"))
    report = audit_log["report"]
    link = f"?object_type=campaigns.progressreport&amp;object_id={report.object_id}"
    assert link in body and "?user=t-liaison" in body
    history = html(client.get("/system/audit/" + link.replace("&amp;", "&")))
    assert listed(history) == [report.pk]
    assert listed(html(client.get("/system/audit/?user=t-office"))) == [
        audit_log["round"].pk,
        audit_log["task"].pk,
    ]


def test_the_audit_search_is_paged(client, admin_user, audit_log, monkeypatch):
    monkeypatch.setattr("qualitycity.web.system.AUDIT_PER_PAGE", 2)
    client.force_login(admin_user)
    first = html(client.get("/system/audit/"))
    second = html(client.get("/system/audit/?page=2"))
    assert len(listed(first)) == 2 and len(listed(second)) == 1
    assert 'data-testid="pagination"' in first


def test_an_empty_audit_search_says_what_to_try(client, admin_user, audit_log):
    client.force_login(admin_user)
    body = html(client.get("/system/audit/?object_id=99999"))
    assert 'data-testid="audit-empty"' in body and "放宽条件" in body


# --- query counts -----------------------------------------------------------------------------


def _home_queries(client) -> int:
    def fetch():
        assert client.get("/").status_code == 200

    fetch()
    return count_queries(fetch)


def test_the_liaisons_home_queries_do_not_grow(client, liaison, liaison_work):
    client.force_login(liaison)
    few = _home_queries(client)
    liaison_work.add()
    liaison_work.add()
    assert _home_queries(client) == few


def test_the_assessors_home_queries_do_not_grow(client, assessor, office, campaign, open_round):
    client.force_login(assessor)
    few = _home_queries(client)
    for i in range(3):
        assess.create_round(
            campaign,
            by=office,
            kind="mock",
            name=f"模拟{i}",
            start=dt.date(2019, 3, 1),
            end=dt.date(2019, 4, 30),
            assessors=[assessor],
        )
    score_criteria(open_round, criteria_of(open_round)[:4], by=assessor)
    assert _home_queries(client) == few


def test_the_administrators_home_and_system_page_queries_do_not_grow(client, admin_user, liaison):
    client.force_login(admin_user)
    _delivery(DeliveryStatus.FAILED, "x", user=liaison)
    few = _home_queries(client)

    def system():
        assert client.get("/system/").status_code == 200

    system()
    few_system = count_queries(system)
    for _ in range(5):
        _delivery(DeliveryStatus.FAILED, "x", user=persona(f"t-d{_}", Role.LIAISON, "市住建局"))
        _delivery(DeliveryStatus.PENDING, "", user=liaison)
    assert _home_queries(client) == few
    assert count_queries(system) == few_system


@pytest.mark.parametrize("who", ["office", "leader"])
def test_the_other_homes_queries_do_not_grow(request, client, liaison_work, who):
    client.force_login(request.getfixturevalue(who))
    few = _home_queries(client)
    liaison_work.add()
    assert _home_queries(client) == few


def test_the_audit_search_queries_do_not_grow(client, admin_user, office, audit_log):
    client.force_login(admin_user)

    def search():
        assert client.get("/system/audit/?action=task").status_code == 200

    search()
    few = count_queries(search)
    for i in range(20):
        _event(office, "task.changed", "campaigns.task", i, f"任务{i}", {"a": i}, {"a": i + 1})
    search()
    assert count_queries(search) == few
