"""Stores for the tests: a SQLite file and a PostgreSQL schema, both real.

The integration suite runs every case on both. Without a PostgreSQL server
the PostgreSQL cases are skipped with a loud reason; with
SANZI_REQUIRE_POSTGRES=1 (as in CI) they fail instead, so CI can never pass
on SQLite alone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_DSN = os.environ.get("SANZI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_DSN, connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means "not here"
        return f"{type(error).__name__}: {error}"


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_available()


def _drop_schema(schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path, postgres_reason) -> Iterator[str]:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    if postgres_reason:
        message = f"PostgreSQL NOT TESTED — server unavailable at {PG_DSN}: {postgres_reason}"
        if os.environ.get("SANZI_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{PG_DSN}?schema={schema}"
    _drop_schema(schema)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return str(tmp_path / "ledger.db")
