"""Importing indicator data from xlsx and csv: every bad row named, nothing saved until clean or
confirmed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qualitycity.audit.models import AuditEvent
from qualitycity.indicators import imports
from qualitycity.indicators.models import Observation

pytestmark = pytest.mark.django_db

HEADER = ["指标代码", "数据序列", "行政区", "期间", "数值", "数据来源", "备注"]


def csv_file(rows, *, encoding="utf-8-sig", name="data.csv") -> SimpleUploadedFile:
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), "text/csv")


def xlsx_file(rows, *, formats=None, name="data.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for (r, c), fmt in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = fmt
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), "application/octet-stream")


def login(client, user):
    client.force_login(user)


GOOD = [
    ["CERT_COVERAGE", "本市数值", "431100", "2017", "99.2", "统计年报", ""],
    ["CERT_COVERAGE", "", "永州市", "2018", "100%", "", ""],
    ["SPECIAL_EQUIPMENT_DEATH_RATE", "本市数值", "431100", "2018", "0.24", "", ""],
]


def test_a_clean_file_is_imported_at_once(client, indicators, liaison):
    login(client, liaison)
    response = client.post("/indicators/import/", {"file": csv_file(GOOD)})
    assert response.status_code == 302 and response.url == "/indicators/"
    assert Observation.objects.count() == 3
    assert AuditEvent.objects.filter(action="observation.created").count() == 3
    assert AuditEvent.objects.get(action="observation.imported").after == {"created": 3}
    page = client.get(response.url).content.decode()
    assert "导入完成:新增 3 条,更新 0 条,未变 0 条。" in page


def test_every_bad_row_is_named_and_nothing_is_imported(client, indicators, liaison):
    rows = [
        *GOOD,
        ["NO_SUCH_CODE", "", "431100", "2018", "1", "", ""],  # line 5
        ["CERT_COVERAGE", "", "431100", "2018年上半年", "99", "", ""],  # line 6
        ["CERT_COVERAGE", "", "431100", "2016", "九十九", "", ""],  # line 7
        ["CERT_COVERAGE", "本市数值", "431100", "2017", "99.3", "", ""],  # line 8: dup of 2
        ["AFFORDABLE_HOUSING_ACCEPTANCE_RATE", "", "431100", "2018", "100", "", ""],  # line 9
        ["CERT_COVERAGE", "猜测", "431100", "2015", "98", "", ""],  # line 10
        ["CERT_COVERAGE", "", "火星", "2015", "98", "", ""],  # line 11
    ]
    login(client, liaison)
    response = client.post("/indicators/import/", {"file": csv_file(rows)})
    assert response.status_code == 200
    assert not Observation.objects.exists()
    check = response.context["check"]
    problems = {r.line: " ".join(r.problems) for r in check.bad}
    assert set(problems) == {5, 6, 7, 8, 9, 10, 11}
    assert "未知的指标代码“NO_SUCH_CODE”" in problems[5]
    assert "期间“2018年上半年”无法识别" in problems[6]
    assert "数值“九十九”不是数字" in problems[7]
    assert "与第 2 行重复" in problems[8]
    assert "无权填报" in problems[9] and "市住建局" in problems[9]
    assert "数据序列“猜测”无效" in problems[10]
    assert "未知的行政区“火星”" in problems[11]
    body = response.content.decode()
    assert "第 5 行" in body and "尚未导入任何数据" in body
    assert "仅导入无误的 3 行" in body

    confirm = client.post("/indicators/import/confirm/", {"token": response.context["token"]})
    assert confirm.status_code == 302
    assert Observation.objects.count() == 3
    assert set(Observation.objects.values_list("period", flat=True)) == {"2017", "2018"}


def test_a_tampered_confirmation_is_refused(client, indicators, office):
    login(client, office)
    response = client.post("/indicators/import/confirm/", {"token": "abc:def"})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    assert not Observation.objects.exists()


def test_a_file_with_only_bad_rows_offers_no_import(client, indicators, office):
    login(client, office)
    response = client.post(
        "/indicators/import/", {"file": csv_file([["X", "", "431100", "2018", "1", "", ""]])}
    )
    assert response.context["token"] == ""
    assert "没有可导入的行" in response.content.decode()


def test_xlsx_numbers_years_and_percent_cells(client, indicators, office):
    rows = [
        ["CERT_COVERAGE", "本市数值", "431100", 2018, 0.995, None, None],
        ["PRODUCT_SUPERVISION_PASS_RATE", None, 431100, 2017.0, 94.6, "抽查", None],
    ]
    login(client, office)
    upload = xlsx_file(rows, formats={(2, 5): "0.0%"})
    response = client.post("/indicators/import/", {"file": upload})
    assert response.status_code == 302, response.context and response.context["check"].bad
    values = dict(Observation.objects.values_list("indicator__code", "value"))
    assert str(values["CERT_COVERAGE"]) == "99.5000"
    assert str(values["PRODUCT_SUPERVISION_PASS_RATE"]) == "94.6000"


def test_a_gb18030_csv_from_excel_is_read(client, indicators, office):
    login(client, office)
    response = client.post("/indicators/import/", {"file": csv_file(GOOD, encoding="gb18030")})
    assert response.status_code == 302
    assert Observation.objects.count() == 3


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.txt", b"hello"), "只接受 .xlsx 或 .csv 文件"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), "无法读取该 Excel 文件"),
        (
            SimpleUploadedFile("a.csv", "代码,数值\nA,1\n".encode()),
            "表头缺少以下列:指标代码、期间。",
        ),
        (SimpleUploadedFile("a.csv", ",".join(HEADER).encode()), "没有数据行"),
    ],
)
def test_an_unreadable_file_is_refused(client, indicators, office, upload, message):
    login(client, office)
    response = client.post("/indicators/import/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Observation.objects.exists()


def test_the_xlsx_template_round_trips(client, indicators, liaison):
    login(client, liaison)
    response = client.get("/indicators/import/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["指标数据", "指标清单", "填写说明"]
    data = book["指标数据"]
    assert [c.value for c in data[1]] == HEADER
    listed = {row[0].value for row in book["指标清单"].iter_rows(min_row=2)}
    assert listed == {
        "NATIONAL_SUPERVISION_PASS_RATE",
        "CERT_COVERAGE",
        "SPECIAL_EQUIPMENT_DEATH_RATE",
    }
    for row in data.iter_rows(min_row=2):
        row[4].value = "0.2" if row[0].value == "SPECIAL_EQUIPMENT_DEATH_RATE" else "95"
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())
    response = client.post("/indicators/import/", {"file": upload})
    assert response.status_code == 302
    assert Observation.objects.count() == data.max_row - 1


def test_the_csv_template_has_a_bom_and_the_header(client, indicators, office):
    login(client, office)
    response = client.get("/indicators/import/template.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)
    assert client.get("/indicators/import/template.pdf").status_code == 404


@pytest.mark.parametrize("persona", ["assessor", "leader", "outsider"])
def test_import_pages_are_for_the_office_and_liaisons_only(client, indicators, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get("/indicators/import/").status_code == 404
    assert client.get("/indicators/import/template.xlsx").status_code == 404
    assert client.post("/indicators/import/", {"file": csv_file(GOOD)}).status_code == 404
    assert not Observation.objects.exists()


def test_check_rows_runs_a_fixed_number_of_queries(indicators, office):
    from tests.helpers import count_queries

    def rows(n):
        return [
            (
                i + 2,
                dict(
                    zip(
                        [k for k, _ in imports.COLUMNS],
                        ["CERT_COVERAGE", "", "431100", str(1990 + i), "99", "", ""],
                        strict=True,
                    )
                ),
            )
            for i in range(n)
        ]

    imports.check_rows(rows(1), by=office)  # the user's roles are read once, then cached
    few = count_queries(lambda: imports.check_rows(rows(2), by=office))
    many = count_queries(lambda: imports.check_rows(rows(40), by=office))
    assert many == few


def test_a_chinese_template_is_read_in_english_too(indicators, office):
    from django.utils import translation

    rows = [(2, dict(zip([k for k, _ in imports.COLUMNS], GOOD[0], strict=True)))]
    content = ("\n".join([",".join(HEADER), ",".join(GOOD[0])]) + "\n").encode("utf-8")
    with translation.override("en"):
        table = imports.read_table("data.csv", content)
        assert table == rows
        check = imports.check_rows(table, by=office)
    assert check.clean


def test_a_shared_strings_bomb_is_refused_before_openpyxl_reads_it():
    """A 1.3 MB spreadsheet whose shared strings inflate to gigabytes once cost 68 s of CPU and
    1.6 GB of memory; now its inflated size is measured first and it is refused."""
    import zipfile

    good = io.BytesIO()
    book = Workbook()
    book.active.append(HEADER)
    book.save(good)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good.getvalue())) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, source.read(info))
        strings = b"<si><t>" + b"A" * 1000 + b"</t></si>"
        out.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + strings * 40_000
            + b"</sst>",
        )
    content = bomb.getvalue()
    assert len(content) < imports.MAX_BYTES
    with pytest.raises(imports.FileRefused) as refused:
        imports.read_table("data.xlsx", content)
    assert "压缩炸弹" in str(refused.value)


def test_an_ordinary_spreadsheet_passes_the_inflation_check():
    content = xlsx_file([HEADER, GOOD[0]]).read()
    imports.check_xlsx(content)  # no refusal
