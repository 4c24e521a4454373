"""A round's scoring table as xlsx, in the seed's own layout (工作任务分解及考核评分表).

序号 | 指标项 | 指标内容 | 具体目标 | 牵头单位 | 配合单位 | 分值 | 得分 | 备注 — 指标项 merged down its
dimension's rows and 指标内容 down its item's, as the printed table has them; units as printed;
得分 empty where unscored; 备注 names 合理缺项, lost points and the score's comment. A subtotal row
closes each dimension, and the totals (earned, 合理缺项-adjusted, 加分, final, grade) close the
table. Frozen header, A4 landscape fitted to the width, title rows repeated on every page.
`write_table` writes the layout for any framework; without a round it leaves 得分 empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from qualitycity.assessments.access import access_round
from qualitycity.assessments.choices import NAStatus
from qualitycity.assessments.models import Round, Score
from qualitycity.assessments.queries import round_data
from qualitycity.assessments.scoring import RoundTotal
from qualitycity.frameworks.models import Criterion, CriterionUnit, Dimension, Item, UnitRole
from qualitycity.numbers import format_number as plain_number
from qualitycity.xlsx import XLSX_TYPE, set_cell

from .exports import ExportKind, Progress, register

NUMERALS = "一二三四五六七八九十"
HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("指标项"),
    gettext_lazy("指标内容"),
    gettext_lazy("具体目标"),
    gettext_lazy("牵头单位"),
    gettext_lazy("配合单位"),
    gettext_lazy("分值"),
    gettext_lazy("得分"),
    gettext_lazy("备注"),
)
WIDTHS = (6, 16, 22, 60, 16, 22, 7, 7, 24)
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
LOST_FILL = PatternFill("solid", fgColor="FCE4D6")
NA_FILL = PatternFill("solid", fgColor="EDEDED")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_ROWS = 3  # title, subtitle, header


def numeral(number: int) -> str:
    """一 … 十, then 十一 …: how the tables number their dimensions."""
    if 1 <= number <= 10:
        return NUMERALS[number - 1]
    if 11 <= number <= 19:
        return "十" + NUMERALS[number - 11]
    return str(number)


def dimension_label(d: Dimension) -> str:
    return f"{numeral(d.number)}、{d.title}"


def item_label(i: Item) -> str:
    return f"{i.code} {i.title}({plain_number(i.max_points)}分)"


@dataclass
class TableData:
    title: str
    subtitle: str
    dimensions: list[Dimension]
    items: list[Item]
    criteria: list[Criterion]
    units: Mapping[int, Mapping[str, list[str]]]  # criterion id → role → printed names
    scores: Mapping[int, Score]
    total: RoundTotal | None


def table_data(rnd: Round) -> TableData:
    """The round's table in a fixed number of queries (round_data, dimensions, printed units)."""
    data = round_data(rnd, with_units=False)
    framework = rnd.campaign.framework
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("position", "number"))
    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cid, role, name in (
        CriterionUnit.objects.filter(criterion__framework=framework)
        .order_by("criterion_id", "role", "position")
        .values_list("criterion_id", "role", "printed_name")
    ):
        units[cid][role].append(name)
    return TableData(
        title=framework.title,
        subtitle=f"{rnd.campaign.name} · {rnd.name}",
        dimensions=dimensions,
        items=data.items,
        criteria=data.criteria,
        units=units,
        scores=data.scores,
        total=data.totals(),
    )


def remark(criterion: Criterion, score: Score | None) -> tuple[str, PatternFill | None]:
    """备注 of a row and its fill: 合理缺项 (accepted or waiting), points lost, the comment."""
    notes: list[str] = []
    fill = None
    if score is not None and score.na_status == NAStatus.APPROVED:
        notes.append(_("合理缺项(已认定)"))
        fill = NA_FILL
    elif score is not None and score.na_status == NAStatus.PENDING:
        notes.append(_("合理缺项(待认定)"))
    if score is not None and score.points is not None and fill is None:
        lost = criterion.max_points - min(score.points, criterion.max_points)
        if lost > 0:
            notes.append(_("失 %(points)s 分") % {"points": plain_number(lost)})
            fill = LOST_FILL
    if score is not None and score.comment:
        notes.append(score.comment)
    if criterion.remarks:
        notes.append(criterion.remarks)
    return ";".join(notes), fill


