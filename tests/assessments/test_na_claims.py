"""合理缺项 on the workspace: no claim over an accepted or waiting claim, decide buttons only for
whoever may decide (and beside them the claim's reason, claimant and time), an explicit 撤销认定,
and a message for every refusal."""

import datetime as dt

import pytest
from django.urls import reverse

from qualitycity.assessments import services
from qualitycity.assessments.choices import NAStatus
from qualitycity.assessments.models import Score
from qualitycity.errors import InvalidTransition, NotAllowed
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import User
from tests.factories import html, persona

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
NA_KEY = "3.6.2"  # row 44, 4 points, allows 合理缺项, in dimension 3


def na_criterion(rnd) -> Criterion:
    return Criterion.objects.select_related("item__dimension").get(
        framework=rnd.campaign.framework, key=NA_KEY
    )


def na_row(client, rnd) -> str:
    c = na_criterion(rnd)
    response = client.get(reverse("assessments:workspace", args=[rnd.pk]) + "?dim=3")
    assert response.status_code == 200
    body = html(response)
    return body[body.index(f'id="crit-{c.pk}"') :].split("</tr>")[0]


def na_post(client, rnd, data):
    c = na_criterion(rnd)
    return client.post(reverse("assessments:score_na", args=[rnd.pk, c.pk]), data, **HX)


def claimed(rnd, by) -> Score:
    return services.claim_not_applicable(
        rnd, na_criterion(rnd), by=by, reason="永州市无口岸", expected_version=0
    )


def approved(rnd, claimant, decider) -> Score:
    score = claimed(rnd, claimant)
    return services.decide_not_applicable(
        score, by=decider, approve=True, expected_version=score.version
    )


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


# --- no claim over an accepted or waiting claim -------------------------------------------------


def test_an_approved_row_offers_no_claim_form_and_no_score_input(
    client, open_round, assessor, office
):
    approved(open_round, assessor, office)
    client.force_login(assessor)
    row = na_row(client, open_round)
    assert 'name="reason"' not in row and "申请合理缺项</button>" not in row
    assert 'name="value"' not in row  # scoring it would revoke the approval too
    assert "已认定为合理缺项" in row


def test_a_claim_over_an_approval_is_refused_and_the_total_stays(
    client, open_round, assessor, office
):
    # The demo's 合理缺项 4 → 0 and 折算总分 863.27 → 860.
    score = approved(open_round, assessor, office)
    with pytest.raises(InvalidTransition, match="已认定为合理缺项,不能重新申请"):
        services.claim_not_applicable(
            open_round,
            na_criterion(open_round),
            by=assessor,
            reason="再来一次",
            expected_version=score.version,
        )
    client.force_login(assessor)
    response = na_post(client, open_round, {"reason": "再来一次", "version": score.version})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="row-error"' in body and "不能重新申请" in body
    assert 'data-testid="adjusted"' in body  # the totals come back, unchanged
    fresh = Score.objects.get(pk=score.pk)
    assert fresh.na_status == NAStatus.APPROVED and fresh.na_decided_by == office
    assert fresh.version == score.version


def test_a_second_claim_while_one_waits_is_refused(client, open_round, assessor):
    score = claimed(open_round, assessor)
    client.force_login(assessor)
    assert 'name="reason"' not in na_row(client, open_round)
    response = na_post(client, open_round, {"reason": "再来一次", "version": score.version})
    assert response.status_code == 422
    assert "正在等待认定,不能重复申请" in response.content.decode()
    assert Score.objects.get(pk=score.pk).na_reason == "永州市无口岸"


def test_a_rejected_claim_may_be_made_again(client, open_round, assessor, office):
    score = claimed(open_round, assessor)
    score = services.decide_not_applicable(
        score, by=office, approve=False, expected_version=score.version
    )
    client.force_login(assessor)
    assert "重新申请合理缺项" in na_row(client, open_round)
    response = na_post(client, open_round, {"reason": "补充说明", "version": score.version})
    assert response.status_code == 200
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.PENDING


def test_scoring_an_approved_row_is_refused(open_round, assessor, office):
    score = approved(open_round, assessor, office)
    with pytest.raises(InvalidTransition, match="请先由有权认定的人员撤销认定"):
        services.save_score(
            open_round,
            na_criterion(open_round),
            by=assessor,
            value="1",
            expected_version=score.version,
        )
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.APPROVED


