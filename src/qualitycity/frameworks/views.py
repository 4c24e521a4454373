from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qualitycity.orgs.access import is_office

from .access import access_framework, visible_frameworks
from .table import framework_table


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = visible_frameworks(request.user).annotate(
        item_count=Count("items", distinct=True), total=Sum("items__max_points")
    )
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = access_framework(request.user, pk)
    # The lint's findings (errors, warnings) are for those who keep the table: the office
    # (创质办) and administrators. Leaders, liaisons and assessors read the table alone.
    context = {"table": framework_table(framework), "show_lint": is_office(request.user)}
    return render(request, "frameworks/detail.html", context)
