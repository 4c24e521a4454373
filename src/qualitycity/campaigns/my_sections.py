"""Sections that apps above campaigns add to a liaison's 我的任务 (campaigns.views.tasks.my_tasks).

我的任务 is a campaigns page, but some of a unit's work belongs to apps above it: the findings
(整改) of assessment rounds live in assessments, which campaigns may not import. Such an app
registers a section when Django starts (its AppConfig.ready), and the page shows every
registered section with its rows:

    register(MySection(key="rectify", title=_("待整改"), template="…", rows=…, count=…))

`rows(user, unit_ids, today)` returns what the user's units have to do (a fixed number of queries,
one for a queryset); the template gets `section` and `rows`. Sections appear in the order they
were registered; registering a key again replaces the entry (tests, reloads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from qualitycity.orgs.models import User


@dataclass(frozen=True)
class MySection:
    key: str  # the section's anchor on the page (#key)
    title: str | Promise
    template: str
    rows: Callable[[User, set[int], dt.date], Sequence[Any]]


@dataclass(frozen=True)
class ShownSection:
    section: MySection
    rows: Sequence[Any]


_SECTIONS: dict[str, MySection] = {}


def register(section: MySection) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[MySection]:
    return list(_SECTIONS.values())


def shown_sections(user: User, unit_ids: set[int], today: dt.date) -> list[ShownSection]:
    """Every registered section with the rows of the user's (liaison) units."""
    return [ShownSection(s, list(s.rows(user, unit_ids, today))) for s in _SECTIONS.values()]
