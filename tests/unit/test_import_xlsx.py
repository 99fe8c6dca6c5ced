"""The streaming XLSX reader on real files written by openpyxl: values, merged cells,
formulas without cached values, error values, dates, sparse rows; and its fast
paths against the cell-by-cell reading on sheets in every form a writer may use."""

from __future__ import annotations

import html
import re
import zipfile
from datetime import date, datetime, timedelta
from unittest.mock import patch
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io import xlsx_rows
from sanzi_ledger.io.cells import Problem
from sanzi_ledger.io.sources import open_source
from sanzi_ledger.io.xlsx_rows import XlsxRows, column_index


def test_column_letters():
    assert [column_index(x) for x in ("A", "Z", "AA", "AZ", "BA")] == [0, 25, 26, 51, 52]


def _book(tmp_path, build, *, shared=False) -> str:
    book = Workbook()
    sheet = book.active
    sheet.title = "凭证"
    build(sheet)
    book.create_sheet("说明").append(["不读这一页"])
    path = str(tmp_path / "t.xlsx")
    book.save(path)
    return path


def test_values_dates_numbers_text_and_blank_rows(tmp_path):
    def build(sheet):
        sheet.append(["日期", "凭证号", "摘要", "金额", "是否"])
        sheet.append([datetime(2025, 3, 5), 1, "收到 <租金> & 押金", 1234.5, True])
        sheet.append([])
        sheet["C4"] = "只有一格"
    rows = list(XlsxRows(_book(tmp_path, build)))
    assert rows[0] == (1, ["日期", "凭证号", "摘要", "金额", "是否"])
    assert rows[1] == (2, [45721, 1, "收到 <租金> & 押金", 1234.5, True])
    assert rows[-1] == (4, [None, None, "只有一格"])


def test_merged_cells_read_as_excel_shows_them(tmp_path):
    def build(sheet):
        sheet.append(["日期", "凭证号", "科目编码"])
        for account in ("102", "501", "513"):
            sheet.append(["2025-03-05", "1", account])
        sheet.merge_cells("A2:A4")
        sheet.merge_cells("B2:B4")
    rows = dict(XlsxRows(_book(tmp_path, build)))
    assert rows[2] == ["2025-03-05", "1", "102"]
    assert rows[3] == ["2025-03-05", "1", "501"] and rows[4] == ["2025-03-05", "1", "513"]


def test_a_formula_without_its_value_and_an_error_value_are_problems(tmp_path):
    def build(sheet):
        sheet.append(["借方金额", "贷方金额"])
        sheet.append(["=1+1", 5])
    path = _book(tmp_path, build)
    rows = dict(XlsxRows(path))
    assert isinstance(rows[2][0], Problem) and rows[2][0].formula and rows[2][0].raw == "=1+1"
    # An error value as Excel saves it (openpyxl never writes one).
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "e.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<c r="A2"><f>1+1</f><v /></c>' in data
                data = data.replace(b'<c r="A2"><f>1+1</f><v /></c>', b'<c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
            target.writestr(item, data)
    value = dict(XlsxRows(str(tmp_path / "e.xlsx")))[2][0]
    assert isinstance(value, Problem) and not value.formula and value.raw == "#DIV/0!"


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Refusal) as refused:
        open_source(str(path))
    assert refused.value.code == "import.xlsx_unreadable"


def _book_of_sheet(path, sheet: str, strings: list[str] | None = None) -> str:
    """A workbook as Excel lays one out, around the given sheet XML (and shared strings)."""
    workbook = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="账" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if strings is not None:
            z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                       'spreadsheetml/2006/main">' + "".join(strings) + "</sst>")
    return str(path)


