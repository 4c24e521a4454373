"""Pure supervision rules (campaigns.supervision): a task's colour at every boundary, reporting
periods, reporting rates and the meeting rule of section 三.2. No database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.campaigns import supervision
from qualitycity.campaigns.supervision import BLUE, RED, SEVERITY, YELLOW

D = dt.date
START, DUE = D(2018, 1, 1), D(2018, 1, 31)  # a 30-day span


def colour(today, progress=0, *, start=START, due=DUE, done=False, blue_days=3):
    return supervision.colour(
        start=start, due=due, progress=progress, done=done, today=today, blue_days=blue_days
    )


# --- colour: red ------------------------------------------------------------------------------


def test_it_is_red_the_day_after_the_due_date():
    assert colour(DUE + dt.timedelta(days=1), 99) == RED


def test_it_is_red_long_after_the_due_date_whatever_the_progress():
    assert colour(D(2019, 6, 1), 100) == RED


def test_it_is_not_red_on_the_due_date_itself():
    assert colour(DUE, 100) == BLUE


# --- colour: blue -----------------------------------------------------------------------------


def test_it_is_blue_exactly_blue_days_before_the_due_date():
    # Jan 28: elapsed 27/30 = 90 %, progress 90 is on schedule, 3 days left.
    assert colour(DUE - dt.timedelta(days=3), 90) == BLUE


def test_it_is_not_blue_one_day_earlier():
    # Jan 27: elapsed 26/30 = 86.7 %, progress 90, 4 days left.
    assert colour(DUE - dt.timedelta(days=4), 90) is None


def test_blue_days_comes_from_the_campaign_setting():
    assert colour(DUE - dt.timedelta(days=5), 100, blue_days=5) == BLUE
    assert colour(DUE - dt.timedelta(days=6), 100, blue_days=5) is None


def test_with_zero_blue_days_only_the_due_date_is_blue():
    assert colour(DUE, 100, blue_days=0) == BLUE
    assert colour(DUE - dt.timedelta(days=1), 100, blue_days=0) is None


# --- colour: yellow ---------------------------------------------------------------------------


def test_progress_equal_to_the_elapsed_share_is_on_track():
    # Jan 16: 15 of 30 days elapsed = 50 %.
    assert colour(D(2018, 1, 16), 50) is None


def test_progress_one_point_below_the_elapsed_share_is_yellow():
    assert colour(D(2018, 1, 16), 49) == YELLOW


def test_a_fractional_elapsed_share_is_compared_exactly():
    # Jan 11: 10 of 30 days = 33.33 %: 33 is behind, 34 is not.
    assert colour(D(2018, 1, 11), 33) == YELLOW
    assert colour(D(2018, 1, 11), 34) is None


def test_nothing_is_behind_on_the_first_day():
    assert colour(START, 0) is None


def test_yellow_wins_over_blue_when_both_apply():
    # Due in 2 days but only half done: behind schedule is the more severe colour.
    assert colour(DUE - dt.timedelta(days=2), 50) == YELLOW


def test_on_the_due_date_anything_short_of_100_is_yellow():
    assert colour(DUE, 99) == YELLOW


# --- colour: start == due, before the start, done -----------------------------------------------


def test_a_one_day_task_is_blue_on_its_day_and_red_after():
    day = D(2018, 5, 10)
    assert colour(day, 0, start=day, due=day) == BLUE
    assert colour(day + dt.timedelta(days=1), 0, start=day, due=day) == RED


def test_a_one_day_task_is_blue_within_blue_days_before_it_and_none_earlier():
    day = D(2018, 5, 10)
    assert colour(day - dt.timedelta(days=3), 0, start=day, due=day) == BLUE
    assert colour(day - dt.timedelta(days=4), 0, start=day, due=day) is None


def test_before_its_start_a_task_is_never_behind():
    assert colour(D(2017, 12, 1), 0) is None


def test_before_its_start_a_task_due_soon_is_blue():
    start, due = D(2018, 3, 2), D(2018, 3, 3)
    assert colour(D(2018, 3, 1), 0, start=start, due=due) == BLUE


@pytest.mark.parametrize("today", [D(2017, 12, 1), START, D(2018, 1, 16), DUE, D(2019, 1, 1)])
def test_a_done_task_has_no_colour(today):
    assert colour(today, 0, done=True) is None


def test_worst_picks_the_most_severe_colour():
    assert supervision.worst([None, BLUE, YELLOW]) == YELLOW
    assert supervision.worst([BLUE, RED, None]) == RED
    assert supervision.worst([None, None]) is None
    assert supervision.worst([]) is None


# --- colour: properties -----------------------------------------------------------------------

days = st.dates(min_value=D(2017, 1, 1), max_value=D(2020, 12, 31))
spans = st.integers(min_value=0, max_value=500)
offsets = st.integers(min_value=-100, max_value=700)
percents = st.integers(min_value=0, max_value=100)
blue_days = st.integers(min_value=0, max_value=30)


@given(days, spans, offsets, percents, blue_days)
def test_a_done_task_never_has_a_colour(start, span, offset, progress, blue):
    due, today = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    assert colour(today, progress, start=start, due=due, done=True, blue_days=blue) is None


@given(days, spans, st.integers(min_value=1, max_value=400), percents, blue_days)
def test_after_the_due_date_an_unfinished_task_is_red(start, span, late, progress, blue):
    due = start + dt.timedelta(days=span)
    today = due + dt.timedelta(days=late)
    assert colour(today, progress, start=start, due=due, blue_days=blue) == RED


@given(days, spans, offsets, percents, st.booleans(), blue_days)
def test_the_colour_is_always_one_of_four(start, span, offset, progress, done, blue):
    due, today = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    result = colour(today, progress, start=start, due=due, done=done, blue_days=blue)
    assert result in {None, BLUE, YELLOW, RED}


@given(days, spans, offsets, percents, percents, blue_days)
def test_more_progress_never_makes_the_colour_worse(start, span, offset, p1, p2, blue):
    low, high = sorted((p1, p2))
    due, today = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    worse = colour(today, low, start=start, due=due, blue_days=blue)
    better = colour(today, high, start=start, due=due, blue_days=blue)
    assert SEVERITY[better] <= SEVERITY[worse]


# --- periods ----------------------------------------------------------------------------------


def test_monthly_periods_cross_the_year_end_with_their_deadlines():
    got = supervision.periods(D(2017, 11, 15), D(2018, 2, 10), "month", 5)
    assert [(p.start, p.end, p.deadline) for p in got] == [
        (D(2017, 11, 1), D(2017, 11, 30), D(2017, 12, 5)),
        (D(2017, 12, 1), D(2017, 12, 31), D(2018, 1, 5)),
        (D(2018, 1, 1), D(2018, 1, 31), D(2018, 2, 5)),
        (D(2018, 2, 1), D(2018, 2, 28), D(2018, 3, 5)),
    ]
    assert [p.label for p in got] == ["2017年11月", "2017年12月", "2018年1月", "2018年2月"]


def test_quarterly_periods_start_at_the_quarter_and_cross_the_year_end():
    got = supervision.periods(D(2017, 9, 1), D(2018, 4, 1), "quarter", 10)
    assert [(p.start, p.end, p.deadline) for p in got] == [
        (D(2017, 7, 1), D(2017, 9, 30), D(2017, 10, 10)),
        (D(2017, 10, 1), D(2017, 12, 31), D(2018, 1, 10)),
        (D(2018, 1, 1), D(2018, 3, 31), D(2018, 4, 10)),
        (D(2018, 4, 1), D(2018, 6, 30), D(2018, 7, 10)),
    ]
    assert [p.label for p in got] == [
        "2017年第3季度",
        "2017年第4季度",
        "2018年第1季度",
        "2018年第2季度",
    ]


def test_a_leap_february_ends_on_the_29th():
    (period,) = supervision.periods(D(2020, 2, 10), D(2020, 2, 20), "month", 5)
    assert (period.end, period.deadline) == (D(2020, 2, 29), D(2020, 3, 5))


def test_a_one_day_span_has_one_period_and_a_zero_day_deadline_is_the_period_end():
    (period,) = supervision.periods(D(2018, 3, 31), D(2018, 3, 31), "month", 0)
    assert (period.start, period.end, period.deadline) == (
        D(2018, 3, 1),
        D(2018, 3, 31),
        D(2018, 3, 31),
    )


def test_a_whole_year_has_twelve_months_and_four_quarters():
    assert len(supervision.periods(D(2018, 1, 1), D(2018, 12, 31), "month")) == 12
    assert len(supervision.periods(D(2018, 1, 1), D(2018, 12, 31), "quarter")) == 4


def test_an_unknown_period_kind_is_refused():
    with pytest.raises(ValueError):
        supervision.periods(D(2018, 1, 1), D(2018, 2, 1), "week")


@given(days, spans, st.sampled_from(["month", "quarter"]), st.integers(0, 40))
def test_periods_tile_the_span_without_gaps(start, span, kind, deadline_days):
    end = start + dt.timedelta(days=span)
    got = supervision.periods(start, end, kind, deadline_days)
    assert got[0].start <= start and got[-1].end >= end
    for a, b in itertools.pairwise(got):
        assert b.start == a.end + dt.timedelta(days=1)
    assert all(p.deadline == p.end + dt.timedelta(days=deadline_days) for p in got)


# --- reporting rates --------------------------------------------------------------------------


def test_reporting_rate_counts_arrived_and_on_time_reports_of_those_due():
    due = [("a", D(2018, 1, 1)), ("a", D(2018, 2, 1)), ("a", D(2018, 3, 1)), ("b", D(2018, 1, 1))]
    arrived = {
        ("a", D(2018, 1, 1)): True,  # on time
        ("a", D(2018, 2, 1)): False,  # late
        ("b", D(2018, 1, 1)): True,
        ("c", D(2018, 1, 1)): True,  # not due: ignored
    }
    rate = supervision.reporting_rate(due, arrived)
    assert (rate.due, rate.arrived, rate.on_time) == (4, 3, 2)
    assert rate.completeness == Decimal("75.0")
    assert rate.timeliness == Decimal("50.0")


def test_reporting_rates_round_half_up_to_one_decimal():
    due = [("a", D(2018, m, 1)) for m in (1, 2, 3)]
    rate = supervision.reporting_rate(due, {due[0]: True, due[1]: True})
    assert rate.completeness == Decimal("66.7")
    assert rate.timeliness == Decimal("66.7")
    assert supervision.reporting_rate(due, {due[0]: True}).completeness == Decimal("33.3")


def test_nothing_due_has_no_rate():
    rate = supervision.reporting_rate([], {("a", D(2018, 1, 1)): True})
    assert (rate.due, rate.completeness, rate.timeliness) == (0, None, None)


# --- the meeting rule (section 三.2) -----------------------------------------------------------


CAMPAIGN_START, CAMPAIGN_END, DEMO_DAY = D(2018, 1, 1), D(2019, 12, 31), D(2018, 9, 15)


def gaps(leading, summary=(), *, start=CAMPAIGN_START, end=CAMPAIGN_END, today=DEMO_DAY):
    return [
        (g.kind, g.label)
        for g in supervision.meeting_gaps(leading, summary, start=start, end=end, today=today)
    ]


def test_a_quarter_without_a_leading_group_meeting_is_a_gap():
    assert gaps([D(2018, 2, 1), D(2018, 7, 10)]) == [("quarter", "2018年第2季度")]


def test_the_current_quarter_is_not_a_gap_yet():
    assert gaps([D(2018, 1, 20), D(2018, 5, 1)], today=D(2018, 9, 29)) == []


def test_a_quarter_is_judged_on_its_last_day():
    assert gaps([D(2018, 1, 20)], today=D(2018, 6, 30)) == [("quarter", "2018年第2季度")]
    assert gaps([D(2018, 1, 20)], today=D(2018, 6, 29)) == []


def test_meetings_on_quarter_boundaries_count_for_their_own_quarter():
    assert gaps([D(2018, 3, 31), D(2018, 4, 1)], today=D(2018, 7, 1)) == []
    assert gaps([D(2018, 3, 31)], today=D(2018, 7, 1)) == [("quarter", "2018年第2季度")]


def test_other_meeting_kinds_do_not_count():
    # Only leading-group dates are passed as `leading_group`; a summary meeting is not one.
    assert gaps([], [D(2018, 2, 1)], today=D(2018, 4, 1)) == [("quarter", "2018年第1季度")]


def test_a_year_without_a_summary_meeting_is_a_gap_once_it_has_ended():
    every_quarter = [D(y, m, 15) for y in (2018, 2019) for m in (2, 5, 8, 11)]
    assert gaps(every_quarter, [], today=D(2018, 12, 30)) == []
    assert gaps(every_quarter, [], today=D(2018, 12, 31)) == [("year", "2018年")]
    assert gaps(every_quarter, [D(2018, 12, 28)], today=D(2019, 3, 1)) == []


def test_nothing_after_the_campaign_end_is_judged():
    # The campaign ends with 2018 Q2; later quarters are outside it even years later.
    assert gaps([D(2018, 2, 1), D(2018, 5, 1)], end=D(2018, 6, 30), today=D(2020, 1, 1)) == []
    assert gaps([D(2018, 2, 1)], end=D(2018, 6, 30), today=D(2020, 1, 1)) == [
        ("quarter", "2018年第2季度")
    ]


def test_before_any_quarter_has_ended_there_are_no_gaps():
    assert gaps([], [], today=D(2018, 2, 1)) == []


def test_a_campaign_starting_mid_quarter_is_not_judged_on_the_days_before_it():
    # The campaign starts 2017-09-01; the leading group first meets on 2017-10-12 (Q4).
    got = gaps(
        [D(2017, 10, 12), D(2018, 1, 20)],
        [D(2017, 12, 28)],
        start=D(2017, 9, 1),
        end=D(2019, 10, 31),
        today=D(2018, 4, 1),
    )
    assert got == []


def test_a_campaign_starting_mid_quarter_is_judged_from_its_first_full_quarter():
    got = gaps(
        [D(2018, 1, 20)],
        [D(2017, 12, 28)],
        start=D(2017, 9, 1),
        end=D(2019, 10, 31),
        today=D(2018, 4, 1),
    )
    assert ("quarter", "2017年第4季度") in got
    assert ("quarter", "2018年第1季度") not in got


# --- still due (我的任务) -----------------------------------------------------------------------

APRIL = supervision.Period(D(2018, 4, 1), D(2018, 4, 30), D(2018, 5, 5))  # 30 days
Q2 = supervision.Period(D(2018, 4, 1), D(2018, 6, 30), D(2018, 7, 5))  # 91 days


def test_a_report_is_not_due_before_or_on_the_last_day_of_its_period():
    assert not supervision.still_due(APRIL, D(2018, 4, 1))
    assert not supervision.still_due(APRIL, D(2018, 4, 30))


def test_a_report_is_due_from_the_day_after_its_period_through_its_deadline():
    assert supervision.still_due(APRIL, D(2018, 5, 1))
    assert supervision.still_due(APRIL, D(2018, 5, 5))


def test_a_report_stays_due_one_period_length_after_its_deadline_then_leaves_for_the_board():
    assert supervision.still_due(APRIL, D(2018, 5, 5) + dt.timedelta(days=30))
    assert not supervision.still_due(APRIL, D(2018, 5, 5) + dt.timedelta(days=31))


def test_a_quarter_stays_due_a_quarter_after_its_deadline():
    assert supervision.still_due(Q2, D(2018, 7, 5) + dt.timedelta(days=91))
    assert not supervision.still_due(Q2, D(2018, 7, 5) + dt.timedelta(days=92))


# --- colour: the grace period of a new task and cooperating tasks that roll up ---------------


def grace(today, progress=0, *, grace_days=7, owes=True, start=START, due=DUE):
    return supervision.colour(
        start=start,
        due=due,
        progress=progress,
        done=False,
        today=today,
        blue_days=3,
        grace_days=grace_days,
        owes=owes,
    )


def test_a_new_task_is_not_yellow_during_its_grace_days():
    # Day 6 of a 30-day task at 0 %: behind the elapsed 20 %, but still within 7 days of grace.
    assert grace(START + dt.timedelta(days=6)) is None


def test_a_task_turns_yellow_on_the_first_day_after_its_grace_days():
    day7 = START + dt.timedelta(days=7)  # 7 of 30 days elapsed: 23.3 %
    assert grace(day7) == YELLOW
    assert grace(day7, progress=23) == YELLOW
    assert grace(day7, progress=24) is None


def test_zero_grace_days_judges_from_the_start_day_after():
    assert grace(START, grace_days=0) is None  # nothing has elapsed on the first day
    assert grace(START + dt.timedelta(days=1), grace_days=0) == YELLOW


def test_the_grace_period_does_not_hide_red_or_blue():
    short_due = START + dt.timedelta(days=2)
    assert grace(START, due=short_due) == BLUE  # due within 3 days, even on its first day
    assert grace(short_due + dt.timedelta(days=1), due=short_due) == RED


def test_a_task_that_owes_nothing_of_its_own_has_no_colour_even_when_overdue():
    assert grace(START + dt.timedelta(days=15), owes=False) is None
    assert grace(DUE, owes=False) is None
    assert grace(DUE + dt.timedelta(days=30), owes=False) is None


grace_days = st.integers(min_value=0, max_value=90)


@given(days, spans, offsets, percents, grace_days, grace_days)
def test_a_longer_grace_never_makes_the_colour_worse(start, span, offset, progress, g1, g2):
    short, long = sorted((g1, g2))
    due, today = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    assert (
        SEVERITY[grace(today, progress, grace_days=long, start=start, due=due)]
        <= SEVERITY[grace(today, progress, grace_days=short, start=start, due=due)]
    )


@given(days, spans, offsets, percents, grace_days)
def test_grace_changes_only_yellow(start, span, offset, progress, g):
    due, today = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    with_grace = grace(today, progress, grace_days=g, start=start, due=due)
    without = grace(today, progress, grace_days=0, start=start, due=due)
    if with_grace != without:
        assert without == YELLOW and with_grace in (None, BLUE)


def test_the_colour_rules_are_put_in_words_from_the_campaigns_settings():
    rules = dict(supervision.colour_rules(blue_days=5, grace_days=10, reports_from="lead"))
    assert "5 天内到期" in rules[BLUE]
    assert "开始 10 天后" in rules[YELLOW]
    assert "配合单位的任务不单独亮灯" in rules["cooperating"]
    rules = dict(supervision.colour_rules(blue_days=0, grace_days=0, reports_from="all"))
    assert "天后" not in rules[YELLOW] and "0 天内到期" in rules[BLUE]
    assert "都按各自的进度亮灯" in rules["cooperating"]


def test_a_period_is_named_in_the_active_language():
    from django.utils import translation

    month = supervision.periods(D(2018, 8, 1), D(2018, 8, 31), "month", 5)[0]
    quarter = supervision.periods(D(2018, 7, 1), D(2018, 9, 30), "quarter", 5)[0]
    assert (month.label, quarter.label) == ("2018年8月", "2018年第3季度")
    with translation.override("en"):
        assert (month.label, quarter.label) == ("August 2018", "Q3 2018")
