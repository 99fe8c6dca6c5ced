"""The published files (XLSX, CSV, PDF): they read back to the table, print on A4, and leak nothing.

Every sample publication is rendered once per module into a temporary folder;
the tests read those files back with independent readers (openpyxl, the csv
module, pypdf) and compare them with the document.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sanzi_ledger.money import format_yuan
from sanzi_ledger.publish import fonts
from sanzi_ledger.publish.csv_out import write_csv
from sanzi_ledger.publish.document import Publication, Section
from sanzi_ledger.publish.pdf import write_pdf
from sanzi_ledger.publish.xlsx import write_xlsx
from tests.publish_samples import (
    MASKED_ID,
    MASKED_PHONE,
    debts,
    other,
    sample_publications,
)

UTF8_BOM = b"\xef\xbb\xbf"
UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
USCC = "0-9A-HJ-NPQRTUWXY"  # GB 32100: no I, O, S, V, Z
UNMASKED_CREDIT_CODE = re.compile(rf"(?<![0-9A-Za-z])[{USCC}]{{2}}\d{{6}}[{USCC}]{{10}}(?![0-9A-Za-z])")
UNMASKED_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
RAW_ID = "11010519491231002X"  # a valid 身份证号 (check digit X)
RAW_CREDIT_CODE = "91350100M000100Y43"  # a valid 统一社会信用代码
RAW_PHONE = "13812345678"


@dataclass(frozen=True)
class Rendered:
    pub: Publication
    xlsx: Path
    csvs: list[Path]
    pdf: Path


def render(pub: Publication, folder: Path) -> Rendered:
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, pdf = folder / f"{pub.number}.xlsx", folder / f"{pub.number}.pdf"
    write_xlsx(pub, xlsx)
    write_pdf(pub, pdf)
    return Rendered(pub, xlsx, write_csv(pub, folder), pdf)


def with_sections(pub: Publication, *sections: Section) -> Publication:
    doc = pub.document.model_copy(update={"sections": sections})
    return pub.model_copy(update={"document": doc, "content_hash": doc.content_hash()})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    root = tmp_path_factory.mktemp("files")
    return [render(pub, root / f"{i}") for i, pub in enumerate(sample_publications())]


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    meta = reader.metadata or {}
    return "\n".join([*(page.extract_text() for page in reader.pages), *(str(v) for v in meta.values())])


def xlsx_text(path: Path) -> str:
    """Every part of the package as text: cells, headers and footers, properties."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith((".xml", ".rels")))


def table_rows(ws) -> tuple[int, list[tuple]]:
    """The heading row (the one printed on every page) and every row below it."""
    heading = int(ws.print_title_rows.split(":")[0].lstrip("$"))
    return heading, [tuple(c.value for c in row) for row in ws.iter_rows(min_row=heading)]


def expected_xlsx(value, kind: str):
    if value is None or value == "":
        return None
    if kind in ("money", "area") and isinstance(value, int):
        return Decimal(value).scaleb(-2)
    return value


def as_decimal(value):
    return Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, (int, float)) else value


# --- XLSX ---------------------------------------------------------------------------

def test_xlsx_has_one_sheet_per_section_then_the_review(rendered: list[Rendered]) -> None:
    for r in rendered:
        wb = openpyxl.load_workbook(r.xlsx)
        assert wb.sheetnames == [s.title for s in r.pub.document.sections] + ["审核意见"]
        assert all(len(name) <= 31 for name in wb.sheetnames)


def test_xlsx_reads_back_equal_to_the_table_money_as_exact_decimals(rendered: list[Rendered]) -> None:
    for r in rendered:
        wb = openpyxl.load_workbook(r.xlsx)
        for section, ws in zip(r.pub.document.sections, wb.worksheets, strict=False):
            _, rows = table_rows(ws)
            assert rows[0] == tuple(c.title for c in section.columns)
            body = list(section.rows) + ([section.totals] if section.rows and section.totals else [])
            for got, want in zip(rows[1:], body, strict=False):
                kinds = [c.kind for c in section.columns]
                assert [as_decimal(v) if k in ("money", "area") else v for v, k in zip(got, kinds, strict=True)] \
                    == [expected_xlsx(v, k) for v, k in zip(want, kinds, strict=True)], section.title
            if section.rows:
                assert len(rows) - 1 == len(body) + (1 if section.note else 0)
                if section.totals:
                    assert rows[len(body)][0] == "合计"
            else:
                assert rows[1][0] == section.note == "本期无发生额"


