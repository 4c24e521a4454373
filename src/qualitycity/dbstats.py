"""The query planner's statistics, kept fresh where the database does not do it itself.

PostgreSQL's autovacuum analyses tables as they grow. SQLite never does: without statistics its
planner guesses, and at scale it guessed wrong (the evidence library sorted all 200,000 rows for
each page, 185 ms, instead of reading the ordering index, 48 ms after ANALYZE; bench/). The daily
sweep (reports.jobs) and setup_demo call this. The analysis reads every row: a sample (SQLite's
`analysis_limit`) misjudged how many of the 200,000 evidence records share one of their few files
(112 instead of 15,385), and the library was sorted in full again (440 ms). A full analysis of
the province bench (1.8 million progress reports, 584 MB) takes under 2 seconds.
"""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> bool:
    """Analyse the SQLite database's tables, every row of each index; nothing on PostgreSQL.
    Returns whether it ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=0")  # no sampling
        cursor.execute("ANALYZE")
    return True
