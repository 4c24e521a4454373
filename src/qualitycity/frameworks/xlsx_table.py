"""The scoring table as xlsx both ways, in the seed's layout (as the round export prints it).

Sheet 考核评分表: 序号 | 指标项 | 指标内容 | 具体目标 | 牵头单位 | 配合单位 | 分值 | 得分 | 备注, then three
columns for the machine — 评分规则 (the rule as JSON), 合理缺项条件 and 其他 (JSON: 录入说明, 加分) —
which another city's table simply lacks. 指标项 ("一、城市质量发展战略规划明确清晰") and 指标内容
("1.1 制定并出台质量发展实施意见(20分)") are merged down their rows; an empty cell continues the one
above, which is how merged cells arrive. Sheet 体系信息 holds what the table does not show (code,
title, source, errata, grades, 加分 cap, stated totals, 二级指标) as JSON.

`write_framework_xlsx` writes a framework; `read_table` reads the rows of any such table (xlsx
or a docx table, given as rows of text) into the mapping `spec.parse_framework` takes, with the
problems it meets by sheet row. A table without 评分规则 gets manual rules (0 … points, step 1),
and `implied_rule` says when the text implies another (tiers, thresholds, deductions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from qualitycity import archives
from qualitycity.xlsx import set_cell

from .spec import FrameworkSpec, spec_to_data

NUMERALS = "一二三四五六七八九十"
HEADERS = ("序号", "指标项", "指标内容", "具体目标", "牵头单位", "配合单位", "分值", "得分", "备注")
MACHINE = ("评分规则", "合理缺项条件", "其他")
INFO_SHEET = "体系信息"
TABLE_SHEET = "考核评分表"
DIMENSION = re.compile(
    r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+?)\s*(?:[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）])?\s*$"
)
ITEM = re.compile(r"^\s*(\d+\.\d+)\s*(.+?)\s*[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
UNIT_SPLIT = re.compile(r"[、,,;;\n]+")
TIERS = re.compile(r"得\s*\d+(?:\.\d+)?\s*分[;;,,]")
DEDUCT = re.compile(r"扣\s*\d+(?:\.\d+)?\s*分")
MAX_ROWS = 2000


def numeral(number: int) -> str:
    if 1 <= number <= 10:
        return NUMERALS[number - 1]
    if 11 <= number <= 19:
        return "十" + NUMERALS[number - 11]
    return str(number)


def from_numeral(text: str) -> int | None:
    if text in NUMERALS:
        return NUMERALS.index(text) + 1
    if len(text) == 2 and text[0] == "十" and text[1] in NUMERALS:
        return 10 + NUMERALS.index(text[1]) + 1
    return None


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- writing ---------------------------------------------------------------------------------


def write_framework_xlsx(spec: FrameworkSpec, out: IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = spec_to_data(spec)
    wb = Workbook()
    ws = wb.active
    ws.title = TABLE_SHEET
    set_cell(ws, 1, 1, spec.title).font = Font(bold=True, size=14)
    for col, header in enumerate(HEADERS + MACHINE, start=1):
        set_cell(ws, 2, col, header).font = Font(bold=True)
    ws.freeze_panes = "A3"
    row = 3
    info_dims = []
    for dim in data["dimensions"]:
        items = dim.get("items") or [i for sec in dim.get("sections", []) for i in sec["items"]]
        dim_label = f"{numeral(dim['number'])}、{dim['title']}"
        info_dims.append(
            {
                "number": dim["number"],
                **({"points": dim["points"]} if "points" in dim else {}),
                **(
                    {
                        "sections": [
                            {k: v for k, v in sec.items() if k != "items"}
                            | {"items": [i["code"] for i in sec["items"]]}
                            for sec in dim["sections"]
                        ]
                    }
                    if "sections" in dim
                    else {}
                ),
                "bonus_items": [i["code"] for i in items if i.get("bonus")],
            }
        )
        first_dim = row
        for item in items:
            first_item = row
            item_label = f"{item['code']} {item['title']}({_num(item['max_points'])}分)"
            for c in item["criteria"]:
                other = {k: c[k] for k in ("note", "bonus") if c.get(k) not in (None, "", False)}
                na = c.get("not_applicable")
                values = (
                    str(c["row"]),
                    dim_label if row == first_dim else None,
                    item_label if row == first_item else None,
                    c["text"],
                    "、".join(c["lead_units"]),
                    "、".join(c["cooperating_units"]),
                    c["points"],
                    None,
                    c.get("remarks") or "",
                    json.dumps(c["rule"], ensure_ascii=False, sort_keys=True),
                    (na or {}).get("condition", "") if na else "",
                    json.dumps(other, ensure_ascii=False, sort_keys=True) if other or na else "",
                )
                if na:
                    other["not_applicable"] = na
                    values = (*values[:-1], json.dumps(other, ensure_ascii=False, sort_keys=True))
                for col, value in enumerate(values, start=1):
                    set_cell(ws, row, col, value).alignment = Alignment(
                        wrap_text=True, vertical="center"
                    )
                row += 1
            if row - 1 > first_item:
                ws.merge_cells(start_row=first_item, start_column=3, end_row=row - 1, end_column=3)
        if row - 1 > first_dim:
            ws.merge_cells(start_row=first_dim, start_column=2, end_row=row - 1, end_column=2)
    info = {k: v for k, v in data.items() if k != "dimensions"} | {"dimensions": info_dims}
    sheet = wb.create_sheet(INFO_SHEET)
    set_cell(sheet, 1, 1, _("以下为系统导入所需的体系信息(JSON),请勿修改。"))
    set_cell(sheet, 2, 1, json.dumps(info, ensure_ascii=False, sort_keys=True))
    wb.save(out)


# --- reading ---------------------------------------------------------------------------------


@dataclass
class TableRead:
    data: dict[str, Any] | None
    problems: list[tuple[int | None, str, str]] = field(default_factory=list)  # row, severity, msg
    rows: int = 0

    @property
    def errors(self) -> list[tuple[int | None, str, str]]:
        return [p for p in self.problems if p[1] == "error"]


def implied_rule(text: str) -> str | None:
    """The kind of rule a row's text implies, when it is not a plain 0 … points judgement."""
    if DEDUCT.search(text):
        return _("扣分")
    if len(TIERS.findall(text)) >= 1 and "得0分" in text.replace(" ", ""):
        return _("分档")
    return None


