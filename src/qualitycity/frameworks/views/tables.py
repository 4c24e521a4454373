"""The scoring tables: the list, one table with its lint, and its download in the Excel layout
that the import reads back."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import FileResponse, HttpRequest, HttpResponse

from qualitycity.orgs.access import is_office
from qualitycity.refusals import render
from qualitycity.xlsx import XLSX_TYPE

from ..access import access_framework, visible_frameworks
from ..loader import spec_from_db
from ..table import framework_table
from ..xlsx_table import write_framework_xlsx


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = visible_frameworks(request.user).annotate(
        item_count=Count("items", distinct=True), total=Sum("items__max_points")
    )
    return render(
        request,
        "frameworks/list.html",
        {"frameworks": frameworks, "can_import": is_office(request.user)},
    )


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = access_framework(request.user, pk)
    # The lint's findings (errors, warnings) are for those who keep the table: the office
    # (创质办) and administrators. Leaders, liaisons and assessors read the table alone.
    context = {"table": framework_table(framework), "show_lint": is_office(request.user)}
    return render(request, "frameworks/detail.html", context)


@login_required
def framework_export(request: HttpRequest, pk: int) -> FileResponse:
    """The table in the seed's Excel layout (序号 … 备注, merged cells), with the sheet the
    import reads the rules from: edited and imported back, it gives the same table."""
    framework = access_framework(request.user, pk)
    out = tempfile.TemporaryFile()
    write_framework_xlsx(spec_from_db(framework), out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{framework.code}-v{framework.version}.xlsx",
        content_type=XLSX_TYPE,
    )
