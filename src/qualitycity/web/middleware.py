from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


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
