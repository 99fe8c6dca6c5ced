"""Helpers shared by the integration and end-to-end tests."""

from __future__ import annotations

from datetime import date

from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands.ledger import Ledger, open_ledger
from sanzi_ledger.domain.vouchers import Line

CODE = "330100001"
ACCOUNTANT, CASHIER, SUPERVISOR = "李会计", "王出纳", "赵监委"


def new_ledger(url: str, *, start: str = "2025-01") -> Ledger:
    """An initialised store with one village and its accountant, cashier and supervisor."""
    led = open_ledger(url, operator=ACCOUNTANT, create=True)
    setup.initialise(led, setup.Initialise())
    setup.register_collective(led, setup.RegisterCollective(
        code=CODE, name="东山村股份经济合作社", township="东山镇", county="临安区", start_period=start))
    led.collective_code = CODE
    for name, role in ((ACCOUNTANT, "accountant"), (CASHIER, "cashier"), (SUPERVISOR, "supervisor")):
        setup.add_member(led, setup.AddMember(name=name, role=role))
    return led


def lines(debits: dict[str, int], credits: dict[str, int]) -> list[Line]:
    """Voucher lines from {account: fen}."""
    return [Line(account=a, side="debit", amount_fen=f) for a, f in debits.items()] + [
        Line(account=a, side="credit", amount_fen=f) for a, f in credits.items()
    ]


def post(led: Ledger, day: str, debits: dict[str, int], credits: dict[str, int], summary: str = "测试凭证") -> str:
    outcome = books.post_voucher(led, books.PostVoucher(day=date.fromisoformat(day), summary=summary, lines=lines(debits, credits)))
    assert outcome.voucher
    return outcome.voucher


def snapshot(led: Ledger) -> tuple:
    """Everything a refusal must leave as it was: every stored event and every view row."""
    notifications = led.app.recorder.select_notifications(start=1, limit=10**9)
    events = [(n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state)) for n in notifications]
    return events, led.projector.dump()
