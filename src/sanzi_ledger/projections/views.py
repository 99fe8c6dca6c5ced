"""The view store: SQL over the same database as the events, on either dialect.

SQL is written once with `?` placeholders; on PostgreSQL they become `%s` and
each transaction sets the township's schema as its search path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.projections import multirow


class Cursor:
    def __init__(self, raw: Any, postgres: bool) -> None:
        self.raw = raw
        self.postgres = postgres

    def _sql(self, sql: str) -> str:
        # psycopg reads every % as a placeholder: double literal ones (LIKE 'x%').
        return sql.replace("%", "%%").replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.raw.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.postgres:  # psycopg already pipelines executemany
            self.raw.executemany(self._sql(sql), [tuple(row) for row in rows])
            return
        multirow.write(self.raw, sql, rows)

    def fetchall(self) -> list[tuple]:
        return [tuple(row) for row in self.raw.fetchall()]

    def fetchone(self) -> tuple | None:
        row = self.raw.fetchone()
        return None if row is None else tuple(row)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        self.execute(sql, params)
        return self.fetchall()

    def columns(self) -> list[str]:
        """The column names of the last query (the library wraps sqlite3's cursor)."""
        raw = getattr(self.raw, "sqlite_cursor", self.raw)
        return [column[0] for column in raw.description]


class Views:
    def __init__(self, app: LedgerApplication) -> None:
        self.postgres = app.config.kind == "postgres"
        self.schema = app.config.schema
        self.datastore = app.factory.datastore  # type: ignore[attr-defined]

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as raw:
            cursor = Cursor(raw, self.postgres)
            if self.postgres:
                from psycopg.rows import tuple_row

                # Rows as tuples: dict rows would merge unnamed columns (SUM, SUM).
                raw.row_factory = tuple_row
                cursor.execute(f'SET LOCAL search_path TO "{self.schema}"')
            yield cursor

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.transaction() as cursor:
            return cursor.query(sql, params)
