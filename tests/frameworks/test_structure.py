"""A framework version's table is read once per process (frameworks/structure.py)."""

from __future__ import annotations

import pytest

from qualitycity.frameworks.structure import dimension_criterion_ids, framework_tables
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def test_the_table_is_read_once_and_kept(yongzhou):
    assert count_queries(lambda: framework_tables(yongzhou)) == 2
    assert count_queries(lambda: framework_tables(yongzhou)) == 0
    items, criteria = framework_tables(yongzhou)
    assert len(criteria) == 125 and items[0].dimension.number == 1
    assert [c.position for c in criteria] == sorted(c.position for c in criteria)


def test_callers_get_their_own_lists(yongzhou):
    _items, criteria = framework_tables(yongzhou)
    criteria.clear()
    assert len(framework_tables(yongzhou)[1]) == 125


def test_another_import_of_the_same_id_is_read_afresh(yongzhou):
    framework_tables(yongzhou)
    yongzhou.content_hash = "0" * 64  # as a new version would carry
    assert count_queries(lambda: framework_tables(yongzhou)) == 2


def test_a_dimensions_criteria_in_table_order(yongzhou):
    from qualitycity.frameworks.models import Criterion

    expected = list(
        Criterion.objects.filter(framework=yongzhou, item__dimension__number=3)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert expected and dimension_criterion_ids(yongzhou, 3) == expected
    assert dimension_criterion_ids(yongzhou, 99) == []
