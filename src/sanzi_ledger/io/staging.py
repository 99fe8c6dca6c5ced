"""A ledger that decides but does not save: the register commands, run row by row,
with every decided event held back and visible to the next row.

Register imports reuse the register commands (`commands/registers.py`)
unchanged, so every rule of `sanzi contract sign` holds for an imported
contract. Each command normally saves its own transaction; here `execute`
keeps the events instead, and loading an aggregate folds the kept events
over the stored ones, so the second lease of a resource sees the first and
a rent voucher numbers after the one before. The import then writes all of
them in its one transaction (io/writer.py), or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from sanzi_ledger.app import Fold, LedgerApplication
from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.domain.events import Event

S = TypeVar("S")
T = TypeVar("T")


class StagingApp:
    """The stored aggregates with the held-back events folded on top; the rest of
    the application passes through."""

    def __init__(self, app: LedgerApplication) -> None:
        self._app = app
        self.held: list[Event] = []
        self._by_id: dict[UUID, list[Event]] = defaultdict(list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    def hold(self, events: list[Event]) -> None:
        for event in events:
            self._by_id[event.originator_id].append(event)
        self.held.extend(events)

    def load(self, aggregate_id: UUID, fold: Fold[S]) -> S | None:
        state = self._app.load(aggregate_id, fold)
        for event in self._by_id.get(aggregate_id, ()):
            state = fold(state, event)  # type: ignore[arg-type]
        return state

    def load_last(self, aggregate_id: UUID, fold: Fold[S]) -> S | None:
        held = self._by_id.get(aggregate_id)
        return fold(None, held[-1]) if held else self._app.load_last(aggregate_id, fold)  # type: ignore[arg-type]


class StagedLedger(Ledger):
    """The same ledger (store, operator, collective, clock), deciding into `app.held`."""

    def __init__(self, led: Ledger) -> None:
        self.__dict__.update(led.__dict__)
        self.app = StagingApp(led.app)  # type: ignore[assignment]

    def execute(self, decide: Callable[[], tuple[list[Event], T]]) -> tuple[int, T]:
        events, result = decide()
        self.app.hold(events)  # type: ignore[attr-defined]
        return 0, result

    def catch_up(self) -> int:
        return 0
