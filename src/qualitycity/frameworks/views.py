from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
    return render(request, "frameworks/detail.html", {"table": framework_table(framework)})
