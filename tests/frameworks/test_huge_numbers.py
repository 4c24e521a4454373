"""Numbers Decimal accepts but nobody can print: refused as a rule error, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qualitycity.frameworks import rules


@pytest.mark.parametrize("raw", ["1E+999999999", "-1E+999999999", "1E-999999999", "9" * 40])
def test_a_number_out_of_any_sensible_range_is_refused(raw):
    with pytest.raises(rules.RuleError) as refused:
        rules.to_decimal(raw, what="数值")
    assert "超出可接受的范围" in str(refused.value)


@pytest.mark.parametrize("raw", ["0", "0.001", "93.1", "123456789012345678901234567890", "1E-30"])
def test_ordinary_numbers_pass(raw):
    assert rules.to_decimal(raw, what="数值") == Decimal(raw)


def test_a_huge_points_value_is_a_rule_error():
    with pytest.raises(rules.RuleError):
        rules.points_value("1E+999999999", what="得分")
