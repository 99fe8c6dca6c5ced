"""The disclosure as a workbook: one worksheet per section, ready to print on A4.

Each sheet starts with the same header block (title, the collective and its
township, the period, the board, publication and posting dates, the 核对码,
seal digest and content hash), then the section's table: bold headings
(frozen, and repeated on every printed page), money as numbers formatted
#,##0.00, areas 0.00, counts #,##0, a bold totals row, and the section's note
(本期无发生额 for an empty one). A last sheet holds the review sign-offs.

Cells hold what the document holds: text verbatim (already masked, written
as text even when it starts with "=" so it never becomes a formula), money
and area as exact decimals built from the integers (Decimal, never float
arithmetic). Document properties carry the publication's time, and the zip
entries a fixed timestamp: the same publication gives the same bytes.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sanzi_ledger.publish.document import Column, Publication, Section
from sanzi_ledger.publish.html import (
    CADENCE_LABELS,
    chinese_date,
    date_time,
    format_cell,
)

EMPTY_NOTE = "本期无发生额"
REVIEW_SHEET = "审核意见"
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {"money": "#,##0.00", "area": "0.00", "count": "#,##0"}
COLUMN_WIDTH_MIN = 6
COLUMN_WIDTH_MAX = 48  # wider text wraps
LANDSCAPE_FROM_WIDTH = 95  # character units: about what a portrait A4 page holds at 100 %
LINE_HEIGHT_PT = 15
ROW_HEIGHT_PT = 18  # one line of a table row, with air above and below

THIN = Side(style="thin", color="000000")
MEDIUM = Side(style="medium", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BORDER = Border(left=THIN, right=THIN, top=MEDIUM, bottom=THIN)
BAND = PatternFill("solid", fgColor="E8E8E8")
TOTAL_BAND = PatternFill("solid", fgColor="F2F2F2")


def write_xlsx(pub: Publication, path: Path) -> None:
    """Write the disclosure workbook to `path`."""
    path.write_bytes(workbook_bytes(pub))


def workbook_bytes(pub: Publication) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    names: set[str] = set()
    for section in pub.document.sections:
        _sheet(wb.create_sheet(_sheet_name(section.title, names)), pub, section)
    _sheet(wb.create_sheet(_sheet_name(REVIEW_SHEET, names)), pub, _review_section(pub), review=True)
    _properties(wb, pub)
    return fixed_zip(saved_bytes(wb), _moment(pub.published_at))


# --- sheets --------------------------------------------------------------------------

def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = SHEET_NAME_FORBIDDEN.sub("_", title).strip("'") or "表"
    name = base[:SHEET_NAME_MAX]
    number = 2
    while name.lower() in taken:
        suffix = f"({number})"
        name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _review_section(pub: Publication) -> Section:
    columns = (Column(key="role", title="职务"), Column(key="name", title="姓名"),
               Column(key="at", title="审核时间", kind="date"), Column(key="opinion", title="审核意见"),
               Column(key="sign", title="签字"))
    rows = tuple((s.role, s.name, date_time(s.at), s.opinion, "") for s in pub.signoffs)
    return Section(key="review", title="审核意见（民主理财小组 / 村务监督委员会）", columns=columns, rows=rows,
                   note="" if rows else "无审核记录")


def header_lines(pub: Publication) -> list[str]:
    """The header block above every table, one printed line each."""
    doc = pub.document
    period = f"{chinese_date(doc.period_first)} 至 {chinese_date(doc.period_last)}"
    cadence = CADENCE_LABELS.get(doc.cadence, doc.cadence)
    channel = f"　网上公开：{doc.board_channel}" if doc.board_channel else ""
    return [
        (f"公开编号：第 {pub.number} 号　公开单位：{doc.collective_name}（编码 {doc.collective_code}）"
         f"　所属：{doc.county} {doc.township}"),
        f"公开期间：{period}（{doc.period_label}，{cadence}）",
        f"公开栏：{doc.board_name}：{doc.board_location}{channel}",
        (f"公开日期：{chinese_date(pub.published_at)}　张贴至：{chinese_date(pub.posted_until)}"
         f"　公开人：{pub.published_by}"),
        f"核对码：{pub.short_digest}　封存摘要（第 {pub.seal_position} 号记录）：{pub.seal_digest}",
        f"内容哈希：{pub.content_hash}",
    ]


def _sheet(ws: Worksheet, pub: Publication, section: Section, *, review: bool = False) -> None:
    doc = pub.document
    columns = section.columns
    ncols = max(len(columns), 1)
    widths = column_widths(section)
    total_width = sum(widths)
    last = get_column_letter(ncols)

    row = 1
    merged_line(ws, row, ncols, doc.title, Font(bold=True, size=16), total_width, center=True, min_height=28)
    row += 1
    if doc.corrects:
        text = f"更正公开：本表是对第 {doc.corrects} 号公开的更正。原公开表存档备查、不作修改，内容以本表为准。"
        merged_line(ws, row, ncols, text, Font(bold=True, size=11, color="BE1414"), total_width)
        row += 1
    for line in header_lines(pub):
        merged_line(ws, row, ncols, line, Font(size=10), total_width)
        row += 1
    row += 1  # a blank line before the table

    count = f"（共 {len(section.rows)} 笔）" if section.rows and not review else ""
    merged_line(ws, row, ncols, f"{section.title}{count}", Font(bold=True, size=12), total_width)
    row += 1

    heading_row = row
    heading_cells(ws, row, columns)
    ws.row_dimensions[row].height = ROW_HEIGHT_PT + 2
    row += 1

    for values in section.rows:
        values_row(ws, row, columns, values, widths)
        row += 1
    if section.rows and section.totals is not None:
        values_row(ws, row, columns, section.totals, widths, total=True)
        row += 1
    note = section.note or ("" if section.rows else EMPTY_NOTE)
    if note:
        if section.rows:
            note = f"说明：{note}"
        merged_line(ws, row, ncols, note, Font(size=10), total_width, center=not section.rows,
                     border=not section.rows)
        row += 1
    last_row = row - 1

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{heading_row + 1}"
    _print_setup(ws, pub, heading_row, f"A1:{last}{last_row}", landscape=total_width > LANDSCAPE_FROM_WIDTH)


def values_row(ws: Worksheet, row: int, columns: Sequence[Column], values: Sequence[str | int | None],
                widths: Sequence[float], *, total: bool = False) -> None:
    lines = 1
    for i, column in enumerate(columns, start=1):
        value = values[i - 1] if i - 1 < len(values) else None
        cell = ws.cell(row=row, column=i)
        numeric = column.kind in NUMBER_FORMATS and isinstance(value, int) and not isinstance(value, bool)
        if numeric:
            cell.value = _number(value, column.kind)  # type: ignore[arg-type]
            cell.number_format = NUMBER_FORMATS[column.kind]
            cell.alignment = Alignment(horizontal="right", vertical="center", indent=1)
        else:
            text = "" if value is None else str(value)
            text_cell(cell, text)
            center = column.kind == "date" or (total and i == 1)
            cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center",
                                       wrap_text=True)
            lines = max(lines, _lines(text, widths[i - 1]))
        cell.border = TOTAL_BORDER if total else GRID
        if total:
            cell.font = Font(bold=True)
            cell.fill = TOTAL_BAND
    # Excel does not grow a row for wrapped text on opening: say how tall it is
    ws.row_dimensions[row].height = max(ROW_HEIGHT_PT, lines * LINE_HEIGHT_PT + 3)


def _number(value: int, kind: str) -> Decimal | int:
    """Money in fen and area in 0.01 亩 as exact two-decimal numbers; counts as they are."""
    if kind in ("money", "area"):
        return Decimal(value).scaleb(-2)
    return value


def text_cell(cell, text: str) -> None:
    """Text stays text: a leading '=' must not turn a name into a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = "s"