def read_table(
    rows: Sequence[Sequence[Any]],
    *,
    info: dict[str, Any] | None = None,
    code: str = "",
    title: str = "",
) -> TableRead:
    """The table's rows (the first rows may hold a title; the header row is found by its names)
    as the mapping parse_framework takes, and the problems by 1-based row number."""
    out = TableRead(None)
    header_at = None
    for index, row in enumerate(rows[:10]):
        names = [str(v or "").strip() for v in row]
        if "序号" in names and "具体目标" in names:
            header_at = index
            break
    if header_at is None:
        out.problems.append(
            (
                None,
                "error",
                _("没有找到表头:表头应含“序号”“指标项”“指标内容”“具体目标”“分值”等列。"),
            )
        )
        return out
    names = [str(v or "").strip() for v in rows[header_at]]
    col = {name: names.index(name) for name in (*HEADERS, *MACHINE) if name in names}
    for needed in ("序号", "指标项", "指标内容", "具体目标", "分值"):
        if needed not in col:
            out.problems.append(
                (header_at + 1, "error", _("缺少“%(name)s”列。") % {"name": needed})
            )
    if out.errors:
        return out
    if not title:
        for row in rows[:header_at]:
            first = next((str(v).strip() for v in row if v not in (None, "")), "")
            if first:
                title = first
                break
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        out.problems.append((None, "error", _("表格超过 %(n)s 行。") % {"n": MAX_ROWS}))
        return out

    def cell(row: Sequence[Any], name: str) -> str:
        index = col.get(name)
        if index is None or index >= len(row) or row[index] is None:
            return ""
        return str(row[index]).strip()

    dims: list[dict[str, Any]] = []
    dim_text = item_text = ""
    last_row_number = 0
    for offset, row in enumerate(body):
        line = header_at + offset + 2  # 1-based sheet row
        text = cell(row, "具体目标")
        if not text:
            continue  # a subtotal, a total or an empty line
        dim_text = cell(row, "指标项") or dim_text
        item_text = cell(row, "指标内容") or item_text
        d_match = DIMENSION.match(dim_text)
        i_match = ITEM.match(item_text)
        if not d_match:
            out.problems.append(
                (line, "error", _("指标项“%(text)s”应写作“一、名称”。") % {"text": dim_text[:40]})
            )
            continue
        if not i_match:
            out.problems.append(
                (
                    line,
                    "error",
                    _("指标内容“%(text)s”应写作“1.1 名称(20分)”。") % {"text": item_text[:40]},
                )
            )
            continue
        number = from_numeral(d_match.group(1))
        if not dims or dims[-1]["number"] != number:
            dims.append({"number": number, "title": d_match.group(2), "items": []})
        items = dims[-1]["items"]
        if not items or items[-1]["code"] != i_match.group(1):
            items.append(
                {
                    "code": i_match.group(1),
                    "title": i_match.group(2),
                    "max_points": _number(i_match.group(3)),
                    "criteria": [],
                }
            )
        serial = cell(row, "序号")
        if serial.isdigit():
            if int(serial) not in (last_row_number, last_row_number + 1):
                out.problems.append(
                    (
                        line,
                        "warning",
                        _("序号不连续:上一行为 %(prev)s,本行为 %(this)s。")
                        % {"prev": last_row_number, "this": serial},
                    )
                )
            last_row_number = int(serial)
        points_text = cell(row, "分值")
        points = _number(points_text) if points_text else None
        if points_text and points is None:
            out.problems.append(
                (line, "error", _("分值“%(text)s”不是数字。") % {"text": points_text[:20]})
            )
            continue
        if points is None:
            out.problems.append(
                (line, "warning", _("第 %(row)s 行未标明分值。") % {"row": serial or line})
            )
        rule_text = cell(row, "评分规则")
        if rule_text:
            try:
                rule = json.loads(rule_text)
            except ValueError:
                out.problems.append((line, "error", _("评分规则不是有效的 JSON。")))
                continue
        else:
            rule = {"type": "manual", "step": 1}
            implied = implied_rule(text)
            if implied:
                out.problems.append(
                    (
                        line,
                        "warning",
                        _("该行文字含有%(kind)s规则,但未写明评分规则,将按人工评分导入。")
                        % {"kind": implied},
                    )
                )
        other: dict[str, Any] = {}
        if cell(row, "其他"):
            try:
                other = json.loads(cell(row, "其他"))
            except ValueError:
                out.problems.append((line, "error", _("“其他”列不是有效的 JSON。")))
                continue
        criterion = {
            "row": int(serial) if serial.isdigit() else serial,
            "text": text,
            "points": points,
            "rule": rule,
            "not_applicable": other.get("not_applicable"),
            "lead_units": [n.strip() for n in UNIT_SPLIT.split(cell(row, "牵头单位")) if n.strip()],
            "cooperating_units": [
                n.strip() for n in UNIT_SPLIT.split(cell(row, "配合单位")) if n.strip()
            ],
            "remarks": cell(row, "备注"),
            "note": other.get("note", ""),
        }
        if other.get("bonus"):
            criterion["bonus"] = True
        items[-1]["criteria"].append(criterion)
        out.rows += 1
    info = dict(info or {})
    levels = {d["number"]: d for d in info.pop("dimensions", [])}
    for dim in dims:
        level = levels.get(dim["number"], {})
        for item in dim["items"]:
            if item["code"] in level.get("bonus_items", []):
                item["bonus"] = True
        if "points" in level:
            dim["points"] = level["points"]
        if level.get("sections"):
            by_code = {i["code"]: i for i in dim.pop("items")}
            dim["sections"] = [
                {k: v for k, v in sec.items() if k != "items"}
                | {"items": [by_code[c] for c in sec["items"] if c in by_code]}
                for sec in level["sections"]
            ]
    data = {"code": code or "imported", "title": title, "source": "", "errata": []} | info
    data["dimensions"] = dims
    if not dims:
        out.problems.append((None, "error", _("表格中没有评分细则行。")))
    out.data = data
    return out


