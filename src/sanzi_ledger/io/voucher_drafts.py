"""A voucher file's rows grouped into vouchers ("drafts"), before the ledger decides on them.

Adjacent rows with the same 凭证号 are one voucher (old books number vouchers
per month, so "1" comes back every month; a number that comes back within
the same month, not adjacent, is refused as a split voucher). Each draft
carries its fingerprint: its content plus the file's own number.

Nothing here touches the ledger, so grouping runs in the importing process
or, for a large file, in a reading process of its own (io/reading.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sanzi_ledger.domain import imports
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.table import Errors, Table, row_error
from sanzi_ledger.periods import month_of

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


def _line(number: int, values: dict, errors: Errors) -> RawLine | None:
    debit, credit = values.get("debit", 0), values.get("credit", 0)
    if debit and credit:
        errors.add(row_error(number, "借方金额", Refusal("import.both_sides", field="借方金额", value=values.get("debit"))))
        return None
    if not debit and not credit:
        errors.add(row_error(number, "借方金额", Refusal("import.no_amount", field="借方金额", value="")))
        return None
    return (values["account"], "debit", debit) if debit else (values["account"], "credit", credit)
