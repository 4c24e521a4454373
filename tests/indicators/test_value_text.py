"""indicators.checks.parse_value: any text a form or a cell sends is a number or a ValueProblem,
never another exception (1E+999999999 overflowed the decimal context and answered 500)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.indicators.checks import ValueProblem, parse_value


@pytest.mark.parametrize(
    "raw",
    ["1E+999999999", "-1E+999999999", "1E-999999999", "9" * 5000, "1e308", "NaN", "-Infinity"],
)
def test_extreme_numbers_are_refused_with_a_message(raw):
    with pytest.raises(ValueProblem) as refused:
        parse_value(raw, series="value")
    assert str(refused.value)


@given(
    st.one_of(
        st.text(max_size=40),
        st.from_regex(r"-?\d{0,6}(\.\d{0,6})?([eE][+-]?\d{1,12})?%?", fullmatch=True),
        st.floats(),
        st.integers(),
    )
)
def test_any_input_is_a_number_or_a_refusal(raw):
    try:
        number = parse_value(raw, series="value")
    except ValueProblem:
        return
    assert number.is_finite()
