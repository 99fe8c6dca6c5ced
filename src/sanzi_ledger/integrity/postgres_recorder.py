"""The PostgreSQL application recorder that writes the hash chain (see integrity/recorders.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from sanzi_ledger.integrity.chain import CHAIN_TABLE
from sanzi_ledger.integrity.recorders import CHAIN_DDL, chain_links


class ChainedPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from psycopg.sql import SQL, Identifier

        schema = Identifier(self.datastore.schema)
        self.sql_create_statements.append(SQL(CHAIN_DDL.replace(CHAIN_TABLE, "{schema}.{table}")).format(
            schema=schema, table=Identifier(CHAIN_TABLE)))
        self._chain_last = SQL("SELECT position, hash FROM {schema}.{table} ORDER BY position DESC LIMIT 1").format(
            schema=schema, table=Identifier(CHAIN_TABLE))
        self._chain_insert = SQL("INSERT INTO {schema}.{table} VALUES (%s, %s, %s)").format(
            schema=schema, table=Identifier(CHAIN_TABLE))

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        # Still inside the inserting transaction, under the table lock.
        curs.execute(self._chain_last)
        row = curs.fetchone()
        last = (row["position"], bytes(row["hash"])) if row else None
        curs.executemany(self._chain_insert, chain_links(last, stored_events, ids or []))
        return ids
