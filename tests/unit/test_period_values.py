"""Business dates and periods as typed: YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.errors import Refusal
from sanzi_ledger.periods import (
    YEAR_MAX,
    YEAR_MIN,
    month_of,
    next_month,
    parse_date,
    parse_month,
    parse_period,
    previous_month,
)


def test_parse_date_accepts_an_iso_date_with_surrounding_space() -> None:
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-02-29", "2025-13-01", "2025-04-31", "2025-00-10"])
def test_parse_date_refuses_a_day_missing_from_the_calendar(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_date(text, field="date", record="凭证")
    assert caught.value.code == "date.nonexistent"
    assert caught.value.value == text


@pytest.mark.parametrize("text", ["2025/01/01", "2025-1-01", "20250101", "01-01-2025", "", "2025-01-01T00:00"])
def test_parse_date_refuses_anything_but_yyyy_mm_dd_as_a_format_error(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_date(text)
    assert caught.value.code == "date.format"


@pytest.mark.parametrize("text", ["1948-12-31", "2200-01-01"])
def test_parse_date_refuses_years_outside_the_supported_range(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_date(text)
    assert caught.value.code == "date.out_of_range"


def test_parse_date_refuses_full_width_digits_as_a_format_error() -> None:
    with pytest.raises(Refusal) as caught:
        parse_date("２０２５-０１-０１")
    assert caught.value.code == "date.format"


@pytest.mark.parametrize("parse", [parse_month, parse_period])
def test_full_width_months_are_refused(parse) -> None:
    """A full-width month would compare wrongly with every ASCII month."""
    with pytest.raises(Refusal):
        parse("２０２５-０３")


@pytest.mark.parametrize("text", ["２０２５-Q1", "２０２５"])
def test_full_width_quarters_and_years_are_refused(text: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_period(text)
    assert caught.value.code == "period.format"


@pytest.mark.parametrize(
    ("text", "label", "first", "last", "last_day", "months"),
    [
        ("2025-03", "2025-03", "2025-03", "2025-03", date(2025, 3, 31), 1),
        ("2024-02", "2024-02", "2024-02", "2024-02", date(2024, 2, 29), 1),
        ("2023-02", "2023-02", "2023-02", "2023-02", date(2023, 2, 28), 1),
        ("2025-12", "2025-12", "2025-12", "2025-12", date(2025, 12, 31), 1),
        ("2025-Q1", "2025-Q1", "2025-01", "2025-03", date(2025, 3, 31), 3),
        ("2025-Q2", "2025-Q2", "2025-04", "2025-06", date(2025, 6, 30), 3),
        ("2025-q3", "2025-Q3", "2025-07", "2025-09", date(2025, 9, 30), 3),
        ("2025-Q4", "2025-Q4", "2025-10", "2025-12", date(2025, 12, 31), 3),
        ("2024", "2024", "2024-01", "2024-12", date(2024, 12, 31), 12),
    ],
)
def test_parse_period_gives_first_and_last_month_and_last_day(
    text: str, label: str, first: str, last: str, last_day: date, months: int,
) -> None:
    period = parse_period(text)
    assert (period.label, period.first, period.last, period.last_day) == (label, first, last, last_day)
    assert period.first_day == date(int(first[:4]), int(first[5:]), 1)
    assert period.months()[0] == first and period.months()[-1] == last
    assert len(period.months()) == months
    assert period.year == int(first[:4])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2025-13", "period.month_format"),
        ("2025-00", "period.month_format"),
        ("1900-01", "period.month_format"),
        ("2025-Q5", "period.format"),
        ("2025-Q0", "period.format"),
        ("2025-1", "period.format"),
        ("25", "period.format"),
        ("1800", "period.format"),
        ("", "period.format"),
    ],
)
def test_parse_period_refuses_what_is_not_a_month_quarter_or_year(text: str, code: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_period(text, field="period")
    assert caught.value.code == code


months = st.builds(
    lambda year, month: f"{year:04d}-{month:02d}",
    st.integers(min_value=YEAR_MIN + 1, max_value=YEAR_MAX - 1),
    st.integers(min_value=1, max_value=12),
)


@settings(max_examples=200)
@given(months)
def test_next_and_previous_month_undo_each_other_and_keep_string_order(month: str) -> None:
    assert previous_month(next_month(month)) == month
    assert next_month(previous_month(month)) == month
    assert previous_month(month) < month < next_month(month)
    assert parse_month(next_month(month)) == next_month(month)


@settings(max_examples=200)
@given(months)
def test_the_day_after_a_months_last_day_falls_in_the_next_month(month: str) -> None:
    period = parse_period(month)
    assert month_of(period.last_day) == month
    assert month_of(period.last_day + timedelta(days=1)) == next_month(month)
