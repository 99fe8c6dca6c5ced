"""Writing one import: every event, its hash-chain links, its view rows and the
views' tracked position, in ONE database transaction, in batches.

Why not `app.save` per batch: each save is its own transaction, so a kill -9
after the third of ten batches would leave three batches in the ledger. Why
not one `app.save` of everything: it holds every event in memory at once,
and on PostgreSQL the library sends a save through psycopg's pipeline mode,
which stalled on saves of some 10,000 events in an earlier session. So the
import opens a plain transaction on the library's own datastore and calls
the recorder's insert steps once per batch inside it:

- SQLite: `ChainedSQLiteRecorder._insert_events` (the events, many rows per
  statement, plus our chain links, which read the previous link through the
  same cursor, so batch n+1 chains onto batch n before anything is committed);
- PostgreSQL: the recorder's `_insert_stored_events` (it takes the EXCLUSIVE
  lock on the events table, as every save does) and our
  `_fetch_ids_after_insert_events` (ids, then chain links), without pipeline.

The views are written in the same transaction from the events in hand (no
second decoding), so the import commits whole or not at all: events, chain,
views and position together; a kill -9 at any point leaves the store exactly
as before. Before writing, the transaction takes the writers' lock (SQLite's
write lock; PostgreSQL's table lock) and checks the views stand at the head
of the log; if another writer got in between, the import starts over.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sanzi_ledger.domain.events import Event, topic_of
from sanzi_ledger.projections.batch import Batch
from sanzi_ledger.projections.runner import HANDLERS, TRACKING_NAME
from sanzi_ledger.projections.views import Cursor

if TYPE_CHECKING:
    from sanzi_ledger.commands.ledger import Ledger


CACHE_KIB = 65_536  # SQLite page cache for the import's connection: 64 MiB at most, used as needed


class ViewsBehind(Exception):
    """Another writer saved between our catch-up and our lock: catch up and start again."""


class Writer:
    def __init__(self, led: Ledger, raw: object, views: Cursor) -> None:
        self.led = led
        self.raw = raw
        self.views = views
        self.recorder = led.app.recorder
        self.postgres = views.postgres
        self.position = 0
        self.events_written = 0

    def append(self, events: Sequence[Event]) -> None:
        if not events:
            return
        stored = [self.led.app.mapper.to_stored_event(event) for event in events]
        if self.postgres:
            self.recorder._insert_stored_events(self.raw, stored)
            ids = self.recorder._fetch_ids_after_insert_events(self.raw, stored)
        else:
            ids = self.recorder._insert_events(self.raw, stored)
        assert ids is not None and len(ids) == len(events), (ids, len(events))
        batch = Batch()
        for notification_id, event in zip(ids, events, strict=True):
            handler = HANDLERS.get(topic_of(event))
            if handler is not None:
                handler(batch, notification_id, event)
        batch.flush(self.views)
        self.position = ids[-1]
        self.events_written += len(events)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Views as this transaction sees them."""
        return self.views.query(sql, params)


@contextmanager
def import_transaction(led: Ledger, *, commit: bool) -> Iterator[Writer]:
    """One transaction for the whole import; rolled back unless `commit` and no exception."""
    led.catch_up()
    recorder = led.app.recorder
    tracking_table = led.projector.tracking_table
    with recorder.datastore.transaction(commit=commit) as raw:
        if led.views.postgres:
            from psycopg.rows import tuple_row

            recorder._lock_table(raw)
            views = Cursor(raw.connection.cursor(row_factory=tuple_row), True)
            views.execute(f'SET LOCAL search_path TO "{led.views.schema}"')
        else:
            views = Cursor(raw, False)
            # A large import's uncommitted pages stay in memory instead of spilling into the WAL page by page.
            views.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # Any write takes SQLite's write lock for the rest of the transaction.
            views.execute(f"UPDATE {tracking_table} SET notification_id = notification_id WHERE application_name = ?",
                          (TRACKING_NAME,))
        head = _head(recorder, raw, postgres=led.views.postgres)
        (tracked,) = views.query(f"SELECT notification_id FROM {tracking_table} WHERE application_name = ?",
                                 (TRACKING_NAME,))[0]
        if tracked != head:
            raise ViewsBehind
        writer = Writer(led, raw, views)
        yield writer
        if writer.position:
            led.projector.tracking.record(views, writer.position)


def _head(recorder: object, raw: object, *, postgres: bool) -> int:
    """The log's last position, read inside this transaction."""
    if postgres:
        raw.execute(recorder.max_notification_id_statement)  # type: ignore[attr-defined]
        row = raw.fetchone()  # type: ignore[attr-defined]
        return (row["max"] if row else 0) or 0
    return recorder._max_notification_id(raw) or 0  # type: ignore[attr-defined]
