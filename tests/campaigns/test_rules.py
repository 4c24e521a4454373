"""Pure rules of campaign work (campaigns.rules): which reports a liaison may still edit, and
reading meeting decision lines. No database."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.campaigns.choices import ReportStatus, TaskStatus
from qualitycity.campaigns.rules import (
    DecisionLine,
    LineProblem,
    parse_decision_lines,
    report_editable,
)

D = dt.date

# --- report editability -----------------------------------------------------------------------


@pytest.mark.parametrize("task_status", [s for s in TaskStatus.values if s != TaskStatus.CANCELLED])
@pytest.mark.parametrize(
    ("report_status", "editable"),
    [
        (None, True),  # not written yet
        (ReportStatus.DRAFT, True),
        (ReportStatus.RETURNED, True),
        (ReportStatus.SUBMITTED, False),
        (ReportStatus.ACCEPTED, False),
    ],
)
def test_a_report_is_editable_while_new_a_draft_or_returned(task_status, report_status, editable):
    assert report_editable(task_status, report_status) is editable


@pytest.mark.parametrize("report_status", [None, *ReportStatus.values])
def test_no_report_of_a_cancelled_task_is_editable(report_status):
    assert report_editable(TaskStatus.CANCELLED, report_status) is False


def test_every_report_status_is_judged():
    assert set(ReportStatus.values) == {
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
        ReportStatus.SUBMITTED,
        ReportStatus.ACCEPTED,
    }


# --- decision lines ---------------------------------------------------------------------------


def test_decision_lines_are_read_with_either_bar_and_blank_lines_skipped():
    text = "  补录档案 | 市质监局 | 2018-09-30 \n\n  \n专项巡查｜市住建局｜2018-06-30"
    lines, problems = parse_decision_lines(text)
    assert problems == []
    assert lines == [
        DecisionLine(1, "补录档案", "市质监局", D(2018, 9, 30)),
        DecisionLine(4, "专项巡查", "市住建局", D(2018, 6, 30)),
    ]


def test_blank_text_gives_nothing_and_no_problem():
    assert parse_decision_lines(" \n \n") == ([], [])
    assert parse_decision_lines("") == ([], [])


@pytest.mark.parametrize("line", ["只有一栏", "两栏 | 市质监局", "甲 | 乙 | 2018-09-30 | 丁"])
def test_a_line_without_three_fields_is_a_problem_of_form(line):
    lines, problems = parse_decision_lines(f"补录档案 | 市质监局 | 2018-09-30\n{line}")
    assert [x.number for x in lines] == [1]
    assert problems == [LineProblem(2, "第 2 行格式应为“决定事项 | 责任单位 | YYYY-MM-DD”。")]


@pytest.mark.parametrize("raw", ["2018/09/30", "2018-13-01", "2018-02-30", "九月底"])
def test_an_invalid_date_is_a_problem_and_the_line_is_kept_without_a_date(raw):
    lines, problems = parse_decision_lines(f"补录档案 | 市质监局 | {raw}")
    assert lines == [DecisionLine(1, "补录档案", "市质监局", None)]
    assert problems == [
        LineProblem(1, f"第 1 行:完成期限“{raw}”不是有效的日期,请按 YYYY-MM-DD 填写。")
    ]


def test_problems_come_in_line_order_and_unit_names_are_not_judged():
    text = "只有一栏\n甲 | 不存在局 | 2018-09-30\n乙 | 市质监局 | 坏日期"
    lines, problems = parse_decision_lines(text)
    assert [(x.number, x.unit_name) for x in lines] == [(2, "不存在局"), (3, "市质监局")]
    assert [p.number for p in problems] == [1, 3]


def test_only_a_cancelled_task_is_closed_to_changes():
    from qualitycity.campaigns.choices import TaskStatus
    from qualitycity.campaigns.rules import task_editable

    assert [s for s in TaskStatus if not task_editable(s)] == [TaskStatus.CANCELLED]


def test_a_notice_is_overdue_only_while_unanswered_after_its_date():
    import datetime as dt

    from qualitycity.campaigns.choices import NoticeStatus
    from qualitycity.campaigns.rules import notice_overdue

    due = dt.date(2018, 9, 15)
    assert notice_overdue(NoticeStatus.ISSUED, due, dt.date(2018, 9, 16))
    assert not notice_overdue(NoticeStatus.ISSUED, due, due)
    assert not notice_overdue(NoticeStatus.RESPONDED, due, dt.date(2018, 9, 16))
    assert not notice_overdue(NoticeStatus.CLOSED, due, dt.date(2018, 9, 16))
