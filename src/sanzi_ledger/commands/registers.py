"""The 三资 registers: contracts, assets and resources, leases, debts, subsidies.

Each handler reads like the accountant's sentence: check who is acting, load
the record (and the month's period when money moves), let the domain decide,
save everything in one transaction. Money-moving facts post their voucher in
that same transaction (design rule 4).
"""

from __future__ import annotations

from datetime import date

from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.config import load_rules
from sanzi_ledger.domain import assets, contracts, debts, leases, subsidies
from sanzi_ledger.domain.collectives import BOOKKEEPERS, POSTERS
from sanzi_ledger.domain.events import Event
from sanzi_ledger.domain.schedules import Instalment
from sanzi_ledger.ids import contract_id, debt_id, item_id, lease_id, subsidy_id
from sanzi_ledger.periods import month_of

# 清理合同 is done by the accountant with the supervision committee or the head.
# Not the auditor: an auditor only reads and records audit events, so an
# auditor's view of a contract is an audit finding (`audit finding --event NO`).
REVIEWERS = frozenset({"accountant", "supervisor", "head"})


def _voucher(events: list[Event]) -> str | None:
    from sanzi_ledger.domain.periods import VoucherNumbered

    return next((e.number for e in events if isinstance(e, VoucherNumbered)), None)


def _run(led: Ledger, number: str, roles: frozenset[str], action: str, decide) -> Outcome:
    led.ledger_state()

    def step():
        state, chart = led.acting(roles, action)
        events = decide(state, chart)
        return events, _voucher(events)

    position, voucher = led.execute(step)
    return Outcome(id=number.strip(), position=position, voucher=voucher)


# -- contracts -----------------------------------------------------------------
class SignContract(Command):
    number: str
    kind: str
    direction: str | None = None
    party: str
    party_id: str = ""
    amount_fen: int
    start: date
    end: date
    schedule: tuple[Instalment, ...] = ()
    subject: str = ""
    method: str = ""
    resolution: str = ""
    signed_on: date | None = None  # default: the start date, or today if it starts later


class SettleContract(Command):
    number: str
    direction: str  # income: collect; expense: pay
    amount_fen: int
    day: date
    via: str = "bank"
    account: str | None = None


class AmendContract(Command):
    number: str
    amount_fen: int | None = None
    end: date | None = None
    schedule: tuple[Instalment, ...] = ()
    reason: str
    resolution: str = ""


class TerminateContract(Command):
    number: str
    day: date
    reason: str


class ReviewContract(Command):
    number: str
    result: str
    note: str = ""


def sign_contract(led: Ledger, cmd: SignContract) -> Outcome:
    def decide(state, chart):
        return contracts.sign(
            led.app.load(contract_id(state.code, cmd.number.strip()), contracts.apply), state,
            number=cmd.number, kind=cmd.kind, direction=cmd.direction, party=cmd.party, party_id=cmd.party_id,
            amount_fen=cmd.amount_fen, start=cmd.start, end=cmd.end, schedule=cmd.schedule, subject=cmd.subject,
            method=cmd.method, resolution=cmd.resolution, signed_on=cmd.signed_on or min(cmd.start, led.today()),
            lease_years_max=load_rules().terms.lease_years_max, operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "contract sign", decide)


def settle_contract(led: Ledger, cmd: SettleContract) -> Outcome:
    def decide(state, chart):
        return contracts.settle(
            led.app.load(contract_id(state.code, cmd.number.strip()), contracts.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), direction=cmd.direction,
            amount_fen=cmd.amount_fen, day=cmd.day, via=cmd.via, account=cmd.account,
            operator=led.operator, now=led.now(), today=led.today(),
        )
    action = "contract collect" if cmd.direction == "income" else "contract pay"
    return _run(led, cmd.number, POSTERS, action, decide)


