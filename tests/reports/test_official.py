"""督办通知, 情况通报 and 会议纪要 as Word and PDF: the 红头, 文号, 主送, body and tables are in both
files (read back with python-docx and pdftotext), every PDF font is embedded Noto CJK (no missing
glyph), the command line writes them, a bad month is refused with the reason, access by 404."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.services.meetings import decisions_to_tasks
from tests.factories import make_task, unit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2018, 9, 15)
ISSUER = "永州市创建全国质量强市示范城市工作领导小组办公室"


@pytest.fixture
def notice(settings, campaign, office):
    settings.QC_TODAY = TODAY
    task = make_task(
        campaign,
        office,
        unit_name="市住建局",
        title="保障房受监工程覆盖率统计",
        start=dt.date(2018, 1, 1),
        due=dt.date(2018, 9, 1),
    )
    return campaign_services.issue_notice(
        campaign,
        by=office,
        unit=task.unit,
        tasks=[task],
        content="逾期未报,请说明原因并限期完成。",
        response_due=dt.date(2018, 9, 20),
        today=TODAY,
    )


@pytest.fixture
def meeting(settings, campaign, office):
    settings.QC_TODAY = TODAY
    m = campaign_services.create_meeting(
        campaign,
        by=office,
        kind="coordination",
        title="创建工作碰头会(8月)",
        date=dt.date(2018, 8, 20),
        attendees=[unit("市质监局"), unit("市住建局")],
        minutes="通报创建进展。\n部署下一阶段工作。",
    )
    decisions_to_tasks(
        m, by=office, decisions=[("完成质量信用分级分类", unit("市质监局"), dt.date(2018, 10, 31))]
    )
    return m


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def _pdf(data: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    return text.stdout.replace("\n", ""), fonts.stdout


def _get(client, user, key, pk, **params) -> bytes:
    client.force_login(user)
    response = client.get(reverse("reports:export", args=[key, pk]), params)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def _fonts_embedded_cjk(fonts: str) -> None:
    lines = fonts.splitlines()[2:]
    assert lines and any("Noto" in line and "CJK" in line for line in lines)
    for line in lines:
        assert line.split()[-5] == "yes", line  # emb


def test_a_notice_as_word_has_the_red_header_number_addressee_and_tasks(client, office, notice):
    text = _docx_text(_get(client, office, "notice-docx", notice.pk))
    assert ISSUER in text
    assert f"永创质办{notice.number}" in text
    assert "关于市住建局有关工作任务的督办通知" in text
    assert "保障房受监工程覆盖率统计" in text and "2018年9月20日" in text
    doc = Document(io.BytesIO(_get(client, office, "notice-docx", notice.pk)))
    header_run = doc.paragraphs[0].runs[0]
    assert str(header_run.font.color.rgb) == "C00000"


def test_a_notice_as_pdf_has_the_same_text_in_embedded_cjk_fonts(client, office, notice, tmp_path):
    text, fonts = _pdf(_get(client, office, "notice-pdf", notice.pk), tmp_path)
    assert ISSUER[:10] in text and "督办通知" in text and "市住建局" in text
    _fonts_embedded_cjk(fonts)


def test_the_bulletin_reports_the_month(client, office, notice, meeting, tmp_path):
    text = _docx_text(_get(client, office, "bulletin-docx", notice.campaign_id, period="2018-08"))
    assert "关于2018年8月创建工作情况的通报" in text
    assert "创建工作碰头会(8月)" in text  # a meeting held that month
    assert "市住建局" in text and "保障房受监工程覆盖率统计" in text  # a red task
    pdf, fonts = _pdf(
        _get(client, office, "bulletin-pdf", notice.campaign_id, period="2018-08"), tmp_path
    )
    assert "情况的通报" in pdf
    _fonts_embedded_cjk(fonts)


@pytest.mark.parametrize("period", ["", "2018-13", "abc", "2030-01"])
def test_a_bad_month_is_refused_with_the_reason(client, office, campaign, period):
    client.force_login(office)
    url = reverse("reports:export", args=["bulletin-docx", campaign.pk])
    response = client.get(url, {"period": period})
    assert response.status_code == 422
    page = response.content.decode()
    assert "YYYY-MM" in page or "不在本创建工作的起止日期" in page


def test_the_minutes_list_the_decisions(client, office, meeting):
    text = _docx_text(_get(client, office, "minutes-docx", meeting.pk))
    assert "创建工作碰头会(8月)纪要" in text
    assert "完成质量信用分级分类" in text and "2018-10-31" in text
    assert "部署下一阶段工作。" in text


def test_the_command_line_writes_them(notice, meeting, tmp_path):
    path = tmp_path / "n.pdf"
    call_command("export", "notice", str(notice.pk), "--format", "pdf", "-o", str(path))
    assert path.read_bytes().startswith(b"%PDF")
    path = tmp_path / "m.docx"
    call_command("export", "minutes", str(meeting.pk), "--format", "docx", "-o", str(path))
    assert "纪要" in _docx_text(path.read_bytes())


def test_access_is_by_404(client, outsider, liaison, notice, meeting):
    client.force_login(outsider)
    for key, pk in (("notice-docx", notice.pk), ("minutes-pdf", meeting.pk)):
        assert client.get(reverse("reports:export", args=[key, pk])).status_code == 404
    url = reverse("reports:export", args=["bulletin-docx", notice.campaign_id])
    assert client.get(url, {"period": "2018-08"}).status_code == 404
    client.force_login(liaison)  # a unit's liaison does not read the whole campaign's bulletin
    assert client.get(url, {"period": "2018-08"}).status_code == 404


def test_the_pages_link_the_documents(client, office, notice, meeting):
    client.force_login(office)
    page = client.get(reverse("campaigns:notice_detail", args=[notice.pk])).content.decode()
    assert reverse("reports:export", args=["notice-docx", notice.pk]) in page
    page = client.get(reverse("campaigns:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("reports:export", args=["minutes-pdf", meeting.pk]) in page
    page = client.get(reverse("campaigns:board", args=[notice.campaign_id])).content.decode()
    assert reverse("reports:export", args=["bulletin-docx", notice.campaign_id]) in page
