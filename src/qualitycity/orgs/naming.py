"""Which directory names are closest to a printed unit name (pure): the suggestions shown for a
name a directory lacks, wherever such a name turns up (a framework's table, a plan's measures, a
campaign's responsibility table). Abbreviations count ("市质监局" for "市质量技术监督局")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

_PREFIXES = ("省", "市", "区", "县")
_SUFFIXES = ("局", "委", "办", "厅", "部", "会")


def _core(name: str) -> str:
    core = name
    for prefix in _PREFIXES:
        if core.startswith(prefix) and len(core) > 2:
            core = core[1:]
            break
    for suffix in _SUFFIXES:
        if core.endswith(suffix) and len(core) > 2:
            core = core[:-1]
            break
    return core


def _similarity(a: str, b: str) -> float:
    whole = difflib.SequenceMatcher(None, a, b).ratio()
    core_a, core_b = _core(a), _core(b)
    core = difflib.SequenceMatcher(None, core_a, core_b).ratio()
    # Every character of the shorter core appearing in order in the longer one: an abbreviation
    # ("质监" in "质量技术监督").
    short, long_ = sorted((core_a, core_b), key=len)
    it = iter(long_)
    abbreviation = 0.8 if short and all(ch in it for ch in short) else 0.0
    return max(whole, core, abbreviation)


def suggestions(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The directory names closest to a printed one, best first (at most `limit`)."""
    scored = [(_similarity(name, c), c) for c in set(candidates) if c != name]
    scored = [(score, c) for score, c in scored if score >= 0.5]
    scored.sort(key=lambda sc: (-sc[0], sc[1]))
    return [c for _score, c in scored[:limit]]
