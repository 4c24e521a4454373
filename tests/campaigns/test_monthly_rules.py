"""Pure rules of the unit's 月报 (campaigns.monthly): which tasks owe a report for a period (the
campaign's `reports_from` decides through supervision.owes_reports), the periods, and the state
derived from the tasks' reports. No database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from qualitycity.campaigns import monthly
from qualitycity.campaigns.choices import MonthlyState, ReportStatus, TaskStatus, WorkRole

D = dt.date
AUG = D(2018, 8, 1)
S, A, R, DR = (
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
    ReportStatus.RETURNED,
    ReportStatus.DRAFT,
)


def campaign(**kw):
    base = {"reports_from": "lead", "report_period": "month", "report_deadline_days": 5}
    return SimpleNamespace(**{**base, **kw})


JAN1, DEC31 = D(2018, 1, 1), D(2018, 12, 31)


def task(pk, *, role=WorkRole.LEAD, start=JAN1, due=DEC31, status=None, c=None):
    return SimpleNamespace(
        pk=pk,
        role=role,
        start=start,
        due=due,
        status=status or TaskStatus.IN_PROGRESS,
        campaign=c or campaign(),
    )


def ids(owed):
    return [t.pk for t, _p in owed]


def test_tasks_owe_a_report_for_a_period_inside_their_span():
    tasks = [task(1), task(2, start=D(2018, 9, 1)), task(3, due=D(2018, 7, 31))]
    owed = monthly.owed_tasks(tasks, AUG)
    assert ids(owed) == [1]
    period = owed[0][1]
    assert (period.start, period.end, period.deadline) == (AUG, D(2018, 8, 31), D(2018, 9, 5))


def test_cooperating_units_owe_reports_only_when_the_campaign_says_all():
    lead_only = [task(1), task(2, role=WorkRole.COOPERATING)]
    assert ids(monthly.owed_tasks(lead_only, AUG)) == [1]
    everyone = campaign(reports_from="all")
    tasks = [task(1, c=everyone), task(2, role=WorkRole.COOPERATING, c=everyone)]
    assert ids(monthly.owed_tasks(tasks, AUG)) == [1, 2]


def test_cancelled_tasks_owe_nothing_and_done_ones_only_what_they_wrote():
    tasks = [task(1, status=TaskStatus.CANCELLED), task(2, status=TaskStatus.DONE), task(3)]
    assert ids(monthly.owed_tasks(tasks, AUG)) == [3]
    assert ids(monthly.owed_tasks(tasks, AUG, {1, 2})) == [2, 3]


def test_a_period_that_is_not_a_reporting_period_owes_nothing():
    assert monthly.owed_tasks([task(1)], D(2018, 8, 2)) == []
    quarterly = campaign(report_period="quarter")
    assert monthly.owed_tasks([task(1, c=quarterly)], AUG) == []
    assert ids(monthly.owed_tasks([task(1, c=quarterly)], D(2018, 7, 1))) == [1]


def test_unit_periods_are_the_union_of_the_tasks_periods_latest_first():
    tasks = [task(1, due=D(2018, 3, 10)), task(2, start=D(2018, 2, 15), due=D(2018, 4, 1))]
    assert [p.start for p in monthly.unit_periods(tasks)] == [
        D(2018, 4, 1),
        D(2018, 3, 1),
        D(2018, 2, 1),
        D(2018, 1, 1),
    ]
    assert monthly.unit_periods([task(1, role=WorkRole.COOPERATING)]) == []


@pytest.mark.parametrize(
    ("statuses", "state"),
    [
        ([], MonthlyState.NOT_STARTED),
        ([None, None], MonthlyState.NOT_STARTED),
        ([DR, None], MonthlyState.DRAFT),
        ([DR, DR], MonthlyState.DRAFT),
        ([S, None], MonthlyState.PARTLY_SUBMITTED),
        ([A, DR], MonthlyState.PARTLY_SUBMITTED),
        ([S, S], MonthlyState.SUBMITTED),
        ([S, A], MonthlyState.PARTLY_ACCEPTED),
        ([A, A], MonthlyState.ACCEPTED),
        ([R, A], MonthlyState.PARTLY_RETURNED),
        ([R, None], MonthlyState.PARTLY_RETURNED),
        ([R, R], MonthlyState.RETURNED),
    ],
)
def test_the_monthly_state_follows_its_task_reports(statuses, state):
    assert monthly.monthly_state(statuses) == state


def test_counts_treat_returned_reports_as_arrived():
    c = monthly.counts([S, A, R, DR, None])
    assert (c.owed, c.submitted, c.accepted, c.returned) == (5, 3, 1, 1)


@pytest.mark.parametrize(
    ("key", "day"),
    [
        ("2018-08", D(2018, 8, 1)),
        ("2018-12", D(2018, 12, 1)),
        ("2018-13", None),
        ("2018-00", None),
        ("0000-01", None),
        ("2018-8", None),
        ("2018-08-01", None),
        ("9" * 40, None),
        ("", None),
    ],
)
def test_period_keys_are_year_and_month_only(key, day):
    assert monthly.parse_period_key(key) == day


def test_period_key_is_the_first_month():
    period = monthly.owed_tasks([task(1, c=campaign(report_period="quarter"))], D(2018, 7, 1))
    assert monthly.period_key(period[0][1]) == "2018-07"
