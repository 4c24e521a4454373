"""Work queues of rectification (整改): the findings a user can act on now.

Each queue is the findings page's scoped queryset (`access.visible_findings`) narrowed to the
states from which the workflow table `FINDING` allows the queue's action, and to the findings on
which the user holds the permission the service checks for it:

- 待整改 (findings to fix): `start_rectification` / `mark_fixed` — `can_work_on_finding`: the
  responsible (lead) unit's liaisons, and the campaign's office (which sees all of its
  campaigns'). A cooperating unit reads the finding but does not act on it, so it is not listed.
- 待复核 (findings to verify): `verify_finding` / `send_back_finding` — the campaign's office
  (`manages_campaign`).

Findings have no state after 已复核: verification is their 整改销号, so 待复核 is the findings'
“待销号”; the 待销号 queue proper is of 督办单 (campaigns.queues.notices_to_close).
One query for each count (after the user's scope, cached per request).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from qualitycity.campaigns.access import managed_campaigns
from qualitycity.orgs.access import is_office, liaison_unit_ids
from qualitycity.orgs.models import User

from . import services
from .access import visible_findings
from .models import Finding
from .transitions import FINDING


def _listed(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    return qs.select_related("round", "round__campaign", "criterion", "unit")


def findings_to_fix(user: User) -> QuerySet[Finding]:
    """待整改: open or in-progress findings of the user's own (lead) units, and of the campaigns
    it manages; earliest due date first."""
    qs = visible_findings(user).filter(status__in=FINDING.sources("fix") | FINDING.sources("start"))
    qs = qs.filter(
        Q(unit_id__in=liaison_unit_ids(user)) | Q(round__campaign__in=managed_campaigns(user))
    )
    return _listed(qs).order_by("due", "pk")


def findings_to_verify(user: User) -> QuerySet[Finding]:
    """待复核: findings marked fixed in the campaigns the user manages, waiting longest first."""
    qs = visible_findings(user).filter(
        status__in=FINDING.sources("verify") & FINDING.sources("send_back"),
        round__campaign__in=managed_campaigns(user),
    )
    return _listed(qs).order_by("fixed_at", "pk")


def mark_overdue_findings(findings: Iterable[Finding], today: dt.date) -> list[Finding]:
    """Each finding with `overdue` set by the rectification rule (services.is_overdue)."""
    out = list(findings)
    for finding in out:
        finding.overdue = services.is_overdue(finding, today)
    return out


# --- whose home page shows which queue ---------------------------------------------------------


def fixes_findings(user: User) -> bool:
    """A unit's liaison rectifies its findings; an office follows them."""
    return bool(liaison_unit_ids(user)) or is_office(user)


def verifies_findings(user: User) -> bool:
    """The office verifies rectifications."""
    return is_office(user)
