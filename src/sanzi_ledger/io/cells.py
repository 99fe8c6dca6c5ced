"""One cell of an imported sheet, as a clean value: text, fen, a date, a count.

Real 台账 arrive messy: trailing spaces, full-width digits (１２３), amounts with
元 or ¥ or thousands commas, dates typed as 2025年3月5日 or 2025/3/5 or kept by
Excel as serial numbers. Each reader here either returns the value it clearly
means or raises a `Refusal` naming the rule; it never guesses. The money and
date rules themselves stay in `money.py` and `periods.py`: this module only
brings a cell into their notation first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sanzi_ledger.errors import Refusal
from sanzi_ledger.money import format_yuan, parse_yuan
from sanzi_ledger.periods import parse_date


class Problem:
    """A cell the sheet itself marks unusable: an error value (#DIV/0!) or a
    formula saved without its computed value. Reading it raises its refusal."""

    __slots__ = ("formula", "raw")

    def __init__(self, raw: str, *, formula: bool) -> None:
        self.raw, self.formula = raw, formula

    def __repr__(self) -> str:
        return f"Problem({self.raw!r}, formula={self.formula})"

    def refuse(self, field: str) -> Refusal:
        if self.formula:
            return Refusal("import.formula_uncached", field=field, value=self.raw)
        return Refusal("import.cell_error", field=field, value=self.raw)


Cell = str | int | float | date | datetime | bool | Problem | None

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 1, 2_958_465  # 1900-01-01 .. 9999-12-31
# 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日; a zero time of day (a CSV saved by a database) is allowed.
_CJK_DATE = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00)?)?$", re.ASCII)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_CURRENCY = ("¥", "￥", "RMB", "CNY")
# A float read back from a sheet (a formula's cached value, 0.1 + 0.2) may
# carry binary noise; closer than this to a whole fen it is that fen.
_FEN_NOISE = Decimal("0.000001")


def is_blank(value: Cell) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def narrow(text: str) -> str:
    """Full-width digits, letters and punctuation (１２３，．－) to their ASCII forms."""
    return unicodedata.normalize("NFKC", text).strip()


def text(value: Cell, *, field: str = "") -> str:
    """A text cell: surrounding (also full-width) spaces removed; numbers as typed."""
    if type(value) is str:
        return value.strip().strip("\u3000").strip()
    if value is None:
        return ""
    if isinstance(value, Problem):
        raise value.refuse(field)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an account code or number Excel stored as 112001.0
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip().strip("\u3000").strip()


def code(value: Cell, *, field: str = "") -> str:
    """A code or number (科目编码, 合同编号): text with full-width characters narrowed."""
    return narrow(text(value, field=field))


def amount_fen(value: Cell, *, field: str, blank_is_zero: bool = False) -> int:
    """Yuan to fen: 1200, "1,200.50", "１２００元", "¥1200", or a number cell."""
    if type(value) is str and value.isascii() and value[:1].isdigit() and value[-1:].isdigit():
        return parse_yuan(value, field=field)  # the common cell, "1,200.50": straight to the money rule
    if isinstance(value, Problem):
        raise value.refuse(field)
    if is_blank(value):
        if blank_is_zero:
            return 0
        raise Refusal("text.empty", field=field, value="")
    if isinstance(value, bool):
        raise Refusal("money.format", field=field, value=text(value))
    if isinstance(value, int):
        return parse_yuan(str(value), field=field)
    if isinstance(value, float):
        return _float_fen(value, field=field)
    typed = str(value)
    raw = typed.strip() if typed.isascii() else narrow(typed)
    if not raw[0].isdigit():
        for sign in _CURRENCY:
            raw = raw.removeprefix(sign)
    try:
        return parse_yuan(raw.removesuffix("元").strip(), field=field)
    except Refusal as refusal:
        refusal.value = typed.strip()  # name the cell as the accountant typed it
        raise


def _float_fen(value: float, *, field: str) -> int:
    if abs(value) < 1e9:  # also false for NaN
        # The common case, without Decimal: this close to a whole fen, and far below the
        # money limit, the exact reading below gives the same fen (float error here < 1e-4 fen).
        scaled = value * 100
        fen = round(scaled)
        if abs(scaled - fen) < 1e-6:
            return fen
    if not math.isfinite(value):  # NaN or infinity from a broken cell: not an amount
        raise Refusal("money.format", field=field, value=repr(value))
    exact = Decimal(repr(value))
    fen = (exact * 100).to_integral_value()
    if abs(exact * 100 - fen) > _FEN_NOISE * 100:
        raise Refusal("money.too_many_decimals", field=field, value=repr(value))
    return parse_yuan(format_yuan(int(fen), grouping=False), field=field)


def day(value: Cell, *, field: str) -> date:
    """A date: a date cell, an Excel serial number, 2025-03-05, 2025/3/5, 2025年3月5日, 20250305."""
    if isinstance(value, Problem):
        raise value.refuse(field)
    if is_blank(value):
        raise Refusal("text.empty", field=field, value="")
    if isinstance(value, datetime):
        return parse_date(value.date().isoformat(), field=field)
    if isinstance(value, date):
        return parse_date(value.isoformat(), field=field)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value, field=field)
    raw = narrow(str(value))
    match = _CJK_DATE.match(raw) or _COMPACT_DATE.match(raw)
    if match:
        year, month, dd = (int(part) for part in match.groups())
        return parse_date(f"{year:04d}-{month:02d}-{dd:02d}", field=field)
    try:  # a serial number that arrived as text (a CSV saved from Excel)
        serial = Decimal(raw)
    except InvalidOperation:
        raise Refusal("import.date_format", field=field, value=raw) from None
    return _serial(float(serial), field=field)


def _serial(value: float, *, field: str) -> date:
    if not float(value).is_integer() or not _SERIAL_MIN <= value <= _SERIAL_MAX:
        raise Refusal("import.date_serial", field=field, value=repr(value))
    return parse_date((_EXCEL_EPOCH + timedelta(days=int(value))).isoformat(), field=field)


def count(value: Cell, *, field: str, maximum: int) -> int:
    """A small whole number (附件张数): blank is 0."""
    if is_blank(value):
        return 0
    raw = narrow(text(value, field=field)).removesuffix("张").strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) > maximum:
        raise Refusal("import.count", field=field, value=text(value), limit=maximum)
    return int(raw)


def flag(value: Cell, *, field: str) -> bool:
    """是/否 (also Y/N, 1/0, TRUE/FALSE): blank is no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raw = narrow(text(value, field=field)).upper()
    if raw in ("是", "Y", "YES", "1", "TRUE", "√"):
        return True
    if raw in ("否", "N", "NO", "0", "FALSE", "×", ""):
        return False
    raise Refusal("import.flag", field=field, value=text(value))


def choice(value: Cell, *, field: str, allowed: dict[str, str]) -> str:
    """An enumeration cell: its Chinese (or code) word -> the stored code."""
    raw = text(value, field=field)
    if raw in allowed:
        return allowed[raw]
    raise Refusal("import.choice", field=field, value=raw, allowed="、".join(dict.fromkeys(allowed)))
