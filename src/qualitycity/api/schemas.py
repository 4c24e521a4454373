"""Types every router shares: bounded ids and text, the page of a list, the error body."""

from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, StrictBool, StrictInt, StringConstraints

# The largest id a database holds (SQLite's and PostgreSQL's bigint); a larger one is a 422.
MAX_ID = 9_223_372_036_854_775_807
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# In JSON bodies numbers and booleans are taken only as themselves: "5" is not 5, 0 is not false
# (query strings and forms stay text, read by `Id` and friends).
BodyId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Int = StrictInt
Bool = StrictBool


def _no_control(value: str) -> str:
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value) or "\x7f" in value:
        raise ValueError(_("不能包含控制字符(如 NUL)。"))
    return value


def Text(max_length: int, *, required: bool = False) -> Any:
    """Text of at most `max_length` characters without control characters (tab and line breaks
    are kept); `required` text has at least one character that is not a space."""
    constraints = (
        StringConstraints(max_length=max_length, min_length=1, pattern=r"\S")
        if required
        else StringConstraints(max_length=max_length)
    )
    return Annotated[str, constraints, AfterValidator(_no_control)]


def Choice(values: list[str]) -> Any:
    """An optional filter that takes one of a TextChoices' values (anything else is a 422)."""
    return Literal[tuple(values)] | None


class ErrorDetail(Schema):
    field: str
    message: str


class ErrorInner(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    error: ErrorInner


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}


class Paging(LimitOffsetPagination):
    """`limit` (1–200, default 50) and `offset`; the answer is {"items": […], "count": n}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=1_000_000_000)
