"""Bulk import of people from xlsx for the office's own region: the template, upload → preview
of every row with its problems (nothing written), then 确认导入 (the stored upload is planned
again; if the plan changed meanwhile nothing is written and the new preview is shown)."""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qualitycity.refusals import refusals, refuse, render

from .. import people_import, services
from ..forms import StyledForm
from .users import _office_region

SESSION_KEY = "qc_people_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeopleImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("人员名单"),
        help_text=gettext_lazy("Excel(.xlsx)文件,不超过 1 MB,请使用下载的模板。"),
    )


def _upload_page(request, region, form=None, status=200) -> HttpResponse:
    return render(
        request,
        "orgs/people_import.html",
        {
            "form": form or PeopleImportForm(),
            "region": region,
            "instructions": people_import.instructions(),
        },
        status=status,
    )


def _preview(request, plan, file_name, status=200) -> HttpResponse:
    return render(
        request,
        "orgs/people_import_preview.html",
        {"plan": plan, "region": plan.region, "file_name": file_name},
        status=status,
    )


@login_required
def people_import_page(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    if request.method != "POST":
        return _upload_page(request, region)
    form = PeopleImportForm(request.POST, request.FILES)
    refusal = getattr(request, "upload_refusal", None)
    if refusal:
        form.add_error(None, refusal)
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > people_import.MAX_BYTES:
            form.add_error("file", _("文件不能超过 %(mb)s MB。") % {"mb": 1})
        else:
            content = upload.read()
            plan = people_import.plan_from_upload(
                upload.name, content, region=region, by=request.user
            )
            if not plan.clean:
                request.session.pop(SESSION_KEY, None)
                return _preview(request, plan, upload.name, status=400)
            request.session[SESSION_KEY] = {
                "region": region.pk,
                "name": upload.name,
                "content": base64.b64encode(content).decode(),
                "fingerprint": plan.fingerprint(),
            }
            return _preview(request, plan, upload.name)
    return _upload_page(request, region, form, status=400)


@login_required
@require_POST
def people_import_confirm(request: HttpRequest) -> HttpResponse:
    region = _office_region(request)
    stored = request.session.get(SESSION_KEY)
    if (
        not stored
        or stored.get("region") != region.pk
        or request.POST.get("fingerprint") != stored.get("fingerprint")
    ):
        refuse(request, _("没有待确认的导入,或确认已失效,请重新上传文件。"))
        return _upload_page(request, region, status=400)
    content = base64.b64decode(stored["content"])
    plan = people_import.plan_from_upload(stored["name"], content, region=region, by=request.user)
    if plan.fingerprint() != stored["fingerprint"] or not plan.clean:
        request.session.pop(SESSION_KEY, None)
        refuse(
            request,
            _("预览之后情况已有变化(例如用户名已被使用),没有写入任何数据。请查看新的预览。"),
        )
        if plan.clean:
            request.session[SESSION_KEY] = {**stored, "fingerprint": plan.fingerprint()}
        return _preview(request, plan, stored["name"], status=409)
    with refusals(request, joined=True) as outcome:
        created, sent = services.import_people(
            plan,
            by=request.user,
            send_links=request.POST.get("send_links") == "on",
            base_url=request.build_absolute_uri("/"),
        )
    request.session.pop(SESSION_KEY, None)
    if outcome.refused:
        return _preview(request, plan, stored["name"], status=400)
    messages.success(
        request,
        _("已导入 %(n)s 个账号,已发送 %(sent)s 封设置密码的邮件。")
        % {"n": len(created), "sent": sent},
    )
    return redirect(f"{_users_url()}?region={region.pk}")


def _users_url() -> str:
    from django.urls import reverse

    return reverse("orgs:users")


@login_required
def people_import_template(request: HttpRequest) -> HttpResponse:
    _office_region(request)
    response = HttpResponse(people_import.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="people-template.xlsx"'
    return response
