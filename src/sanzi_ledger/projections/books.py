"""The books: vouchers, their lines, and money per account and month.

`v_account_month` is what makes the statements fast: a trial balance reads a
few hundred rows per collective whatever the size of the log. Year-end
closing entries are kept in their own columns so the income statement can
leave them out while the trial balance counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.periods import previous_month
from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:  # handlers are keyed by topic: reading views imports no domain family
    from sanzi_ledger.domain.imports import OpeningMigrated
    from sanzi_ledger.domain.vouchers import VoucherPosted, VoucherReversed

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_vouchers (
        collective TEXT NOT NULL, number TEXT NOT NULL, month TEXT NOT NULL, date TEXT NOT NULL,
        summary TEXT NOT NULL, kind TEXT NOT NULL, reverses TEXT NOT NULL, reversed_by TEXT NOT NULL,
        reason TEXT NOT NULL, attachments INTEGER NOT NULL, resolution TEXT NOT NULL,
        operator TEXT NOT NULL, recorded_at TEXT NOT NULL, total_fen BIGINT NOT NULL,
        position BIGINT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (collective, number))""",
    "CREATE INDEX IF NOT EXISTS v_vouchers_month ON v_vouchers (collective, month)",
    """CREATE TABLE IF NOT EXISTS v_voucher_lines (
        collective TEXT NOT NULL, number TEXT NOT NULL, line_no INTEGER NOT NULL,
        month TEXT NOT NULL, date TEXT NOT NULL, account TEXT NOT NULL, side TEXT NOT NULL,
        amount_fen BIGINT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (collective, number, line_no))""",
    "CREATE INDEX IF NOT EXISTS v_voucher_lines_account ON v_voucher_lines (collective, account, date)",
    """CREATE TABLE IF NOT EXISTS v_account_month (
        collective TEXT NOT NULL, month TEXT NOT NULL, account TEXT NOT NULL,
        debit_fen BIGINT NOT NULL, credit_fen BIGINT NOT NULL,
        close_debit_fen BIGINT NOT NULL, close_credit_fen BIGINT NOT NULL,
        PRIMARY KEY (collective, month, account))""",
]

_ADD_MONTH = (
    "INSERT INTO v_account_month AS t VALUES (?,?,?,?,?,?,?) ON CONFLICT (collective, month, account) DO UPDATE SET "
    "debit_fen = t.debit_fen + excluded.debit_fen, credit_fen = t.credit_fen + excluded.credit_fen, "
    "close_debit_fen = t.close_debit_fen + excluded.close_debit_fen, "
    "close_credit_fen = t.close_credit_fen + excluded.close_credit_fen"
)


_INSERT_VOUCHER = "INSERT INTO v_vouchers VALUES (?,?,?,?,?,?,?,'',?,?,?,?,?,?,?,?)"
_INSERT_LINE = "INSERT INTO v_voucher_lines VALUES (?,?,?,?,?,?,?,?,?)"


def voucher_posted(batch: Batch, position: int, e: VoucherPosted) -> None:
    collective, number, month, kind, day = e.collective, e.number, e.month, e.kind, e.date.isoformat()
    total = sum(line.amount_fen for line in e.lines if line.side == "debit")
    batch.write(
        _INSERT_VOUCHER,
        (collective, number, month, day, e.summary, kind, e.reverses, e.reason,
         e.attachments, e.resolution, e.operator, e.timestamp.isoformat(), total, position, e.source),
    )
    closing = kind == "closing"
    for line_no, line in enumerate(e.lines, start=1):
        amount, debit_side = line.amount_fen, line.side == "debit"
        batch.write(_INSERT_LINE, (collective, number, line_no, month, day, line.account, line.side, amount, kind))
        debit, credit = (amount, 0) if debit_side else (0, amount)
        amounts = (0, 0, debit, credit) if closing else (debit, credit, 0, 0)
        batch.add(_ADD_MONTH, (collective, month, line.account), amounts)


def voucher_reversed(batch: Batch, position: int, e: VoucherReversed) -> None:
    batch.write(
        "UPDATE v_vouchers SET reversed_by = ? WHERE collective = ? AND number = ?",
        (e.reversed_by, e.collective, e.number),
    )


def opening_migrated(batch: Batch, position: int, e: OpeningMigrated) -> None:
    """Opening balances migrated from the 2004 chart: booked in the month before the
    new books start, so every trial balance of the new books shows them as opening
    (and no voucher, whose month is never before the start, mixes with them)."""
    month = previous_month(e.opening_month)
    for line in e.lines:
        batch.add(_ADD_MONTH, (e.collective, month, line.new_code), (line.debit_fen, line.credit_fen, 0, 0))


HANDLERS = {  # import.OpeningMigrated.v1 is dispatched by projections/imports.py, which calls opening_migrated
    "voucher.Posted.v1": voucher_posted,
    "voucher.Reversed.v1": voucher_reversed,
}
