"""The streaming XLSX reader on real files written by openpyxl: values, merged cells,
formulas without cached values, error values, dates, sparse rows."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from sanzi_ledger.errors import Refusal
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


def test_shared_strings_as_excel_writes_them(tmp_path):
    """Excel keeps text in xl/sharedStrings.xml; rebuild the sheet that way."""
    path = tmp_path / "shared.xlsx"
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2" t="s"><v>1</v></c></row>'
             '<row r="3"><c r="A3" s="1"><v>45721</v></c><c r="B3" t="s"><v>2</v></c></row></sheetData></worksheet>')
    strings = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<si><t>日期</t></si><si><r><t>摘</t></r><r><t>要</t></r></si><si><t xml:space="preserve"> 租金 </t></si></sst>')
    workbook = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="账" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", strings)
    reader = XlsxRows(str(path))
    assert reader.sheet_name == "账"
    assert list(reader) == [(1, ["日期", None, "摘要"]), (3, [45721, " 租金 "])]
    assert date(1899, 12, 30).toordinal() + 45721 == date(2025, 3, 5).toordinal()
