"""Indicator pages: the board, an indicator's page with data entry, the import, auto-scoring."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity import clock, xlsx_response
from qualitycity.orgs.access import writes_reference_series
from qualitycity.orgs.models import Region
from qualitycity.refusals import refusals, refuse, render

from . import evaluation, imports, queries, services
from .access import (
    access_indicator,
    access_observation,
    can_view_indicators,
    enterable_indicators,
    entry_regions,
    entry_scope,
    visible_indicators,
    visible_regions,
)
from .choices import Category
from .forms import ImportForm, ObservationForm
from .models import Indicator, Observation


def _require_viewer(request: HttpRequest) -> None:
    if not can_view_indicators(request.user):
        raise Http404


def _region(request: HttpRequest) -> Region | None:
    """The region whose values a page shows: ?region=<pk> among the visible ones, else the
    user's top region."""
    regions = visible_regions(request.user).order_by("position", "code")
    raw = request.GET.get("region", "")
    if raw.isdigit():
        region = regions.filter(pk=int(raw)).first()
        if region is not None:
            return region
    return regions.filter(parent__isnull=True).first() or regions.first()


def _as_of(request: HttpRequest) -> dt.date:
    raw = request.GET.get("as_of", "")
    try:
        return dt.date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()


@dataclass
class BoardRow:
    data: queries.IndicatorData
    result: evaluation.Evaluation
    can_enter: bool
    chart_id: str
    chart: dict[str, Any]

    @property
    def indicator(self) -> Indicator:
        return self.data.indicator


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    region = _region(request)
    as_of = _as_of(request)
    indicators = list(visible_indicators(request.user))
    if request.GET.get("format") == "xlsx":
        return _observations_xlsx(indicators, region)
    data = queries.indicator_data(indicators, region)
    scope = entry_scope(request.user)
    groups: dict[str, list[BoardRow]] = {c: [] for c in Category.values}
    counts: Counter[str] = Counter()
    for ind in indicators:
        d = data[ind.pk]
        result = d.evaluate(as_of)
        counts[result.status] += 1
        groups[ind.category].append(
            BoardRow(d, result, scope.indicator(ind), f"trend-{ind.pk}", d.chart(compact=True))
        )
    return render(
        request,
        "indicators/board.html",
        {
            "region": region,
            "regions": visible_regions(request.user).order_by("position", "code"),
            "as_of": as_of,
            "groups": [(Category(c).label, rows) for c, rows in groups.items() if rows],
            "counts": {s: counts.get(s, 0) for s in evaluation.STATUSES},
            "total": len(indicators),
            "can_import": scope.any,
            # the office enters everything: mark what a liaison may enter only
            "mark_enterable": not (scope.admin or scope.office_regions),
        },
    )


def _observations_xlsx(indicators: list[Indicator], region: Region | None) -> HttpResponse:
    """The indicators' data for the region (and the national series) as xlsx in the import's own
    layout: the first columns are the import template's, so the file can be edited and imported
    back; the indicator's name, unit and who entered the value follow for the reader."""
    data = queries.indicator_data(indicators, region, with_rows=True)
    rows = (
        [
            ind.code,
            obs.get_series_display(),
            obs.region.code if obs.region is not None else "",
            obs.period,
            obs.value,
            obs.source,
            obs.note,
            ind.name,
            ind.measure_unit,
            str(obs.entered_by) if obs.entered_by else "",
        ]
        for ind in indicators
        for obs in data[ind.pk].observations
    )
    name = region.name if region is not None else _("全国")
    return xlsx_response.xlsx_download(
        _("指标数据-%(region)s-%(date)s.xlsx")
        % {"region": name, "date": clock.today().isoformat()},
        _("指标数据"),
        [*(str(label) for _key, label in imports.COLUMNS), _("名称"), _("计量单位"), _("录入人")],
        rows,
    )


