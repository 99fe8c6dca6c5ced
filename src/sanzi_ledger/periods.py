"""Business dates and accounting periods: months, quarters, years.

A period as typed: `YYYY-MM`, `YYYY-Qn` or `YYYY`. Inside the program a period
is a closed range of months; a month is the string "YYYY-MM", which sorts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from functools import lru_cache

from sanzi_ledger.errors import Refusal

CHINA = timezone(timedelta(hours=8))  # business dates and recorded times are read in Beijing time; no DST

# re.ASCII: \d alone would accept full-width (２０２５) and other Unicode digits.
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
YEAR_MIN, YEAR_MAX = 1949, 2199


def parse_date(text: str, *, field: str = "date", record: str | None = None) -> date:
    text = text.strip()
    if not _DATE.match(text):
        raise Refusal("date.format", field=field, value=text, record=record)
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise Refusal("date.nonexistent", field=field, value=text, record=record) from None
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise Refusal("date.out_of_range", field=field, value=text, record=record)
    return value


@lru_cache(maxsize=8192)  # an import asks for the month of the same few hundred dates again and again
def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def parse_month(text: str, *, field: str = "period", record: str | None = None) -> str:
    text = text.strip()
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12 or not YEAR_MIN <= int(match[1]) <= YEAR_MAX:
        raise Refusal("period.month_format", field=field, value=text, record=record)
    return text


@dataclass(frozen=True)
class Period:
    """An inclusive range of months, e.g. 2025-Q1 = 2025-01..2025-03."""

    label: str
    first: str
    last: str

    @property
    def year(self) -> int:
        return int(self.first[:4])

    @property
    def first_day(self) -> date:
        return date(int(self.first[:4]), int(self.first[5:7]), 1)

    @property
    def last_day(self) -> date:
        nxt = next_month(self.last)
        return date.fromordinal(date(int(nxt[:4]), int(nxt[5:7]), 1).toordinal() - 1)

    def months(self) -> list[str]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = next_month(month)
        return out


def parse_period(text: str, *, field: str = "period") -> Period:
    text = text.strip()
    if match := _MONTH.match(text):
        month = parse_month(text, field=field)
        return Period(month, month, month)
    if (match := _QUARTER.match(text)) and YEAR_MIN <= int(match[1]) <= YEAR_MAX:
        year, q = int(match[1]), int(match[2])
        return Period(f"{year}-Q{q}", f"{year:04d}-{3 * q - 2:02d}", f"{year:04d}-{3 * q:02d}")
    if (match := _YEAR.match(text)) and YEAR_MIN <= int(match[1]) <= YEAR_MAX:
        return Period(text, f"{text}-01", f"{text}-12")
    raise Refusal("period.format", field=field, value=text)