def amend_contract(led: Ledger, cmd: AmendContract) -> Outcome:
    def decide(state, chart):
        return contracts.amend(
            led.app.load(contract_id(state.code, cmd.number.strip()), contracts.apply), state,
            number=cmd.number.strip(), amount_fen=cmd.amount_fen, end=cmd.end, schedule=cmd.schedule,
            reason=cmd.reason, resolution=cmd.resolution, lease_years_max=load_rules().terms.lease_years_max,
            operator=led.operator, now=led.now(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "contract amend", decide)


def terminate_contract(led: Ledger, cmd: TerminateContract) -> Outcome:
    def decide(state, chart):
        return contracts.terminate(
            led.app.load(contract_id(state.code, cmd.number.strip()), contracts.apply), state,
            number=cmd.number.strip(), day=cmd.day, reason=cmd.reason, operator=led.operator, now=led.now(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "contract terminate", decide)


def review_contract(led: Ledger, cmd: ReviewContract) -> Outcome:
    def decide(state, chart):
        return contracts.review(
            led.app.load(contract_id(state.code, cmd.number.strip()), contracts.apply), state,
            number=cmd.number.strip(), result=cmd.result, note=cmd.note, operator=led.operator, now=led.now(),
        )
    return _run(led, cmd.number, REVIEWERS, "contract review", decide)


# -- assets and resources --------------------------------------------------------
class AddAsset(Command):
    number: str
    name: str
    category: str
    value_fen: int
    acquired: date | None = None  # default: today
    location: str = ""
    via: str | None = "bank"  # None: already in the books


class DisposeAsset(Command):
    number: str
    day: date
    amount_fen: int
    reason: str
    resolution: str
    via: str = "bank"


class AddResource(Command):
    number: str
    name: str
    type: str
    area_cmu: int
    location: str = ""


def add_asset(led: Ledger, cmd: AddAsset) -> Outcome:
    day = cmd.acquired or led.today()

    def decide(state, chart):
        return assets.add_asset(
            led.app.load(item_id(state.code, cmd.number.strip()), assets.apply), state, chart,
            led.period(state.code, month_of(day)), number=cmd.number, name=cmd.name, category=cmd.category,
            value_fen=cmd.value_fen, acquired=day, location=cmd.location, via=cmd.via,
            operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "asset add", decide)


def dispose_asset(led: Ledger, cmd: DisposeAsset) -> Outcome:
    def decide(state, chart):
        return assets.dispose_asset(
            led.app.load(item_id(state.code, cmd.number.strip()), assets.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), day=cmd.day,
            amount_fen=cmd.amount_fen, reason=cmd.reason, resolution=cmd.resolution, via=cmd.via,
            operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "asset dispose", decide)


def add_resource(led: Ledger, cmd: AddResource) -> Outcome:
    def decide(state, chart):
        return assets.add_resource(
            led.app.load(item_id(state.code, cmd.number.strip()), assets.apply), state,
            number=cmd.number, name=cmd.name, type=cmd.type, area_cmu=cmd.area_cmu, location=cmd.location,
            operator=led.operator, now=led.now(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "resource add", decide)


# -- leases ----------------------------------------------------------------------
class SignLease(Command):
    number: str
    item: str
    area_cmu: int | None = None
    lessee: str
    lessee_id: str = ""
    rent_fen: int
    per: str
    start: date
    end: date
    schedule: tuple[Instalment, ...] = ()
    method: str = ""
    resolution: str = ""
    signed_on: date | None = None


class CollectRent(Command):
    number: str
    amount_fen: int
    day: date
    via: str = "bank"
    account: str | None = None


class EndLease(Command):
    number: str
    day: date
    reason: str


def _item(led: Ledger, code: str, number: str) -> assets.Item | None:
    """A lease's item: the asset or resource of that number (they share one number space)."""
    return led.app.load(item_id(code, number), assets.apply)


def sign_lease(led: Ledger, cmd: SignLease) -> Outcome:
    def decide(state, chart):
        return leases.sign(
            led.app.load(lease_id(state.code, cmd.number.strip()), leases.apply), _item(led, state.code, cmd.item.strip()),
            state, number=cmd.number, item_number=cmd.item.strip(), area_cmu=cmd.area_cmu, lessee=cmd.lessee,
            lessee_id=cmd.lessee_id, rent_fen=cmd.rent_fen, per=cmd.per, start=cmd.start, end=cmd.end,
            schedule=cmd.schedule, method=cmd.method, resolution=cmd.resolution,
            signed_on=cmd.signed_on or min(cmd.start, led.today()), terms=load_rules().terms,
            operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "lease sign", decide)


def collect_rent(led: Ledger, cmd: CollectRent) -> Outcome:
    def decide(state, chart):
        return leases.collect(
            led.app.load(lease_id(state.code, cmd.number.strip()), leases.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), amount_fen=cmd.amount_fen,
            day=cmd.day, via=cmd.via, account=cmd.account, operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, POSTERS, "lease collect", decide)


def end_lease(led: Ledger, cmd: EndLease) -> Outcome:
    def decide(state, chart):
        lease = led.app.load(lease_id(state.code, cmd.number.strip()), leases.apply)
        item = _item(led, state.code, lease.signed.item) if lease else None
        return leases.end(lease, item, state, number=cmd.number.strip(), day=cmd.day, reason=cmd.reason,
                          operator=led.operator, now=led.now())
    return _run(led, cmd.number, BOOKKEEPERS, "lease end", decide)


# -- debts -----------------------------------------------------------------------
class AddDebt(Command):
    number: str
    direction: str
    party: str
    party_id: str = ""
    amount_fen: int
    day: date
    due: date | None = None
    account: str | None = None
    origin: str = ""
    via: str | None = None  # None: already in the books


class SettleDebt(Command):
    number: str
    amount_fen: int
    day: date
    via: str = "bank"
    resolution: str = ""


class WriteOffDebt(Command):
    number: str
    amount_fen: int
    day: date | None = None
    reason: str
    resolution: str


def add_debt(led: Ledger, cmd: AddDebt) -> Outcome:
    def decide(state, chart):
        return debts.add(
            led.app.load(debt_id(state.code, cmd.number.strip()), debts.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number, direction=cmd.direction,
            party=cmd.party, party_id=cmd.party_id, amount_fen=cmd.amount_fen, day=cmd.day, due=cmd.due,
            account=cmd.account, origin=cmd.origin, via=cmd.via, operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "debt add", decide)


def settle_debt(led: Ledger, cmd: SettleDebt) -> Outcome:
    def decide(state, chart):
        return debts.settle(
            led.app.load(debt_id(state.code, cmd.number.strip()), debts.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), amount_fen=cmd.amount_fen,
            day=cmd.day, via=cmd.via, operator=led.operator, now=led.now(), today=led.today(), resolution=cmd.resolution,
        )
    return _run(led, cmd.number, POSTERS, "debt settle", decide)


def write_off_debt(led: Ledger, cmd: WriteOffDebt) -> Outcome:
    day = cmd.day or led.today()

    def decide(state, chart):
        return debts.write_off(
            led.app.load(debt_id(state.code, cmd.number.strip()), debts.apply), state, chart,
            led.period(state.code, month_of(day)), number=cmd.number.strip(), amount_fen=cmd.amount_fen, day=day,
            reason=cmd.reason, resolution=cmd.resolution, operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "debt write-off", decide)


# -- subsidies -------------------------------------------------------------------
class ReceiveSubsidy(Command):
    number: str
    program: str
    source: str
    amount_fen: int
    day: date
    earmarked: bool = False
    purposes: tuple[str, ...] = ()
    via: str = "bank"


class SpendSubsidy(Command):
    number: str
    amount_fen: int
    day: date
    purpose: str
    payee: str
    via: str = "bank"
    account: str | None = None
    resolution: str = ""


class ReturnSubsidy(Command):
    number: str
    amount_fen: int
    day: date
    via: str = "bank"


def receive_subsidy(led: Ledger, cmd: ReceiveSubsidy) -> Outcome:
    def decide(state, chart):
        return subsidies.receive(
            led.app.load(subsidy_id(state.code, cmd.number.strip()), subsidies.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number, program=cmd.program, source=cmd.source,
            amount_fen=cmd.amount_fen, day=cmd.day, earmarked=cmd.earmarked, purposes=cmd.purposes, via=cmd.via,
            operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, POSTERS, "subsidy receive", decide)


def spend_subsidy(led: Ledger, cmd: SpendSubsidy) -> Outcome:
    def decide(state, chart):
        return subsidies.spend(
            led.app.load(subsidy_id(state.code, cmd.number.strip()), subsidies.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), amount_fen=cmd.amount_fen,
            day=cmd.day, purpose=cmd.purpose, payee=cmd.payee, via=cmd.via, account=cmd.account,
            operator=led.operator, now=led.now(), today=led.today(), resolution=cmd.resolution,
        )
    return _run(led, cmd.number, POSTERS, "subsidy spend", decide)


def return_subsidy(led: Ledger, cmd: ReturnSubsidy) -> Outcome:
    def decide(state, chart):
        return subsidies.give_back(
            led.app.load(subsidy_id(state.code, cmd.number.strip()), subsidies.apply), state, chart,
            led.period(state.code, month_of(cmd.day)), number=cmd.number.strip(), amount_fen=cmd.amount_fen,
            day=cmd.day, via=cmd.via, operator=led.operator, now=led.now(), today=led.today(),
        )
    return _run(led, cmd.number, BOOKKEEPERS, "subsidy return", decide)
