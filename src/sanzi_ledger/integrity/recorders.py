"""Application recorders that write the hash chain in the same transaction as the events.

SQLite serialises writers itself. On PostgreSQL (`integrity/postgres_recorder.py`,
a module of its own so a SQLite command never imports psycopg) the library takes
an EXCLUSIVE lock on the events table before inserting, and we append the links
after the notification ids are known, still inside that transaction, so links
are appended in commit order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from sanzi_ledger.integrity.chain import CHAIN_TABLE, GENESIS, link
from sanzi_ledger.projections import multirow

_LINKS = f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)"
CHAIN_DDL = (
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position BIGINT PRIMARY KEY, "
    "notification_id BIGINT NOT NULL UNIQUE, hash BYTEA NOT NULL)"
)


def chain_links(last: tuple[int, bytes] | None, stored: Sequence[StoredEvent], ids: Sequence[int]) -> list[tuple[int, int, bytes]]:
    position, previous = last if last else (0, GENESIS)
    rows = []
    for event, notification_id in zip(stored, ids, strict=True):
        position += 1
        previous = link(previous, position, event.originator_id, event.originator_version, event.topic, event.state)
        rows.append((position, notification_id, previous))
    return rows


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), CHAIN_DDL.replace("BYTEA", "BLOB")]

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        # Many rows per statement instead of the library's statement per event
        # (projections/multirow.py). Inside this one write transaction nobody else
        # inserts, and rowids are max + 1 each, so the new rows are the n rowids
        # ending at last_insert_rowid().
        multirow.write(c, self.insert_events_statement, [
            (s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id, s.originator_version,
             s.topic, s.state) for s in stored_events])
        c.execute("SELECT last_insert_rowid()")
        last = c.fetchone()[0]
        ids = list(range(last - len(stored_events) + 1, last + 1))
        c.execute(f"SELECT position, hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        row = c.fetchone()
        rows = chain_links((row[0], bytes(row[1])) if row else None, stored_events, ids)
        multirow.write(c, _LINKS, rows)
        return ids
