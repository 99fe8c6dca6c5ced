"""Instalment schedules (收款/付款计划) of contracts and leases, and what is overdue.

Money received is applied to instalments in due order, so "overdue" means the
oldest instalment that is due and not yet covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sanzi_ledger.errors import Refusal
from sanzi_ledger.money import AMOUNT_FEN_MAX, check_positive, format_yuan

INSTALMENTS_MAX = 600  # 50 years of monthly rent
Per = Literal["year", "quarter", "month", "term"]
PERS: tuple[str, ...] = ("year", "quarter", "month", "term")
_MONTHS_PER = {"year": 12, "quarter": 3, "month": 1}


class Instalment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    due: date
    amount_fen: int


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):  # clamp 31 Jan + 1 month to the month's end
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


def years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


def check_term(start: date, end: date, *, record: str) -> None:
    if end <= start:
        raise Refusal("term.end_before_start", field="end", value=end.isoformat(), record=record, start=start.isoformat())


def periodic(start: date, end: date, rent_fen: int, per: str, *, record: str) -> tuple[Instalment, ...]:
    """One instalment at the start of each period from `start` until `end` (预收)."""
    if per not in PERS:
        raise Refusal("schedule.per", field="per", value=per, record=record, allowed="|".join(PERS))
    check_positive(rent_fen, field="rent", record=record)
    if per == "term":
        return (Instalment(due=start, amount_fen=rent_fen),)
    out, index = [], 0
    while (due := add_months(start, index * _MONTHS_PER[per])) < end:
        out.append(Instalment(due=due, amount_fen=rent_fen))
        index += 1
        if len(out) > INSTALMENTS_MAX:
            raise Refusal("schedule.too_many", field="per", value=per, record=record, limit=INSTALMENTS_MAX)
    return tuple(out)


def check_schedule(schedule: tuple[Instalment, ...], *, start: date, end: date, record: str) -> int:
    """Every instalment positive and within the term; returns the total."""
    if not schedule:
        raise Refusal("schedule.empty", field="due", value=None, record=record)
    if len(schedule) > INSTALMENTS_MAX:
        raise Refusal("schedule.too_many", field="due", value=len(schedule), record=record, limit=INSTALMENTS_MAX)
    for index, item in enumerate(schedule, start=1):
        check_positive(item.amount_fen, field=f"due[{index}]", record=record)
        if not start <= item.due <= end:
            raise Refusal("schedule.outside_term", field=f"due[{index}]", value=item.due.isoformat(), record=record,
                          start=start.isoformat(), end=end.isoformat())
    total = sum(item.amount_fen for item in schedule)
    if total > AMOUNT_FEN_MAX:
        raise Refusal("money.too_large", field="due", value=format_yuan(total), record=record, limit=format_yuan(AMOUNT_FEN_MAX))
    return total


def check_receipt(amount_fen: int, *, total_fen: int, settled_fen: int, day: date, signed_on: date, record: str) -> None:
    """Money on a contract or lease: positive, within what remains, not before signing."""
    check_positive(amount_fen, field="amount", record=record)
    outstanding = total_fen - settled_fen
    if amount_fen > outstanding:
        raise Refusal("schedule.over_settlement", field="amount", value=format_yuan(amount_fen), record=record,
                      total=format_yuan(total_fen), settled=format_yuan(settled_fen), outstanding=format_yuan(outstanding))
    if day < signed_on:
        raise Refusal("schedule.before_signing", field="date", value=day.isoformat(), record=record,
                      signed_on=signed_on.isoformat())


@dataclass(frozen=True)
class Standing:
    """Where a schedule stands on a day, given what has been settled."""

    due_fen: int  # fallen due before the day (an instalment due today is not yet overdue)
    arrears_fen: int  # fallen due and not covered
    oldest_unpaid: date | None  # due date of the oldest instalment not covered
    next_due: date | None  # the next instalment not yet covered (due or not)
    next_due_fen: int  # what remains of it

    def days_overdue(self, day: date) -> int:
        return (day - self.oldest_unpaid).days if self.arrears_fen and self.oldest_unpaid else 0


def standing(schedule: tuple[Instalment, ...], settled_fen: int, day: date) -> Standing:
    items = sorted(schedule, key=lambda item: item.due)
    due_fen = sum(item.amount_fen for item in items if item.due < day)
    remaining = settled_fen
    oldest, next_due, next_fen = None, None, 0
    for item in items:
        covered = min(item.amount_fen, remaining)
        remaining -= covered
        if covered < item.amount_fen:
            if next_due is None:
                next_due, next_fen = item.due, item.amount_fen - covered
            if item.due < day and oldest is None:
                oldest = item.due
    return Standing(due_fen, max(0, due_fen - settled_fen), oldest, next_due, next_fen)
