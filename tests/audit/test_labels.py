"""Every audit action the code records has a name in the users' language (audit.labels), so no
page that lists audit events prints an internal code."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from qualitycity.assessments.choices import RoundStatus
from qualitycity.assessments.transitions import FINDING
from qualitycity.audit.labels import action_label, known_actions

SRC = Path(__file__).resolve().parents[2] / "src" / "qualitycity"
LITERAL = re.compile(r'record\(\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', re.S)


def recorded_actions() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        found |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
    # The two computed ones: a round's new status and a finding's transition.
    found |= {f"round.{s}" for s in RoundStatus.values}
    found |= {f"finding.{t}" for t in FINDING.actions}
    return found


def test_the_scan_finds_the_recorded_actions():
    actions = recorded_actions()
    assert {"task.created", "score.saved", "notice.issued", "user.created"} <= actions
    assert len(actions) > 40


def test_every_recorded_action_has_a_label():
    known = known_actions()
    missing = sorted(a for a in recorded_actions() if a not in known)
    assert missing == []


def test_a_label_is_translated_and_an_unknown_action_never_shows_its_code():
    assert action_label("task.redated") == "调整完成期限"
    with translation.override("en"):
        assert action_label("task.redated") == "Change deadline"
    assert action_label("no.such_action") == "其他操作"
    assert action_label("unit.deleted") == "删除"
