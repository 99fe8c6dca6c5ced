"""Random sequences of valid and invalid commands on a real store.

After every step the trial balance balances and equals a simple model of the
books; every refusal leaves the events and the views exactly as they were;
at the end a rebuild from position 0 gives the same views.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from sanzi_ledger.commands import books
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance
from tests.machines import StoreMachine, postgres_or_skip
from tests.support import CODE, post

ACCOUNTS = ["101", "102", "112", "151", "211", "241", "301", "501", "503", "513", "514"]
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
amounts = st.integers(min_value=1, max_value=5_000_000_00)


class Books(StoreMachine):
    def __init__(self) -> None:
        super().__init__()
        self.net: dict[str, int] = {}  # the model: net debit per account
        self.closed: list[str] = []
        self.vouchers: dict[str, tuple[str, bool]] = {}  # number -> (kind, reversed)

    def book(self, entries: list[tuple[str, str, int]], sign: int = 1) -> None:
        for account, side, fen in entries:
            self.net[account] = self.net.get(account, 0) + sign * (fen if side == "debit" else -fen)

    @rule(month=st.sampled_from(MONTHS), day=st.integers(1, 28), data=st.data())
    def post_balanced(self, month, day, data) -> None:
        debits = data.draw(st.dictionaries(st.sampled_from(ACCOUNTS), amounts, min_size=1, max_size=3))
        credit_accounts = data.draw(st.lists(st.sampled_from(ACCOUNTS), min_size=1, max_size=3, unique=True))
        total = sum(debits.values())
        split = [total // len(credit_accounts)] * len(credit_accounts)
        split[0] += total - sum(split)
        credits = dict(zip(credit_accounts, split, strict=True))
        credits = {a: f for a, f in credits.items() if f > 0}
        day_text = f"{month}-{day:02d}"
        if month in self.closed:
            self.refused(lambda: post(self.led, day_text, debits, credits), "period.closed")
            return
        number = post(self.led, day_text, debits, credits)
        self.vouchers[number] = ("ordinary", False)
        self.book([(a, "debit", f) for a, f in debits.items()] + [(a, "credit", f) for a, f in credits.items()])

    @rule(fen=amounts, off=st.integers(1, 10_000))
    def post_unbalanced(self, fen, off) -> None:
        self.refused(lambda: post(self.led, "2025-06-15", {"513": fen}, {"102": fen + off}), None)

    @rule()
    def post_to_unknown_account(self) -> None:
        self.refused(lambda: post(self.led, "2025-06-15", {"599": 100}, {"102": 100}), None)

    @precondition(lambda self: self.vouchers)
    @rule(data=st.data())
    def reverse(self, data) -> None:
        number = data.draw(st.sampled_from(sorted(self.vouchers)))
        kind, reversed_ = self.vouchers[number]
        act = lambda: books.reverse_voucher(  # noqa: E731
            self.led, books.ReverseVoucher(number=number, reason="更正", day=date(2025, 6, 28)))
        if "2025-06" in self.closed or kind != "ordinary" or reversed_:
            self.refused(act)
            return
        outcome = act()
        self.vouchers[number] = (kind, True)
        self.vouchers[outcome.voucher] = ("reversal", False)
        posted = self.led.views.query("SELECT account, side, amount_fen FROM v_voucher_lines WHERE number = ?", (number,))
        self.book([(a, s, f) for a, s, f in posted], sign=-1)

    @precondition(lambda self: len(self.closed) < len(MONTHS) - 1)
    @rule()
    def close_next_month(self) -> None:
        month = MONTHS[len(self.closed)]
        books.close_period(self.led, books.ClosePeriod(month=month))
        self.closed.append(month)

    @invariant()
    def trial_balance_balances_and_matches_the_model(self) -> None:
        report = trial_balance.trial_balance(self.led.views, self.led.chart("2024"), CODE, parse_period("2025"))
        assert report.balanced
        shown = {r.code: r.closing_debit - r.closing_credit for r in report.rows}
        assert {a: n for a, n in shown.items() if n} == {a: n for a, n in self.net.items() if n}


Books.TestCase.settings = settings(max_examples=25, stateful_step_count=15, deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
test_books_on_sqlite = Books.TestCase


class BooksOnPostgres(Books):
    backend = "postgres"


BooksOnPostgres.TestCase.settings = settings(max_examples=8, stateful_step_count=12, deadline=None,
                                             suppress_health_check=[HealthCheck.too_slow])


@postgres_or_skip
class TestBooksOnPostgres(BooksOnPostgres.TestCase):
    pass
