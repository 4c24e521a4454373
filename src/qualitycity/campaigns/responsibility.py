"""Resolving a framework's printed unit names into a campaign's responsibility table (pure).

A framework keeps lead and cooperating units as printed text. A campaign reads each name in its
own region's directory (unit names, group names and aliases); the office's own mappings of a
name come first, so a name the directory lacks, or reads differently, can be mapped once for
every row that prints it. A name found nowhere stays unresolved and is listed with suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A unit or group of the directory."""

    kind: str  # "unit" or "group"
    pk: int
    name: str


@dataclass(frozen=True)
class PrintedEntry:
    criterion_id: int
    role: str
    position: int
    name: str


@dataclass(frozen=True)
class Resolved:
    entry: PrintedEntry
    target: Target | None
    via: str | None  # "mapping", "directory" or None (not found)


def resolve(
    entries: Iterable[PrintedEntry],
    directory: Mapping[str, Target],
    mappings: Mapping[str, Target],
) -> list[Resolved]:
    """Each printed entry with what it names: the campaign's mapping first, then the directory."""
    out: list[Resolved] = []
    for entry in entries:
        if entry.name in mappings:
            out.append(Resolved(entry, mappings[entry.name], "mapping"))
        elif entry.name in directory:
            out.append(Resolved(entry, directory[entry.name], "directory"))
        else:
            out.append(Resolved(entry, None, None))
    return out


def unresolved_names(resolved: Sequence[Resolved]) -> dict[str, int]:
    """Printed names found nowhere → how many rows print them, in table order."""
    counts: dict[str, int] = {}
    for r in resolved:
        if r.target is None:
            counts[r.entry.name] = counts.get(r.entry.name, 0) + 1
    return counts


# Administrative prefixes and the commonest department suffixes; what is left is the core of a
# name ("市质量技术监督局" → "质量技术监督").
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
