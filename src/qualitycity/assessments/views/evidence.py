"""佐证材料 pages: the library with its search, upload, detail and download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qualitycity.campaigns.access import manages_campaign, visible_campaigns
from qualitycity.campaigns.models import Campaign
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.access import liaison_unit_ids, material_region_ids
from qualitycity.orgs.models import Unit, User
from qualitycity.refusals import refusals, render

from .. import services
from ..access import access_readable_evidence, readable_evidence
from ..forms import EvidenceFilterForm, EvidenceUploadForm
from ..models import Round

PAGE_SIZE = 50


def _upload_units(user: User, campaigns: list[Campaign]) -> QuerySet[Unit]:
    """The units a user may upload for: every active unit for the office, else the liaison's own."""
    managed = [c.region_id for c in campaigns if manages_campaign(user, c)]
    return Unit.objects.filter(
        Q(region_id__in=managed, is_active=True) | Q(pk__in=liaison_unit_ids(user))
    )


def _filter_units(user: User) -> QuerySet[Unit]:
    regions = material_region_ids(user)
    if regions is None:
        return Unit.objects.all()
    return Unit.objects.filter(Q(region_id__in=regions) | Q(pk__in=liaison_unit_ids(user)))


def _may_upload(user: User, campaigns: list[Campaign]) -> bool:
    return bool(campaigns) and _upload_units(user, campaigns).exists()


@login_required
def evidence_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaign_qs = visible_campaigns(user)
    campaigns = list(campaign_qs)
    form = EvidenceFilterForm(
        request.GET,
        campaigns=campaign_qs,
        units=_filter_units(user),
    )
    evidence = form.apply(
        readable_evidence(user)
        .select_related("campaign", "unit", "file", "uploaded_by")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.only("pk", "key").order_by("position")),
            Prefetch("rounds", queryset=Round.objects.order_by("start", "pk")),
        )
    )
    page = Paginator(evidence, PAGE_SIZE).get_page(request.GET.get("page"))
    form.limit_units(campaigns)
    for item in page.object_list:
        item.date_warnings = services.evidence_warnings(
            item, campaign=item.campaign, rounds=item.rounds.all()
        )
    return render(
        request,
        "assessments/evidence_list.html",
        {
            "form": form,
            "page_obj": page,
            "show_campaign": len(campaigns) > 1,
            "can_upload": _may_upload(user, campaigns),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaign_qs = visible_campaigns(user)
    campaigns = list(campaign_qs)
    if not _may_upload(user, campaigns):
        raise Http404
    units = _upload_units(user, campaigns)
    form = EvidenceUploadForm(
        request.POST or None,
        request.FILES or None,
        campaigns=campaign_qs,
        units=units,
    )
    refusal = getattr(request, "upload_refusal", None) if request.method == "POST" else None
    if refusal:
        form.is_valid()
        form.add_error(None, refusal)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
            evidence = services.upload_evidence(
                data["campaign"],
                data["file"],
                by=user,
                title=data["title"],
                unit=data["unit"],
                effective_date=data["effective_date"],
                description=data["description"],
                criteria=form.criteria_found,
                rounds=data["rounds"],
            )
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(request, _("佐证材料“%(title)s”已上传。") % {"title": evidence.title})
            return redirect("assessments:evidence_detail", pk=evidence.pk)
    # A POST that reaches here was refused (invalid fields, a refused file, a cut-off upload).
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/evidence_upload.html", {"form": form}, status=status)


@login_required
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access_readable_evidence(request.user, pk)
    campaign = evidence.campaign
    criteria = list(evidence.criteria.select_related("item").order_by("position"))
    rounds = list(evidence.rounds.order_by("start", "pk"))
    return render(
        request,
        "assessments/evidence_detail.html",
        {
            "evidence": evidence,
            "campaign": campaign,
            "criteria": criteria,
            "rounds": rounds,
            "warnings": services.evidence_warnings(evidence, campaign=campaign, rounds=rounds),
        },
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access_readable_evidence(request.user, pk)
    try:
        handle = default_storage.open(evidence.file.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.file.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
