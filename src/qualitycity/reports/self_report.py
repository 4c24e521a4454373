"""The self-assessment report (自评报告) of a round, as Word and as PDF from one read model.

`report_data` reads everything once (the round's gap report, its findings, the indicators'
results at the round's end, its evidence): cover, summary, the dimension table, charts (matplotlib:
score rate by dimension, points lost by lead unit), points lost by dimension and by unit, the
rectification list with status, indicator results and the evidence index. `to_docx` writes it with
python-docx; `to_pdf` renders reports/documents/self_report.html with WeasyPrint. The Word file streams back
at once (kind round-docx); the PDF runs as a background job (round-pdf).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock
from qualitycity.assessments.access import access_round
from qualitycity.assessments.choices import FindingStatus
from qualitycity.assessments.models import Finding, Round
from qualitycity.assessments.queries import gap_report
from qualitycity.frameworks.models import Dimension
from qualitycity.indicators import queries as indicator_queries
from qualitycity.indicators.models import Indicator
from qualitycity.numbers import format_number

from . import documents
from .documents import DOCX_TYPE, PDF_TYPE
from .exports import ExportKind, Progress, no_progress, register
from .official import chinese_date, issuer_of
from .round_xlsx import numeral

CHART_UNITS = 12


@dataclass
class DimensionLine:
    label: str
    full: Decimal
    earned: Decimal
    lost: Decimal
    percent: Decimal


@dataclass
class ReportData:
    round: Round
    issuer: str
    date: dt.date
    full: Decimal
    earned: Decimal
    adjusted: Decimal
    final: Decimal
    na_max: Decimal
    grade: str | None
    failed: bool
    scored: int
    unscored: int
    dimensions: list[DimensionLine]
    lost_by_unit: list[tuple[str, Decimal, int]]  # party, points, rows
    gaps: list[tuple[str, str, Decimal, str]]  # row, text, lost, lead units
    findings: list[tuple[str, str, str, str]]  # title, unit, due, status
    indicators: list[tuple[str, str, str, str]]  # name, target, latest, result
    evidence: list[tuple[str, str, str, str]]  # title, unit, date, rows
    charts: dict[str, bytes] = field(default_factory=dict)  # name → PNG


def report_data(rnd: Round, progress: Progress = no_progress) -> ReportData:
    steps = 6
    report = gap_report(rnd)
    total = report.total
    progress(1, steps)
    dims = {
        d.number: d
        for d in Dimension.objects.filter(framework_id=rnd.campaign.framework_id).order_by(
            "position"
        )
    }
    dimensions = []
    for number, d_total in sorted(total.dimensions.items()):
        title = dims[number].title if number in dims else str(number)
        dimensions.append(
            DimensionLine(
                f"{numeral(number)}、{title}",
                d_total.max_points,
                d_total.earned,
                d_total.max_points - d_total.na_max - d_total.earned,
                d_total.percent,
            )
        )
    gaps = [
        (
            r.criterion.row,
            r.criterion.text,
            r.gap.lost,
            "、".join(dict.fromkeys(e.target_name or e.printed_name for e in r.lead)),
        )
        for r in report.rows
    ]
    progress(2, steps)
    status_label = dict(FindingStatus.choices)
    findings = [
        (f.title, f.unit.name, f.due.isoformat(), str(status_label.get(f.status, f.status)))
        for f in Finding.objects.filter(round=rnd).select_related("unit").order_by("due", "pk")
    ]
    progress(3, steps)
    as_of = min(rnd.end, clock.today())
    indicators = list(Indicator.objects.select_related("responsible_unit").order_by("code"))
    data = indicator_queries.indicator_data(indicators, rnd.campaign.region)
    indicator_rows = []
    for ind in indicators:
        d = data[ind.pk]
        result = d.evaluate(as_of)
        indicator_rows.append((ind.name, ind.target_text(), d.latest_text(), result.label))
    progress(4, steps)
    evidence = []
    for ev in (
        rnd.evidence.select_related("unit")
        .prefetch_related("criteria")
        .order_by("effective_date", "pk")
    ):
        rows = "、".join(sorted({c.row for c in ev.criteria.all()}, key=_row_order))
        evidence.append((ev.title, ev.unit.name, ev.effective_date.isoformat(), rows or "—"))
    progress(5, steps)
    counted = sum(item.scored for item in total.items.values())
    out = ReportData(
        round=rnd,
        issuer=issuer_of(rnd.campaign),
        date=as_of,
        full=total.full,
        earned=total.earned,
        adjusted=total.adjusted,
        final=total.final,
        na_max=total.na_max,
        grade=total.grade,
        failed=total.failed,
        scored=counted,
        unscored=total.unscored,
        dimensions=dimensions,
        lost_by_unit=[(c.party or _("未指定牵头单位"), c.amount, c.rows) for c in report.by_unit],
        gaps=gaps,
        findings=findings,
        indicators=indicator_rows,
        evidence=evidence,
    )
    out.charts = charts(out)
    progress(6, steps)
    return out


def _row_order(row: str) -> tuple[int, str]:
    digits = "".join(ch for ch in row if ch.isdigit())
    return (int(digits) if digits else 0, row)


def charts(data: ReportData) -> dict[str, bytes]:
    out = {
        "dimensions": documents.bar_chart(
            [f"{numeral(i + 1)}" for i in range(len(data.dimensions))],
            [(_("得分率(%)"), [float(d.percent) for d in data.dimensions])],
            title=_("各指标项得分率(%)"),
        )
    }
    top = data.lost_by_unit[:CHART_UNITS]
    if top:
        out["units"] = documents.bar_chart(
            [party for party, _points, _rows in top],
            [(_("失分"), [float(points) for _party, points, _rows in top])],
            title=_("各牵头单位失分"),
            horizontal=True,
            size=(7.0, max(2.4, 0.35 * len(top) + 1)),
        )
    return out


def summary(data: ReportData) -> str:
    text = _(
        "本轮“%(round)s”满分 %(full)s 分,得分 %(earned)s 分,按合理缺项折算后总分 %(adjusted)s 分;已评分 %(scored)s 条细则,未评分 %(unscored)s 条。"
    ) % {
        "round": data.round.name,
        "full": format_number(data.full),
        "earned": format_number(data.earned),
        "adjusted": format_number(data.adjusted),
        "scored": data.scored,
        "unscored": data.unscored,
    }
    if data.final != data.adjusted:
        text += _("计入加分后最终得分 %(final)s 分。") % {"final": format_number(data.final)}
    if data.failed:
        text += _("存在一票否决事项,本轮不通过。")
    elif data.grade:
        text += _("等级为“%(grade)s”。") % {"grade": data.grade}
    lost = sum((d.lost for d in data.dimensions), Decimal(0))
    text += _("共失分 %(lost)s 分,涉及 %(rows)s 条细则,待整改问题 %(open)s 项。") % {
        "lost": format_number(lost),
        "rows": len(data.gaps),
        "open": sum(1 for f in data.findings if f[3] != str(FindingStatus.VERIFIED.label)),
    }
    return text


def tables(data: ReportData) -> list[tuple[str, list[str], list[list[str]]]]:
    n = format_number
    return [
        (
            _("一、各指标项得分"),
            [_("指标项"), _("满分"), _("得分"), _("失分"), _("得分率")],
            [
                [d.label, n(d.full), n(d.earned), n(d.lost), n(d.percent, "%")]
                for d in data.dimensions
            ]
            + [
                [
                    _("合计"),
                    n(data.full),
                    n(data.earned),
                    n(data.full - data.na_max - data.earned),
                    "",
                ]
            ],
        ),
        (
            _("二、失分细则"),
            [_("序号"), _("具体目标"), _("失分"), _("牵头单位")],
            [[row, text, n(lost), units or "—"] for row, text, lost, units in data.gaps],
        ),
        (
            _("三、各牵头单位失分"),
            [_("单位"), _("失分"), _("涉及细则")],
            [[party, n(points), str(rows)] for party, points, rows in data.lost_by_unit],
        ),
        (
            _("四、问题整改清单"),
            [_("问题"), _("责任单位"), _("整改期限"), _("状态")],
            [list(f) for f in data.findings],
        ),
        (
            _("五、质量指标完成情况"),
            [_("指标"), _("目标"), _("最新数据"), _("结果")],
            [list(i) for i in data.indicators],
        ),
        (
            _("六、佐证材料目录"),
            [_("材料"), _("提供单位"), _("材料日期"), _("对应细则序号")],
            [list(e) for e in data.evidence],
        ),
    ]


def title_of(data: ReportData) -> str:
    return _("%(campaign)s自评报告") % {"campaign": data.round.campaign.name}


# --- rendering -------------------------------------------------------------------------------


def to_docx(data: ReportData) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    word = documents.new_docx()
    for _i in range(4):
        word.add_paragraph()
    for text, size in ((title_of(data), Pt(24)), (data.round.name, Pt(16))):
        p = word.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        documents.set_font(p.add_run(text), documents.TITLE_FONT, size, bold=True)
    for _i in range(6):
        word.add_paragraph()
    for text in (data.issuer, chinese_date(data.date)):
        p = word.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        documents.set_font(p.add_run(text), documents.BODY_FONT, Pt(16))
    word.add_page_break()
    heading = word.add_heading(_("总体情况"), level=1)
    documents.set_font(heading.runs[0], documents.HEADING_FONT)
    p = word.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(28)
    documents.set_font(p.add_run(summary(data)), documents.BODY_FONT)
    for name in ("dimensions", "units"):
        if name in data.charts:
            word.add_picture(io.BytesIO(data.charts[name]), width=Cm(15))
    for caption, headers, rows in tables(data):
        heading = word.add_heading(caption, level=2)
        documents.set_font(heading.runs[0], documents.HEADING_FONT)
        grid = word.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = ""
            documents.set_font(
                cell.paragraphs[0].add_run(str(text)), documents.HEADING_FONT, Pt(10.5), bold=True
            )
        for row in rows or [[_("无")] + [""] * (len(headers) - 1)]:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = ""
                documents.set_font(
                    cell.paragraphs[0].add_run(str(text)), documents.BODY_FONT, Pt(10.5)
                )
    return documents.docx_bytes(word)


# Each table's column widths (%) in the PDF: a fixed layout spares WeasyPrint measuring every
# cell's content twice to size the columns (a quarter of the report's time at province scale).
PDF_COLUMNS = (
    (36, 16, 16, 16, 16),  # 各指标项得分
    (9, 61, 10, 20),  # 失分细则
    (50, 18, 32),  # 各牵头单位失分
    (46, 24, 16, 14),  # 问题整改清单
    (36, 24, 24, 16),  # 质量指标完成情况
    (46, 24, 14, 16),  # 佐证材料目录
)


def to_pdf(data: ReportData) -> bytes:
    images = {
        name: "data:image/png;base64," + base64.b64encode(png).decode()
        for name, png in data.charts.items()
    }
    html = render_to_string(
        "reports/documents/self_report.html",
        {
            "data": data,
            "title": title_of(data),
            "summary": summary(data),
            "tables": [
                (caption, headers, rows, PDF_COLUMNS[i])
                for i, (caption, headers, rows) in enumerate(tables(data))
            ],
            "images": images,
            "date": chinese_date(data.date),
            "fonts": documents.PDF_FONTS,
        },
    )
    return documents.html_to_pdf(html)


# --- export kinds ----------------------------------------------------------------------------


def _resolve(user: Any, pk: int, params: Mapping[str, str]) -> Round:
    if user is None:
        rnd = (
            Round.objects.select_related("campaign", "campaign__framework", "campaign__region")
            .filter(pk=pk)
            .first()
        )
        if rnd is None:
            raise Http404
        return rnd
    return access_round(user, pk)


def _write(fmt: str):
    def write(rnd: Round, out: IO[bytes], params: Mapping[str, str], progress: Progress) -> None:
        def step(done: int, total: int) -> None:
            progress(done, total + 1)

        data = report_data(rnd, step)
        out.write(to_docx(data) if fmt == "docx" else to_pdf(data))
        progress(7, 7)

    return write


for _fmt, _type, _background in (("docx", DOCX_TYPE, False), ("pdf", PDF_TYPE, True)):
    register(
        ExportKind(
            key=f"round-{_fmt}",
            label=gettext_lazy("自评报告"),
            resolve=_resolve,
            filename=lambda rnd, params, f=_fmt: f"{rnd.campaign.name}-{rnd.name}-自评报告.{f}",
            content_type=_type,
            write=_write(_fmt),
            background=_background,
        )
    )
