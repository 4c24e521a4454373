"""Campaigns (创建工作) a user reads, their phases and their measures (主要措施)."""

import datetime as dt

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from qualitycity.campaigns.access import access_campaign, visible_campaigns
from qualitycity.campaigns.models import Measure, MeasureUnit

from ..schemas import ERRORS, Id, Paging

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    id: int
    name: str
    region_id: int
    region: str
    framework_id: int
    start: dt.date
    end: dt.date
    report_period: str
    reports_from: str

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name


class PhaseOut(Schema):
    id: int
    position: int
    name: str
    start: dt.date
    end: dt.date


class CampaignDetail(CampaignOut):
    phases: list[PhaseOut]

    @staticmethod
    def resolve_phases(obj) -> list:
        return list(obj.phases.order_by("position"))


class MeasureOut(Schema):
    id: int
    number: int
    section: str
    title: str
    text: str
    lead_units: list[str]
    cooperating_units: list[str]
    criteria: list[int]


@router.get("", response={200: list[CampaignOut], **ERRORS})
@paginate(Paging)
def list_campaigns(request: HttpRequest, region: Id | None = None, framework: Id | None = None):
    qs = visible_campaigns(request.user).order_by("region__position", "start", "pk")
    if region:
        qs = qs.filter(region_id=region)
    if framework:
        qs = qs.filter(framework_id=framework)
    return qs


@router.get("/{campaign_id}", response={200: CampaignDetail, **ERRORS})
def get_campaign(request: HttpRequest, campaign_id: Id):
    return access_campaign(request.user, campaign_id)


@router.get("/{campaign_id}/measures", response={200: list[MeasureOut], **ERRORS})
def list_measures(request: HttpRequest, campaign_id: Id):
    campaign = access_campaign(request.user, campaign_id)
    measures = (
        Measure.objects.filter(campaign=campaign)
        .order_by("number")
        .prefetch_related(
            Prefetch("units", queryset=MeasureUnit.objects.order_by("role", "position")),
            "criteria",
        )
    )
    return [
        {
            "id": m.pk,
            "number": m.number,
            "section": m.section,
            "title": m.title,
            "text": m.text,
            "lead_units": [u.printed_name for u in m.units.all() if u.role == "lead"],
            "cooperating_units": [u.printed_name for u in m.units.all() if u.role != "lead"],
            "criteria": sorted(c.pk for c in m.criteria.all()),
        }
        for m in measures
    ]
