"""Importing vouchers: one row per line, rows sharing a 凭证号 form one voucher.

The file is read once, as a stream, and its rows grouped into vouchers
(io/voucher_drafts.py). Each voucher is decided by `vouchers.post`, the
same rule book as `sanzi voucher post` (`vouchers.post_in_range`), against
the month's period state held in memory for the whole file: the month is
loaded once, and numbers follow on gap-free. Vouchers are decided and written
1,000 at a time inside the import's one transaction (io/writer.py); each
month of a batch issues its numbers in one `period.RangeNumbered` event
(written before the vouchers it numbers) instead of one event per voucher.

A voucher's fingerprint is its content plus the file's own number; one found
in `v_import_records` was imported before and is counted, not posted again.

Reading and grouping need no ledger: for a large file they run in a reading
process of their own (io/reading.py) while this one decides and writes, so
the two halves of an import use both cores.
"""

from __future__ import annotations

from collections.abc import Callable

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.domain import collectives, imports, periods, vouchers
from sanzi_ledger.domain.events import Event
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.reading import drafts_of
from sanzi_ledger.io.result import ImportResult
from sanzi_ledger.io.table import Table, row_error
from sanzi_ledger.io.voucher_drafts import Draft
from sanzi_ledger.io.writer import Writer
from sanzi_ledger.periods import month_of

BATCH_VOUCHERS = 1000
IMPORTERS = collectives.BOOKKEEPERS  # bringing old books in is the accountant's work


def import_vouchers(led: Ledger, table: Table, writer: Writer | None, result: ImportResult,
                    progress: Callable[[int], None] | None = None) -> None:
    """Read, decide and (when `writer` is given and no row failed) write every voucher of `table`."""
    operator = led.require_operator()
    state = led.collective()
    collectives.require_role(state, operator, IMPORTERS, action="import")
    chart = led.chart(state.chart)
    now, today = led.now(), led.today()
    months: dict[str, periods.PeriodState | None] = {}
    errors = table.errors
    aggregate = imports.import_id(state.code, result.sha256, now)
    version = 0

    def decide(batch: list[Draft]) -> None:
        nonlocal version
        present = _present(writer.query if writer else led.views.query, state.code, [d.fingerprint for d in batch])
        posted: list[Event] = []
        records: list[imports.ImportedRecord] = []
        taken: dict[str, int] = {}  # month -> numbers given out in this batch, issued at once below
        for draft in batch:
            if draft.fingerprint in present:
                result.already_present += 1
                continue
            if draft.bad:
                continue
            month = month_of(draft.day)
            if month not in months:
                months[month] = led.period(state.code, month)
            try:
                voucher = vouchers.post_in_range(
                    state, chart, months[month], taken=taken.get(month, 0), day=draft.day, summary=draft.summary,
                    lines=[Line(account=account, side=side, amount_fen=fen) for account, side, fen in draft.lines],
                    attachments=draft.attachments, resolution=draft.resolution, operator=operator,
                    now=now, today=today,
                )
            except Refusal as refusal:
                row, column = draft.row_of(refusal.field)
                errors.add(row_error(row, column, refusal))
                continue
            taken[month] = taken.get(month, 0) + 1
            posted.append(voucher)
            records.append(imports.ImportedRecord(row=draft.rows[0], fingerprint=draft.fingerprint, ref=voucher.number))
        events: list[Event] = []
        for month, count in taken.items():
            numbered = periods.number_range(months[month], count, collective=state.code, month=month,
                                            start_period=state.start_period, operator=operator, now=now)
            months[month] = periods.apply(months[month], numbered)
            events.append(numbered)
        events += posted
        result.imported += len(records)
        if records:
            result.refs(records[0].ref, records[-1].ref)
        if writer is not None and records and not errors:
            version += 1
            events.append(imports.records_imported(state.code, "vouchers", aggregate, version, records,
                                                   operator=operator, now=now))
            writer.append(events)

    drafts = drafts_of(table, state.code)
    pending: list[Draft] = []
    for draft in drafts:
        pending.append(draft)
        if len(pending) >= BATCH_VOUCHERS:
            decide(pending)
            pending = []
            if progress is not None:
                progress(drafts.rows)
    if pending:
        decide(pending)
    result.rows = drafts.rows
    if progress is not None:
        progress(result.rows)
    if writer is not None and result.imported and not errors:
        writer.append([imports.FileImported(
            originator_id=aggregate, originator_version=version + 1, timestamp=now, operator=operator,
            collective=state.code, kind="vouchers", file_name=result.file_name, sha256=result.sha256,
            size_bytes=result.size_bytes, encoding=result.encoding or "", rows=result.rows,
            imported=result.imported, already_present=result.already_present,
        )])


def _present(query: Callable[..., list[tuple]], collective: str, prints: list[str]) -> set[str]:
    """Which of these fingerprints an earlier import recorded (`query`: the import's
    transaction, or the views when nothing will be written)."""
    found: set[str] = set()
    for start in range(0, len(prints), 500):
        chunk = prints[start:start + 500]
        rows = query(
            f"SELECT fingerprint FROM v_import_records WHERE collective = ? AND kind = 'vouchers' "
            f"AND fingerprint IN ({','.join('?' * len(chunk))})", (collective, *chunk))
        found.update(row[0] for row in rows)
    return found
