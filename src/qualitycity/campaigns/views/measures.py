"""主要措施: a campaign's measures with their units, linked scoring rows and tasks rolled up, and
one measure's page. Whoever reads the campaign reads its measures; the task figures count the
tasks the user reads, each a link to the task list filtered the same way. Nothing is written
here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from qualitycity import clock
from qualitycity.refusals import render

from .. import measure_table
from ..access import access_campaign, access_measure, sees_all_work, visible_tasks
from .common import nav


@login_required
def measure_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = access_campaign(user, pk)
    rows = measure_table.measures(campaign, visible_tasks(user), clock.today())
    return render(
        request,
        "campaigns/measure_list.html",
        {
            **nav(request, campaign, "measures"),
            "sections": measure_table.group_by_section(rows),
            "count": len(rows),
            "all_work": sees_all_work(user, campaign),
        },
    )


@login_required
def measure_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request.user
    measure = access_measure(user, pk, number)
    campaign = measure.campaign
    data = measure_table.detail(campaign, measure, visible_tasks(user), clock.today())
    return render(
        request,
        "campaigns/measure_detail.html",
        {
            **nav(request, campaign, "measures"),
            "measure": measure,
            "data": data,
            "all_work": sees_all_work(user, campaign),
            "today": clock.today(),
        },
    )
