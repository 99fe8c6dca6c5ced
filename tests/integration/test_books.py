"""The ledger core on a real store: SQLite and PostgreSQL run every case."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity.verify import verify_chain
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import ledger_book, statements, trial_balance
from tests.support import (
    ACCOUNTANT,
    CASHIER,
    CODE,
    SUPERVISOR,
    lines,
    new_ledger,
    post,
    snapshot,
)


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    yield ledger
    ledger.close()


def tb(led, period: str):
    state = led.collective()
    return trial_balance.trial_balance(led.views, led.chart(state.chart), CODE, parse_period(period))


def test_vouchers_are_numbered_gap_free_per_month(led):
    numbers = [post(led, d, {"102": 100}, {"501": 100}) for d in ("2025-03-01", "2025-03-09", "2025-04-02", "2025-03-31")]
    assert numbers == ["记-2025-03-0001", "记-2025-03-0002", "记-2025-04-0001", "记-2025-03-0003"]


def test_trial_balance_shows_opening_movement_and_closing_on_both_sides(led):
    post(led, "2025-01-05", {"102": 1_200_000}, {"301": 1_200_000})
    post(led, "2025-02-03", {"513": 35_050}, {"102": 35_050})
    post(led, "2025-02-10", {"102": 500_000}, {"501": 500_000})
    report = tb(led, "2025-02")
    rows = {r.code: r for r in report.rows}
    assert rows["102"].amounts() == (1_200_000, 0, 500_000, 35_050, 1_664_950, 0)
    assert rows["301"].amounts() == (0, 1_200_000, 0, 0, 0, 1_200_000)
    assert rows["513"].amounts() == (0, 0, 35_050, 0, 35_050, 0)
    assert report.balanced
    assert report.totals.amounts() == (1_200_000, 1_200_000, 535_050, 535_050, 1_700_000, 1_700_000)


def test_sub_accounts_roll_up_and_their_parent_becomes_unpostable(led):
    setup.open_account(led, setup.OpenAccount(code="112001", name="应收款-张三"))
    post(led, "2025-01-05", {"112001": 80_000}, {"301": 80_000})
    with pytest.raises(Refusal) as refused:
        post(led, "2025-01-06", {"112": 1}, {"301": 1})
    assert refused.value.code == "voucher.account_not_leaf" and refused.value.field == "debit[1]"
    rows = {r.code: r for r in tb(led, "2025-01").rows}
    assert rows["112"].closing_debit == 80_000


def test_reversal_posts_red_lines_and_links_both_vouchers(led):
    original = post(led, "2025-01-05", {"513": 35_050}, {"101": 35_050})
    outcome = books.reverse_voucher(led, books.ReverseVoucher(number=original, reason="重复记账", day=date(2025, 1, 9)))
    rows = led.views.query("SELECT number, kind, reverses, reversed_by FROM v_vouchers ORDER BY number")
    assert rows == [(original, "ordinary", "", outcome.voucher), (outcome.voucher, "reversal", original, "")]
    red = led.views.query("SELECT account, side, amount_fen FROM v_voucher_lines WHERE number = ? ORDER BY line_no", (outcome.voucher,))
    assert red == [("513", "debit", -35_050), ("101", "credit", -35_050)]
    assert {r.code for r in tb(led, "2025-01").rows} == set()  # red ink cancels the movement


def test_closed_month_refuses_posting_and_months_close_in_order(led):
    post(led, "2025-01-05", {"102": 100}, {"501": 100})
    with pytest.raises(Refusal) as refused:
        books.close_period(led, books.ClosePeriod(month="2025-02"))
    assert refused.value.code == "period.previous_open"
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    with pytest.raises(Refusal) as refused:
        post(led, "2025-01-31", {"102": 100}, {"501": 100})
    assert refused.value.code == "period.closed"
    # A reversal of a voucher in a closed month is posted in an open month.
    books.reverse_voucher(led, books.ReverseVoucher(number="记-2025-01-0001", reason="更正", day=date(2025, 2, 1)))
    assert tb(led, "2025-02").rows[0].closing_debit == 0


def test_year_end_close_moves_profit_and_loss_into_distribution(led):
    post(led, "2025-03-05", {"102": 1_000_000}, {"501": 1_000_000})
    post(led, "2025-05-05", {"513": 250_000}, {"102": 250_000})
    post(led, "2025-06-05", {"102": 40_000}, {"503": 40_000})
    for month in range(1, 13):
        outcome = books.close_period(led, books.ClosePeriod(month=f"2025-{month:02d}"))
    assert len(outcome.extra["closing_vouchers"]) == 2
    rows = {r.code: r for r in tb(led, "2025").rows}
    assert rows["322"].closing_credit == 790_000
    assert all(rows[c].closing_debit == rows[c].closing_credit == 0 for c in ("501", "503", "513", "321"))
    income = statements.income_statement(led.views, led.chart("2024"), CODE, parse_period("2025"))
    by_line = {r.line: r.amount for r in income.rows}
    assert by_line["本年收益"] == 790_000 and by_line["期末未分配收益"] == 790_000
    sheet = statements.balance_sheet(led.views, led.chart("2024"), CODE, date(2025, 12, 31))
    assert sheet.balanced and {r.line: r.amount for r in sheet.rows}["未分配收益"] == 790_000
    # The next year opens with no 损益 balance and the distribution carried forward.
    post(led, "2026-01-05", {"102": 100}, {"501": 100})
    next_rows = {r.code: r for r in tb(led, "2026-01").rows}
    assert next_rows["501"].opening_credit == 0 and next_rows["322"].opening_credit == 790_000


def test_balance_sheet_balances_mid_year_with_unclosed_income(led):
    post(led, "2025-01-02", {"102": 5_000_000, "151": 2_000_000}, {"301": 6_000_000, "152": 1_000_000})
    post(led, "2025-02-02", {"102": 300_000}, {"501": 300_000})
    post(led, "2025-02-20", {"514": 120_000}, {"102": 120_000})
    sheet = statements.balance_sheet(led.views, led.chart("2024"), CODE, date(2025, 2, 10))
    lines_ = {r.line: r.amount for r in sheet.rows}
    assert sheet.balanced and lines_["固定资产净值"] == 1_000_000 and lines_["未分配收益"] == 300_000
    assert statements.balance_sheet(led.views, led.chart("2024"), CODE, date(2025, 2, 28)).total_assets == 5_000_000 + 180_000 + 1_000_000


def test_account_book_runs_the_balance_from_the_opening(led):
    post(led, "2025-01-05", {"102": 10_000}, {"501": 10_000})
    post(led, "2025-02-05", {"513": 3_000}, {"102": 3_000})
    post(led, "2025-02-06", {"102": 500}, {"504": 500})
    book = ledger_book.account_book(led.views, CODE, "102", parse_period("2025-02"))
    assert book.opening == 10_000 and [e.balance for e in book.entries] == [7_000, 7_500] and book.closing == 7_500


BAD_INPUTS = [
    ("unbalanced", lambda led: post(led, "2025-01-05", {"513": 35_050}, {"101": 35_000}), "voucher.unbalanced"),
    ("unknown account", lambda led: post(led, "2025-01-05", {"999": 1}, {"101": 1}), "voucher.account_unknown"),
    ("zero amount", lambda led: post(led, "2025-01-05", {"513": 0}, {"101": 0}), "money.not_positive"),
    ("negative amount", lambda led: post(led, "2025-01-05", {"513": -5}, {"101": -5}), "money.not_positive"),
    ("absurd amount", lambda led: post(led, "2025-01-05", {"513": 10**13}, {"101": 10**13}), "money.too_large"),
    ("future date", lambda led: post(led, "2099-01-05", {"513": 1}, {"101": 1}), "voucher.future_date"),
    ("before start", lambda led: post(led, "2024-12-31", {"513": 1}, {"101": 1}), "period.before_start"),
    ("control characters", lambda led: post(led, "2025-01-05", {"513": 1}, {"101": 1}, summary="付款\x1b[2J"), "text.control_chars"),
    ("closed month", lambda led: post(led, "2025-01-05", {"513": 1}, {"101": 1}), "period.closed"),
    ("reversal of a reversal", lambda led: books.reverse_voucher(led, books.ReverseVoucher(number="记-2025-02-0002", reason="x", day=date(2025, 2, 3))), "voucher.reverse_reversal"),
    ("second reversal", lambda led: books.reverse_voucher(led, books.ReverseVoucher(number="记-2025-02-0001", reason="x", day=date(2025, 2, 3))), "voucher.already_reversed"),
    ("unknown voucher", lambda led: books.reverse_voucher(led, books.ReverseVoucher(number="记-2025-02-0099", reason="x", day=date(2025, 2, 3))), "voucher.unknown"),
    ("closing twice", lambda led: books.close_period(led, books.ClosePeriod(month="2025-01")), "period.already_closed"),
]


@pytest.mark.parametrize(("case", "act", "code"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused_by_name_and_writes_nothing(led, case, act, code):
    post(led, "2025-01-05", {"102": 100}, {"501": 100})
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    first = post(led, "2025-02-01", {"102": 100}, {"501": 100})
    books.reverse_voucher(led, books.ReverseVoucher(number=first, reason="更正", day=date(2025, 2, 2)))
    before = snapshot(led)
    with pytest.raises(Refusal) as refused:
        act(led)
    assert refused.value.code == code
    assert refused.value.field, "a refusal names the field"
    assert refused.value.render("zh") and refused.value.render("en")
    assert snapshot(led) == before


@pytest.mark.parametrize(("operator", "code"), [("王出纳", "member.wrong_role"), ("路人甲", "member.unknown_operator")])
def test_roles_are_checked_and_refusals_write_nothing(led, operator, code):
    led.operator = CASHIER
    post(led, "2025-01-05", {"102": 100}, {"501": 100})  # a cashier may post
    before = snapshot(led)
    led.operator = operator
    with pytest.raises(Refusal) as refused:
        books.close_period(led, books.ClosePeriod(month="2025-01"))
    assert refused.value.code == code and refused.value.field == "operator"
    led.operator = SUPERVISOR
    with pytest.raises(Refusal):
        post(led, "2025-01-06", {"102": 100}, {"501": 100})  # a supervisor never posts
    assert snapshot(led) == before


def test_unknown_collective_and_duplicate_code_are_refused(store_url):
    led = new_ledger(store_url)
    try:
        before = snapshot(led)
        led.collective_code = "999999"
        with pytest.raises(Refusal) as refused:
            post(led, "2025-01-05", {"102": 100}, {"501": 100})
        assert refused.value.code == "collective.unknown"
        with pytest.raises(Refusal) as refused:
            setup.register_collective(led, setup.RegisterCollective(code=CODE, name="重复", township="t", county="c"))
        assert refused.value.code == "collective.duplicate"
        assert snapshot(led) == before
    finally:
        led.close()


def test_a_full_rebuild_gives_identical_views(led):
    setup.open_account(led, setup.OpenAccount(code="112001", name="应收款-张三"))
    post(led, "2025-01-05", {"112001": 80_000}, {"301": 80_000})
    number = post(led, "2025-01-06", {"513": 1_000}, {"101": 1_000})
    books.reverse_voucher(led, books.ReverseVoucher(number=number, reason="错", day=date(2025, 1, 7)))
    for month in range(1, 13):
        books.close_period(led, books.ClosePeriod(month=f"2025-{month:02d}"))
    incremental = led.projector.dump()
    assert sum(len(rows) for rows in incremental.values()) > 20
    led.projector.rebuild(batch_events=3)  # small batches: many transactions
    assert led.projector.dump() == incremental


def test_concurrent_posters_get_gap_free_numbers(store_url):
    new_ledger(store_url).close()
    errors: list[BaseException] = []

    def worker(who: str) -> None:
        led = open_ledger(store_url, operator=who, collective=CODE)
        try:
            for _ in range(8):
                books.post_voucher(led, books.PostVoucher(day=date(2025, 3, 3), summary=who, lines=lines({"102": 1}, {"501": 1})))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            led.close()

    threads = [threading.Thread(target=worker, args=(who,)) for who in (ACCOUNTANT, CASHIER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    led = open_ledger(store_url, collective=CODE)
    try:
        led.catch_up()
        numbers = [r[0] for r in led.views.query("SELECT number FROM v_vouchers ORDER BY number")]
        assert numbers == [f"记-2025-03-{n:04d}" for n in range(1, 17)]
        # Concurrent writers still leave one unbroken chain, one link per stored event (PostgreSQL's
        # notification ids have gaps where conflicting inserts rolled back; chain positions do not).
        chain = verify_chain(led.app, led.views)
        assert chain.ok and chain.events == len(led.app.recorder.select_notifications(start=1, limit=10**6))
    finally:
        led.close()


def test_a_store_is_never_created_by_a_read(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(Refusal) as refused:
        open_ledger(str(path))
    assert refused.value.code == "ledger.not_initialised" and not path.exists()


def test_line_model_rejects_unknown_side():
    with pytest.raises(ValueError):
        Line(account="101", side="sideways", amount_fen=1)  # type: ignore[arg-type]