def _detail_url(indicator: Indicator, region: Region | None, **extra: Any) -> str:
    url = reverse("indicators:detail", args=[indicator.pk])
    params = {"region": region.pk} if region else {}
    params.update(extra)
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    region = _region(request)
    as_of = _as_of(request)
    scope = entry_scope(request.user)
    can_enter = scope.indicator(indicator)
    form = None
    if can_enter:
        regions = entry_regions(request.user, indicator).order_by("position", "code")
        if request.method == "POST":
            form = ObservationForm(request.POST, regions=regions)
            if form.is_valid():
                cd = form.cleaned_data
                with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
                    services.save_observation(
                        indicator,
                        by=request.user,
                        series=cd["series"],
                        region=cd["region"],
                        period=cd["period"],
                        value=cd["value"],
                        source=cd["source"],
                        note=cd["note"],
                    )
                for message in outcome.messages:
                    form.add_error(None, message)
                if not outcome.refused:
                    messages.success(request, _("指标数据已保存。"))
                    return redirect(_detail_url(indicator, region))
        else:
            initial: dict[str, Any] = {"region": region if region in regions else None}
            edit = request.GET.get("edit", "")
            if edit.isdigit():
                obs = Observation.objects.filter(pk=int(edit), indicator=indicator).first()
                if obs is not None and scope.allows(indicator, obs.region):
                    initial = {
                        "series": obs.series,
                        "region": obs.region_id,
                        "period": obs.period,
                        "value": evaluation.fmt_number(obs.value),
                        "source": obs.source,
                        "note": obs.note,
                    }
            form = ObservationForm(initial=initial, regions=regions)
    elif request.method == "POST":
        raise Http404
    if request.GET.get("format") == "xlsx":
        return _observations_xlsx([indicator], region)
    data = queries.indicator_data([indicator], region, with_rows=True)[indicator.pk]
    rows = sorted(data.observations, key=lambda o: (o.period_end, o.series), reverse=True)
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "region": region,
            "regions": visible_regions(request.user).order_by("position", "code"),
            "as_of": as_of,
            "result": data.evaluate(as_of),
            "chart": data.chart(),
            "rows": [(o, scope.allows(indicator, o.region)) for o in rows],
            "form": form,
            "can_enter": can_enter,
            "latest": data.latest_text(),
        },
    )


@login_required
@require_POST
def observation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    obs = access_observation(request.user, pk)
    indicator, region = obs.indicator, obs.region
    with refusals(request) as outcome:
        services.delete_observation(obs, by=request.user)
    if outcome.refused:
        return redirect(_detail_url(indicator, region) if region else _detail_url(indicator, None))
    messages.success(request, _("已删除 %(period)s 的数据。") % {"period": obs.period})
    return redirect(_detail_url(indicator, region) if region else _detail_url(indicator, None))


# --- import -----------------------------------------------------------------------------------


def _require_importer(request: HttpRequest) -> None:
    if not entry_scope(request.user).any or not can_view_indicators(request.user):
        raise Http404


def _imported_message(counts: Counter[str]) -> str:
    return _("导入完成:新增 %(created)s 条,更新 %(changed)s 条,未变 %(unchanged)s 条。") % {
        "created": counts.get(services.CREATED, 0),
        "changed": counts.get(services.CHANGED, 0),
        "unchanged": counts.get(services.UNCHANGED, 0),
    }


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_table(upload.name, upload.read())
        except imports.FileRefused as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            check = imports.check_rows(rows, by=request.user)
            if check.clean:
                with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
                    counts = services.import_entries(check.entries(), by=request.user)
                for message in outcome.messages:
                    form.add_error(None, message)
                if not outcome.refused:
                    messages.success(request, _imported_message(counts))
                    return redirect("indicators:board")
            else:
                context.update(
                    {
                        "check": check,
                        "file_name": upload.name,
                        "token": imports.rows_token(check) if check.good else "",
                    }
                )
                return render(request, "indicators/import_report.html", context)
    return render(request, "indicators/import.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import only the good rows of a checked file, checked again now."""
    _require_importer(request)
    try:
        rows = imports.rows_from_token(request.POST.get("token", ""))
    except imports.FileRefused as exc:
        refuse(request, " ".join(exc.messages))
        return redirect("indicators:import")
    check = imports.check_rows(rows, by=request.user)
    if not check.clean:
        refuse(request, _("数据在确认前已发生变化,部分行不再有效,请重新上传文件。"))
        return redirect("indicators:import")
    with refusals(request, joined=True, forbidden_as_404=False) as outcome:
        counts = services.import_entries(check.entries(), by=request.user)
    if outcome.refused:
        return redirect("indicators:import")
    messages.success(request, _imported_message(counts))
    return redirect("indicators:board")


@login_required
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _require_importer(request)
    indicators = list(enterable_indicators(request.user))
    region = _region(request)
    reference = writes_reference_series(request.user)
    if fmt == "xlsx":
        body = imports.template_xlsx(indicators, region, reference=reference)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        body = imports.template_csv(indicators, region, reference=reference)
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    name = f"indicator-data-template.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
