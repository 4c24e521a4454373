"""The query planner's statistics, kept fresh where the database does not do it itself.

PostgreSQL's autovacuum analyses tables as they grow. SQLite never does: without statistics its
planner guesses, and at scale it guessed wrong (the evidence library sorted all 200,000 rows for
each page, 185 ms, instead of reading the ordering index, 48 ms after ANALYZE; bench/). The daily
sweep (reports.jobs) and setup_demo call this; `analysis_limit` keeps it to a sample of each index,
a few tens of milliseconds.
"""

from __future__ import annotations

from django.db import connection

ANALYSIS_LIMIT = 1000  # rows sampled per index (SQLite's recommendation is 100 to 1000)


def refresh_statistics() -> bool:
    """Analyse the SQLite database's tables (a sample of each index); nothing on PostgreSQL.
    Returns whether it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
