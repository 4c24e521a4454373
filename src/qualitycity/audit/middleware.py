from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import acting


class RequestContextMiddleware:
    """Give every request an id (answered in X-Request-ID) that audit events carry.

    The id is always the server's own: a client's X-Request-ID header is ignored, so nobody can
    choose (or collide with) the request id that their changes are recorded under."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = (
            "admin"
            if request.path.startswith("/admin/")
            else "api"
            if request.path.startswith("/api/")
            else "web"
        )
        with acting(source, None) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response
