"""Pages and services agree on the workflows: every action a page offers in a state is one the
service accepts in that state, and the service refuses what the table does not allow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from qualitycity.assessments import services
from qualitycity.assessments.choices import FindingStatus, NAStatus, RoundStatus
from qualitycity.assessments.models import Finding, Round, Score
from qualitycity.assessments.transitions import FINDING, LIFECYCLE, NA_CLAIM, ROUND
from qualitycity.errors import InvalidTransition
from qualitycity.frameworks.models import Criterion
from tests.factories import criteria_of, lowest_input, score_criteria

pytestmark = pytest.mark.django_db


def _round_actions(client, rnd) -> set[str]:
    body = client.get(reverse("assessments:round_summary", args=[rnd.pk])).content.decode()
    return set(re.findall(r'name="action" value="(\w+)"', body))


def _do_round(rnd, action, office):
    if action == "submit":
        return services.submit_round(rnd, by=office)
    if action == "lock":
        return services.lock_round(rnd, by=office)
    return services.reopen_round(rnd, by=office, reason="复核需要")


@pytest.mark.parametrize("state", list(RoundStatus))
def test_round_pages_offer_what_the_round_service_accepts(client, open_round, office, state):
    Round.objects.filter(pk=open_round.pk).update(status=state)
    client.force_login(office)  # the office may take every round action
    offered = _round_actions(client, open_round)
    assert offered == set(ROUND.available(state)) & set(LIFECYCLE)
    for action in LIFECYCLE:
        Round.objects.filter(pk=open_round.pk).update(status=state)
        rnd = Round.objects.get(pk=open_round.pk)
        if action in offered:
            assert _do_round(rnd, action, office).status == ROUND.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                _do_round(rnd, action, office)


@pytest.fixture
def finding(open_round, office):
    criterion = criteria_of(open_round)[0]
    score_criteria(open_round, [criterion], by=office)
    return services.create_finding(open_round, criterion, by=office, due=dt.date(2030, 6, 30))


def _do_finding(finding, action, office):
    if action == "start":
        return services.start_rectification(finding, by=office)
    if action == "fix":
        return services.mark_fixed(finding, by=office, note="已整改")
    if action == "verify":
        return services.verify_finding(finding, by=office)
    return services.send_back_finding(finding, by=office, reason="材料不全")


@pytest.mark.parametrize("state", list(FindingStatus))
def test_finding_pages_offer_what_the_finding_service_accepts(client, finding, office, state):
    Finding.objects.filter(pk=finding.pk).update(status=state)
    client.force_login(office)  # the office may take every rectification action
    body = client.get(reverse("assessments:finding_detail", args=[finding.pk])).content.decode()
    offered = {a.replace("-", "_") for a in re.findall(r'data-testid="action-([\w-]+)"', body)}
    assert offered == set(FINDING.available(state))
    for action in FINDING.actions:
        Finding.objects.filter(pk=finding.pk).update(status=state)
        fresh = Finding.objects.select_related("round__campaign").get(pk=finding.pk)
        if action in offered:
            assert _do_finding(fresh, action, office).status == FINDING.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                _do_finding(fresh, action, office)


def _do_na(rnd, criterion, action, by):
    score = Score.objects.get(round=rnd, criterion=criterion)
    if action == "claim":
        return services.claim_not_applicable(
            rnd, criterion, by=by, reason="再次申请", expected_version=score.version
        )
    if action == "revoke":
        return services.revoke_not_applicable(score, by=by, expected_version=score.version)
    return services.decide_not_applicable(
        score, by=by, approve=action == "approve", expected_version=score.version
    )


@pytest.mark.parametrize("state", list(NAStatus))
def test_workspace_offers_what_the_na_service_accepts(client, open_round, office, state):
    criterion = Criterion.objects.filter(
        framework=open_round.campaign.framework, na_allowed=True
    ).first()
    assert criterion is not None, "the Yongzhou table has rows that allow 合理缺项"
    services.claim_not_applicable(
        open_round, criterion, by=office, reason="无此类企业", expected_version=0
    )
    Score.objects.filter(round=open_round, criterion=criterion).update(na_status=state)
    client.force_login(office)
    url = reverse("assessments:workspace", args=[open_round.pk])
    body = client.get(url, {"dim": criterion.item.dimension.number}).content.decode()
    row = body[body.index(f'id="crit-{criterion.pk}"') :]
    row = row[: row.index("</tr>")]
    offered = set(re.findall(r'name="decision" value="(\w+)"', row))
    if 'name="reason"' in row:
        offered.add("claim")
    assert offered, "some 合理缺项 action is offered in every state"
    # The office may do every 合理缺项 action of its own round: it is offered exactly what the
    # table allows, and the service accepts exactly that.
    assert offered == set(NA_CLAIM.available(state))
    for action in NA_CLAIM.actions:
        Score.objects.filter(round=open_round, criterion=criterion).update(na_status=state)
        if action in offered:
            done = _do_na(open_round, criterion, action, office)
            assert done.na_status == NA_CLAIM.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                _do_na(open_round, criterion, action, office)


@pytest.mark.parametrize("state", list(RoundStatus))
def test_the_workspace_takes_scores_exactly_when_the_round_table_allows(
    client, open_round, office, state
):
    criterion = criteria_of(open_round)[0]
    Round.objects.filter(pk=open_round.pk).update(status=state)
    client.force_login(office)
    url = reverse("assessments:workspace", args=[open_round.pk])
    body = client.get(url, {"dim": criterion.item.dimension.number}).content.decode()
    offered = reverse("assessments:score_save", args=[open_round.pk, criterion.pk]) in body
    assert offered == ROUND.allows("score", state)
    rnd = Round.objects.get(pk=open_round.pk)
    if offered:
        services.save_score(
            rnd, criterion, by=office, value=lowest_input(criterion), expected_version=0
        )
    else:
        with pytest.raises(InvalidTransition):
            services.save_score(
                rnd, criterion, by=office, value=lowest_input(criterion), expected_version=0
            )
