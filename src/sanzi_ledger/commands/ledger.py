"""An opened ledger: the application, its views, who is acting, and the clock.

Every write goes through `Ledger.execute`: the handler loads what it needs,
asks the domain to decide, and saves every event in ONE `app.save`. If another
process wrote the same aggregate first, the store refuses the stale version
and the handler runs again on fresh state. Afterwards the views catch up.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    PersistenceError,
    RecordConflictError,
)
from pydantic import BaseModel, ConfigDict

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.chart import Chart, load_chart
from sanzi_ledger.domain import collectives, ledger, periods
from sanzi_ledger.domain.events import Event
from sanzi_ledger.errors import Refusal, StoreUnavailable
from sanzi_ledger.ids import collective_id, ledger_id, period_id
from sanzi_ledger.periods import CHINA
from sanzi_ledger.projections.runner import Projector
from sanzi_ledger.projections.views import Views
from sanzi_ledger.store import StoreConfig, ensure_schema, parse_store, store_exists

# Two clerks posting into the same month race for the period's next number.
# The loser reloads and tries again; a short random pause keeps the same
# process from losing the race over and over under load.
CONFLICT_RETRIES = 30
T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Command(BaseModel):
    """A command as typed, validated: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


@dataclass(frozen=True)
class Outcome:
    """What a write command reports: cli.md's `{"ok", "id", "voucher", "position"}`."""

    id: str
    position: int
    voucher: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Ledger:
    def __init__(self, config: StoreConfig, *, operator: str = "", collective: str = "", create: bool = False) -> None:
        self.config = config
        self.operator = operator.strip()
        self.collective_code = collective.strip()
        # The recorded time's source. A seam for tests that need to control it (time travel
        # tests record, then record later); `--as-of` reads set it to the moment travelled to.
        self.clock: Callable[[], datetime] = _utc_now
        try:
            if create:
                ensure_schema(config)
            self.app = LedgerApplication(config, create=create)
            self.views = Views(self.app)
            self.projector = Projector(self.app, self.views)
        # Locked, unreachable, or not a database at all (the library lets sqlite3's
        # own error through when the file is not a database).
        except (PersistenceError, sqlite3.DatabaseError) as error:
            raise StoreUnavailable(f"{config.label}: {error}") from error

    # -- clock -----------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.now().astimezone(CHINA).date()

    # -- state -----------------------------------------------------------------
    def ledger_state(self) -> ledger.Ledger:
        state = self.app.load(ledger_id(), ledger.apply)
        if state is None:
            raise Refusal("ledger.not_initialised", field="db", value=self.config.label)
        return state

    def chart(self, chart_id: str) -> Chart:
        return load_chart(chart_id)

    def collective(self, code: str | None = None) -> collectives.Collective:
        code = code or self.resolve_collective()
        state = self.app.load(collective_id(code), collectives.apply)
        if state is None:
            raise Refusal("collective.unknown", field="collective", value=code)
        return state

    def period(self, code: str, month: str) -> periods.PeriodState | None:
        return self.app.load_last(period_id(code, month), periods.apply)

    def acting(self, roles: frozenset[str], action: str) -> tuple[collectives.Collective, Chart]:
        """The current collective and its chart, once the operator's role is checked."""
        state = self.collective()
        collectives.require_role(state, self.require_operator(), roles, action=action)
        return state, self.chart(state.chart)

    def resolve_collective(self) -> str:
        """`-c` if given (and registered); otherwise the store's only collective."""
        if self.collective_code:
            if not self.views.query("SELECT 1 FROM v_collectives WHERE code = ?", (self.collective_code,)):
                raise Refusal("collective.unknown", field="collective", value=self.collective_code)
            return self.collective_code
        codes = [row[0] for row in self.views.query("SELECT code FROM v_collectives ORDER BY code")]
        if not codes:
            raise Refusal("collective.none", field="collective", value=None)
        if len(codes) > 1:
            raise Refusal("collective.ambiguous", field="collective", value=None, known=", ".join(codes[:10]))
        return codes[0]

    def require_operator(self) -> str:
        if not self.operator:
            raise Refusal("operator.missing", field="operator", value="")
        return self.operator

    # -- writing ---------------------------------------------------------------
    def execute(self, decide: Callable[[], tuple[list[Event], T]]) -> tuple[int, T]:
        """Run `decide` and save its events in one transaction; retry on a
        version conflict; then catch the views up. Returns (position, result)."""
        for attempt in range(CONFLICT_RETRIES):
            self.catch_up()
            events, result = decide()
            if not events:
                return self.app.head(), result
            try:
                position = self.app.record(events)
            except RecordConflictError:
                if attempt == CONFLICT_RETRIES - 1:
                    raise
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
                continue
            except (OperationalError, InterfaceError) as error:
                raise StoreUnavailable(f"{self.config.label}: {error}") from error
            self.catch_up()
            return position, result
        raise AssertionError("unreachable")

    def catch_up(self) -> int:
        try:
            return self.projector.catch_up()
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"{self.config.label}: {error}") from error

    def close(self) -> None:
        self.app.close()


def open_ledger(db: str | None, *, operator: str = "", collective: str = "", create: bool = False) -> Ledger:
    """Open the store named by `db`; refuse (and create nothing) when it does not exist
    unless `create` (only `sanzi init` creates a store)."""
    config = parse_store(db)
    if not create and not store_exists(config):
        raise Refusal("ledger.not_initialised", field="db", value=config.label)
    if config.kind == "sqlite" and create:
        parent = os.path.dirname(os.path.abspath(config.path))
        if not os.path.isdir(parent):
            raise Refusal("store.folder_missing", field="db", value=config.path, folder=parent)
    return Ledger(config, operator=operator or os.environ.get("SANZI_OPERATOR", ""), collective=collective, create=create)
