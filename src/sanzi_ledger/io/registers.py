"""Importing register records (contracts, assets, resources, leases, debts, subsidies).

Each row becomes the register command `sanzi <kind> ...` would build, and runs
through that command's own handler on a staged ledger (io/staging.py): the
same role checks, the same rules, the same postings. A row the handler
refuses is reported with its column; the file is written only when every row
passed. Register files are small (a village has tens to hundreds of records),
so the decided events are held until the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from sanzi_ledger.commands import registers as cmds
from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.domain import imports
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.result import ImportResult
from sanzi_ledger.io.staging import StagedLedger
from sanzi_ledger.io.table import Table, row_error
from sanzi_ledger.io.writer import Writer

REGISTER_ROWS_MAX = 20_000
EVENTS_PER_WRITE = 2000
COMMANDS: dict[str, tuple[type, Callable[[Ledger, Any], Any]]] = {
    "contracts": (cmds.SignContract, cmds.sign_contract),
    "assets": (cmds.AddAsset, cmds.add_asset),
    "resources": (cmds.AddResource, cmds.add_resource),
    "leases": (cmds.SignLease, cmds.sign_lease),
    "debts": (cmds.AddDebt, cmds.add_debt),
    "subsidies": (cmds.ReceiveSubsidy, cmds.receive_subsidy),
}


def import_registers(led: Ledger, table: Table, writer: Writer | None, result: ImportResult,
                     progress: Callable[[int], None] | None = None) -> None:
    command, handler = COMMANDS[result.kind]
    staged = StagedLedger(led)
    code = led.collective().code
    errors = table.errors
    records: list[imports.ImportedRecord] = []
    for number, values, ok in table.records():
        result.rows += 1
        if result.rows > REGISTER_ROWS_MAX:
            raise Refusal("import.too_many_rows", field="file", value=result.file_name, limit=REGISTER_ROWS_MAX)
        if progress is not None and result.rows % 100 == 0:
            progress(result.rows)
        if not ok:
            continue
        print_ = imports.fingerprint(result.kind, code, tuple(sorted((k, repr(v)) for k, v in values.items())))
        if _present(writer.query if writer else led.views.query, code, result.kind, print_):
            result.already_present += 1
            continue
        try:
            outcome = handler(staged, command(**values))
        except Refusal as refusal:
            errors.add(row_error(number, table.column_of(refusal.field), refusal))
            continue
        except ValidationError as error:
            problem = error.errors()[0]
            field = str(problem["loc"][0]) if problem["loc"] else ""
            errors.add(row_error(number, table.column_of(field), Refusal("import.cell_invalid", field=field,
                                                                        value=str(problem.get("input", "")))))
            continue
        ref = f"{outcome.id}（{outcome.voucher}）" if outcome.voucher else outcome.id
        records.append(imports.ImportedRecord(row=number, fingerprint=print_, ref=ref))
        result.refs(outcome.id, outcome.id)
    result.imported = len(records)
    if progress is not None:
        progress(result.rows)
    if writer is None or errors or not records:
        return
    operator, now = led.require_operator(), led.now()
    aggregate = imports.import_id(code, result.sha256, now)
    events = list(staged.app.held)  # type: ignore[attr-defined]
    chunks = [records[i:i + imports.RECORDS_PER_EVENT] for i in range(0, len(records), imports.RECORDS_PER_EVENT)]
    for version, chunk in enumerate(chunks, start=1):
        events.append(imports.records_imported(code, result.kind, aggregate, version, chunk, operator=operator, now=now))
    events.append(imports.FileImported(
        originator_id=aggregate, originator_version=len(chunks) + 1, timestamp=now, operator=operator,
        collective=code, kind=result.kind, file_name=result.file_name, sha256=result.sha256,
        size_bytes=result.size_bytes, encoding=result.encoding or "", rows=result.rows,
        imported=result.imported, already_present=result.already_present,
    ))
    for start in range(0, len(events), EVENTS_PER_WRITE):
        writer.append(events[start:start + EVENTS_PER_WRITE])


def _present(query: Callable[..., list[tuple]], code: str, kind: str, print_: str) -> bool:
    return bool(query("SELECT 1 FROM v_import_records WHERE collective = ? AND kind = ? AND fingerprint = ?",
                      (code, kind, print_)))
