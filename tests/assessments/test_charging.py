"""Charging lost points to lead units (assessments/charging.py): the shares add up to what the
round lost, split evenly, shared rows counted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.assessments import queries
from qualitycity.assessments.charging import UNASSIGNED, charge_losses, split
from tests.factories import criteria_of, score_criteria

D = Decimal


def test_a_row_shared_by_three_is_split_in_hundredths_the_first_taking_the_remainder():
    assert split(D("1"), 3) == [D("0.34"), D("0.33"), D("0.33")]
    assert split(D("10"), 4) == [D("2.5")] * 4
    with pytest.raises(ValueError):
        split(D("1"), 0)


def test_charges_name_their_rows_and_how_many_are_shared():
    charges = charge_losses(
        [
            ("1.1.1", D("4"), ["市质监局", "市发改委"]),
            ("1.1.2", D("3"), ["市质监局"]),
            ("2.1.1", D("2"), []),
            ("2.1.2", D("0"), ["市发改委"]),  # nothing lost, nothing charged
        ]
    )
    by_party = {c.party: c for c in charges}
    assert by_party["市质监局"].amount == D("5") and by_party["市质监局"].rows == 2
    assert by_party["市质监局"].shared_rows == 1
    assert by_party["市发改委"].amount == D("2") and by_party["市发改委"].keys == ["1.1.1"]
    assert by_party[UNASSIGNED].amount == D("2")
    assert [c.party for c in charges] == ["市质监局", "市发改委", UNASSIGNED]  # unassigned last


parties = st.lists(st.sampled_from(["甲", "乙", "丙", "丁"]), max_size=4)
lost = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(st.lists(st.tuples(lost, parties), max_size=30))
def test_the_shares_always_add_up_to_what_was_lost(rows):
    data = [(f"r{i}", amount, names) for i, (amount, names) in enumerate(rows)]
    charges = charge_losses(data)
    assert sum((c.amount for c in charges), D(0)) == sum((a for a, _n in rows), D(0))
    for _key, amount, names in data:
        if amount > 0:
            shares = split(amount, len(set(names)) or 1)
            assert max(shares) - min(shares) <= D("0.01")


@pytest.mark.django_db
def test_the_gap_report_charges_exactly_what_the_round_lost(open_round, assessor):
    score_criteria(open_round, criteria_of(open_round)[:40], by=assessor)
    report = queries.gap_report(open_round)
    lost = sum((row.gap.lost for row in report.rows), D(0))
    assert lost > 0
    assert sum((c.amount for c in report.by_unit), D(0)) == lost
    shared = [row for row in report.rows if row.share is not None]
    assert shared and all(len({e.label for e in row.lead}) > 1 for row in shared)
    assert any(c.shared_rows for c in report.by_unit)
