"""The office's administration of its own campaigns: a new campaign in one step, its settings,
its phases and its measures. Only the campaign's office (or an administrator) reaches these
pages; everyone else, a higher region's read-only office included, gets the 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from qualitycity.refusals import refusals, render

from .. import services
from ..access import access_campaign, access_managed_measure, access_phase, creatable_regions
from ..admin_forms import (
    MAX_PHASE_ROWS,
    CampaignForm,
    MeasureForm,
    PhaseForm,
    PhaseFormSet,
    SettingsForm,
)
from ..models import Campaign, Measure

SETTINGS_FIELDS = (
    "name",
    "start",
    "end",
    "report_period",
    "report_deadline_days",
    "blue_days",
    "grace_days",
    "reports_from",
)


def _with_one_more_row(data):
    data = data.copy()
    total = data.get("phases-TOTAL_FORMS", "0")
    count = int(total) if total.isdigit() else 0
    data["phases-TOTAL_FORMS"] = str(min(count + 1, MAX_PHASE_ROWS))
    return data


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    regions = creatable_regions(request.user)
    if not regions.exists():
        raise Http404
    status = 200
    if request.method == "POST":
        data = request.POST
        adding = "add_phase" in data
        if adding:
            data = _with_one_more_row(data)
        formset = PhaseFormSet(data, prefix="phases")
        form = CampaignForm(data, regions=regions, phase_rows=formset.total_form_count())
        if not adding and _create(request, form, formset):
            return redirect("campaigns:detail", form.campaign.pk)
        if not adding:
            status = 400
    else:
        formset = PhaseFormSet(prefix="phases")
        form = CampaignForm(
            regions=regions,
            phase_rows=formset.total_form_count(),
            initial={"region": regions.first(), "builtin_measures": True},
        )
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "formset": formset, "max_rows": MAX_PHASE_ROWS},
        status=status,
    )


def _create(request: HttpRequest, form: CampaignForm, formset) -> bool:
    valid = form.is_valid() & formset.is_valid()
    if not valid:
        return False
    data = form.cleaned_data
    if not formset.check_against(data["start"], data["end"]):
        return False
    kept = formset.kept()
    tasks_for = None
    if data["tasks_phase"] != "":
        chosen = formset.forms[int(data["tasks_phase"])]
        if chosen not in kept:
            form.add_error("tasks_phase", _("所选阶段已删除或未填写。"))
            return False
        tasks_for = kept.index(chosen)
    phases = [
        services.PhaseSpec(
            f.cleaned_data["name"],
            f.cleaned_data["start"],
            f.cleaned_data["end"],
            f.cleaned_data["description"],
        )
        for f in kept
    ]
    with refusals(request, quiet=True) as outcome:
        form.campaign = services.set_up_campaign(
            by=request.user,
            region=data["region"],
            framework=data["framework"],
            phases=phases,
            builtin_measures=data["builtin_measures"],
            tasks_for_phase=tasks_for,
            **{k: data[k] for k in SETTINGS_FIELDS},
        )
    for message in outcome.messages:
        form.add_error(None, message)
    if outcome.refused:
        return False
    messages.success(request, _("创建工作“%(name)s”已创建。") % {"name": form.campaign.name})
    return True


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk, manage=True)
    form = SettingsForm(
        request.POST or None, initial={k: getattr(campaign, k) for k in SETTINGS_FIELDS}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals(request, quiet=True) as outcome:
                services.update_campaign(campaign, by=request.user, **form.cleaned_data)
            for message in outcome.messages:
                form.add_error(None, message)
            if not outcome.refused:
                messages.success(request, _("设置已保存。"))
                return redirect("campaigns:detail", campaign.pk)
        status = 400
    return render(
        request,
        "campaigns/campaign_edit.html",
        {"form": form, "campaign": Campaign.objects.get(pk=campaign.pk)},
        status=status,
    )


# --- phases ----------------------------------------------------------------------------------


def _phase_page(request, campaign, *, form=None, editing=None, status=200) -> HttpResponse:
    phases = list(campaign.phases.order_by("position"))
    used = {
        row["phase_id"]: row["n"]
        for row in _task_counts(campaign, "phase_id", [p.pk for p in phases])
    }
    for p in phases:
        p.task_count = used.get(p.pk, 0)
    return render(
        request,
        "campaigns/phases_edit.html",
        {
            "campaign": campaign,
            "phases": phases,
            "form": form or PhaseForm(),
            "editing": editing,
        },
        status=status,
    )


def _task_counts(campaign, field: str, ids):
    from django.db.models import Count

    return (
        campaign.tasks.filter(**{f"{field}__in": ids})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by()
    )


@login_required
def phases_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's phases; POST adds one."""
    campaign = access_campaign(request.user, pk, manage=True)
    if request.method != "POST":
        return _phase_page(request, campaign)
    form = PhaseForm(request.POST)
    if form.is_valid():
        with refusals(request, quiet=True) as outcome:
            services.save_phase(campaign, by=request.user, **form.cleaned_data)
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(request, _("工作阶段已添加。"))
            return redirect("campaigns:phases_edit", campaign.pk)
    return _phase_page(request, campaign, form=form, status=400)


