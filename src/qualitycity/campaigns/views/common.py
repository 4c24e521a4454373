"""What the campaign pages share: the campaign's navigation, a form's errors as messages, and a
task shown with its 督办 colour. A service's refusal becomes a response through
qualitycity.refusals.refusals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from qualitycity.orgs.access import is_office
from qualitycity.refusals import mark_refused, refuse

from ..access import manages_campaign, sees_all_work
from ..models import Campaign, Task


def nav(request: HttpRequest, campaign: Campaign, active: str) -> dict[str, Any]:
    """The context of the campaign's tabs (board, timeline, measures, notices, meetings)."""
    can_manage = manages_campaign(request.user, campaign)
    return {
        "campaign": campaign,
        "active": active,
        "sees_board": sees_all_work(request.user, campaign),
        "can_manage": can_manage,
        # An office reading a campaign of a region below its own (campaigns/_read_only.html).
        "read_only_office": not can_manage and is_office(request.user),
    }


def error_messages(request: HttpRequest, errors: list[str]) -> None:
    """Show a refusal's reasons on the page the view shows next (a 400: refusals.py)."""
    if errors:
        mark_refused(request)
    for message in errors:
        refuse(request, message)


def form_errors(form: forms.Form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def form_messages(request: HttpRequest, form: forms.Form) -> None:
    mark_refused(request)
    for errors in form.errors.values():
        for message in errors:
            refuse(request, message)


@dataclass
class TaskChoice:
    task: Task
    colour: str | None