# --- revoking: explicit, by whoever may decide ---------------------------------------------------


def test_the_office_revokes_an_approval_and_the_claim_waits_again(
    client, open_round, assessor, office
):
    score = approved(open_round, assessor, office)
    client.force_login(office)
    row = na_row(client, open_round)
    assert 'value="revoke"' in row and 'value="approve"' not in row
    response = na_post(client, open_round, {"decision": "revoke", "version": score.version})
    assert response.status_code == 200
    fresh = Score.objects.get(pk=score.pk)
    assert fresh.na_status == NAStatus.PENDING and fresh.na_reason == "永州市无口岸"
    assert fresh.na_decided_by is None
    assert 'value="approve"' in response.content.decode()


def test_the_assessor_is_not_offered_revoke_and_is_told_why(client, open_round, assessor, office):
    score = approved(open_round, assessor, office)
    client.force_login(assessor)
    assert 'value="revoke"' not in na_row(client, open_round)
    response = na_post(client, open_round, {"decision": "revoke", "version": score.version})
    assert response.status_code == 403
    assert "只有本创建工作的创质办可以认定合理缺项" in response.content.decode()
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.APPROVED


# --- who is offered the decision: exactly who the service lets decide ----------------------------


def _decides(score: Score, user: User) -> bool:
    try:
        services.decide_not_applicable(score, by=user, approve=True, expected_version=score.version)
    except NotAllowed:
        return False
    return True


@pytest.mark.parametrize("who", ["office", "assessor", "leader"])
def test_self_round_decide_buttons_follow_the_service(request, client, open_round, assessor, who):
    score = claimed(open_round, assessor)
    user = request.getfixturevalue(who)
    client.force_login(user)
    row = na_row(client, open_round)
    offered = 'value="approve"' in row and 'value="reject"' in row
    assert offered == ('value="approve"' in row or 'value="reject"' in row)
    assert offered == _decides(score, user)
    assert offered == (who == "office")


@pytest.mark.parametrize("who", ["office", "assessor", "province_assessor", "leader"])
def test_provincial_decide_buttons_follow_the_service(request, client, provincial, assessor, who):
    score = claimed(provincial, assessor)  # the assessor never decides their own claim
    user = request.getfixturevalue(who)
    client.force_login(user)
    offered = 'value="approve"' in na_row(client, provincial)
    assert offered == _decides(score, user)
    assert offered == (who == "province_assessor")


def test_the_decider_sees_the_reason_the_claimant_and_the_time(
    client, open_round, assessor, office
):
    claimed(open_round, assessor)
    client.force_login(office)
    row = na_row(client, open_round)
    assert 'value="approve"' in row
    assert 'data-testid="na-reason"' in row and "永州市无口岸" in row
    assert str(assessor) in row and "申请合理缺项" in row
    score = Score.objects.get(round=open_round, criterion=na_criterion(open_round))
    assert score.scored_at is not None
    # the claim's time as the template prints it (in the site's time zone)
    from django.utils import timezone

    assert timezone.localtime(score.scored_at).strftime("%Y-%m-%d %H:%M") in row


def test_an_assessor_clicking_decide_in_a_self_round_is_told_why(client, open_round, assessor):
    score = claimed(open_round, assessor)
    client.force_login(assessor)
    response = na_post(client, open_round, {"decision": "approve", "version": score.version})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="row-error"' in body and "只有本创建工作的创质办可以认定合理缺项" in body
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.PENDING


def test_every_refusal_of_the_na_endpoint_shows_a_message(client, open_round, assessor, leader):
    c = na_criterion(open_round)
    client.force_login(leader)
    for data in ({"reason": "x", "version": 0}, {"decision": "approve", "version": 0}):
        response = na_post(client, open_round, data)
        assert 400 <= response.status_code < 500
        assert 'data-testid="row-error"' in response.content.decode()
    client.force_login(assessor)
    response = na_post(client, open_round, {"decision": "bogus", "version": 0})
    assert response.status_code == 422 and 'data-testid="row-error"' in response.content.decode()
    assert not Score.objects.filter(criterion=c).exists()


def test_an_approval_counts_in_the_totals_the_decision_returns(
    client, open_round, assessor, office
):
    score = claimed(open_round, assessor)
    client.force_login(office)
    response = na_post(client, open_round, {"decision": "approve", "version": score.version})
    assert response.status_code == 200
    assert 'data-testid="na-max">4<' in response.content.decode()
