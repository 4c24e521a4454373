"""The pages offer only what the separation of duties allows (assessments/duties.py), and the
assessors page: the campaign's office chooses a round's assessors with checkboxes."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from qualitycity.assessments import services
from qualitycity.assessments.choices import NAStatus
from qualitycity.assessments.models import Score
from qualitycity.frameworks.models import Criterion
from tests.factories import events, html, persona
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
NA_KEY = "3.6.2"  # row 44 allows 合理缺项, in dimension 3


def crit(rnd, key):
    return Criterion.objects.get(framework=rnd.campaign.framework, key=key)


@pytest.fixture
def province_assessor(orgs):
    return persona("t-province-assessor", "assessor", region_code="430000")


@pytest.fixture
def provincial(campaign, office, assessor, province_assessor):
    return services.create_round(
        campaign,
        by=office,
        kind="provincial",
        name="2019年省级考核",
        start=dt.date(2019, 6, 1),
        end=dt.date(2019, 6, 30),
        assessors=[assessor, province_assessor],
    )


def workspace(client, rnd, dim=3) -> str:
    response = client.get(reverse("assessments:workspace", args=[rnd.pk]) + f"?dim={dim}")
    assert response.status_code == 200
    return html(response)


def na_row(body: str, rnd) -> str:
    """The table row of the 合理缺项 criterion."""
    pk = crit(rnd, NA_KEY).pk
    return body[body.index(f'id="crit-{pk}"') :].split("</tr>")[0]


def buttons(client, rnd) -> set[str]:
    body = html(client.get(reverse("assessments:round_summary", args=[rnd.pk])))
    return set(re.findall(r'name="action" value="(\w+)"', body))


# --- workspace ---------------------------------------------------------------------------------


def test_the_assessed_office_gets_no_score_inputs_but_may_claim(client, provincial, office):
    client.force_login(office)
    body = workspace(client, provincial)
    assert "assessments:score_save" not in body
    assert f"/rounds/{provincial.pk}/score/{crit(provincial, '3.6.1').pk}/" not in body
    assert 'data-testid="read-only"' in body and "申请合理缺项" in body
    row = na_row(body, provincial)
    assert "申请合理缺项" in row and 'value="approve"' not in row


def test_an_assigned_assessor_scores_and_decides_the_offices_claim(
    client, provincial, office, assessor
):
    services.claim_not_applicable(
        provincial, crit(provincial, NA_KEY), by=office, reason="无口岸", expected_version=0
    )
    client.force_login(office)
    assert 'value="approve"' not in na_row(workspace(client, provincial), provincial)
    client.force_login(assessor)
    body = workspace(client, provincial)
    assert f"/rounds/{provincial.pk}/score/{crit(provincial, '3.6.1').pk}/" in body
    row = na_row(body, provincial)
    assert 'value="approve"' in row and 'value="reject"' in row and "无口岸" in row
    response = client.post(
        reverse("assessments:score_na", args=[provincial.pk, crit(provincial, NA_KEY).pk]),
        {"decision": "approve", "version": "1"},
        **HX,
    )
    assert response.status_code == 200
    assert Score.objects.get(round=provincial).na_status == NAStatus.APPROVED


def test_an_assessor_is_not_offered_to_decide_their_own_claim(
    client, provincial, assessor, province_assessor
):
    services.claim_not_applicable(
        provincial, crit(provincial, NA_KEY), by=assessor, reason="无口岸", expected_version=0
    )
    client.force_login(assessor)
    assert 'value="approve"' not in na_row(workspace(client, provincial), provincial)
    response = client.post(
        reverse("assessments:score_na", args=[provincial.pk, crit(provincial, NA_KEY).pk]),
        {"decision": "approve", "version": "1"},
        **HX,
    )
    assert response.status_code == 403
    assert "不能认定自己提出的合理缺项申请" in response.content.decode()
    assert Score.objects.get(round=provincial).na_status == NAStatus.PENDING
    client.force_login(province_assessor)
    assert 'value="approve"' in na_row(workspace(client, provincial), provincial)


def test_the_office_posting_a_score_is_refused_and_nothing_is_written(client, provincial, office):
    client.force_login(office)
    c = crit(provincial, "1.1.1")
    response = client.post(
        reverse("assessments:score_save", args=[provincial.pk, c.pk]),
        {"value": "yes", "version": "0"},
        **HX,
    )
    assert response.status_code == 403
    assert "只能由本轮指派的评审专家评分" in response.content.decode()
    assert not Score.objects.exists()


def test_the_office_still_scores_its_self_round_on_the_page(client, open_round, office):
    client.force_login(office)
    body = workspace(client, open_round)
    assert f"/rounds/{open_round.pk}/score/{crit(open_round, '3.6.1').pk}/" in body
    assert 'data-testid="read-only"' not in body


def test_an_assessor_of_the_province_sees_and_scores_the_round_assigned_to_them(
    client, provincial, open_round, province_assessor
):
    client.force_login(province_assessor)
    assert provincial.name in html(client.get(reverse("assessments:round_list")))
    assert open_round.name not in html(client.get(reverse("assessments:round_list")))
    body = workspace(client, provincial, dim=1)
    c = crit(provincial, "1.1.1")
    assert f"/rounds/{provincial.pk}/score/{c.pk}/" in body
    response = client.post(
        reverse("assessments:score_save", args=[provincial.pk, c.pk]),
        {"value": "yes", "version": "0"},
        **HX,
    )
    assert response.status_code == 200
    assert Score.objects.get(round=provincial).scored_by == province_assessor
    assert client.get(reverse("assessments:workspace", args=[open_round.pk])).status_code == 404


# --- round summary and auto-scoring ------------------------------------------------------------


def test_summary_buttons_follow_the_separation_of_duties(
    client, provincial, office, assessor, province_office
):
    client.force_login(office)
    assert buttons(client, provincial) == set()
    client.force_login(assessor)
    assert buttons(client, provincial) == {"submit"}
    services.submit_round(provincial, by=assessor)
    client.force_login(office)
    assert buttons(client, provincial) == set()
    client.force_login(province_office)
    assert buttons(client, provincial) == {"lock", "reopen"}
    response = client.post(
        reverse("assessments:round_transition", args=[provincial.pk]), {"action": "lock"}
    )
    assert response.status_code == 302
    provincial.refresh_from_db()
    assert provincial.status == "locked"


def test_the_office_posting_lock_on_its_provincial_round_gets_404(
    client, provincial, office, assessor
):
    services.submit_round(provincial, by=assessor)
    client.force_login(office)
    url = reverse("assessments:round_transition", args=[provincial.pk])
    assert client.post(url, {"action": "lock"}).status_code == 404
    assert client.post(url, {"action": "reopen", "reason": "x"}).status_code == 404
    provincial.refresh_from_db()
    assert provincial.status == "submitted"


def test_the_summary_links_the_assessors_page_for_the_office_only(
    client, provincial, office, assessor, province_office
):
    client.force_login(office)
    link = reverse("assessments:round_assessors", args=[provincial.pk])
    assert link in html(client.get(reverse("assessments:round_summary", args=[provincial.pk])))
    for user in (assessor, province_office):
        client.force_login(user)
        body = html(client.get(reverse("assessments:round_summary", args=[provincial.pk])))
        assert link not in body


def test_the_auto_score_page_runs_only_for_assigned_assessors(
    client, provincial, office, assessor, indicators
):
    url = reverse("assessments:auto_score", args=[provincial.pk])
    client.force_login(office)
    assert 'data-testid="run-auto-score"' not in html(client.get(url))
    assert client.post(url).status_code == 404
    client.force_login(assessor)
    assert 'data-testid="run-auto-score"' in html(client.get(url))


# --- the assessors page ------------------------------------------------------------------------


def assessors_url(rnd):
    return reverse("assessments:round_assessors", args=[rnd.pk])


def test_the_office_chooses_assessors_with_checkboxes(
    client, provincial, office, assessor, province_assessor
):
    client.force_login(office)
    body = html(client.get(assessors_url(provincial)))
    assert "<select" not in body
    assert body.count('type="checkbox" name="assessors"') == 2
    assert "湖南省" in body and "永州市" in body
    response = client.post(assessors_url(provincial), {"assessors": [province_assessor.pk]})
    assert response.status_code == 302
    assert list(provincial.assessors.all()) == [province_assessor]
    event = events(provincial, "round.assessors_changed").get()
    assert event.actor == office
    assert event.after["assessors"] == ["t-province-assessor"]


def test_the_assessed_office_is_no_candidate_for_its_provincial_round(client, provincial, office):
    both = persona("t-office-assessor", "office", "市创质办")
    both.memberships.create(role="assessor", region=both.memberships.get().region)
    client.force_login(office)
    assert "t-office-assessor" not in html(client.get(assessors_url(provincial)))
    response = client.post(assessors_url(provincial), {"assessors": [both.pk]})
    assert response.status_code == 400
    assert provincial.assessors.count() == 2


@pytest.mark.parametrize(
    ("username", "role", "region", "unit"),
    [
        ("t-liaison-2", "liaison", "431100", "市质监局"),
        ("t-leader-2", "leader", "431100", None),
        ("t-county-assessor", "assessor", "431102", None),
    ],
)
def test_people_who_are_not_candidates_are_refused(
    client, provincial, office, username, role, region, unit
):
    other = persona(username, role, unit, region_code=region)
    client.force_login(office)
    assert username not in html(client.get(assessors_url(provincial)))
    response = client.post(assessors_url(provincial), {"assessors": [other.pk]})
    assert response.status_code == 400
    assert "不是本地区或上级地区的在职评审专家" in html(response)
    assert provincial.assessors.count() == 2
    assert not events(provincial, "round.assessors_changed").exists()


def test_a_bad_value_is_a_400(client, provincial, office):
    client.force_login(office)
    response = client.post(assessors_url(provincial), {"assessors": ["x" * 30]})
    assert response.status_code == 400
    assert provincial.assessors.count() == 2


@pytest.mark.parametrize("who", ["province_office", "assessor", "leader", "liaison", "outsider"])
def test_nobody_but_the_campaigns_office_opens_the_assessors_page(request, client, provincial, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(assessors_url(provincial)).status_code == 404
    assert client.post(assessors_url(provincial), {"assessors": []}).status_code == 404
    assert provincial.assessors.count() == 2


def test_another_regions_office_gets_404(client, provincial, orgs):
    client.force_login(persona("t-county-office", "office", region_code="431103"))
    assert client.get(assessors_url(provincial)).status_code == 404
    assert client.post(assessors_url(provincial), {"assessors": []}).status_code == 404
    assert provincial.assessors.count() == 2


def test_a_locked_round_shows_its_assessors_read_only(client, open_round, office, assessor):
    services.submit_round(open_round, by=assessor)
    services.lock_round(open_round, by=office)
    client.force_login(office)
    body = html(client.get(assessors_url(open_round)))
    assert "已锁定" in body and "disabled" in body
    response = client.post(assessors_url(open_round), {"assessors": []})
    assert response.status_code == 400
    assert open_round.assessors.count() == 1


def test_the_assessors_page_queries_do_not_grow_with_candidates(client, provincial, office):
    client.force_login(office)
    client.get(assessors_url(provincial))
    few = count_queries(lambda: client.get(assessors_url(provincial)))
    for i in range(8):
        persona(f"t-more-{i}", "assessor", region_code="430000" if i % 2 else "431100")
    many = count_queries(lambda: client.get(assessors_url(provincial)))
    assert few == many
