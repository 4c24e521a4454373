"""Zip archives from users (evidence zips, docx/xlsx/pptx, spreadsheet imports), measured by what
they really hold before anything parses them.

A zip's directory declares each member's size, and a hostile file lies: `inspect_zip` reads every
member, counting the bytes it actually inflates, and stops as soon as a budget is spent, so a bomb
costs at most the budget's worth of CPU and no memory beyond one chunk. Members that are zips
themselves (a docx inside an evidence zip) are inspected in turn within the same budget, to a
limited depth; deeper nesting is refused. zipfile checks each member's CRC at its end, so a member
whose declared size is a lie fails there. Pure: no Django, no database; callers turn `ZipRefused`
into their own message.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import IO

CHUNK = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


class ZipRefused(Exception):
    """The archive is damaged, too large when inflated, too deeply nested, or has too many
    members. `reason` is one of "damaged", "too_large", "too_deep", "too_many"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    max_total: int  # bytes inflated, over every member at every depth
    max_ratio: int  # inflated bytes per byte of the outer file
    max_members: int = 10_000
    max_depth: int = 2  # a zip inside a zip is inspected; a third level is refused
    max_member: int | None = None  # bytes one member may inflate to (e.g. sharedStrings.xml)
    member_limits: dict[str, int] = field(default_factory=dict)  # by exact member name


@dataclass
class Report:
    members: int = 0
    inflated: int = 0
    largest: dict[str, int] = field(default_factory=dict)


def inspect_zip(source: str | IO[bytes], *, size: int, limits: Limits) -> Report:
    """Read the archive through, within the limits. `size` is the outer file's size in bytes."""
    budget = min(limits.max_total, max(size, 1) * limits.max_ratio)
    report = Report()
    _walk(source, limits, budget, report, depth=1)
    return report


def _walk(source: str | IO[bytes], limits: Limits, budget: int, report: Report, depth: int) -> None:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ZipRefused("damaged", str(exc)) from exc
    with archive:
        infos = archive.infolist()
        report.members += len(infos)
        if report.members > limits.max_members:
            raise ZipRefused("too_many", str(report.members))
        for info in infos:
            if info.is_dir():
                continue
            cap = limits.member_limits.get(info.filename, limits.max_member)
            head = b""
            nested: IO[bytes] | None = None
            inflated = 0
            try:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        if not head:
                            head = chunk[:4]
                            if head == ZIP_MAGIC:
                                # spooled: a large inner zip goes to disk, not memory
                                nested = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)
                        inflated += len(chunk)
                        report.inflated += len(chunk)
                        if report.inflated > budget:
                            raise ZipRefused("too_large", info.filename)
                        if cap is not None and inflated > cap:
                            raise ZipRefused("too_large", info.filename)
                        if nested is not None:
                            nested.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
                raise ZipRefused("damaged", f"{info.filename}: {exc}") from exc
            except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown method
                raise ZipRefused("damaged", f"{info.filename}: {exc}") from exc
            report.largest[info.filename] = inflated
            if nested is not None:
                with nested:
                    if depth >= limits.max_depth:
                        raise ZipRefused("too_deep", info.filename)
                    nested.seek(0)
                    _walk(nested, limits, budget, report, depth + 1)


# What an uploaded spreadsheet (indicator data, an organisation, people) may inflate to before
# openpyxl parses it: a 1.3 MB file whose shared strings inflate to gigabytes once took 68 s of
# CPU and 1.6 GB of memory. Measured by inflating, not by the sizes the archive declares.
XLSX_LIMITS = Limits(
    max_total=40 * 1024 * 1024,
    max_ratio=100,
    max_members=500,
    max_depth=1,
    member_limits={"xl/sharedStrings.xml": 16 * 1024 * 1024},
)


def xlsx_refusal(content: bytes, limits: Limits = XLSX_LIMITS) -> ZipRefused | None:
    """Why a spreadsheet's archive is refused (`reason` "damaged" or the limit it broke; the
    member's name in `args`), or None."""
    import io

    try:
        inspect_zip(io.BytesIO(content), size=len(content), limits=limits)
    except ZipRefused as exc:
        return exc
    return None
