from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


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


class RejectNulMiddleware:
    """A request whose parameters hold a NUL character is refused with a 400 and a
    clear message before any view sees it: PostgreSQL cannot store NUL in text (it answered 500)
    and SQLite stored it silently. Django's form fields refuse NUL already; this covers the values
    pages read directly (review comments, reasons, filters) in one place."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            message = _("输入中含有不允许的控制字符(NUL),请删除后重新提交。")
            if request.path.startswith("/api/"):  # the API's one error shape (api/errors.py)
                body = {"error": {"code": "invalid_request", "message": message, "details": []}}
                return JsonResponse(body, status=400)
            return render(
                request,
                "web/bad_request.html",
                {"message": message},
                status=400,
            )
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    # Uploaded file names need no check: Django drops non-printable characters from them.
    sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for params in sources:
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    return False
