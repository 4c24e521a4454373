"""Import of indicator data from xlsx or csv: read the table, check every row, name every problem.

Nothing is saved here: `check_rows` returns the rows with their problems and the entries that can
be saved; the view saves them through services.import_entries once the file is clean or the user
confirms importing only the good rows (carried between the two requests in a signed token).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import archives
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.models import Region, User

from .choices import Series
from .models import Indicator
from .services import Entry, check_entry

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
TOKEN_SALT = "qualitycity.indicators.import"
TOKEN_MAX_AGE = 3600

# (key, Chinese heading): the headings are msgids, so a file is read whatever the language of
# the template it was made from.
_HEADINGS = (
    ("code", "指标代码"),
    ("series", "数据序列"),
    ("region", "行政区"),
    ("period", "期间"),
    ("value", "数值"),
    ("source", "数据来源"),
    ("note", "备注"),
)
COLUMNS = tuple((key, gettext_lazy(heading)) for key, heading in _HEADINGS)
REQUIRED = ("code", "period", "value")


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read (not a row problem)."""


@dataclass
class RowReport:
    line: int
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)
    entry: Entry | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportCheck:
    rows: list[RowReport]

    @property
    def good(self) -> list[RowReport]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]

    @property
    def clean(self) -> bool:
        return bool(self.rows) and not self.bad

    def entries(self) -> list[Entry]:
        return [r.entry for r in self.good if r.entry is not None]


# --- reading ----------------------------------------------------------------------------------


def _header_key(text: str) -> str | None:
    label = text.strip().strip("*").strip()
    for key, heading in _HEADINGS:
        if label in (key, heading, _(heading)):
            return key
    return None


def _cell_text(value: Any, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}-{value.month:02d}"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer() and "%" not in number_format:
            return str(int(value))
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in number_format:
            return f"{(number * 100).normalize():f}%"
        return f"{number:f}"
    return str(value).strip()


