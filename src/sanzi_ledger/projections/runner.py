"""Catching the views up with the log, and rebuilding them from position 0.

SQLite offers no push subscription, so every command (and every read) polls
the notification log from the tracked position. Each batch of events is
applied, and its position recorded, in one transaction; the tracking row is
locked first, so two processes catching up at once never apply an event twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.projections import books, disclosures, registers, registry
from sanzi_ledger.projections.batch import Batch
from sanzi_ledger.projections.views import Views

TRACKING_NAME = "sanzi_views"
# Bump when a view's shape changes: stores with older views rebuild them on open.
VIEWS_VERSION = "4"
_PG_DDL_LOCK = 7_261_001  # advisory lock id: one process creates views at a time
BATCH_EVENTS = 2000
TABLE_DDL: list[str] = [*registry.TABLES, *books.TABLES, *registers.TABLES, *disclosures.TABLES]
HANDLERS: dict[str, Callable[[Batch, int, Any], None]] = {**registry.HANDLERS, **books.HANDLERS, **registers.HANDLERS, **disclosures.HANDLERS}
VIEW_TABLES = [ddl.split()[5] for ddl in TABLE_DDL if ddl.startswith("CREATE TABLE")]


class Projector:
    def __init__(self, app: LedgerApplication, views: Views) -> None:
        self.app = app
        self.views = views
        self.tracking = app.factory.tracking_recorder()
        self.tracking_table = getattr(self.tracking, "tracking_table_name", "tracking")
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
        if self.tracking.max_tracking_id(TRACKING_NAME) is None:
            try:
                self.tracking.insert_tracking(Tracking(TRACKING_NAME, 0))
            except IntegrityError:
                pass  # another process created it first

    def _views_current(self) -> bool:
        """The common case, one cheap query: views exist at this version."""
        try:
            with self.views.transaction() as cursor:
                found = cursor.query("SELECT value FROM v_meta WHERE key = 'views_version'")
        except Exception:  # noqa: BLE001 - no v_meta table yet (either dialect's error)
            return False
        return bool(found) and found[0][0] == VIEWS_VERSION and self.tracking.max_tracking_id(TRACKING_NAME) is not None

    def position(self) -> int:
        return self.tracking.max_tracking_id(TRACKING_NAME) or 0

    def catch_up(self, *, batch_events: int = BATCH_EVENTS, progress: Callable[[int], None] | None = None) -> int:
        """Apply every event after the tracked position; return how many."""
        if (self.app.recorder.max_notification_id() or 0) <= self.position():
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
                notifications = self.app.recorder.select_notifications(
                    start=position, limit=batch_events, inclusive_of_start=False,
                )
                if not notifications:
                    return applied
                batch = Batch()
                for notification in notifications:
                    handler = HANDLERS.get(notification.topic)
                    if handler is not None:  # some events have no view: not even decoded
                        handler(batch, notification.id, self.app.mapper.to_domain_event(notification))
                batch.flush(cursor)
                self.tracking._insert_tracking(  # noqa: SLF001  same transaction as the views
                    cursor.raw, Tracking(TRACKING_NAME, notifications[-1].id)
                )
                applied += len(notifications)
            if progress:
                progress(applied)
            if len(notifications) < batch_events:
                return applied  # a short batch reached the head

    def rebuild(self, **kwargs: Any) -> int:
        """Drop every view and apply the whole log again from position 0."""
        with self.views.transaction(commit=True) as cursor:
            for table in [*VIEW_TABLES, "v_meta"]:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (TRACKING_NAME,))
        self.create_tables()
        return self.catch_up(**kwargs)

    def dump(self) -> dict[str, list[tuple]]:
        """Every view row, in a canonical order: what 'identical views' means."""
        out = {}
        with self.views.transaction() as cursor:
            for table in VIEW_TABLES:
                rows = cursor.query(f"SELECT * FROM {table}")
                out[table] = sorted(rows, key=repr)
        return out
