"""The framework import page: upload → preview (nothing written) → confirm; errors listed by row
and refused; warnings imported only when the user ticks that they checked them; a plan that
changed since the preview answers 409; only offices and administrators reach it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from qualitycity.audit.models import AuditEvent
from qualitycity.frameworks.models import Framework
from qualitycity.frameworks.xlsx_table import HEADERS
from tests.frameworks.test_import_table import GOOD, _sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(tmp_path, rows=GOOD) -> SimpleUploadedFile:
    path = tmp_path / "other.xlsx"
    _sheet(path, [list(r) for r in rows])
    return SimpleUploadedFile("衡阳市评分表.xlsx", path.read_bytes(), content_type=XLSX)


def _upload(client, file, **fields):
    data = {"file": file, "code": "hengyang-2018", **fields}
    return client.post(reverse("frameworks:import"), data)


def _confirm(client, response, **extra):
    return client.post(
        reverse("frameworks:import_confirm"),
        {"fingerprint": response.context["fingerprint"], **extra},
    )


def test_the_office_previews_then_imports_a_table_with_its_warnings_checked(
    client, office, tmp_path
):
    client.force_login(office)
    assert (
        'data-testid="framework-import"' in client.get(reverse("frameworks:list")).content.decode()
    )
    before = Framework.objects.count()
    response = _upload(client, _xlsx(tmp_path))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="import-summary"' in body and "将作为第 1 版" in body
    assert 'data-row="5"' in body and "分档" in body  # the implied tiers, by row
    assert body.count("data-criterion=") == 3
    assert Framework.objects.count() == before  # the preview writes nothing
    refused = _confirm(client, response)  # warnings not ticked
    assert refused.status_code == 400 and "已核对警告" in refused.content.decode()
    assert Framework.objects.count() == before
    done = _confirm(client, response, accept_warnings="1")
    framework = Framework.objects.get(code="hengyang-2018")
    assert done.status_code == 302 and done.url == reverse("frameworks:detail", args=[framework.pk])
    assert framework.criteria.count() == 3 and framework.loaded_by == office
    assert framework.source_file == "衡阳市评分表.xlsx"
    assert AuditEvent.objects.filter(object_id=str(framework.pk), actor=office).exists()
    again = _confirm(client, response, accept_warnings="1")  # the upload is used up
    assert again.status_code == 400 and Framework.objects.filter(code="hengyang-2018").count() == 1


def test_a_table_with_errors_is_listed_by_row_and_cannot_be_imported(client, office, tmp_path):
    rows = [list(r) for r in GOOD]
    rows[1][6] = "十分"
    client.force_login(office)
    response = _upload(client, _xlsx(tmp_path, rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-row="4"' in body and "不是数字" in body
    assert 'data-testid="import-refused"' in body and 'data-testid="framework-confirm"' not in body
    confirm = client.post(reverse("frameworks:import_confirm"), {"fingerprint": "x"})
    assert confirm.status_code == 400
    assert not Framework.objects.filter(code="hengyang-2018").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("table.xls", b"\xd0\xcf\x11\xe0" + b"0" * 100, "只接受 Excel(.xlsx)或 Word(.docx)文件"),
        ("table.xlsx", b"PK\x03\x04 broken", "无法读取"),
        ("table.xlsx", b"", "文件是空的"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_with_the_reason(
    client, office, name, content, message
):
    client.force_login(office)
    response = _upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Framework.objects.filter(code="hengyang-2018").exists()


def test_a_plan_that_changed_since_the_preview_is_refused_with_409(client, office, city, tmp_path):
    from qualitycity.orgs import services as org_services

    rows = [list(r) for r in GOOD]
    rows[2][4] = "市宣传部门"
    client.force_login(office)
    response = _upload(client, _xlsx(tmp_path, rows), region=city.pk)
    assert response.status_code == 200 and "市宣传部门" in response.content.decode()
    # meanwhile the directory learns the name: the unit check no longer warns about it
    org_services.save_unit(
        None, by=office, name="市宣传部门", kind="党委部门", code="xcb", region=city
    )
    changed = _confirm(client, response, accept_warnings="1")
    assert changed.status_code == 409
    assert not Framework.objects.filter(code="hengyang-2018").exists()
    done = _confirm(client, changed, accept_warnings="1")  # the new preview can be confirmed
    assert done.status_code == 302 and Framework.objects.filter(code="hengyang-2018").exists()


def test_a_docx_table_is_imported_through_the_page(client, office):
    doc = Document()
    doc.add_paragraph("某县考核评分表")
    table = doc.add_table(rows=len(GOOD) + 1, cols=len(HEADERS))
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
    for r, row in enumerate(GOOD, start=1):
        for c, value in enumerate(row):
            if value is not None:
                table.rows[r].cells[c].text = str(value)
    table.cell(1, 1).merge(table.cell(2, 1))
    out = io.BytesIO()
    doc.save(out)
    client.force_login(office)
    response = _upload(client, SimpleUploadedFile("某县.docx", out.getvalue()), code="county")
    assert response.status_code == 200 and "某县考核评分表" in response.content.decode()
    assert _confirm(client, response, accept_warnings="1").status_code == 302
    assert Framework.objects.get(code="county").criteria.count() == 3


def test_the_yongzhou_table_downloaded_and_uploaded_is_the_same_version(client, office, yongzhou):
    from openpyxl import load_workbook

    client.force_login(office)
    detail = client.get(reverse("frameworks:detail", args=[yongzhou.pk])).content.decode()
    assert reverse("frameworks:export", args=[yongzhou.pk]) in detail
    download = client.get(reverse("frameworks:export", args=[yongzhou.pk]))
    data = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["序号", "指标项", "指标内容"]
    response = client.post(
        reverse("frameworks:import"), {"file": SimpleUploadedFile("yz.xlsx", data)}
    )
    assert response.status_code == 200
    assert "与已有第 1 版相同" in response.content.decode()
    done = _confirm(client, response, accept_warnings="1")
    assert done.status_code == 302
    assert Framework.objects.filter(code="yongzhou-2017").count() == 1


@pytest.mark.parametrize("persona", ["liaison", "assessor", "leader", "outsider_liaison"])
def test_only_offices_and_admins_reach_the_import(client, request, persona, tmp_path, orgs):
    if persona == "outsider_liaison":
        user = request.getfixturevalue("zhujian_liaison")
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("frameworks:import")).status_code == 404
    assert _upload(client, _xlsx(tmp_path)).status_code == 404
    assert (
        client.post(reverse("frameworks:import_confirm"), {"fingerprint": "x"}).status_code == 404
    )
    assert "framework-import" not in client.get(reverse("frameworks:list")).content.decode()
