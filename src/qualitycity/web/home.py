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

from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import roles_of, visible_groups, visible_units
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, User

from .queues import cards_for


@dataclass(frozen=True)
class Section:
    key: str  # data-section="<key>" on the page
    template: str
    concerns: Callable[[User], bool]
    data: Callable[[HttpRequest], Any]


def _everyone(user: User) -> bool:
    return True


def _queue_cards(request: HttpRequest) -> Any:
    return cards_for(request.user)


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


SECTIONS: list[Section] = [
    Section("queues", "web/home/queues.html", _everyone, _queue_cards),
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
    return render(request, "web/home.html", {"sections": sections_for(request)})
