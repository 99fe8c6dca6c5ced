"""Cells as messy 台账 hold them: each read as meant, or refused with the rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanzi_ledger.domain import imports
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io import cells
from sanzi_ledger.io.cells import Problem
from sanzi_ledger.io.sources import detect_encoding, header_key
from sanzi_ledger.money import format_yuan


@pytest.mark.parametrize(("cell", "fen"), [
    ("1200", 120000), ("1,200.50", 120050), ("１２００", 120000), ("１，２００．５", 120050),
    ("1200元", 120000), ("¥1,200.00", 120000), ("￥12", 1200), (" 12.3 ", 1230), (12, 1200),
    (1234.56, 123456), (0.1 + 0.2, 30), (1e3, 100000), ("\u3000８\u3000", 800),
])
def test_amount_cells_are_read_in_fen(cell, fen):
    assert cells.amount_fen(cell, field="借方金额") == fen


@pytest.mark.parametrize(("cell", "code"), [
    ("12.345", "money.too_many_decimals"), (12.345, "money.too_many_decimals"), ("abc", "money.format"),
    ("1.2.3", "money.format"), ("１２万", "money.format"), (True, "money.format"), ("", "text.empty"),
    (float("nan"), "money.format"), (float("inf"), "money.format"),
    (Problem("=SUM(E2:E3)", formula=True), "import.formula_uncached"), (Problem("#DIV/0!", formula=False), "import.cell_error"),
])
def test_bad_amount_cells_are_refused_with_their_rule(cell, code):
    with pytest.raises(Refusal) as refused:
        cells.amount_fen(cell, field="借方金额")
    assert refused.value.code == code and refused.value.field == "借方金额"


def test_a_blank_amount_is_zero_only_where_the_column_allows_it():
    assert cells.amount_fen(None, field="贷方金额", blank_is_zero=True) == 0
    assert cells.amount_fen("  ", field="贷方金额", blank_is_zero=True) == 0


@pytest.mark.parametrize("cell", [
    "2025-03-05", "2025/3/5", "2025年3月5日", "２０２５年３月５日", "2025.3.5", "20250305", " 2025-3-5 ",
    "2025-03-05 00:00:00", 45721, 45721.0, "45721", date(2025, 3, 5), datetime(2025, 3, 5, 0, 0),
])
def test_date_cells_in_every_form_people_type(cell):
    assert cells.day(cell, field="日期") == date(2025, 3, 5)


@pytest.mark.parametrize(("cell", "code"), [
    ("2025-02-30", "date.nonexistent"), ("2025年13月1日", "date.nonexistent"), ("三月五日", "import.date_format"),
    (45721.5, "import.date_serial"), (-3, "import.date_serial"), ("1900-01-01", "date.out_of_range"), (None, "text.empty"),
    ("2025-03-05 08:30", "import.date_format"),
])
def test_bad_dates_are_refused_with_their_rule(cell, code):
    with pytest.raises(Refusal) as refused:
        cells.day(cell, field="日期")
    assert refused.value.code == code


def test_text_and_codes_lose_surrounding_spaces_and_full_width_digits():
    assert cells.text("  收到租金 \u3000") == "收到租金"
    assert cells.code(" １０２ ") == "102"
    assert cells.code(112001.0) == "112001"
    assert cells.count("２张", field="附件张数", maximum=999) == 2
    with pytest.raises(Refusal):
        cells.count("-1", field="附件张数", maximum=999)
    assert cells.flag("是", field="专项") and not cells.flag("否", field="专项") and not cells.flag(None, field="专项")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_any_amount_printed_as_yuan_reads_back_to_the_same_fen(fen):
    assert cells.amount_fen(format_yuan(fen), field="金额") == fen
    assert cells.amount_fen(format_yuan(fen) + "元", field="金额") == fen


@given(st.floats(min_value=-1e10, max_value=1e10, allow_nan=False))
def test_a_number_cell_reads_as_its_decimal_reading_says(value):
    """The float fast path in `cells._float_fen` agrees with reading the cell's decimal text."""
    from decimal import Decimal

    exact = Decimal(repr(value)) * 100
    fen = int(exact.to_integral_value())
    if abs(exact - fen) > Decimal("0.0001"):
        with pytest.raises(Refusal) as refused:
            cells.amount_fen(value, field="金额")
        assert refused.value.code == "money.too_many_decimals"
    else:
        assert cells.amount_fen(value, field="金额") == fen


@given(st.integers(min_value=-10**11, max_value=10**11))
def test_a_number_cell_of_whole_fen_reads_back_to_the_same_fen(fen):
    assert cells.amount_fen(fen / 100, field="金额") == fen


def test_headers_match_without_marks_units_or_full_width_brackets():
    assert header_key(" 借方金额（元）* ") == "借方金额"
    assert header_key("面积（亩）") == "面积"


def test_encodings_are_detected_or_refused():
    text = "日期,凭证号,摘要,科目编码,借方金额,贷方金额\n2025-01-05,1,收到东山村土地承包费,102,1200,\n" * 20
    assert detect_encoding(text.encode("utf-8"), final=True) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + text.encode("utf-8"), final=True) == "utf-8-sig"
    assert detect_encoding(text.encode("gbk"), final=True) == "gb18030"
    assert detect_encoding(text.encode("gb18030"), final=True) == "gb18030"
    with pytest.raises(Refusal) as refused:
        detect_encoding(bytes(range(128, 256)) * 3, final=True)
    assert refused.value.code == "import.encoding_unsure"


def test_a_fingerprint_depends_on_every_part_and_on_nothing_else():
    base = imports.fingerprint("vouchers", "330100001", ("1", "2025-01-05", "租金", (("102", "debit", 100),)))
    assert base == imports.fingerprint("vouchers", "330100001", ("1", "2025-01-05", "租金", (("102", "debit", 100),)))
    assert len(base) == imports.FINGERPRINT_CHARS
    for changed in (("2", "2025-01-05", "租金", (("102", "debit", 100),)),
                    ("1", "2025-01-06", "租金", (("102", "debit", 100),)),
                    ("1", "2025-01-05", "租金", (("102", "debit", 101),))):
        assert imports.fingerprint("vouchers", "330100001", changed) != base
    assert imports.fingerprint("vouchers", "330100002", ("1", "2025-01-05", "租金", (("102", "debit", 100),))) != base
