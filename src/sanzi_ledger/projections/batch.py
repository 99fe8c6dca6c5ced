"""A batch of view writes, applied in one transaction with the tracking position.

Writes are grouped by table and keep event order within each table (no view
write reads another view's table), so a stream that alternates between event
kinds still goes out as a few long executemany runs. Additive counters (money
per account and month) commute, so they are summed in memory and upserted
once per key at the end.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sanzi_ledger.projections.views import Cursor


class Batch:
    def __init__(self) -> None:
        self.writes: dict[str, list[tuple[str, tuple[Any, ...]]]] = defaultdict(list)  # table -> writes
        self.sums: dict[str, dict[tuple[Any, ...], list[int]]] = defaultdict(dict)

    def write(self, sql: str, params: Sequence[Any]) -> None:
        self.writes[_table(sql)].append((sql, tuple(params)))

    def add(self, upsert_sql: str, key: tuple[Any, ...], amounts: Sequence[int]) -> None:
        """Add `amounts` to the counters at `key`; `upsert_sql` takes key + amounts."""
        table = self.sums[upsert_sql]
        current = table.get(key)
        if current is None:
            table[key] = list(amounts)
        else:
            for index, amount in enumerate(amounts):
                current[index] += amount

    def flush(self, cursor: Cursor) -> None:
        for writes in self.writes.values():
            run_sql, run_rows = None, []
            for sql, params in writes:
                if sql != run_sql:
                    if run_sql is not None:
                        cursor.executemany(run_sql, run_rows)
                    run_sql, run_rows = sql, []
                run_rows.append(params)
            if run_sql is not None:
                cursor.executemany(run_sql, run_rows)
        for upsert_sql, table in self.sums.items():
            cursor.executemany(upsert_sql, [(*key, *amounts) for key, amounts in sorted(table.items())])


_TABLE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.IGNORECASE)


@cache
def _table(sql: str) -> str:
    match = _TABLE.match(sql)
    assert match, sql
    return match[1]
