"""The phase rules (campaigns/phases.py), pure: inside the campaign, ordered, no overlap."""

from __future__ import annotations

import datetime as dt

from qualitycity.campaigns.phases import PhaseDates, overlapping, phase_problems

D = dt.date
START, END = D(2018, 1, 1), D(2018, 12, 31)


def _p(key, name, start, end):
    return PhaseDates(key, name, start, end)


def _messages(phases, **kw):
    return [(p.index, p.field, p.message) for p in phase_problems(START, END, phases, **kw)]


def test_phases_in_order_inside_the_campaign_pass():
    assert (
        _messages(
            [
                _p(0, "一", D(2018, 1, 1), D(2018, 5, 31)),
                _p(1, "二", D(2018, 6, 1), D(2018, 12, 31)),
            ]
        )
        == []
    )


def test_at_least_one_phase_is_needed():
    assert _messages([]) == [(None, "", "至少需要一个工作阶段。")]


def test_a_phase_outside_the_campaign_is_refused_on_its_date_field():
    problems = _messages([_p(0, "一", D(2017, 12, 1), D(2019, 1, 31))])
    assert (0, "start", "阶段“一”早于创建工作的开始日期。") in problems
    assert (0, "end", "阶段“一”晚于创建工作的结束日期。") in problems


def test_a_phase_ending_before_it_starts_is_refused():
    assert (0, "end", "阶段“一”的结束日期早于开始日期。") in _messages(
        [_p(0, "一", D(2018, 5, 1), D(2018, 4, 1))]
    )


def test_phases_out_of_order_and_overlapping_are_refused():
    problems = _messages(
        [
            _p(0, "一", D(2018, 6, 1), D(2018, 12, 31)),
            _p(1, "二", D(2018, 1, 1), D(2018, 6, 30)),
        ]
    )
    fields = {(i, f) for i, f, _m in problems}
    assert (1, "start") in fields
    assert any("重叠" in m for _i, _f, m in problems)
    assert any("按时间顺序" in m for _i, _f, m in problems)


def test_empty_and_repeated_names_are_refused():
    problems = _messages(
        [
            _p(0, "一", D(2018, 1, 1), D(2018, 2, 1)),
            _p(1, "一", D(2018, 3, 1), D(2018, 4, 1)),
            _p(2, " ", D(2018, 5, 1), D(2018, 6, 1)),
        ]
    )
    assert (1, "name", "阶段名称“一”重复。") in problems
    assert (2, "name", "阶段名称不能为空。") in problems


def test_a_stored_overlap_is_tolerated_but_not_a_new_one():
    phases = [
        _p(10, "三", D(2018, 3, 1), D(2018, 7, 31)),
        _p(11, "四", D(2018, 7, 1), D(2018, 10, 31)),
    ]
    known = overlapping(phases)
    assert known == {frozenset((10, 11))}
    assert _messages(phases, known=known) == []
    wider = [*phases, _p("new", "五", D(2018, 10, 1), D(2018, 12, 31))]
    assert any("重叠" in m for _i, _f, m in _messages(wider, known=known))
