"""Who leads the work a cooperating (配合) task helps with: the lead units of the same row of the
campaign's responsibility table (责任分工表, `ResponsibleUnit`), or of the same measure
(`MeasureUnit`) for a measure's own task. Names as the directory resolves them (a unit's or a
group's name), the printed name for an entry the directory does not know.

`lead_names(tasks)` reads them for a whole page of tasks in one query (rows and measures
together, a UNION), none when no task cooperates, so list pages keep a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, F, IntegerField, Value

from .choices import WorkRole
from .models import MeasureUnit, ResponsibleUnit, Task

ROW = "row"
MEASURE = "measure"


def _key(task: Task) -> tuple[str, int, int] | None:
    if task.role != WorkRole.COOPERATING:
        return None
    if task.criterion_id is not None:
        return (ROW, task.campaign_id, task.criterion_id)
    if task.measure_id is not None:
        return (MEASURE, 0, task.measure_id)
    return None


def lead_names(tasks: Iterable[Task]) -> dict[int, list[str]]:
    """task id → the names of the units leading its row or measure, for cooperating tasks
    (others have no entry). One query at most."""
    keys = {t.pk: k for t in tasks if (k := _key(t)) is not None}
    if not keys:
        return {}
    rows = {(c, r) for kind, c, r in keys.values() if kind == ROW}
    measures = {m for kind, _c, m in keys.values() if kind == MEASURE}
    columns = ("kind", "campaign_ref", "ref", "position", "unit__name", "group__name")
    parts = []
    if rows:
        parts.append(
            ResponsibleUnit.objects.filter(
                role=WorkRole.LEAD,
                campaign_id__in={c for c, _r in rows},
                criterion_id__in={r for _c, r in rows},
            )
            .annotate(
                kind=Value(ROW, CharField()),
                campaign_ref=F("campaign_id"),
                ref=F("criterion_id"),
            )
            .order_by()
            .values_list(*columns, "printed_name")
        )
    if measures:
        parts.append(
            MeasureUnit.objects.filter(role=WorkRole.LEAD, measure_id__in=measures)
            .annotate(
                kind=Value(MEASURE, CharField()),
                campaign_ref=Value(0, IntegerField()),
                ref=F("measure_id"),
            )
            .order_by()
            .values_list(*columns, "printed_name")
        )
    query = parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)
    found: dict[tuple[str, int, int], list[tuple[int, str]]] = {}
    for kind, campaign_ref, ref, position, unit, group, printed in query:
        if kind == ROW and (campaign_ref, ref) not in rows:
            continue  # the same row in another campaign of the page
        found.setdefault((kind, campaign_ref, ref), []).append((position, unit or group or printed))
    out: dict[int, list[str]] = {}
    for task_id, key in keys.items():
        names = [n for _p, n in sorted(found.get(key, []))]
        out[task_id] = list(dict.fromkeys(n for n in names if n))
    return out