def test_shared_strings_as_excel_writes_them(tmp_path):
    """Excel keeps text in xl/sharedStrings.xml; rebuild the sheet that way."""
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2" t="s"><v>1</v></c></row>'
             '<row r="3"><c r="A3" s="1"><v>45721</v></c><c r="B3" t="s"><v>2</v></c></row></sheetData></worksheet>')
    strings = ["<si><t>日期</t></si>", "<si><r><t>摘</t></r><r><t>要</t></r></si>", '<si><t xml:space="preserve"> 租金 </t></si>']
    reader = XlsxRows(_book_of_sheet(tmp_path / "shared.xlsx", sheet, strings))
    assert reader.sheet_name == "账"
    assert list(reader) == [(1, ["日期", None, "摘要"]), (3, [45721, " 租金 "])]
    assert date(1899, 12, 30).toordinal() + 45721 == date(2025, 3, 5).toordinal()


# The fast paths (a row read by one match of a shape seen before, or by one
# findall of plain cells) against the general reader, `XlsxRows._cells`: the
# code every row went through before, kept as it was for rows in other forms.

def _reference_rows(path: str) -> list[tuple[int, list]]:
    """What the reader yielded before its fast paths: the whole sheet's text cut at
    "</row>", and every row read cell by cell by `XlsxRows._cells`."""
    reader = XlsxRows(path)
    text = b"".join(reader._chunks()).decode()
    prefix = re.search(r"<(\w+:)?worksheet\b", text)
    if prefix and prefix[1]:
        text = text.replace(f"<{prefix[1]}", "<").replace(f"</{prefix[1]}", "</")
    rows, previous, anchors = [], 0, {}
    for part in text.split("</row>")[:-1]:
        start = part.rfind("<row")
        head_end = part.find(">", start)
        head = part[start:head_end]
        at = head.find(' r="')
        number = previous = int(head[at + 4:head.find('"', at + 4)]) if at >= 0 else previous + 1
        cells = reader._cells(part[head_end + 1:])
        rows.append((number, reader._fill_merged(number, cells, anchors) if reader.merges else cells))
    merges = {(int(m[2]), int(m[4]), column_index(m[1].decode()), column_index(m[3].decode()))
              for m in xlsx_rows._MERGE.finditer(text.encode())}
    assert reader.merges == sorted(merges)
    return rows


def _exactly(rows) -> list:
    """Rows as comparable values: 1, 1.0 and True are equal in Python, their reprs are not."""
    return [(number, [repr(cell) for cell in cells]) for number, cells in rows]


_TEXT = st.text(st.sampled_from(list('a 1-."/>&<\'摘要收租金\t\n\r')), max_size=6)
_NUMBER_TEXT = st.one_of(
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["45721", "1234.5", "-0.25", "1E-3", "1.5E+20", "-0", "007", " 5", "1.", ".5", "+3", "1_0",
                     "١٢", "nan", "abc", "&#49;2", ""]),
)
_COLUMN_LETTERS = ["A", "B", "C", "D", "E", "F", "H", "Z", "AA", "GR", "GS", "ZZZ"]  # GR is read, GS is past COLUMNS_MAX
_STYLES = ["", ' s="1"', ' s="12"']
_KINDS = ["number", "number", "inline", "inline", "shared", "empty", "bool", "error", "str", "date", "formula",
          "rich", "odd"]


