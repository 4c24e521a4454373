"""Rounds and scores through the services: every rule type, totals, transitions, locks, access."""

import datetime as dt
from decimal import Decimal as D

import pytest

from qualitycity.assessments import services
from qualitycity.assessments.choices import NAStatus, RoundStatus
from qualitycity.assessments.models import Round, Score
from qualitycity.assessments.queries import round_data
from qualitycity.audit.models import AuditEvent
from qualitycity.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from qualitycity.frameworks.models import Criterion

pytestmark = pytest.mark.django_db


def crit(framework, key: str) -> Criterion:
    return Criterion.objects.get(framework=framework, key=key)


def save(rnd, key, value, by, version=0, **kw):
    return services.save_score(
        rnd, crit(rnd.campaign.framework, key), by=by, value=value, expected_version=version, **kw
    )


@pytest.mark.parametrize(
    ("key", "value", "points"),
    [
        ("1.1.2", "7", D(7)),  # manual, 0…10
        ("1.1.1", "yes", D(10)),  # binary
        ("1.1.1", "no", D(0)),
        ("4.1.1", "机构由副市长负责", D(15)),  # tiers
        ("1.3.1", "0.6", D(20)),  # threshold ‰, on the boundary
        ("1.3.1", "0.59", D(10)),
        ("1.3.1", "1", D(30)),
        ("5.2.1", "中游", D(15)),  # rank
        ("2.3.2", "50", D(5)),  # count: at least 50 per year
        ("2.3.2", "49", D(0)),
        ("6.1.1", "yes", D(10)),  # indicator met
        ("6.1.1", "no", D(0)),
    ],
)
def test_every_rule_type_scores_through_the_service(open_round, assessor, key, value, points):
    score = save(open_round, key, value, assessor)
    assert score.points == points
    assert score.scored_by == assessor
    assert score.version == 1


def test_tier_labels_match_the_file(open_round, yongzhou):
    labels = [t["label"] for t in crit(yongzhou, "4.1.1").rule["tiers"]]
    assert "机构由副市长负责" in labels


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("1.1.2", "11", "0 到 10"),
        ("1.1.2", "-1", "0 到 10"),
        ("1.1.2", "abc", "数字"),
        ("1.1.1", "maybe", "是"),
        ("4.1.1", "市长", "请选择以下档次之一"),
        ("5.2.1", "第一", "排名档次"),
        ("2.3.2", "-3", "整数"),
        ("1.3.1", "", "请填写"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    open_round, assessor, key, value, fragment
):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        save(open_round, key, value, assessor)
    assert fragment in " ".join(exc.value.messages)
    assert not Score.objects.filter(round=open_round).exists()
    assert AuditEvent.objects.count() == events


def test_override_needs_a_reason_and_stays_within_the_maximum(open_round, assessor):
    with pytest.raises(ValidationFailed):
        save(open_round, "1.1.1", "no", assessor, override_points="5")
    with pytest.raises(ValidationFailed):
        save(open_round, "1.1.1", "no", assessor, override_points="50", override_reason="x")
    score = save(
        open_round, "1.1.1", "no", assessor, override_points="5", override_reason="部分完成"
    )
    assert score.points == D(5)
    assert score.override_reason == "部分完成"


def test_a_save_is_audited_with_before_and_after(open_round, assessor):
    save(open_round, "1.1.2", "7", assessor)
    save(open_round, "1.1.2", "9", assessor, version=1)
    event = AuditEvent.objects.filter(action="score.saved").order_by("-id").first()
    assert event.before["points"] == "7.00"
    assert event.after["points"] == "9.00"
    assert event.actor == assessor