def _number(text: str) -> int | float | None:
    try:
        value = Decimal(str(text).strip().removesuffix("分"))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or abs(value) > 100000:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def xlsx_rows(path_or_file: Any) -> tuple[list[list[Any]], dict[str, Any] | None]:
    """The first sheet's rows (values, merged cells empty but for their first) and the info."""
    from openpyxl import load_workbook

    wb = load_workbook(path_or_file, read_only=True, data_only=False)
    try:
        ws = wb[TABLE_SHEET] if TABLE_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_ROWS + 20)]
        info = None
        if INFO_SHEET in wb.sheetnames:
            for r in wb[INFO_SHEET].iter_rows(values_only=True, min_row=2, max_row=2):
                if r and r[0]:
                    info = json.loads(str(r[0]))
        return rows, info
    finally:
        wb.close()


def docx_rows(path_or_file: Any) -> tuple[list[list[str]], str]:
    """The rows of the first table with the seed's columns in a Word file, and the document's
    first paragraph as its title. python-docx repeats a
    merged cell's text in every cell it spans; a repeated 指标项/指标内容 reads the same as an
    empty continuation."""
    from docx import Document

    doc = Document(path_or_file)
    title = next((p.text.strip() for p in doc.paragraphs if p.text.strip()), "")
    for table in doc.tables:
        rows = [[c.text.strip() for c in row.cells] for row in table.rows]
        if any("序号" in r and "具体目标" in r for r in rows[:5]):
            return rows, title
    return [], title


