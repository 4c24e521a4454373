from __future__ import annotations

import copy
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from qualitycity.refusals import is_refused


class ChineseFirstMiddleware:
    """Simplified Chinese unless the user picked another language with the switch (cookie).

    The browser's Accept-Language is ignored on purpose: staff on an English-language browser
    still get the Chinese UI the office works in, and English only when they ask for it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user are never stored by the browser or a proxy
    (Cache-Control: no-store, private): campaign data must not stay in a shared computer's cache
    after logging out. Static files and anonymous pages are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


# C0 control characters and DEL; tab, line feed and carriage return are ordinary text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RejectControlCharactersMiddleware:
    """A request whose parameters hold a control character (NUL, BEL, ESC, …; tab and line
    breaks are text) is refused with a 400 and a clear message before any view sees it:
    PostgreSQL cannot store NUL in text (it answered 500), SQLite stored it silently, and the
    others break exports and printing. The API's text fields refuse the same characters
    (api/schemas.Text); this covers every page in one place."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_control(request):
            message = _("输入中含有不允许的控制字符(如 NUL),请删除后重新提交。")
            if request.path.startswith("/api/"):  # the API's one error shape (api/errors.py)
                body = {"error": {"code": "invalid_request", "message": message, "details": []}}
                return JsonResponse(body, status=400)
            if request.headers.get("HX-Request"):
                # an htmx form (a workspace row): the message above the page, the form untouched
                response = render(request, "web/_refusal_alert.html", {"message": message})
                response.status_code = 400
                response["HX-Retarget"] = "#qc-messages"
                response["HX-Reswap"] = "afterbegin"
                return response
            return render(request, "web/bad_request.html", {"message": message}, status=400)
        return self.get_response(request)


def _holds_control(request: HttpRequest) -> bool:
    if CONTROL.search(request.path):
        return True
    # Uploaded file names need no check: Django drops non-printable characters from them.
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for params in sources:
        for key, values in params.lists():
            if CONTROL.search(key) or any(CONTROL.search(v) for v in values):
                return True
    return False


class RefusedInputMiddleware:
    """Refused input is answered with a 400, whatever the view did next (see refusals.py).

    A POST that a form or a service refused (`refusals.mark_refused`) and whose view rendered
    its page again keeps the page and gets status 400. A view that redirected back after the
    refusal (an action button on a detail page) has the page it redirects to rendered here, with
    the refusal's messages on it, and answered 400: the user sees the same page as before, and a
    client or a test sees that nothing was accepted. htmx requests keep their redirect (htmx
    follows it and shows the messages), as do redirects outside this site.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "POST" or not is_refused(request):
            return response
        if response.status_code == 200:
            response.status_code = 400
        elif response.status_code == 302 and not request.headers.get("HX-Request"):
            again = _page_again(request, response["Location"])
            if again is not None:
                return again
        return response


def _page_again(request: HttpRequest, location: str) -> HttpResponse | None:
    target = urlsplit(location)
    if target.scheme or target.netloc:
        return None
    try:
        match = resolve(target.path)
    except Resolver404:
        return None
    page = copy.copy(request)
    page.method = "GET"
    page.path = page.path_info = target.path
    page.GET = QueryDict(target.query)
    page.POST = QueryDict()
    page._files = MultiValueDict()
    page.__dict__.pop("upload_refusal", None)
    page.qc_page_url = location  # base.html puts the address back (ui.js; refusals.shown_at)
    page.META = {**request.META, "REQUEST_METHOD": "GET", "QUERY_STRING": target.query}
    page.resolver_match = match
    response = match.func(page, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response = response.render()
    if response.status_code != 200:
        return None
    response.status_code = 400
    return response
