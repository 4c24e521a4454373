"""The building blocks of generated documents: PDF from HTML (WeasyPrint), Word (python-docx) with
Chinese fonts, and charts (matplotlib, no JavaScript) for both.

Fonts: PDFs use Noto Serif/Sans CJK SC (Debian's fonts-noto-cjk, installed by `make run` and
`make test`); WeasyPrint subsets them with libharfbuzz-subset0, without which one CJK page takes
~25 s instead of ~0.5 s. Word files name the fonts official documents use (仿宋_GB2312 for the
body, 黑体 for headings, 方正小标宋简体 for the title) with Noto as the fallback of the machine that
opens them, since a .docx carries no fonts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"

PDF_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
CHART_FONT = "Noto Sans CJK SC"


# --- PDF -------------------------------------------------------------------------------------


def html_to_pdf(html: str) -> bytes:
    """A PDF from a complete HTML document (its own <style>). Only data: URLs are fetched: a
    document never reaches the network or the disk."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def template_to_pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


# --- Word ------------------------------------------------------------------------------------


def new_docx() -> Any:
    """An A4 document whose styles name Chinese fonts for East Asian text."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    styles = doc.styles
    set_font(styles["Normal"], BODY_FONT, Pt(14))
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        set_font(styles[name], HEADING_FONT if name != "Title" else TITLE_FONT, None)
    for name in ("Table Grid",):
        if name in [s.name for s in styles]:
            set_font(styles[name], BODY_FONT, Pt(10.5))
    return doc


def set_font(target: Any, east_asian: str, size: Any = None, *, bold: bool | None = None) -> None:
    """Set a style's or a run's font, East Asian text included (python-docx sets only the Latin
    one: w:eastAsia has to be written into w:rFonts)."""
    from docx.oxml.ns import qn

    font = target.font
    font.name = "Times New Roman"
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)


def docx_bytes(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- charts ----------------------------------------------------------------------------------


def _pyplot() -> Any:
    os.environ.setdefault("MPLCONFIGDIR", str(settings.VAR_DIR / "matplotlib"))
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    if CHART_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        for path in (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        ):
            if os.path.exists(path):
                font_manager.fontManager.addfont(path)
    plt.rcParams["font.family"] = [CHART_FONT, "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def bar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str = "",
    horizontal: bool = False,
    fmt: str = "png",
    size: tuple[float, float] = (7.0, 3.6),
) -> bytes:
    """A bar chart as PNG (for Word) or SVG (for PDF). `series` are (name, values) pairs."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=size, dpi=150)
    try:
        count = max(len(series), 1)
        width = 0.8 / count
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series):
            offsets = [p + (index - (count - 1) / 2) * width for p in positions]
            if horizontal:
                ax.barh(offsets, values, height=width, label=name)
            else:
                ax.bar(offsets, values, width=width, label=name)
        if horizontal:
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
        else:
            ax.set_xticks(positions, labels, rotation=30 if len(labels) > 6 else 0, ha="right")
        if title:
            ax.set_title(title)
        if len(series) > 1:
            ax.legend(fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt)
        return buffer.getvalue()
    finally:
        plt.close(fig)
