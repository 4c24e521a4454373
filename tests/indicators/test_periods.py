"""Reporting periods: pure parsing and arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.indicators.periods import (
    ANNUAL,
    MONTHLY,
    QUARTERLY,
    Period,
    PeriodError,
    parse_period,
    span,
)


@pytest.mark.parametrize(
    ("text", "frequency", "expected"),
    [
        ("2018", ANNUAL, Period(2018, 0, ANNUAL)),
        ("2018年", ANNUAL, Period(2018, 0, ANNUAL)),
        (2018, ANNUAL, Period(2018, 0, ANNUAL)),
        (2018.0, ANNUAL, Period(2018, 0, ANNUAL)),
        ("2018Q1", QUARTERLY, Period(2018, 1, QUARTERLY)),
        ("2018-q4", QUARTERLY, Period(2018, 4, QUARTERLY)),
        ("2018年第2季度", QUARTERLY, Period(2018, 2, QUARTERLY)),
        ("2018年三季度", QUARTERLY, Period(2018, 3, QUARTERLY)),
        ("2018-03", MONTHLY, Period(2018, 3, MONTHLY)),
        ("2018/3", MONTHLY, Period(2018, 3, MONTHLY)),
        ("2018年12月", MONTHLY, Period(2018, 12, MONTHLY)),
    ],
)
def test_it_reads_periods_as_people_write_them(text, frequency, expected):
    assert parse_period(text, frequency) == expected


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("", ANNUAL),
        (None, ANNUAL),
        ("18", ANNUAL),
        ("2018Q1", ANNUAL),
        ("1850", ANNUAL),
        ("2018Q5", QUARTERLY),
        ("2018", QUARTERLY),
        ("2018-13", MONTHLY),
        ("2018-00", MONTHLY),
        ("March 2018", MONTHLY),
    ],
)
def test_it_refuses_bad_periods(text, frequency):
    with pytest.raises(PeriodError):
        parse_period(text, frequency)


def test_period_ends():
    assert Period(2018, 0, ANNUAL).end == dt.date(2018, 12, 31)
    assert Period(2018, 1, QUARTERLY).end == dt.date(2018, 3, 31)
    assert Period(2016, 2, MONTHLY).end == dt.date(2016, 2, 29)


def test_spans_read_naturally():
    years = [Period(2016, 0, ANNUAL), Period(2018, 0, ANNUAL)]
    assert span(years) == "2016–2018年"
    assert span(years[:1]) == "2016年"
    assert span([Period(2018, 1, QUARTERLY), Period(2018, 3, QUARTERLY)]) == "2018Q1–2018Q3"


@given(
    st.sampled_from([ANNUAL, QUARTERLY, MONTHLY]),
    st.integers(min_value=1991, max_value=2099),
    st.integers(min_value=1, max_value=12),
)
def test_next_and_previous_are_inverse_and_labels_round_trip(frequency, year, sub):
    sub = {ANNUAL: 0, QUARTERLY: (sub - 1) % 4 + 1, MONTHLY: sub}[frequency]
    period = Period(year, sub, frequency)
    assert period.next().previous() == period
    assert period.next() > period
    assert period.next().end > period.end
    assert parse_period(period.label, frequency) == period