@login_required
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = access_phase(request.user, pk)
    campaign = phase.campaign
    if request.method != "POST":
        form = PhaseForm(
            initial={k: getattr(phase, k) for k in ("name", "start", "end", "description")}
        )
        return _phase_page(request, campaign, form=form, editing=phase)
    form = PhaseForm(request.POST)
    if form.is_valid():
        with refusals(request, quiet=True) as outcome:
            services.save_phase(campaign, by=request.user, phase=phase, **form.cleaned_data)
        for message in outcome.messages:
            form.add_error(None, message)
        if not outcome.refused:
            messages.success(request, _("工作阶段已保存。"))
            return redirect("campaigns:phases_edit", campaign.pk)
    return _phase_page(request, campaign, form=form, editing=phase, status=400)


@login_required
def phase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    phase = access_phase(request.user, pk)
    campaign = phase.campaign
    if request.method != "POST":
        return redirect("campaigns:phases_edit", campaign.pk)
    with refusals(request) as outcome:
        services.remove_phase(phase, by=request.user)
    if outcome.refused:
        return _phase_page(request, campaign, status=409)
    messages.success(request, _("工作阶段已删除。"))
    return redirect("campaigns:phases_edit", campaign.pk)


# --- measures --------------------------------------------------------------------------------


def _measure_initial(measure: Measure) -> dict:
    units = list(measure.units.order_by("role", "position"))
    return {
        "number": measure.number,
        "section": measure.section,
        "title": measure.title,
        "text": measure.text,
        "bracket": measure.bracket,
        "lead_units": "、".join(u.printed_name for u in units if u.role == "lead"),
        "cooperating_units": "、".join(u.printed_name for u in units if u.role != "lead"),
        "criteria": "、".join(measure.criteria.order_by("position").values_list("key", flat=True)),
    }


def _save_measure(request, campaign, form, measure=None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    with refusals(request, quiet=True) as outcome:
        services.save_measure(
            campaign,
            by=request.user,
            measure=measure,
            number=data["number"],
            section=data["section"],
            title=data["title"],
            text=data["text"],
            bracket=data["bracket"],
            lead_units=services.split_names(data["lead_units"]),
            cooperating_units=services.split_names(data["cooperating_units"]),
            criteria=services.split_names(data["criteria"]),
        )
    for message in outcome.messages:
        form.add_error(None, message)
    return not outcome.refused


@login_required
def measures_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's measures, each with its units as printed and its task count."""
    campaign = access_campaign(request.user, pk, manage=True)
    measures = list(campaign.measures.order_by("number").prefetch_related("units"))
    used = {
        r["measure_id"]: r["n"]
        for r in _task_counts(campaign, "measure_id", [m.pk for m in measures])
    }
    for m in measures:
        m.task_count = used.get(m.pk, 0)
    return render(
        request, "campaigns/measures_edit.html", {"campaign": campaign, "measures": measures}
    )


@login_required
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk, manage=True)
    top = max(campaign.measures.values_list("number", flat=True), default=0)
    form = MeasureForm(request.POST or None, initial={"number": top + 1})
    if request.method == "POST":
        if _save_measure(request, campaign, form):
            messages.success(request, _("措施已添加。"))
            return redirect("campaigns:measures_edit", campaign.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "campaigns/measure_form.html",
        {"campaign": campaign, "form": form, "measure": None},
        status=status,
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_managed_measure(request.user, pk)
    campaign = measure.campaign
    form = MeasureForm(request.POST or None, initial=_measure_initial(measure))
    status = 200
    if request.method == "POST":
        if _save_measure(request, campaign, form, measure):
            messages.success(request, _("措施已保存。"))
            return redirect("campaigns:measures_edit", campaign.pk)
        status = 400
    return render(
        request,
        "campaigns/measure_form.html",
        {"campaign": campaign, "form": form, "measure": measure},
        status=status,
    )


@login_required
def measure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_managed_measure(request.user, pk)
    campaign = measure.campaign
    if request.method != "POST":
        return redirect("campaigns:measure_edit", measure.pk)
    with refusals(request) as outcome:
        services.remove_measure(measure, by=request.user)
    if outcome.refused:
        form = MeasureForm(initial=_measure_initial(measure))
        return render(
            request,
            "campaigns/measure_form.html",
            {"campaign": campaign, "form": form, "measure": measure},
            status=409,
        )
    messages.success(request, _("措施已删除。"))
    return redirect("campaigns:measures_edit", campaign.pk)