def test_a_stale_save_is_refused_and_nothing_is_lost(open_round, assessor, office):
    save(open_round, "1.1.2", "7", assessor)  # both read version 0 … the first saves
    with pytest.raises(StaleVersion) as exc:
        save(open_round, "1.1.2", "3", office, version=0)  # … the second is stale
    assert "刷新" in exc.value.messages[0]
    score = Score.objects.get(round=open_round)
    assert score.points == D(7)
    assert score.version == 1
    save(open_round, "1.1.2", "3", office, version=1)  # after reloading it works
    assert Score.objects.get(round=open_round).points == D(3)


def test_a_stale_first_save_is_refused(open_round, assessor):
    with pytest.raises(StaleVersion):
        save(open_round, "1.1.2", "7", assessor, version=3)
    assert not Score.objects.exists()


# --- 合理缺项 ----------------------------------------------------------------------------------


def test_not_applicable_only_where_allowed_with_a_reason(open_round, assessor):
    with pytest.raises(ValidationFailed):
        services.claim_not_applicable(
            open_round,
            crit(open_round.campaign.framework, "1.1.1"),
            by=assessor,
            reason="x",
            expected_version=0,
        )
    with pytest.raises(ValidationFailed):
        services.claim_not_applicable(
            open_round,
            crit(open_round.campaign.framework, "3.6.2"),
            by=assessor,
            reason=" ",
            expected_version=0,
        )
    assert not Score.objects.exists()


def test_an_unapproved_claim_counts_as_not_scored_and_an_approved_one_scales(
    open_round, assessor, office
):
    framework = open_round.campaign.framework
    row44 = crit(framework, "3.6.2")
    score = services.claim_not_applicable(
        open_round, row44, by=assessor, reason="永州市无口岸", expected_version=0
    )
    assert score.na_status == NAStatus.PENDING
    save(open_round, "1.1.1", "yes", assessor)
    pending = round_data(open_round).totals()
    assert pending.na_max == 0
    assert pending.unscored == 124  # 125 rows, one scored; the pending claim is not scored

    with pytest.raises(NotAllowed):
        services.decide_not_applicable(
            score, by=assessor, approve=True, expected_version=score.version
        )
    services.decide_not_applicable(score, by=office, approve=True, expected_version=score.version)
    approved = round_data(open_round).totals()
    assert approved.na_max == D(4)
    assert approved.full == D(1055)
    assert approved.earned == D(10)
    assert approved.adjusted == (D(10) * 1055 / 1051).quantize(D("0.01"))


def test_a_rejected_claim_stays_unscored(open_round, assessor, office):
    row44 = crit(open_round.campaign.framework, "3.6.2")
    score = services.claim_not_applicable(
        open_round, row44, by=assessor, reason="无口岸", expected_version=0
    )
    score = services.decide_not_applicable(
        score, by=office, approve=False, expected_version=score.version
    )
    assert score.na_status == NAStatus.REJECTED
    assert round_data(open_round).totals().na_max == 0


def test_the_seed_item_7_5_is_capped_in_a_round(open_round, assessor):
    save(open_round, "7.5.1", "yes", assessor)
    save(open_round, "7.5.2", "5", assessor)
    total = round_data(open_round).totals()
    assert total.items["7.5"].raw == D(15)
    assert total.items["7.5"].earned == D(10)
    assert "7.5" in [i.code for i in total.capped_items]


def test_totals_of_a_round_with_every_criterion_at_maximum(open_round, office):
    for c in Criterion.objects.filter(framework=open_round.campaign.framework).order_by("position"):
        if c.na_allowed:
            continue
        rule = c.rule["type"]
        value = {
            "manual": str(c.max_points),
            "binary": "yes",
            "indicator": "yes",
            "tiers": c.rule.get("tiers", [{}])[0].get("label"),
            "rank": c.rule.get("bands", [{}])[0].get("band"),
            "threshold": "5",
            "count": str(c.rule.get("at_least", 1)),
            # rows 82, 91 (all), 110, 111 (any): every condition is yes / met
            "all": ["yes"] * len(c.rule.get("conditions", [])),
            "any": ["yes"] * len(c.rule.get("conditions", [])),
        }[rule]
        services.save_score(open_round, c, by=office, value=value, expected_version=0)
    total = round_data(open_round).totals()
    assert total.full == D(1055)
    assert total.earned == D(1051)  # row 44 (4 points) not scored
    assert total.unscored == 1
    assert sorted(i.code for i in total.capped_items) == ["2.4", "7.5"]


