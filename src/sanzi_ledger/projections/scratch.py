"""Views rebuilt in a scratch store from the live log: for replay and time travel.

A `ScratchViews` is an in-memory SQLite database holding every view table and
its own tracked position. The same `Projector` that keeps the live views fills
it from the live app's notification log, so a scratch store advanced to the
head is what a rebuild would give, and one advanced to position N is the state
an observer saw when the log held N events. Nothing is written to the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Self

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.projections import runner
from sanzi_ledger.projections.views import Cursor

_TRACKING_TABLE = "tracking"
# The recorded time as the mapper writes it: every event's JSON starts with its
# id, version and timestamp, so a search finds it without decoding the event.
_TIMESTAMP_KEY = b'"timestamp":"'
_SCAN_PAGE = 1_000
# How far writers' recorded times may run out of log order (commits racing, clocks of
# different machines on one PostgreSQL server); see `position_at`.
CLOCK_DISORDER = timedelta(hours=1)


class ScratchStore:
    """The `Views` interface (`.postgres`, `.transaction()`, `.query()`) over a private SQLite database."""

    postgres = False

    def __init__(self, path: str = ":memory:") -> None:
        # One connection, used by one thread at a time; autocommit, so transactions are explicit.
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # A scratch store is thrown away: no journal, no fsync.
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Cursor]:
        raw = self.connection.cursor()
        raw.execute("BEGIN")
        try:
            yield Cursor(raw, postgres=False)
        except BaseException:
            self.connection.rollback()
            raise
        else:
            if commit:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            raw.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.transaction() as cursor:
            return cursor.query(sql, params)

    def close(self) -> None:
        self.connection.close()


class ScratchTracking:
    """The scratch store's position, in a table shaped like the library's tracking table."""

    table = _TRACKING_TABLE

    def __init__(self, store: ScratchStore) -> None:
        self.store = store
        store.connection.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} (application_name TEXT PRIMARY KEY, notification_id BIGINT NOT NULL)")

    def position(self) -> int | None:
        rows = self.store.query(f"SELECT notification_id FROM {self.table} WHERE application_name = ?", (runner.TRACKING_NAME,))
        return rows[0][0] if rows else None

    def start(self) -> None:
        self.store.connection.execute(f"INSERT OR IGNORE INTO {self.table} VALUES (?, 0)", (runner.TRACKING_NAME,))

    def record(self, cursor: Cursor, position: int) -> None:
        cursor.execute(f"UPDATE {self.table} SET notification_id = ? WHERE application_name = ?", (position, runner.TRACKING_NAME))


class ScratchViews:
    """Every view, built from the live log up to a chosen position, in a throw-away store."""

    def __init__(self, app: LedgerApplication, *, collective: str | None = None, path: str = ":memory:") -> None:
        """`collective`: apply only that collective's events (what one collective's reports
        read), which spares decoding a whole county's log to show one village."""
        self.app = app
        self.views = ScratchStore(path)
        self.projector = runner.Projector(app, self.views, ScratchTracking(self.views),  # type: ignore[arg-type]
                                          accept=None if collective is None else _of_collective(collective))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.views.close()

    @property
    def position(self) -> int:
        return self.projector.position()

    def advance(self, position: int | None = None, *, progress: Any = None) -> int:
        """Apply the log's events up to `position` inclusive (None: the head); returns the
        position reached. Called again with a later position it applies only the events in between."""
        assert position is None or position >= self.position, f"scratch views are at {self.position}, not going back to {position}"
        self.projector.catch_up(stop=position, progress=progress)
        return self.position

    def dump(self) -> dict[str, list[tuple]]:
        return runner.dump(self.views)  # type: ignore[arg-type]


def _of_collective(code: str) -> Callable[[bytes], bool]:
    """Whether a stored event belongs to the collective, from its bytes: the JSON escapes
    any quote inside a text, so this key and value can only be the event's own field."""
    marker = b'"collective":' + json.dumps(code, ensure_ascii=False).encode()

    def accept(state: bytes) -> bool:
        return marker in (state if isinstance(state, bytes) else bytes(state))

    return accept


def position_at(app: LedgerApplication, moment: datetime) -> int:
    """The last notification id whose recorded time (the event's `timestamp`) is at or
    before `moment`: the log as an observer saw it then. 0 when nothing was recorded yet.

    Recorded times grow with the log except where two writers committed in the other
    order than they read their clocks (or their clocks disagree). A binary search finds
    the boundary as if times only grew; a forward scan from there, up to the first event
    recorded more than CLOCK_DISORDER after the moment, finds any later event recorded
    at or before it. Exact whenever writers' disorder stays under CLOCK_DISORDER."""
    from sanzi_ledger.projections.views import Views

    views = Views(app)
    key = "notification_id" if views.postgres else "rowid"
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    first_at = f"SELECT {key}, state FROM {table} WHERE {key} >= ? ORDER BY {key} LIMIT 1"
    page = f"SELECT {key}, state FROM {table} WHERE {key} > ? ORDER BY {key} LIMIT ?"
    horizon = moment + CLOCK_DISORDER
    with views.transaction() as cursor:
        low, high, found = 1, app.head(), 0  # invariant: every id < low is "at or before" as far as probed
        while low <= high:
            middle = (low + high) // 2
            row = cursor.query(first_at, (middle,))
            if not row or row[0][0] > high:
                high = middle - 1  # a gap (PostgreSQL) up to high: look below
            elif recorded_at(bytes(row[0][1])) <= moment:
                found, low = int(row[0][0]), int(row[0][0]) + 1
            else:
                high = middle - 1
        after = found
        while True:
            rows = cursor.query(page, (after, _SCAN_PAGE))
            for notification_id, state in rows:
                at = recorded_at(bytes(state))
                if at <= moment:
                    found = int(notification_id)
                elif at > horizon:
                    return found
            if len(rows) < _SCAN_PAGE:
                return found
            after = rows[-1][0]


def recorded_at(state: bytes) -> datetime:
    """An event's recorded time, read from its stored JSON without decoding the rest."""
    start = state.find(_TIMESTAMP_KEY)
    assert start >= 0, "an event without a timestamp"
    start += len(_TIMESTAMP_KEY)
    return datetime.fromisoformat(state[start:state.index(b'"', start)].decode())
