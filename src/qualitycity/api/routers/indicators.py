"""Quality indicators (质量指标) and their observations (指标数据): reading, and entering a value
through indicators.services (who may enter which region's value is `indicators.access`)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from qualitycity.errors import ValidationFailed
from qualitycity.indicators import services
from qualitycity.indicators.access import access_indicator, visible_indicators, visible_regions
from qualitycity.indicators.choices import Series
from qualitycity.indicators.models import Observation
from qualitycity.orgs.models import Region

from ..schemas import ERRORS, WRITE_ERRORS, BodyId, Choice, Id, Paging, Text

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    category: str
    measure_unit: str
    responsible_unit_id: int | None
    frequency: str
    rule: dict[str, Any]

    @staticmethod
    def resolve_rule(obj) -> dict[str, Any]:
        return obj.rule or {}


class ObservationOut(Schema):
    id: int
    indicator_id: int
    series: str
    region_id: int | None
    period: str
    period_end: dt.date
    value: float
    source: str
    note: str
    entered_at: dt.datetime | None


Finite = Annotated[float, Field(allow_inf_nan=False, strict=True)]


class ObservationIn(Schema):
    series: Literal[tuple(Series.values)] = "value"  # type: ignore[valid-type]
    region: BodyId | None = None
    period: Text(20, required=True)  # type: ignore[valid-type]
    value: Finite | Text(40)  # type: ignore[valid-type]
    source: Text(300) = ""  # type: ignore[valid-type]
    note: Text(2000) = ""  # type: ignore[valid-type]


@router.get("", response={200: list[IndicatorOut], **ERRORS})
@paginate(Paging)
def list_indicators(request: HttpRequest):
    return visible_indicators(request.user).order_by("position", "pk")


@router.get("/{indicator_id}", response={200: IndicatorOut, **ERRORS})
def get_indicator(request: HttpRequest, indicator_id: Id):
    return access_indicator(request.user, indicator_id)


@router.get("/{indicator_id}/observations", response={200: list[ObservationOut], **ERRORS})
@paginate(Paging)
def list_observations(
    request: HttpRequest,
    indicator_id: Id,
    region: Id | None = None,
    series: Choice(Series.values) = None,  # type: ignore[valid-type]
):
    """Values of the regions the user reads and the reference series (no region), newest first."""
    indicator = access_indicator(request.user, indicator_id)
    qs = Observation.objects.filter(indicator=indicator).filter(
        Q(region__isnull=True) | Q(region__in=visible_regions(request.user))
    )
    if region:
        qs = qs.filter(region_id=region)
    if series:
        qs = qs.filter(series=series)
    return qs.order_by("-period_end", "series", "region_id", "pk")


@router.post("/{indicator_id}/observations", response={200: ObservationOut, **WRITE_ERRORS})
def enter_observation(request: HttpRequest, indicator_id: Id, payload: ObservationIn):
    """Enter (or correct) one period's value; the same period again replaces it."""
    indicator = access_indicator(request.user, indicator_id)
    region = None
    if payload.region is not None:
        region = Region.objects.filter(pk=payload.region).first()
        if region is None:
            raise ValidationFailed(_("行政区无效。"))
    value = payload.value
    return services.save_observation(
        indicator,
        by=request.user,
        series=payload.series,
        region=region,
        period=payload.period,
        value=str(Decimal(str(value))) if isinstance(value, float) else value,
        source=payload.source,
        note=payload.note,
    )
