"""The disclosure as a PDF that prints the same anywhere: A4, Chinese glyphs embedded.

Layout follows the HTML board paper (html.py): correction banner, masthead,
facts, one grid per section (totals, notes, 本期无发生额), the review table
with a blank column for handwritten signatures, then the posting facts and
the verification box (核对码 in large type, full seal digest, content hash,
QR code). Every page's footer repeats the number, the page count and the
核对码, so a page swapped in from another table shows.

The page is landscape when a section cannot be set comfortably on a portrait
page; one orientation for the whole document, so it prints in one pass.

The PDF embeds a TrueType subset made for this document (fonts.py) from the
characters of a view built first: everything drawn comes from that view, so
every glyph is there (a character the font lacks prints as 〓, never blank). Bold is drawn as fill-and-stroke, so one font file
serves. The creation date is the publication's, and fpdf2 derives the file
ID from the content: the same publication gives the same bytes.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from sanzi_ledger.publish.document import Column, Publication, Section
from sanzi_ledger.publish.fonts import missing_characters, write_subset_font
from sanzi_ledger.publish.html import (
    CADENCE_LABELS,
    chinese_date,
    date_time,
    format_cell,
    qr_payload,
)

FONT = "cjk"
NUMERIC_KINDS = frozenset({"money", "area", "count"})
EMPTY_NOTE = "本期无发生额"
MISSING_MARK = "〓"  # the typesetter's mark (geta) for a character the font cannot draw
LOGGER = logging.getLogger(__name__)

MARGIN_MM = 11.0
MARGIN_BOTTOM_MM = 14.0
FOOTER_MM = 8.0
BODY_PT = 9.5
SMALL_PT = 8.0
PAD_X_MM = 1.3
PAD_Y_MM = 0.9
LINE_FACTOR = 1.32  # line height / font size
TEXT_FLOOR_EM = 5  # a text column keeps at least 5 characters a line
TEXT_COMFORT_EM = 8  # below 8 characters a line on portrait, turn the page to landscape
PT_MM = 25.4 / 72

INK = (0, 0, 0)
SOFT = (90, 90, 90)
ALARM = (190, 20, 20)
BAND = (232, 232, 232)
TOTAL_BAND = (242, 242, 242)
RULE = (60, 60, 60)


# --- the view: every string the PDF prints ---------------------------------------------

@dataclass(frozen=True)
class Grid:
    title: str
    count: str  # "共 8 笔", "" when none
    headings: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...] | None
    empty: str  # the merged row of an empty table ("本期无发生额"), "" otherwise
    note: str  # "说明：…" under a table with rows, "" otherwise
    continued: str  # the title repeated on the next page


@dataclass(frozen=True)
class View:
    banner_stamp: str
    banner_text: str
    place: str
    title: str
    kind: str
    facts: tuple[tuple[str, str], ...]
    grids: tuple[Grid, ...]
    review: Grid
    posting: tuple[tuple[str, str], ...]
    remind: str
    verify_label: str
    short_digest: str
    codes: tuple[tuple[str, str], ...]
    colophon: str
    footer_left: str
    footer_center: str  # with {page} and {nb}
    footer_right: str
    extra_glyphs: str  # page numbers


def _grid(section: Section) -> Grid:
    kinds = tuple(c.kind for c in section.columns)
    rows = tuple(tuple(format_cell(_at(row, i), c.kind) for i, c in enumerate(section.columns))
                 for row in section.rows)
    totals = None
    if section.totals is not None and rows:
        totals = tuple(format_cell(_at(section.totals, i), c.kind) for i, c in enumerate(section.columns))
    empty = (section.note or EMPTY_NOTE) if not rows else ""
    note = f"说明：{section.note}" if section.note and rows else ""
    return Grid(title=section.title, count=f"共 {len(rows)} 笔" if rows else "",
                headings=tuple(c.title for c in section.columns), kinds=kinds, rows=rows,
                totals=totals, empty=empty, note=note, continued=f"{section.title}（续）")


def _at(values: Sequence[str | int | None], index: int) -> str | int | None:
    return values[index] if index < len(values) else None


def build_view(pub: Publication, qr_url: str | None = None) -> View:
    doc = pub.document
    review_columns = (Column(key="role", title="职务"), Column(key="name", title="姓名"),
                      Column(key="at", title="审核时间", kind="date"),
                      Column(key="opinion", title="审核意见"), Column(key="sign", title="签字"))
    review = _grid(Section(
        key="review", title="审核意见（民主理财小组 / 村务监督委员会）", columns=review_columns,
        rows=tuple((s.role, s.name, date_time(s.at), s.opinion, "") for s in pub.signoffs),
        note="" if pub.signoffs else "无审核记录"))
    review = replace(review, count="")
    period = f"{chinese_date(doc.period_first)} 至 {chinese_date(doc.period_last)}（{doc.period_label}）"
    facts = [
        ("公开单位", f"{doc.collective_name}（编码 {doc.collective_code}）"),
        ("所　　属", f"{doc.county} {doc.township}"),
        ("公开期间", period),
        ("公开日期", chinese_date(pub.published_at)),
        ("公开栏", f"{doc.board_name}：{doc.board_location}"),
        ("张贴至", chinese_date(pub.posted_until)),
    ]
    if doc.board_channel:
        facts.append(("网上公开", doc.board_channel))
    payload = qr_payload(pub, qr_url)
    return View(
        banner_stamp="更正公开" if doc.corrects else "",
        banner_text=(f"本表是对第 {doc.corrects} 号公开的更正。原公开表存档备查、不作修改，内容以本表为准。"
                     if doc.corrects else ""),
        place=f"{doc.county} · {doc.township} · {doc.collective_name}",
        title=doc.title,
        kind=f"{CADENCE_LABELS.get(doc.cadence, doc.cadence)}　第 {pub.number} 号",
        facts=tuple(facts),
        grids=tuple(_grid(s) for s in doc.sections),
        review=review,
        posting=(
            ("公开日期", chinese_date(pub.published_at)),
            ("张贴至", f"{chinese_date(pub.posted_until)}（张贴期内不得撕毁、遮挡）"),
            ("公开人", pub.published_by),
            ("公开栏", f"{doc.board_name}（{doc.board_location}）"),
        ),
        remind="对公开内容有疑问的，可向村务监督委员会或乡镇农村经营管理站反映。",
        verify_label="核对码（与网上公开版比对前 16 位）",
        short_digest=pub.short_digest,
        codes=(
            (f"封存摘要（第 {pub.seal_position} 号记录）", pub.seal_digest),
            ("内容哈希", pub.content_hash),
            ("扫码查看网上公开版" if qr_url else "二维码内容", payload),
        ),
        colophon="本表由三资台账系统生成；表内金额单位为元，面积单位为亩；身份证号、电话号码已按规定部分隐藏。",
        footer_left=f"第 {pub.number} 号　{doc.collective_name}　{doc.period_label}",
        footer_center="第 {page} 页 / 共 {nb} 页",
        footer_right=f"核对码 {pub.short_digest}",
        extra_glyphs="0123456789",
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif is_dataclass(value):
        for field in fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def printable(view: View) -> View:
    """The view with control characters as spaces and characters the font lacks as 〓.

    A character that prints blank would silently change a name on the board;
    the mark shows that something is there.
    """
    chars = {ch for text in _strings(view) for ch in text}
    missing = missing_characters(chars)
    table = {ord(ch): " " for ch in chars if ch < " " and ch != "\n"}
    table.update({ord(ch): MISSING_MARK for ch in missing})
    if missing:
        LOGGER.warning("the PDF font lacks %s: printed as %s", " ".join(sorted(missing)), MISSING_MARK)
    return _translate(view, table) if table else view


def _translate(value, table: dict[int, str]):
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, tuple):
        return tuple(_translate(item, table) for item in value)
    if is_dataclass(value):
        return replace(value, **{f.name: _translate(getattr(value, f.name), table) for f in fields(value)})
    return value


# --- drawing ------------------------------------------------------------------------

class _Paper(FPDF):
    view: View

    def footer(self) -> None:
        self.set_y(-MARGIN_BOTTOM_MM + 3)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*SOFT)
        width = self.w - 2 * MARGIN_MM
        y = self.get_y()
        self.cell(width, 4, self.view.footer_left, align="L")
        self.set_xy(MARGIN_MM, y)
        center = self.view.footer_center.replace("{page}", str(self.page_no()))  # fpdf2 fills {nb} at output
        self.cell(width, 4, center, align="C")
        self.set_xy(MARGIN_MM, y)
        self.cell(width, 4, self.view.footer_right, align="R")
        self.set_text_color(*INK)


@contextmanager
def _bold(pdf: FPDF, color: tuple[int, int, int] = INK) -> Iterator[None]:
    """Fill and stroke the glyphs: a bold face without a second font file.

    Inside a local context (q … Q): fpdf2 emits the text rendering mode only
    when it is not plain fill, so it must be restored by the graphics state.
    """
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=pdf.font_size_pt * 0.016,
                           draw_color=color):
        yield


def _line_mm(size_pt: float) -> float:
    return size_pt * PT_MM * LINE_FACTOR


# Chinese line breaking: any character may end a line, except that closing
# punctuation never starts one and opening punctuation never ends one (禁则).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
_TOKENS = re.compile(r"[\x21-\x7e]+|[ \t]+|.", re.DOTALL)  # an ASCII word stays whole


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """`text` broken into lines that fit `width` (less the cell margins) in the current font."""
    room = width - 2 * pdf.c_margin + 0.01  # measured to the hundredth of a millimetre: no float breaks
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(_wrap(pdf, paragraph, room))
    return out or [""]


def _wrap(pdf: FPDF, text: str, room: float) -> list[str]:
    tokens: list[str] = []
    for token in _TOKENS.findall(text):
        if token.strip() and pdf.get_string_width(token) > room:
            tokens.extend(token)  # a word wider than the column: break it anywhere
        else:
            tokens.append(token)
    lines: list[list[str]] = [[]]
    used = 0.0
    for token in tokens:
        size = pdf.get_string_width(token)
        line = lines[-1]
        if used + size <= room or not line:
            if line or token.strip():  # no space at the start of a line
                line.append(token)
                used += size
            continue
        if not token.strip():
            lines.append([])
            used = 0.0
            continue
        carry: list[str] = []
        if token[0] in NO_LINE_START and len(line) > 1:
            carry.append(line.pop())  # take the last character down with the punctuation
        while len(line) > 1 and line[-1] and line[-1][-1] in NO_LINE_END:
            carry.insert(0, line.pop())
        lines.append([*carry, token])
        used = sum(pdf.get_string_width(t) for t in lines[-1])
    return ["".join(line).rstrip() for line in lines]


def _text_width(pdf: FPDF, text: str) -> float:
    return max((pdf.get_string_width(part) for part in text.split("\n")), default=0.0)


def _measure(pdf: FPDF, grid: Grid, floor_em: float) -> tuple[list[float], list[float]]:
    """Per column: the width that sets every cell on one line, and the least it may take."""
    em = BODY_PT * PT_MM
    pad = 2 * PAD_X_MM
    want: list[float] = []
    floor: list[float] = []
    for i, (heading, kind) in enumerate(zip(grid.headings, grid.kinds, strict=True)):
        cells = [row[i] for row in grid.rows] + ([grid.totals[i]] if grid.totals else [])
        content = max((_text_width(pdf, c) for c in cells), default=0.0)
        head = _text_width(pdf, heading) * 1.04  # the stroke of bold adds a little
        want.append(max(content, head) + pad)
        if kind in NUMERIC_KINDS or kind == "date":  # numbers and dates never wrap; headings may
            floor.append(max(content, min(head, 4 * em)) + pad)
        else:
            floor.append(min(max(content, head), floor_em * em) + pad)
    return want, floor


def _column_widths(pdf: FPDF, grid: Grid, available: float) -> list[float]:
    """Each column as wide as its widest cell; text columns give way (and wrap) when too wide."""
    want, floor = _measure(pdf, grid, TEXT_FLOOR_EM)
    total_want, total_floor = sum(want), sum(floor)
    if total_want <= available:
        text_cols = [i for i, k in enumerate(grid.kinds) if k not in NUMERIC_KINDS and k != "date"]
        grow = text_cols or list(range(len(want)))
        extra = (available - total_want) / len(grow)  # shared equally: no one column balloons
        return [w + (extra if i in grow else 0) for i, w in enumerate(want)]
    if total_floor >= available:
        return [f * available / total_floor for f in floor]
    share = (available - total_floor) / (total_want - total_floor)
    return [f + (w - f) * share for f, w in zip(floor, want, strict=True)]


def _comfortable_width(pdf: FPDF, grid: Grid) -> float:
    """The narrowest the table sets comfortably (text columns at least 8 characters a line)."""
    return sum(_measure(pdf, grid, TEXT_COMFORT_EM)[1])


class _Writer:
    def __init__(self, pdf: _Paper, view: View) -> None:
        self.pdf = pdf
        self.view = view
        self.width = pdf.w - 2 * MARGIN_MM

    @property
    def bottom(self) -> float:
        return self.pdf.h - MARGIN_BOTTOM_MM - FOOTER_MM

    def room(self, height: float) -> None:
        """A new page unless `height` fits on this one."""
        if self.pdf.get_y() + height > self.bottom:
            self.pdf.add_page()

    def paragraph(self, text: str, size: float, *, align: str = "L", color=INK, bold: bool = False,
                  width: float | None = None, x: float | None = None) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*color)
        w = width if width is not None else self.width
        left = x if x is not None else MARGIN_MM
        with _bold(pdf, color) if bold else nullcontext():
            for line in _lines(pdf, w, text):
                pdf.set_x(left)
                pdf.cell(w, _line_mm(size), line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)

    # masthead and facts

    def banner(self) -> None:
        if not self.view.banner_stamp:
            return
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_font(FONT, size=16)
        stamp_w = pdf.get_string_width(self.view.banner_stamp) + 6
        text_x = MARGIN_MM + stamp_w + 6
        text_w = self.width - stamp_w - 9
        pdf.set_font(FONT, size=10.5)
        lines = _lines(pdf, text_w, self.view.banner_text)
        height = max(12.0, len(lines) * _line_mm(10.5) + 6)
        pdf.set_draw_color(*ALARM)
        pdf.set_line_width(0.6)
        pdf.rect(MARGIN_MM, top, self.width, height)
        pdf.set_line_width(0.4)
        pdf.rect(MARGIN_MM + 2, top + 2.5, stamp_w, height - 5)
        pdf.set_xy(MARGIN_MM + 2, top + 2.5)
        pdf.set_font(FONT, size=16)
        pdf.set_text_color(*ALARM)
        with _bold(pdf, ALARM):
            pdf.cell(stamp_w, height - 5, self.view.banner_stamp, align="C")
        pdf.set_font(FONT, size=10.5)
        pdf.set_text_color(*ALARM)
        y = top + (height - len(lines) * _line_mm(10.5)) / 2
        for line in lines:
            pdf.set_xy(text_x, y)
            pdf.cell(text_w, _line_mm(10.5), line)
            y += _line_mm(10.5)
        pdf.set_text_color(*INK)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.set_y(top + height + 3)

    def masthead(self) -> None:
        pdf = self.pdf
        self.paragraph(self.view.place, 10, align="C", color=SOFT)
        pdf.ln(0.8)
        self.paragraph(self.view.title, 18, align="C", bold=True)
        pdf.ln(0.5)
        self.paragraph(self.view.kind, 10, align="C")
        y = pdf.get_y() + 1.2
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(MARGIN_MM, y, MARGIN_MM + self.width, y)
        pdf.line(MARGIN_MM, y + 0.8, MARGIN_MM + self.width, y + 0.8)
        pdf.set_line_width(0.2)
        pdf.set_y(y + 3)

    def facts(self, pairs: Sequence[tuple[str, str]], *, columns: int, width: float,
              x: float = MARGIN_MM, size: float = 9.5) -> None:
        """Label-value pairs, `columns` pairs a row."""
        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        label_w = max(pdf.get_string_width(label) for label, _ in pairs) + 3
        pair_w = width / columns
        line = _line_mm(size)
        for start in range(0, len(pairs), columns):
            chunk = pairs[start:start + columns]
            if len(chunk) == 1 and columns > 1 and start + 1 == len(pairs):
                chunk_w = [width]  # a lone last pair takes the whole row
            else:
                chunk_w = [pair_w] * len(chunk)
            wrapped = [_lines(pdf, w - label_w - 2, value) for (_, value), w in zip(chunk, chunk_w, strict=True)]
            height = max(len(v) for v in wrapped) * line
            self.room(height)
            top = pdf.get_y()
            left = x
            for (label, _), w, value_lines in zip(chunk, chunk_w, wrapped, strict=True):
                pdf.set_xy(left, top)
                with _bold(pdf):
                    pdf.cell(label_w, line, label)
                for i, text in enumerate(value_lines):
                    pdf.set_xy(left + label_w, top + i * line)
                    pdf.cell(w - label_w - 2, line, text)
                left += w
            pdf.set_xy(x, top + height + 0.4)

    # grids

    def _grid_rows(self, grid: Grid) -> list[tuple[tuple[str, ...], str]]:
        rows = [(r, "body") for r in grid.rows]
        if grid.totals is not None:
            rows.append((grid.totals, "total"))
        return rows

    def grid_height(self, grid: Grid) -> float:
        """The whole table on one page: title, headings, rows, note."""
        self.pdf.set_font(FONT, size=BODY_PT)
        widths = _column_widths(self.pdf, grid, self.width)
        rows = self._grid_rows(grid)
        body = (sum(self._row_height(cells, widths) for cells, _ in rows) if rows
                else self._merged_height(grid.empty or EMPTY_NOTE))
        note = _line_mm(SMALL_PT + 0.5) * 2 if grid.note else 0.0
        return 2.5 + _line_mm(12) + 0.8 + self._row_height(grid.headings, widths) + body + note

    def grid(self, grid: Grid) -> None:
        pdf = self.pdf
        assert grid.headings, f"section {grid.title} has no columns"
        pdf.set_font(FONT, size=BODY_PT)
        widths = _column_widths(pdf, grid, self.width)
        heading_h = self._row_height(grid.headings, widths)
        rows = self._grid_rows(grid)
        first_h = (self._row_height(rows[0][0], widths) if rows
                   else self._merged_height(grid.empty or EMPTY_NOTE))
        self.room(2.5 + _line_mm(12) + 0.8 + heading_h + first_h)  # never a title alone at the bottom
        pdf.ln(2.5)
        self._title(grid.title, grid.count)
        self._row(grid.headings, grid.kinds, widths, "heading", heading_h)
        if not rows:
            text = grid.empty or EMPTY_NOTE
            self._merged(text, self._merged_height(text))
        for cells, style in rows:
            height = self._row_height(cells, widths)
            if pdf.get_y() + height > self.bottom:
                pdf.add_page()
                self._title(grid.continued, "")
                self._row(grid.headings, grid.kinds, widths, "heading", heading_h)
            self._row(cells, grid.kinds, widths, style, height)
        if grid.note:
            pdf.ln(0.8)
            self.paragraph(grid.note, SMALL_PT + 0.5)

    def _title(self, title: str, count: str) -> None:
        pdf = self.pdf
        y = pdf.get_y()
        pdf.set_font(FONT, size=12)
        with _bold(pdf):
            pdf.cell(self.width, _line_mm(12), title)
        if count:
            pdf.set_xy(MARGIN_MM, y)
            pdf.set_font(FONT, size=SMALL_PT)
            pdf.set_text_color(*SOFT)
            pdf.cell(self.width, _line_mm(12), count, align="R")
            pdf.set_text_color(*INK)
        pdf.set_xy(MARGIN_MM, y + _line_mm(12) + 0.8)

    def _row_height(self, cells: Sequence[str], widths: Sequence[float]) -> float:
        pdf = self.pdf
        pdf.set_font(FONT, size=BODY_PT)
        count = max(len(_lines(pdf, w, c)) for c, w in zip(cells, widths, strict=True))
        return count * _line_mm(BODY_PT) + 2 * PAD_Y_MM

    def _merged_height(self, text: str) -> float:
        self.pdf.set_font(FONT, size=BODY_PT)
        return len(_lines(self.pdf, self.width, text)) * _line_mm(BODY_PT) + 4 * PAD_Y_MM

    def _row(self, cells: Sequence[str], kinds: Sequence[str], widths: Sequence[float], style: str,
             height: float) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=BODY_PT)
        top = pdf.get_y()
        x = MARGIN_MM
        fill = {"heading": BAND, "total": TOTAL_BAND}.get(style)
        line = _line_mm(BODY_PT)
        for i, (text, kind, w) in enumerate(zip(cells, kinds, widths, strict=True)):
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.4 if style == "total" else 0.2)
            if fill:
                pdf.set_fill_color(*fill)
                pdf.rect(x, top, w, height, style="DF")
            else:
                pdf.rect(x, top, w, height)
            if style == "heading" or (style == "total" and i == 0):
                align = "C"
            elif kind in NUMERIC_KINDS:
                align = "R"
            elif kind == "date":
                align = "C"
            else:
                align = "L"
            with _bold(pdf) if style in ("heading", "total") else nullcontext():
                lines = _lines(pdf, w, text)
                y = top + PAD_Y_MM
                if style == "heading":  # centre the heading vertically
                    y = top + (height - len(lines) * line) / 2
                for part in lines:
                    pdf.set_xy(x, y)
                    pdf.cell(w, line, part, align=align)
                    y += line
            x += w
        pdf.set_line_width(0.2)
        pdf.set_xy(MARGIN_MM, top + height)

    def _merged(self, text: str, height: float) -> None:
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_draw_color(*RULE)
        pdf.rect(MARGIN_MM, top, self.width, height)
        pdf.set_font(FONT, size=BODY_PT)
        lines = _lines(pdf, self.width, text)
        y = top + (height - len(lines) * _line_mm(BODY_PT)) / 2
        for part in lines:
            pdf.set_xy(MARGIN_MM, y)
            pdf.cell(self.width, _line_mm(BODY_PT), part, align="C")
            y += _line_mm(BODY_PT)
        pdf.set_xy(MARGIN_MM, top + height)

    # closing: posting facts and the verification box

    VERIFY_W = 104.0
    GAP = 4.0
    QR_MM = 30.0

    def _codes_width(self) -> float:
        return self.VERIFY_W - self.QR_MM - 8

    def closing_height(self) -> float:
        """Posting facts and the verification box side by side, and the colophon."""
        pdf = self.pdf
        pdf.set_font(FONT, size=7)
        codes_h = sum(_line_mm(7.5) + len(_lines(pdf, self._codes_width(), value)) * _line_mm(7)
                      for _, value in self.view.codes)
        verify_h = 3 + _line_mm(8) + _line_mm(20) + 3 + max(self.QR_MM, codes_h) + 3
        inner = self.width - self.VERIFY_W - self.GAP - 6
        pdf.set_font(FONT, size=9.5)
        label_w = max(pdf.get_string_width(label) for label, _ in self.view.posting) + 3
        posting_h = 3 + sum(len(_lines(pdf, inner - label_w - 2, value)) * _line_mm(9.5) + 0.4
                            for _, value in self.view.posting)
        pdf.set_font(FONT, size=SMALL_PT)
        posting_h += 1.5 + len(_lines(pdf, inner, self.view.remind)) * _line_mm(SMALL_PT) + 3
        return max(verify_h, posting_h)

    def closing(self, qr_png: bytes) -> None:
        pdf = self.pdf
        view = self.view
        verify_w = self.VERIFY_W
        posting_w = self.width - verify_w - self.GAP
        qr_mm = self.QR_MM
        codes_w = self._codes_width()
        box_h = self.closing_height()
        pdf.ln(4)
        self.room(box_h + 8)
        top = pdf.get_y()

        # posting facts (left)
        pdf.set_xy(MARGIN_MM + 3, top + 3)
        self.facts(view.posting, columns=1, width=posting_w - 6, x=MARGIN_MM + 3, size=9.5)
        pdf.ln(1.5)
        self.paragraph(view.remind, SMALL_PT, color=SOFT, width=posting_w - 6, x=MARGIN_MM + 3)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.25)
        pdf.rect(MARGIN_MM, top, posting_w, box_h)

        # verification (right)
        left = MARGIN_MM + posting_w + self.GAP
        pdf.set_line_width(0.5)
        pdf.rect(left, top, verify_w, box_h)
        pdf.set_line_width(0.2)
        pdf.set_xy(left, top + 2)
        pdf.set_font(FONT, size=8)
        pdf.set_text_color(*SOFT)
        pdf.cell(verify_w, _line_mm(8), view.verify_label, align="C")
        pdf.set_text_color(*INK)
        pdf.set_xy(left, top + 2 + _line_mm(8))
        pdf.set_font(FONT, size=20)
        with _bold(pdf):
            pdf.cell(verify_w, _line_mm(20), view.short_digest, align="C")
        rule_y = top + 3 + _line_mm(8) + _line_mm(20)
        pdf.line(left + 4, rule_y, left + verify_w - 4, rule_y)
        qr_top = rule_y + 2.5
        pdf.image(io.BytesIO(qr_png), x=left + 3, y=qr_top, w=qr_mm, h=qr_mm)
        y = qr_top
        codes_x = left + qr_mm + 5
        for label, value in view.codes:
            pdf.set_xy(codes_x, y)
            pdf.set_font(FONT, size=7.5)
            pdf.set_text_color(*SOFT)
            pdf.cell(codes_w, _line_mm(7.5), label)
            pdf.set_text_color(*INK)
            y += _line_mm(7.5)
            pdf.set_font(FONT, size=7)
            for part in _lines(pdf, codes_w, value):
                pdf.set_xy(codes_x, y)
                pdf.cell(codes_w, _line_mm(7), part)
                y += _line_mm(7)
        pdf.set_xy(MARGIN_MM, top + box_h + 3)
        self.paragraph(view.colophon, 7.5, align="C", color=SOFT)


def _qr_png(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def write_pdf(pub: Publication, path: Path, *, qr_url: str | None = None) -> None:
    """Write the disclosure as a PDF (A4, Chinese font subset embedded) to `path`."""
    view = printable(build_view(pub, qr_url))
    published = datetime.fromisoformat(pub.published_at)
    with tempfile.TemporaryDirectory(prefix="sanzi-pdf-") as tmp:
        font = Path(tmp) / "sanzi-cjk.ttf"
        write_subset_font(_strings(view), font)
        wide = _is_wide(view, font)
        pdf = _Paper(orientation="L" if wide else "P", unit="mm", format="A4")
        pdf.view = view
        pdf.add_font(FONT, fname=font)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.c_margin = PAD_X_MM
        pdf.set_auto_page_break(False)
        pdf.set_creation_date(published)
        pdf.set_title(view.title)
        pdf.set_author(pub.document.collective_name)
        pdf.set_subject(f"村务公开 第 {pub.number} 号")
        pdf.set_keywords(f"{pub.number} {pub.content_hash}")
        pdf.set_creator("sanzi-ledger")
        pdf.set_lang("zh-CN")
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.add_page()
        writer = _Writer(pdf, view)
        writer.banner()
        writer.masthead()
        writer.facts(view.facts, columns=2, width=writer.width)
        for grid in view.grids:
            writer.grid(grid)
        # the review and the verification box stay together when a page can hold both
        together = writer.grid_height(view.review) + 4 + writer.closing_height() + 8
        if pdf.get_y() + together > writer.bottom and MARGIN_MM + together <= writer.bottom:
            pdf.add_page()
        writer.grid(view.review)
        writer.closing(_qr_png(qr_payload(pub, qr_url)))
        path.write_bytes(bytes(pdf.output()))


def _is_wide(view: View, font: Path) -> bool:
    probe = FPDF(unit="mm", format="A4")
    probe.add_font(FONT, fname=font)
    probe.c_margin = PAD_X_MM
    probe.set_font(FONT, size=BODY_PT)
    portrait = 210 - 2 * MARGIN_MM
    return any(_comfortable_width(probe, g) > portrait for g in view.grids)
