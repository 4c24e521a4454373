"""Who calls the API: a signed-in browser (Django's session, CSRF checked on writes) or a personal
token in `Authorization: Bearer qc_…` (orgs.services.user_for_token: hashed, with an expiry,
revocable by its owner)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from qualitycity.orgs.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user  # the services, access helpers and audit read request.user
        return user


AUTH = [TokenAuth(), SessionAuth()]
