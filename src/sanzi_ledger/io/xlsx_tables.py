"""The tables a list or report command prints, as a workbook (`--xlsx FILE`).

A command prints its tables through `Output.table`; with `--xlsx` the same
tables (title, headings, rows as printed) come here, one worksheet each. Cells
hold what the screen shows, except that figures become numbers: in a
right-aligned column, a printed amount ("-1,234.56") becomes the exact
two-decimal number with the format #,##0.00 and a printed count the integer
with #,##0 (Decimal from the printed text, never float). Text stays text,
even when it starts with "=". Headings bold, shaded, frozen and repeated on
every printed page; widths from the content (a Chinese character counts two);
A4, fitted to the page width, landscape when the table is wide.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from sanzi_ledger.publish.xlsx import (
    COLUMN_WIDTH_MAX,
    COLUMN_WIDTH_MIN,
    LANDSCAPE_FROM_WIDTH,
    NUMBER_FORMATS,
    SHEET_NAME_FORBIDDEN,
    SHEET_NAME_MAX,
    display_width,
)

AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d\d$")
COUNT = re.compile(r"^-?\d+$")
TITLE_ROW, HEADING_ROW = 1, 2
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BAND = PatternFill("solid", fgColor="E8E8E8")


@dataclass(frozen=True)
class PrintedTable:
    title: str
    headings: list[str]  # as printed, in the command's language
    rows: list[list[Any]]
    right: frozenset[int]  # columns printed right-aligned: the figures


def cell_value(text: Any, *, figure: bool) -> tuple[Any, str | None]:
    """(value, number format) of one printed cell."""
    if text is None or text == "":
        return None, None
    text = str(text)
    if figure and AMOUNT.match(text.strip()):
        return Decimal(text.strip().replace(",", "")), NUMBER_FORMATS["money"]
    if figure and COUNT.match(text.strip()):
        return int(text.strip()), NUMBER_FORMATS["count"]
    return text, None


def sheet_name(title: str, index: int, taken: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip().strip("'")[:SHEET_NAME_MAX] or f"表{index}"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def workbook_bytes(tables: Sequence[PrintedTable]) -> bytes:
    assert tables, "a --xlsx command printed no table"
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "sanzi-ledger"
    taken: set[str] = set()
    for index, table in enumerate(tables, start=1):
        _sheet(wb.create_sheet(sheet_name(table.title, index, taken)), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, table: PrintedTable) -> None:
    ncols = max(len(table.headings), 1)
    title = ws.cell(row=TITLE_ROW, column=1)
    _text(title, table.title)
    title.font = Font(bold=True, size=14)
    widths = [display_width(h) + 2 for h in table.headings]
    for col, heading in enumerate(table.headings, start=1):
        cell = ws.cell(row=HEADING_ROW, column=col)
        _text(cell, heading)
        cell.font, cell.fill, cell.border = Font(bold=True), BAND, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(table.rows, start=HEADING_ROW + 1):
        for c, printed in enumerate(row[:ncols]):
            cell = ws.cell(row=r, column=c + 1)
            value, number_format = cell_value(printed, figure=c in table.right)
            if number_format:
                cell.value, cell.number_format = value, number_format
                cell.alignment = Alignment(horizontal="right")
            elif value is not None:
                _text(cell, value)
            cell.border = GRID
            widths[c] = max(widths[c], display_width("" if printed is None else str(printed)) + 2)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)
    ws.freeze_panes = ws.cell(row=HEADING_ROW + 1, column=1)
    last = max(HEADING_ROW, HEADING_ROW + len(table.rows))
    ws.print_title_rows = f"{HEADING_ROW}:{HEADING_ROW}"
    ws.print_area = f"A1:{get_column_letter(ncols)}{last}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > LANDSCAPE_FROM_WIDTH else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"


def _text(cell, text: str) -> None:
    """Text stays text: a leading '=' must not turn a summary into a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    cell.data_type = "s"
