"""No text longer than its field's limit reaches the database, whoever writes it.

Forms and the API refuse over-long text with their own messages; this is the last guard behind
them, for a value a service takes from elsewhere (a reason read from a page, a row of an
import). Without it PostgreSQL answers a `DataError` (a 500) for a CharField and both databases
store an unbounded TextField. Every text field of the project's models has a `max_length`
(tests/test_text_limits.py); a save that exceeds one raises `ValidationFailed`, which pages and the
API turn into a 4xx with this message.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from qualitycity.errors import ValidationFailed

PROJECT = "qualitycity."


def too_long(instance: models.Model) -> list[str]:
    """A sentence for each text field of `instance` longer than its limit."""
    problems = []
    for f in instance._meta.concrete_fields:
        if not isinstance(f, (models.CharField, models.TextField)) or not f.max_length:
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, str) and len(value) > f.max_length:
            problems.append(
                _("“%(field)s”不能超过 %(max)s 个字符(现有 %(n)s 个)。")
                % {"field": f.verbose_name, "max": f.max_length, "n": len(value)}
            )
    return problems


def refuse_too_long(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender.__module__.startswith(PROJECT) and (problems := too_long(instance)):
        raise ValidationFailed(problems)


def connect() -> None:
    pre_save.connect(refuse_too_long, dispatch_uid="qualitycity.audit.lengths")
