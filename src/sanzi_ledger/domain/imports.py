"""Bulk imports, as facts an auditor can read: who brought which file in, when, and
what each row became; and the one-time migration of the 2004-chart books.

An import records, in the same transaction as the vouchers or register
records it creates, one `RecordsImported` per batch (each row's content
fingerprint and the number it became) and a closing `FileImported` (file
name, SHA-256, counts). A second import of the same content finds the
fingerprints and adds nothing.

The migration (财会〔2023〕20号) is one `OpeningMigrated` per collective: the old
trial balance at the day before the new books start, each balance carried
to its 2024-chart account. Its id is fixed per collective, so a second
migration is a conflict, never a double opening balance.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import record_id
from sanzi_ledger.money import AMOUNT_FEN_MAX, format_yuan

RECORDS_PER_EVENT = 1000
FINGERPRINT_CHARS = 32  # 128 bits of SHA-256: no accidental collision in any ledger's lifetime
MIGRATION_LINES_MAX = 2000


class ImportedRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    row: int
    fingerprint: str
    ref: str  # what it became: a voucher number or a register record number


class RecordsImported(CollectiveEvent):
    TOPIC = "import.RecordsImported.v1"
    kind: str
    records: tuple[ImportedRecord, ...]


class FileImported(CollectiveEvent):
    TOPIC = "import.FileImported.v1"
    kind: str
    file_name: str
    sha256: str
    size_bytes: int
    encoding: str
    rows: int
    imported: int
    already_present: int


class MigratedLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    old_code: str
    new_code: str
    debit_fen: int
    credit_fen: int


class OpeningMigrated(CollectiveEvent):
    TOPIC = "import.OpeningMigrated.v1"
    from_chart: str
    to_chart: str
    balance_date: date  # the old books' trial balance date (2023-12-31)
    opening_month: str  # the month whose opening these balances are (2024-01)
    lines: tuple[MigratedLine, ...]
    file_name: str
    sha256: str


def fingerprint(kind: str, collective: str, parts: tuple[object, ...]) -> str:
    """A row's (or a voucher's) content, as a short stable digest."""
    text = "\x1f".join([kind, collective, *(repr(part) for part in parts)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def import_id(collective: str, sha256: str, now: datetime) -> UUID:
    return record_id("import", collective, f"{sha256}:{now.isoformat()}")


def migration_id(collective: str) -> UUID:
    return record_id("opening", collective, "2004-2024")


def records_imported(collective: str, kind: str, aggregate: UUID, version: int, records: list[ImportedRecord], *,
                     operator: str, now: datetime) -> RecordsImported:
    assert 0 < len(records) <= RECORDS_PER_EVENT, len(records)
    return RecordsImported(originator_id=aggregate, originator_version=version, timestamp=now, operator=operator,
                           collective=collective, kind=kind, records=tuple(records))


# -- migration from the 2004 chart ---------------------------------------------------
def map_account(collective: Collective, old_chart: Chart, new_chart: Chart, mapping: dict[str, tuple[str, ...]],
                old_code: str, new_code: str) -> str:
    """The 2024-chart leaf account a 2004-chart balance goes to (one row's rule)."""
    if old_chart.get(old_code[:3]) is None or not old_code.isdigit():
        raise Refusal("migration.old_account_unknown", field="old_code", value=old_code)
    targets = mapping.get(old_code[:3], ())
    if not targets:
        raise Refusal("migration.no_mapping", field="old_code", value=old_code)
    target = new_code or targets[0]
    if target[:3] not in targets:
        raise Refusal("migration.target_not_mapped", field="new_code", value=target, old=old_code, allowed="、".join(targets))
    account = collective.account(new_chart, target)
    if account is None:
        raise Refusal("voucher.account_unknown", field="new_code", value=target, chart=new_chart.id)
    if collective.has_children(target):
        raise Refusal("voucher.account_not_leaf", field="new_code", value=target, name=account.name)
    if account.account_class == "profit_loss":
        # After the 2023 year-end close no income or expense account has a balance.
        raise Refusal("migration.profit_loss_balance", field="old_code", value=old_code, new=target)
    return target


def migrate(collective: Collective, lines: list[MigratedLine], *, file_name: str, sha256: str, from_chart: str,
            existing: object, operator: str, now: datetime) -> OpeningMigrated:
    """The whole trial balance: it must balance, once per collective."""
    if existing is not None:
        raise Refusal("migration.already_done", field="kind", value="opening-2004", record=collective.code)
    if not lines or len(lines) > MIGRATION_LINES_MAX:
        raise Refusal("migration.lines", field="file", value=len(lines), limit=MIGRATION_LINES_MAX)
    debit = sum(line.debit_fen for line in lines)
    credit = sum(line.credit_fen for line in lines)
    if debit > AMOUNT_FEN_MAX or credit > AMOUNT_FEN_MAX:
        raise Refusal("money.too_large", field="debit", value=format_yuan(max(debit, credit)), limit=format_yuan(AMOUNT_FEN_MAX))
    if debit != credit:
        raise Refusal("migration.unbalanced", field="credit", value=format_yuan(credit), record=file_name,
                      debit=format_yuan(debit), credit=format_yuan(credit), difference=format_yuan(abs(debit - credit)))
    start = collective.start_period
    return OpeningMigrated(
        originator_id=migration_id(collective.code), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, from_chart=from_chart, to_chart=collective.chart,
        balance_date=date.fromisoformat(f"{start}-01") - timedelta(days=1), opening_month=start,
        lines=tuple(lines), file_name=file_name, sha256=sha256,
    )


def apply(state: Event | None, event: Event) -> Event | None:
    """An import aggregate is its events; only existence matters to a decision."""
    return event
