"""Events that notify people: what happened, who it concerns, which channels carry it by default.

One table, read by the service that notifies (`services.notifications.notify`), by the preferences
page (a row per event) and by the robot form (which events a group robot carries). Pure: no
database. Recipients are described by the parties an event concerns; the service turns parties
into users (the campaign's office, the unit's liaisons, the round's assessors, one person).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Parties an event concerns.
OFFICE = "office"  # the campaign office (创质办) of the campaign's region
LIAISONS = "liaisons"  # the liaisons (联络员) of the unit concerned
ASSESSORS = "assessors"  # the round's assigned experts
DECIDERS = "deciders"  # whoever decides a 合理缺项 claim in that round
PERSON = "person"  # one named person (the claimant, the author of a report)

# Channels a person can choose.
IN_APP = "in_app"
EMAIL = "email"
CHANNELS = (IN_APP, EMAIL)


@dataclass(frozen=True)
class Event:
    key: str
    label: object  # lazy translation
    group: object
    parties: tuple[str, ...]
    email: bool = True  # e-mail by default (a person may turn it off, or on)


_WORK = _("工作进展")
_SUPERVISION = _("督办")
_RECTIFY = _("整改")
_ROUNDS = _("考核评价")
_TASKS = _("任务")

EVENTS: dict[str, Event] = {
    e.key: e
    for e in [
        Event("report.submitted", _("进展报告已提交"), _WORK, (OFFICE,)),
        Event("report.returned", _("进展报告被退回"), _WORK, (LIAISONS, PERSON)),
        Event("report.accepted", _("进展报告已通过"), _WORK, (LIAISONS, PERSON), email=False),
        Event("notice.issued", _("收到督办单"), _SUPERVISION, (LIAISONS,)),
        Event("notice.responded", _("督办单已反馈"), _SUPERVISION, (OFFICE, PERSON)),
        Event("notice.closed", _("督办单已销号"), _SUPERVISION, (LIAISONS,), email=False),
        Event("finding.assigned", _("整改事项已交办"), _RECTIFY, (LIAISONS,)),
        Event("finding.fixed", _("整改已完成,待复核"), _RECTIFY, (OFFICE,)),
        Event("finding.sent_back", _("整改被退回"), _RECTIFY, (LIAISONS,)),
        Event("finding.verified", _("整改已复核销号"), _RECTIFY, (LIAISONS,), email=False),
        Event("na.claimed", _("合理缺项待认定"), _ROUNDS, (DECIDERS,)),
        Event("na.decided", _("合理缺项已认定"), _ROUNDS, (PERSON, OFFICE)),
        Event("task.assigned", _("新任务"), _TASKS, (LIAISONS,)),
        Event("task.reassigned", _("任务改派"), _TASKS, (LIAISONS,)),
        Event("task.redated", _("任务期限调整"), _TASKS, (LIAISONS,)),
        Event("round.opened", _("考核轮次开始"), _ROUNDS, (OFFICE, ASSESSORS)),
        Event("round.submitted", _("考核轮次已提交"), _ROUNDS, (OFFICE, ASSESSORS)),
        Event("round.locked", _("考核轮次已锁定"), _ROUNDS, (OFFICE, ASSESSORS), email=False),
        Event("deadline", _("到期提醒"), _TASKS, (LIAISONS,)),
    ]
}


def event(key: str) -> Event:
    """The event of a key; an unknown key is a programming error, not a user's."""
    return EVENTS[key]


def default_channels(key: str) -> dict[str, bool]:
    return {IN_APP: True, EMAIL: EVENTS[key].email}


def chosen_channels(key: str, preference: dict[str, bool] | None) -> dict[str, bool]:
    """The channels a person receives an event on: their stored choice where they made one."""
    out = default_channels(key)
    if preference:
        out.update({c: bool(v) for c, v in preference.items() if c in CHANNELS})
    return out


def robot_carries(subscribed: list[str] | None, key: str) -> bool:
    """A group robot carries the events it subscribed to; none listed means every event."""
    return not subscribed or key in subscribed
