"""明细账: one account's lines in a period, with opening and running balance."""

from __future__ import annotations

from dataclasses import dataclass

from sanzi_ledger.periods import Period
from sanzi_ledger.projections.views import Views


@dataclass(frozen=True)
class Entry:
    date: str
    number: str
    summary: str
    account: str
    debit: int
    credit: int
    balance: int  # net debit after this line


@dataclass(frozen=True)
class AccountBook:
    collective: str
    account: str
    period: Period
    opening: int  # net debit
    entries: list[Entry]
    debit: int
    credit: int
    closing: int


def account_book(views: Views, collective: str, account: str, period: Period) -> AccountBook:
    """`account` may be a first-level code (all its sub-accounts) or a leaf."""
    prefix = account + "%"
    with views.transaction() as cursor:
        (opening,) = cursor.query(
            "SELECT COALESCE(SUM(debit_fen + close_debit_fen - credit_fen - close_credit_fen), 0)"
            " FROM v_account_month WHERE collective = ? AND account LIKE ? AND month < ?",
            (collective, prefix, period.first),
        )[0]
        lines = cursor.query(
            "SELECT l.date, l.number, v.summary, l.account, l.side, l.amount_fen"
            " FROM v_voucher_lines l JOIN v_vouchers v ON v.collective = l.collective AND v.number = l.number"
            " WHERE l.collective = ? AND l.account LIKE ? AND l.month >= ? AND l.month <= ?"
            " ORDER BY l.date, l.number, l.line_no",
            (collective, prefix, period.first, period.last),
        )
    balance = int(opening)
    entries, total_debit, total_credit = [], 0, 0
    for day, number, summary, acct, side, amount in lines:
        debit = int(amount) if side == "debit" else 0
        credit = int(amount) if side == "credit" else 0
        balance += debit - credit
        total_debit += debit
        total_credit += credit
        entries.append(Entry(day, number, summary, acct, debit, credit, balance))
    return AccountBook(collective, account, period, int(opening), entries, total_debit, total_credit, balance)
