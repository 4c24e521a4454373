"""The app's "today". Normally the real date; a demo or training site may pin it with QC_TODAY
(YYYY-MM-DD) so that a historical campaign is shown mid-way, with colours and deadlines as they
were on that day. Timestamps of records keep the pinned day and the real time of day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    pinned: dt.date | None = getattr(settings, "QC_TODAY", None)
    return pinned or timezone.localdate()


def now() -> dt.datetime:
    real = timezone.localtime()
    pinned: dt.date | None = getattr(settings, "QC_TODAY", None)
    if pinned is None:
        return real
    return real.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def is_pinned() -> bool:
    return getattr(settings, "QC_TODAY", None) is not None
