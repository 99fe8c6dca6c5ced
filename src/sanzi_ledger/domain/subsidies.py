"""Subsidies (补助资金): received by program, spent on their purposes, returned.

Earmarked money (专项) goes to 241 专项应付款 and may only be spent on its
stated purposes and up to its balance; general money is income (503). One
subsidy number takes several receipts of the same program (e.g. a monthly
allowance), so its balance is one aggregate's state and cannot be overspent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods, postings, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import subsidy_id
from sanzi_ledger.money import check_positive, format_yuan
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    REFERENCE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)

SOURCES = ("中央", "省", "市", "县", "乡")
PURPOSES_MAX = 20


class SubsidyReceived(CollectiveEvent):
    TOPIC = "subsidy.Received.v1"
    number: str
    program: str
    source: str
    amount_fen: int
    date: date
    earmarked: bool
    purposes: tuple[str, ...]
    via: str
    voucher: str


class SubsidySpent(CollectiveEvent):
    TOPIC = "subsidy.Spent.v1"
    number: str
    amount_fen: int
    date: date
    purpose: str
    payee: str
    via: str
    account: str
    voucher: str
    resolution: str = ""  # the approval (村民代表会议决议) for spending at or above the approval tier


class SubsidyReturned(CollectiveEvent):
    TOPIC = "subsidy.Returned.v1"
    number: str
    amount_fen: int
    date: date
    via: str
    voucher: str


@dataclass(frozen=True)
class Subsidy:
    version: int
    number: str
    program: str
    source: str
    earmarked: bool
    purposes: tuple[str, ...]
    received_fen: int = 0
    spent_fen: int = 0
    returned_fen: int = 0

    @property
    def balance_fen(self) -> int:
        return self.received_fen - self.spent_fen - self.returned_fen


def apply(state: Subsidy | None, event: Event) -> Subsidy | None:
    if isinstance(event, SubsidyReceived):
        base = state or Subsidy(0, event.number, event.program, event.source, event.earmarked, event.purposes)
        return replace(base, version=event.originator_version, received_fen=base.received_fen + event.amount_fen)
    assert state is not None, event
    if isinstance(event, SubsidySpent):
        return replace(state, version=event.originator_version, spent_fen=state.spent_fen + event.amount_fen)
    if isinstance(event, SubsidyReturned):
        return replace(state, version=event.originator_version, returned_fen=state.returned_fen + event.amount_fen)
    raise AssertionError(event)


def _record(number: str) -> str:
    return f"补助 {number}"


def receive(
    state: Subsidy | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, program: str, source: str, amount_fen: int, day: date, earmarked: bool, purposes: tuple[str, ...],
    via: str, operator: str, now: datetime, today: date,
) -> list[Event]:
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="补助")
    record = _record(number)
    program = clean_text(program, field="program", chars_max=NAME_CHARS_MAX, record=record)
    if source not in SOURCES:
        raise Refusal("subsidy.source", field="source", value=source, record=record, allowed="、".join(SOURCES))
    purposes = tuple(dict.fromkeys(clean_text(p, field="purpose", chars_max=NAME_CHARS_MAX, record=record) for p in purposes))
    if len(purposes) > PURPOSES_MAX:
        raise Refusal("subsidy.too_many_purposes", field="purpose", value=len(purposes), record=record, limit=PURPOSES_MAX)
    if earmarked and not purposes and state is None:
        raise Refusal("subsidy.earmarked_needs_purpose", field="purpose", value=None, record=record)
    if state is not None and (state.program, state.source, state.earmarked) != (program, source, earmarked):
        raise Refusal("subsidy.program_mismatch", field="program", value=program, record=record,
                      program=state.program, source=state.source, earmarked="专项" if state.earmarked else "一般")
    check_positive(amount_fen, field="amount", record=record)
    credit = postings.EARMARKED_PAYABLE if earmarked else postings.SUBSIDY_INCOME
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"收到{source}级{program}（{number}）"[:SUMMARY_CHARS_MAX],
        lines=postings.receipt(via, credit, amount_fen), source=f"subsidy:{number}",
        operator=operator, now=now, today=today,
    )
    return [numbered, posted, SubsidyReceived(
        originator_id=subsidy_id(collective.code, number), originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective.code, number=number, program=program, source=source,
        amount_fen=amount_fen, date=day, earmarked=earmarked, purposes=purposes if state is None else state.purposes,
        via=via, voucher=numbered.number,
    )]


def _existing(state: Subsidy | None, number: str, collective: Collective) -> Subsidy:
    if state is None:
        raise Refusal("subsidy.unknown", field="number", value=number, record=collective.code)
    return state


def _check_balance(subsidy: Subsidy, amount_fen: int, record: str) -> None:
    check_positive(amount_fen, field="amount", record=record)
    if amount_fen > subsidy.balance_fen:
        raise Refusal("subsidy.overspent", field="amount", value=format_yuan(amount_fen), record=record,
                      received=format_yuan(subsidy.received_fen), balance=format_yuan(subsidy.balance_fen))


def spend(
    state: Subsidy | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, amount_fen: int, day: date, purpose: str, payee: str, via: str, account: str | None,
    operator: str, now: datetime, today: date, resolution: str = "",
) -> list[Event]:
    """Earmarked: Dr 241 / Cr bank; when it builds an asset (account 151/153…),
    Dr asset / Cr bank and Dr 241 / Cr 311 公积公益金. General: Dr expense (514) / Cr bank."""
    subsidy = _existing(state, number, collective)
    record = _record(number)
    purpose = clean_text(purpose, field="purpose", chars_max=NAME_CHARS_MAX, record=record)
    if subsidy.earmarked and subsidy.purposes and purpose not in subsidy.purposes:
        raise Refusal("subsidy.wrong_purpose", field="purpose", value=purpose, record=record, allowed="、".join(subsidy.purposes))
    _check_balance(subsidy, amount_fen, record)
    payee = clean_text(payee, field="payee", chars_max=NAME_CHARS_MAX, record=record)
    resolution = clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record)
    money = postings.money_account(via)
    if subsidy.earmarked:
        lines = postings.pair(postings.EARMARKED_PAYABLE, money, amount_fen)
        if account:
            lines = postings.pair(account, money, amount_fen) + postings.pair(postings.EARMARKED_PAYABLE, postings.RESERVE, amount_fen)
    else:
        lines = postings.pair(account or postings.PUBLIC_EXPENSE, money, amount_fen)
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"{subsidy.program}支出：{purpose}，付{payee}"[:SUMMARY_CHARS_MAX],
        lines=lines, resolution=resolution, source=f"subsidy:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, SubsidySpent(
        originator_id=subsidy_id(collective.code, number), originator_version=subsidy.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, amount_fen=amount_fen, date=day,
        purpose=purpose, payee=payee, via=via, account=account or "", voucher=numbered.number, resolution=resolution,
    )]


def give_back(
    state: Subsidy | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, amount_fen: int, day: date, via: str, operator: str, now: datetime, today: date,
) -> list[Event]:
    """退回: unspent money back to the giver (Dr 241 or 503 / Cr bank)."""
    subsidy = _existing(state, number, collective)
    record = _record(number)
    _check_balance(subsidy, amount_fen, record)
    debit = postings.EARMARKED_PAYABLE if subsidy.earmarked else postings.SUBSIDY_INCOME
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"退回{subsidy.program}（{number}）"[:SUMMARY_CHARS_MAX],
        lines=postings.payment(via, debit, amount_fen), source=f"subsidy:{number}",
        operator=operator, now=now, today=today,
    )
    return [numbered, posted, SubsidyReturned(
        originator_id=subsidy_id(collective.code, number), originator_version=subsidy.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, amount_fen=amount_fen, date=day,
        via=via, voucher=numbered.number,
    )]
