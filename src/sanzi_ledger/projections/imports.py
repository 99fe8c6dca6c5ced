"""Imports: the file log an auditor reads, and the fingerprints that make a
second import of the same rows add nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.projections import books
from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:
    from sanzi_ledger.domain.imports import (
        FileImported,
        OpeningMigrated,
        RecordsImported,
    )

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_imports (
        collective TEXT NOT NULL, import_id TEXT NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL, size_bytes BIGINT NOT NULL, encoding TEXT NOT NULL, rows BIGINT NOT NULL,
        imported BIGINT NOT NULL, already_present BIGINT NOT NULL, operator TEXT NOT NULL,
        recorded_at TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (collective, import_id))""",
    """CREATE TABLE IF NOT EXISTS v_import_records (
        collective TEXT NOT NULL, kind TEXT NOT NULL, fingerprint TEXT NOT NULL, ref TEXT NOT NULL,
        row_no BIGINT NOT NULL, import_id TEXT NOT NULL, position BIGINT NOT NULL,
        PRIMARY KEY (collective, kind, fingerprint))""",
]


def records_imported(batch: Batch, position: int, e: RecordsImported) -> None:
    import_id = str(e.originator_id)
    for record in e.records:
        batch.write("INSERT INTO v_import_records VALUES (?,?,?,?,?,?,?)",
                    (e.collective, e.kind, record.fingerprint, record.ref, record.row, import_id, position))


def file_imported(batch: Batch, position: int, e: FileImported) -> None:
    batch.write("INSERT INTO v_imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (e.collective, str(e.originator_id), e.kind, e.file_name, e.sha256, e.size_bytes, e.encoding,
                 e.rows, e.imported, e.already_present, e.operator, e.timestamp.isoformat(), position))


def opening_migrated(batch: Batch, position: int, e: OpeningMigrated) -> None:
    books.opening_migrated(batch, position, e)  # one handler per topic: the balances, then the log line
    batch.write("INSERT INTO v_imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (e.collective, str(e.originator_id), "opening-2004", e.file_name, e.sha256, 0, "",
                 len(e.lines), len(e.lines), 0, e.operator, e.timestamp.isoformat(), position))


HANDLERS = {
    "import.RecordsImported.v1": records_imported,
    "import.FileImported.v1": file_imported,
    "import.OpeningMigrated.v1": opening_migrated,
}
