"""The workflows of assessments: a round, a rectification (整改) and a 合理缺项 claim.

The services refuse an action the table does not allow from the object's state; the pages offer
only actions the table allows (tests/assessments/test_transitions.py checks both sides agree).
"""

from qualitycity.workflow import Workflow, transition

from .choices import FindingStatus, NAStatus, RoundStatus

ROUND = Workflow(
    "round",
    [
        transition("submit", [RoundStatus.OPEN], RoundStatus.SUBMITTED),
        transition("lock", [RoundStatus.SUBMITTED], RoundStatus.LOCKED),
        transition("reopen", [RoundStatus.SUBMITTED, RoundStatus.LOCKED], RoundStatus.OPEN),
        # Work inside a round, which keeps its state: scores, 合理缺项 and auto-scoring only while
        # it is open; assessors and evidence links until it is locked.
        transition("score", [RoundStatus.OPEN], None),
        transition("set_assessors", [RoundStatus.OPEN, RoundStatus.SUBMITTED], None),
        transition("link_evidence", [RoundStatus.OPEN, RoundStatus.SUBMITTED], None),
    ],
)

LIFECYCLE = ("submit", "lock", "reopen")  # the round's own transitions, offered on its summary

FINDING = Workflow(
    "finding",
    [
        transition("start", [FindingStatus.OPEN], FindingStatus.IN_PROGRESS),
        transition("fix", [FindingStatus.OPEN, FindingStatus.IN_PROGRESS], FindingStatus.FIXED),
        transition("verify", [FindingStatus.FIXED], FindingStatus.VERIFIED),
        transition("send_back", [FindingStatus.FIXED], FindingStatus.IN_PROGRESS),
    ],
)

# A claim is made on a row without one or whose claim was not accepted; while it waits, and once it
# is accepted, nobody claims over it (a new claim used to revoke an approval silently). An accepted
# claim is taken back only by `revoke`, by someone who may decide claims: it waits for a decision
# again, with its reason.
NA_CLAIM = Workflow(
    "na_claim",
    [
        transition("claim", [NAStatus.NONE, NAStatus.REJECTED], NAStatus.PENDING),
        transition("approve", [NAStatus.PENDING], NAStatus.APPROVED),
        transition("reject", [NAStatus.PENDING], NAStatus.REJECTED),
        transition("revoke", [NAStatus.APPROVED], NAStatus.PENDING),
    ],
)
