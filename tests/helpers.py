"""Test helpers shared by every app's tests."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser

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


class _TextParser(HTMLParser):
    SKIP = frozenset({"script", "style", "template"})
    SHOWN_ATTRS = frozenset({"title", "placeholder", "aria-label", "alt"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        self.parts.extend(v for k, v in attrs if k in self.SHOWN_ATTRS and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a page shows a reader: its text and its titles, placeholders and labels, without
    markup, scripts, or attributes meant for code (data-*, values, ids)."""
    parser = _TextParser()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def codes_shown(html: str, codes: Iterable[str]) -> set[str]:
    """Which of `codes` a page shows as words of its visible text."""
    text = visible_text(html)
    return {c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)}
