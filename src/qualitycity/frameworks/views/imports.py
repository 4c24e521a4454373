"""Importing another city's scoring table from Excel or Word: upload → preview → confirm.

The upload is read and checked (`xlsx_table.plan_upload`) and nothing is written: the preview
lists what will be created and every problem by row. The file waits in the session; confirming
reads it again, and if the plan is no longer the one previewed (the directory changed, so the
unit suggestions did) the new preview comes back with 409 and still nothing written. A file
with warnings is imported only when the user ticks that they have checked them.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.orgs.access import is_office, managed_region_ids
from qualitycity.orgs.models import Region
from qualitycity.refusals import refusals, refuse, render

from .. import services
from ..forms import FrameworkImportForm
from ..models import Framework
from ..rules import describe
from ..spec import FrameworkSpec, content_hash
from ..xlsx_table import ImportPlan, plan_upload

SESSION_KEY = "framework_import"


def _require_importer(request: HttpRequest) -> None:
    if not is_office(request.user):
        raise Http404


def _regions(request: HttpRequest) -> Any:
    managed = managed_region_ids(request.user)
    regions = Region.objects.order_by("position", "code")
    return regions if managed is None else regions.filter(pk__in=managed)


def _fingerprint(content: bytes, code: str, region_id: int | None, plan: ImportPlan) -> str:
    digest = hashlib.sha256(content)
    digest.update(json.dumps([code, region_id, plan.problems], ensure_ascii=False).encode())
    return digest.hexdigest()


@dataclass
class Preview:
    """What the preview page shows of a plan."""

    plan: ImportPlan
    file_name: str
    region: Region | None
    existing: Framework | None  # the identical version stored before
    next_version: int

    @property
    def spec(self) -> FrameworkSpec | None:
        return self.plan.spec

    @property
    def file_problems(self) -> list[tuple[int | None, str, str]]:
        return [p for p in self.plan.problems if p[0] is None]

    @property
    def row_problems(self) -> list[tuple[int | None, str, str]]:
        return sorted((p for p in self.plan.problems if p[0] is not None), key=lambda p: p[0])

    def dimensions(self) -> list[dict[str, Any]]:
        if self.spec is None:
            return []
        out = []
        for dim in self.spec.dimensions:
            items = []
            for item in dim.items:
                rows = [
                    {
                        "row": c.row,
                        "text": c.text,
                        "points": c.points,
                        "lead": "、".join(c.lead_units),
                        "cooperating": "、".join(c.cooperating_units),
                        "rule": describe(c.rule),
                        "na": c.na_allowed,
                    }
                    for c in item.criteria
                ]
                items.append({"item": item, "rows": rows})
            out.append({"dimension": dim, "items": items})
        return out

    @property
    def total(self) -> Any:
        if self.spec is None:
            return None
        return sum((i.max_points for i in self.spec.items() if not i.bonus), start=0)


def _preview(
    request: HttpRequest,
    plan: ImportPlan,
    file_name: str,
    region: Region | None,
    *,
    fingerprint: str = "",
    status: int = 200,
) -> HttpResponse:
    existing, next_version = None, 1
    if plan.spec is not None:
        versions = Framework.objects.filter(code=plan.spec.code)
        existing = versions.filter(content_hash=content_hash(plan.spec)).first()
        next_version = (
            versions.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
    preview = Preview(plan, file_name, region, existing, next_version)
    return render(
        request,
        "frameworks/import_preview.html",
        {"preview": preview, "fingerprint": fingerprint},
        status=status,
    )


def _upload_page(request: HttpRequest, form: FrameworkImportForm, status: int) -> HttpResponse:
    return render(request, "frameworks/import.html", {"form": form}, status=status)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a table → its preview (nothing written); a file with errors comes back 400."""
    _require_importer(request)
    regions = _regions(request)
    form = FrameworkImportForm(request.POST or None, request.FILES or None, regions=regions)
    if request.method != "POST":
        return _upload_page(request, form, 200)
    refusal = getattr(request, "upload_refusal", None)
    if refusal:
        form.add_error(None, refusal)
        return _upload_page(request, form, 400)
    if not form.is_valid():
        return _upload_page(request, form, 400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    code = form.cleaned_data["code"] or ""
    region = form.cleaned_data["region"]
    plan = plan_upload(upload.name, content, code=code, region=region)
    if plan.spec is None or plan.errors:
        request.session.pop(SESSION_KEY, None)
        return _preview(request, plan, upload.name, region, status=400)
    fingerprint = _fingerprint(content, code, region.pk if region else None, plan)
    request.session[SESSION_KEY] = {
        "name": upload.name,
        "content": base64.b64encode(content).decode(),
        "code": code,
        "region": region.pk if region else None,
        "fingerprint": fingerprint,
    }
    return _preview(request, plan, upload.name, region, fingerprint=fingerprint)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the stored upload, read and checked again now."""
    _require_importer(request)
    stored = request.session.get(SESSION_KEY)
    if not stored or request.POST.get("fingerprint") != stored.get("fingerprint"):
        refuse(request, _("没有待确认的导入,或确认已失效,请重新上传文件。"))
        form = FrameworkImportForm(regions=_regions(request))
        return _upload_page(request, form, 400)
    content = base64.b64decode(stored["content"])
    region = _regions(request).filter(pk=stored["region"]).first() if stored["region"] else None
    plan = plan_upload(stored["name"], content, code=stored["code"], region=region)
    fingerprint = _fingerprint(content, stored["code"], stored["region"], plan)
    if fingerprint != stored["fingerprint"]:
        refuse(
            request,
            _(
                "预览之后情况已有变化(例如单位名录),检查结果不再相同,没有写入任何数据。请查看新的预览。"
            ),
        )
        if plan.spec is not None and not plan.errors:
            request.session[SESSION_KEY] = {**stored, "fingerprint": fingerprint}
        else:
            request.session.pop(SESSION_KEY, None)
        return _preview(request, plan, stored["name"], region, fingerprint=fingerprint, status=409)
    with refusals(request, forbidden_as_404=True) as outcome:
        framework, created = services.import_framework(
            plan,
            by=request.user,
            source_file=stored["name"],
            accept_warnings=request.POST.get("accept_warnings") == "1",
        )
    if outcome.refused:
        return _preview(request, plan, stored["name"], region, fingerprint=fingerprint, status=400)
    request.session.pop(SESSION_KEY, None)
    if created:
        messages.success(
            request,
            _("已导入 %(code)s 第 %(v)s 版:%(n)s 条评分细则。")
            % {"code": framework.code, "v": framework.version, "n": len(plan.spec.criteria())},
        )
    else:
        messages.info(
            request,
            _("%(code)s 第 %(v)s 版内容相同,未作更改。")
            % {"code": framework.code, "v": framework.version},
        )
    return redirect("frameworks:detail", framework.pk)
