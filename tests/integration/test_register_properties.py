"""Random sequences of register commands on a real store.

After every step each register total equals its account in the trial balance
(the register event and its voucher are one transaction), the registers equal
a simple model, and the trial balance balances. Every refused command (more
rent than is due, more than a debt's outstanding, overspent or misspent
earmarked money, more area than the land has…) leaves the events and the views
exactly as they were. At the end a rebuild from position 0 gives the same views.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from sanzi_ledger.commands import registers as cmd
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import register_reports as reports
from sanzi_ledger.projections import trial_balance
from tests.machines import StoreMachine, postgres_or_skip
from tests.support import CODE

AREA_CMU = 10_000  # the one resource: 100 亩 of 林地, let for 2025
JAN1, DEC31 = date(2025, 1, 1), date(2025, 12, 31)
INSTALMENTS = {"year": 1, "quarter": 4, "month": 12, "term": 1}
days = st.dates(min_value=JAN1, max_value=date(2025, 6, 30))
amounts = st.integers(min_value=1, max_value=2_000_000_00)


def some_amount(data, outstanding: int) -> int:
    """Within what remains, or beyond it (which must be refused)."""
    within = st.integers(1, outstanding) if outstanding > 0 else st.nothing()
    return data.draw(st.one_of(within, st.integers(outstanding + 1, outstanding + 1_000_000)), label="amount")


class Registers(StoreMachine):
    def __init__(self) -> None:
        super().__init__()
        cmd.add_resource(self.led, cmd.AddResource(number="ZY-01", name="后山林地", type="林地", area_cmu=AREA_CMU))
        self.serial = 0
        # The model.
        self.leases: dict[str, tuple[int, int]] = {}  # number -> (total, collected)
        self.leased_cmu = 0
        self.contracts: dict[str, tuple[str, int, int]] = {}  # number -> (direction, amount, settled)
        self.debts: dict[str, tuple[str, int]] = {}  # number -> (direction, outstanding)
        self.subsidies: dict[str, tuple[bool, int]] = {}  # number -> (earmarked, balance)

    def next_number(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial:02d}"

    # -- leases ------------------------------------------------------------------
    @rule(area=st.integers(1, 4_000), per=st.sampled_from(sorted(INSTALMENTS)), rent=st.integers(1, 500_000_00))
    def sign_lease(self, area, per, rent) -> None:
        number = self.next_number("ZL")
        act = lambda: cmd.sign_lease(self.led, cmd.SignLease(
            number=number, item="ZY-01", area_cmu=area, lessee="承包户", rent_fen=rent, per=per, start=JAN1, end=DEC31,
            signed_on=JAN1))
        if self.leased_cmu + area > AREA_CMU:
            self.refused(act, "lease.overlap_area")
            return
        act()
        self.leases[number] = (rent * INSTALMENTS[per], 0)
        self.leased_cmu += area

    @precondition(lambda self: self.leases)
    @rule(data=st.data(), day=days)
    def collect_rent(self, data, day) -> None:
        number = data.draw(st.sampled_from(sorted(self.leases)), label="lease")
        total, collected = self.leases[number]
        amount = some_amount(data, total - collected)
        act = lambda: cmd.collect_rent(self.led, cmd.CollectRent(number=number, amount_fen=amount, day=day))
        if amount > total - collected:
            self.refused(act, "schedule.over_settlement")
            return
        act()
        self.leases[number] = (total, collected + amount)

    # -- contracts ---------------------------------------------------------------
    @rule(kind=st.sampled_from(["发包", "工程"]), amount=amounts)
    def sign_contract(self, kind, amount) -> None:
        number = self.next_number("HT")
        outcome = cmd.sign_contract(self.led, cmd.SignContract(
            number=number, kind=kind, party="对方", amount_fen=amount, start=JAN1, end=DEC31, signed_on=JAN1))
        assert outcome.voucher is None  # signing moves no money
        self.contracts[number] = ("income" if kind == "发包" else "expense", amount, 0)

    @precondition(lambda self: self.contracts)
    @rule(data=st.data(), day=days, wrong_way=st.booleans())
    def settle_contract(self, data, day, wrong_way) -> None:
        number = data.draw(st.sampled_from(sorted(self.contracts)), label="contract")
        direction, total, settled = self.contracts[number]
        amount = some_amount(data, total - settled)
        asked = {"income": "expense", "expense": "income"}[direction] if wrong_way else direction
        act = lambda: cmd.settle_contract(self.led, cmd.SettleContract(
            number=number, direction=asked, amount_fen=amount, day=day))
        if wrong_way:
            self.refused(act, "contract.wrong_direction")
        elif amount > total - settled:
            self.refused(act, "schedule.over_settlement")
        else:
            act()
            self.contracts[number] = (direction, total, settled + amount)

    # -- debts -------------------------------------------------------------------
    @rule(direction=st.sampled_from(["receivable", "payable"]), amount=amounts)
    def add_debt(self, direction, amount) -> None:
        number = self.next_number("ZQ")
        cmd.add_debt(self.led, cmd.AddDebt(number=number, direction=direction, party="对方", amount_fen=amount, day=JAN1,
                                           via="bank"))
        self.debts[number] = (direction, amount)

    @precondition(lambda self: self.debts)
    @rule(data=st.data(), day=days, write_off=st.booleans())
    def settle_or_write_off_debt(self, data, day, write_off) -> None:
        number = data.draw(st.sampled_from(sorted(self.debts)), label="debt")
        direction, outstanding = self.debts[number]
        amount = some_amount(data, outstanding)
        if write_off:
            act = lambda: cmd.write_off_debt(self.led, cmd.WriteOffDebt(
                number=number, amount_fen=amount, day=day, reason="无法收回", resolution="决议〔2025〕1号"))
        else:
            act = lambda: cmd.settle_debt(self.led, cmd.SettleDebt(number=number, amount_fen=amount, day=day))
        if amount > outstanding:
            self.refused(act, "debt.over_settlement")
            return
        act()
        self.debts[number] = (direction, outstanding - amount)

    # -- subsidies -----------------------------------------------------------------
    @rule(data=st.data(), amount=amounts, day=days)
    def receive_subsidy(self, data, amount, day) -> None:
        number = data.draw(st.sampled_from([*sorted(self.subsidies), "new"]), label="subsidy")
        if number == "new":
            number, earmarked = self.next_number("BZ"), data.draw(st.booleans(), label="earmarked")
            balance = 0
        else:
            earmarked, balance = self.subsidies[number]
        cmd.receive_subsidy(self.led, cmd.ReceiveSubsidy(
            number=number, program=f"项目{number}", source="县", amount_fen=amount, day=day, earmarked=earmarked,
            purposes=("道路硬化",) if earmarked else ()))
        self.subsidies[number] = (earmarked, balance + amount)

    @precondition(lambda self: self.subsidies)
    @rule(data=st.data(), day=days, purpose=st.sampled_from(["道路硬化", "发放福利"]), account=st.sampled_from([None, "153"]))
    def spend_subsidy(self, data, day, purpose, account) -> None:
        number = data.draw(st.sampled_from(sorted(self.subsidies)), label="subsidy")
        earmarked, balance = self.subsidies[number]
        amount = some_amount(data, balance)
        act = lambda: cmd.spend_subsidy(self.led, cmd.SpendSubsidy(
            number=number, amount_fen=amount, day=day, purpose=purpose, payee="施工队", account=account))
        if earmarked and purpose != "道路硬化":
            self.refused(act, "subsidy.wrong_purpose")
        elif amount > balance:
            self.refused(act, "subsidy.overspent")
        else:
            act()
            self.subsidies[number] = (earmarked, balance - amount)

    @precondition(lambda self: self.subsidies)
    @rule(data=st.data(), day=days)
    def return_subsidy(self, data, day) -> None:
        number = data.draw(st.sampled_from(sorted(self.subsidies)), label="subsidy")
        earmarked, balance = self.subsidies[number]
        amount = some_amount(data, balance)
        act = lambda: cmd.return_subsidy(self.led, cmd.ReturnSubsidy(number=number, amount_fen=amount, day=day))
        if amount > balance:
            self.refused(act, "subsidy.overspent")
            return
        act()
        self.subsidies[number] = (earmarked, balance - amount)

    # -- invariants ------------------------------------------------------------------
    @invariant()
    def every_register_total_equals_its_account_in_the_trial_balance(self) -> None:
        views = self.led.views
        report = trial_balance.trial_balance(views, self.led.chart("2024"), CODE, parse_period("2025"))
        assert report.balanced
        net = {r.code: r.closing_debit - r.closing_credit for r in report.rows}  # credit balances negative
        leases = reports.leases(views, CODE, DEC31)
        contracts = reports.contracts(views, CODE, DEC31)
        debts = reports.debts(views, CODE)
        subsidies = reports.subsidies(views, CODE)
        income = sum(r.collected_fen for r in leases) + sum(r.settled_fen for r in contracts if r.direction == "income")
        assert income == -net.get("501", 0)
        assert sum(r.balance_fen for r in subsidies if r.earmarked) == -net.get("241", 0)
        assert sum(r.outstanding_fen for r in debts if r.direction == "receivable") == net.get("112", 0)
        assert sum(r.outstanding_fen for r in debts if r.direction == "payable") == -net.get("211", 0)

    @invariant()
    def the_registers_equal_the_model(self) -> None:
        views = self.led.views
        assert {r.number: (r.total_fen, r.collected_fen) for r in reports.leases(views, CODE, DEC31)} == self.leases
        assert {r.number: (r.direction, r.amount_fen, r.settled_fen)
                for r in reports.contracts(views, CODE, DEC31)} == self.contracts
        assert {r.number: (r.direction, r.outstanding_fen) for r in reports.debts(views, CODE)} == self.debts
        assert {r.number: (r.earmarked, r.balance_fen) for r in reports.subsidies(views, CODE)} == self.subsidies
        (land,) = reports.resources(views, CODE, date(2025, 6, 1))
        assert land.leased_cmu == self.leased_cmu <= AREA_CMU


Registers.TestCase.settings = settings(max_examples=20, stateful_step_count=15, deadline=None,
                                       suppress_health_check=[HealthCheck.too_slow])
test_registers_on_sqlite = Registers.TestCase


class RegistersOnPostgres(Registers):
    backend = "postgres"


RegistersOnPostgres.TestCase.settings = settings(max_examples=6, stateful_step_count=10, deadline=None,
                                                 suppress_health_check=[HealthCheck.too_slow])


@postgres_or_skip
class TestRegistersOnPostgres(RegistersOnPostgres.TestCase):
    pass
