"""Accounting periods (会计期间): one aggregate per collective and month.

It issues gap-free voucher numbers and holds the closed flag, so "no posting
into a closed month" cannot race: posting and closing both write to it, and
the store refuses the second writer of the same version.

Every event carries the running state (count of vouchers, closed or not), so
the current state is the last event alone: loading costs the same in a
month of ten vouchers or of a thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import period_id
from sanzi_ledger.periods import previous_month

VOUCHER_WORD = "记"  # 记账凭证
VOUCHERS_PER_MONTH_MAX = 99_999


class VoucherNumbered(CollectiveEvent):
    TOPIC = "period.VoucherNumbered.v1"
    month: str
    seq: int
    number: str


class RangeNumbered(CollectiveEvent):
    """Numbers first_seq..seq of `month` issued at once: an import's vouchers of one
    month and batch, decided together (io/vouchers.py). One event instead of one per
    voucher; `seq` is the month's running count, as in VoucherNumbered."""

    TOPIC = "period.RangeNumbered.v1"
    month: str
    first_seq: int
    seq: int


class PeriodClosed(CollectiveEvent):
    TOPIC = "period.Closed.v1"
    month: str
    voucher_count: int
    # The seal of this close: the log position, and the hash chain's position and head then.
    log_position: int
    chain_position: int = 0
    chain_head: str = ""
    # Optional Ed25519 signature of the seal by the closer (integrity.seals.seal_message), and its key id.
    key_id: str = ""
    signature: str = ""


@dataclass(frozen=True)
class PeriodState:
    version: int
    collective: str
    month: str
    voucher_count: int
    closed: bool


def apply(state: PeriodState | None, event: Event) -> PeriodState | None:
    if isinstance(event, (VoucherNumbered, RangeNumbered)):
        return PeriodState(event.originator_version, event.collective, event.month, event.seq, False)
    if isinstance(event, PeriodClosed):
        return PeriodState(event.originator_version, event.collective, event.month, event.voucher_count, True)
    raise AssertionError(event)


def voucher_number(month: str, seq: int) -> str:
    return f"{VOUCHER_WORD}-{month}-{seq:04d}"


def next_seq(
    state: PeriodState | None, *, collective: str, month: str, start_period: str, taken: int = 0,
) -> int:
    """The next number of `month` after `taken` numbers already given out in the same
    decision, or refuse a closed or pre-start month or one past the limit."""
    assert state is None or (state.collective, state.month) == (collective, month), (state, month)
    if month < start_period:
        raise Refusal("period.before_start", field="date", value=month, record=collective, start=start_period)
    if state is not None and state.closed:
        raise Refusal("period.closed", field="date", value=month, record=collective)
    seq = (state.voucher_count if state else 0) + taken + 1
    if seq > VOUCHERS_PER_MONTH_MAX:
        raise Refusal("period.too_many_vouchers", field="date", value=month, record=collective, limit=VOUCHERS_PER_MONTH_MAX)
    return seq


def number_voucher(
    state: PeriodState | None, *, collective: str, month: str, start_period: str,
    operator: str, now: datetime,
) -> VoucherNumbered:
    """Issue the next number of `month`, or refuse a closed or pre-start month."""
    seq = next_seq(state, collective=collective, month=month, start_period=start_period)
    return VoucherNumbered(
        originator_id=period_id(collective, month),
        originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective, month=month,
        seq=seq, number=voucher_number(month, seq),
    )


def number_range(
    state: PeriodState | None, count: int, *, collective: str, month: str, start_period: str,
    operator: str, now: datetime,
) -> RangeNumbered:
    """Issue the next `count` numbers of `month` at once, under the rules of `number_voucher`."""
    assert count > 0, count
    first = next_seq(state, collective=collective, month=month, start_period=start_period)
    last = next_seq(state, collective=collective, month=month, start_period=start_period, taken=count - 1)
    return RangeNumbered(
        originator_id=period_id(collective, month),
        originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective, month=month, first_seq=first, seq=last,
    )


def close(
    state: PeriodState | None, previous: PeriodState | None, *, collective: str, month: str,
    start_period: str, log_position: int, operator: str, now: datetime, chain_position: int = 0, chain_head: str = "",
    key_id: str = "", signature: str = "",
) -> PeriodClosed:
    """Close `month`. Months close in order: the month before must be closed first."""
    assert state is None or (state.collective, state.month) == (collective, month), (state, month)
    assert previous is None or previous.month == previous_month(month), (previous, month)
    if month < start_period:
        raise Refusal("period.before_start", field="period", value=month, record=collective, start=start_period)
    if state is not None and state.closed:
        raise Refusal("period.already_closed", field="period", value=month, record=collective)
    if month != start_period and not (previous and previous.closed):
        raise Refusal("period.previous_open", field="period", value=month, record=collective, previous=previous_month(month))
    return PeriodClosed(
        originator_id=period_id(collective, month),
        originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective, month=month,
        voucher_count=state.voucher_count if state else 0, log_position=log_position,
        chain_position=chain_position, chain_head=chain_head, key_id=key_id, signature=signature,
    )
