"""The export registry: every generated document is one `ExportKind`, read the same way by the
download view, the background job and `qualitycity export`.

A kind says how to find its target for a user (`resolve`: the object, or `Http404` for missing
and forbidden alike; `user=None` is the command line, which reads everything), its file name and
type, and how to write it (`write(target, out, progress)` into a binary file; `progress(done,
total)` may be called as it goes). Small kinds stream straight back; `background` kinds run as an
`ExportJob` in the worker, with progress on the page (`reports/views/exports.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportKind:
    key: str  # in URLs and on the command line: "round-xlsx"
    label: Any  # lazy text: 评分表(Excel)
    resolve: Callable[[Any, int, Mapping[str, str]], Any]
    filename: Callable[[Any, Mapping[str, str]], str]
    content_type: str
    write: Callable[[Any, IO[bytes], Mapping[str, str], Progress], None]
    background: bool = False
    params: tuple[str, ...] = ()  # query parameters the kind reads (e.g. "period")


REGISTRY: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    if kind.key in REGISTRY and REGISTRY[kind.key] is not kind:
        raise ValueError(f"export kind {kind.key!r} registered twice")
    REGISTRY[kind.key] = kind
    return kind


def kind_of(key: str) -> ExportKind | None:
    return REGISTRY.get(key)


def no_progress(done: int, total: int) -> None:
    return None


def clean_params(kind: ExportKind, data: Mapping[str, Any]) -> dict[str, str]:
    """Only the parameters the kind declares, as short strings."""
    return {name: str(data[name])[:100] for name in kind.params if data.get(name) not in (None, "")}
