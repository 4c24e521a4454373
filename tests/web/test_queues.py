"""Work queue pages and the home page's queue cards: which cards each persona gets, each count
equal to its page's rows, access, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from qualitycity.assessments import services as assess
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.models import ProgressReport
from qualitycity.web.queues import BY_KEY, QUEUES, cards_for
from tests.factories import criteria_of, html, make_task, score_criteria, unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

TODAY = dt.date(2018, 9, 15)
AUGUST = dt.date(2018, 8, 1)
OFFICE_QUEUES = ["review", "answer", "rectify", "verify", "close"]
LIAISON_QUEUES = ["answer", "rectify"]
# The assessor queues have their own pages (assessments, tests/assessments/test_assessor_queues.py).
ASSESSOR_QUEUES = ["score", "decide"]
OWN_PAGES = {"score": "/assessments/queues/to-score/", "decide": "/assessments/queues/to-decide/"}


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


def queue_url(key: str) -> str:
    return reverse("queue", args=[key])


def rows_on(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-row="(\d+)"', body)]


def cards_on(body: str) -> dict[str, int]:
    return {
        key: int(count)
        for key, count in re.findall(r'data-queue="([\w-]+)" data-count="(\d+)"', body)
    }


class Work:
    """Builds queue items in the city campaign: n of each kind, for 市质监局 or 市住建局."""

    def __init__(self, campaign, office, liaison, zhujian_liaison, rnd):
        self.campaign, self.office, self.rnd = campaign, office, rnd
        self.liaisons = {"市质监局": liaison, "市住建局": zhujian_liaison}
        self.criteria = {
            name: [
                c
                for c in criteria_of(rnd)
                if (lead := assess.lead_unit_of(campaign, c)) and lead.name == name
            ]
            for name in self.liaisons
        }
        self.used = 0

    def add(self, n: int = 1, unit_name: str = "市质监局") -> None:
        liaison = self.liaisons[unit_name]
        for _ in range(n):
            self.used += 1
            task = make_task(
                self.campaign,
                self.office,
                unit_name=unit_name,
                title=f"任务{self.used}",
                start=dt.date(2018, 1, 1),
                due=dt.date(2018, 8, 31),
            )
            campaign_services.save_report(
                task, by=liaison, period_start=AUGUST, text="进展。", percent=10, submit=True
            )
            for answered in (False, True):
                notice = campaign_services.issue_notice(
                    self.campaign,
                    by=self.office,
                    unit=unit(unit_name),
                    tasks=[task],
                    content="督办。",
                    response_due=dt.date(2018, 9, 25),
                    today=TODAY,
                )
                if answered:
                    campaign_services.respond_notice(notice, by=liaison, response="已办。")
            criteria = self.criteria[unit_name]
            open_c, fixed_c = criteria.pop(), criteria.pop()
            score_criteria(self.rnd, [open_c, fixed_c], by=self.office)
            with override_settings(QC_TODAY=dt.date(2019, 3, 1)):
                assess.create_finding(self.rnd, open_c, by=self.office, due=dt.date(2019, 6, 30))
                fixed = assess.create_finding(
                    self.rnd, fixed_c, by=self.office, due=dt.date(2019, 6, 30)
                )
            assess.mark_fixed(fixed, by=liaison, note="已整改。")


@pytest.fixture
def work(campaign, office, liaison, zhujian_liaison, open_round):
    w = Work(campaign, office, liaison, zhujian_liaison, open_round)
    w.add(1, "市质监局")
    w.add(1, "市住建局")
    return w


# --- the registry -----------------------------------------------------------------------------


def test_every_queue_has_a_label_a_description_and_a_page():
    assert [q.key for q in QUEUES] == OFFICE_QUEUES + ASSESSOR_QUEUES
    assert [str(q.label) for q in QUEUES] == [
        "待审核",
        "待反馈",
        "待整改",
        "待复核",
        "待销号",
        "待评分",
        "待认定",
    ]
    for q in QUEUES:
        assert str(q.description) and q.url == OWN_PAGES.get(q.key, f"/queues/{q.key}/")
    assert BY_KEY["review"] is QUEUES[0]


def test_each_count_is_one_query_once_the_scope_is_known(office, work):
    cards_for(office)  # the scope is read once per request
    for q in QUEUES:
        if q.key not in OWN_PAGES:
            assert count_queries(lambda q=q: q.count(office)) == 1, q.key


# --- the home page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "keys"),
    [
        ("office", [*OFFICE_QUEUES, "decide"]),
        ("admin_user", [*OFFICE_QUEUES, "decide"]),
        ("liaison", LIAISON_QUEUES),
        ("assessor", ASSESSOR_QUEUES),
        ("leader", []),
        ("outsider", []),
    ],
)
def test_the_home_page_shows_the_queues_of_the_users_roles(request, client, work, who, keys):
    client.force_login(request.getfixturevalue(who))
    body = html(client.get("/"))
    assert list(cards_on(body)) == keys
    assert ('data-testid="queue-cards"' in body) == bool(keys)


def test_the_office_home_page_counts_its_queues(client, office, work):
    client.force_login(office)
    assert cards_on(html(client.get("/"))) == {
        "review": 2,
        "answer": 2,
        "rectify": 2,
        "verify": 2,
        "close": 2,
        "decide": 0,
    }


def test_a_liaison_counts_only_its_own_units_work(client, liaison, work):
    client.force_login(liaison)
    assert cards_on(html(client.get("/"))) == {"answer": 1, "rectify": 1}


def test_empty_queues_are_shown_muted_not_hidden(client, office, campaign):
    client.force_login(office)
    body = html(client.get("/"))
    assert cards_on(body) == dict.fromkeys([*OFFICE_QUEUES, "decide"], 0)
    assert body.count("queue-card queue-empty") == len(OFFICE_QUEUES) + 1


@pytest.mark.parametrize("who", ["office", "liaison", "zhujian_liaison", "admin_user"])
def test_each_count_equals_the_rows_of_its_page(request, client, work, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    cards = cards_on(html(client.get("/")))
    assert cards
    for key, count in cards.items():
        if key in OWN_PAGES:
            continue
        body = html(client.get(queue_url(key)))
        listed = rows_on(body)
        assert len(listed) == count, key
        assert listed == [obj.pk for obj in BY_KEY[key].rows(user)]
        assert f"共 {count} 项" in body


def test_the_home_page_queries_do_not_grow_with_the_queues(client, office, work):
    client.force_login(office)

    def fetch():
        assert client.get("/").status_code == 200

    fetch()
    few = count_queries(fetch)
    work.add(3)
    many = count_queries(fetch)
    assert cards_on(html(client.get("/")))["review"] == 5
    assert few == many


# --- the queue pages --------------------------------------------------------------------------


def test_the_review_queue_links_each_report_to_its_review(client, office, work):
    client.force_login(office)
    body = html(client.get(queue_url("review")))
    assert "待审核" in body and "市质监局" in body and "市住建局" in body and "2018年8月" in body
    for pk in rows_on(body):
        task_id = ProgressReport.objects.get(pk=pk).task_id
        anchor = f"#review-{pk}"
        assert reverse("campaigns:task_detail", args=[task_id]) + anchor in body
        detail = html(client.get(reverse("campaigns:task_detail", args=[task_id])))
        assert f'id="review-{pk}"' in detail  # the review form the link scrolls to


def test_a_late_report_is_flagged(client, office, liaison, campaign):
    task = make_task(campaign, office)

    def submit(period: dt.date, day: dt.date):
        return campaign_services.save_report(
            task,
            by=liaison,
            period_start=period,
            text="进展。",
            percent=10,
            submit=True,
            now=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        )

    on_time = submit(dt.date(2018, 6, 1), dt.date(2018, 7, 2))  # deadline 07-05
    late = submit(dt.date(2018, 7, 1), dt.date(2018, 8, 20))  # deadline 08-05
    client.force_login(office)
    body = html(client.get(queue_url("review")))
    assert rows_on(body) == [on_time.pk, late.pk]
    assert re.findall(r'<tr data-row="(\d+)" data-late="1"', body) == [str(late.pk)]
    assert body.count(">逾期提交<") == 1


def test_overdue_notices_and_findings_are_marked(client, liaison, work, settings):
    settings.QC_TODAY = dt.date(2019, 7, 1)  # after the notices' and findings' due dates
    client.force_login(liaison)
    for key in ("answer", "rectify"):
        body = html(client.get(queue_url(key)))
        assert 'data-overdue="1"' in body and "已逾期" in body, key


def test_queue_pages_link_to_the_objects(client, office, work):
    client.force_login(office)
    for key, name in (
        ("answer", "campaigns:notice_detail"),
        ("close", "campaigns:notice_detail"),
        ("rectify", "assessments:finding_detail"),
        ("verify", "assessments:finding_detail"),
    ):
        body = html(client.get(queue_url(key)))
        for pk in rows_on(body):
            assert reverse(name, args=[pk]) in body, key


@pytest.mark.parametrize("key", OFFICE_QUEUES)
def test_queue_pages_do_not_grow_with_the_data(client, office, work, key):
    client.force_login(office)

    def fetch():
        assert client.get(queue_url(key)).status_code == 200

    fetch()
    few = count_queries(fetch)
    work.add(2, "市住建局")
    many = count_queries(fetch)
    assert few == many, key


def test_a_long_queue_is_paged(client, office, work, monkeypatch):
    monkeypatch.setattr("qualitycity.web.views.QUEUE_PAGE_SIZE", 1)
    client.force_login(office)
    first = html(client.get(queue_url("review")))
    second = html(client.get(queue_url("review") + "?page=2"))
    assert 'data-testid="pagination"' in first
    assert len(rows_on(first)) == len(rows_on(second)) == 1
    assert rows_on(first) != rows_on(second)


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "leader", "outsider"])
def test_a_queue_that_is_not_the_users_is_a_404(request, client, work, who):
    client.force_login(request.getfixturevalue(who))
    for key in OFFICE_QUEUES:
        assert client.get(queue_url(key)).status_code == 404


def test_a_liaison_has_no_office_queue_pages(client, liaison, work):
    client.force_login(liaison)
    for key in ("review", "verify", "close"):
        assert client.get(queue_url(key)).status_code == 404
    for key in LIAISON_QUEUES:
        assert client.get(queue_url(key)).status_code == 200


def test_an_unknown_queue_is_a_404_and_anonymous_users_log_in(client, office):
    assert client.get(queue_url("review")).status_code == 302
    client.force_login(office)
    assert client.get(queue_url("nothing")).status_code == 404


def test_an_office_of_another_region_sees_empty_queues(client, work):
    from qualitycity.orgs.choices import Role
    from tests.factories import persona

    county_office = persona("t-lst-office", Role.OFFICE, region_code="431103")
    client.force_login(county_office)
    body = html(client.get("/"))
    assert cards_on(body) == dict.fromkeys([*OFFICE_QUEUES, "decide"], 0)
    for key in OFFICE_QUEUES:
        page = html(client.get(queue_url(key)))
        assert rows_on(page) == [] and 'data-testid="queue-empty"' in page


def test_the_assessor_queues_count_on_the_home_page_and_link_to_their_pages(
    client, assessor, open_round
):
    client.force_login(assessor)
    cards = cards_on(html(client.get("/")))
    from qualitycity.assessments import assessor_queues

    assert cards == {
        "score": assessor_queues.to_score_count(assessor),
        "decide": assessor_queues.to_decide_count(assessor),
    }
    assert cards["score"] > 100  # every row of the open self-assessment round is still to score
    assert client.get(queue_url("score"))["Location"] == "/assessments/queues/to-score/"
    body = html(client.get("/assessments/queues/to-score/"))
    assert f"/rounds/{open_round.pk}/score/" in body