def test_xlsx_money_area_and_count_cells_are_numbers_with_their_formats(rendered: list[Rendered]) -> None:
    pub = rendered[1].pub
    wb = openpyxl.load_workbook(rendered[1].xlsx)
    seen = set()
    for section, ws in zip(pub.document.sections, wb.worksheets, strict=False):
        heading, _ = table_rows(ws)
        for i, column in enumerate(section.columns, start=1):
            for row_index, values in enumerate(section.rows, start=heading + 1):
                cell = ws.cell(row=row_index, column=i)
                if isinstance(values[i - 1], int):
                    assert cell.data_type == "n"
                    assert cell.number_format == {"money": "#,##0.00", "area": "0.00", "count": "#,##0"}[column.kind]
                    seen.add(column.kind)
    assert seen == {"money", "area", "count"}
    # the stored text is the exact decimal: 1,234.56 is "1234.56", never 1234.5599999
    with zipfile.ZipFile(rendered[1].xlsx) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>123.45</v>" in sheet and "<v>865.4</v>" in sheet


def test_xlsx_headings_and_totals_are_bold_and_the_heading_row_frozen(rendered: list[Rendered]) -> None:
    wb = openpyxl.load_workbook(rendered[1].xlsx)
    ws = wb.worksheets[0]
    heading, rows = table_rows(ws)
    assert all(c.font.b for c in ws[heading])
    totals_row = heading + len(rows) - 1
    assert ws.cell(row=totals_row, column=1).value == "合计"
    assert all(c.font.b for c in ws[totals_row])
    assert ws.freeze_panes == f"A{heading + 1}"


def test_xlsx_prints_on_a4_fit_to_width_with_headings_repeated_and_page_numbers(rendered: list[Rendered]) -> None:
    wb = openpyxl.load_workbook(rendered[1].xlsx)
    for ws in wb.worksheets:
        heading, _ = table_rows(ws)
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows.replace("$", "") == f"{heading}:{heading}"
        assert ws.print_area
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert "核对码" in ws.oddFooter.right.text
    assert wb["四、合同履行情况"].page_setup.orientation == "landscape"  # eight columns


def test_xlsx_narrow_sheet_prints_portrait(tmp_path: Path) -> None:
    pub = with_sections(sample_publications()[3],
                        other([("河长制巡河", "本季度巡河26次", None, "")]))
    write_xlsx(pub, tmp_path / "narrow.xlsx")
    assert openpyxl.load_workbook(tmp_path / "narrow.xlsx").worksheets[0].page_setup.orientation == "portrait"


def test_xlsx_header_block_names_village_period_board_dates_and_digests(rendered: list[Rendered]) -> None:
    for r in rendered:
        pub, doc = r.pub, r.pub.document
        ws = openpyxl.load_workbook(r.xlsx).worksheets[0]
        heading, _ = table_rows(ws)
        block = "\n".join(str(ws.cell(row=i, column=1).value or "") for i in range(1, heading))
        for part in (doc.title, doc.collective_name, doc.township, doc.board_location, doc.period_label,
                     pub.seal_digest, pub.content_hash, pub.short_digest, pub.number):
            assert part in block, part
        assert "公开日期" in block and "张贴至" in block
        assert ("更正公开" in block) == bool(doc.corrects)


def test_xlsx_same_publication_same_bytes(tmp_path: Path) -> None:
    pub = sample_publications()[0]
    write_xlsx(pub, tmp_path / "a.xlsx")
    write_xlsx(pub, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    props = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert props.created == props.modified
    assert props.created.isoformat() == "2025-03-06T01:00:00"  # 09:00 +08:00 as UTC


def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://x","点我")'
    pub = with_sections(sample_publications()[0],
                        other([(formula, "+86 说明", 100, "@SUM(1)")]))
    write_xlsx(pub, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]
    heading, rows = table_rows(ws)
    assert rows[1][0] == formula and ws.cell(row=heading + 1, column=1).data_type == "s"
    assert "<f>" not in xlsx_text(tmp_path / "f.xlsx")


# --- CSV ----------------------------------------------------------------------------

def test_csv_one_file_per_section_named_number_and_key(rendered: list[Rendered]) -> None:
    for r in rendered:
        assert [p.name for p in r.csvs] == [f"{r.pub.number}-{s.key}.csv" for s in r.pub.document.sections]


def test_csv_is_utf8_with_bom_and_crlf_and_reads_back_to_the_cells(rendered: list[Rendered]) -> None:
    for r in rendered:
        for section, path in zip(r.pub.document.sections, r.csvs, strict=True):
            data = path.read_bytes()
            assert data.startswith(UTF8_BOM)
            assert data.count(b"\r\n") == data.count(b"\n")  # every line ends CRLF
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
            assert rows[0] == [c.title for c in section.columns]
            expected = [[_csv_cell(v, c.kind) for v, c in zip(row, section.columns, strict=True)]
                        for row in section.rows]
            if section.rows and section.totals:
                expected.append([_csv_cell(v, c.kind) for v, c in zip(section.totals, section.columns, strict=True)])
            if section.note:
                expected.append([section.note] + [""] * (len(section.columns) - 1))
            assert rows[1:] == expected, section.title
            if section.rows and section.totals:
                assert rows[len(section.rows) + 1][0] == "合计"


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and kind in ("money", "area"):
        return format_yuan(value, grouping=False)
    return str(value)


def test_csv_amounts_have_two_decimals_and_no_grouping(rendered: list[Rendered]) -> None:
    text = rendered[1].csvs[0].read_bytes().decode("utf-8-sig")
    assert "12000.00" in text and "123.45" in text and "98123.45" in text
    assert "12,000.00" not in text


def test_csv_guards_formula_injection_but_not_negative_amounts(tmp_path: Path) -> None:
    evil = ["=1+2", "+86 138", "-cmd", "@SUM(A1)", "\tx", "\ry"]
    pub = with_sections(sample_publications()[0],
                        other([(e, "说明", -1250, "") for e in evil]))
    (path,) = write_csv(pub, tmp_path)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:1 + len(evil)]] == ["'" + e for e in evil]
    assert all(r[2] == "-12.50" for r in rows[1:1 + len(evil)])


