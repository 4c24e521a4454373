import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.refusals import refusals, refuse, render

from .. import loading, services
from ..access import (
    access_group,
    access_unit,
    can_manage_orgs,
    managed_region_ids,
    visible_groups,
    visible_units,
)
from ..forms import GroupForm, OrgLoadForm, UnitForm
from ..models import Alias, Region


def _editing(request: HttpRequest) -> dict[str, object]:
    """Whether the list shows edit links, and for which directories (None: all)."""
    managed = managed_region_ids(request.user)
    return {
        "can_edit": can_manage_orgs(request.user),
        "edits_all": managed is None,
        "managed": sorted(managed or ()),
    }


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = visible_units(request.user).prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name")), "groups"
    )
    return render(
        request,
        "orgs/unit_list.html",
        {"units": units, **_editing(request)},
    )


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(request.user, pk, write=True)
    initial = {
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "aliases": "\n".join(unit.aliases.order_by("name").values_list("name", flat=True)),
        "is_active": unit.is_active,
    }
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
            services.save_unit(
                unit,
                by=request.user,
                name=form.cleaned_data["name"],
                full_name=form.cleaned_data["full_name"],
                kind=form.cleaned_data["kind"],
                region=unit.region,  # a unit stays in its directory
                aliases=form.alias_list(),
                is_active=form.cleaned_data["is_active"],
            )
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(
                request, _("单位“%(name)s”已保存。") % {"name": form.cleaned_data["name"]}
            )
            return redirect("orgs:units")
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        visible_groups(request.user)
        .annotate(member_count=Count("members"))
        .prefetch_related("aliases", "members")
        .order_by("position", "code")
    )
    return render(
        request,
        "orgs/group_list.html",
        {"groups": groups, **_editing(request)},
    )


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(request.user, pk, write=True)
    initial = {
        "name": group.name,
        "description": group.description,
        "aliases": "\n".join(group.aliases.order_by("name").values_list("name", flat=True)),
        "members": list(group.members.all()),
    }
    form = GroupForm(request.POST or None, initial=initial)
    # A group's members come from its own directory.
    form.fields["members"].queryset = form.fields["members"].queryset.filter(
        region_id=group.region_id
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
            services.save_group(
                group,
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                aliases=form.alias_list(),
                members=form.cleaned_data["members"],
            )
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(
                request, _("单位组“%(name)s”已保存。") % {"name": form.cleaned_data["name"]}
            )
            return redirect("orgs:groups")
    return render(request, "orgs/group_form.html", {"form": form, "group": group})


# --- loading an organisation file -------------------------------------------------------------

LOAD_SESSION_KEY = "orgs_load"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_loader(request: HttpRequest) -> None:
    """Offices (for the directories they keep) and administrators; anyone else gets 404."""
    if not can_manage_orgs(request.user):
        raise Http404


def _preview(
    request: HttpRequest, plan: loading.OrgPlan, file_name: str, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "orgs/load_preview.html",
        {"plan": plan, "file_name": file_name, "regions": plan.by_region()},
        status=status,
    )


@login_required
def load(request: HttpRequest) -> HttpResponse:
    """Upload a file → the preview of its plan (nothing written), or its errors (400)."""
    _require_loader(request)
    form = OrgLoadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        refusal = getattr(request, "upload_refusal", None)
        if refusal:
            form.add_error(None, refusal)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > loading.MAX_BYTES:
                form.add_error("file", _("文件不能超过 %(mb)s MB。") % {"mb": 2})
            else:
                content = upload.read()
                plan = loading.plan_from_upload(upload.name, content, by=request.user)
                if not plan.clean:
                    request.session.pop(LOAD_SESSION_KEY, None)
                    return _preview(request, plan, upload.name, status=400)
                request.session[LOAD_SESSION_KEY] = {
                    "name": upload.name,
                    "content": base64.b64encode(content).decode(),
                    "fingerprint": plan.fingerprint(),
                }
                return _preview(request, plan, upload.name)
        status = 400
    return render(
        request,
        "orgs/load.html",
        {"form": form, "instructions": loading.instructions()},
        status=status,
    )


@login_required
@require_POST
def load_confirm(request: HttpRequest) -> HttpResponse:
    """Apply the stored upload's plan, computed again now; refused if it is no longer the plan
    that was previewed (the directory changed meanwhile)."""
    _require_loader(request)
    stored = request.session.get(LOAD_SESSION_KEY)
    if not stored or request.POST.get("fingerprint") != stored.get("fingerprint"):
        refuse(request, _("没有待确认的导入,或确认已失效,请重新上传文件。"))
        return render(
            request,
            "orgs/load.html",
            {"form": OrgLoadForm(), "instructions": loading.instructions()},
            status=400,
        )
    content = base64.b64decode(stored["content"])
    plan = loading.plan_from_upload(stored["name"], content, by=request.user)
    if plan.fingerprint() != stored["fingerprint"]:
        request.session.pop(LOAD_SESSION_KEY, None)
        refuse(
            request,
            _("预览之后单位名录已有变化,导入计划不再相同,没有写入任何数据。请查看新的预览。"),
        )
        if plan.clean:
            request.session[LOAD_SESSION_KEY] = {**stored, "fingerprint": plan.fingerprint()}
        return _preview(request, plan, stored["name"], status=409)
    with refusals(request, joined=True) as outcome:
        written = services.apply_org_plan(plan, by=request.user)
    request.session.pop(LOAD_SESSION_KEY, None)
    if outcome.refused:
        return _preview(request, plan, stored["name"], status=400)
    messages.success(
        request,
        _("已导入:行政区 %(region)s 项,单位 %(unit)s 项,单位组 %(group)s 项。") % written,
    )
    return redirect("orgs:units")


def _export_root(request: HttpRequest) -> Region | None:
    """Administrators: everything, or ?region=CODE; an office: the region it keeps."""
    code = request.GET.get("region")
    managed = managed_region_ids(request.user)
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or (managed is not None and region.pk not in managed):
            raise Http404
        return region
    if managed is None:
        return None
    return Region.objects.filter(pk__in=managed).order_by("code").first()


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The directory the user keeps (and the regions below it) as xlsx, as load reads it."""
    _require_loader(request)
    root = _export_root(request)
    response = HttpResponse(loading.to_xlsx(loading.export_data(root)), content_type=XLSX)
    name = f"organisation-{root.code if root else 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def load_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An example file (a small city with two units and a group), with the filling notes."""
    _require_loader(request)
    data = loading.example_data()
    if fmt == "xlsx":
        response = HttpResponse(loading.to_xlsx(data, notes=True), content_type=XLSX)
    elif fmt == "yaml":
        notes = "".join(f"# {line}\n" for line in loading.instructions())
        response = HttpResponse(
            notes + loading.to_yaml(data), content_type="application/yaml; charset=utf-8"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="organisation-example.{fmt}"'
    return response
