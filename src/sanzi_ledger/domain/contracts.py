"""Contracts (合同): signed, collected or paid by instalments, amended, terminated, reviewed.

A collection or payment posts its voucher in the same decision, so the
contract register and the books cannot disagree. Money beyond the contract
amount is refused. An amendment records the new terms; the old ones stay in
the history. A review (清理合同, domain.md §5) is an event too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import periods, postings, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.domain.schedules import (
    Instalment,
    check_receipt,
    check_schedule,
    check_term,
    years_between,
)
from sanzi_ledger.errors import Refusal
from sanzi_ledger.identifiers import check_party_id
from sanzi_ledger.ids import contract_id
from sanzi_ledger.money import check_positive, format_yuan
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    NOTE_CHARS_MAX,
    REFERENCE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)

Direction = Literal["income", "expense"]
# Kind -> the direction money flows (None: the accountant must say).
KINDS: dict[str, str | None] = {
    "发包": "income", "承包": "income", "租赁": "income", "出让": "income",
    "工程": "expense", "服务": "expense", "购销": None, "借款": None, "其他": None,
}
METHODS = ("公开招标", "邀请招标", "竞价", "竞争性谈判", "询价", "协商", "其他")
REVIEW_RESULTS = ("规范", "程序不规范", "显失公平", "期限不当", "已到期", "口头合同", "拖欠")
# The other side of a collection / payment, by kind and direction (domain.md §2).
DEFAULT_ACCOUNT: dict[tuple[str, str], str] = {
    ("income", "借款"): "201", ("income", "其他"): postings.OTHER_INCOME,
    ("expense", "工程"): postings.CONSTRUCTION, ("expense", "服务"): postings.ADMIN_EXPENSE,
    ("expense", "购销"): postings.STOCK, ("expense", "借款"): postings.RECEIVABLE,
    ("expense", "其他"): postings.OTHER_EXPENSE,
}


class ContractSigned(CollectiveEvent):
    TOPIC = "contract.Signed.v1"
    number: str
    kind: str
    direction: str
    party: str
    party_id: str
    amount_fen: int
    start: date
    end: date
    schedule: tuple[Instalment, ...]
    subject: str
    method: str
    resolution: str
    signed_on: date


class ContractSettled(CollectiveEvent):
    """Money collected (income contracts) or paid (expense contracts)."""

    TOPIC = "contract.Settled.v1"
    number: str
    direction: str
    amount_fen: int
    date: date
    via: str
    voucher: str


class ContractAmended(CollectiveEvent):
    TOPIC = "contract.Amended.v1"
    number: str
    amount_fen: int
    end: date
    schedule: tuple[Instalment, ...]
    reason: str
    resolution: str


class ContractTerminated(CollectiveEvent):
    TOPIC = "contract.Terminated.v1"
    number: str
    date: date
    reason: str


class ContractReviewed(CollectiveEvent):
    TOPIC = "contract.Reviewed.v1"
    number: str
    result: str
    note: str


@dataclass(frozen=True)
class Contract:
    version: int
    signed: ContractSigned
    amount_fen: int
    end: date
    schedule: tuple[Instalment, ...]
    settled_fen: int = 0
    terminated_on: date | None = None
    last_review: str = ""

    @property
    def number(self) -> str:
        return self.signed.number


def apply(state: Contract | None, event: Event) -> Contract | None:
    if isinstance(event, ContractSigned):
        return Contract(event.originator_version, event, event.amount_fen, event.end, event.schedule)
    assert state is not None, event
    version = event.originator_version
    if isinstance(event, ContractSettled):
        return replace(state, version=version, settled_fen=state.settled_fen + event.amount_fen)
    if isinstance(event, ContractAmended):
        return replace(state, version=version, amount_fen=event.amount_fen, end=event.end, schedule=event.schedule)
    if isinstance(event, ContractTerminated):
        return replace(state, version=version, terminated_on=event.date)
    if isinstance(event, ContractReviewed):
        return replace(state, version=version, last_review=event.result)
    raise AssertionError(event)


def _record(number: str) -> str:
    return f"合同 {number}"


def _terms(kind: str, start: date, end: date, amount_fen: int, schedule: tuple[Instalment, ...],
           *, lease_years_max: int, record: str) -> tuple[Instalment, ...]:
    check_term(start, end, record=record)
    if kind == "租赁" and years_between(start, end) > lease_years_max:
        raise Refusal("term.lease_too_long", field="end", value=end.isoformat(), record=record, years=lease_years_max)
    check_positive(amount_fen, field="amount", record=record)
    schedule = schedule or (Instalment(due=start, amount_fen=amount_fen),)
    total = check_schedule(schedule, start=start, end=end, record=record)
    if total != amount_fen:
        raise Refusal("schedule.total_mismatch", field="due", value=format_yuan(total), record=record,
                      total=format_yuan(total), amount=format_yuan(amount_fen))
    return tuple(sorted(schedule, key=lambda item: item.due))


def sign(
    state: Contract | None, collective: Collective, *, number: str, kind: str, direction: str | None,
    party: str, party_id: str, amount_fen: int, start: date, end: date, schedule: tuple[Instalment, ...],
    subject: str, method: str, resolution: str, signed_on: date, lease_years_max: int,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="合同")
    record = _record(number)
    if state is not None:
        raise Refusal("contract.duplicate", field="number", value=number, record=collective.code)
    if kind not in KINDS:
        raise Refusal("contract.kind", field="kind", value=kind, record=record, allowed="、".join(KINDS))
    direction = direction or KINDS[kind]
    if direction not in ("income", "expense"):
        raise Refusal("contract.direction", field="direction", value=direction, record=record)
    if method and method not in METHODS:
        raise Refusal("contract.method", field="method", value=method, record=record, allowed="、".join(METHODS))
    if signed_on > today:
        raise Refusal("voucher.future_date", field="date", value=signed_on.isoformat(), record=record, today=today.isoformat())
    schedule = _terms(kind, start, end, amount_fen, schedule, lease_years_max=lease_years_max, record=record)
    return [ContractSigned(
        originator_id=contract_id(collective.code, number), originator_version=1, timestamp=now,
        operator=operator, collective=collective.code, number=number, kind=kind, direction=direction,
        party=clean_text(party, field="party", chars_max=NAME_CHARS_MAX, record=record),
        party_id=check_party_id(party_id, record=record), amount_fen=amount_fen, start=start, end=end,
        schedule=schedule, subject=clean_text(subject, field="subject", chars_max=SUMMARY_CHARS_MAX, required=False, record=record),
        method=method, resolution=clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record),
        signed_on=signed_on,
    )]


def _existing(state: Contract | None, number: str, collective: Collective) -> Contract:
    if state is None:
        raise Refusal("contract.unknown", field="number", value=number, record=collective.code)
    return state


def settle(
    state: Contract | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, direction: str, amount_fen: int, day: date, via: str, account: str | None,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    """collect (income) or pay (expense): the register event and its voucher."""
    contract = _existing(state, number, collective)
    record = _record(number)
    if contract.signed.direction != direction:
        raise Refusal("contract.wrong_direction", field="direction", value=direction, record=record,
                      expected=contract.signed.direction)
    if contract.terminated_on is not None:
        raise Refusal("contract.terminated", field="number", value=number, record=record, on=contract.terminated_on.isoformat())
    check_receipt(amount_fen, total_fen=contract.amount_fen, settled_fen=contract.settled_fen, day=day,
                  signed_on=contract.signed.signed_on, record=record)
    fallback = postings.OPERATING_INCOME if direction == "income" else postings.ADMIN_EXPENSE
    other = account or DEFAULT_ACCOUNT.get((direction, contract.signed.kind)) or fallback
    lines = (postings.receipt(via, other, amount_fen) if direction == "income" else postings.payment(via, other, amount_fen))
    party = contract.signed.party
    summary = f"{'收' if direction == 'income' else '付'}{party}合同款（{number}）"[:SUMMARY_CHARS_MAX]
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=summary, lines=lines, resolution=contract.signed.resolution,
        source=f"contract:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, ContractSettled(
        originator_id=contract.signed.originator_id, originator_version=contract.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, direction=direction,
        amount_fen=amount_fen, date=day, via=via, voucher=numbered.number,
    )]


def amend(
    state: Contract | None, collective: Collective, *, number: str, amount_fen: int | None, end: date | None,
    schedule: tuple[Instalment, ...], reason: str, resolution: str, lease_years_max: int,
    operator: str, now: datetime,
) -> list[Event]:
    contract = _existing(state, number, collective)
    record = _record(number)
    if contract.terminated_on is not None:
        raise Refusal("contract.terminated", field="number", value=number, record=record, on=contract.terminated_on.isoformat())
    new_amount = amount_fen if amount_fen is not None else contract.amount_fen
    new_end = end or contract.end
    if new_amount < contract.settled_fen:
        raise Refusal("contract.amount_below_settled", field="amount", value=format_yuan(new_amount), record=record,
                      settled=format_yuan(contract.settled_fen))
    if not schedule and (amount_fen is not None or end is not None):
        schedule = _rescale(contract, new_amount, new_end)
    new_schedule = _terms(contract.signed.kind, contract.signed.start, new_end, new_amount, schedule or contract.schedule,
                          lease_years_max=lease_years_max, record=record)
    return [ContractAmended(
        originator_id=contract.signed.originator_id, originator_version=contract.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, amount_fen=new_amount, end=new_end,
        schedule=new_schedule, reason=clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record),
        resolution=clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record),
    )]


def _rescale(contract: Contract, amount_fen: int, end: date) -> tuple[Instalment, ...]:
    """A new amount or end without a new schedule: keep the instalments that fall
    within the new term, and put the difference on the last one."""
    kept = [item for item in contract.schedule if item.due <= end] or [Instalment(due=contract.signed.start, amount_fen=0)]
    difference = amount_fen - sum(item.amount_fen for item in kept)
    last = kept[-1]
    return (*kept[:-1], Instalment(due=last.due, amount_fen=last.amount_fen + difference))


def terminate(
    state: Contract | None, collective: Collective, *, number: str, day: date, reason: str,
    operator: str, now: datetime,
) -> list[Event]:
    contract = _existing(state, number, collective)
    record = _record(number)
    if contract.terminated_on is not None:
        raise Refusal("contract.terminated", field="number", value=number, record=record, on=contract.terminated_on.isoformat())
    if day < contract.signed.signed_on:
        raise Refusal("schedule.before_signing", field="date", value=day.isoformat(), record=record,
                      signed_on=contract.signed.signed_on.isoformat())
    return [ContractTerminated(
        originator_id=contract.signed.originator_id, originator_version=contract.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, date=day,
        reason=clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record),
    )]


def review(
    state: Contract | None, collective: Collective, *, number: str, result: str, note: str,
    operator: str, now: datetime,
) -> list[Event]:
    contract = _existing(state, number, collective)
    record = _record(number)
    if result not in REVIEW_RESULTS:
        raise Refusal("contract.review_result", field="result", value=result, record=record, allowed="、".join(REVIEW_RESULTS))
    return [ContractReviewed(
        originator_id=contract.signed.originator_id, originator_version=contract.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, result=result,
        note=clean_text(note, field="note", chars_max=NOTE_CHARS_MAX, required=False, record=record),
    )]