# --- transitions -----------------------------------------------------------------------------


def test_round_lifecycle(open_round, assessor, office):
    services.submit_round(open_round, by=assessor)
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.SUBMITTED
    with pytest.raises(InvalidTransition):
        save(open_round, "1.1.1", "yes", assessor)
    with pytest.raises(InvalidTransition) as exc:
        services.submit_round(open_round, by=assessor)
    assert "已提交" in exc.value.messages[0]
    services.lock_round(open_round, by=office)
    assert open_round.status == RoundStatus.LOCKED
    with pytest.raises(InvalidTransition):
        services.lock_round(open_round, by=office)
    with pytest.raises(ValidationFailed):
        services.reopen_round(open_round, by=office, reason="  ")
    services.reopen_round(open_round, by=office, reason="省级专家反馈需复核")
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.OPEN
    actions = list(
        AuditEvent.objects.filter(object_type="assessments.round").values_list("action", flat=True)
    )
    assert actions[:3] == ["round.reopened", "round.locked", "round.submitted"]


def test_nothing_in_a_locked_round_changes(open_round, assessor, office):
    score = save(open_round, "1.1.1", "yes", assessor)
    services.submit_round(open_round, by=assessor)
    services.lock_round(open_round, by=office)
    with pytest.raises(InvalidTransition):
        save(open_round, "1.1.1", "no", office, version=1)
    with pytest.raises(InvalidTransition):
        services.claim_not_applicable(
            open_round,
            crit(open_round.campaign.framework, "3.6.2"),
            by=office,
            reason="x",
            expected_version=0,
        )
    with pytest.raises(InvalidTransition):
        services.link_score_evidence(score, by=office, evidence=[])
    with pytest.raises(InvalidTransition):
        services.set_assessors(open_round, by=office, assessors=[])
    assert Score.objects.get(pk=score.pk).points == D(10)


def test_lock_before_submit_is_refused(open_round, office):
    with pytest.raises(InvalidTransition):
        services.lock_round(open_round, by=office)


# --- who may score ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("office", True),
        ("assessor", True),
        ("admin_user", True),
        ("liaison", False),
        ("leader", False),
        ("outsider", False),
    ],
)
def test_who_may_score(request, open_round, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        assert save(open_round, "1.1.1", "yes", user).points == D(10)
    else:
        with pytest.raises(NotAllowed):
            save(open_round, "1.1.1", "yes", user)
        assert not Score.objects.exists()


def test_an_unassigned_assessor_may_not_score(open_round, orgs):
    from tests.factories import persona as _persona

    other = _persona("t-assessor-2", "assessor")
    with pytest.raises(NotAllowed):
        save(open_round, "1.1.1", "yes", other)
    with pytest.raises(NotAllowed):
        services.submit_round(open_round, by=other)


@pytest.mark.parametrize("persona", ["assessor", "liaison", "leader"])
def test_only_the_office_creates_and_locks_rounds(request, campaign, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        services.create_round(
            campaign,
            by=user,
            kind="self",
            name="x",
            start=dt.date(2019, 1, 1),
            end=dt.date(2019, 2, 1),
        )
    assert not Round.objects.exists()


def test_round_input_is_validated(campaign, office):
    with pytest.raises(ValidationFailed) as exc:
        services.create_round(
            campaign,
            by=office,
            kind="weird",
            name=" ",
            start=dt.date(2019, 2, 1),
            end=dt.date(2019, 1, 1),
        )
    assert len(exc.value.messages) == 3
    assert not Round.objects.exists()
