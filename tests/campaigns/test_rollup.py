"""campaigns.rollup: how tasks roll up into a measure's figures (pure, no database)."""

from __future__ import annotations

from qualitycity.campaigns.rollup import TaskFact, rollup

NOT_STARTED, IN_PROGRESS, DONE, CANCELLED = "not_started", "in_progress", "done", "cancelled"


def test_no_tasks_has_no_progress():
    r = rollup([])
    assert (r.total, r.done, r.overdue, r.progress, r.done_percent) == (0, 0, 0, None, None)


def test_progress_is_the_mean_with_done_tasks_at_100():
    r = rollup(
        [
            TaskFact(IN_PROGRESS, 40, "yellow"),
            TaskFact(DONE, 70, None),  # done counts 100 whatever was last reported
            TaskFact(NOT_STARTED, 0, "red"),
        ]
    )
    assert r.total == 3
    assert r.progress == 47  # (40 + 100 + 0) / 3 = 46.67
    assert r.done == 1 and r.done_percent == 33


def test_cancelled_tasks_are_counted_apart_and_left_out():
    r = rollup([TaskFact(CANCELLED, 90, None), TaskFact(IN_PROGRESS, 20, None)])
    assert (r.total, r.cancelled, r.progress) == (1, 1, 20)
    assert r.statuses == {NOT_STARTED: 0, IN_PROGRESS: 1, DONE: 0, CANCELLED: 1}


def test_only_cancelled_tasks_has_no_progress():
    r = rollup([TaskFact(CANCELLED, 50, None)])
    assert (r.total, r.cancelled, r.progress, r.done_percent) == (0, 1, None, None)


def test_colours_are_counted_and_red_is_overdue():
    r = rollup(
        [
            TaskFact(IN_PROGRESS, 10, "red"),
            TaskFact(IN_PROGRESS, 10, "red"),
            TaskFact(NOT_STARTED, 0, "yellow"),
            TaskFact(IN_PROGRESS, 90, "blue"),
            TaskFact(IN_PROGRESS, 50, None),
        ]
    )
    assert (r.red, r.yellow, r.blue, r.overdue) == (2, 1, 1, 2)


def test_progress_rounds_half_up():
    assert rollup([TaskFact(IN_PROGRESS, 1, None), TaskFact(IN_PROGRESS, 0, None)]).progress == 1
    assert rollup([TaskFact(DONE, 0, None), TaskFact(IN_PROGRESS, 0, None)]).done_percent == 50
    two_thirds = [TaskFact(DONE, 0, None), TaskFact(DONE, 0, None), TaskFact(NOT_STARTED, 0, None)]
    assert rollup(two_thirds).done_percent == 67


def test_all_done_is_100():
    r = rollup([TaskFact(DONE, 100, None), TaskFact(DONE, 30, None)])
    assert (r.progress, r.done_percent) == (100, 100)
