"""How a page turns a service's refusal into a response: one way for every view.

    with refusals(request) as outcome:
        services.close_notice(notice, by=request.user)
    if outcome.refused:
        return render_the_page_again(...)   # the reasons are already on the page as messages
    messages.success(request, ...)

`NotAllowed` becomes the same 404 as a missing object (scoping never tells what exists); any other
`DomainError` (validation, a wrong transition, a stale version) is stopped here, its sentences are
added to the page's messages (unless `quiet=True`, for a view that shows them itself, e.g. as form
errors; `joined=True` makes them one message) and `outcome.refused` is set. Anything else
propagates.

A form page whose object the user may see but whose choices decide what they may do (which unit to
upload for, which indicator value to enter) passes `forbidden_as_404=False`: a `NotAllowed` there
is an answer about the form's input, shown like any other refusal.

Every refusal marks the request (`mark_refused`), and so does `render` for a POST whose page holds
a bound form or formset with errors: `web.middleware.RefusedInputMiddleware` then answers 400
instead of 200, or instead of the redirect back to the page. Views import `render` from here, not
from django.shortcuts (tests/web/test_hostile_forms.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.formsets import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render as django_render

from qualitycity.errors import DomainError, NotAllowed


@dataclass
class Outcome:
    refused: bool = False
    error: DomainError | None = None
    messages: list[str] = field(default_factory=list)


@contextmanager
def refusals(
    request: HttpRequest,
    *,
    quiet: bool = False,
    joined: bool = False,
    forbidden_as_404: bool = True,
) -> Iterator[Outcome]:
    outcome = Outcome()
    try:
        yield outcome
    except NotAllowed as exc:
        if forbidden_as_404:
            raise Http404 from exc
        _refused(request, outcome, exc, quiet=quiet, joined=joined)
    except DomainError as exc:
        _refused(request, outcome, exc, quiet=quiet, joined=joined)


def _refused(
    request: HttpRequest, outcome: Outcome, exc: DomainError, *, quiet: bool, joined: bool
) -> None:
    outcome.refused, outcome.error, outcome.messages = True, exc, list(exc.messages)
    mark_refused(request)
    if quiet:
        return
    for message in [" ".join(exc.messages)] if joined else exc.messages:
        messages.error(request, message)


def mark_refused(request: HttpRequest) -> None:
    """This request's input was refused: its answer is a 400 (web.middleware)."""
    request.qc_refused = True  # type: ignore[attr-defined]


def is_refused(request: HttpRequest) -> bool:
    return getattr(request, "qc_refused", False)


def _invalid(value: object) -> bool:
    """A bound form or formset that was validated and has errors (never validates it here: a
    page may show a bound form without checking it, e.g. after "add a row")."""
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value._errors)
    if isinstance(value, BaseFormSet):
        if not value.is_bound or value._errors is None:
            return False
        return any(value._errors) or bool(value._non_form_errors)
    return False


def render(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """django.shortcuts.render, and a POST whose page shows a form's errors is a refusal."""
    if request.method == "POST" and context:
        values = list(context.values())
        for value in list(values):
            if isinstance(value, dict):
                values += value.values()
        if any(_invalid(v) for v in values):
            mark_refused(request)
    return django_render(request, template_name, context, *args, **kwargs)


def refuse(request: HttpRequest, *reasons: str) -> None:
    """Refuse this request's input with these sentences on the page shown next (a 400)."""
    mark_refused(request)
    for reason in reasons:
        messages.error(request, reason)


def shown_at(request: HttpRequest, url: str) -> None:
    """The page being rendered is `url`'s, answered at another address (an action's, after a
    refusal): base.html carries `url` and ui.js puts it back in the address bar, so relative
    links work and a reload reads the page instead of sending the action again."""
    if request.get_full_path() != url:
        request.qc_page_url = url  # type: ignore[attr-defined]
