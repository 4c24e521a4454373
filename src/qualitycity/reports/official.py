"""Official-style documents from the campaign's data: 督办通知 (a notice), 情况通报 (a month's
bulletin) and 会议纪要 (a meeting's minutes), each in the layout such documents use — 红头 (the
issuing office in red over a red rule), 文号, title, 主送, body, tables, 落款 and date.

One source, two renderers: `notice_doc` / `bulletin_doc` / `minutes_doc` build an `OfficialDoc`
(plain data), `to_docx` writes it with python-docx and `to_pdf` through the template
reports/documents/official.html with WeasyPrint, so the Word and PDF files say the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity import clock
from qualitycity.assessments.choices import FindingStatus
from qualitycity.assessments.models import Finding
from qualitycity.campaigns.access import (
    access_campaign,
    access_meeting,
    access_notice,
    sees_all_work,
)
from qualitycity.campaigns.choices import MeetingKind, MonthlyState
from qualitycity.campaigns.models import Campaign, Meeting, SupervisionNotice, Task
from qualitycity.campaigns.monthly_report import overview
from qualitycity.campaigns.queries import board
from qualitycity.campaigns.supervision import task_colour
from qualitycity.errors import ValidationFailed
from qualitycity.numbers import format_number

from . import documents
from .documents import DOCX_TYPE, PDF_TYPE
from .exports import ExportKind, Progress, register

RED = "C00000"
COLOUR_LABELS = {
    "red": gettext_lazy("红灯"),
    "yellow": gettext_lazy("黄灯"),
    "blue": gettext_lazy("蓝灯"),
}


@dataclass
class DocTable:
    caption: str
    headers: Sequence[str]
    rows: list[Sequence[str]]


@dataclass
class OfficialDoc:
    issuer: str  # 红头
    number: str  # 文号
    title: str
    addressees: list[str]  # 主送
    paragraphs: list[str]
    tables: list[DocTable] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # paragraphs after the tables
    signature: str = ""
    date: dt.date | None = None
    stem: str = ""  # file name without extension


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_of(campaign: Campaign) -> str:
    """The campaign's office as its 红头 names it: "<campaign>工作领导小组办公室"."""
    return _("%(campaign)s工作领导小组办公室") % {"campaign": campaign.name}


def _abbr(campaign: Campaign) -> str:
    return campaign.region.name[:1]


# --- the three documents ---------------------------------------------------------------------


def notice_doc(notice: SupervisionNotice) -> OfficialDoc:
    campaign = notice.campaign
    today = clock.today()
    tasks = list(notice.tasks.select_related("unit").order_by("due", "pk"))
    colour = COLOUR_LABELS.get(notice.colour, notice.colour)
    rows = []
    for task in tasks:
        task.campaign = campaign
        now = task_colour(task, today)
        rows.append(
            [
                task.title,
                task.unit.name,
                task.due.isoformat(),
                f"{task.progress}%",
                str(COLOUR_LABELS.get(now, "—")) if now else "—",
            ]
        )
    paragraphs = [
        _(
            "根据%(campaign)s工作安排,经督查,你单位承担的以下工作任务进展滞后(督办等级:%(colour)s),现予督办。"
        )
        % {"campaign": campaign.name, "colour": colour},
        _("督办事项:%(content)s") % {"content": notice.content},
    ]
    closing = [
        _(
            "请你单位高度重视,认真研究,采取有效措施加快推进,并于%(due)s前将办理情况书面反馈至%(office)s。逾期未反馈或整改不到位的,将予以通报。"
        )
        % {"due": chinese_date(notice.response_due), "office": _("市创质办")},
    ]
    if notice.response:
        closing.append(_("反馈情况:%(response)s") % {"response": notice.response})
    return OfficialDoc(
        issuer=issuer_of(campaign),
        number=f"{_abbr(campaign)}{_('创质办')}{notice.number}",
        title=_("关于%(unit)s有关工作任务的督办通知") % {"unit": notice.unit.name},
        addressees=[notice.unit.full_name or notice.unit.name],
        paragraphs=paragraphs,
        tables=[
            DocTable(
                _("督办任务"),
                [_("工作任务"), _("责任单位"), _("完成期限"), _("进度"), _("当前亮灯")],
                rows,
            )
        ]
        if rows
        else [],
        closing=closing,
        signature=issuer_of(campaign),
        date=notice.issued_at.date(),
        stem=f"{_('督办通知')}-{notice.number}",
    )


PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def parse_period(value: str | None) -> dt.date:
    """The first day of the month "YYYY-MM", or a refusal saying what is expected."""
    match = PERIOD.match((value or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValidationFailed(
            _("请指定通报月份,格式为 YYYY-MM(例如 2018-08);收到的是“%(value)s”。")
            % {"value": (value or "")[:20]}
        )
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def bulletin_doc(campaign: Campaign, period: str) -> OfficialDoc:
    start = parse_period(period)
    end = _month_end(start)
    if start > campaign.end or end < campaign.start:
        raise ValidationFailed(
            _("%(month)s不在本创建工作的起止日期(%(start)s — %(end)s)之内。")
            % {"month": period, "start": campaign.start, "end": campaign.end}
        )
    as_of = min(end, clock.today())
    b = board(campaign, as_of)
    month = _("%(year)s年%(month)s月") % {"year": start.year, "month": start.month}
    ov = overview(campaign, start, as_of)
    state_label = dict(MonthlyState.choices)
    report_rows = [
        [
            line.unit.name,
            str(state_label.get(line.state, line.state)),
            str(line.late),
        ]
        for line in ov.lines
    ]
    rate_rows = [
        [
            u.name,
            _pct(u.rate.completeness),
            _pct(u.rate.timeliness),
            str(u.counts.red),
            str(u.counts.yellow),
        ]
        for u in b.units
    ]
    flagged = [
        [t.title, t.unit, t.due.isoformat(), f"{t.progress}%", str(COLOUR_LABELS[colour])]
        for colour in ("red", "yellow")
        for t in b.flagged.get(colour, [])
    ]
    findings = list(
        Finding.objects.filter(round__campaign=campaign)
        .filter(Q(status__in=[FindingStatus.OPEN, FindingStatus.IN_PROGRESS, FindingStatus.FIXED]))
        .select_related("unit")
        .order_by("due", "pk")
    )
    finding_label = dict(FindingStatus.choices)
    meetings = list(
        Meeting.objects.filter(campaign=campaign, date__gte=start, date__lte=end).order_by("date")
    )
    kind_label = dict(MeetingKind.choices)
    paragraphs = [
        _(
            "为及时掌握创建工作进展,推动各项任务落实,现将%(month)s%(campaign)s工作情况通报如下(统计截至%(as_of)s)。"
        )
        % {"month": month, "campaign": campaign.name, "as_of": chinese_date(as_of)},
        _(
            "一、总体情况。本次创建工作共有工作任务 %(tasks)s 项,已完成 %(done)s 项;亮红灯 %(red)s 项、黄灯 %(yellow)s 项、蓝灯 %(blue)s 项。进展报告完整率 %(complete)s,及时率 %(timely)s;在办督办单 %(notices)s 件。"
        )
        % {
            "tasks": b.counts.tasks,
            "done": b.counts.done,
            "red": b.counts.red,
            "yellow": b.counts.yellow,
            "blue": b.counts.blue,
            "complete": _pct(b.rate.completeness),
            "timely": _pct(b.rate.timeliness),
            "notices": b.open_notices,
        },
    ]
    if meetings:
        held = "、".join(
            f"{chinese_date(m.date)}{kind_label.get(m.kind, m.kind)}“{m.title}”" for m in meetings
        )
        paragraphs.append(_("二、会议情况。本月召开了%(held)s。") % {"held": held})
    else:
        paragraphs.append(_("二、会议情况。本月未召开创建工作会议。"))
    gaps = [g for g in b.gaps if g.end <= end]
    if gaps:
        paragraphs.append(
            _("按照实施方案要求,以下时段应召开而未召开会议:%(gaps)s。")
            % {"gaps": "、".join(g.label for g in gaps)}
        )
    tables = [
        DocTable(
            _("三、各单位%(month)s月报报送情况") % {"month": month},
            [_("单位"), _("月报状态"), _("逾期报送项数")],
            report_rows,
        ),
        DocTable(
            _("四、各单位进展报告完整率、及时率和亮灯情况(累计)"),
            [_("单位"), _("完整率"), _("及时率"), _("红灯"), _("黄灯")],
            rate_rows,
        ),
        DocTable(
            _("五、亮红灯、黄灯的工作任务"),
            [_("工作任务"), _("责任单位"), _("完成期限"), _("进度"), _("亮灯")],
            flagged,
        ),
        DocTable(
            _("六、整改事项办理情况"),
            [_("问题"), _("责任单位"), _("整改期限"), _("状态")],
            [
                [
                    f.title,
                    f.unit.name,
                    f.due.isoformat(),
                    str(finding_label.get(f.status, f.status)),
                ]
                for f in findings
            ],
        ),
    ]
    closing = [
        _(
            "请亮红灯、黄灯的责任单位对照问题抓紧整改,按时报送月报和佐证材料;市创质办将持续跟踪督办。"
        )
    ]
    return OfficialDoc(
        issuer=issuer_of(campaign),
        number=_("%(abbr)s创质办通〔%(year)s〕%(month)s号")
        % {"abbr": _abbr(campaign), "year": start.year, "month": start.month},
        title=_("关于%(month)s创建工作情况的通报") % {"month": month},
        addressees=[_("各成员单位")],
        paragraphs=paragraphs,
        tables=tables,
        closing=closing,
        signature=issuer_of(campaign),
        date=as_of,
        stem=f"{_('情况通报')}-{start:%Y-%m}",
    )


def minutes_doc(meeting: Meeting) -> OfficialDoc:
    campaign = meeting.campaign
    attendees = [u.name for u in meeting.attendees.order_by("position", "code")]
    decisions = list(
        Task.objects.filter(meeting=meeting).select_related("unit").order_by("due", "pk")
    )
    number = (
        Meeting.objects.filter(campaign=campaign, date__lte=meeting.date)
        .filter(Q(date__lt=meeting.date) | Q(pk__lte=meeting.pk))
        .count()
    )
    paragraphs = [
        _("%(date)s,%(office)s召开%(title)s(%(kind)s)。")
        % {
            "date": chinese_date(meeting.date),
            "office": issuer_of(campaign),
            "title": meeting.title,
            "kind": dict(MeetingKind.choices).get(meeting.kind, meeting.kind),
        },
        _("参会单位:%(units)s。") % {"units": "、".join(attendees) or _("无")},
    ]
    paragraphs += [p.strip() for p in (meeting.minutes or "").splitlines() if p.strip()]
    if decisions:
        paragraphs.append(_("会议议定以下事项,列入工作任务督办落实:"))
    return OfficialDoc(
        issuer=issuer_of(campaign),
        number=_("第 %(n)s 期") % {"n": number},
        title=_("%(title)s纪要") % {"title": meeting.title},
        addressees=attendees,
        paragraphs=paragraphs,
        tables=[
            DocTable(
                _("议定事项"),
                [_("序号"), _("事项"), _("责任单位"), _("完成期限")],
                [
                    [str(i), t.title, t.unit.name, t.due.isoformat()]
                    for i, t in enumerate(decisions, start=1)
                ],
            )
        ]
        if decisions
        else [],
        signature=issuer_of(campaign),
        date=meeting.date,
        stem=f"{_('会议纪要')}-{meeting.date:%Y-%m-%d}",
    )


def _pct(value: Any) -> str:
    return "—" if value is None else format_number(value, "%")


# --- rendering -------------------------------------------------------------------------------


def to_docx(doc: OfficialDoc) -> bytes:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    word = documents.new_docx()
    header = word.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(doc.issuer)
    documents.set_font(run, documents.TITLE_FONT, Pt(22), bold=True)
    run.font.color.rgb = RGBColor.from_string(RED)
    number = word.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    documents.set_font(number.add_run(doc.number), documents.BODY_FONT, Pt(14))
    # the red rule under the 红头: a bottom border on the 文号's paragraph
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "4", "w:color": RED}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    number._p.get_or_add_pPr().append(borders)

    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    documents.set_font(title.add_run(doc.title), documents.TITLE_FONT, Pt(18), bold=True)
    if doc.addressees:
        documents.set_font(
            word.add_paragraph().add_run("、".join(doc.addressees) + ":"), documents.BODY_FONT
        )
    for text in doc.paragraphs:
        p = word.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        documents.set_font(p.add_run(text), documents.BODY_FONT)
    for table in doc.tables:
        caption = word.add_paragraph()
        documents.set_font(caption.add_run(table.caption), documents.HEADING_FONT, bold=True)
        grid = word.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = ""
            documents.set_font(
                cell.paragraphs[0].add_run(str(text)), documents.HEADING_FONT, Pt(10.5), bold=True
            )
        for row in table.rows or [[_("无")] + [""] * (len(table.headers) - 1)]:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = ""
                documents.set_font(
                    cell.paragraphs[0].add_run(str(text)), documents.BODY_FONT, Pt(10.5)
                )
    for text in doc.closing:
        p = word.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        documents.set_font(p.add_run(text), documents.BODY_FONT)
    for text in (doc.signature, chinese_date(doc.date) if doc.date else ""):
        if text:
            p = word.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            documents.set_font(p.add_run(text), documents.BODY_FONT)
    return documents.docx_bytes(word)


def to_pdf(doc: OfficialDoc) -> bytes:
    html = render_to_string(
        "reports/documents/official.html",
        {
            "doc": doc,
            "fonts": documents.PDF_FONTS,
            "date": chinese_date(doc.date) if doc.date else "",
        },
    )
    return documents.html_to_pdf(html)


# --- export kinds ----------------------------------------------------------------------------


def _notice(user: Any, pk: int, params: Mapping[str, str]) -> SupervisionNotice:
    if user is None:
        notice = (
            SupervisionNotice.objects.select_related("campaign", "campaign__region", "unit")
            .filter(pk=pk)
            .first()
        )
        if notice is None:
            raise Http404
        return notice
    return access_notice(user, pk)


def _meeting(user: Any, pk: int, params: Mapping[str, str]) -> Meeting:
    if user is None:
        meeting = (
            Meeting.objects.select_related("campaign", "campaign__region").filter(pk=pk).first()
        )
        if meeting is None:
            raise Http404
        return meeting
    return access_meeting(user, pk)


def _bulletin(user: Any, pk: int, params: Mapping[str, str]) -> Campaign:
    """A month's bulletin of the whole campaign: for those who read every unit's work."""
    if user is None:
        campaign = Campaign.objects.select_related("region").filter(pk=pk).first()
        if campaign is None:
            raise Http404
        return campaign
    campaign = access_campaign(user, pk)
    if not sees_all_work(user, campaign):
        raise Http404
    return campaign


def _writer(build, fmt: str):
    def write(target: Any, out: IO[bytes], params: Mapping[str, str], progress: Progress) -> None:
        doc = build(target, params)
        progress(1, 2)
        out.write(to_docx(doc) if fmt == "docx" else to_pdf(doc))
        progress(2, 2)

    return write


def _filename(build, fmt: str):
    # the file name comes from the document itself; building it twice is cheap for these
    def name(target: Any, params: Mapping[str, str]) -> str:
        return f"{_stem(build, target, params)}.{fmt}"

    return name


def _stem(build, target: Any, params: Mapping[str, str]) -> str:
    if isinstance(target, SupervisionNotice):
        return f"{_('督办通知')}-{target.number}"
    if isinstance(target, Meeting):
        return f"{_('会议纪要')}-{target.date:%Y-%m-%d}"
    return f"{_('情况通报')}-{params.get('period', '')}"


DOCUMENTS = {
    "notice": (_notice, lambda n, p: notice_doc(n), gettext_lazy("督办通知")),
    "bulletin": (
        _bulletin,
        lambda c, p: bulletin_doc(c, p.get("period", "")),
        gettext_lazy("情况通报"),
    ),
    "minutes": (_meeting, lambda m, p: minutes_doc(m), gettext_lazy("会议纪要")),
}

for _what, (_resolve, _build, _label) in DOCUMENTS.items():
    for _fmt, _type in (("docx", DOCX_TYPE), ("pdf", PDF_TYPE)):
        register(
            ExportKind(
                key=f"{_what}-{_fmt}",
                label=_label,
                resolve=_resolve,
                filename=_filename(_build, _fmt),
                content_type=_type,
                write=_writer(_build, _fmt),
                params=("period",) if _what == "bulletin" else (),
            )
        )
