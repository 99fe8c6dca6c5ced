"""Setting up a ledger: the store, collectives, their members and sub-accounts."""

from __future__ import annotations

from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.domain import collectives, ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import collective_id, ledger_id
from sanzi_ledger.periods import parse_month


class Initialise(Command):
    chart: str = "2024"


class RegisterCollective(Command):
    code: str
    name: str
    township: str
    county: str
    level: str = "village"
    start_period: str | None = None  # default: January of the current year (年初建账)


class AddMember(Command):
    name: str
    role: str


class OpenAccount(Command):
    code: str
    name: str


def initialise(led: Ledger, cmd: Initialise) -> Outcome:
    def decide():
        state = led.app.load(ledger_id(), ledger.apply)
        return ledger.initialise(state, chart=cmd.chart, operator=led.operator or "system", now=led.now()), None

    position, _ = led.execute(decide)
    return Outcome(id=str(ledger_id()), position=position)


def register_collective(led: Ledger, cmd: RegisterCollective) -> Outcome:
    operator = led.require_operator()
    chart = led.ledger_state().chart
    start = parse_month(cmd.start_period, field="start_period") if cmd.start_period else f"{led.today().year:04d}-01"

    def decide():
        # A new collective has no roster to check a role against; those who only review or audit
        # (supervisors, auditors) are known by any collective's roster, and record nothing.
        reviewer = led.views.query("SELECT role FROM v_members WHERE name = ? AND role IN ('auditor', 'supervisor')"
                                   " ORDER BY role", (operator,))
        if reviewer:
            raise Refusal("duties.reviewer_only", field="operator", value=operator, role=reviewer[0][0],
                          action="collective add")
        code = cmd.code.strip()
        state = led.app.load(collective_id(code), collectives.apply) if code else None
        return collectives.register(
            state, code=code, name=cmd.name, township=cmd.township, county=cmd.county,
            level=cmd.level, chart=chart, start_period=start, operator=operator, now=led.now(),
        ), code

    position, code = led.execute(decide)
    return Outcome(id=code, position=position)


def add_member(led: Ledger, cmd: AddMember) -> Outcome:
    operator = led.require_operator()
    led.ledger_state()

    def decide():
        state = led.collective()
        return collectives.add_member(state, name=cmd.name, role=cmd.role, operator=operator, now=led.now()), state.code

    position, code = led.execute(decide)
    return Outcome(id=f"{code}/{cmd.name.strip()}", position=position)


def open_account(led: Ledger, cmd: OpenAccount) -> Outcome:
    operator = led.require_operator()
    led.ledger_state()

    def decide():
        state = led.collective()
        chart = led.chart(state.chart)
        return collectives.open_account(state, chart, code=cmd.code, name=cmd.name, operator=operator, now=led.now()), None

    position, _ = led.execute(decide)
    return Outcome(id=cmd.code.strip(), position=position)
