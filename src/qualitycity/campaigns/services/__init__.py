"""Every write to campaigns and their work: one function per change, each atomic and audited.

Pages, the CLI, the admin and the API call these; none of them writes campaign data itself.
"""

from .campaigns import YONGZHOU_PHASES, PhaseSpec, create_campaign
from .measures import MEASURES_FILE, load_measures
from .meetings import create_meeting, decisions_to_tasks, parse_decisions
from .monthly import Entry, MonthlyRefused, review_monthly, save_monthly
from .notices import close_notice, issue_notice, respond_notice
from .notifications import (
    add_robot,
    attempt_delivery,
    mark_notifications_read,
    notify,
    open_notification,
    preferences,
    remove_robot,
    save_preferences,
    set_robot_active,
    test_robot,
)
from .reports import review_report, save_report
from .responsibility import assign_row_units, map_name, resolution, resolve_responsibilities
from .setup import (
    import_measures,
    remove_measure,
    remove_phase,
    save_measure,
    save_phase,
    set_up_campaign,
    split_names,
    update_campaign,
)
from .tasks import (
    Responsibility,
    add_task,
    cancel_task,
    generate_tasks,
    reassign_task,
    redate_task,
    responsibilities,
    split_task,
    update_progress,
)

__all__ = [
    "MEASURES_FILE",
    "YONGZHOU_PHASES",
    "Entry",
    "MonthlyRefused",
    "PhaseSpec",
    "Responsibility",
    "add_robot",
    "add_task",
    "assign_row_units",
    "attempt_delivery",
    "cancel_task",
    "close_notice",
    "create_campaign",
    "create_meeting",
    "decisions_to_tasks",
    "generate_tasks",
    "import_measures",
    "issue_notice",
    "load_measures",
    "map_name",
    "mark_notifications_read",
    "notify",
    "open_notification",
    "parse_decisions",
    "preferences",
    "reassign_task",
    "redate_task",
    "remove_measure",
    "remove_phase",
    "remove_robot",
    "resolution",
    "resolve_responsibilities",
    "respond_notice",
    "responsibilities",
    "review_monthly",
    "review_report",
    "save_measure",
    "save_monthly",
    "save_phase",
    "save_preferences",
    "save_report",
    "set_robot_active",
    "set_up_campaign",
    "split_names",
    "split_task",
    "test_robot",
    "update_campaign",
    "update_progress",
]
