"""A plan's measures (主要措施) into a campaign: paste the text or upload the plan → a preview of
every measure with its units checked against the region's directory (unknown names with
suggestions, to be corrected there) → confirm. Nothing is written before the confirmation; the
text waits in the session, and a directory or measure list that changed since the preview
answers 409 with the new preview. The campaign's office only; anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.errors import DomainError
from qualitycity.refusals import refusals, refuse, render

from .. import plan_import, services
from ..access import access_campaign
from ..forms import PlanTextForm
from ..models import Campaign

SESSION_KEY = "measures_import"


def _stored(request: HttpRequest, campaign: Campaign) -> dict[str, Any] | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or stored.get("campaign") != campaign.pk:
        return None
    return stored


def _mapping(request: HttpRequest, preview: plan_import.Preview) -> dict[str, str]:
    """The user's corrections: for each unknown name (hidden name-<k>) the directory name
    chosen in fix-<k>; names not in the directory are ignored."""
    out = {}
    for key, printed in request.POST.items():
        if not key.startswith("name-"):
            continue
        chosen = request.POST.get("fix-" + key.removeprefix("name-"), "")
        if chosen in preview.choices:
            out[printed] = chosen
    return out


def _page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    form: PlanTextForm | None = None,
    preview: plan_import.Preview | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "campaigns/measures_import.html",
        {
            "campaign": campaign,
            "form": form or PlanTextForm(),
            "preview": preview,
            "existing": campaign.measures.count(),
        },
        status=status,
    )


@login_required
def measures_import(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk, manage=True)
    if request.method != "POST":
        return _page(request, campaign)
    form = PlanTextForm(request.POST, request.FILES)
    refusal = getattr(request, "upload_refusal", None)
    if refusal:
        form.add_error(None, refusal)
    if refusal or not form.is_valid():
        return _page(request, campaign, form=form, status=400)
    text = form.cleaned_data["text"]
    upload = form.cleaned_data["file"]
    if upload is not None:
        try:
            text = plan_import.read_upload(upload.name, upload.read())
        except DomainError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return _page(request, campaign, form=form, status=400)
    preview = plan_import.preview(campaign, text)
    if not preview.rows:
        request.session.pop(SESSION_KEY, None)
        for _number, message in preview.problems:
            form.add_error(None, message)
        return _page(request, campaign, form=form, status=400)
    request.session[SESSION_KEY] = {
        "campaign": campaign.pk,
        "text": text,
        "fingerprint": preview.fingerprint,
    }
    return _page(request, campaign, preview=preview)


@login_required
@require_POST
def measures_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk, manage=True)
    stored = _stored(request, campaign)
    if stored is None or request.POST.get("fingerprint") != stored["fingerprint"]:
        refuse(request, _("没有待确认的导入,或确认已失效,请重新粘贴或上传方案。"))
        return _page(request, campaign, status=400)
    first = plan_import.preview(campaign, stored["text"])
    if first.fingerprint != stored["fingerprint"]:
        stored["fingerprint"] = first.fingerprint
        request.session[SESSION_KEY] = stored
        refuse(
            request,
            _("预览之后单位名录或措施已有变化,没有写入任何数据。请核对新的预览后再确认。"),
        )
        return _page(request, campaign, preview=first, status=409)
    preview = plan_import.preview(campaign, stored["text"], _mapping(request, first))
    if preview.blocking:
        for message in preview.blocking:
            refuse(request, message)
        return _page(request, campaign, preview=preview, status=400)
    with refusals(request) as outcome:
        created = services.import_measures(campaign, by=request.user, measures=preview.measures)
    if outcome.refused:
        return _page(request, campaign, preview=preview, status=400)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, _("已导入 %(n)s 项措施。") % {"n": len(created)})
    return redirect("campaigns:measures_edit", campaign.pk)
