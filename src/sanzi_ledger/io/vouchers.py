"""Importing vouchers: one row per line, rows sharing a 凭证号 form one voucher.

The file is read once, as a stream. Adjacent rows with the same 凭证号 are one
voucher (old books number vouchers per month, so "1" comes back every
month; a number that comes back within the same month, not adjacent, is
refused as a split voucher). Each voucher is decided by `vouchers.post`, the
same rule book as `sanzi voucher post` (`vouchers.post_in_range`), against
the month's period state held in memory for the whole file: the month is
loaded once, and numbers follow on gap-free. Vouchers are decided and written
1,000 at a time inside the import's one transaction (io/writer.py); each
month of a batch issues its numbers in one `period.RangeNumbered` event
(written before the vouchers it numbers) instead of one event per voucher.

A voucher's fingerprint is its content plus the file's own number; one found
in `v_import_records` was imported before and is counted, not posted again.

Reading and grouping (`Drafts`) need no ledger: for a large file they run in
a reading process of their own (io/reading.py) while this one decides and
writes, so the two halves of an import use both cores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.domain import collectives, imports, periods, vouchers
from sanzi_ledger.domain.events import Event
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.result import ImportResult
from sanzi_ledger.io.table import Errors, Table, row_error
from sanzi_ledger.io.writer import Writer
from sanzi_ledger.periods import month_of

BATCH_VOUCHERS = 1000
IMPORTERS = collectives.BOOKKEEPERS  # bringing old books in is the accountant's work
RawLine = tuple[str, str, int]  # (account, side, amount_fen) as the file has it; a `Line` once decided


@dataclass
class Draft:
    """One voucher as the file has it, before the ledger decides on it."""

    source_number: str
    day: date
    summary: str
    attachments: int
    resolution: str
    rows: list[int] = field(default_factory=list)
    lines: list[RawLine] = field(default_factory=list)
    bad: bool = False
    fingerprint: str = ""

    def digest(self, collective: str) -> str:
        lines = ";".join(f"{account}:{side}:{fen}" for account, side, fen in self.lines)
        return imports.fingerprint("vouchers", collective, (self.source_number, self.day.isoformat(), self.summary,
                                                             lines, self.attachments, self.resolution))

    def row_of(self, refusal_field: str | None) -> tuple[int, str]:
        """Which row and column a refusal of `vouchers.post` points at ("debit[2]": the second debit line)."""
        name = refusal_field or ""
        side = name.split("[")[0]
        if side in ("debit", "credit"):
            column = "借方金额" if side == "debit" else "贷方金额"
            nth = int(name[len(side) + 1:-1]) if "[" in name else 1
            matching = [row for row, line in zip(self.rows, self.lines, strict=True) if line[1] == side]
            return (matching[nth - 1] if 0 < nth <= len(matching) else self.rows[0]), column
        column = {"summary": "摘要", "resolution": "审批文号", "attachments": "附件张数", "date": "日期",
                  "lines": "凭证号"}.get(side, "凭证号")
        return self.rows[0], column


class Drafts:
    """The vouchers of `table`, in file order, each with its fingerprint; the rows
    read so far in `rows`. Errors of rows and of grouping go to `table.errors`.
    Needs nothing but the table, so it may run in another process."""

    def __init__(self, table: Table, collective: str) -> None:
        self.table = table
        self.collective = collective
        self.rows = 0

    def __iter__(self) -> Iterator[Draft]:
        errors = self.table.errors
        seen: dict[tuple[str, str], int] = {}  # (month, 凭证号) -> first row: a number met again, not adjacent, is an error
        current: Draft | None = None
        for number, values, ok in self.table.records():
            self.rows += 1
            source_number = values.get("source_number")
            day = values.get("day")
            if source_number is None or (day is None and (current is None or current.source_number != source_number)):
                if current is not None:
                    current.bad = True  # which voucher the row belongs to is unknown: never post half of one
                continue
            line = _line(number, values, errors) if ok else None
            if current is not None and source_number == current.source_number:
                if day is not None and day != current.day:
                    errors.add(row_error(number, "日期", Refusal("import.voucher_date_differs", field="日期",
                                                                value=day.isoformat(), first=current.day.isoformat())))
                    current.bad = True
                current.attachments = current.attachments or values.get("attachments", 0)
                current.resolution = current.resolution or values.get("resolution", "")
            else:
                if current is not None:
                    yield self._done(current)
                current = Draft(source_number, day, values.get("summary", ""), values.get("attachments", 0),
                                values.get("resolution", ""))
                key = (month_of(day), source_number)
                if key in seen:
                    errors.add(row_error(number, "凭证号", Refusal("import.voucher_split", field="凭证号",
                                                                 value=source_number, first=seen[key])))
                    current.bad = True
                else:
                    seen[key] = number
            current.rows.append(number)
            if line is None:
                current.bad = True
            else:
                current.lines.append(line)
        if current is not None:
            yield self._done(current)

    def _done(self, draft: Draft) -> Draft:
        draft.fingerprint = draft.digest(self.collective)
        return draft


def import_vouchers(led: Ledger, table: Table, writer: Writer | None, result: ImportResult,
                    progress: Callable[[int], None] | None = None) -> None:
    """Read, decide and (when `writer` is given and no row failed) write every voucher of `table`."""
    from sanzi_ledger.io.reading import drafts_of

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


def _line(number: int, values: dict, errors: Errors) -> RawLine | None:
    debit, credit = values.get("debit", 0), values.get("credit", 0)
    if debit and credit:
        errors.add(row_error(number, "借方金额", Refusal("import.both_sides", field="借方金额", value=values.get("debit"))))
        return None
    if not debit and not credit:
        errors.add(row_error(number, "借方金额", Refusal("import.no_amount", field="借方金额", value="")))
        return None
    return (values["account"], "debit", debit) if debit else (values["account"], "credit", credit)


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
