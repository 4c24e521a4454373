"""The query planner's statistics, refreshed by the daily sweep and after the demo data.

Both databases plan by their statistics. SQLite never gathers them itself: without them its
planner guessed wrong at scale (the evidence library sorted all 200,000 rows for each page,
185 ms, instead of reading the ordering index, 48 ms after ANALYZE; bench/), and with a sample
(`analysis_limit`) it misjudged how many of the evidence records share one of their few files
(112 instead of 15,385) and sorted in full again (440 ms), so it reads every row: under 2 seconds
for the province bench (1.8 million progress reports, 584 MB). PostgreSQL's autovacuum analyses
tables as they grow, but only where it is on; where it was off the province bench's pages ran
2 to 8 times slower (a score's round read by a sequential scan). ANALYZE there samples each
table (1.5 s for the province bench), so it runs on both.
"""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> bool:
    """Analyse the database's tables: every row on SQLite, PostgreSQL's own sample. Returns
    whether the database is one of the two."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=0")  # no sampling
        cursor.execute("ANALYZE")
    return True
