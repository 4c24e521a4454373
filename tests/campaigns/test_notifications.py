"""Events notify the people they concern (campaigns.events, services.notifications.notify).

Each event: who is told in the app, who gets an e-mail delivery, and that the person who acted is
never told of their own action. Preferences turn channels off and on per event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qualitycity import clock
from qualitycity.assessments import services as assessment_services
from qualitycity.campaigns import events, services
from qualitycity.campaigns.models import Delivery, Notification, NotificationPreference
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.choices import Role
from tests.factories import TODAY, make_task, persona, phase_of, unit

pytestmark = pytest.mark.django_db


def told(key: str) -> set[str]:
    return set(Notification.objects.filter(event=key).values_list("user__username", flat=True))


def mailed(key: str) -> set[str]:
    return set(Delivery.objects.filter(event=key).values_list("address", flat=True))


@pytest.fixture
def people(orgs, office, liaison):
    """A second office member and liaison with addresses, and a liaison of another unit."""
    return {
        "office2": persona("t-office2", Role.OFFICE, "市创质办", email="office2@example.cn"),
        "liaison2": persona("t-liaison2", Role.LIAISON, "市质监局", email="l2@example.cn"),
        "zhujian": persona("t-zj", Role.LIAISON, "市住建局", email="zj@example.cn"),
    }


@pytest.fixture
def task(campaign, office, people):
    with clock.pinned(TODAY):
        return make_task(campaign, office)


# --- the table ----------------------------------------------------------------------------------


def test_every_event_has_a_label_group_and_parties():
    for e in events.EVENTS.values():
        assert str(e.label) and str(e.group) and e.parties


def test_a_stored_choice_overrides_the_defaults_only_where_made():
    assert events.chosen_channels("report.accepted", None) == {"in_app": True, "email": False}
    assert events.chosen_channels("report.returned", {"email": False}) == {
        "in_app": True,
        "email": False,
    }
    assert events.chosen_channels("report.accepted", {"email": True, "sms": True}) == {
        "in_app": True,
        "email": True,
    }


def test_a_robot_without_a_list_carries_every_event():
    assert events.robot_carries([], "notice.issued")
    assert events.robot_carries(["notice.issued"], "notice.issued")
    assert not events.robot_carries(["notice.issued"], "task.redated")


# --- work -----------------------------------------------------------------------------------------


def test_a_new_task_tells_the_units_liaisons_not_the_office(task, people):
    assert told("task.assigned") == {"t-liaison", "t-liaison2"}
    assert mailed("task.assigned") == {"l2@example.cn"}  # t-liaison has no address
    note = Notification.objects.get(event="task.assigned", user=people["liaison2"])
    assert note.url == f"/campaigns/tasks/{task.pk}/" and note.read_at is None


def test_reassigning_tells_both_units(task, office, zhujian):
    services.reassign_task(task, by=office, unit=zhujian)
    assert told("task.reassigned") == {"t-liaison", "t-liaison2", "t-zj"}


def test_redating_tells_the_unit(task, office):
    services.redate_task(task, by=office, due=task.due - dt.timedelta(days=30))
    assert told("task.redated") == {"t-liaison", "t-liaison2"}
    (note,) = Notification.objects.filter(event="task.redated", user__username="t-liaison")
    assert "2019-01-29" in note.text and "2019-02-28" in note.text


def test_generating_tasks_sends_one_message_per_unit(campaign, office, people):
    Notification.objects.all().delete()
    created = services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    assert created > 100
    notes = Notification.objects.filter(event="task.assigned", user__username="t-liaison")
    assert notes.count() == 1  # a digest, not one per task
    assert "项任务" in notes.get().text


def test_a_report_submission_tells_the_office_and_the_return_tells_the_unit(
    task, liaison, office, people
):
    with clock.pinned(TODAY):
        period = dt.date(2018, 8, 1)
        report = services.save_report(
            task, by=liaison, period_start=period, text="已召开会议", percent=40, submit=True
        )
        assert told("report.submitted") == {"t-office", "t-office2"}
        assert mailed("report.submitted") == {"office2@example.cn"}
        services.review_report(report, by=office, accept=False, comment="请补充会议纪要")
        assert told("report.returned") == {"t-liaison", "t-liaison2"}
        note = Notification.objects.get(event="report.returned", user=people["liaison2"])
        assert "请补充会议纪要" in note.text
        assert note.url == f"/campaigns/tasks/{task.pk}/report/2018-08-01/"
        report = services.save_report(
            task, by=liaison, period_start=period, text="已补充", percent=50, submit=True
        )
        services.review_report(report, by=office, accept=True)
    assert told("report.accepted") == {"t-liaison", "t-liaison2"}
    assert mailed("report.accepted") == set()  # e-mail off by default for good news


def test_the_person_who_acts_is_not_told(task, people):
    people["liaison2"]  # the task was created by t-office, who is not told of it
    assert "t-office" not in told("task.assigned")


# --- supervision ------------------------------------------------------------------------------


def test_a_notice_goes_to_the_unit_its_answer_to_the_office_and_closing_to_the_unit(
    campaign, office, liaison, people
):
    with clock.pinned(TODAY):
        late = make_task(
            campaign, office, title="逾期任务", start=dt.date(2018, 1, 1), due=dt.date(2018, 6, 30)
        )
        notice = services.issue_notice(
            campaign,
            by=office,
            unit=late.unit,
            tasks=[late],
            content="请说明逾期原因",
            response_due=TODAY + dt.timedelta(days=7),
        )
        assert told("notice.issued") == {"t-liaison", "t-liaison2"}
        services.respond_notice(notice, by=liaison, response="已整改")
        assert told("notice.responded") == {"t-office", "t-office2"}
        services.close_notice(notice, by=people["office2"])
    assert told("notice.closed") == {"t-liaison", "t-liaison2"}


# --- assessments ------------------------------------------------------------------------------


@pytest.fixture
def provincial(campaign, office, assessor, people):
    return assessment_services.create_round(
        campaign,
        by=office,
        kind="provincial",
        name="2019年省级考核",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
        assessors=[assessor],
    )


def test_opening_submitting_and_locking_a_round_tell_office_and_assessors(
    provincial, office, assessor, people, province_office
):
    assert told("round.opened") == {"t-assessor", "t-office2"}
    assessment_services.submit_round(provincial, by=assessor)
    assert told("round.submitted") == {"t-office", "t-office2"}
    assessment_services.lock_round(provincial, by=province_office)  # the region above locks it
    assert told("round.locked") == {"t-office", "t-office2", "t-assessor"}


def test_a_claim_in_a_self_round_goes_to_the_office_and_the_decision_to_the_claimant(
    open_round, office, assessor, people
):
    criterion = Criterion.objects.filter(
        item__dimension__framework=open_round.campaign.framework, na_allowed=True
    ).first()
    score = assessment_services.claim_not_applicable(
        open_round, criterion, by=assessor, reason="本市无此类企业", expected_version=0
    )
    assert told("na.claimed") == {"t-office", "t-office2"}
    assert "本市无此类企业" in Notification.objects.filter(event="na.claimed").first().text
    assessment_services.decide_not_applicable(
        score, by=office, approve=True, expected_version=score.version
    )
    assert told("na.decided") == {"t-assessor", "t-office2"}


def test_a_claim_in_a_provincial_round_goes_to_its_assessors(provincial, office, assessor):
    criterion = Criterion.objects.filter(
        item__dimension__framework=provincial.campaign.framework, na_allowed=True
    ).first()
    Notification.objects.all().delete()
    assessment_services.claim_not_applicable(
        provincial, criterion, by=office, reason="无此类企业", expected_version=0
    )
    assert told("na.claimed") == {"t-assessor"}  # the assessed office never decides its claim


def test_findings_go_to_the_unit_and_back_to_the_office(open_round, office, liaison, people):
    criterion = (
        Criterion.objects.filter(item__dimension__framework=open_round.campaign.framework)
        .filter(units__printed_name="市质监局", units__role="lead")
        .first()
    )
    with clock.pinned(dt.date(2019, 4, 1)):
        finding = assessment_services.create_finding(
            open_round, criterion, by=office, due=dt.date(2019, 6, 30), unit=unit("市质监局")
        )
        assert told("finding.assigned") == {"t-liaison", "t-liaison2"}
        assessment_services.mark_fixed(finding, by=liaison, note="已完成")
        assert told("finding.fixed") == {"t-office", "t-office2"}
        assessment_services.send_back_finding(finding, by=office, reason="材料不全")
        assert told("finding.sent_back") == {"t-liaison", "t-liaison2"}
        assert (
            "材料不全"
            in Notification.objects.get(event="finding.sent_back", user__username="t-liaison").text
        )
        assessment_services.mark_fixed(finding, by=liaison, note="已补充")
        assessment_services.verify_finding(finding, by=office)
    assert told("finding.verified") == {"t-liaison", "t-liaison2"}
    assert finding.points_lost > Decimal(0)


# --- preferences ------------------------------------------------------------------------------


def test_preferences_turn_channels_off_and_on(campaign, office, people):
    l2 = people["liaison2"]
    services.save_preferences(
        l2, {"task.assigned": {"in_app": False, "email": False}, "report.accepted": {"email": True}}
    )
    assert services.preferences(l2)["task.assigned"] == {"in_app": False, "email": False}
    assert services.preferences(l2)["report.accepted"] == {"in_app": True, "email": True}
    with clock.pinned(TODAY):
        make_task(campaign, office)
    assert told("task.assigned") == {"t-liaison"}
    assert mailed("task.assigned") == set()


def test_saving_the_defaults_stores_no_rows_and_unknown_events_are_refused(people):
    from qualitycity.errors import ValidationFailed

    services.save_preferences(people["liaison2"], {})
    assert not NotificationPreference.objects.exists()
    with pytest.raises(ValidationFailed):
        services.save_preferences(people["liaison2"], {"nonsense": {"email": True}})


def test_a_failure_while_notifying_never_undoes_the_change(task, office, monkeypatch):
    from qualitycity.campaigns.services import notifications

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(notifications, "_notify", broken)
    services.redate_task(task, by=office, due=task.due - dt.timedelta(days=1))
    task.refresh_from_db()
    assert task.due == dt.date(2019, 2, 27)
    assert told("task.redated") == set()
