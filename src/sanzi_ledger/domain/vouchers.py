"""Vouchers (记账凭证): double-entry, numbered by their period, corrected only by reversal.

A mistake is never edited away: 红字冲销 posts a new voucher with the same
lines in negative (red) amounts, pointing at the original, and the original
records who reversed it. A voucher can be reversed once; a reversal cannot be
reversed (post a fresh voucher instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import voucher_id
from sanzi_ledger.money import AMOUNT_FEN_MAX, check_positive, format_yuan
from sanzi_ledger.periods import month_of
from sanzi_ledger.text import REFERENCE_CHARS_MAX, SUMMARY_CHARS_MAX, clean_text

LINES_MAX = 200
ATTACHMENTS_MAX = 999
Side = Literal["debit", "credit"]
Kind = Literal["ordinary", "reversal", "closing"]


class Line(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    account: str
    side: Side
    amount_fen: int


class VoucherPosted(CollectiveEvent):
    TOPIC = "voucher.Posted.v1"
    number: str
    month: str
    date: date
    summary: str
    lines: tuple[Line, ...]
    attachments: int = 0
    resolution: str = ""
    kind: Kind = "ordinary"
    reverses: str = ""
    reason: str = ""
    # The register record whose business fact produced this voucher, e.g.
    # "lease:ZL-2025-01" (empty for a voucher typed by the accountant).
    source: str = ""


class VoucherReversed(CollectiveEvent):
    TOPIC = "voucher.Reversed.v1"
    number: str
    reversed_by: str
    reason: str


@dataclass(frozen=True)
class Voucher:
    version: int
    posted: VoucherPosted
    reversed_by: str = ""

    @property
    def number(self) -> str:
        return self.posted.number


def apply(state: Voucher | None, event: Event) -> Voucher | None:
    if isinstance(event, VoucherPosted):
        return Voucher(version=event.originator_version, posted=event)
    assert state is not None, event
    if isinstance(event, VoucherReversed):
        return Voucher(version=event.originator_version, posted=state.posted, reversed_by=event.reversed_by)
    raise AssertionError(event)


def check_lines(collective: Collective, chart: Chart, lines: list[Line], *, record: str) -> None:
    """Every rule a voucher's lines must keep, with the numbers in the message."""
    if len(lines) > LINES_MAX:
        raise Refusal("voucher.too_many_lines", field="lines", value=len(lines), record=record, limit=LINES_MAX)
    sides = {line.side for line in lines}
    for side in ("debit", "credit"):
        if side not in sides:
            raise Refusal("voucher.side_missing", field=side, value=None, record=record)
    seen = {"debit": 0, "credit": 0}
    for line in lines:
        seen[line.side] += 1  # debit[2] is the second debit line, as typed
        field = f"{line.side}[{seen[line.side]}]"
        check_positive(line.amount_fen, field=field, record=record)  # names the amount as format_yuan does
        account = collective.account(chart, line.account)
        if account is None:
            raise Refusal("voucher.account_unknown", field=field, value=line.account, record=record, chart=chart.id)
        if collective.has_children(line.account):
            raise Refusal("voucher.account_not_leaf", field=field, value=line.account, record=record, name=account.name)
    debit = sum(line.amount_fen for line in lines if line.side == "debit")
    credit = sum(line.amount_fen for line in lines if line.side == "credit")
    if debit > AMOUNT_FEN_MAX:
        raise Refusal("money.too_large", field="debit", value=format_yuan(debit), record=record, limit=format_yuan(AMOUNT_FEN_MAX))
    if debit != credit:
        raise Refusal(
            "voucher.unbalanced", field="credit", value=format_yuan(credit), record=record,
            debit=format_yuan(debit), credit=format_yuan(credit), difference=format_yuan(abs(debit - credit)),
        )


def check_business_date(day: date, today: date, *, record: str) -> None:
    if day > today:
        raise Refusal("voucher.future_date", field="date", value=day.isoformat(), record=record, today=today.isoformat())


def _checked(
    collective: Collective, chart: Chart, *, day: date, summary: str, lines: list[Line], attachments: int,
    resolution: str, kind: Kind, today: date, record: str,
) -> tuple[str, str]:
    """Every rule of a voucher's content (the period's come after): cleaned (summary, resolution)."""
    summary = clean_text(summary, field="summary", chars_max=SUMMARY_CHARS_MAX, record=record)
    resolution = clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record)
    if not 0 <= attachments <= ATTACHMENTS_MAX:
        raise Refusal("voucher.attachments", field="attachments", value=attachments, record=record, limit=ATTACHMENTS_MAX)
    check_business_date(day, today, record=record)
    if kind == "ordinary":
        check_lines(collective, chart, lines, record=record)
    return summary, resolution


