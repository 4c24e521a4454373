"""The framework page as each persona reads it: indicators named, the lint for the office only."""

from __future__ import annotations

import pytest

from qualitycity.frameworks import naming
from qualitycity.frameworks.rules import describe, indicator_codes, parse_rule
from tests.helpers import codes_shown, count_queries

pytestmark = pytest.mark.django_db


def page(client, user, framework):
    client.force_login(user)
    response = client.get(f"/frameworks/{framework.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_rules_name_the_indicators_they_read():
    rule = parse_rule(
        {
            "type": "all",
            "conditions": [
                {"label": "A", "rule": {"type": "indicator", "indicator": "X_RATE"}},
                {"label": "B", "rule": {"type": "binary"}},
            ],
        }
    )
    assert indicator_codes(rule) == {"X_RATE"}
    assert "甲指标" in describe(rule, {"X_RATE": "甲指标"})
    assert "X_RATE" not in describe(rule, {"X_RATE": "甲指标"})
    assert "X_RATE" in describe(rule)  # no name known: the code is all there is


def test_the_framework_page_names_indicators_not_codes(client, leader, yongzhou, indicators):
    """Issue 11: the rule column printed 指标达标:NATIONAL_SUPERVISION_PASS_RATE."""
    body = page(client, leader, yongzhou)
    assert codes_shown(body, indicators) == set()
    assert f"指标达标:{indicators['CERT_COVERAGE'].name}" in body
    assert naming.indicator_names(["CERT_COVERAGE"]) == {
        "CERT_COVERAGE": indicators["CERT_COVERAGE"].name
    }


def test_naming_costs_one_query_for_the_whole_table(yongzhou, indicators):
    codes = set(indicators)
    assert count_queries(lambda: naming.indicator_names(codes)) == 1
    assert count_queries(lambda: naming.indicator_names(set())) == 0


@pytest.mark.parametrize("persona", ["office", "admin_user"])
def test_the_office_and_admins_see_the_lint(request, client, yongzhou, persona):
    body = page(client, request.getfixturevalue(persona), yongzhou)
    assert "5 个错误" in body and "14 个警告" in body
    assert "序号 48 出现 2 次" in body
    assert "检查结果" in body


@pytest.mark.parametrize("persona", ["leader", "liaison", "assessor"])
def test_others_read_the_table_without_the_lint(request, client, yongzhou, persona):
    """Issue 11: “5 个错误 · 14 个警告” meant nothing to leaders and liaisons."""
    body = page(client, request.getfixturevalue(persona), yongzhou)
    assert "个错误" not in body and "个警告" not in body and "检查结果" not in body
    assert "序号 48 出现 2 次" not in body and 'data-testid="table-findings"' not in body
    assert body.count('data-criterion="') == 125  # the table itself is all there
