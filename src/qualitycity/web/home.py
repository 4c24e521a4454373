"""The home page (工作台): one page per user, made of the sections of the user's roles.

Each section is an entry in SECTIONS: whose home page shows it (`concerns`), its template under
web/templates/web/home/ and the function that reads its data (`data`, a fixed number of queries
whatever the amount of data). The page shows the user's sections in SECTIONS' order; a section's
template gets `section` (the entry) and `data` (what `data` returned).

Adding a section (the office's and leaders' cockpit, say) is one entry here, its template and
its test; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qualitycity import clock
from qualitycity.assessments.assessor_queues import assigned_rounds
from qualitycity.campaigns.my_work import unit_work
from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import (
    is_admin,
    liaison_unit_ids,
    roles_of,
    visible_groups,
    visible_units,
)
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Unit, User
from qualitycity.reports.views import home_section as cockpit_section

from .queues import QUEUES, cards_for
from .system import system_summary


@dataclass(frozen=True)
class Section:
    key: str  # data-section="<key>" on the page
    template: str
    concerns: Callable[[User], bool]
    data: Callable[[HttpRequest], Any]


def _everyone(user: User) -> bool:
    return True


def _has_queues(user: User) -> bool:
    return any(q.concerns(user) for q in QUEUES)


def _queue_cards(request: HttpRequest) -> dict[str, Any]:
    cards = cards_for(request.user)
    return {"cards": cards, "total": sum(c.count for c in cards)}


def _about_me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    role_labels = dict(Role.choices)
    return {
        "memberships": Membership.objects.filter(user=user).select_related("unit", "region"),
        "role_names": [role_labels[r] for r in sorted(roles_of(user))],
        "frameworks": Framework.objects.order_by("code", "-version"),
        # Only the directories the user reads.
        "unit_count": visible_units(user).count(),
        "group_count": visible_groups(user).count(),
    }


def _is_liaison(user: User) -> bool:
    return bool(liaison_unit_ids(user))


def _liaison_work(request: HttpRequest) -> dict[str, Any]:
    """我的任务 in figures: the user's units' tasks by colour, the reports they owe now, the
    reports returned to them (campaigns.my_work, as the 我的任务 page reads it)."""
    work = unit_work(request.user, clock.today())
    assert work is not None  # _is_liaison
    return {
        "work": work,
        "units": list(
            Unit.objects.filter(pk__in=work.unit_ids)
            .order_by("position", "code")
            .values_list("name", flat=True)
        ),
        "red": work.colour_counts.get("red", 0),
        "yellow": work.colour_counts.get("yellow", 0),
        "blue": work.colour_counts.get("blue", 0),
        "due": len(work.due),
        "overdue": work.overdue_reports,
        "returned": len(work.returned),
    }


def _is_assessor(user: User) -> bool:
    return Role.ASSESSOR in roles_of(user)


def _assessor_rounds(request: HttpRequest) -> Any:
    return assigned_rounds(request.user)


def _system(request: HttpRequest) -> Any:
    return system_summary()


def _office_or_leader(user: User) -> bool:
    return bool(roles_of(user) & {Role.OFFICE, Role.LEADER})


def _cockpit(request: HttpRequest) -> Any:
    """The cockpit of the user's current campaign (reports.views), or None without one."""
    return cockpit_section(request)


# In order on the page.
SECTIONS: list[Section] = [
    Section("cockpit", "web/home/cockpit.html", _office_or_leader, _cockpit),
    Section("liaison", "web/home/liaison.html", _is_liaison, _liaison_work),
    Section("queues", "web/home/queues.html", _has_queues, _queue_cards),
    Section("assessor", "web/home/assessor.html", _is_assessor, _assessor_rounds),
    Section("system", "web/home/system.html", is_admin, _system),
    Section("about", "web/home/about.html", _everyone, _about_me),
]


@dataclass(frozen=True)
class Shown:
    section: Section
    data: Any


def sections_for(request: HttpRequest) -> list[Shown]:
    """The user's sections with their data, in SECTIONS' order."""
    return [Shown(s, s.data(request)) for s in SECTIONS if s.concerns(request.user)]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sections = sections_for(request)
    charts = any(s.section.key == "cockpit" and s.data for s in sections)
    return render(request, "web/home.html", {"sections": sections, "charts": charts})
