"""Resolving a framework's printed unit names into a campaign's responsibility table (pure).

A framework keeps lead and cooperating units as printed text. A campaign reads each name in its
own region's directory (unit names, group names and aliases); the office's own mappings of a
name come first, so a name the directory lacks, or reads differently, can be mapped once for
every row that prints it. A name found nowhere stays unresolved and is listed with suggestions.
"""

from __future__ import annotations

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