def test_csv_refuses_a_number_that_is_a_path(tmp_path: Path) -> None:
    pub = sample_publications()[0].model_copy(update={"number": "../GK-1"})
    with pytest.raises(ValueError, match="file name"):
        write_csv(pub, tmp_path)


# --- PDF ----------------------------------------------------------------------------

def test_pdf_text_shows_the_chinese_title_village_sections_and_amounts(rendered: list[Rendered]) -> None:
    for r in rendered:
        doc = r.pub.document
        text = pdf_text(r.pdf)
        for part in (doc.title, doc.collective_name, doc.township, doc.board_location, r.pub.short_digest,
                     *(s.title for s in doc.sections), "审核意见", "公开日期", "张贴至"):
            assert part in text, part
        flat = re.sub(r"\s", "", text)
        assert r.pub.seal_digest in flat and r.pub.content_hash in flat
        for signoff in r.pub.signoffs:
            assert signoff.name in text and signoff.opinion in text
    assert "12,000.00" in pdf_text(rendered[1].pdf)
    assert "98,123.45" in pdf_text(rendered[1].pdf)  # the totals row


def test_pdf_marks_a_correction_and_only_a_correction(rendered: list[Rendered]) -> None:
    for r in rendered:
        text = pdf_text(r.pdf)
        assert ("更正公开" in text) == bool(r.pub.document.corrects)
        if r.pub.document.corrects:
            assert r.pub.document.corrects in text


