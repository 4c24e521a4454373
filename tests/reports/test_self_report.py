"""The self-assessment report (自评报告) as Word and PDF: the cover, the summary and the dimension
table carry the round's own figures, the charts are in, the PDF's Chinese text is really there in
embedded Noto CJK, the PDF runs as a background job, charts miss no glyph, access by 404."""

from __future__ import annotations

import io
import subprocess
import warnings

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from qualitycity.assessments.queries import round_data
from qualitycity.numbers import format_number
from qualitycity.reports import documents
from qualitycity.reports.choices import JobStatus
from qualitycity.reports.models import ExportJob
from qualitycity.reports.services import run_export
from tests.factories import criteria_of, score_criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(open_round, assessor):
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:20], by=assessor)
    score_criteria(open_round, criteria[20:], by=assessor, high=True)
    return open_round


def _docx(client, user, rnd) -> Document:
    client.force_login(user)
    response = client.get(reverse("reports:export", args=["round-docx", rnd.pk]))
    assert response.status_code == 200
    return Document(io.BytesIO(b"".join(response.streaming_content)))


def test_the_word_report_has_the_rounds_figures_and_charts(client, office, scored):
    doc = _docx(client, office, scored)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{scored.campaign.name}自评报告" in text and scored.name in text
    total = round_data(scored).totals()
    assert f"折算后总分 {format_number(total.adjusted)} 分" in text
    dims = doc.tables[0]
    assert [c.text for c in dims.rows[0].cells] == ["指标项", "满分", "得分", "失分", "得分率"]
    first = dims.rows[1].cells
    assert first[0].text == "一、城市质量发展战略规划明确清晰"
    assert first[2].text == format_number(total.dimensions[1].earned)
    last = dims.rows[-1].cells
    assert last[0].text == "合计" and last[2].text == format_number(total.earned)
    assert len(doc.inline_shapes) == 2  # score rate by dimension, points lost by unit


def test_the_pdf_runs_as_a_job_and_holds_the_chinese_text(client, office, scored, media, tmp_path):
    client.force_login(office)
    url = reverse("reports:export", args=["round-pdf", scored.pk])
    assert 'data-testid="start-export"' in client.get(url).content.decode()
    client.post(url)
    job = ExportJob.objects.get()
    assert run_export(job.pk) == JobStatus.DONE
    status = client.get(reverse("reports:export_job_status", args=[job.token])).content.decode()
    assert 'data-testid="download"' in status
    download = client.get(reverse("reports:export_job_download", args=[job.token]))
    path = tmp_path / "report.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    flat = text.replace("\n", "")
    assert "自评报告" in flat and "城市质量发展战略规划明确清晰" in flat
    total = round_data(scored).totals()
    assert format_number(total.adjusted) in flat
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("Noto" in r and "CJK" in r for r in rows)
    assert all(r.split()[-5] == "yes" for r in rows)  # every font embedded


def test_charts_with_chinese_labels_miss_no_glyph():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = documents.bar_chart(
            ["市质监局", "市创质办"], [("失分", [3, 5])], title="各牵头单位失分"
        )
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_the_command_line_writes_the_word_report(scored, tmp_path):
    path = tmp_path / "r.docx"
    call_command("export", "round", str(scored.pk), "--format", "docx", "-o", str(path))
    assert "自评报告" in "\n".join(p.text for p in Document(path).paragraphs)


def test_an_outsider_gets_the_404(client, outsider, open_round):
    client.force_login(outsider)
    for key in ("round-docx", "round-pdf"):
        assert client.get(reverse("reports:export", args=[key, open_round.pk])).status_code == 404
    assert (
        client.post(reverse("reports:export", args=["round-pdf", open_round.pk])).status_code == 404
    )
    assert not ExportJob.objects.exists()


def test_the_round_pages_link_the_report(client, office, open_round):
    client.force_login(office)
    page = client.get(reverse("assessments:round_summary", args=[open_round.pk])).content.decode()
    for key in ("round-docx", "round-pdf"):
        assert reverse("reports:export", args=[key, open_round.pk]) in page


def test_every_pdf_table_has_a_width_for_each_column(scored):
    """The PDF lays its tables out fixed (faster than measuring every cell): each of them needs
    its widths, one per column, filling the page."""
    from qualitycity.reports.self_report import PDF_COLUMNS, report_data, tables

    shown = tables(report_data(scored))
    assert len(PDF_COLUMNS) == len(shown)
    for (caption, headers, _rows), widths in zip(shown, PDF_COLUMNS, strict=True):
        assert len(widths) == len(headers), caption
        assert sum(widths) == 100, caption
