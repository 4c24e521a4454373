"""A framework version's table (items with their dimensions, criteria), read once per process.

A version is never changed after its import: a changed table is imported as a new version
(services.import_framework), and its id, content hash and import time name it. Pages that show a
round read the same 125 rows and ~60 items for every request; keeping them per process saves the
queries and the model objects (bench/province_pages.py). The instances are shared: callers read
them and never change them.
"""

from __future__ import annotations

from functools import lru_cache

from .models import Criterion, Framework, Item


@lru_cache(maxsize=32)
def _tables(framework_id: int, content_hash: str, loaded_at: str) -> tuple[tuple, tuple]:
    items = tuple(
        Item.objects.filter(framework_id=framework_id)
        .select_related("dimension", "framework")
        .order_by("position")
    )
    criteria = tuple(Criterion.objects.filter(framework_id=framework_id).order_by("position"))
    return items, criteria


def framework_tables(framework: Framework) -> tuple[list[Item], list[Criterion]]:
    """The version's items (dimension and framework selected) and criteria, in table order."""
    items, criteria = _tables(framework.pk, framework.content_hash, framework.loaded_at.isoformat())
    return list(items), list(criteria)


def dimension_criterion_ids(framework: Framework, number: int) -> list[int]:
    """The ids of the criteria under dimension `number` (一…十), in table order."""
    items, criteria = framework_tables(framework)
    shown = {i.pk for i in items if i.dimension.number == number}
    return [c.pk for c in criteria if c.item_id in shown]


def clear() -> None:
    """Forget the kept tables (tests that rebuild a framework under the same id)."""
    _tables.cache_clear()
