"""责任分工: the campaign's responsibility table. Everyone who reads the campaign reads it; its
office maps printed names to units of the directory, assigns lead and cooperating units to rows
that print none, and resolves the table again after the directory changed. Every change is one
call of campaigns.services; a refusal is shown on the page again with a 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.models import Criterion
from qualitycity.refusals import refusals, render

from .. import responsibility_table as rt
from .. import services
from ..access import access_campaign
from ..models import Campaign
from .common import nav

ACTIONS = ("resolve", "map", "unmap", "assign", "unassign")


@login_required
def responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _change(request, pk)
    campaign = access_campaign(request.user, pk)
    return _page(request, campaign)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _page(request: HttpRequest, campaign: Campaign, *, status: int = 200) -> HttpResponse:
    data = rt.table(campaign)
    dim_number = _int(request.GET.get("dim"))
    dimension = next((d for d in data.dimensions if d.number == dim_number), None)
    if dimension is None and data.dimensions:
        dimension = data.dimensions[0]
    assign_id = _int(request.POST.get("criterion") or request.GET.get("assign"))
    assign = data.row(assign_id) if assign_id else None
    context = {
        **nav(request, campaign, "responsibilities"),
        "table": data,
        "dimension": dimension,
        "rows": data.rows_of(dimension) if dimension else [],
        "without_lead": data.without_lead,
        "assign": assign,
        "picks": [*data.units, *data.groups],
    }
    if assign is not None:
        if status != 200:  # a refused form keeps what was ticked
            context["checked_lead"] = set(request.POST.getlist("lead"))
            context["checked_cooperating"] = set(request.POST.getlist("cooperating"))
        else:
            context["checked_lead"] = rt.checked(assign.lead)
            context["checked_cooperating"] = rt.checked(assign.cooperating)
    return render(request, "campaigns/responsibilities.html", context, status=status)


def _criterion(campaign: Campaign, value: str | None) -> Criterion:
    pk = _int(value)
    criterion = Criterion.objects.filter(pk=pk).first() if pk else None
    if criterion is None or criterion.framework_id != campaign.framework_id:
        raise ValidationFailed(_("该评分细则不属于本创建工作的考核评分体系。"))
    return criterion


def _change(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's changes, one per POST (`action`); anyone else gets the same 404 as a
    campaign they cannot see."""
    campaign = access_campaign(request.user, pk, manage=True)
    action = request.POST.get("action", "")
    post = request.POST
    anchor = ""
    with refusals(request) as outcome:
        if action not in ACTIONS:
            raise ValidationFailed(_("未知的操作。"))
        if action == "resolve":
            counts = services.resolve_responsibilities(campaign, by=request.user)
            done = (
                _("已按单位名录重新匹配:%(resolved)s 项已匹配,%(unresolved)s 项未匹配。") % counts
            )
        elif action in ("map", "unmap"):
            name = post.get("printed_name", "").strip()
            if action == "map":
                value = post.get("target") or post.get("choice", "")
                if not value:
                    raise ValidationFailed(
                        _("请在单位名录中选择“%(name)s”对应的单位或单位组。") % {"name": name}
                    )
                (target,) = rt.directory_targets(campaign, [value])
                services.map_name(campaign, by=request.user, printed_name=name, target=target)
                done = _("“%(name)s”已对应为“%(target)s”。") % {"name": name, "target": target.name}
            else:
                services.map_name(campaign, by=request.user, printed_name=name, target=None)
                done = _("已删除“%(name)s”的名称对应。") % {"name": name}
            anchor = "#unknown-names"
        else:
            criterion = _criterion(campaign, post.get("criterion"))
            if action == "assign":
                lead = rt.directory_targets(campaign, post.getlist("lead"))
                cooperating = rt.directory_targets(campaign, post.getlist("cooperating"))
                if not lead:
                    raise ValidationFailed(_("请至少选择一个牵头单位。"))
                done = _("已为细则 %(key)s 分配牵头单位和配合单位。") % {"key": criterion.key}
            else:
                lead, cooperating = [], []
                done = _("已清除细则 %(key)s 分配的单位。") % {"key": criterion.key}
            services.assign_row_units(
                campaign, by=request.user, criterion=criterion, lead=lead, cooperating=cooperating
            )
            anchor = "#without-lead"
    if outcome.refused:
        return _page(request, campaign, status=400)
    messages.success(request, done)
    return redirect(reverse("campaigns:responsibilities", args=[campaign.pk]) + anchor)
