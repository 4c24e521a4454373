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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest

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
    if quiet:
        return
    for message in [" ".join(exc.messages)] if joined else exc.messages:
        messages.error(request, message)
