"""Separation of duties through the services: in provincial and national rounds only the assigned
assessors score and submit, the assessed office claims 合理缺项 but never decides, locks or reopens;
the office's own rounds work as before (tests/assessments/test_round_services.py)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from qualitycity.assessments import services
from qualitycity.assessments.choices import NAStatus, RoundStatus
from qualitycity.assessments.models import Round, Score
from qualitycity.audit.models import AuditEvent
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion
from tests.factories import events, persona

pytestmark = pytest.mark.django_db
NA_KEY = "3.6.2"  # the seed's row 44, which allows 合理缺项


def crit(rnd, key):
    return Criterion.objects.get(framework=rnd.campaign.framework, key=key)


@pytest.fixture
def province_assessor(orgs):
    return persona("t-province-assessor", "assessor", region_code="430000")


@pytest.fixture(params=["provincial", "national"])
def external_round(request, campaign, office, assessor, province_assessor):
    return services.create_round(
        campaign,
        by=office,
        kind=request.param,
        name="2019年省级考核",
        start=dt.date(2019, 6, 1),
        end=dt.date(2019, 6, 30),
        assessors=[assessor, province_assessor],
    )


def save(rnd, by, key="1.1.1", value="yes", version=0):
    return services.save_score(rnd, crit(rnd, key), by=by, value=value, expected_version=version)


def claim(rnd, by, version=0):
    return services.claim_not_applicable(
        rnd, crit(rnd, NA_KEY), by=by, reason="永州市无口岸", expected_version=version
    )


# --- scoring -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["assessor", "province_assessor"])
def test_assigned_assessors_score_a_provincial_round(request, external_round, who):
    user = request.getfixturevalue(who)
    assert save(external_round, user).points == D(10)


@pytest.mark.parametrize("who", ["office", "admin_user", "province_office", "leader", "liaison"])
def test_nobody_else_scores_a_provincial_round(request, external_round, who):
    user = request.getfixturevalue(who)
    audit = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as exc:
        save(external_round, user)
    assert "指派的评审专家" in exc.value.messages[0]
    assert not Score.objects.exists()
    assert AuditEvent.objects.count() == audit


def test_an_unassigned_assessor_does_not_score_a_provincial_round(external_round, orgs):
    other = persona("t-assessor-2", "assessor")
    with pytest.raises(NotAllowed):
        save(external_round, other)


def test_the_office_cannot_auto_score_or_submit_a_provincial_round(external_round, office):
    with pytest.raises(NotAllowed):
        services.auto_score_round(external_round, by=office)
    with pytest.raises(NotAllowed):
        services.submit_round(external_round, by=office)
    assert Round.objects.get(pk=external_round.pk).status == RoundStatus.OPEN


def test_an_assigned_assessor_auto_scores_and_submits(external_round, assessor, indicators):
    services.auto_score_round(external_round, by=assessor)
    services.submit_round(external_round, by=assessor)
    assert Round.objects.get(pk=external_round.pk).status == RoundStatus.SUBMITTED


# --- 合理缺项 ----------------------------------------------------------------------------------


def test_the_office_claims_and_an_assessor_decides(external_round, office, assessor):
    score = claim(external_round, office)
    assert score.na_status == NAStatus.PENDING
    with pytest.raises(NotAllowed) as exc:
        services.decide_not_applicable(
            score, by=office, approve=True, expected_version=score.version
        )
    assert "被考核地区的创质办不能认定" in exc.value.messages[0]
    score = services.decide_not_applicable(
        score, by=assessor, approve=True, expected_version=score.version
    )
    assert score.na_status == NAStatus.APPROVED
    assert score.na_decided_by == assessor
    assert events(score, "score.na_approved").get().actor == assessor


@pytest.mark.parametrize("who", ["province_office", "admin_user"])
def test_an_office_above_or_an_admin_decides_the_offices_claim(
    request, external_round, office, who
):
    score = claim(external_round, office)
    decider = request.getfixturevalue(who)
    score = services.decide_not_applicable(
        score, by=decider, approve=False, expected_version=score.version
    )
    assert score.na_status == NAStatus.REJECTED


def test_an_assessor_does_not_decide_their_own_claim(external_round, assessor, province_assessor):
    score = claim(external_round, assessor)
    with pytest.raises(NotAllowed) as exc:
        services.decide_not_applicable(
            score, by=assessor, approve=True, expected_version=score.version
        )
    assert "自己提出" in exc.value.messages[0]
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.PENDING
    services.decide_not_applicable(
        score, by=province_assessor, approve=True, expected_version=score.version
    )
    assert Score.objects.get(pk=score.pk).na_status == NAStatus.APPROVED


@pytest.mark.parametrize("who", ["leader", "liaison"])
def test_leaders_and_liaisons_neither_claim_nor_decide(request, external_round, office, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        claim(external_round, user)
    score = claim(external_round, office)
    with pytest.raises(NotAllowed):
        services.decide_not_applicable(score, by=user, approve=True, expected_version=score.version)


def test_the_office_links_evidence_in_a_provincial_round(external_round, office, assessor, liaison):
    score = save(external_round, assessor)
    services.link_score_evidence(score, by=office, evidence=[])
    with pytest.raises(NotAllowed):
        services.link_score_evidence(score, by=liaison, evidence=[])


# --- lock and reopen ---------------------------------------------------------------------------


def test_the_city_office_cannot_lock_or_reopen_the_round_that_assesses_it(
    external_round, office, assessor, province_office
):
    services.submit_round(external_round, by=assessor)
    with pytest.raises(NotAllowed) as exc:
        services.lock_round(external_round, by=office)
    assert "上级创质办" in exc.value.messages[0]
    with pytest.raises(NotAllowed):
        services.reopen_round(external_round, by=office, reason="再改改")
    with pytest.raises(NotAllowed):
        services.lock_round(external_round, by=assessor)
    services.lock_round(external_round, by=province_office)
    assert Round.objects.get(pk=external_round.pk).status == RoundStatus.LOCKED
    services.reopen_round(external_round, by=province_office, reason="省级复核")
    assert Round.objects.get(pk=external_round.pk).status == RoundStatus.OPEN


def test_an_admin_locks_a_provincial_round(external_round, assessor, admin_user):
    services.submit_round(external_round, by=assessor)
    services.lock_round(external_round, by=admin_user)
    assert Round.objects.get(pk=external_round.pk).status == RoundStatus.LOCKED


# --- the office's own rounds stay as they were -------------------------------------------------


def test_in_a_self_round_the_office_scores_claims_decides_and_locks(open_round, office):
    save(open_round, office)
    score = claim(open_round, office)
    services.decide_not_applicable(score, by=office, approve=True, expected_version=score.version)
    services.submit_round(open_round, by=office)
    services.lock_round(open_round, by=office)
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.LOCKED


def test_an_office_above_only_reads_a_self_round(open_round, province_office, assessor):
    score = claim(open_round, assessor)
    with pytest.raises(NotAllowed):
        save(open_round, province_office, key="1.1.2", value="5")
    with pytest.raises(NotAllowed):
        services.decide_not_applicable(
            score, by=province_office, approve=True, expected_version=score.version
        )


# --- assigning assessors -----------------------------------------------------------------------


def test_the_office_assigns_assessors_of_its_region_and_above(
    open_round, office, assessor, province_assessor
):
    services.set_assessors(open_round, by=office, assessors=[province_assessor, assessor])
    assert set(open_round.assessors.all()) == {assessor, province_assessor}
    event = events(open_round, "round.assessors_changed").get()
    assert event.actor == office
    assert event.before["assessors"] == ["t-assessor"]
    assert event.after["assessors"] == ["t-assessor", "t-province-assessor"]


@pytest.mark.parametrize(
    ("username", "role", "region"),
    [
        ("t-not-assessor", "liaison", "431100"),
        ("t-county-assessor", "assessor", "431102"),  # 零陵区: below the city, not above
        ("t-leader-2", "leader", "431100"),
    ],
)
def test_only_assessors_of_the_region_or_above_are_assigned(
    open_round, office, orgs, username, role, region
):
    if role == "liaison":
        user = persona(username, role, "市质监局", region_code=region)
    else:
        user = persona(username, role, region_code=region)
    with pytest.raises(ValidationFailed) as exc:
        services.set_assessors(open_round, by=office, assessors=[user])
    assert "不是本地区或上级地区的在职评审专家" in exc.value.messages[0]
    assert list(open_round.assessors.values_list("username", flat=True)) == ["t-assessor"]
    assert not events(open_round, "round.assessors_changed").exists()


def test_an_inactive_assessor_is_not_assigned(open_round, office, orgs):
    gone = persona("t-gone", "assessor")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationFailed):
        services.set_assessors(open_round, by=office, assessors=[gone])


def test_the_assessed_office_is_not_assigned_to_its_provincial_round(
    external_round, open_round, office, orgs
):
    both = persona("t-office-assessor", "office", "市创质办")
    both.memberships.create(role="assessor", region=both.memberships.get().region)
    with pytest.raises(ValidationFailed):
        services.set_assessors(external_round, by=office, assessors=[both])
    services.set_assessors(open_round, by=office, assessors=[both])  # its own round: fine
    assert list(open_round.assessors.all()) == [both]


@pytest.mark.parametrize("who", ["province_office", "assessor", "leader"])
def test_only_the_campaigns_office_assigns_assessors(request, open_round, who):
    with pytest.raises(NotAllowed):
        services.set_assessors(open_round, by=request.getfixturevalue(who), assessors=[])
    assert open_round.assessors.count() == 1


def test_a_county_office_does_not_assign_the_citys_assessors(open_round, orgs):
    county = persona("t-county-office", "office", region_code="431102")
    with pytest.raises(NotAllowed):
        services.set_assessors(open_round, by=county, assessors=[])


def test_round_creation_refuses_assessors_who_are_not_candidates(campaign, office, liaison):
    with pytest.raises(ValidationFailed):
        services.create_round(
            campaign,
            by=office,
            kind="provincial",
            name="x",
            start=dt.date(2019, 6, 1),
            end=dt.date(2019, 6, 30),
            assessors=[liaison],
        )
    assert not Round.objects.exists()
