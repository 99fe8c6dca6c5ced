"""`sanzi import FILE --kind KIND`: open the file, read it against its kind's columns,
decide every row, and write all of it in one transaction or nothing.

A file with any bad row writes nothing and reports every bad row; `--dry-run`
does everything but commit. See io/writer.py for how one transaction holds
an import of any size, and docs/import.md for the columns.
"""

from __future__ import annotations

from collections.abc import Callable

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.columns import KINDS
from sanzi_ledger.io.result import ImportResult
from sanzi_ledger.io.sources import ENCODING_NAMES, open_source
from sanzi_ledger.io.table import Table
from sanzi_ledger.io.writer import ViewsBehind, import_transaction

ATTEMPTS = 5


class _Refused(Exception):
    """Rows were refused: roll the transaction back."""


def _importer(kind: str) -> Callable:
    if kind == "vouchers":
        from sanzi_ledger.io.vouchers import import_vouchers

        return import_vouchers
    if kind == "opening-2004":
        from sanzi_ledger.io.migration import import_opening

        return import_opening
    from sanzi_ledger.io.registers import import_registers

    return import_registers


def run_import(led: Ledger, path: str, kind: str, *, encoding: str | None = None, dry_run: bool = False,
               progress: Callable[[int], None] | None = None) -> ImportResult:
    if kind not in KINDS:
        raise Refusal("import.kind_unknown", field="kind", value=kind, allowed="|".join(KINDS))
    led.ledger_state()
    importer = _importer(kind)
    for attempt in range(ATTEMPTS):
        source = open_source(path, encoding=encoding)
        result = ImportResult(kind, source.name, source.sha256, source.size_bytes,
                              ENCODING_NAMES.get(source.encoding or "", source.encoding), dry_run)
        try:
            with import_transaction(led, commit=not dry_run) as writer:
                table = Table(source, KINDS[kind], result.errors)
                result.ignored_columns = table.ignored
                importer(led, table, None if dry_run else writer, result, progress)
                if result.errors:
                    raise _Refused
                result.position = writer.position
        except _Refused:
            pass
        except ViewsBehind:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return result
    raise AssertionError("unreachable")
