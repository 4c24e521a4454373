"""Writing xlsx safely: every text cell is text, never a formula (formula injection).

A value a user typed that starts with = + - @ or a tab (or a carriage return) would be read by
Excel or WPS as a formula; `cell()` stores such text as a string with Excel's quote prefix, so it
shows exactly as typed and is never evaluated, and reading the file back gives the same text.
`write_list` writes a list page's rows into a write-only workbook (rows streamed, not kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def plain(value: Any) -> Any:
    """A value as a cell takes it: numbers stay numbers, dates dates, None empty, all else text."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime):
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return timezone.localtime(value).replace(tzinfo=None)  # the wall clock users read
        return value
    return str(value)


def protect(cell: Any) -> Any:
    """Make a cell holding formula-like text a plain string with the quote prefix."""
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one value into a normal worksheet, safely."""
    c = ws.cell(row=row, column=column)
    c.value = plain(value)
    return protect(c)


def cell(ws: Worksheet, value: Any, **style: Any) -> WriteOnlyCell:
    """A write-only cell holding `value` safely, with optional font/fill/alignment/number_format."""
    c = WriteOnlyCell(ws, value=plain(value))
    for key, val in style.items():
        setattr(c, key, val)
    return protect(c)


def write_list(
    out: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    caption: str = "",
) -> int:
    """Write one sheet: an optional caption line (the list's filters), a bold frozen header row
    and the rows, streamed. Returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if caption:
        ws.append([cell(ws, caption, font=HEADER_FONT)])
    ws.freeze_panes = f"A{3 if caption else 2}"
    ws.append([cell(ws, h, font=HEADER_FONT, fill=HEADER_FILL) for h in headers])
    count = 0
    for row in rows:
        ws.append([cell(ws, v) for v in row])
        count += 1
    wb.save(out)
    return count


def _sheet_title(title: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    return cleaned[:31]
