"""All writes to indicators and their data: permission, validation, audit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.access import is_admin
from qualitycity.orgs.models import Region, User
from qualitycity.orgs.services import name_index

from . import evaluation
from .access import entry_scope
from .checks import ValueProblem, parse_value
from .choices import Category, Frequency, Series
from .models import Indicator, Observation
from .periods import Period, PeriodError

BUILTIN_FILE = Path(__file__).resolve().parent / "data" / "yongzhou-2017.yaml"

CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"


# --- built-in indicators ----------------------------------------------------------------------

_INDICATOR_FIELDS = (
    "name",
    "category",
    "measure_unit",
    "responsible_unit_id",
    "basis",
    "frequency",
    "source_text",
    "rule",
    "position",
)


def _read(path: Path) -> tuple[list[Mapping[str, Any]], Region | None]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(
            _("%(file)s:无法读取指标数据:%(error)s") % {"file": path.name, "error": exc}
        ) from exc
    rows = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValidationFailed(_("%(file)s:缺少 indicators 列表。") % {"file": path.name})
    code = str(data.get("directory") or "").strip()
    directory = Region.objects.filter(code=code).first() if code else None
    if code and directory is None:
        raise ValidationFailed(
            _("%(file)s:单位名录所属行政区“%(code)s”不存在。") % {"file": path.name, "code": code}
        )
    return rows, directory


def _wanted(row: Any, pos: int, names: dict) -> tuple[str, dict[str, Any]]:
    """The indicator's fields from one entry of the file, or ValidationFailed listing problems."""
    if not isinstance(row, Mapping):
        raise ValidationFailed(_("第 %(n)s 项不是一个映射。") % {"n": pos + 1})
    code = str(row.get("code") or "").strip()
    where = code or _("第 %(n)s 项") % {"n": pos + 1}
    problems = []
    if not code:
        problems.append(_("%(where)s:缺少代码。") % {"where": where})
    if not str(row.get("name") or "").strip():
        problems.append(_("%(where)s:缺少名称。") % {"where": where})
    if row.get("category") not in Category.values:
        problems.append(
            _("%(where)s:类别“%(value)s”无效。") % {"where": where, "value": row.get("category")}
        )
    frequency = row.get("frequency", Frequency.ANNUAL)
    if frequency not in Frequency.values:
        problems.append(
            _("%(where)s:数据频率“%(value)s”无效。") % {"where": where, "value": frequency}
        )
    ref = names.get(str(row.get("responsible") or "").strip())
    if ref is None or ref.kind != "unit":
        problems.append(
            _("%(where)s:责任单位“%(name)s”不是已知单位。")
            % {"where": where, "name": row.get("responsible")}
        )
    try:
        rule = evaluation.target_to_data(evaluation.parse_target(row.get("rule")))
    except evaluation.TargetError as exc:
        problems.append(_("%(where)s:%(error)s") % {"where": where, "error": exc})
        rule = None
    if problems:
        raise ValidationFailed(problems)
    return code, {
        "name": str(row["name"]).strip(),
        "category": row["category"],
        "measure_unit": str(row.get("unit") or "").strip(),
        "responsible_unit_id": ref.pk,
        "basis": str(row.get("basis") or "").strip(),
        "frequency": frequency,
        "source_text": str(row.get("source") or "").strip(),
        "rule": rule,
        "position": pos,
    }


@transaction.atomic
def load_indicators(path: Path = BUILTIN_FILE, *, by: User | None = None) -> dict[str, int]:
    """Create or update the indicators of a YAML file (the built-in one by default).

    Idempotent: a second run with the same file changes nothing and records no event. Indicators
    missing from the file are left alone; their data is never touched.
    """
    if by is not None and not is_admin(by):
        raise NotAllowed(_("只有系统管理员可以导入指标定义。"))
    rows, directory = _read(path)
    # Responsible units are printed names, resolved in the directory the file names.
    names = name_index(directory) if directory is not None else {}
    problems: list[str] = []
    wanted: dict[str, dict[str, Any]] = {}
    for pos, row in enumerate(rows):
        try:
            code, fields = _wanted(row, pos, names)
        except ValidationFailed as exc:
            problems.extend(exc.messages)
            continue
        if code in wanted:
            problems.append(_("指标代码 %(code)s 重复。") % {"code": code})
        wanted[code] = fields
    if problems:
        raise ValidationFailed(problems)
    existing = {i.code: i for i in Indicator.objects.filter(code__in=list(wanted))}
    counts = {"created": 0, "changed": 0}
    for code, fields in wanted.items():
        indicator = existing.get(code)
        if indicator is None:
            indicator = Indicator.objects.create(code=code, **fields)
            record(by, "indicator.created", indicator, after=snapshot(indicator))
            counts["created"] += 1
            continue
        if all(getattr(indicator, k) == v for k, v in fields.items()):
            continue
        before = snapshot(indicator)
        for k, v in fields.items():
            setattr(indicator, k, v)
        indicator.save()
        record(by, "indicator.changed", indicator, before=before, after=snapshot(indicator))
        counts["changed"] += 1
    return counts


# --- observations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One checked observation, ready to save."""

    indicator: Indicator
    series: str
    region: Region | None
    period: Period
    value: Decimal
    source: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[int, str, int | None, str]:
        return (
            self.indicator.pk,
            self.series,
            self.region.pk if self.region else None,
            self.period.label,
        )