def merged_line(ws: Worksheet, row: int, ncols: int, text: str, font: Font, total_width: float, *,
                 center: bool = False, min_height: float = 0, border: bool = False) -> None:
    cell = ws.cell(row=row, column=1)
    text_cell(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    if border:
        for i in range(1, ncols + 1):
            ws.cell(row=row, column=i).border = GRID
    lines = _lines(text, total_width * 11 / max(font.sz or 11, 1))
    height = max(min_height, lines * (font.sz or 11) * 1.45)
    if height > LINE_HEIGHT_PT:
        ws.row_dimensions[row].height = round(height, 1)


# --- widths and lines --------------------------------------------------------------------

def display_width(text: str) -> int:
    """Width in Excel character units: a Chinese character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    room = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / room)) for part in text.split("\n"))


def heading_cells(ws: Worksheet, row: int, columns: Sequence[Column]) -> None:
    """A table's heading row: bold, banded, gridded, centred."""
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=i)
        text_cell(cell, column.title)
        cell.font = Font(bold=True)
        cell.fill = BAND
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def column_widths(section: Section) -> list[float]:
    widths = []
    for i, column in enumerate(section.columns):
        cells = [row[i] if i < len(row) else None for row in section.rows]
        if section.totals is not None:
            cells.append(section.totals[i] if i < len(section.totals) else None)
        content = max((display_width(format_cell(v, column.kind)) for v in cells), default=0)
        heading = display_width(column.title) + 1  # bold
        widths.append(float(min(max(content, heading, COLUMN_WIDTH_MIN) + 2, COLUMN_WIDTH_MAX)))
    return widths or [float(COLUMN_WIDTH_MAX)]


# --- printing and properties ------------------------------------------------------------

def _print_setup(ws: Worksheet, pub: Publication, heading_row: int, area: str, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.print_area = area
    ws.oddHeader.center.text = header_footer(pub.document.title)
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = header_footer(f"第 {pub.number} 号")
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = header_footer(f"核对码 {pub.short_digest}")
    ws.oddFooter.right.size = 8


def header_footer(text: str) -> str:
    """Header and footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def _moment(iso: str) -> datetime:
    """The publication time as naive UTC (what the workbook properties hold)."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _properties(wb: Workbook, pub: Publication) -> None:
    moment = _moment(pub.published_at)
    props = wb.properties
    props.title = pub.document.title
    props.subject = f"村务公开 第 {pub.number} 号"
    props.creator = "sanzi-ledger"
    props.lastModifiedBy = None
    props.keywords = f"{pub.number} {pub.content_hash}"
    props.language = "zh-CN"
    props.created = moment
    props.modified = moment


def saved_bytes(wb: Workbook) -> bytes:
    """openpyxl's save, less the 'modified: now' that save_workbook stamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return out.getvalue()


def fixed_zip(data: bytes, moment: datetime) -> bytes:
    """The same archive with every entry stamped `moment` (zip entries otherwise carry 'now')."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
