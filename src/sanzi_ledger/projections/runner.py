"""Catching the views up with the log, and rebuilding them from position 0.

SQLite offers no push subscription, so every command (and every read) polls
the notification log from the tracked position. Each batch of events is
applied, and its position recorded, in one transaction; the tracking row is
locked first, so two processes catching up at once never apply an event twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from eventsourcing.persistence import IntegrityError, Tracking

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.projections import (
    audits,
    books,
    disclosures,
    imports,
    registers,
    registry,
)
from sanzi_ledger.projections.batch import Batch
from sanzi_ledger.projections.views import Cursor, Views

TRACKING_NAME = "sanzi_views"
# Bump when a view's shape changes: stores with older views rebuild them on open.
VIEWS_VERSION = "7"
_PG_DDL_LOCK = 7_261_001  # advisory lock id: one process creates views at a time
BATCH_EVENTS = 2000
TABLE_DDL: list[str] = [*registry.TABLES, *books.TABLES, *registers.TABLES, *disclosures.TABLES,
                         *audits.TABLES, *imports.TABLES]
HANDLERS: dict[str, Callable[[Batch, int, Any], None]] = {**registry.HANDLERS, **books.HANDLERS, **registers.HANDLERS, **disclosures.HANDLERS,
                                                     **audits.HANDLERS, **imports.HANDLERS}
VIEW_TABLES = [ddl.split()[5] for ddl in TABLE_DDL if ddl.startswith("CREATE TABLE")]


_NO_STOP = 2**62  # above any notification id


class _Stored(NamedTuple):
    """What the mapper reads of a stored event."""

    topic: str
    state: bytes


class LiveTracking:
    """Where the live views stand: the library's tracking row, in the same store as the views."""

    def __init__(self, app: LedgerApplication) -> None:
        self.recorder = app.factory.tracking_recorder()
        self.table = getattr(self.recorder, "tracking_table_name", "tracking")

    def position(self) -> int | None:
        return self.recorder.max_tracking_id(TRACKING_NAME)

    def start(self) -> None:
        try:
            self.recorder.insert_tracking(Tracking(TRACKING_NAME, 0))
        except IntegrityError:
            pass  # another process created it first

    def record(self, cursor: Cursor, position: int) -> None:
        """Inside the views' transaction, so a batch and its position commit together."""
        self.recorder._insert_tracking(cursor.raw, Tracking(TRACKING_NAME, position))  # the library has no public form


class Projector:
    """Applies the live app's log (the source) to a target: views plus a tracked position.
    The target is the store's own views unless another is given (a scratch store: projections/scratch.py);
    a target's tracking table has the shape (application_name, notification_id)."""

    def __init__(self, app: LedgerApplication, views: Views, tracking: LiveTracking | None = None,
                 accept: Callable[[bytes], bool] | None = None) -> None:
        self.app = app
        self.views = views
        self.accept = accept  # which stored events to apply (by their bytes); None: all
        self.tracking = tracking or LiveTracking(app)
        self.tracking_table = self.tracking.table
        self.source = Views(app)  # the live store's log, whatever the target
        key = "notification_id" if self.source.postgres else "rowid"
        self._select_sql = (f"SELECT {key}, topic, state FROM {app.recorder.events_table_name} "  # type: ignore[attr-defined]
                            f"WHERE {key} > ? AND {key} <= ? ORDER BY {key} LIMIT ?")
        self.create_tables()

    def create_tables(self) -> None:
        if self._views_current():
            return
        with self.views.transaction(commit=True) as cursor:
            if self.views.postgres:
                cursor.execute(f"SELECT pg_advisory_xact_lock({_PG_DDL_LOCK})")
            cursor.execute("CREATE TABLE IF NOT EXISTS v_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            found = cursor.query("SELECT value FROM v_meta WHERE key = 'views_version'")
            stale = bool(found) and found[0][0] != VIEWS_VERSION
            if stale:
                for table in VIEW_TABLES:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (TRACKING_NAME,))
            for ddl in TABLE_DDL:
                cursor.execute(ddl)
            if not found or stale:
                cursor.execute("DELETE FROM v_meta WHERE key = 'views_version'")
                cursor.execute("INSERT INTO v_meta VALUES ('views_version', ?)", (VIEWS_VERSION,))
        if self.tracking.position() is None:
            self.tracking.start()

    def _views_current(self) -> bool:
        """The common case, one cheap query: views exist at this version."""
        try:
            with self.views.transaction() as cursor:
                found = cursor.query("SELECT value FROM v_meta WHERE key = 'views_version'")
        except Exception:  # noqa: BLE001 - no v_meta table yet (either dialect's error)
            return False
        return bool(found) and found[0][0] == VIEWS_VERSION and self.tracking.position() is not None

    def position(self) -> int:
        return self.tracking.position() or 0

    def catch_up(self, *, batch_events: int = BATCH_EVENTS, progress: Callable[[int], None] | None = None,
                 stop: int | None = None) -> int:
        """Apply every event after the tracked position (up to `stop` inclusive, if given); return how many."""
        head = self.app.recorder.max_notification_id() or 0
        if min(head, head if stop is None else stop) <= self.position():
            return 0  # the common case before a command: no write transaction at all
        applied = 0
        while True:
            with self.views.transaction(commit=True) as cursor:
                # Lock the tracking row before reading it (see module docstring).
                cursor.execute(
                    f"UPDATE {self.tracking_table} SET notification_id = notification_id WHERE application_name = ?",
                    (TRACKING_NAME,),
                )
                (position,) = cursor.query(
                    f"SELECT notification_id FROM {self.tracking_table} WHERE application_name = ?",
                    (TRACKING_NAME,),
                )[0]
                notifications = self._notifications(position, batch_events, stop)
                if not notifications:
                    return applied
                batch = Batch()
                decode, accept = self.app.mapper.to_domain_event, self.accept
                for notification_id, topic, state in notifications:
                    handler = HANDLERS.get(topic)
                    # Some events have no view: not even decoded.
                    if handler is not None and (accept is None or accept(state)):
                        handler(batch, notification_id, decode(_Stored(topic, state)))
                batch.flush(cursor)
                self.tracking.record(cursor, notifications[-1][0])  # same transaction as the views
                applied += len(notifications)
            if progress:
                progress(applied)
            if len(notifications) < batch_events:
                return applied  # a short batch reached the head

    def _notifications(self, after: int, limit: int, stop: int | None) -> list[tuple[int, str, bytes]]:
        """(id, topic, state) of the log's next events, read from the live store with one SQL
        query: the library's `select_notifications` builds a full object per event, which
        cost a replay a third of its time."""
        with self.source.transaction() as cursor:
            return cursor.query(self._select_sql, (after, _NO_STOP if stop is None else stop, limit))

    def rebuild(self, **kwargs: Any) -> int:
        """Drop every view and apply the whole log again from position 0."""
        with self.views.transaction(commit=True) as cursor:
            for table in [*VIEW_TABLES, "v_meta"]:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (TRACKING_NAME,))
        self.create_tables()
        return self.catch_up(**kwargs)

    def dump(self) -> dict[str, list[tuple]]:
        return dump(self.views)


def dump(views: Views) -> dict[str, list[tuple]]:
    """Every view row, in a canonical order: what 'identical views' means."""
    out = {}
    with views.transaction() as cursor:
        for table in VIEW_TABLES:
            rows = cursor.query(f"SELECT * FROM {table}")
            out[table] = sorted(rows, key=repr)
    return out
