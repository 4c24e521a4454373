from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
