"""The REST API under /api/v1 (django-ninja): the same services and access helpers as the pages.

OpenAPI 3.1 at /api/v1/openapi.json, its documentation at /api/v1/docs from the package's own
static files (no CDN, no inline script)."""

from __future__ import annotations

from ninja import NinjaAPI

from . import errors
from .auth import AUTH
from .routers import (
    audit,
    campaigns,
    evidence,
    frameworks,
    indicators,
    league,
    me,
    notifications,
    rounds,
    work,
)

DESCRIPTION = (
    "质量强市创建管理平台接口 (QualityCity API). 认证:登录会话(写操作需 X-CSRFToken)或个人访问令牌"
    " `Authorization: Bearer qc_…`(在“API 令牌”页面或 POST /api/v1/tokens 创建)。"
    " 列表分页:limit(1–200)与 offset,返回 {items, count}。"
    ' 错误统一为 {"error": {"code", "message", "details"}},message 为用户语言(默认中文)。'
)

api = NinjaAPI(
    title="QualityCity API",
    version="1",
    description=DESCRIPTION,
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", me.router)
api.add_router("/frameworks", frameworks.router)
api.add_router("/campaigns", campaigns.router)
api.add_router("/rounds", rounds.router)
api.add_router("/evidence", evidence.router)
api.add_router("/", work.router)
api.add_router("/indicators", indicators.router)
api.add_router("/notifications", notifications.router)
api.add_router("/audit", audit.router)
api.add_router("/league", league.router)
