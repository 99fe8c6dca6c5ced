"""Collectives, their members, their opened sub-accounts, and the state of each month."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:  # handlers are keyed by topic: reading views imports no domain family
    from sanzi_ledger.domain.collectives import (
        AccountOpened,
        CollectiveRegistered,
        MemberAdded,
    )
    from sanzi_ledger.domain.periods import PeriodClosed, RangeNumbered, VoucherNumbered

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_collectives (
        code TEXT PRIMARY KEY, name TEXT NOT NULL, township TEXT NOT NULL, county TEXT NOT NULL,
        level TEXT NOT NULL, chart TEXT NOT NULL, start_period TEXT NOT NULL,
        registered_at TEXT NOT NULL, operator TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS v_members (
        collective TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
        added_at TEXT NOT NULL, operator TEXT NOT NULL, PRIMARY KEY (collective, name))""",
    """CREATE TABLE IF NOT EXISTS v_accounts (
        collective TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, parent TEXT NOT NULL,
        account_class TEXT NOT NULL, side TEXT NOT NULL, PRIMARY KEY (collective, code))""",
    """CREATE TABLE IF NOT EXISTS v_periods (
        collective TEXT NOT NULL, month TEXT NOT NULL, voucher_count BIGINT NOT NULL,
        closed INTEGER NOT NULL, closed_at TEXT, closed_by TEXT, log_position BIGINT,
        PRIMARY KEY (collective, month))""",
]


def collective_registered(batch: Batch, position: int, e: CollectiveRegistered) -> None:
    batch.write(
        "INSERT INTO v_collectives VALUES (?,?,?,?,?,?,?,?,?)",
        (e.collective, e.name, e.township, e.county, e.level, e.chart, e.start_period, e.timestamp.isoformat(), e.operator),
    )


def member_added(batch: Batch, position: int, e: MemberAdded) -> None:
    batch.write("INSERT INTO v_members VALUES (?,?,?,?,?)", (e.collective, e.name, e.role, e.timestamp.isoformat(), e.operator))


def account_opened(batch: Batch, position: int, e: AccountOpened) -> None:
    batch.write("INSERT INTO v_accounts VALUES (?,?,?,?,?,?)", (e.collective, e.code, e.name, e.parent, e.account_class, e.side))


def voucher_numbered(batch: Batch, position: int, e: VoucherNumbered | RangeNumbered) -> None:
    """Both numbering events carry the month's running count in `seq`."""
    batch.write(
        "INSERT INTO v_periods (collective, month, voucher_count, closed) VALUES (?,?,?,0) "
        "ON CONFLICT (collective, month) DO UPDATE SET voucher_count = excluded.voucher_count",
        (e.collective, e.month, e.seq),
    )


def period_closed(batch: Batch, position: int, e: PeriodClosed) -> None:
    batch.write(
        "INSERT INTO v_periods VALUES (?,?,?,1,?,?,?) ON CONFLICT (collective, month) DO UPDATE SET "
        "closed = 1, closed_at = excluded.closed_at, closed_by = excluded.closed_by, log_position = excluded.log_position",
        (e.collective, e.month, e.voucher_count, e.timestamp.isoformat(), e.operator, e.log_position),
    )


HANDLERS = {
    "collective.Registered.v1": collective_registered,
    "collective.MemberAdded.v1": member_added,
    "collective.AccountOpened.v1": account_opened,
    "period.VoucherNumbered.v1": voucher_numbered,
    "period.RangeNumbered.v1": voucher_numbered,
    "period.Closed.v1": period_closed,
}
