"""The built-in indicators: every target of 二(二), linked to the framework's indicator criteria."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.demo.indicators import ensure_demo_indicators
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion, CriterionUnit, UnitRole
from qualitycity.indicators.evaluation import parse_target
from qualitycity.indicators.models import Indicator, Observation
from qualitycity.indicators.services import load_indicators
from qualitycity.orgs.services import name_index

pytestmark = pytest.mark.django_db

TARGETS = {
    # the 14 codes of the framework file (rows 82, 91 and 110 name theirs in all / any conditions)
    "PRODUCT_SUPERVISION_PASS_RATE": ">= 94",
    "CERT_COVERAGE": "= 100",
    "LOCAL_AGRI_PASS_RATE": ">= 95",
    "FOOD_SAMPLING_PASS_RATE": ">= 95",
    "IMPORT_INSPECTION_RANK": "rank 10 x3",
    "EXPORT_NOTIFICATION_RATE": "below x3",
    "SPECIAL_EQUIPMENT_DEATH_RATE": "below x1",
    "ENERGY_SAVING_BUILDING_SHARE": "rising x3",
    "INDUSTRIALIZED_CONSTRUCTION_SHARE": "rising x3",
    "NEW_BUILDING_ENERGY_STANDARD_RATE": "= 100",
    "GREEN_BUILDING_SHARE": "rising x3",
    "AFFORDABLE_HOUSING_SUPERVISION_COVERAGE": "= 100",
    "AFFORDABLE_HOUSING_ACCEPTANCE_RATE": "= 100",
    "SERVICE_SATISFACTION_TREND": "rising x3",
    # the other targets of 二(二)
    "NATIONAL_SUPERVISION_PASS_RATE": ">= 90",
    "AGRI_STANDARDIZATION_RATE": "> 30",
    "MAIN_AGRI_PASS_RATE": ">= 96",
    "LARGE_PROJECT_ACCEPTANCE_RATE": "= 100",
    "OTHER_PROJECT_ACCEPTANCE_RATE": ">= 98",
    "SERVICE_STANDARDIZATION_PILOTS": "1 by 2018-12-31",
    "PRODUCER_SERVICE_SATISFACTION": ">= 80",
    "CONSUMER_SERVICE_SATISFACTION": ">= 75",
}


def _short(rule: dict) -> str:
    t = parse_target(rule)
    kind = rule["type"]
    if kind == "compare":
        return f"{t.op} {t.value}"
    if kind == "rank_within":
        return f"rank {t.rank} x{t.years}"
    if kind == "below_benchmark":
        return f"below x{t.years}"
    if kind == "rising":
        return f"rising x{t.years}"
    return f"{t.value} by {t.date.isoformat()}"


def test_every_target_of_the_plan_is_an_indicator_with_its_rule(indicators):
    assert {code: _short(i.rule) for code, i in indicators.items()} == TARGETS
    categories = {i.category for i in indicators.values()}
    assert categories == {"product", "engineering", "service"}


def test_every_target_sentence_is_printed_in_the_seed(indicators, seed_text):
    section = seed_text[seed_text.index("(二)具体目标") : seed_text.index("三、主要措施")]
    for indicator in indicators.values():
        assert indicator.source_text in section, indicator.code


def test_framework_indicator_criteria_link_to_indicators_led_by_their_lead_unit(
    yongzhou, indicators, city
):
    # 10 indicator rows, and rows 82, 91, 110 whose all / any conditions name an indicator
    linked = []
    for criterion in Criterion.objects.filter(framework=yongzhou):
        rule = criterion.rule
        if rule["type"] == "indicator":
            linked.append((criterion, rule["indicator"]))
        for condition in rule.get("conditions", []):
            if condition["rule"]["type"] == "indicator":
                linked.append((criterion, condition["rule"]["indicator"]))
    assert len(linked) == 14
    assert sorted(c.row for c, _code in linked if c.rule["type"] != "indicator") == [
        "110",
        "82",
        "91",
        "91",
    ]
    for criterion, code in linked:
        assert code in indicators, code
        lead = (
            CriterionUnit.objects.filter(criterion=criterion, role=UnitRole.LEAD)
            .order_by("position")
            .first()
        )
        assert indicators[code].responsible_unit_id == name_index(city)[lead.printed_name].pk, code
        assert f"序号{criterion.row}" in indicators[code].basis


def test_loading_twice_changes_nothing(indicators):
    events = AuditEvent.objects.count()
    assert load_indicators() == {"created": 0, "changed": 0}
    assert AuditEvent.objects.count() == events


def test_loading_restores_a_changed_definition(indicators):
    ind = indicators["CERT_COVERAGE"]
    ind.rule = {"type": "compare", "op": ">=", "value": 50}
    ind.save()
    assert load_indicators()["changed"] == 1
    ind.refresh_from_db()
    assert ind.rule == {"type": "compare", "op": "=", "value": 100}
    assert AuditEvent.objects.filter(action="indicator.changed").count() == 1


def test_a_bad_file_is_refused_with_every_problem(orgs, tmp_path: Path, no_indicators):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "indicators:\n"
        "  - {code: A, name: x, category: food, responsible: 市质监局, rule: {type: rising}}\n"
        "  - {code: B, name: y, category: product, responsible: 不存在局,"
        " rule: {type: compare, op: '>=', value: 1}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as exc:
        load_indicators(path)
    text = " ".join(exc.value.messages)
    assert "A:类别“food”无效" in text
    assert "years ≥ 2" in text
    assert "B:责任单位“不存在局”不是已知单位" in text
    assert not Indicator.objects.exists()


def test_only_an_administrator_loads_definitions(indicators, office, admin_user):
    with pytest.raises(NotAllowed):
        load_indicators(by=office)
    assert load_indicators(by=admin_user) == {"created": 0, "changed": 0}


def test_demo_data_is_idempotent_and_mixed(orgs, no_indicators):
    first = ensure_demo_indicators()
    assert first["created"] == 22 and first["observations"] > 100
    n = Observation.objects.count()
    assert ensure_demo_indicators() == {"created": 0, "changed": 0, "observations": 0}
    assert Observation.objects.count() == n
    years = set(Observation.objects.values_list("period", flat=True))
    assert years == {"2014", "2015", "2016", "2017", "2018"}
    assert Observation.objects.filter(region__isnull=True).exists()  # national averages

    from qualitycity.indicators.queries import indicator_data
    from qualitycity.orgs.models import Region

    data = indicator_data(Indicator.objects.all(), Region.objects.get(code="431100"))
    statuses = {d.indicator.code: d.evaluate(None).status for d in data.values()}
    assert {"met", "not_met", "no_data"} == set(statuses.values())


def test_the_command_loads_indicators_and_demo_data(orgs, no_indicators):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("indicators", "load", stdout=out)
    assert "质量指标:新增 22 项,更新 0 项。" in out.getvalue()
    out = io.StringIO()
    call_command("indicators", "demo", stdout=out)
    assert "质量指标:新增 0 项" in out.getvalue() and "演示数据:新增" in out.getvalue()
    assert AuditEvent.objects.filter(action="indicator.created", source="cli").count() == 22
