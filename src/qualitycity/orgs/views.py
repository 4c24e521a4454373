from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qualitycity.refusals import refusals

from . import services
from .access import (
    access_group,
    access_unit,
    can_manage_orgs,
    managed_region_ids,
    visible_groups,
    visible_units,
)
from .forms import GroupForm, UnitForm
from .models import Alias


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
