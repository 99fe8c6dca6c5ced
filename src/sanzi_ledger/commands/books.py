"""Keeping the books: posting and reversing vouchers, closing months."""

from __future__ import annotations

from datetime import date

from sanzi_ledger.commands import seals as seal_commands
from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.domain import closing, collectives, periods, vouchers
from sanzi_ledger.domain.events import Event
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.ids import voucher_id
from sanzi_ledger.integrity import seals
from sanzi_ledger.periods import month_of, previous_month
from sanzi_ledger.projections import trial_balance


class PostVoucher(Command):
    day: date
    summary: str
    lines: list[Line]
    attachments: int = 0
    resolution: str = ""


class ReverseVoucher(Command):
    number: str
    reason: str
    day: date | None = None  # default: today


class ClosePeriod(Command):
    month: str
    key: str = ""  # a private key file: sign the close's seal (see commands/seals.py)


def post_voucher(led: Ledger, cmd: PostVoucher) -> Outcome:
    operator = led.require_operator()
    led.ledger_state()

    def decide():
        state = led.collective()
        collectives.require_role(state, operator, collectives.POSTERS, action="voucher post")
        events = vouchers.post(
            state, led.chart(state.chart), led.period(state.code, month_of(cmd.day)),
            day=cmd.day, summary=cmd.summary, lines=cmd.lines, attachments=cmd.attachments,
            resolution=cmd.resolution, operator=operator, now=led.now(), today=led.today(),
        )
        return events, events[1]

    position, posted = led.execute(decide)
    return Outcome(id=str(posted.originator_id), position=position, voucher=posted.number)


def reverse_voucher(led: Ledger, cmd: ReverseVoucher) -> Outcome:
    operator = led.require_operator()
    led.ledger_state()
    day = cmd.day or led.today()

    def decide():
        state = led.collective()
        collectives.require_role(state, operator, collectives.BOOKKEEPERS, action="voucher reverse")
        number = cmd.number.strip()
        original = led.app.load(voucher_id(state.code, number), vouchers.apply)
        events = vouchers.reverse(
            state, led.chart(state.chart), original, led.period(state.code, month_of(day)),
            number=number, day=day, reason=cmd.reason, operator=operator, now=led.now(), today=led.today(),
        )
        return events, events[1]

    position, posted = led.execute(decide)
    return Outcome(id=str(posted.originator_id), position=position, voucher=posted.number, extra={"reverses": cmd.number.strip()})


def close_period(led: Ledger, cmd: ClosePeriod) -> Outcome:
    """Close a month; closing December first posts the year-end closing vouchers."""
    operator = led.require_operator()
    led.ledger_state()
    signer = seal_commands.load_signer(cmd.key)

    def decide():
        state = led.collective()
        collectives.require_role(state, operator, collectives.BOOKKEEPERS, action="period close")
        chart = led.chart(state.chart)
        now, month = led.now(), cmd.month
        period = led.period(state.code, month)
        previous = led.period(state.code, previous_month(month))
        # Check the close is allowed before composing closing vouchers.
        periods.close(period, previous, collective=state.code, month=month, start_period=state.start_period,
                      log_position=0, operator=operator, now=now)
        events: list[Event] = []
        closing_numbers: list[str] = []
        if month.endswith("-12"):
            # The period was loaded before this catch-up, so every voucher it
            # numbered is in the balances read here; a later one conflicts on save.
            led.catch_up()
            balances = trial_balance.year_net_debit(led.views, state.code, int(month[:4]))
            pl = {code: net for code, net in balances.items()
                  if (acct := state.account(chart, code)) and acct.account_class == "profit_loss"}
            income_code = chart.current_year_income_account or ""
            income_net = sum(net for code, net in balances.items() if code.startswith(income_code))
            day = date(int(month[:4]), 12, 31)
            for lines, summary in zip(
                closing.year_end_lines(state, chart, profit_loss_net_debit=pl, income_net_debit=income_net),
                (closing.CLOSE_INCOME_SUMMARY, closing.CLOSE_DISTRIBUTION_SUMMARY), strict=False,
            ):
                numbered, posted = vouchers.post(
                    state, chart, period, day=day, summary=summary, lines=lines, kind="closing",
                    operator=operator, now=now, today=max(day, led.today()),
                )
                period = periods.apply(period, numbered)
                events += [numbered, posted]
                closing_numbers.append(posted.number)
        chain_position, chain_head = seals.current(led.views)
        signed = seal_commands.sign(led, state.code, signer, seals.seal_message(
            chain_position, chain_head, seals.close_subject(state.code, month)))
        closed = periods.close(
            period, previous, collective=state.code, month=month, start_period=state.start_period,
            log_position=led.app.head(), operator=operator, now=now, chain_position=chain_position, chain_head=chain_head,
            key_id=signed.key_id, signature=signed.signature,
        )
        return [*events, closed], (closing_numbers, closed)

    position, (numbers, closed) = led.execute(decide)
    return Outcome(id=cmd.month, position=position, extra={
        "closing_vouchers": numbers, "seal": seals.short_form(closed.chain_position, closed.chain_head),
        "key_id": closed.key_id or None})