def write_table(ws: Worksheet, table: TableData, progress: Progress | None = None) -> None:
    ws.title = _("考核评分表")[:31]
    ncols = len(HEADERS)
    set_cell(ws, 1, 1, table.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(1, 1).alignment = CENTER
    set_cell(ws, 2, 1, table.subtitle).alignment = CENTER
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    for col, header in enumerate(HEADERS, start=1):
        c = set_cell(ws, TITLE_ROWS, col, str(header))
        c.font, c.fill, c.alignment, c.border = BOLD, HEAD_FILL, CENTER, BORDER
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.freeze_panes = ws.cell(TITLE_ROWS + 1, 1)
    ws.print_title_rows = f"1:{TITLE_ROWS}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True

    by_item: dict[int, list[Criterion]] = defaultdict(list)
    for c in table.criteria:
        by_item[c.item_id].append(c)
    items_by_dim: dict[int, list[Item]] = defaultdict(list)
    for i in table.items:
        items_by_dim[i.dimension_id].append(i)
    total = table.total
    row = TITLE_ROWS + 1
    done, count = 0, len(table.criteria)
    for d in table.dimensions:
        first_of_dim = row
        for item in items_by_dim.get(d.pk, []):
            first_of_item = row
            for c in by_item.get(item.pk, []):
                score = table.scores.get(c.pk)
                names = table.units.get(c.pk, {})
                note, fill = remark(c, score)
                points = None
                if score is not None and score.points is not None:
                    if score.na_status != NAStatus.APPROVED:
                        points = score.points
                values = (
                    c.row,
                    dimension_label(d),
                    item_label(item),
                    c.text,
                    "、".join(names.get(UnitRole.LEAD, [])),
                    "、".join(names.get(UnitRole.COOPERATING, [])),
                    c.points if c.points is not None else c.max_points,
                    points,
                    note,
                )
                for col, value in enumerate(values, start=1):
                    cell = set_cell(ws, row, col, value)
                    cell.border = BORDER
                    cell.alignment = CENTER if col in (1, 2, 3, 7, 8) else WRAP
                    if fill is not None:
                        cell.fill = fill
                row += 1
                done += 1
                if progress is not None:
                    progress(done, count)
            if row - 1 > first_of_item:
                ws.merge_cells(
                    start_row=first_of_item, start_column=3, end_row=row - 1, end_column=3
                )
        if row - 1 > first_of_dim:
            ws.merge_cells(start_row=first_of_dim, start_column=2, end_row=row - 1, end_column=2)
        dim_total = total.dimensions.get(d.number) if total else None
        _total_row(
            ws,
            row,
            _("%(dimension)s 小计") % {"dimension": numeral(d.number)},
            dim_total.max_points
            if dim_total
            else sum((i.max_points for i in items_by_dim.get(d.pk, [])), Decimal(0)),
            dim_total.earned if dim_total and total else None,
        )
        row += 1
    if total is not None:
        _total_row(ws, row, _("合计"), total.full, total.earned)
        row += 1
        if total.na_max:
            _total_row(
                ws,
                row,
                _("折算总分(合理缺项 %(na)s 分,按 得分 × 满分 ÷ (满分 − 合理缺项分值) 折算)")
                % {"na": plain_number(total.na_max)},
                total.full,
                total.adjusted,
            )
            row += 1
        if total.has_bonus:
            _total_row(ws, row, _("加分"), total.bonus_cap, total.bonus)
            row += 1
            _total_row(ws, row, _("最终得分"), None, total.final)
            row += 1
        if total.failed:
            _total_row(ws, row, _("一票否决:本轮不通过"), None, None)
            row += 1
        elif total.grade:
            _total_row(ws, row, _("等级:%(grade)s") % {"grade": total.grade}, None, None)
            row += 1


def _total_row(ws: Worksheet, row: int, label: str, full: Any, earned: Any) -> None:
    for col in range(1, len(HEADERS) + 1):
        cell = ws.cell(row, col)
        cell.border, cell.fill, cell.font = BORDER, TOTAL_FILL, BOLD
    set_cell(ws, row, 1, label).alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    set_cell(ws, row, 7, full).alignment = CENTER
    set_cell(ws, row, 8, earned).alignment = CENTER


def write_round_xlsx(rnd: Round, out: IO[bytes], progress: Progress | None = None) -> None:
    wb = Workbook()
    write_table(wb.active, table_data(rnd), progress)
    wb.save(out)


def _resolve(user: Any, pk: int, params: Mapping[str, str]) -> Round:
    if user is None:
        rnd = Round.objects.select_related("campaign", "campaign__framework").filter(pk=pk).first()
        if rnd is None:
            raise Http404
        return rnd
    return access_round(user, pk)


KIND = register(
    ExportKind(
        key="round-xlsx",
        label=gettext_lazy("考核评分表(Excel)"),
        resolve=_resolve,
        filename=lambda rnd, params: f"{rnd.campaign.name}-{rnd.name}-考核评分表.xlsx",
        content_type=XLSX_TYPE,
        write=lambda rnd, out, params, progress: write_round_xlsx(rnd, out, progress),
    )
)