def check_xlsx(content: bytes) -> None:
    """Refuse a spreadsheet that inflates beyond archives.XLSX_LIMITS."""
    refused = archives.xlsx_refusal(content)
    if refused and refused.reason == "damaged":
        raise FileRefused(_("无法读取该 Excel 文件,请使用下载的模板重新填写。"))
    if refused:
        raise FileRefused(
            _("该 Excel 文件解压后过大或结构异常(疑似压缩炸弹),已拒收。请使用下载的模板。")
        )


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    check_xlsx(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("无法读取该 Excel 文件,请使用下载的模板重新填写。")) from exc
    try:
        sheet = (
            book[str(_("指标数据"))]
            if str(_("指标数据")) in book.sheetnames
            else book.worksheets[0]
        )
        rows = []
        for row in sheet.iter_rows():
            rows.append([_cell_text(c.value, getattr(c, "number_format", "") or "") for c in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("无法识别 CSV 文件的编码,请保存为 UTF-8 编码。"))
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise FileRefused(_("CSV 文件格式有误:%(error)s") % {"error": exc}) from exc


def read_table(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The data rows of an uploaded file as (line number, {column key: text})."""
    if not content:
        raise FileRefused(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise FileRefused(_("文件不能超过 5 MB。"))
    lower = name.lower()
    if content[:4] == b"PK\x03\x04":
        if not lower.endswith(".xlsx"):
            raise FileRefused(_("只接受 .xlsx 或 .csv 文件。"))
        rows = _xlsx_rows(content)
    elif lower.endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise FileRefused(_("只接受 .xlsx 或 .csv 文件。"))
    header_at = next((i for i, row in enumerate(rows) if any(c for c in row)), None)
    if header_at is None:
        raise FileRefused(_("文件中没有数据。"))
    keys = [_header_key(c) for c in rows[header_at]]
    missing = [str(label) for key, label in COLUMNS if key in REQUIRED and key not in keys]
    if missing:
        raise FileRefused(
            _("表头缺少以下列:%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)}
        )
    out = []
    for index, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(c for c in row):
            continue
        cells = {key: "" for key, _label in COLUMNS}
        for key, text in zip(keys, row, strict=False):
            if key is not None:
                cells[key] = text
        out.append((index, cells))
    if not out:
        raise FileRefused(_("文件中没有数据行。"))
    if len(out) > MAX_ROWS:
        raise FileRefused(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
    return out


# --- checking ---------------------------------------------------------------------------------


def _series_key(text: str) -> str | None:
    text = text.strip()
    if not text:
        return Series.VALUE
    chinese = {
        "本市数值": Series.VALUE,
        "全国平均": Series.NATIONAL_AVERAGE,
        "全国排名": Series.RANK,
    }
    if text in chinese:
        return chinese[text]
    for value, label in Series.choices:
        if text in (value, str(label)):
            return value
    return None


def check_rows(rows: Iterable[tuple[int, dict[str, str]]], *, by: User) -> ImportCheck:
    """Check every row; a row's problems are complete sentences (3 queries whatever the rows)."""
    rows = list(rows)
    codes = {cells["code"].strip() for _line, cells in rows}
    indicators = {
        i.code: i
        for i in Indicator.objects.select_related("responsible_unit").filter(code__in=codes)
    }
    region_texts = {cells["region"].strip() for _line, cells in rows} - {""}
    regions: dict[str, Region] = {}
    for region in Region.objects.filter(Q(code__in=region_texts) | Q(name__in=region_texts)):
        regions[region.code] = region
        regions[region.name] = region
    seen: dict[tuple, int] = {}
    report = []
    for line, cells in rows:
        row = RowReport(line, cells)
        report.append(row)
        code = cells["code"].strip()
        indicator = indicators.get(code)
        if not code:
            row.problems.append(_("未填写指标代码。"))
        elif indicator is None:
            row.problems.append(_("未知的指标代码“%(code)s”。") % {"code": code})
        series = _series_key(cells["series"])
        if series is None:
            row.problems.append(
                _("数据序列“%(series)s”无效,应为:%(choices)s。")
                % {
                    "series": cells["series"],
                    "choices": "、".join(str(label) for _v, label in Series.choices),
                }
            )
        region_text = cells["region"].strip()
        region = regions.get(region_text) if region_text else None
        if region_text and region is None:
            row.problems.append(_("未知的行政区“%(region)s”。") % {"region": region_text})
        if indicator is None or series is None or (region_text and region is None):
            continue
        try:
            row.entry = check_entry(
                indicator,
                by=by,
                series=series,
                region=region,
                period=cells["period"],
                value=cells["value"],
                source=cells["source"],
                note=cells["note"],
            )
        except NotAllowed as exc:
            row.problems.extend(exc.messages)
            continue
        except ValidationFailed as exc:
            row.problems.extend(exc.messages)
            continue
        first = seen.setdefault(row.entry.key, line)
        if first != line:
            row.problems.append(
                _("与第 %(line)s 行重复(同一指标、序列、行政区和期间)。") % {"line": first}
            )
            row.entry = None
    return ImportCheck(report)


# --- carrying good rows to the confirmation -----------------------------------------------------


def rows_token(check: ImportCheck) -> str:
    """The good rows, signed, for the "import only the good rows" button."""
    data = [[r.line, r.cells] for r in check.good]
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def rows_from_token(token: str) -> list[tuple[int, dict[str, str]]]:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise FileRefused(_("确认已超时,请重新上传文件。")) from exc
    except signing.BadSignature as exc:
        raise FileRefused(_("导入确认无效,请重新上传文件。")) from exc
    return [(int(line), {k: str(v) for k, v in cells.items()}) for line, cells in data]


# --- templates --------------------------------------------------------------------------------


def _example_rows(
    indicators: list[Indicator], region: Region | None, reference: bool
) -> list[list[str]]:
    """Example rows: a value (or rank) per indicator, and the national average where the rule
    compares with it and the user writes reference series."""
    rows = []
    for ind in indicators[:3]:
        series = Series.RANK if ind.rule.get("type") == "rank_within" else Series.VALUE
        rows.append(
            [ind.code, str(series.label), region.code if region else "", "2018", "", "", ""]
        )
        if reference and ind.rule.get("type") == "below_benchmark":
            rows.append([ind.code, str(Series.NATIONAL_AVERAGE.label), "", "2018", "", "", ""])
    return rows


def template_csv(
    indicators: list[Indicator], region: Region | None, *, reference: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(label) for _key, label in COLUMNS])
    writer.writerows(_example_rows(indicators, region, reference))
    return out.getvalue().encode("utf-8-sig")  # with BOM, so Excel reads it as UTF-8


def template_xlsx(
    indicators: list[Indicator], region: Region | None, *, reference: bool = False
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = str(_("指标数据"))
    sheet.append([str(label) for _key, label in COLUMNS])
    for row in _example_rows(indicators, region, reference):
        sheet.append(row)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F0FB")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for letter, width in zip("ABCDEFG", (38, 12, 12, 10, 12, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2, max_col=5):
        for cell in row:
            cell.number_format = "@"  # text, so "2018Q1" and "2018-03" stay as typed

    guide = book.create_sheet(str(_("指标清单")))
    guide.append(
        [
            str(_("指标代码")),
            str(_("名称")),
            str(_("类别")),
            str(_("计量单位")),
            str(_("数据频率")),
            str(_("责任单位")),
            str(_("目标")),
        ]
    )
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for ind in indicators:
        guide.append(
            [
                ind.code,
                ind.name,
                ind.get_category_display(),
                ind.measure_unit,
                ind.get_frequency_display(),
                ind.responsible_unit.name,
                ind.target_text(),
            ]
        )
    for letter, width in zip("ABCDEFG", (38, 36, 10, 10, 10, 28, 30), strict=True):
        guide.column_dimensions[letter].width = width
    notes = book.create_sheet(str(_("填写说明")))
    for line in (
        _("每行填写一个指标在一个期间的一个数值。"),
        _("数据序列:本市数值、全国平均或全国排名;不填视为本市数值。"),
        _("行政区:填写代码(如 431100)或名称(如 永州市);全国平均值不填写行政区。"),
        _("期间:年度指标写 2018,季度指标写 2018Q1,月度指标写 2018-03。"),
        _("数值:只填数字,百分比可写 95.3 或 95.3%。"),
        _("同一指标、序列、行政区和期间已有数据时,导入将覆盖原有数值。"),
    ):
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
