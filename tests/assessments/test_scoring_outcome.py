"""Pure totals beyond the base: 加分 (bonus, capped), 一票否决 (veto) and grades from the total."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from qualitycity.assessments.scoring import (
    CriterionResult,
    GradeBand,
    ItemInfo,
    gaps,
    grade_for,
    projected,
    totals,
)

BASE = ItemInfo("1.1", 1, D(100))
BONUS = ItemInfo("9.1", 9, D(8), bonus=True)
GRADES = (
    GradeBand("优秀", D(90)),
    GradeBand("良好", D(80), D(90)),
    GradeBand("合格", D(60), D(80)),
    GradeBand("不合格", D(0), D(60)),
)


def base(points):
    return CriterionResult("1.1.1", "1.1", D(100), points)


def test_a_bonus_item_is_outside_the_full_and_base_totals():
    result = totals(
        [BASE, BONUS],
        [base(D(70)), CriterionResult("9.1.1", "9.1", D(8), D(6), bonus=True)],
    )
    assert (result.full, result.earned, result.adjusted) == (D(100), D(70), D(70))
    assert result.bonus_earned == D(6) and result.bonus == D(6)
    assert result.final == D(76)
    assert 9 not in result.dimensions  # a bonus item is not part of a dimension's base points
    assert result.has_bonus


def test_the_bonus_is_capped_by_the_framework_cap():
    result = totals(
        [BASE, BONUS],
        [
            base(D(70)),
            CriterionResult("9.1.1", "9.1", D(8), D(8), bonus=True),
            CriterionResult("1.1.9", "1.1", D(5), D(5), bonus=True),  # a bonus row in a base item
        ],
        bonus_cap=D(10),
    )
    assert result.items["1.1"].earned == D(70)  # the bonus row is not in its item's points
    assert result.bonus_earned == D(13) and result.bonus == D(10)
    assert result.final == D(80)


def test_the_bonus_adds_to_the_adjusted_base_total():
    result = totals(
        [BASE, BONUS, ItemInfo("1.2", 1, D(100))],
        [
            base(D(80)),
            CriterionResult("1.2.1", "1.2", D(100), None, not_applicable=True),
            CriterionResult("9.1.1", "9.1", D(8), D(4), bonus=True),
        ],
    )
    assert result.adjusted == D(160)  # 80 × 200 ÷ 100
    assert result.final == D(164)


def test_a_bonus_not_earned_is_no_gap():
    criteria = [base(D(90)), CriterionResult("9.1.1", "9.1", D(8), D(0), bonus=True)]
    assert [g.key for g in gaps(criteria)] == ["1.1.1"]


def test_grades_come_from_the_final_total():
    assert grade_for(D(90), GRADES) == "优秀"
    assert grade_for(D("89.99"), GRADES) == "良好"
    assert grade_for(D(60), GRADES) == "合格"
    assert grade_for(D(0), GRADES) == "不合格"
    assert grade_for(D(50), ()) is None
    result = totals([BASE, BONUS], [base(D(85)), CriterionResult("9.1.1", "9.1", D(8), D(5))])
    assert result.grade is None  # no bands
    result = totals(
        [BASE, BONUS],
        [base(D(85)), CriterionResult("9.1.1", "9.1", D(8), D(5), bonus=True)],
        grades=GRADES,
    )
    assert result.grade == "优秀"  # 85 + 5


def test_a_triggered_veto_fails_the_round_whatever_the_total():
    veto = CriterionResult("1.1.2", "1.1", D(0), D(0), veto="fail", triggered=True)
    result = totals([BASE], [base(D(100)), veto], grades=GRADES)
    assert result.failed and result.grade is None and result.vetoes == [veto]
    quiet = CriterionResult("1.1.2", "1.1", D(0), D(0), veto="fail", triggered=False)
    result = totals([BASE], [base(D(100)), quiet], grades=GRADES)
    assert not result.failed and result.vetoes == [] and result.grade == "优秀"


def test_a_veto_forcing_a_grade_sets_it_and_the_lowest_of_several_wins():
    forced = [
        CriterionResult("1.1.2", "1.1", D(0), D(0), veto="良好", triggered=True),
        CriterionResult("1.1.3", "1.1", D(0), D(0), veto="合格", triggered=True),
    ]
    result = totals([BASE], [base(D(100)), *forced], grades=GRADES)
    assert not result.failed and result.grade == "合格"
    assert totals([BASE], [base(D(100)), forced[0]], grades=GRADES).grade == "良好"


def test_projected_keeps_bonus_and_veto_marks():
    criteria = [base(D(50)), CriterionResult("9.1.1", "9.1", D(8), D(0), bonus=True)]
    lifted = projected(
        [BASE, BONUS], criteria, [("1.1.1", "open"), ("9.1.1", "fixed")], bonus_cap=D(5)
    )
    assert lifted.earned == D(100) and lifted.bonus == D(5) and lifted.final == D(105)


@settings(deadline=None)
@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.lists(st.decimals(min_value=0, max_value=8, places=2), min_size=1, max_size=4),
    st.none() | st.decimals(min_value=0, max_value=20, places=1),
)
def test_final_is_base_plus_the_bonus_never_above_the_cap(points, bonus, cap):
    items = [BASE] + [ItemInfo(f"9.{i}", 9, D(8), bonus=True) for i in range(len(bonus))]
    criteria = [base(points)] + [
        CriterionResult(f"9.{i}.1", f"9.{i}", D(8), b, bonus=True) for i, b in enumerate(bonus)
    ]
    result = totals(items, criteria, bonus_cap=cap)
    assert result.full == D(100) and result.earned == points
    earned = sum(bonus, D(0))
    assert result.bonus == (earned if cap is None else min(earned, cap))
    assert result.final == result.adjusted + result.bonus
    assert result.final >= result.adjusted


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=200, places=2))
def test_every_total_has_exactly_one_band_of_a_gapless_table(total):
    held = [g.label for g in GRADES if grade_for(total, [g])]
    assert len(held) == 1 and grade_for(total, GRADES) == held[0]