def check_entry(
    indicator: Indicator,
    *,
    by: User | None,
    series: str,
    region: Region | None,
    period: Any,
    value: Any,
    source: str = "",
    note: str = "",
) -> Entry:
    """Validate one observation's input; ValidationFailed lists every problem, NotAllowed if the
    user may not enter it."""
    problems = []
    if series not in Series.values:
        problems.append(_("数据序列“%(series)s”无效。") % {"series": series})
    elif series == Series.NATIONAL_AVERAGE and region is not None:
        problems.append(_("全国平均值不填写行政区。"))
    elif series != Series.NATIONAL_AVERAGE and region is None:
        problems.append(_("本市数值和全国排名必须选择行政区。"))
    try:
        parsed_period = indicator.parse_period(period)
    except PeriodError as exc:
        problems.append(str(exc))
        parsed_period = None
    try:
        number = parse_value(value, series=series, unit=indicator.measure_unit)
    except ValueProblem as exc:
        problems.append(str(exc))
        number = None
    if len(source.strip()) > 300:
        problems.append(_("数据来源不能超过 300 个字。"))
    if problems:
        raise ValidationFailed(problems)
    if by is not None:  # the system itself (by=None) enters any value
        scope = entry_scope(by)
        if region is None and not (scope.admin or scope.reference):
            raise NotAllowed(
                _("全国平均值等参考数据服务于所有地区,只能由系统管理员或省级创质办维护。")
            )
        if not scope.allows(indicator, region):
            raise NotAllowed(
                _("您无权填报指标“%(name)s”的数据(责任单位:%(unit)s)。")
                % {"name": indicator.name, "unit": indicator.responsible_unit.name}
            )
    return Entry(indicator, series, region, parsed_period, number, source.strip(), note.strip())


def _upsert(entry: Entry, *, by: User | None) -> tuple[Observation, str]:
    existing = (
        Observation.objects.select_for_update()
        .filter(
            indicator=entry.indicator,
            series=entry.series,
            region=entry.region,
            period=entry.period.label,
        )
        .first()
    )
    if existing is not None and (existing.value, existing.source, existing.note) == (
        entry.value,
        entry.source,
        entry.note,
    ):
        return existing, UNCHANGED
    before = snapshot(existing) if existing is not None else None
    obs = existing or Observation(
        indicator=entry.indicator, series=entry.series, region=entry.region
    )
    obs.period = entry.period.label
    obs.period_end = entry.period.end
    obs.value = entry.value
    obs.source = entry.source
    obs.note = entry.note
    obs.entered_by = by if by is not None and by.is_authenticated else None
    obs.save()
    after = snapshot(obs)
    after.pop("entered_at", None)
    if before is not None:
        before.pop("entered_at", None)
    record(
        by,
        "observation.created" if existing is None else "observation.changed",
        obs,
        before=before,
        after=after,
    )
    return obs, CREATED if existing is None else CHANGED


@transaction.atomic
def save_observation(
    indicator: Indicator,
    *,
    by: User | None,
    series: str,
    region: Region | None,
    period: Any,
    value: Any,
    source: str = "",
    note: str = "",
) -> Observation:
    """Enter (or correct) one value; one audit event when something changed."""
    entry = check_entry(
        indicator,
        by=by,
        series=series,
        region=region,
        period=period,
        value=value,
        source=source,
        note=note,
    )
    obs, _outcome = _upsert(entry, by=by)
    return obs


@transaction.atomic
def delete_observation(obs: Observation, *, by: User) -> None:
    if not entry_scope(by).allows(obs.indicator, obs.region):
        raise NotAllowed(_("您无权删除该指标数据。"))
    record(by, "observation.deleted", obs, before=snapshot(obs))
    obs.delete()


@transaction.atomic
def import_entries(entries: Iterable[Entry], *, by: User) -> Counter[str]:
    """Save checked entries (from an import); each changed one records an audit event."""
    counts: Counter[str] = Counter()
    seen: set[tuple] = set()
    for entry in entries:
        if entry.key in seen:
            raise ValidationFailed(_("导入数据中有重复的行。"))
        seen.add(entry.key)
        if not entry_scope(by).allows(entry.indicator, entry.region):
            raise NotAllowed(_("您无权填报指标“%(name)s”的数据。") % {"name": entry.indicator.name})
        _obs, outcome = _upsert(entry, by=by)
        counts[outcome] += 1
    record(
        by,
        "observation.imported",
        object_type="indicators.observation",
        object_repr=_("导入指标数据"),
        after=dict(counts),
    )
    return counts


# --- filling in observations that are not there yet ------------------------------------------


@transaction.atomic
def add_missing_observations(entries: Iterable[Entry], *, by: User | None = None) -> int:
    """Save the entries that have no value yet for their indicator, series, region and period;
    values already there (perhaps corrected since) are left alone. One audit event per value
    added. The system (by=None) adds any value, a user only those it may enter."""
    entries = list(entries)
    have = set(
        Observation.objects.filter(indicator_id__in={e.indicator.pk for e in entries}).values_list(
            "indicator_id", "series", "region_id", "period"
        )
    )
    added = 0
    for entry in entries:
        if entry.key in have:
            continue
        if by is not None and not entry_scope(by).allows(entry.indicator, entry.region):
            raise NotAllowed(_("您无权填报指标“%(name)s”的数据。") % {"name": entry.indicator.name})
        _upsert(entry, by=by)
        have.add(entry.key)
        added += 1
    return added
