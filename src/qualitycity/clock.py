"""The app's "today". Normally the real date; a demo or training site may pin it with QC_TODAY
(YYYY-MM-DD) so that a historical campaign is shown mid-way, with colours and deadlines as they
were on that day. Timestamps of records keep the pinned day and the real time of day.

Code that makes dated records (the demo data) pins the day for a block with `pinned(day)`; it
wins over QC_TODAY, nests, and holds for the current thread or task only (a context variable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_pinned: ContextVar[dt.date | None] = ContextVar("qualitycity_pinned_today", default=None)


def _pinned_day() -> dt.date | None:
    day = _pinned.get()
    if day is not None:
        return day
    return getattr(settings, "QC_TODAY", None)


def today() -> dt.date:
    return _pinned_day() or timezone.localdate()


def now() -> dt.datetime:
    real = timezone.localtime()
    pinned = _pinned_day()
    if pinned is None:
        return real
    return real.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def is_pinned() -> bool:
    return _pinned_day() is not None


@contextmanager
def pinned(day: dt.date) -> Iterator[dt.date]:
    """Inside the block, `today()` is `day` and `now()` the real time of day on `day`."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"clock.pinned() takes a date, got {day!r}")
    token = _pinned.set(day)
    try:
        yield day
    finally:
        _pinned.reset(token)
