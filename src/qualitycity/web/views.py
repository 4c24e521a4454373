from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import roles_of, visible_groups, visible_units
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("unit", "region")
    role_labels = dict(Role.choices)
    context = {
        "memberships": memberships,
        "role_names": [role_labels[r] for r in sorted(roles_of(request.user))],
        "frameworks": Framework.objects.order_by("code", "-version"),
        # Only the directories the user reads.
        "unit_count": visible_units(request.user).count(),
        "group_count": visible_groups(request.user).count(),
    }
    return render(request, "web/home.html", context)
