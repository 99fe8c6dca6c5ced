"""Debts (债权债务): receivables (债权) and payables (债务), settled or written off.

A debt that moves money when it arises (a loan received, money lent) posts
with `via`; a debt already in the books (建账时已有，清化收 registration) is
registered with via=None and posts nothing. Settlement can never exceed what
is outstanding; a write-off (核销) needs a resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods, postings, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.identifiers import check_party_id
from sanzi_ledger.ids import debt_id
from sanzi_ledger.money import check_positive, format_yuan
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    REFERENCE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)

DIRECTIONS = ("receivable", "payable")
DEFAULT_ACCOUNT = {"receivable": postings.RECEIVABLE, "payable": postings.PAYABLE}
# Aging buckets (账龄), in days: within 1 year, 1-3 years, over 3 years.
AGING_BUCKETS = (("1年以内", 0, 365), ("1-3年", 366, 1095), ("3年以上", 1096, None))


class DebtAdded(CollectiveEvent):
    TOPIC = "debt.Added.v1"
    number: str
    direction: str
    party: str
    party_id: str
    amount_fen: int
    date: date
    due: date | None
    account: str
    origin: str
    voucher: str  # "" when the debt was already in the books


class DebtSettled(CollectiveEvent):
    TOPIC = "debt.Settled.v1"
    number: str
    amount_fen: int
    date: date
    via: str
    voucher: str
    resolution: str = ""  # the approval for a repayment at or above the approval tier


class DebtWrittenOff(CollectiveEvent):
    TOPIC = "debt.WrittenOff.v1"
    number: str
    amount_fen: int
    date: date
    reason: str
    resolution: str
    voucher: str


@dataclass(frozen=True)
class Debt:
    version: int
    added: DebtAdded
    settled_fen: int = 0
    written_off_fen: int = 0

    @property
    def outstanding_fen(self) -> int:
        return self.added.amount_fen - self.settled_fen - self.written_off_fen


def apply(state: Debt | None, event: Event) -> Debt | None:
    if isinstance(event, DebtAdded):
        return Debt(event.originator_version, event)
    assert state is not None, event
    if isinstance(event, DebtSettled):
        return replace(state, version=event.originator_version, settled_fen=state.settled_fen + event.amount_fen)
    if isinstance(event, DebtWrittenOff):
        return replace(state, version=event.originator_version, written_off_fen=state.written_off_fen + event.amount_fen)
    raise AssertionError(event)


def _flow(direction: str, debt_account: str, money: str, amount_fen: int, *, arising: bool) -> list[vouchers.Line]:
    """A receivable arises Dr 112 / Cr bank and is settled Dr bank / Cr 112; a payable the reverse."""
    money_in = (direction == "payable") == arising
    return postings.pair(money, debt_account, amount_fen) if money_in else postings.pair(debt_account, money, amount_fen)


def add(
    state: Debt | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, direction: str, party: str, party_id: str, amount_fen: int, day: date, due: date | None,
    account: str | None, origin: str, via: str | None, operator: str, now: datetime, today: date,
) -> list[Event]:
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="债权债务")
    record = f"债权债务 {number}"
    if state is not None:
        raise Refusal("debt.duplicate", field="number", value=number, record=collective.code)
    if direction not in DIRECTIONS:
        raise Refusal("debt.direction", field="direction", value=direction, record=record)
    check_positive(amount_fen, field="amount", record=record)
    if day > today:
        raise Refusal("voucher.future_date", field="date", value=day.isoformat(), record=record, today=today.isoformat())
    if due is not None and due < day:
        raise Refusal("debt.due_before_date", field="due_date", value=due.isoformat(), record=record, start=day.isoformat())
    party = clean_text(party, field="party", chars_max=NAME_CHARS_MAX, record=record)
    debt_account = account or DEFAULT_ACCOUNT[direction]
    events: list[Event] = []
    voucher = ""
    if via is not None:
        word = "借出/应收" if direction == "receivable" else "借入/应付"
        numbered, posted = vouchers.post(
            collective, chart, period, day=day, summary=f"{word}{party}（{number}）"[:SUMMARY_CHARS_MAX],
            lines=_flow(direction, debt_account, postings.money_account(via), amount_fen, arising=True),
            source=f"debt:{number}", operator=operator, now=now, today=today,
        )
        events += [numbered, posted]
        voucher = numbered.number
    events.append(DebtAdded(
        originator_id=debt_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number, direction=direction, party=party,
        party_id=check_party_id(party_id, record=record), amount_fen=amount_fen, date=day, due=due,
        account=debt_account, origin=clean_text(origin, field="origin", chars_max=SUMMARY_CHARS_MAX, required=False, record=record),
        voucher=voucher,
    ))
    return events


def _existing(state: Debt | None, number: str, collective: Collective) -> Debt:
    if state is None:
        raise Refusal("debt.unknown", field="number", value=number, record=collective.code)
    return state


def _check_amount(debt: Debt, amount_fen: int, record: str) -> None:
    check_positive(amount_fen, field="amount", record=record)
    if amount_fen > debt.outstanding_fen:
        raise Refusal("debt.over_settlement", field="amount", value=format_yuan(amount_fen), record=record,
                      amount=format_yuan(debt.added.amount_fen), outstanding=format_yuan(debt.outstanding_fen))


def settle(
    state: Debt | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, amount_fen: int, day: date, via: str, operator: str, now: datetime, today: date,
    resolution: str = "",
) -> list[Event]:
    debt = _existing(state, number, collective)
    record = f"债权债务 {number}"
    _check_amount(debt, amount_fen, record)
    resolution = clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record)
    if day < debt.added.date:
        raise Refusal("schedule.before_signing", field="date", value=day.isoformat(), record=record, signed_on=debt.added.date.isoformat())
    word = "收回" if debt.added.direction == "receivable" else "偿还"
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"{word}{debt.added.party}款项（{number}）"[:SUMMARY_CHARS_MAX],
        lines=_flow(debt.added.direction, debt.added.account, postings.money_account(via), amount_fen, arising=False),
        resolution=resolution, source=f"debt:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, DebtSettled(
        originator_id=debt.added.originator_id, originator_version=debt.version + 1, timestamp=now, operator=operator,
        collective=collective.code, number=number, amount_fen=amount_fen, date=day, via=via, voucher=numbered.number,
        resolution=resolution,
    )]


def write_off(
    state: Debt | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, amount_fen: int, day: date, reason: str, resolution: str,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    """核销: a receivable to 515 其他支出, a payable to 504 其他收入; needs a resolution."""
    debt = _existing(state, number, collective)
    record = f"债权债务 {number}"
    resolution = clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record)
    if not resolution:
        raise Refusal("debt.write_off_needs_resolution", field="resolution", value="", record=record)
    _check_amount(debt, amount_fen, record)
    if day < debt.added.date:
        raise Refusal("schedule.before_signing", field="date", value=day.isoformat(), record=record, signed_on=debt.added.date.isoformat())
    reason = clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record)
    if debt.added.direction == "receivable":
        lines = postings.pair(postings.OTHER_EXPENSE, debt.added.account, amount_fen)
    else:
        lines = postings.pair(debt.added.account, postings.OTHER_INCOME, amount_fen)
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"核销{debt.added.party}款项（{number}）"[:SUMMARY_CHARS_MAX],
        lines=lines, resolution=resolution, source=f"debt:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, DebtWrittenOff(
        originator_id=debt.added.originator_id, originator_version=debt.version + 1, timestamp=now, operator=operator,
        collective=collective.code, number=number, amount_fen=amount_fen, date=day, reason=reason,
        resolution=resolution, voucher=numbered.number,
    )]


def aging_bucket(debt_date: date, as_of: date) -> str:
    days = (as_of - debt_date).days
    for label, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return AGING_BUCKETS[0][0]  # dated after as_of: treat as current
