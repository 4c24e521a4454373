"""One JSON shape for every refusal, with the message in the user's language:

    {"error": {"code": "validation_failed", "message": "…", "details": [{"field": "…", "message": "…"}]}}

An object the caller may not read is the same 404 as a missing one (the access helpers decide,
so scoping never tells what exists); a service's NotAllowed about an object the caller does read
is a 403 with the reason; ValidationFailed is 422, a wrong transition or a stale version 409, bad
JSON 400, no credentials 401.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from qualitycity.errors import (
    DomainError,
    InvalidTransition,
    NotAllowed,
    StaleVersion,
    ValidationFailed,
)


def error_body(code: str, message: str, details: list[dict[str, str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts)


def _message(err: dict) -> str:
    """A pydantic error in the user's language (the common kinds by name; others generically)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return _("必填项,不能缺少。")
    if kind == "string_too_long":
        return _("不能超过 %(n)s 个字符。") % {"n": ctx.get("max_length", "")}
    if kind in ("string_too_short", "string_pattern_mismatch"):  # the only pattern: \S
        return _("不能为空。")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("必须是整数。")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return _("必须是有限的数字。")
    if kind in ("less_than_equal", "less_than"):
        return _("不能大于 %(n)s。") % {"n": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("不能小于 %(n)s。") % {"n": ctx.get("ge", ctx.get("gt", ""))}
    if kind in ("bool_parsing", "bool_type"):
        return _("必须是 true 或 false。")
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return _("必须是 YYYY-MM-DD 格式的有效日期。")
    if kind in ("string_type", "string_unicode"):
        return _("必须是文本。")
    if kind in ("list_type",):
        return _("必须是列表。")
    if kind in ("enum", "literal_error"):
        return _("取值无效。")
    if kind == "value_error":
        return str(ctx.get("error", "")) or _("取值无效。")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("必须是 JSON 对象。")
    return _("格式不正确。")


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        parts = [f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details]
        message = _("请求内容不符合要求:%(parts)s") % {"parts": ";".join(parts)}
        return respond(request, 422, error_body("invalid_request", message, details))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("请先登录,或在 Authorization 头中提供有效的 API 令牌。")
        return respond(request, 401, error_body("not_authenticated", message))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("未找到该对象,或您无权访问。")))

    @api.exception_handler(DomainError)
    def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, NotAllowed):
            # The object was reachable (the access helpers 404 otherwise): say why not.
            status, code = 403, "not_allowed"
        elif isinstance(exc, StaleVersion):
            status, code = 409, "stale_version"
        elif isinstance(exc, InvalidTransition):
            status, code = 409, "invalid_transition"
        elif isinstance(exc, ValidationFailed):
            status, code = 422, "validation_failed"
        else:
            status, code = 422, "refused"
        details = [{"field": "", "message": m} for m in exc.messages]
        return respond(request, status, error_body(code, " ".join(exc.messages), details))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403:
            message = _("请求被拒绝:CSRF 校验失败,请刷新页面后重试。")
            return respond(request, 403, error_body("csrf_failed", message))
        if exc.status_code == 400:
            message = _("请求体不是有效的 JSON。")
            return respond(request, 400, error_body("bad_request", message))
        return respond(request, exc.status_code, error_body("http_error", str(exc)))
