"""Another city's table from xlsx or docx (frameworks/xlsx_table.py, `qualitycity framework
import`): the Yongzhou framework exported to xlsx and imported is the same framework; a docx
table with merged cells is read; every problem is reported by row; nothing is written until the
file is clean or its warnings are accepted."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import Workbook

from qualitycity.frameworks.loader import latest_framework, spec_from_db
from qualitycity.frameworks.models import Framework
from qualitycity.frameworks.spec import content_hash, parse_framework, spec_to_data
from qualitycity.frameworks.xlsx_table import (
    HEADERS,
    plan_import,
    read_table,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


def test_yongzhou_exported_to_xlsx_and_imported_is_the_same_framework(yongzhou, tmp_path):
    framework = latest_framework("yongzhou-2017")
    spec = spec_from_db(framework)
    path = tmp_path / "yongzhou.xlsx"
    call_command("framework", "export", "yongzhou-2017", "--format", "xlsx", "-o", str(path))
    rows, info = xlsx_rows(str(path))
    read = read_table(rows, info=info)
    assert read.errors == [] and read.rows == framework.criteria.count()
    again, findings = parse_framework(read.data)
    assert findings == []
    assert spec_to_data(again) == spec_to_data(spec)
    assert content_hash(again) == framework.content_hash
    out = io.StringIO()
    call_command("framework", "import", str(path), "--accept-warnings", stdout=out)
    assert "内容相同,未作更改" in out.getvalue()  # the same content: no new version
    assert Framework.objects.filter(code="yongzhou-2017").count() == 1


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["某市创建质量强市考核评分表"])
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(row)
    wb.save(path)


GOOD = [
    [
        "1",
        "一、质量发展规划",
        "1.1 出台实施意见(20分)",
        "1.出台规划(10分)",
        "市创质办",
        "各成员单位",
        10,
    ],
    ["2", None, None, "2.定位清晰(10分)", "市委办", "", 10],
    [
        "3",
        "二、质量文化",
        "2.1 质量精神(10分)",
        "1.形成质量精神的得10分;未形成的得0分",
        "市委宣传部",
        "",
        10,
    ],
]


def test_a_clean_table_is_imported_with_its_warnings_accepted(tmp_path, orgs):
    path = tmp_path / "other.xlsx"
    _sheet(path, GOOD)
    plan = plan_import(path, code="other-city")
    assert plan.errors == []
    assert any(row == 5 and "分档" in message for row, _s, message in plan.warnings)
    with pytest.raises(CommandError, match="accept-warnings"):
        call_command("framework", "import", str(path), "--code", "other-city", stdout=io.StringIO())
    assert not Framework.objects.filter(code="other-city").exists()
    out = io.StringIO()
    call_command("framework", "import", str(path), "--code", "other-city", "--dry-run", stdout=out)
    assert "将创建:2 个指标项、2 项指标内容、3 条评分细则" in out.getvalue()
    assert not Framework.objects.filter(code="other-city").exists()
    call_command(
        "framework",
        "import",
        str(path),
        "--code",
        "other-city",
        "--accept-warnings",
        stdout=io.StringIO(),
    )
    fw = Framework.objects.get(code="other-city")
    assert fw.title == "某市创建质量强市考核评分表" and fw.criteria.count() == 3


@pytest.mark.parametrize(
    ("change", "row", "message"),
    [
        (lambda r: r[1].__setitem__(6, "十分"), 4, "不是数字"),
        (lambda r: r[1].__setitem__(6, None), 4, "未标明分值"),
        (lambda r: r[2].__setitem__(0, "7"), 5, "序号不连续"),
        (lambda r: r[2].__setitem__(2, "2.1 质量精神"), 5, "应写作“1.1 名称(20分)”"),
        (lambda r: r[2].__setitem__(1, "质量文化"), 5, "应写作“一、名称”"),
    ],
)
def test_each_problem_is_reported_by_its_row(tmp_path, orgs, change, row, message):
    rows = [list(r) for r in GOOD]
    change(rows)
    path = tmp_path / "bad.xlsx"
    _sheet(path, rows)
    plan = plan_import(path, code="bad-city")
    assert any(r == row and message in m for r, _s, m in plan.problems), plan.problems


def test_points_that_do_not_add_up_and_unknown_units_are_reported(tmp_path, orgs, city):
    rows = [list(r) for r in GOOD]
    rows[1][6] = 5  # item 1.1: 10 + 5 ≠ 20
    rows[2][4] = "市宣传部门"
    path = tmp_path / "sum.xlsx"
    _sheet(path, rows)
    plan = plan_import(path, code="sum-city", region=city)
    text = "\n".join(m for _r, _s, m in plan.problems)
    assert "1.1" in text
    assert "“市宣传部门”不在该行政区名录" in text and "可能是:市委宣传部" in text


def test_a_docx_table_with_merged_cells_is_read(tmp_path, orgs):
    doc = Document()
    doc.add_paragraph("某县考核评分表")
    table = doc.add_table(rows=4, cols=len(HEADERS))
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for r, row in enumerate(GOOD, start=1):
        for c, value in enumerate(row):
            if value is not None:
                table.rows[r].cells[c].text = str(value)
    table.cell(1, 1).merge(table.cell(2, 1))  # 指标项 over rows 1–2, as such tables arrive
    table.cell(1, 2).merge(table.cell(2, 2))
    path = tmp_path / "county.docx"
    doc.save(path)
    plan = plan_import(path, code="county")
    assert plan.errors == [] and plan.spec is not None
    assert [i.code for i in plan.spec.items()] == ["1.1", "2.1"]
    assert [c.row for _i, c in plan.spec.criteria()] == ["1", "2", "3"]


def test_a_file_that_is_not_a_table_is_refused(tmp_path, orgs):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    plan = plan_import(path)
    assert plan.spec is None and plan.errors
    with pytest.raises(CommandError):
        call_command("framework", "import", str(path), stdout=io.StringIO())
