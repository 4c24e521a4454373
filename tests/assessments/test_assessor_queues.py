"""The assessor queues: 待评分 and 待认定, their counts and pages, in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from qualitycity.assessments import assessor_queues as queues
from qualitycity.assessments import services
from qualitycity.frameworks.models import Criterion
from tests.factories import html, persona
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
NA_KEY = "3.6.2"
ROWS = 125  # the Yongzhou table


def crit(rnd, key):
    return Criterion.objects.get(framework=rnd.campaign.framework, key=key)


@pytest.fixture
def province_assessor(orgs):
    return persona("t-province-assessor", "assessor", region_code="430000")


def make_round(campaign, office, kind, assessors, name=None):
    return services.create_round(
        campaign,
        by=office,
        kind=kind,
        name=name or f"{kind} 轮次",
        start=dt.date(2019, 6, 1),
        end=dt.date(2019, 6, 30),
        assessors=assessors,
    )


def test_to_score_lists_unscored_rows_of_assigned_open_rounds(open_round, assessor, office):
    services.save_score(
        open_round, crit(open_round, "1.1.1"), by=assessor, value="yes", expected_version=0
    )
    services.claim_not_applicable(
        open_round, crit(open_round, NA_KEY), by=assessor, reason="无口岸", expected_version=0
    )
    rows = queues.to_score(assessor)
    assert len(rows) == ROWS - 2 == queues.to_score_count(assessor)
    assert {r.criterion.key for r in rows}.isdisjoint({"1.1.1", NA_KEY})
    assert queues.to_score(office) == [] and queues.to_score_count(office) == 0


def test_a_submitted_round_leaves_the_queue(open_round, assessor):
    services.submit_round(open_round, by=assessor)
    assert queues.to_score_count(assessor) == 0


def test_the_assessed_office_assigned_to_its_provincial_round_has_nothing_to_score(
    campaign, office, assessor
):
    make_round(campaign, office, "provincial", [assessor])
    assert queues.to_score_count(assessor) == ROWS
    assert queues.to_score_count(office) == 0


def test_to_decide_follows_the_separation_of_duties(
    campaign, office, assessor, province_assessor, province_office, leader
):
    provincial = make_round(campaign, office, "provincial", [assessor, province_assessor])
    own = make_round(campaign, office, "self", [assessor])
    services.claim_not_applicable(
        provincial, crit(provincial, NA_KEY), by=assessor, reason="无口岸", expected_version=0
    )
    services.claim_not_applicable(
        own, crit(own, NA_KEY), by=office, reason="无口岸", expected_version=0
    )
    # provincial: other assessors and the province office; never the claimant or the city office
    assert [s.round for s in queues.to_decide(province_assessor)] == [provincial]
    assert [s.round for s in queues.to_decide(province_office)] == [provincial]
    assert queues.to_decide_count(assessor) == 0
    # self round: the office decides, its own claim included (as before)
    assert [s.round for s in queues.to_decide(office)] == [own]
    assert queues.to_decide_count(office) == 1
    assert queues.to_decide_count(leader) == 0


def test_the_pages_link_each_item_to_its_workspace_row(
    client, campaign, office, assessor, province_assessor
):
    provincial = make_round(campaign, office, "provincial", [assessor, province_assessor])
    services.claim_not_applicable(
        provincial, crit(provincial, NA_KEY), by=office, reason="无口岸", expected_version=0
    )
    client.force_login(province_assessor)
    c = crit(provincial, NA_KEY)
    body = html(client.get(reverse("assessments:queue_to_decide")))
    assert f"/rounds/{provincial.pk}/score/?dim=3#crit-{c.pk}" in body and "无口岸" in body
    body = html(client.get(reverse("assessments:queue_to_score")))
    first = crit(provincial, "1.1.1")
    assert f"/rounds/{provincial.pk}/score/?dim=1#crit-{first.pk}" in body
    assert f"#crit-{c.pk}" not in body  # the pending claim waits in 待认定


def test_anonymous_users_are_sent_to_login(client):
    for name in ("assessments:queue_to_score", "assessments:queue_to_decide"):
        assert client.get(reverse(name)).status_code == 302


def test_queues_do_not_grow_with_rounds_and_claims(
    client, campaign, office, assessor, province_office
):
    client.force_login(assessor)

    def load():
        client.get(reverse("assessments:queue_to_score"))
        client.get(reverse("assessments:queue_to_decide"))
        queues.to_score_count(assessor)
        queues.to_decide_count(province_office)

    first = make_round(campaign, office, "provincial", [assessor])
    services.claim_not_applicable(
        first, crit(first, NA_KEY), by=office, reason="x", expected_version=0
    )
    load()
    few = count_queries(load)
    for i in range(4):
        rnd = make_round(campaign, office, "national" if i % 2 else "self", [assessor], f"r{i}")
        services.claim_not_applicable(
            rnd, crit(rnd, NA_KEY), by=office, reason="x", expected_version=0
        )
        services.save_score(rnd, crit(rnd, "1.1.1"), by=assessor, value="yes", expected_version=0)
    many = count_queries(load)
    assert few == many
    assert queues.to_score_count(assessor) == len(queues.to_score(assessor))
