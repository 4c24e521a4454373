"""Evidence (佐证材料): metadata of what a user reads, and uploading a file for a unit."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qualitycity.assessments.access import access_readable_evidence, readable_evidence
from qualitycity.campaigns.access import access_campaign
from qualitycity.errors import ValidationFailed
from qualitycity.evidence import services
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.access import visible_units

from ..schemas import ERRORS, WRITE_ERRORS, Id, Paging, Text

router = Router(tags=["evidence"])


class EvidenceOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    title: str
    original_name: str
    description: str
    effective_date: dt.date
    size: int
    mime: str
    sha256: str
    criteria: list[int]
    uploaded_by: int | None
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.file.size

    @staticmethod
    def resolve_mime(obj) -> str:
        return obj.file.mime

    @staticmethod
    def resolve_sha256(obj) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_criteria(obj) -> list[int]:
        return sorted(c.pk for c in obj.criteria.all())

    @staticmethod
    def resolve_uploaded_by(obj) -> int | None:
        return obj.uploaded_by_id


class UploadIn(Schema):
    campaign: Id
    unit: Id
    title: Text(300, required=True)  # type: ignore[valid-type]
    effective_date: dt.date
    description: Text(5000) = ""  # type: ignore[valid-type]
    criteria: list[Id] = []


@router.get("", response={200: list[EvidenceOut], **ERRORS})
@paginate(Paging)
def list_evidence(
    request: HttpRequest,
    campaign: Id | None = None,
    unit: Id | None = None,
    criterion: Id | None = None,
):
    """Newest first."""
    qs = (
        readable_evidence(request.user)
        .select_related("file")
        .prefetch_related("criteria")
        .order_by("-uploaded_at", "-pk")
    )
    if campaign:
        qs = qs.filter(campaign_id=campaign)
    if unit:
        qs = qs.filter(unit_id=unit)
    if criterion:
        qs = qs.filter(criteria=criterion)
    return qs


@router.get("/{evidence_id}", response={200: EvidenceOut, **ERRORS})
def get_evidence(request: HttpRequest, evidence_id: Id):
    return access_readable_evidence(request.user, evidence_id)


@router.post("", response={201: EvidenceOut, **WRITE_ERRORS})
def upload_evidence(request: HttpRequest, data: Form[UploadIn], file: File[UploadedFile]):
    """multipart/form-data: the fields and `file` (pdf, Office, images or zip; checked by
    content). Nothing is stored when anything is refused."""
    refusal = getattr(request, "upload_refusal", None)
    if refusal:
        raise ValidationFailed(refusal)
    campaign = access_campaign(request.user, data.campaign)
    unit = visible_units(request.user).filter(pk=data.unit).first()
    if unit is None:
        raise ValidationFailed(_("单位无效:请选择您可见的单位。"))
    wanted = set(data.criteria)
    criteria = list(Criterion.objects.filter(framework_id=campaign.framework_id, pk__in=wanted))
    if len(criteria) != len(wanted):
        raise ValidationFailed(_("关联的评分细则不属于本创建工作。"))
    evidence = services.upload_evidence(
        campaign,
        file,
        by=request.user,
        title=data.title,
        unit=unit,
        effective_date=data.effective_date,
        description=data.description,
        criteria=criteria,
    )
    return Status(201, access_readable_evidence(request.user, evidence.pk))
