"""The workflow tables' small engine (qualitycity.workflow): pure."""

from __future__ import annotations

import pytest

from qualitycity.workflow import Workflow, transition

FLOW = Workflow(
    "demo",
    [
        transition("submit", ["draft", "returned"], "submitted"),
        transition("accept", ["submitted"], "accepted"),
        transition("return", ["submitted"], "returned"),
    ],
)


def test_an_action_is_allowed_only_from_its_sources():
    assert FLOW.allows("submit", "draft") and FLOW.allows("submit", "returned")
    assert not FLOW.allows("submit", "submitted")
    assert not FLOW.allows("nonsense", "draft")


def test_the_target_is_none_where_the_action_is_not_allowed():
    assert FLOW.target("accept", "submitted") == "accepted"
    assert FLOW.target("accept", "draft") is None


def test_available_actions_keep_the_declared_order():
    assert FLOW.available("submitted") == ["accept", "return"]
    assert FLOW.available("accepted") == []
    assert FLOW.actions == ("submit", "accept", "return")


def test_an_action_declared_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        Workflow("bad", [transition("a", ["x"], "y"), transition("a", ["y"], "z")])


def test_a_transition_without_target_keeps_the_state():
    flow = Workflow("draft", [transition("save", ["draft", "returned"], None)])
    assert flow.target("save", "returned") == "returned"
    assert flow.target("save", "draft") == "draft"
    assert flow.target("save", "submitted") is None
