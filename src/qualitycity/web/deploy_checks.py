"""`qualitycity check --deploy`: what a production installation must set beyond Django's checks."""

from __future__ import annotations

import os

from django.core import checks


def secret_key_is_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if os.environ.get("QC_SECRET_KEY"):
        return []
    return [
        checks.Warning(
            "QC_SECRET_KEY is not set: this server made its own key in its var directory.",
            hint="Set QC_SECRET_KEY (the same on every app server), or QC_REQUIRE_SECRET_KEY=1 to "
            "refuse to start without it.",
            id="qualitycity.W001",
        )
    ]