def test_pdf_embeds_every_font_it_uses(rendered: list[Rendered]) -> None:
    for r in rendered:
        for page in PdfReader(r.pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                if font["/Subtype"] == "/Type0":
                    font = font["/DescendantFonts"][0].get_object()
                descriptor = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font["/BaseFont"]
                assert "+" in font["/BaseFont"]  # a subset


def test_pdf_is_a4_with_page_numbers_and_the_qr_code(rendered: list[Rendered]) -> None:
    for r in rendered:
        reader = PdfReader(r.pdf)
        for number, page in enumerate(reader.pages, start=1):
            size = sorted(round(float(v) * 25.4 / 72) for v in page.mediabox[2:])
            assert size == [210, 297]
            assert f"第 {number} 页 / 共 {len(reader.pages)} 页" in page.extract_text()
        last = reader.pages[-1]
        assert last.images, "the QR code"
        assert f"sanzi:{r.pub.number}:{r.pub.content_hash}" in re.sub(r"\s", "", last.extract_text())


def test_pdf_turns_landscape_for_wide_tables_only(rendered: list[Rendered], tmp_path: Path) -> None:
    wide = PdfReader(rendered[1].pdf).pages[0].mediabox
    assert float(wide.width) > float(wide.height)
    pub = with_sections(sample_publications()[3], other([("河长制巡河", "本季度巡河26次", None, "")]))
    write_pdf(pub, tmp_path / "narrow.pdf")
    narrow = PdfReader(tmp_path / "narrow.pdf").pages[0].mediabox
    assert float(narrow.width) < float(narrow.height)


def test_pdf_qr_code_may_carry_the_online_address(tmp_path: Path) -> None:
    pub = sample_publications()[0]
    url = "https://gk.example.gov.cn/qingshi/dongshan/GK-2025-02-001.html"
    write_pdf(pub, tmp_path / "u.pdf", qr_url=url)
    text = pdf_text(tmp_path / "u.pdf")
    assert "扫码查看网上公开版" in text and url in re.sub(r"\s", "", text)


def test_pdf_same_publication_same_bytes_dated_at_publication(tmp_path: Path) -> None:
    pub = sample_publications()[0]
    write_pdf(pub, tmp_path / "a.pdf")
    write_pdf(pub, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    meta = PdfReader(tmp_path / "a.pdf").metadata
    assert meta.creation_date == datetime.fromisoformat(pub.published_at)
    assert meta.title == pub.document.title


def test_pdf_draws_no_character_missing_from_its_font(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        write_pdf(sample_publications()[2], tmp_path / "c.pdf")
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


def test_pdf_long_pages_repeat_the_section_heading(tmp_path: Path) -> None:
    pub = sample_publications()[0]
    section = pub.document.sections[0]
    rows = tuple(section.rows[i % len(section.rows)] for i in range(120))
    long = section.model_copy(update={"rows": rows, "totals": None})
    write_pdf(with_sections(pub, long), tmp_path / "long.pdf")
    pages = PdfReader(tmp_path / "long.pdf").pages
    assert len(pages) >= 3
    assert "一、财务收支明细（续）" in pages[1].extract_text()
    assert "对方单位/个人" in pages[1].extract_text()


def test_pdf_prints_a_character_the_font_lacks_as_a_geta_mark(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    pub = with_sections(sample_publications()[0], other([("王\U0001F600明\t补助", "说明", 100, "")]))
    with caplog.at_level(logging.WARNING):
        write_pdf(pub, tmp_path / "g.pdf")
    assert "王〓明 补助" in pdf_text(tmp_path / "g.pdf")
    assert any("\U0001F600" in r.getMessage() for r in caplog.records)


def test_pdf_on_a_machine_with_only_the_font_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged = fonts._packaged_font()
    assert packaged is not None, f"pip install {fonts.FONT_PACKAGE}"
    monkeypatch.setattr(fonts, "cjk_font_path", lambda: packaged)
    pub = sample_publications()[1]
    write_pdf(pub, tmp_path / "p.pdf")
    text = pdf_text(tmp_path / "p.pdf")
    assert pub.document.title in text and "12,000.00" in text and MASKED_ID in text


# --- the font ------------------------------------------------------------------------

def test_font_package_ships_a_usable_chinese_font(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    packaged = fonts._packaged_font()
    assert packaged is not None and packaged.is_file(), f"pip install {fonts.FONT_PACKAGE}"
    missing = fonts.write_subset_font(["东山村 骨 1,234.56"], tmp_path / "s.ttf", source=packaged)
    assert not missing
    subset = TTFont(tmp_path / "s.ttf")
    assert "glyf" in subset and set("东山村骨") <= {chr(cp) for cp in subset.getBestCmap()}
    # the TC file draws 骨 the Taiwanese way; the subset takes the simplified-Chinese form
    tc_default = TTFont(packaged, lazy=True).getBestCmap()[ord("骨")]
    assert fonts._source(packaged).cmap[ord("骨")] != tc_default


def test_no_font_is_a_clear_error_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "SYSTEM_FONT_DIRS", ())
    monkeypatch.setattr(fonts, "_packaged_font", lambda: None)
    fonts.cjk_font_path.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="cvttf-notosanscjk-regular"):
            fonts.cjk_font_path()
    finally:
        fonts.cjk_font_path.cache_clear()


# --- privacy ------------------------------------------------------------------------

def published_text(r: Rendered) -> dict[str, str]:
    return {"pdf": pdf_text(r.pdf), "xlsx": xlsx_text(r.xlsx),
            "csv": "\n".join(p.read_bytes().decode("utf-8-sig") for p in r.csvs)}


def leaks(text: str) -> list[str]:
    return [m.group() for pattern in (UNMASKED_ID, UNMASKED_CREDIT_CODE, UNMASKED_PHONE)
            for m in pattern.finditer(text)]


def test_no_published_file_holds_an_unmasked_identifier(rendered: list[Rendered]) -> None:
    for r in rendered:
        for kind, text in published_text(r).items():
            assert leaks(text) == [], f"{r.pub.number} {kind}"
    dongshan = published_text(rendered[1])
    for kind, text in dongshan.items():  # the masked forms are there: the scan reads the right text
        assert MASKED_ID in text and MASKED_PHONE in text, kind


def test_the_privacy_scan_finds_a_raw_identifier_in_every_format(tmp_path: Path) -> None:
    # Renderers print what the document holds; masking happens before. This proves
    # the scan above would see a leak in each kind of file.
    pub = with_sections(sample_publications()[0], debts([
        ("应收款", "甲", RAW_ID, 100, "2025-01-01", "1年以内", ""),
        ("应收款", "乙公司", RAW_CREDIT_CODE, 100, "2025-01-01", "1年以内", ""),
        ("应收款", "丙", RAW_PHONE, 100, "2025-01-01", "1年以内", ""),
    ]))
    r = render(pub, tmp_path)
    for kind, text in published_text(r).items():
        assert {RAW_ID, RAW_CREDIT_CODE, RAW_PHONE} <= set(leaks(text)), kind
