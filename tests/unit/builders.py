"""Domain states for the unit tests, built by folding the domain's own events.

No store, no database: each aggregate's `apply` folds the events its decide
functions return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import collectives
from sanzi_ledger.domain.collectives import Collective

CODE = "330100001"
START = "2025-01"
ACCOUNTANT, CASHIER, HEAD, SUPERVISOR = "李会计", "王出纳", "张主任", "赵监委"
NOW = datetime(2025, 3, 20, 9, 30, tzinfo=UTC)
TODAY = date(2025, 3, 20)


def fold(apply: Callable, events: Iterable, state=None):
    for event in events:
        state = apply(state, event)
    return state


def registered(code: str = CODE, *, start: str = START) -> Collective:
    events = collectives.register(
        None, code=code, name="东山村股份经济合作社", township="东山镇", county="临安区",
        level="village", chart="2024", start_period=start, operator=ACCOUNTANT, now=NOW,
    )
    return fold(collectives.apply, events)


def with_members(state: Collective, *members: tuple[str, str]) -> Collective:
    for name, role in members:
        operator = ACCOUNTANT if state.members else name
        state = fold(collectives.apply, collectives.add_member(state, name=name, role=role, operator=operator, now=NOW), state)
    return state


def with_accounts(state: Collective, chart: Chart, *accounts: tuple[str, str]) -> Collective:
    for code, name in accounts:
        events = collectives.open_account(state, chart, code=code, name=name, operator=ACCOUNTANT, now=NOW)
        state = fold(collectives.apply, events, state)
    return state