def post(
    collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    day: date, summary: str, lines: list[Line], attachments: int = 0, resolution: str = "",
    kind: Kind = "ordinary", reverses: str = "", reason: str = "", source: str = "",
    operator: str, now: datetime, today: date,
) -> list[Event]:
    """Number and post one voucher: [VoucherNumbered, VoucherPosted]."""
    summary, resolution = _checked(collective, chart, day=day, summary=summary, lines=lines, attachments=attachments,
                                   resolution=resolution, kind=kind, today=today, record="凭证")
    numbered = periods.number_voucher(
        period, collective=collective.code, month=month_of(day),
        start_period=collective.start_period, operator=operator, now=now,
    )
    posted = VoucherPosted(
        originator_id=voucher_id(collective.code, numbered.number), originator_version=1,
        timestamp=now, operator=operator, collective=collective.code, number=numbered.number,
        month=numbered.month, date=day, summary=summary, lines=tuple(lines),
        attachments=attachments, resolution=resolution, kind=kind, reverses=reverses, reason=reason,
        source=source,
    )
    return [numbered, posted]


def post_in_range(
    collective: Collective, chart: Chart, period: periods.PeriodState | None, *, taken: int,
    day: date, summary: str, lines: list[Line], attachments: int = 0, resolution: str = "",
    operator: str, now: datetime, today: date,
) -> VoucherPosted:
    """One ordinary voucher of a batch whose numbers the month issues at once
    (`periods.number_range`, an import): every rule of `post`, in the same order;
    its number is the month's next after the `taken` already given in this batch."""
    summary, resolution = _checked(collective, chart, day=day, summary=summary, lines=lines, attachments=attachments,
                                   resolution=resolution, kind="ordinary", today=today, record="凭证")
    month = month_of(day)
    seq = periods.next_seq(period, collective=collective.code, month=month, start_period=collective.start_period,
                           taken=taken)
    number = periods.voucher_number(month, seq)
    return VoucherPosted(
        originator_id=voucher_id(collective.code, number), originator_version=1,
        timestamp=now, operator=operator, collective=collective.code, number=number,
        month=month, date=day, summary=summary, lines=tuple(lines),
        attachments=attachments, resolution=resolution,
    )


def reverse(
    collective: Collective, chart: Chart, original: Voucher | None, period: periods.PeriodState | None, *,
    number: str, day: date, reason: str, operator: str, now: datetime, today: date,
) -> list[Event]:
    """红字冲销: [VoucherNumbered, VoucherPosted(reversal), VoucherReversed]."""
    record = f"凭证 {number}"
    if original is None:
        raise Refusal("voucher.unknown", field="number", value=number, record=collective.code)
    if original.posted.kind == "reversal":
        raise Refusal("voucher.reverse_reversal", field="number", value=number, record=record, original=original.posted.reverses)
    if original.posted.kind == "closing":
        raise Refusal("voucher.reverse_closing", field="number", value=number, record=record)
    if original.posted.source:
        # Reversing it alone would leave its register (contract, lease…) disagreeing with the books.
        raise Refusal("voucher.reverse_sourced", field="number", value=number, record=record, source=original.posted.source)
    if original.reversed_by:
        raise Refusal("voucher.already_reversed", field="number", value=number, record=record, by=original.reversed_by)
    if day < original.posted.date:
        raise Refusal("voucher.reversal_before_original", field="date", value=day.isoformat(), record=record, original=original.posted.date.isoformat())
    reason = clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record)
    red_lines = [Line(account=l.account, side=l.side, amount_fen=-l.amount_fen) for l in original.posted.lines]
    numbered, posted = post(
        collective, chart, period, day=day, summary=f"冲销{number}：{original.posted.summary}"[:SUMMARY_CHARS_MAX],
        lines=red_lines, attachments=0, resolution="", kind="reversal", reverses=number, reason=reason,
        operator=operator, now=now, today=today,
    )
    assert isinstance(numbered, periods.VoucherNumbered)
    reversed_ = VoucherReversed(
        originator_id=original.posted.originator_id, originator_version=original.version + 1,
        timestamp=now, operator=operator, collective=collective.code, number=number,
        reversed_by=numbered.number, reason=reason,
    )
    return [numbered, posted, reversed_]
