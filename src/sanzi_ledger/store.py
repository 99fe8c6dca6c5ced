"""Choosing and opening the store: a SQLite file (embedded default) or PostgreSQL.

`--db` takes a file path or a `postgresql://user@host:port/dbname?schema=NAME`
URL. On PostgreSQL each township gets its own schema (default `sanzi`), so
the library's per-table insert lock serialises one township, not a county.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlparse

from sanzi_ledger.errors import Refusal, StoreUnavailable

DEFAULT_DB = "./sanzi.db"
DEFAULT_SCHEMA = "sanzi"
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class StoreConfig:
    kind: str  # "sqlite" | "postgres"
    path: str = ""
    host: str = ""
    port: str = "5432"
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = DEFAULT_SCHEMA

    @property
    def label(self) -> str:
        if self.kind == "sqlite":
            return self.path
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}?schema={self.schema}"

    def eventsourcing_env(self, *, create: bool) -> dict[str, str]:
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                # Our recorder writes the hash chain in the same transaction as the events.
                "APPLICATION_RECORDER_TOPIC": "sanzi_ledger.integrity.recorders:ChainedSQLiteRecorder",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return {
            # Only `init` creates tables: two processes creating them at once
            # collide on PostgreSQL's catalogue ("tuple concurrently updated").
            "CREATE_TABLE": "y" if create else "n",
            "APPLICATION_RECORDER_TOPIC": "sanzi_ledger.integrity.postgres_recorder:ChainedPostgresRecorder",
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": self.port,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
        }


def parse_store(db: str | None) -> StoreConfig:
    db = (db or os.environ.get("SANZI_DB") or DEFAULT_DB).strip()
    if db.startswith(("postgresql://", "postgres://")):
        url = urlparse(db)
        schema = parse_qs(url.query).get("schema", [DEFAULT_SCHEMA])[0]
        if not url.path.strip("/"):
            raise Refusal("store.url", field="db", value=db)
        if not _SCHEMA.match(schema):
            raise Refusal("store.schema_name", field="schema", value=schema)
        return StoreConfig(
            kind="postgres", host=url.hostname or "127.0.0.1", port=str(url.port or 5432),
            user=unquote(url.username or os.environ.get("USER", "postgres")),
            password=unquote(url.password or ""), dbname=url.path.strip("/"), schema=schema,
        )
    if "://" in db:
        raise Refusal("store.url", field="db", value=db)
    return StoreConfig(kind="sqlite", path=db)


EVENTS_TABLE = "sanzi_events"  # the library names it after the application


def _connect(config: StoreConfig):
    import psycopg

    try:
        return psycopg.connect(
            host=config.host, port=config.port, user=config.user, password=config.password,
            dbname=config.dbname, connect_timeout=5, autocommit=True,
        )
    except psycopg.Error as error:
        raise StoreUnavailable(f"{config.label}: {error}") from error


def store_exists(config: StoreConfig) -> bool:
    """Whether a ledger is already there; asking never creates one."""
    if config.kind == "sqlite":
        return os.path.exists(config.path)
    with _connect(config) as conn:
        row = conn.execute("SELECT to_regclass(%s)", (f'"{config.schema}".{EVENTS_TABLE}',)).fetchone()
    return bool(row and row[0])


def ensure_schema(config: StoreConfig) -> None:
    """PostgreSQL: create the township's schema (the library creates tables, not schemas)."""
    if config.kind != "postgres":
        return
    from psycopg import sql

    with _connect(config) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(config.schema)))
