from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qualitycity.frameworks.models import Framework
from qualitycity.orgs.access import roles_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Unit, UnitGroup


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("unit", "region")
    role_labels = dict(Role.choices)
    context = {
        "memberships": memberships,
        "role_names": [role_labels[r] for r in sorted(roles_of(request.user))],
        "frameworks": Framework.objects.order_by("code", "-version"),
        "unit_count": Unit.objects.count(),
        "group_count": UnitGroup.objects.count(),
    }
    return render(request, "web/home.html", context)
