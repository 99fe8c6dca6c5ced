"""Money as an integer number of fen (分). Never float.

Parsed from yuan as typed by an accountant ("1200", "1200.5", "1,200.50") and
printed as yuan with two decimals and thousands separators.
"""

from __future__ import annotations

from sanzi_ledger.errors import Refusal
from sanzi_ledger.fixed_point import FixedPointError, parse_hundredths

FEN_PER_YUAN = 100
# 10^12 fen = 100 亿元: far beyond any village, so a larger figure is a typo.
AMOUNT_FEN_MAX = 10**12


def parse_yuan(text: str, *, field: str = "amount", record: str | None = None) -> int:
    """Parse a yuan amount into fen; refuse anything ambiguous."""
    try:
        fen = parse_hundredths(text)
    except FixedPointError as error:
        if error.problem == "format":
            raise Refusal("money.format", field=field, value=text, record=record) from None
        if error.problem == "decimals":
            raise Refusal("money.too_many_decimals", field=field, value=text, record=record) from None
        fen = AMOUNT_FEN_MAX + 1
    if abs(fen) > AMOUNT_FEN_MAX:
        raise Refusal("money.too_large", field=field, value=text, record=record, limit=format_yuan(AMOUNT_FEN_MAX))
    return fen


def parse_positive_yuan(text: str, *, field: str = "amount", record: str | None = None) -> int:
    fen = parse_yuan(text, field=field, record=record)
    check_positive(fen, field=field, record=record, raw=text)
    return fen


def check_positive(fen: int, *, field: str, record: str | None = None, raw: object = None) -> None:
    if fen <= 0:
        raise Refusal(
            "money.not_positive", field=field,
            value=raw if raw is not None else format_yuan(fen), record=record,
        )
    if fen > AMOUNT_FEN_MAX:
        raise Refusal(
            "money.too_large", field=field, value=raw if raw is not None else format_yuan(fen),
            record=record, limit=format_yuan(AMOUNT_FEN_MAX),
        )


def format_yuan(fen: int, *, grouping: bool = True) -> str:
    """1234567 -> '12,345.67'; negative amounts keep their sign."""
    assert isinstance(fen, int), fen
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    whole_text = f"{whole:,}" if grouping else str(whole)
    return f"{sign}{whole_text}.{part:02d}"


def json_yuan(fen: int) -> str:
    """Amounts in --json output: a string with two decimals, no grouping."""
    return format_yuan(fen, grouping=False)