def _cell(draw, ref: str, kind: str, style: str, strings: int) -> str:
    text = escape(draw(_TEXT | _NUMBER_TEXT))  # a text that looks like a number stays a text
    if kind == "number":
        kind_attr = draw(st.sampled_from(["", ' t="n"']))
        return f'<c r="{ref}"{style}{kind_attr}><v>{draw(_NUMBER_TEXT)}</v></c>'
    if kind == "inline" or (kind == "shared" and not strings):
        return f'<c r="{ref}"{style} t="inlineStr"><is><t>{text}</t></is></c>'
    if kind == "shared":
        return f'<c r="{ref}"{style} t="s"><v>{draw(st.integers(0, strings - 1))}</v></c>'
    if kind == "empty":
        return draw(st.sampled_from([f'<c r="{ref}"{style}/>', f'<c r="{ref}" s="3" />', f'<c r="{ref}"{style}></c>']))
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>{draw(st.sampled_from(["0", "1"]))}</v></c>'
    if kind == "error":
        return draw(st.sampled_from([f'<c r="{ref}" t="e"><v>#DIV/0!</v></c>',
                                     f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>']))
    if kind == "str":
        return draw(st.sampled_from([f'<c r="{ref}" t="str"><f>A1&amp;"x"</f><v>{text}</v></c>',
                                     f'<c r="{ref}" t="str"><v>{text}</v></c>']))
    if kind == "date":
        return f'<c r="{ref}" t="d"><v>2025-03-05T00:00:00</v></c>'
    if kind == "formula":
        return draw(st.sampled_from([f'<c r="{ref}"><f>SUM(A1:A2)</f><v /></c>', f'<c r="{ref}"><f>1+1</f><v></v></c>',
                                     f'<c r="{ref}"><f>1+1</f><v>2</v></c>', f'<c r="{ref}"><f t="shared" si="0"/></c>']))
    if kind == "rich":
        return f'<c r="{ref}" t="inlineStr"><is><r><t>{text}</t></r><r><t xml:space="preserve"> 金</t></r></is></c>'
    return draw(st.sampled_from([  # forms no common writer uses, each read as the general reader reads it
        f'<c t="n" r="{ref}"><v>1</v></c>', f'<c r="{ref}" cm="1"><v>2</v></c>', "<c><v>3</v></c>",
        f'<c r="{ref}">\n  <v>4</v>\n</c>', f'<c r="{ref}" t="inlineStr"><v>5</v></c>',
        f'<c r="{ref}"><is><t>x</t></is></c>', f'<c r="{ref}" t="inlineStr"><is><t></t></is></c>',
    ]))


@st.composite
def _sheets(draw) -> tuple[str, list[str]]:
    """A sheet's XML in the forms writers use, and a few they should not: rows repeating a
    few templates (so shapes repeat), sparse and out-of-order columns, merged blocks."""
    strings = [f"<si><t>{escape(text)}</t></si>" for text in draw(st.lists(_TEXT, max_size=4))]
    template = st.lists(st.tuples(st.sampled_from(_COLUMN_LETTERS), st.sampled_from(_KINDS), st.sampled_from(_STYLES)),
                        max_size=7)
    templates = draw(st.lists(template, min_size=1, max_size=10))
    if draw(st.booleans()):  # as writers write them, in column order
        templates = [sorted(cells, key=lambda cell: column_index(cell[0])) for cells in templates]
    rows, number = [], 0
    for cells in (templates[i] for i in draw(st.lists(st.integers(0, len(templates) - 1), max_size=40))):
        number += draw(st.sampled_from([1, 1, 1, 2, 7]))
        head = draw(st.sampled_from([f'<row r="{number}">', f'<row r="{number}">', f'<row r="{number}" spans="1:8">',
                                     f'<row spans="1:8" r="{number}">', "<row>", f'<row r="{number}"/><row r="{number + 1}">']))
        between = draw(st.sampled_from(["", "", "\n  "]))
        rows.append(between + head + "".join(_cell(draw, f"{letters}{number}", kind, style, len(strings))
                                             for letters, kind, style in cells) + "</row>")
    merges = [f'<mergeCell ref="{get_column_letter(c + 1)}{r}:{get_column_letter(c + w)}{r + h}"/>'
              for r, h, c, w in draw(st.lists(st.tuples(st.integers(1, number + 2), st.integers(0, 3),
                                                        st.integers(0, 8), st.integers(1, 3)), max_size=3))]
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(rows)
             + "</sheetData>" + (f'<mergeCells count="{len(merges)}">{"".join(merges)}</mergeCells>' if merges else "")
             + "</worksheet>")
    if draw(st.booleans()):  # <x:row> as some producers write it
        sheet = re.sub(r"<(/?)(\w+)", r"<\1x:\2", sheet).replace("xmlns=", "xmlns:x=", 1)
    return sheet, strings


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=_sheets(), chunk=st.sampled_from([16, 100, 1 << 20]), shapes_max=st.integers(1, 8),
       learned_max=st.sampled_from([0, 3, 64]))
def test_the_fast_paths_read_every_sheet_as_the_cell_by_cell_reader(tmp_path_factory, sheet, chunk, shapes_max,
                                                                     learned_max):
    path = _book_of_sheet(tmp_path_factory.mktemp("sheet") / "s.xlsx", *sheet)
    with patch.multiple(xlsx_rows, CHUNK_BYTES=chunk, SHAPES_MAX=shapes_max, SHAPES_LEARNED_MAX=learned_max):
        assert _exactly(XlsxRows(path)) == _exactly(_reference_rows(path))


_VALUES = st.one_of(
    st.none(), st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.text(st.sampled_from(list('a 1.-&<>"\'摘要收租金\t\n=')), max_size=8),
)


@pytest.mark.parametrize("text", ["45721", "-3", "007", "-0", "1234.5", "-0.25", "1E-3", "1.5E+20", " 5", "1.", ".5",
                                  "+3", "1_0", "١٢", "１２", "nan", "inf", "abc", "--5", "-", "&#49;2"])
def test_a_number_text_reads_the_same_on_every_path(tmp_path, text):
    """Row 1 is read by the findall of plain cells, rows 2 and 3 by the shape it learned."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" s="1"><v>{text}</v></c><c r="B{n}" t="str"><v>{text}</v></c>'
                   f'<c r="C{n}" t="n"><v>{text}</v></c><c r="D{n}" t="b"><v>{text}</v></c></row>' for n in (1, 2, 3))
    path = _book_of_sheet(tmp_path / "n.xlsx", f'<worksheet><sheetData>{rows}</sheetData></worksheet>')
    read = _exactly(XlsxRows(path))
    assert read == _exactly(_reference_rows(path))
    assert read[0][1] == read[1][1] == read[2][1]
    assert read[0][1][1] == repr(html.unescape(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_VALUES, max_size=8), max_size=30), write_only=st.booleans())
def test_sheets_written_by_openpyxl_read_as_the_cell_by_cell_reader(tmp_path_factory, rows, write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("凭证") if write_only else book.active
    for row in rows:
        sheet.append(row)
    path = str(tmp_path_factory.mktemp("book") / "b.xlsx")
    book.save(path)
    assert _exactly(XlsxRows(path)) == _exactly(_reference_rows(path))


def test_a_voucher_sheet_is_read_by_its_few_shapes(tmp_path):
    """Debit lines and credit lines, with and without the optional columns, integer and
    decimal amounts: after the first of each, every row is read by one match."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("凭证")
    sheet.append(["日期", "凭证号", "摘要", "科目编码", "借方金额", "贷方金额", "附件张数", "审批文号"])
    day = date(2025, 1, 1)
    for number in range(1, 301):
        amount = number * 100 if number % 7 == 0 else number * 100 + 0.25
        sheet.append([day + timedelta(days=number % 28), str(number), "收到租金 & 押金" if number % 50 == 0 else "收到租金",
                      "102", amount, None, 1, "东山村代〔2025〕1号" if number % 3 == 0 else None])
        sheet.append([day + timedelta(days=number % 28), str(number), "收到租金", "501", None, amount])
    path = str(tmp_path / "v.xlsx")
    book.save(path)
    rows_read_cell_by_cell = []
    read_cells = xlsx_rows._RowReader._read_cells

    def counted(self, row, previous):
        rows_read_cell_by_cell.append(row)
        return read_cells(self, row, previous)

    with patch.object(xlsx_rows._RowReader, "_read_cells", counted):
        rows = list(XlsxRows(path))
    assert _exactly(rows) == _exactly(_reference_rows(path))
    assert rows[1] == (2, [45659, "1", "收到租金", "102", 100.25, None, 1])
    assert rows[41] == (42, [45679, "21", "收到租金", "102", 2100, None, 1, "东山村代〔2025〕1号"])
    assert rows[99] == (100, [45680, "50", "收到租金 & 押金", "102", 5000.25, None, 1])
    # The header, the first line of each of the six shapes, and the six lines with an "&".
    assert len(rows_read_cell_by_cell) == 13
