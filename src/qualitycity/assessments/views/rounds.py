"""Round list, creation and status transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.campaigns.access import access_campaign
from qualitycity.orgs.choices import Role
from qualitycity.refusals import refusals, refuse, render

from .. import assessor_queues as queues
from .. import services
from ..access import access_round, assessor_candidates, round_duties, visible_rounds
from ..forms import AssessorsForm, RoundForm
from ..transitions import ROUND


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = visible_rounds(request.user).order_by("campaign_id", "-start")
    return render(request, "assessments/round_list.html", {"rounds": rounds})


@login_required
def round_create(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, campaign_pk, manage=True)
    form = RoundForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
            rnd = services.create_round(
                campaign,
                by=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                assessors=form.cleaned_data["assessors"],
            )
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(request, _("考核轮次“%(name)s”已创建。") % {"name": rnd.name})
            return redirect("assessments:round_summary", rnd.pk)
    return render(request, "assessments/round_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    action = request.POST.get("action", "")
    with refusals(request):
        if action == "submit":
            services.submit_round(rnd, by=request.user)
            messages.success(request, _("考核轮次已提交。"))
        elif action == "lock":
            services.lock_round(rnd, by=request.user)
            messages.success(request, _("考核轮次已锁定。"))
        elif action == "reopen":
            services.reopen_round(rnd, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("考核轮次已重新开放。"))
        else:
            refuse(request, _("未知的操作。"))
    return redirect("assessments:round_summary", rnd.pk)


@login_required
def round_assessors(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's office chooses the round's assessors among the assessors of its region and
    the regions above (everyone else: 404)."""
    rnd = access_round(request.user, pk)
    if not round_duties(request.user, rnd).may("set_assessors"):
        raise Http404
    candidates = assessor_candidates(rnd.campaign, rnd.kind).prefetch_related("memberships__region")
    current = list(rnd.assessors.order_by("full_name", "username"))
    form = AssessorsForm(
        request.POST or None, candidates=candidates, initial={"assessors": current}
    )
    editable = ROUND.allows("set_assessors", rnd.status)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals(request, quiet=True) as outcome:
                services.set_assessors(
                    rnd, by=request.user, assessors=form.cleaned_data["assessors"]
                )
            if not outcome.refused:
                messages.success(request, _("本轮的评审专家已更新。"))
                return redirect("assessments:round_summary", rnd.pk)
            for message in outcome.messages:
                form.add_error(None, message)
        status = 400
    people = list(candidates)
    regions = {
        u.pk: "、".join(
            sorted({m.region.name for m in u.memberships.all() if m.role == Role.ASSESSOR})
        )
        for u in people
    }
    rows = [(box, regions.get(box.data["value"].value, "")) for box in form["assessors"]]
    return render(
        request,
        "assessments/round_assessors.html",
        {
            "round": rnd,
            "form": form,
            "rows": rows,
            "editable": editable,
            "missing": [u for u in current if u.pk not in regions],
        },
        status=status,
    )


# --- the assessor queues: 待评分 and 待认定 ----------------------------------------------------


@login_required
def queue_to_score(request: HttpRequest) -> HttpResponse:
    """待评分, all the user's rounds or one (`?round=<pk>`, linked from the home page)."""
    rows = queues.to_score(request.user)
    round_pk = request.GET.get("round", "")
    if round_pk:
        if not round_pk.isdigit() or len(round_pk) > 18:
            return render(
                request, "web/bad_request.html", {"message": _("考核轮次编号无效。")}, status=400
            )
        rows = [row for row in rows if row.round.pk == int(round_pk)]
    return render(
        request, "assessments/queue_to_score.html", {"rows": rows, "one_round": bool(round_pk)}
    )


@login_required
def queue_to_decide(request: HttpRequest) -> HttpResponse:
    scores = queues.to_decide(request.user)
    return render(request, "assessments/queue_to_decide.html", {"scores": scores})
