"""The league table page: /league/ — every campaign the user compares, by its latest round."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from qualitycity.assessments.league import league
from qualitycity.refusals import render

from ..access import league_campaigns
from ..forms import LeagueFilterForm


@login_required
def league_page(request: HttpRequest) -> HttpResponse:
    campaigns = league_campaigns(request.user)
    form = LeagueFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    rows = league(campaigns, kind=kind)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "reports/league.html",
        {
            "form": form,
            "rows": rows,
            "ranked": sum(1 for r in rows if r.rank is not None),
        },
        status=status,
    )
