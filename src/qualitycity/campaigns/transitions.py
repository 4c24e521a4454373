"""The workflows of campaign work: a progress report (进展填报) and a supervision notice (督办单).

The services refuse an action the table does not allow from the object's state; the pages offer
only actions the table allows (tests/campaigns/test_transitions.py checks both sides agree).
A report not yet saved is in the model's default state, 草稿 (draft).
"""

from qualitycity.workflow import Workflow, transition

from .choices import NoticeStatus, ReportStatus

REPORT = Workflow(
    "report",
    [
        # Saving keeps the state: a returned report stays returned until it is submitted again.
        transition("save", [ReportStatus.DRAFT, ReportStatus.RETURNED], None),
        transition("submit", [ReportStatus.DRAFT, ReportStatus.RETURNED], ReportStatus.SUBMITTED),
        transition("accept", [ReportStatus.SUBMITTED], ReportStatus.ACCEPTED),
        transition("return", [ReportStatus.SUBMITTED], ReportStatus.RETURNED),
    ],
)

NOTICE = Workflow(
    "notice",
    [
        # A unit may respond again (add to its response) until the office closes the notice.
        transition(
            "respond", [NoticeStatus.ISSUED, NoticeStatus.RESPONDED], NoticeStatus.RESPONDED
        ),
        transition("close", [NoticeStatus.RESPONDED], NoticeStatus.CLOSED),
    ],
)
