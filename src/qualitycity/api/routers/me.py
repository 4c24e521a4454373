"""The caller and their personal API tokens (only the owner lists, creates and revokes them)."""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from qualitycity.orgs import services
from qualitycity.orgs.access import access_token, own_tokens, scope_of

from ..schemas import ERRORS, WRITE_ERRORS, Id, Int, Text

router = Router(tags=["me"])


class MembershipOut(Schema):
    role: str
    region_id: int
    unit_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    admin: bool
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIn(Schema):
    name: Text(100, required=True)  # type: ignore[valid-type]
    days: Annotated[Int, Field(ge=1, le=365)] = 90


class TokenCreated(TokenOut):
    token: str  # shown once


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "admin": scope_of(user).admin,
        "memberships": [
            {"role": m.role, "region_id": m.region_id, "unit_id": m.unit_id}
            for m in user.memberships.all()
        ],
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: HttpRequest):
    return list(own_tokens(request.user))


@router.post("/tokens", response={201: TokenCreated, **WRITE_ERRORS})
def create_token(request: HttpRequest, payload: TokenIn):
    token, raw = services.create_token(request.user, name=payload.name, days=payload.days)
    out = TokenOut.from_orm(token).dict() | {"token": raw}
    return Status(201, out)


@router.delete("/tokens/{token_id}", response={200: TokenOut, **WRITE_ERRORS})
def revoke_token(request: HttpRequest, token_id: Id):
    return services.revoke_token(access_token(request.user, token_id), by=request.user)
