"""The period aggregate (one per collective and month): gap-free numbers and the closed flag."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.domain import periods
from sanzi_ledger.domain.periods import (
    VOUCHERS_PER_MONTH_MAX,
    PeriodClosed,
    PeriodState,
    VoucherNumbered,
)
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import period_id
from sanzi_ledger.periods import previous_month
from tests.unit.builders import ACCOUNTANT, CODE, NOW, fold

START = "2025-01"


def _number(state: PeriodState | None, month: str = "2025-03", *, start: str = START) -> VoucherNumbered:
    return periods.number_voucher(state, collective=CODE, month=month, start_period=start, operator=ACCOUNTANT, now=NOW)


def _close(
    state: PeriodState | None, previous: PeriodState | None, month: str = "2025-03", *,
    start: str = START, log_position: int = 42,
) -> PeriodClosed:
    return periods.close(
        state, previous, collective=CODE, month=month, start_period=start,
        log_position=log_position, operator=ACCOUNTANT, now=NOW,
    )


def _closed(month: str) -> PeriodState:
    return PeriodState(version=1, collective=CODE, month=month, voucher_count=0, closed=True)


def test_number_voucher_issues_gap_free_numbers_from_one() -> None:
    state, events = None, []
    for _ in range(3):
        event = _number(state)
        events.append(event)
        state = periods.apply(state, event)
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.number for e in events] == ["记-2025-03-0001", "记-2025-03-0002", "记-2025-03-0003"]
    assert [e.originator_version for e in events] == [1, 2, 3]
    assert {e.originator_id for e in events} == {period_id(CODE, "2025-03")}
    assert (state.voucher_count, state.closed, state.version) == (3, False, 3)


@pytest.mark.parametrize(("seq", "number"), [(7, "记-2025-03-0007"), (1234, "记-2025-03-1234"), (12345, "记-2025-03-12345")])
def test_voucher_number_is_word_month_and_seq_padded_to_four_digits(seq: int, number: str) -> None:
    assert periods.voucher_number("2025-03", seq) == number


def test_number_voucher_refuses_a_closed_month() -> None:
    with pytest.raises(Refusal) as caught:
        _number(_closed("2025-03"))
    assert (caught.value.code, caught.value.value) == ("period.closed", "2025-03")


def test_number_voucher_refuses_a_month_before_the_books_start_naming_the_start() -> None:
    with pytest.raises(Refusal) as caught:
        _number(None, "2024-12")
    assert caught.value.code == "period.before_start"
    assert caught.value.params["start"] == START
    assert START in caught.value.render("zh")


def test_number_voucher_accepts_the_start_month_itself() -> None:
    assert _number(None, START).number == "记-2025-01-0001"


def test_number_voucher_refuses_more_than_the_monthly_limit() -> None:
    full = PeriodState(version=VOUCHERS_PER_MONTH_MAX, collective=CODE, month="2025-03",
                       voucher_count=VOUCHERS_PER_MONTH_MAX, closed=False)
    with pytest.raises(Refusal) as caught:
        _number(full)
    assert caught.value.code == "period.too_many_vouchers"


def test_the_start_month_closes_without_a_previous_month() -> None:
    event = _close(None, None, START)
    assert (event.month, event.voucher_count, event.originator_version, event.log_position) == (START, 0, 1, 42)
    assert periods.apply(None, event).closed


def test_close_carries_the_voucher_count_and_next_version() -> None:
    state = fold(periods.apply, [_number(None)])
    state = periods.apply(state, _number(state))
    event = _close(state, _closed("2025-02"))
    assert (event.voucher_count, event.originator_version) == (2, 3)
    assert event.originator_id == period_id(CODE, "2025-03")


@pytest.mark.parametrize(
    "previous",
    [None, PeriodState(version=4, collective=CODE, month="2025-02", voucher_count=4, closed=False)],
)
def test_close_refuses_while_the_previous_month_is_open_naming_it(previous: PeriodState | None) -> None:
    with pytest.raises(Refusal) as caught:
        _close(None, previous)
    assert caught.value.code == "period.previous_open"
    assert caught.value.params["previous"] == "2025-02"
    assert "2025-02" in caught.value.render("en")


def test_close_of_january_needs_the_previous_december_closed() -> None:
    with pytest.raises(Refusal) as caught:
        _close(None, None, "2026-01")
    assert caught.value.params["previous"] == "2025-12"
    assert _close(None, _closed("2025-12"), "2026-01").month == "2026-01"


def test_close_refuses_a_month_already_closed() -> None:
    with pytest.raises(Refusal) as caught:
        _close(_closed("2025-03"), _closed("2025-02"))
    assert caught.value.code == "period.already_closed"


def test_close_refuses_a_month_before_the_start() -> None:
    with pytest.raises(Refusal) as caught:
        _close(None, None, "2024-12")
    assert caught.value.code == "period.before_start"


def test_apply_refuses_a_foreign_event_loudly() -> None:
    with pytest.raises(AssertionError):
        periods.apply(None, object())  # type: ignore[arg-type]


@settings(max_examples=200)
@given(
    ops=st.lists(st.sampled_from(["number", "close"]), max_size=25),
    month=st.sampled_from([START, "2025-02", "2025-07"]),
    previous_closed=st.booleans(),
)
def test_the_last_event_alone_gives_the_same_state_as_the_fold_of_all_events(
    ops: list[str], month: str, previous_closed: bool,
) -> None:
    previous = PeriodState(1, CODE, previous_month(month), 0, previous_closed)
    state: PeriodState | None = None
    events = []
    for op in ops:
        try:
            event = _number(state, month) if op == "number" else _close(state, previous, month)
        except Refusal as refusal:
            # A refusal is for a reason the state explains, and leaves the state as it was.
            assert refusal.code in {"period.closed", "period.already_closed", "period.previous_open"}
            if refusal.code == "period.previous_open":
                assert month != START and not previous_closed
            else:
                assert state is not None and state.closed
            continue
        events.append(event)
        state = periods.apply(state, event)
        assert periods.apply(None, event) == state
        assert state.version == len(events)
    assert fold(periods.apply, events) == state
    numbered = [e for e in events if isinstance(e, VoucherNumbered)]
    assert [e.seq for e in numbered] == list(range(1, len(numbered) + 1))
    assert sum(isinstance(e, PeriodClosed) for e in events) <= 1
    if events and isinstance(events[-1], PeriodClosed):
        assert events[-1].voucher_count == len(numbered)


def _range(state: PeriodState | None, count: int, month: str = "2025-03") -> periods.RangeNumbered:
    return periods.number_range(state, count, collective=CODE, month=month, start_period=START, operator=ACCOUNTANT, now=NOW)


def test_number_range_issues_the_next_numbers_at_once_and_single_numbers_follow_on() -> None:
    first = _range(None, 3)
    state = periods.apply(None, first)
    second = _range(state, 2)
    state = periods.apply(state, second)
    assert [(e.first_seq, e.seq, e.originator_version) for e in (first, second)] == [(1, 3, 1), (4, 5, 2)]
    assert (state.voucher_count, state.closed, state.version) == (5, False, 2)
    assert _number(state).number == "记-2025-03-0006"


def test_number_range_keeps_the_rules_of_single_numbers() -> None:
    nearly = PeriodState(version=9, collective=CODE, month="2025-03", voucher_count=VOUCHERS_PER_MONTH_MAX - 2, closed=False)
    assert _range(nearly, 2).seq == VOUCHERS_PER_MONTH_MAX
    for state, count, month, code in ((nearly, 3, "2025-03", "period.too_many_vouchers"),
                                      (_closed("2025-03"), 1, "2025-03", "period.closed"),
                                      (None, 1, "2024-12", "period.before_start")):
        with pytest.raises(Refusal) as caught:
            _range(state, count, month)
        assert caught.value.code == code
