"""Scoring tables (考核评分体系), read only: each version is immutable once loaded."""

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qualitycity.frameworks.access import access_framework, visible_frameworks
from qualitycity.frameworks.models import Criterion, CriterionUnit, Dimension, Item

from ..schemas import ERRORS, Id, Paging, Text

router = Router(tags=["frameworks"])


class FrameworkOut(Schema):
    id: int
    code: str
    version: int
    title: str
    source: str
    loaded_at: dt.datetime


class CriterionOut(Schema):
    id: int
    key: str
    row: str
    text: str
    points: float | None
    max_points: float
    rule: dict[str, Any]
    na_allowed: bool
    lead_units: list[str]
    cooperating_units: list[str]


class ItemOut(Schema):
    id: int
    code: str
    title: str
    max_points: float
    criteria: list[CriterionOut]


class DimensionOut(Schema):
    id: int
    number: int
    title: str
    items: list[ItemOut]


class FrameworkDetail(FrameworkOut):
    dimensions: list[DimensionOut]


@router.get("", response={200: list[FrameworkOut], **ERRORS})
@paginate(Paging)
def list_frameworks(request: HttpRequest, code: Text(60) | None = None):  # type: ignore[valid-type]
    qs = visible_frameworks(request.user).order_by("code", "version")
    return qs.filter(code=code) if code else qs


def _criterion(c: Criterion) -> dict[str, Any]:
    units = list(c.units.all())
    return {
        "id": c.pk,
        "key": c.key,
        "row": c.row,
        "text": c.text,
        "points": c.points,
        "max_points": c.max_points,
        "rule": c.rule or {},
        "na_allowed": c.na_allowed,
        "lead_units": [u.printed_name for u in units if u.role == "lead"],
        "cooperating_units": [u.printed_name for u in units if u.role != "lead"],
    }


@router.get("/{framework_id}", response={200: FrameworkDetail, **ERRORS})
def get_framework(request: HttpRequest, framework_id: Id):
    fw = access_framework(request.user, framework_id)
    criteria = Criterion.objects.order_by("position").prefetch_related(
        Prefetch("units", queryset=CriterionUnit.objects.order_by("role", "position"))
    )
    dims = (
        Dimension.objects.filter(framework=fw)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.order_by("position").prefetch_related(
                    Prefetch("criteria", queryset=criteria)
                ),
            )
        )
    )
    return {
        **FrameworkOut.from_orm(fw).dict(),
        "dimensions": [
            {
                "id": d.pk,
                "number": d.number,
                "title": d.title,
                "items": [
                    {
                        "id": i.pk,
                        "code": i.code,
                        "title": i.title,
                        "max_points": i.max_points,
                        "criteria": [_criterion(c) for c in i.criteria.all()],
                    }
                    for i in d.items.all()
                ],
            }
            for d in dims
        ],
    }
