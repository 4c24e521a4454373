"""The planner's statistics are refreshed by the daily sweep (qualitycity/dbstats.py), on SQLite
and on PostgreSQL, whose autovacuum may be off."""

from __future__ import annotations

import pytest
from django.db import connection

from qualitycity.dbstats import refresh_statistics

pytestmark = pytest.mark.django_db


def test_statistics_are_written_on_both_databases(orgs):
    from qualitycity.orgs.models import Unit

    assert refresh_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'orgs_unit'")
            assert cursor.fetchone()[0] > 0
        else:  # the table's row estimate, -1 until it is first analysed
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'orgs_unit'")
            assert cursor.fetchone()[0] == Unit.objects.count()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own statistics")
def test_the_statistics_count_every_row_not_a_sample(orgs):
    from qualitycity.orgs.models import Unit

    Unit.objects.bulk_create(
        Unit(region=orgs, code=f"sample-{n}", name=f"抽样单位{n}", kind="政府部门")
        for n in range(3000)
    )
    rows = Unit.objects.count()
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orgs_unit'")
        counts = {int(stat.split()[0]) for (stat,) in cursor.fetchall()}
    assert counts == {rows}


def test_the_daily_sweep_refreshes_them(orgs, monkeypatch):
    from qualitycity.reports import jobs

    called = []
    monkeypatch.setattr(jobs, "refresh_statistics", lambda: called.append(True))
    jobs.sweep_export_files.call()
    assert called == [True]
