"""--as-of: the books and registers as they were RECORDED at a moment, on SQLite and PostgreSQL.

The recorded time is controlled through the ledger's clock seam (`Ledger.clock`):
record, move the clock on, record more; the past shows the first figures,
the present the later ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sanzi_ledger.commands import books
from sanzi_ledger.commands import registers as cmd
from sanzi_ledger.commands.ledger import CHINA
from sanzi_ledger.commands.time_travel import as_of, parse_moment
from sanzi_ledger.errors import Refusal
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import register_reports, trial_balance
from sanzi_ledger.projections.scratch import position_at
from tests.support import CODE, new_ledger, post, snapshot

D = date.fromisoformat
MARCH_1 = datetime(2025, 3, 1, 9, 0, tzinfo=CHINA)  # the first day's work
MARCH_20 = datetime(2025, 3, 20, 15, 30, tzinfo=CHINA)  # later work
NOW = datetime(2025, 4, 2, 10, 0, tzinfo=CHINA)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)  # every command a second later
        return self.now.astimezone(UTC)


@pytest.fixture
def clock():
    return Clock(MARCH_1 - timedelta(minutes=5))


@pytest.fixture
def led(store_url, clock, monkeypatch):
    # The seam: every Ledger opened from here on reads this clock, the set-up included.
    monkeypatch.setattr("sanzi_ledger.commands.ledger._utc_now", clock)
    ledger = new_ledger(store_url)
    yield ledger
    ledger.close()


def balances(views, led) -> dict[str, int]:
    report = trial_balance.trial_balance(views, led.chart("2024"), CODE, parse_period("2025"))
    assert report.balanced
    return {r.code: r.closing_debit - r.closing_credit for r in report.rows}


def record_two_days(led, clock) -> None:
    clock.now = MARCH_1
    post(led, "2025-02-10", {"102": 1_200_000}, {"501": 1_200_000}, summary="收到土地租金")
    cmd.add_debt(led, cmd.AddDebt(number="ZW-01", direction="payable", party="东山建材店", amount_fen=500_000, day=D("2025-02-01")))
    clock.now = MARCH_20
    post(led, "2025-02-12", {"513": 80_000}, {"102": 80_000}, summary="办公用品（补记二月）")
    cmd.settle_debt(led, cmd.SettleDebt(number="ZW-01", amount_fen=200_000, day=D("2025-03-20")))
    clock.now = NOW


def test_as_of_shows_the_books_as_recorded_then_and_live_shows_them_now(led, clock):
    record_two_days(led, clock)
    moment = parse_moment("2025-03-10", now=led.now())
    with as_of(led, moment) as past:
        then = balances(past.ledger.views, led)
        debts_then = register_reports.debts(past.ledger.views, CODE, past.ledger.today())
        vouchers_then = past.ledger.views.query("SELECT number FROM v_vouchers ORDER BY number")
        assert past.ledger.today() == D("2025-03-10")
    assert then == {"102": 1_200_000, "501": -1_200_000}
    assert [(d.number, d.outstanding_fen) for d in debts_then] == [("ZW-01", 500_000)]
    # The February voucher typed on 20 March is not in the past, though its business date is.
    assert vouchers_then == [("记-2025-02-0001",)]
    now = balances(led.views, led)
    assert (now["102"], now["513"]) == (1_200_000 - 80_000 - 200_000, 80_000)  # the debt settled from the bank
    assert [(d.number, d.outstanding_fen) for d in register_reports.debts(led.views, CODE, led.today())] == [("ZW-01", 300_000)]


def test_as_of_writes_nothing_and_leaves_the_live_views_alone(led, clock):
    record_two_days(led, clock)
    before = snapshot(led)
    with as_of(led, parse_moment("2025-03-01T09:00:30", now=led.now())) as past:
        assert past.ledger.views is not led.views
        assert past.position < led.app.head()
    assert snapshot(led) == before


def test_position_at_is_the_last_event_recorded_at_or_before_the_moment(led, clock):
    record_two_days(led, clock)
    head = led.app.head()
    assert position_at(led.app, NOW) == head
    assert position_at(led.app, MARCH_1 - timedelta(days=1)) == 0
    at_first_day = position_at(led.app, MARCH_1 + timedelta(hours=1))
    assert 0 < at_first_day < head
    # Two writers committed in the other order than they read their clocks: the later
    # commit was recorded ten minutes before the events already in the log.
    clock.now = MARCH_20 - timedelta(minutes=10)
    post(led, "2025-03-01", {"101": 100}, {"501": 100}, summary="迟到的提交")
    assert position_at(led.app, MARCH_20 - timedelta(minutes=5)) == led.app.head()
    assert position_at(led.app, MARCH_20 - timedelta(minutes=15)) == at_first_day


def test_as_of_before_anything_was_recorded_has_empty_views(led, clock):
    record_two_days(led, clock)
    with as_of(led, datetime(2020, 1, 1, tzinfo=CHINA)) as past:
        assert past.position == 0
        assert past.ledger.views.query("SELECT COUNT(*) FROM v_collectives") == [(0,)]


# -- parsing the moment (pure) -------------------------------------------------------------------------
LATER = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 20:00 in Beijing


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-03-10", datetime(2025, 3, 10, 23, 59, 59, 999999, tzinfo=CHINA)),
    ("2025-03-10T14:05", datetime(2025, 3, 10, 14, 5, 59, 999999, tzinfo=CHINA)),
    ("2025-03-10T14:05:07", datetime(2025, 3, 10, 14, 5, 7, 999999, tzinfo=CHINA)),
    ("2025-03-10 14:05:07", datetime(2025, 3, 10, 14, 5, 7, 999999, tzinfo=CHINA)),
    ("2025-03-10T06:05:07Z", datetime(2025, 3, 10, 14, 5, 7, 999999, tzinfo=CHINA)),
    ("2025-03-10T07:05:07+01:00", datetime(2025, 3, 10, 14, 5, 7, 999999, tzinfo=CHINA)),
    ("2026-11-24", LATER),  # today: up to now
])
def test_moments_are_beijing_time_and_include_their_last_unit(text, expected):
    assert parse_moment(text, now=LATER) == expected


@pytest.mark.parametrize(("text", "code"), [
    ("yesterday", "as_of.format"), ("2025-3-10", "as_of.format"), ("2025-03-10T14", "as_of.format"),
    ("2025-03-10+08:00", "as_of.format"), ("2025-03-10T14:05:07.5", "as_of.format"), ("", "as_of.format"),
    ("2025-02-30", "as_of.nonexistent"), ("2025-03-10T24:00", "as_of.nonexistent"),
    ("2026-11-25", "as_of.future"), ("2026-11-24T20:01", "as_of.future"),
])
def test_a_moment_that_is_malformed_impossible_or_to_come_is_refused(text, code):
    with pytest.raises(Refusal) as refusal:
        parse_moment(text, now=LATER)
    assert refusal.value.code == code and refusal.value.field == "--as-of"


def test_voucher_list_and_reversal_as_of(led, clock):
    record_two_days(led, clock)
    clock.now = NOW
    books.reverse_voucher(led, books.ReverseVoucher(number="记-2025-02-0002", reason="重复记账", day=D("2025-04-02")))
    with as_of(led, MARCH_20 + timedelta(hours=1)) as past:
        then = past.ledger.views.query("SELECT number, reversed_by FROM v_vouchers ORDER BY number")
    assert then == [("记-2025-02-0001", ""), ("记-2025-02-0002", ""), ("记-2025-03-0001", "")]  # the last: the debt settled
    now = led.views.query("SELECT number, reversed_by FROM v_vouchers ORDER BY number")
    assert ("记-2025-02-0002", "记-2025-04-0001") in now


def test_as_of_for_one_collective_replays_only_its_events_and_gives_the_same_figures(led, clock):
    from sanzi_ledger.commands import setup

    record_two_days(led, clock)
    setup.register_collective(led, setup.RegisterCollective(
        code="330100002", name="西山村股份经济合作社", township="东山镇", county="临安区", start_period="2025-01"))
    with as_of(led, NOW + timedelta(hours=1), collective=CODE) as past:
        assert past.position == led.app.head()
        assert past.ledger.views.query("SELECT code FROM v_collectives") == [(CODE,)]
        assert balances(past.ledger.views, led) == balances(led.views, led)
        assert past.ledger.resolve_collective() == CODE
