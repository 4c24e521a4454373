"""The audit diff (audit/diff.py): an event's before and after as changed, added and removed
keys, and values as a person reads them. Pure: no database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qualitycity.audit.diff import Change, apply, diff, shown


def test_diff_lists_changed_added_and_removed_keys_in_order():
    assert diff({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "d": 4}) == [
        Change("b", "changed", 2, 5),
        Change("c", "removed", old=3),
        Change("d", "added", new=4),
    ]


def test_diff_of_nested_mappings_uses_dotted_paths():
    assert diff({"scheme": {"cap": 10, "grades": [1]}}, {"scheme": {"cap": 20, "grades": [1]}}) == [
        Change("scheme.cap", "changed", 10, 20)
    ]


def test_diff_of_a_creation_and_a_deletion():
    assert diff(None, {"title": "x"}) == [Change("title", "added", new="x")]
    assert diff({"title": "x"}, None) == [Change("title", "removed", old="x")]
    assert diff(None, None) == [] and diff({"a": 1}, {"a": 1}) == []


def test_diff_of_plain_values_is_one_change_of_the_whole():
    assert diff("open", "submitted") == [Change("", "changed", "open", "submitted")]
    assert diff(None, "x") == [Change("", "added", new="x")]
    assert diff("x", None) == [Change("", "removed", old="x")]
    assert diff("x", "x") == []
    assert diff("open", {"status": "x"}) == [Change("", "changed", "open", {"status": "x"})]


def test_shown_values_read_as_words():
    assert shown(None) == "—" and shown("") == "—" and shown([]) == "—"
    assert shown(True) == "是" and shown(False) == "否"
    assert shown([1, 2]) == "1、2" and shown({"b": 1, "a": "甲"}) == '{"a": "甲", "b": 1}'
    assert shown(3.5) == "3.5"


KEYS = st.text(alphabet="abcxyz_", min_size=1, max_size=4)
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
SNAPSHOTS = st.dictionaries(KEYS, VALUES, max_size=5)


@settings(deadline=None)  # the machine is shared: time is not what this tests
@given(SNAPSHOTS, SNAPSHOTS)
def test_applying_the_diff_to_before_gives_after(before, after):
    changes = diff(before, after)
    assert apply(before, changes) == after
    assert (changes == []) == (before == after)
    assert all(c.field for c in changes)  # mappings compare key by key


def test_rows_name_fields_and_choices_by_the_models_labels():
    from qualitycity.audit.labels import Row, object_type_label, rows

    changes = diff(
        {"reports_from": "lead", "blue_days": 3, "scheme": {"cap": 1}, "gone": 1},
        {"reports_from": "all", "blue_days": 5, "scheme": {"cap": 2}},
    )
    assert rows("campaigns.campaign", changes) == [
        Row("蓝色督办提前天数", "blue_days", "changed", 3, 5),
        Row("gone", "gone", "removed", 1, None),
        Row("进展填报单位", "reports_from", "changed", "仅牵头单位", "牵头和配合单位"),
        Row("scheme · cap", "scheme.cap", "changed", 1, 2),
    ]
    assert object_type_label("campaigns.task") == "工作任务"
    assert object_type_label("nothing.here") == "nothing.here"
    assert object_type_label("") == ""
    assert rows("nothing.here", diff("a", "b")) == [Row("", "", "changed", "a", "b")]
