"""Leases (租赁/发包) of a registered asset or resource, with a rent schedule.

Signing holds the area (or the whole asset) on the item's own aggregate, in
the same transaction, so two leases can never overlap. Terms are limited by
law where it sets a limit (config `[terms]`): 20 years for a lease (民法典
第705条), 50 for 四荒地, and farmland not past the second-round end date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sanzi_ledger.chart import Chart
from sanzi_ledger.config import TermRules
from sanzi_ledger.domain import assets, periods, postings, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.contracts import METHODS  # one list of procurement methods
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.domain.schedules import (
    Instalment,
    check_receipt,
    check_schedule,
    check_term,
    periodic,
    years_between,
)
from sanzi_ledger.errors import Refusal
from sanzi_ledger.identifiers import check_party_id
from sanzi_ledger.ids import lease_id
from sanzi_ledger.money import check_positive
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    REFERENCE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)


class LeaseSigned(CollectiveEvent):
    TOPIC = "lease.Signed.v1"
    number: str
    item: str
    item_kind: str  # asset | resource
    item_type: str  # resource type or asset category
    area_cmu: int
    lessee: str
    lessee_id: str
    rent_fen: int
    per: str
    start: date
    end: date
    schedule: tuple[Instalment, ...]
    method: str
    resolution: str
    signed_on: date


class LeaseCollected(CollectiveEvent):
    TOPIC = "lease.Collected.v1"
    number: str
    amount_fen: int
    date: date
    via: str
    voucher: str


class LeaseEnded(CollectiveEvent):
    TOPIC = "lease.Ended.v1"
    number: str
    date: date  # the lease's last day
    reason: str
    total_fen: int  # the rent owed in all: instalments due up to and including `date`


@dataclass(frozen=True)
class Lease:
    version: int
    signed: LeaseSigned
    collected_fen: int = 0
    ended_on: date | None = None

    @property
    def total_fen(self) -> int:
        """The rent owed in all: instalments due by the last day, if the lease ended early."""
        return sum(i.amount_fen for i in self.signed.schedule if self.ended_on is None or i.due <= self.ended_on)


def apply(state: Lease | None, event: Event) -> Lease | None:
    if isinstance(event, LeaseSigned):
        return Lease(event.originator_version, event)
    assert state is not None, event
    if isinstance(event, LeaseCollected):
        return replace(state, version=event.originator_version, collected_fen=state.collected_fen + event.amount_fen)
    if isinstance(event, LeaseEnded):
        return replace(state, version=event.originator_version, ended_on=event.date)
    raise AssertionError(event)


def check_lease_term(item_type: str, start: date, end: date, terms: TermRules, *, record: str) -> None:
    check_term(start, end, record=record)
    years_max = terms.wasteland_years_max if item_type == "四荒地" else terms.lease_years_max
    if years_between(start, end) > years_max:
        raise Refusal("term.lease_too_long", field="end", value=end.isoformat(), record=record, years=years_max)
    if item_type == "耕地" and end > terms.farmland_end_max:
        raise Refusal("term.farmland_end", field="end", value=end.isoformat(), record=record,
                      limit=terms.farmland_end_max.isoformat())


def sign(
    state: Lease | None, item: assets.Item | None, collective: Collective, *, number: str, item_number: str,
    area_cmu: int | None, lessee: str, lessee_id: str, rent_fen: int, per: str, start: date, end: date,
    schedule: tuple[Instalment, ...], method: str, resolution: str, signed_on: date, terms: TermRules,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    """[LeaseSigned, ItemLeased]: the lease and the hold on its asset or resource."""
    number = clean_text(number, field="number", chars_max=REFERENCE_CHARS_MAX, record="租赁")
    record = f"租赁 {number}"
    if state is not None:
        raise Refusal("lease.duplicate", field="number", value=number, record=collective.code)
    if item is None:
        raise Refusal("lease.item_unknown", field="item", value=item_number, record=record)
    if method and method not in METHODS:
        raise Refusal("contract.method", field="method", value=method, record=record, allowed="、".join(METHODS))
    if signed_on > today:
        raise Refusal("voucher.future_date", field="date", value=signed_on.isoformat(), record=record, today=today.isoformat())
    check_lease_term(item.type, start, end, terms, record=record)
    check_positive(rent_fen, field="rent", record=record)
    schedule = tuple(sorted(schedule or periodic(start, end, rent_fen, per, record=record), key=lambda i: i.due))
    check_schedule(schedule, start=start, end=end, record=record)
    held = assets.hold(item, collective, number=item_number, lease=number, area_cmu=area_cmu,
                       start=start, end=end, operator=operator, now=now)
    signed = LeaseSigned(
        originator_id=lease_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number, item=item_number, item_kind=item.kind, item_type=item.type,
        area_cmu=held.area_cmu, lessee=clean_text(lessee, field="lessee", chars_max=NAME_CHARS_MAX, record=record),
        lessee_id=check_party_id(lessee_id, field="lessee_id", record=record), rent_fen=rent_fen, per=per,
        start=start, end=end, schedule=schedule, method=method,
        resolution=clean_text(resolution, field="resolution", chars_max=REFERENCE_CHARS_MAX, required=False, record=record),
        signed_on=signed_on,
    )
    return [signed, held]


def _existing(state: Lease | None, number: str, collective: Collective) -> Lease:
    if state is None:
        raise Refusal("lease.unknown", field="number", value=number, record=collective.code)
    return state


def collect(
    state: Lease | None, collective: Collective, chart: Chart, period: periods.PeriodState | None, *,
    number: str, amount_fen: int, day: date, via: str, account: str | None,
    operator: str, now: datetime, today: date,
) -> list[Event]:
    lease = _existing(state, number, collective)
    record = f"租赁 {number}"
    check_receipt(amount_fen, total_fen=lease.total_fen, settled_fen=lease.collected_fen, day=day,
                  signed_on=lease.signed.signed_on, record=record)
    numbered, posted = vouchers.post(
        collective, chart, period, day=day, summary=f"收{lease.signed.lessee}租金（{number}）"[:SUMMARY_CHARS_MAX],
        lines=postings.receipt(via, account or postings.OPERATING_INCOME, amount_fen), resolution=lease.signed.resolution,
        source=f"lease:{number}", operator=operator, now=now, today=today,
    )
    return [numbered, posted, LeaseCollected(
        originator_id=lease.signed.originator_id, originator_version=lease.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, amount_fen=amount_fen, date=day,
        via=via, voucher=numbered.number,
    )]


def end(
    state: Lease | None, item: assets.Item | None, collective: Collective, *, number: str, day: date, reason: str,
    operator: str, now: datetime,
) -> list[Event]:
    """[LeaseEnded, ItemReleased]: `day` is the last day; the area (or asset) is free from the next."""
    lease = _existing(state, number, collective)
    record = f"租赁 {number}"
    if lease.ended_on is not None:
        raise Refusal("lease.ended", field="number", value=number, record=record, on=lease.ended_on.isoformat())
    if not lease.signed.start <= day <= lease.signed.end:
        raise Refusal("lease.end_outside_term", field="date", value=day.isoformat(), record=record,
                      start=lease.signed.start.isoformat(), end=lease.signed.end.isoformat())
    assert item is not None, lease.signed.item
    reason = clean_text(reason, field="reason", chars_max=SUMMARY_CHARS_MAX, record=record)
    return [
        LeaseEnded(originator_id=lease.signed.originator_id, originator_version=lease.version + 1, timestamp=now,
                   operator=operator, collective=collective.code, number=number, date=day, reason=reason,
                   total_fen=sum(i.amount_fen for i in lease.signed.schedule if i.due <= day)),
        assets.ItemReleased(
            originator_id=assets.item_id(collective.code, item.number),
            originator_version=item.version + 1, timestamp=now, operator=operator, collective=collective.code,
            number=item.number, lease=number, date=day),
    ]
