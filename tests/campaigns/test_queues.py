"""Work queues of campaign work (待审核, 待反馈, 待销号): what is in, what is not (other unit,
other region, wrong state), and that each queue lists exactly what the service would accept from
the user. The day is 2018-09-15, like the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from qualitycity.campaigns import queues
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import NoticeStatus, ReportStatus
from qualitycity.campaigns.models import ProgressReport, SupervisionNotice
from qualitycity.campaigns.transitions import NOTICE, REPORT
from qualitycity.errors import DomainError
from qualitycity.orgs import services as org_services
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from tests.factories import make_task, persona

pytestmark = pytest.mark.django_db

TODAY = dt.date(2018, 9, 15)
JULY, AUGUST = dt.date(2018, 7, 1), dt.date(2018, 8, 1)
COUNTY = "431103"  # 冷水滩区


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def report(task, user, period, *, submit=True, now=None):
    return campaign_services.save_report(
        task,
        by=user,
        period_start=period,
        text="按计划推进。",
        percent=30,
        submit=submit,
        now=now,
    )


def lagging(campaign, office, unit_name, title):
    """A task overdue on 2018-09-15 (red), so a notice may be issued for it."""
    return make_task(
        campaign,
        office,
        unit_name=unit_name,
        title=title,
        start=dt.date(2018, 1, 1),
        due=dt.date(2018, 8, 31),
    )


def issue(campaign, office, unit, task, *, due=dt.date(2018, 9, 25), today=TODAY):
    with override_settings(QC_TODAY=today):
        return campaign_services.issue_notice(
            campaign,
            by=office,
            unit=unit,
            tasks=[task],
            content="请说明滞后原因。",
            response_due=due,
            today=today,
        )


@pytest.fixture
def county_office(orgs):
    return persona("t-lst-office", Role.OFFICE, region_code=COUNTY)


@pytest.fixture
def county(county_office, yongzhou):
    """冷水滩区's campaign, a unit of its directory and that unit's liaison."""
    region = Region.objects.get(code=COUNTY)
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
    liaison = persona("t-lst-liaison", Role.LIAISON, "区质监局", region_code=COUNTY)
    task = campaign_services.add_task(
        campaign,
        by=county_office,
        title="区级质量工作",
        unit=unit,
        start=dt.date(2018, 1, 1),
        due=dt.date(2018, 8, 31),
    )
    return {"campaign": campaign, "unit": unit, "liaison": liaison, "task": task}


@pytest.fixture
def reports(campaign, office, liaison, zhujian_liaison, county):
    """Reports in every state, of two city units and of the county."""
    own = make_task(campaign, office)
    other = make_task(campaign, office, unit_name="市住建局", title="住建任务")
    accepted = report(own, liaison, JULY, now=at(dt.date(2018, 8, 2)))
    campaign_services.review_report(accepted, by=office, accept=True)
    returned = report(other, zhujian_liaison, JULY, now=at(dt.date(2018, 8, 3)))
    campaign_services.review_report(returned, by=office, accept=False, comment="请补充。")
    return {
        "late": report(own, liaison, AUGUST, now=at(dt.date(2018, 9, 10))),
        "early": report(other, zhujian_liaison, AUGUST, now=at(dt.date(2018, 9, 1))),
        "draft": report(own, liaison, dt.date(2018, 9, 1), submit=False),
        "accepted": accepted,
        "returned": returned,
        "county": report(county["task"], county["liaison"], AUGUST, now=at(TODAY)),
    }


@pytest.fixture
def notices(campaign, office, liaison, zhijian, zhujian, county, county_office):
    """Notices issued (one overdue), answered and closed, of two city units and of the county."""
    own = lagging(campaign, office, "市质监局", "逾期任务")
    other = lagging(campaign, office, "市住建局", "住建逾期任务")
    answered = issue(campaign, office, zhijian, own)
    campaign_services.respond_notice(answered, by=liaison, response="已部署整改。")
    closed = issue(campaign, office, zhijian, own)
    campaign_services.respond_notice(closed, by=liaison, response="已完成。")
    campaign_services.close_notice(closed, by=office)
    return {
        "overdue": issue(
            campaign, office, zhijian, own, due=dt.date(2018, 9, 10), today=dt.date(2018, 9, 3)
        ),
        "issued": issue(campaign, office, zhijian, own),
        "other_unit": issue(campaign, office, zhujian, other, due=dt.date(2018, 9, 30)),
        "answered": SupervisionNotice.objects.get(pk=answered.pk),
        "closed": closed,
        "county": issue(county["campaign"], county_office, county["unit"], county["task"]),
    }


def pks(qs) -> list[int]:
    return [obj.pk for obj in qs]


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


# --- 待审核 -------------------------------------------------------------------------------------


def test_the_office_reviews_the_submitted_reports_of_its_own_region_oldest_first(office, reports):
    assert pks(queues.reports_to_review(office)) == [reports["early"].pk, reports["late"].pk]
    assert queues.reports_to_review(office).count() == 2
    late = queues.reports_to_review(office).get(pk=reports["late"].pk)
    assert late.late and not queues.reports_to_review(office).get(pk=reports["early"].pk).late


def test_the_county_office_reviews_only_its_county_and_the_city_office_not_the_county(
    office, county_office, reports
):
    assert pks(queues.reports_to_review(county_office)) == [reports["county"].pk]
    assert reports["county"].pk not in pks(queues.reports_to_review(office))


@pytest.mark.parametrize("who", ["liaison", "leader", "assessor", "outsider"])
def test_nobody_but_the_office_has_reports_to_review(request, reports, who):
    assert not queues.reports_to_review(request.getfixturevalue(who)).exists()


def test_reports_to_review_are_exactly_those_the_office_may_review(
    office, county_office, liaison, admin_user, reports
):
    for user in (office, county_office, liaison, admin_user):
        listed = set(pks(queues.reports_to_review(user)))
        for r in ProgressReport.objects.all():
            takes = accepted(campaign_services.review_report, r, by=user, accept=True)
            assert (r.pk in listed) == takes, (user, r.status)
    assert REPORT.allows("accept", ReportStatus.SUBMITTED)


def test_a_reviewed_report_leaves_the_queue(office, reports):
    campaign_services.review_report(reports["early"], by=office, accept=True)
    assert pks(queues.reports_to_review(office)) == [reports["late"].pk]


# --- 待反馈 -------------------------------------------------------------------------------------


def test_a_liaison_answers_the_unanswered_notices_of_its_unit_earliest_due_first(liaison, notices):
    assert pks(queues.notices_to_answer(liaison)) == [notices["overdue"].pk, notices["issued"].pk]
    marked = queues.mark_overdue_notices(queues.notices_to_answer(liaison), TODAY)
    assert [n.overdue for n in marked] == [True, False]


def test_the_office_follows_every_unanswered_notice_of_its_campaigns(
    office, county_office, notices
):
    assert set(pks(queues.notices_to_answer(office))) == {
        notices["overdue"].pk,
        notices["issued"].pk,
        notices["other_unit"].pk,
    }
    assert pks(queues.notices_to_answer(county_office)) == [notices["county"].pk]


def test_other_units_and_readers_have_no_notices_to_answer(
    zhujian_liaison, leader, assessor, notices
):
    assert pks(queues.notices_to_answer(zhujian_liaison)) == [notices["other_unit"].pk]
    assert not queues.notices_to_answer(leader).exists()
    assert not queues.notices_to_answer(assessor).exists()


def test_notices_to_answer_are_those_the_liaison_may_answer_and_has_not(
    liaison, zhujian_liaison, county, notices
):
    for user in (liaison, zhujian_liaison, county["liaison"]):
        listed = set(pks(queues.notices_to_answer(user)))
        for n in SupervisionNotice.objects.all():
            takes = accepted(campaign_services.respond_notice, n, by=user, response="x")
            assert (n.pk in listed) == (takes and n.status != NoticeStatus.RESPONDED)
    assert queues.UNANSWERED == {NoticeStatus.ISSUED}


# --- 待销号 -------------------------------------------------------------------------------------


def test_the_office_closes_the_answered_notices_of_its_own_region(
    office, county_office, liaison, county, notices
):
    assert pks(queues.notices_to_close(office)) == [notices["answered"].pk]
    assert not queues.notices_to_close(county_office).exists()
    assert not queues.notices_to_close(liaison).exists()
    campaign_services.respond_notice(notices["county"], by=county["liaison"], response="已办。")
    assert pks(queues.notices_to_close(county_office)) == [notices["county"].pk]
    assert notices["county"].pk not in pks(queues.notices_to_close(office))


def test_notices_to_close_are_exactly_those_the_office_may_close(
    office, county_office, liaison, admin_user, notices
):
    for user in (office, county_office, liaison, admin_user):
        listed = set(pks(queues.notices_to_close(user)))
        for n in SupervisionNotice.objects.all():
            takes = accepted(campaign_services.close_notice, n, by=user)
            assert (n.pk in listed) == takes, (user, n.status)
    assert NOTICE.sources("close") == {NoticeStatus.RESPONDED}


# --- whose queues -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "reviews", "answers"),
    [
        ("office", True, True),
        ("admin_user", True, True),
        ("liaison", False, True),
        ("assessor", False, False),
        ("leader", False, False),
        ("outsider", False, False),
    ],
)
def test_whose_queues_these_are(request, who, reviews, answers):
    user = request.getfixturevalue(who)
    assert queues.reviews_reports(user) is reviews
    assert queues.answers_notices(user) is answers
