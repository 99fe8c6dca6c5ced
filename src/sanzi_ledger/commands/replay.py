"""audit replay: rebuild every view from position 0 in a scratch store and compare it
with the live views, table by table.

The live views are derived data that the hash chain does not cover: a row
changed by hand passes `audit verify`. Replaying the (verified) log and
comparing is what exposes it. Rows are compared as multisets: a changed row
is one row missing (what the log gives) and one extra (what the view holds),
and the two are paired up again for the report when they share most columns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.projections import runner
from sanzi_ledger.projections.scratch import ScratchViews

SAMPLE_ROWS = 5  # rows shown per table and kind: enough to find them, short enough to read
_CONSISTENT_TRIES = 5  # a writer may move the live views while they are read: read again


@dataclass(frozen=True)
class Changed:
    """A view row that differs from the replayed one in a few columns."""

    replayed: tuple
    live: tuple
    columns: tuple[int, ...]  # indexes of the differing columns


@dataclass(frozen=True)
class TableDifference:
    table: str
    columns: tuple[str, ...]
    missing: int  # rows the log gives that the live view lacks
    extra: int  # rows the live view holds that the log does not give
    missing_rows: list[tuple] = field(default_factory=list)  # the first few
    extra_rows: list[tuple] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)  # pairs among the first few
    table_missing: bool = False  # the live table itself is gone


@dataclass(frozen=True)
class ReplayResult:
    events: int  # the log position replayed to
    tables: int
    differences: list[TableDifference]

    @property
    def ok(self) -> bool:
        return not self.differences


def replay(led: Ledger, *, sample: int = SAMPLE_ROWS, progress: Any = None) -> ReplayResult:
    """Replay the whole log into a scratch store and compare it with the live views at the same
    position. One table at a time, so memory holds two copies of one table, not of every view."""
    led.catch_up()
    with ScratchViews(led.app) as scratch:
        for _ in range(_CONSISTENT_TRIES):
            position = led.projector.position()
            scratch.advance(position, progress=progress)
            differences = [d for table in runner.VIEW_TABLES if (d := _table(led, scratch, table, sample)) is not None]
            if led.projector.position() == position:  # no writer moved the live views while they were read
                return ReplayResult(events=position, tables=len(runner.VIEW_TABLES), differences=differences)
            led.catch_up()
    raise AssertionError("the live views kept moving while they were read")


def _table(led: Ledger, scratch: ScratchViews, table: str, sample: int) -> TableDifference | None:
    columns = _columns(scratch, table)
    replayed = scratch.views.query(f"SELECT * FROM {table}")
    live = _live_rows(led, table)
    if live is None:
        return TableDifference(table, columns, len(replayed), 0, sorted(replayed, key=repr)[:sample], table_missing=True)
    return compare(table, columns, replayed, live, sample=sample)


def compare(table: str, columns: tuple[str, ...], replayed: list[tuple], live: list[tuple], *,
            sample: int = SAMPLE_ROWS) -> TableDifference | None:
    want, have = Counter(replayed), Counter(live)
    missing = sorted((want - have).elements(), key=repr)
    extra = sorted((have - want).elements(), key=repr)
    if not missing and not extra:
        return None
    return TableDifference(table, columns, len(missing), len(extra), missing[:sample], extra[:sample],
                           _pair(missing[:sample], extra[:sample]))


def _pair(missing: list[tuple], extra: list[tuple]) -> list[Changed]:
    """Match each shown extra row with the shown missing row it most resembles (at least half the columns equal)."""
    pairs, free = [], list(missing)
    for row in extra:
        best, best_same = None, 0
        for candidate in free:
            if len(candidate) != len(row):
                continue
            same = sum(a == b for a, b in zip(candidate, row, strict=True))
            if same > best_same:
                best, best_same = candidate, same
        if best is not None and best_same * 2 >= len(row):
            free.remove(best)
            pairs.append(Changed(best, row, tuple(i for i, (a, b) in enumerate(zip(best, row, strict=True)) if a != b)))
    return pairs


def _live_rows(led: Ledger, table: str) -> list[tuple] | None:
    """One live table's rows; None if the table is gone (its own transaction:
    on PostgreSQL a failed statement spoils the rest of a transaction)."""
    try:
        return led.views.query(f"SELECT * FROM {table}")
    except Exception:  # noqa: BLE001 - a dropped table is a finding, whichever dialect's error says so
        return None


def _columns(scratch: ScratchViews, table: str) -> tuple[str, ...]:
    cursor = scratch.views.connection.execute(f"SELECT * FROM {table} LIMIT 0")
    return tuple(d[0] for d in cursor.description)
