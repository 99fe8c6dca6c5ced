"""Money: integer fen inside, yuan with two decimals outside; never float."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.errors import Refusal
from sanzi_ledger.money import (
    AMOUNT_FEN_MAX,
    check_positive,
    format_yuan,
    json_yuan,
    parse_positive_yuan,
    parse_yuan,
)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1200", 120000),
        ("1200.5", 120050),
        ("1200.50", 120050),
        ("1,200.50", 120050),
        (" 3 ", 300),
        ("0.01", 1),
        ("1,234,567.89", 123456789),
        ("-45.6", -4560),
        ("10000000000", AMOUNT_FEN_MAX),  # the limit itself is allowed
    ],
)
def test_parse_yuan_accepts_yuan_as_an_accountant_types_it(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


def test_parse_yuan_refuses_a_third_decimal_as_too_many_decimals() -> None:
    with pytest.raises(Refusal) as caught:
        parse_yuan("1.234")
    assert caught.value.code == "money.too_many_decimals"


@pytest.mark.parametrize("text", ["abc", "1,20", "1,2000", "1e3", "", "   ", "1 200", "12.3.4", ".5", "+5", "¥5"])
def test_parse_yuan_refuses_malformed_text_as_a_format_error(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_yuan(text)
    assert caught.value.code == "money.format"


@pytest.mark.parametrize("text", ["１２３", "١٢٣", "1,２00", "12.３"])
def test_parse_yuan_refuses_non_ascii_digits_at_this_layer(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_yuan(text)
    assert caught.value.code == "money.format"


@pytest.mark.parametrize("text", ["10000000000.01", "-10000000000.01", "99,999,999,999"])
def test_parse_yuan_refuses_magnitudes_above_ten_to_the_twelve_fen_naming_the_limit(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_yuan(text, field="price")
    assert caught.value.code == "money.too_large"
    assert caught.value.field == "price"
    assert "10,000,000,000.00" in caught.value.render("en")


@pytest.mark.parametrize("text", ["abc", "1.234", "10000000000.01"])
def test_parse_yuan_refusal_names_the_field_record_and_value_passed_in(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_yuan(text, field="rent", record="合同 HT-7")
    refusal = caught.value
    assert (refusal.field, refusal.record, refusal.value) == ("rent", "合同 HT-7", text)
    assert refusal.render("en").startswith(f"合同 HT-7, rent={text}: ")


@pytest.mark.parametrize("text", ["0", "0.00", "-1"])
def test_parse_positive_yuan_refuses_zero_and_negative_amounts(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_positive_yuan(text, field="amount")
    assert caught.value.code == "money.not_positive"


def test_check_positive_refuses_an_amount_above_the_limit() -> None:
    with pytest.raises(Refusal) as caught:
        check_positive(AMOUNT_FEN_MAX + 1, field="debit[1]")
    assert (caught.value.code, caught.value.field) == ("money.too_large", "debit[1]")


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (120000, "1,200.00"),
        (123456789, "1,234,567.89"),
        (-5, "-0.05"),
        (-120050, "-1,200.50"),
        (-123456789, "-1,234,567.89"),
    ],
)
def test_format_yuan_prints_two_decimals_thousands_separators_and_the_sign(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


def test_json_yuan_prints_two_decimals_without_grouping() -> None:
    assert json_yuan(-123456789) == "-1234567.89"
    assert format_yuan(123456789, grouping=False) == "1234567.89"


def test_format_yuan_refuses_a_float_loudly() -> None:
    with pytest.raises(AssertionError):
        format_yuan(12.5)  # type: ignore[arg-type]


fen_in_range = st.integers(min_value=-AMOUNT_FEN_MAX, max_value=AMOUNT_FEN_MAX)


@settings(max_examples=200)
@given(fen_in_range)
def test_parse_yuan_reads_back_what_format_yuan_prints(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(json_yuan(fen)) == fen


@settings(max_examples=100)
@given(st.integers(min_value=AMOUNT_FEN_MAX + 1, max_value=10**15))
def test_parse_yuan_refuses_every_printed_amount_above_the_limit(fen: int) -> None:
    for text in (format_yuan(fen), format_yuan(-fen)):
        with pytest.raises(Refusal) as caught:
            parse_yuan(text)
        assert caught.value.code == "money.too_large"


def _reading(text: str) -> int | str:
    """What the fixed-point reader makes of `text`: hundredths, or the problem's name."""
    from sanzi_ledger.fixed_point import FixedPointError, parse_hundredths

    try:
        return parse_hundredths(text)
    except FixedPointError as error:
        return error.problem


def _decimal_reading(text: str) -> int | str:
    """The same rules, read independently with Decimal (slow, obviously right)."""
    import re
    from decimal import Decimal

    text = text.strip()
    plain = re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text)
    grouped = re.fullmatch(r"-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?", text)
    if not (plain or grouped):
        return "format"
    whole, _, frac = text.lstrip("-").replace(",", "").partition(".")
    if len(whole) > 15:
        return "large"
    if len(frac) > 2:
        return "decimals"
    return int(Decimal(text.replace(",", "")) * 100)


@settings(max_examples=500)
@given(st.text(alphabet="0123456789,.- ", max_size=22) | st.from_regex(r"\A-?[1-9][0-9]{0,2}(,[0-9]{3}){0,5}(\.[0-9]{0,3})?\Z"))
def test_the_fixed_point_reader_agrees_with_a_plain_decimal_reading(text: str) -> None:
    assert _reading(text) == _decimal_reading(text)
