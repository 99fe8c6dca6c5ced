"""Many rows in one INSERT statement, for SQLite.

`executemany` steps its statement once per row and comes back into Python for
each. One `INSERT … VALUES (…),(…),…` holding a few thousand rows is bound
once and stepped once: about a third less time for the same rows. The rows
are bound as parameters, never spliced into the SQL text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

# SQLite's default bound-variable limit since 3.32 (32766); a build with a lower
# one says so through getlimit().
_VARIABLES_DEFAULT = 32_766
ROWS_PER_STATEMENT_MAX = 5_000  # keeps one statement's text and bindings a few hundred KB at most
# Compiled on first use (re caches it): a CLI command that inserts nothing pays nothing.
_VALUES = r"^(\s*INSERT\s+INTO\s+.+?\s+VALUES\s*)(\([^()]*\))(.*)$"


class Template:
    """A one-row INSERT cut around its row: head "INSERT INTO t VALUES ", row "(?,?,'',?)",
    tail "" or " ON CONFLICT (…) DO UPDATE SET …"; width: parameters per row."""

    __slots__ = ("head", "row", "tail", "width")

    def __init__(self, head: str, row: str, tail: str) -> None:
        self.head, self.row, self.tail, self.width = head, row, tail, row.count("?")

    def sql(self, rows: int) -> str:
        return _joined(self, rows)


@cache
def template(sql: str) -> Template | None:
    """The parts of a one-row `INSERT … VALUES (…)`; None for any other statement."""
    match = re.match(_VALUES, sql, re.IGNORECASE | re.DOTALL)
    if match is None:
        return None
    return Template(*match.groups())


@lru_cache(maxsize=64)  # full chunks repeat; a last, shorter chunk mostly does not
def _joined(statement: Template, rows: int) -> str:
    return statement.head + ",".join([statement.row] * rows) + statement.tail


def rows_per_statement(statement: Template, variables: int) -> int:
    return max(1, min(ROWS_PER_STATEMENT_MAX, variables // max(1, statement.width)))


def variables_limit(connection: sqlite3.Connection) -> int:
    try:
        return connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):
        return _VARIABLES_DEFAULT


def insert(execute: Any, statement: Template, rows: Sequence[Sequence[Any]], variables: int) -> None:
    """`execute(sql, params)` once per chunk of `rows`; full chunks share one cached statement."""
    per = rows_per_statement(statement, variables)
    for start in range(0, len(rows), per):
        chunk = rows[start:start + per]
        params = [value for row in chunk for value in row]
        assert len(params) == statement.width * len(chunk), (statement.row, len(params))
        execute(statement.sql(len(chunk)), params)


def write(cursor: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """`rows` through `sql` on a sqlite3 cursor (or the library's wrapper of one): many rows
    per statement when `sql` is a one-row INSERT, else (an UPDATE, or a statement of
    another shape) row by row."""
    statement = template(sql)
    if statement is None:
        cursor.executemany(sql, [tuple(row) for row in rows])
    else:
        connection = getattr(cursor, "sqlite_cursor", cursor).connection
        insert(cursor.execute, statement, rows, variables_limit(connection))

