"""Test helpers shared by every app's tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextlib.contextmanager
def max_queries(limit: int) -> Iterator[CaptureQueriesContext]:
    """Fail when the block runs more than `limit` SQL queries; the message lists them."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) > limit:
        listing = "\n".join(
            f"{i + 1}. {q['sql'][:200]}" for i, q in enumerate(ctx.captured_queries)
        )
        raise AssertionError(
            f"{len(ctx.captured_queries)} queries, at most {limit} allowed:\n{listing}"
        )


def count_queries(fn: Callable[[], object]) -> int:
    """How many SQL queries one call of `fn` runs."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)