# --- importing -------------------------------------------------------------------------------

MAX_FILE = 5 * 1024 * 1024
LIMITS = archives.Limits(max_total=50 * 1024 * 1024, max_ratio=100, max_members=500, max_depth=1)


@dataclass
class ImportPlan:
    spec: FrameworkSpec | None
    problems: list[tuple[int | None, str, str]]  # (sheet row, "error" | "warning", message)
    rows: int

    @property
    def errors(self) -> list[tuple[int | None, str, str]]:
        return [p for p in self.problems if p[1] == "error"]

    @property
    def warnings(self) -> list[tuple[int | None, str, str]]:
        return [p for p in self.problems if p[1] == "warning"]


def plan_import(path: Any, *, code: str = "", region: Any = None) -> ImportPlan:
    """`plan_upload` for a file on disk (the CLI)."""
    from pathlib import Path

    path = Path(path)
    if path.stat().st_size > MAX_FILE:
        return ImportPlan(None, [(None, "error", _("文件超过 5 MB。"))], 0)
    return plan_upload(path.name, path.read_bytes(), code=code, region=region)


def plan_upload(name: str, content: bytes, *, code: str = "", region: Any = None) -> ImportPlan:
    """Read an xlsx or docx table and check it: structure, the lint (points that do not add up,
    numbering) and, with a region, every unit name against its directory (with suggestions).
    Writes nothing."""
    import io

    from .lint import BLOCKING_CHECKS, lint_framework
    from .loader import known_names
    from .spec import parse_framework

    if len(content) > MAX_FILE:
        return ImportPlan(None, [(None, "error", _("文件超过 5 MB。"))], 0)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ("xlsx", "docx") or content[:4] != b"PK\x03\x04":
        return ImportPlan(None, [(None, "error", _("只接受 Excel(.xlsx)或 Word(.docx)文件。"))], 0)
    try:
        archives.inspect_zip(io.BytesIO(content), size=len(content), limits=LIMITS)
    except archives.ZipRefused:
        return ImportPlan(
            None, [(None, "error", _("文件无法读取或解压后过大(疑似压缩炸弹),已拒收。"))], 0
        )
    try:
        if suffix == "docx":
            rows, title = docx_rows(io.BytesIO(content))
            read = read_table(rows, code=code, title=title[:300])
        else:
            rows, info = xlsx_rows(io.BytesIO(content))
            read = read_table(rows, info=info, code=code)
    except Exception as exc:  # openpyxl and python-docx raise many kinds for a damaged file
        return ImportPlan(None, [(None, "error", _("无法读取文件:%(error)s") % {"error": exc})], 0)
    problems = list(read.problems)
    if read.data is None or read.errors:
        return ImportPlan(None, problems, read.rows)
    spec, findings = parse_framework(read.data)
    problems += [(None, "error", f.render()) for f in findings]
    if spec is not None and not findings:
        names = known_names(region) if region is not None else None
        for f in lint_framework(spec, names):
            blocking = f.severity == "error" and f.check in BLOCKING_CHECKS
            problems.append((None, "error" if blocking else "warning", f.render()))
    return ImportPlan(spec if not findings else None, problems, read.rows)
