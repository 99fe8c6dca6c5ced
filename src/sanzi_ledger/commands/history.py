"""audit history NO: every event of one voucher or register record, in log order.

Each entry stands alone: its log position, when it was recorded, its business
date, who recorded it, what happened, what changed and what it points at. An
entry whose business date lies more than `[flags] backdate_days` before the
day it was recorded is marked back-dated (补记). For a register record the
vouchers it posted follow, with their lines and any reversal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sanzi_ledger.commands.audits import REFERENCE_KINDS
from sanzi_ledger.commands.ledger import CHINA, Ledger
from sanzi_ledger.domain.events import Event, event_class
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import voucher_id
from sanzi_ledger.projections.views import Views

BACKDATE_DAYS_DEFAULT = 30  # when the flags config has no `backdate_days`
EVENTS_MAX = 10_000  # one record's history; a record with more is a programmer's surprise, not a user's
_BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "operator", "collective"})
# The fields that are the event's business date, in order of preference.
_BUSINESS_DATE = ("date", "signed_on", "acquired")
# Fields that point at other records: shown as references, not as changes.
# The record's own number is in the heading of every entry.
_SILENT_FIELDS = frozenset({"number"})
REFERENCE_FIELDS = ("resolution", "voucher", "reverses", "reversed_by", "source", "lease", "item")


@dataclass(frozen=True)
class Change:
    field: str
    value: Any  # as stored: fen, 0.01 亩, dates, tuples; the CLI formats them
    previous: Any = None  # for an amendment: the value it replaces


@dataclass(frozen=True)
class Entry:
    position: int
    topic: str
    recorded_at: datetime  # UTC, as stored
    business_date: date | None
    operator: str
    changes: list[Change]
    references: list[tuple[str, str]]  # (field, value)
    days_late: int | None  # recorded date minus business date, in days
    backdated: bool


@dataclass(frozen=True)
class PostedVoucher:
    number: str
    date: date
    summary: str
    kind: str
    lines: list[tuple[str, str, int]]  # (account, side, fen)
    reversed_by: str = ""


@dataclass(frozen=True)
class RecordHistory:
    kind: str  # voucher | contract | asset | resource | lease | debt | subsidy
    number: str
    entries: list[Entry]
    vouchers: list[PostedVoucher] = field(default_factory=list)


def backdate_days() -> int:
    from sanzi_ledger.config import load_rules

    return getattr(getattr(load_rules(), "flags", None), "backdate_days", BACKDATE_DAYS_DEFAULT)


def history(led: Ledger, number: str) -> tuple[str, list[RecordHistory]]:
    """Every record of the current collective that bears `number` (a contract and a debt may share one)."""
    led.catch_up()
    code = led.resolve_collective()
    number = number.strip()
    late_max = backdate_days()
    found = []
    for kind, make_id in REFERENCE_KINDS:
        rows = _stored(led, make_id(code, number))
        if not rows:
            continue
        entries = _entries(rows, late_max)
        if kind == "item":
            kind = "resource" if rows[0][1].TOPIC.startswith("resource.") else "asset"
        vouchers = [] if kind == "voucher" else _vouchers(led, code, rows)
        found.append(RecordHistory(kind, number, entries, vouchers))
    if not found:
        raise Refusal("history.unknown", field="number", value=number, record=code)
    return code, found


def _stored(led: Ledger, aggregate_id: UUID) -> list[tuple[int, Event]]:
    """One aggregate's events with their log positions (the library's own reader gives no positions)."""
    views = Views(led.app)
    key = "notification_id" if views.postgres else "rowid"
    table = led.app.recorder.events_table_name  # type: ignore[attr-defined]
    rows = views.query(
        f"SELECT {key}, topic, state FROM {table} WHERE originator_id = ? ORDER BY originator_version LIMIT ?",
        (aggregate_id if views.postgres else aggregate_id.hex, EVENTS_MAX))
    return [(int(position), event_class(topic).model_validate_json(bytes(state))) for position, topic, state in rows]


def _entries(rows: list[tuple[int, Event]], late_max: int) -> list[Entry]:
    known: dict[str, Any] = {}  # each field's latest value, to show what an amendment replaced
    entries = []
    for position, event in rows:
        data = {k: getattr(event, k) for k in type(event).model_fields if k not in _BASE_FIELDS}
        amending = ".Amended." in event.TOPIC  # an amendment restates the terms: show only those it changes
        changes = [Change(name, value, known.get(name) if amending and name in known else None)
                   for name, value in data.items()
                   if name not in _SILENT_FIELDS and name not in REFERENCE_FIELDS and value not in ("", None, ())
                   and not (name == "attachments" and value == 0) and not (amending and known.get(name) == value)]
        references = [(name, str(data[name])) for name in REFERENCE_FIELDS if data.get(name)]
        known.update(data)
        business = next((data[name] for name in _BUSINESS_DATE if isinstance(data.get(name), date)), None)
        recorded_on = event.timestamp.astimezone(CHINA).date()
        late = (recorded_on - business).days if business else None
        entries.append(Entry(position, event.TOPIC, event.timestamp, business, event.operator, changes, references,
                             late, late is not None and late > late_max))
    return entries


def _vouchers(led: Ledger, code: str, rows: list[tuple[int, Event]]) -> list[PostedVoucher]:
    """The vouchers a register record's events posted, each with its lines and reversal."""
    numbers = list(dict.fromkeys(v for _, e in rows if (v := getattr(e, "voucher", ""))))
    out = []
    for number in numbers:
        posted, reversed_by = None, ""
        for event in led.app.events.get(voucher_id(code, number)):
            if event.TOPIC.startswith("voucher.Posted."):
                posted = event
            elif event.TOPIC.startswith("voucher.Reversed."):
                reversed_by = event.reversed_by
        assert posted is not None, f"voucher {number} named by a register event has no posting"
        out.append(PostedVoucher(number, posted.date, posted.summary, posted.kind,
                                 [(line.account, line.side, line.amount_fen) for line in posted.lines], reversed_by))
    return out
