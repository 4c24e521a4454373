"""Indicator criteria take their points from the evaluation; overrides are kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from qualitycity.assessments import auto_scoring
from qualitycity.assessments import services as assess
from qualitycity.assessments.models import Score
from qualitycity.assessments.services import auto_score_round
from qualitycity.audit.models import AuditEvent
from qualitycity.demo.indicators import ensure_demo_indicators
from qualitycity.errors import InvalidTransition, NotAllowed
from qualitycity.frameworks.models import Criterion
from qualitycity.indicators import queries
from qualitycity.indicators.models import Indicator, Observation
from qualitycity.indicators.services import save_observation
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(orgs):
    ensure_demo_indicators()


def criterion(framework, code: str) -> Criterion:
    return Criterion.objects.get(framework=framework, rule__indicator=code)


def test_auto_scoring_scores_every_indicator_criterion(open_round, demo, yongzhou, office):
    report = auto_score_round(open_round, by=office)
    assert len(report.rows) == 10 and len(report.scored) == 10
    scores = {s.criterion.rule["indicator"]: s for s in Score.objects.filter(round=open_round)}
    cert = scores["CERT_COVERAGE"]
    assert cert.value == {"input": True} and cert.points == cert.criterion.max_points
    assert cert.comment == "2018年:100%,达到目标(= 100%)"
    local = scores["LOCAL_AGRI_PASS_RATE"]
    assert local.value == {"input": False} and local.points == 0
    assert local.comment == "2018年:94.8%,未达到目标(≥ 95%)"
    # rows 82, 91 and 110 are all / any rules (an indicator is one of their conditions): the
    # scorer enters every condition in the workspace, auto-scoring leaves them alone
    assert not {"EXPORT_NOTIFICATION_RATE", "ENERGY_SAVING_BUILDING_SHARE"} & set(scores)
    assert "SERVICE_SATISFACTION_TREND" not in scores
    assert scores["IMPORT_INSPECTION_RANK"].points == Decimal(8)
    assert {k for k, s in scores.items() if s.points == 0} == {
        "LOCAL_AGRI_PASS_RATE",
        "SPECIAL_EQUIPMENT_DEATH_RATE",
        "AFFORDABLE_HOUSING_ACCEPTANCE_RATE",
    }
    assert AuditEvent.objects.filter(action="score.saved").count() == 10
    run = AuditEvent.objects.get(action="round.auto_scored")
    assert len(run.after["scored"]) == 10 and run.after["skipped"] == {}


def test_a_second_run_changes_nothing(open_round, demo, office):
    auto_score_round(open_round, by=office)
    versions = dict(Score.objects.values_list("pk", "version"))
    report = auto_score_round(open_round, by=office)
    assert report.scored == []
    assert {r.action for r in report.rows} == {auto_scoring.UNCHANGED}
    assert dict(Score.objects.values_list("pk", "version")) == versions


def test_new_data_changes_the_score_on_the_next_run(open_round, demo, yongzhou, office, city):
    auto_score_round(open_round, by=office)
    local = criterion(yongzhou, "LOCAL_AGRI_PASS_RATE")
    indicator = Indicator.objects.get(code="LOCAL_AGRI_PASS_RATE")
    save_observation(indicator, by=office, series="value", region=city, period="2018", value="95.2")
    report = auto_score_round(open_round, by=office)
    assert [r.criterion for r in report.scored] == [local]
    score = Score.objects.get(round=open_round, criterion=local)
    assert score.points == local.max_points and score.version == 2


def test_an_override_is_kept_by_later_runs(open_round, demo, yongzhou, office, assessor):
    auto_score_round(open_round, by=office)
    local = criterion(yongzhou, "LOCAL_AGRI_PASS_RATE")
    score = Score.objects.get(round=open_round, criterion=local)
    assess.save_score(
        open_round,
        local,
        by=assessor,
        value=False,
        expected_version=score.version,
        comment=score.comment,
        override_points="3",
        override_reason="抽检批次口径调整,经专家组认定部分达标",
    )
    report = auto_score_round(open_round, by=office)
    kept = report.with_action(auto_scoring.KEEP_OVERRIDE)
    assert [r.criterion for r in kept] == [local]
    assert "抽检批次口径调整" in kept[0].message and "3 分" in kept[0].message
    score = Score.objects.get(round=open_round, criterion=local)
    assert score.points == Decimal(3) and score.override_reason and score.scored_by == assessor
    run = AuditEvent.objects.filter(action="round.auto_scored").latest("pk")
    assert run.after["kept_override"] == [local.key]


def test_not_enough_data_is_skipped_with_the_reason(open_round, demo, yongzhou, office):
    Observation.objects.filter(indicator__code="GREEN_BUILDING_SHARE", period="2017").delete()
    report = auto_score_round(open_round, by=office)
    green = criterion(yongzhou, "GREEN_BUILDING_SHARE")
    skipped = {r.criterion: r.message for r in report.skipped}
    assert skipped == {green: "需要 2016–2018年连续 3 期的数据,缺少 2017年。"}
    assert not Score.objects.filter(round=open_round, criterion=green).exists()
    run = AuditEvent.objects.get(action="round.auto_scored")
    assert run.after["skipped"] == {green.key: skipped[green]}


def test_missing_indicator_is_skipped(open_round, yongzhou, office, no_indicators):
    report = auto_score_round(open_round, by=office)  # no indicators loaded at all
    assert {r.action for r in report.rows} == {auto_scoring.SKIP_NO_INDICATOR}
    assert "未找到代码为 CERT_COVERAGE 的指标" in " ".join(r.message for r in report.rows)


def test_evaluation_is_as_of_the_round_end(campaign, demo, yongzhou, office, assessor):
    early = assess.create_round(
        campaign,
        by=office,
        kind="mock",
        name="2018年度模拟自评",
        start=dt.date(2018, 11, 1),
        end=dt.date(2018, 12, 15),
        assessors=[assessor],
    )
    result = queries.evaluation_for_criterion(
        criterion(yongzhou, "LOCAL_AGRI_PASS_RATE"), early.end, region=campaign.region
    )
    assert result.status == "met" and result.reason.startswith("2017年:95.4%")
    later = queries.evaluation_for_criterion(
        criterion(yongzhou, "LOCAL_AGRI_PASS_RATE"), dt.date(2019, 5, 31), region=campaign.region
    )
    assert later.status == "not_met"


def test_read_helpers_for_the_workspace(open_round, demo, yongzhou):
    binary = Criterion.objects.filter(framework=yongzhou, rule__type="binary").first()
    assert queries.evaluation_for_criterion(binary, None, region=open_round.campaign.region) is None
    results = auto_scoring.evaluations_for_round(open_round)
    assert len(results) == 10
    indicator, result = results[criterion(yongzhou, "CERT_COVERAGE").pk]
    assert indicator.code == "CERT_COVERAGE" and result.met is True
    assert count_queries(lambda: auto_scoring.evaluations_for_round(open_round)) <= 3


def test_a_page_evaluates_only_the_indicator_rows_it_shows(open_round, demo, yongzhou):
    binary = list(Criterion.objects.filter(framework=yongzhou, rule__type="binary")[:3])
    assert count_queries(lambda: auto_scoring.evaluations_for_round(open_round, binary)) == 0
    assert auto_scoring.evaluations_for_round(open_round, binary) == {}
    cert = criterion(yongzhou, "CERT_COVERAGE")
    shown = auto_scoring.evaluations_for_round(open_round, [*binary, cert])
    assert list(shown) == [cert.pk]
    assert shown[cert.pk][1].met is True


@pytest.mark.parametrize("persona", ["leader", "liaison"])
def test_only_scorers_auto_score(open_round, demo, persona, request):
    with pytest.raises(NotAllowed):
        auto_score_round(open_round, by=request.getfixturevalue(persona))
    assert not Score.objects.exists()


def test_an_assigned_assessor_auto_scores(open_round, demo, assessor):
    assert len(auto_score_round(open_round, by=assessor).scored) == 10


def test_a_submitted_round_is_not_auto_scored(open_round, demo, office):
    assess.submit_round(open_round, by=office)
    with pytest.raises(InvalidTransition):
        auto_score_round(open_round, by=office)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_previews_then_runs(client, open_round, demo, office):
    client.force_login(office)
    url = f"/indicators/rounds/{open_round.pk}/auto-score/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "按指标评分(10 项待更新)" in body and "将按评估结果评分" in body
    response = client.post(url)
    assert response.status_code == 302 and response.url == url
    assert Score.objects.filter(round=open_round).count() == 10
    body = client.get(url).content.decode()
    assert "自动评分完成:评分 10 项,保留人工调整 0 项" in body
    assert "评分已与评估一致" in body


@pytest.mark.parametrize("persona", ["leader"])
def test_the_page_refuses_to_run_for_others(client, open_round, demo, persona, request):
    client.force_login(request.getfixturevalue(persona))
    url = f"/indicators/rounds/{open_round.pk}/auto-score/"
    assert client.get(url).status_code == 200  # they read the round
    assert "run-auto-score" not in client.get(url).content.decode()
    assert client.post(url).status_code == 404
    assert not Score.objects.exists()


def test_the_page_is_404_for_outsiders_and_missing_rounds(client, open_round, outsider, office):
    client.force_login(outsider)
    assert client.get(f"/indicators/rounds/{open_round.pk}/auto-score/").status_code == 404
    client.force_login(office)
    assert client.get("/indicators/rounds/999999/auto-score/").status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(client, open_round, demo, office, city):
    client.force_login(office)
    url = f"/indicators/rounds/{open_round.pk}/auto-score/"
    client.get(url)
    few = count_queries(lambda: client.get(url))
    indicator = Observation.objects.first().indicator
    for year in range(1995, 2010):
        save_observation(
            indicator, by=office, series="value", region=city, period=str(year), value="50"
        )
    assert count_queries(lambda: client.get(url)) == few
