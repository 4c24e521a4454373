"""Work queues of rectification (待整改, 待复核): what is in, what is not (other unit, a unit that
only cooperates, other region, wrong state), and that each lists exactly what the service would
accept from the user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import override_settings

from qualitycity.assessments import queues
from qualitycity.assessments import services as assess
from qualitycity.assessments.choices import FindingStatus
from qualitycity.assessments.models import Finding
from qualitycity.errors import DomainError
from qualitycity.orgs.choices import Role
from tests.factories import criteria_of, persona, score_criteria

pytestmark = pytest.mark.django_db

TODAY = dt.date(2019, 6, 10)
FUTURE = dt.date(2019, 12, 31)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


class Rollback(Exception):
    pass


def accepted(service, *args, **kwargs) -> bool:
    """Whether the service takes the action (its effect rolled back)."""
    try:
        with transaction.atomic():
            service(*args, **kwargs)
            raise Rollback
    except Rollback:
        return True
    except DomainError:
        return False


def pks(qs) -> list[int]:
    return [obj.pk for obj in qs]


@pytest.fixture
def findings(open_round, office, liaison, zhijian):
    """Findings of 市质监局 in every state (one overdue), one of another unit on which 市质监局
    cooperates, and one of another unit without it."""
    campaign = open_round.campaign
    criteria = criteria_of(open_round)[:60]
    score_criteria(open_round, criteria, by=office)
    own = [c for c in criteria if assess.lead_unit_of(campaign, c) == zhijian][:5]
    others = [c for c in criteria if assess.lead_unit_of(campaign, c) not in (zhijian, None)]
    cooperated = next(c for c in others if zhijian in assess.cooperating_units_of(campaign, c))
    foreign = next(c for c in others if zhijian not in assess.cooperating_units_of(campaign, c))
    assert len(own) == 5

    def make(criterion, due=FUTURE):
        return assess.create_finding(open_round, criterion, by=office, due=due)

    with override_settings(QC_TODAY=dt.date(2019, 5, 1)):
        overdue = make(own[0], due=dt.date(2019, 6, 1))
    started = make(own[1], due=dt.date(2019, 7, 1))
    assess.start_rectification(started, by=liaison)
    fixed = make(own[2])
    assess.mark_fixed(fixed, by=liaison, note="已整改。")
    verified = make(own[3])
    assess.mark_fixed(verified, by=liaison, note="已整改。")
    assess.verify_finding(verified, by=office)
    sent_back = make(own[4], due=dt.date(2019, 8, 1))
    assess.mark_fixed(sent_back, by=liaison, note="第一次。")
    assess.send_back_finding(sent_back, by=office, reason="材料不全。")
    return {
        "overdue": overdue,
        "started": started,
        "fixed": fixed,
        "verified": verified,
        "sent_back": sent_back,
        "cooperated": make(cooperated, due=dt.date(2019, 9, 1)),
        "foreign": make(foreign, due=dt.date(2019, 10, 1)),
    }


@pytest.fixture
def county_finding(yongzhou, orgs):
    """A finding of 冷水滩区's own campaign, fixed and waiting for the county office."""
    from qualitycity.campaigns import services as campaign_services
    from qualitycity.orgs import services as org_services
    from qualitycity.orgs.models import Region

    region = Region.objects.get(code="431103")
    county_office = persona("t-lst-office", Role.OFFICE, region_code="431103")
    unit = org_services.save_unit(
        None, by=county_office, name="区质监局", kind="政府部门", region=region, code="lst-zjj"
    )
    campaign = campaign_services.create_campaign(
        by=county_office,
        name="冷水滩区创建质量强区",
        region=region,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进", dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        ],
    )
    rnd = assess.create_round(
        campaign,
        by=county_office,
        kind="self",
        name="区自评",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
    )
    criterion = criteria_of(rnd)[0]
    score_criteria(rnd, [criterion], by=county_office)
    finding = assess.create_finding(rnd, criterion, by=county_office, due=FUTURE, unit=unit)
    assess.mark_fixed(finding, by=county_office, note="已整改。")
    return {"finding": finding, "office": county_office}


# --- 待整改 -------------------------------------------------------------------------------------


def test_a_liaison_rectifies_the_open_findings_its_unit_leads_earliest_due_first(liaison, findings):
    assert pks(queues.findings_to_fix(liaison)) == [
        findings["overdue"].pk,
        findings["started"].pk,
        findings["sent_back"].pk,
    ]
    marked = queues.mark_overdue_findings(queues.findings_to_fix(liaison), TODAY)
    assert [f.overdue for f in marked] == [True, False, False]


def test_a_cooperating_unit_reads_a_finding_but_has_nothing_to_rectify(liaison, findings):
    from qualitycity.assessments.access import visible_findings

    assert visible_findings(liaison).filter(pk=findings["cooperated"].pk).exists()
    assert findings["cooperated"].pk not in pks(queues.findings_to_fix(liaison))


def test_the_office_follows_every_open_finding_of_its_campaigns(office, findings, county_finding):
    listed = pks(queues.findings_to_fix(office))
    assert set(listed) == {
        findings[k].pk for k in ("overdue", "started", "sent_back", "cooperated", "foreign")
    }
    assert not queues.findings_to_fix(county_finding["office"]).exists()


def test_findings_to_fix_are_exactly_those_the_user_may_mark_fixed(
    office, liaison, zhujian_liaison, admin_user, findings, county_finding
):
    for user in (office, liaison, zhujian_liaison, admin_user, county_finding["office"]):
        listed = set(pks(queues.findings_to_fix(user)))
        for f in Finding.objects.all():
            takes = accepted(assess.mark_fixed, f, by=user, note="x")
            assert (f.pk in listed) == takes, (user, f.status)


# --- 待复核 -------------------------------------------------------------------------------------


def test_the_office_verifies_the_fixed_findings_of_its_own_region(
    office, liaison, findings, county_finding
):
    assert pks(queues.findings_to_verify(office)) == [findings["fixed"].pk]
    assert not queues.findings_to_verify(liaison).exists()
    county = county_finding["office"]
    assert pks(queues.findings_to_verify(county)) == [county_finding["finding"].pk]


def test_findings_to_verify_are_exactly_those_the_user_may_verify(
    office, liaison, leader, assessor, admin_user, findings, county_finding
):
    for user in (office, liaison, leader, assessor, admin_user, county_finding["office"]):
        listed = set(pks(queues.findings_to_verify(user)))
        for f in Finding.objects.all():
            takes = accepted(assess.verify_finding, f, by=user)
            assert (f.pk in listed) == takes, (user, f.status)


def test_a_verified_finding_leaves_the_queue(office, findings):
    assess.verify_finding(findings["fixed"], by=office)
    assert not queues.findings_to_verify(office).exists()
    assert Finding.objects.get(pk=findings["fixed"].pk).status == FindingStatus.VERIFIED


@pytest.mark.parametrize(
    ("who", "fixes", "verifies"),
    [
        ("office", True, True),
        ("admin_user", True, True),
        ("liaison", True, False),
        ("assessor", False, False),
        ("leader", False, False),
        ("outsider", False, False),
    ],
)
def test_whose_queues_these_are(request, who, fixes, verifies):
    user = request.getfixturevalue(who)
    assert queues.fixes_findings(user) is fixes
    assert queues.verifies_findings(user) is verifies
