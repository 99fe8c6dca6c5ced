"""The ledger itself: initialised once per store with its chart of accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sanzi_ledger.chart import CHART_IDS
from sanzi_ledger.domain.events import Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import ledger_id


class LedgerInitialised(Event):
    TOPIC = "ledger.Initialised.v1"
    chart: str


@dataclass(frozen=True)
class Ledger:
    version: int
    chart: str


def apply(state: Ledger | None, event: Event) -> Ledger | None:
    if isinstance(event, LedgerInitialised):
        return Ledger(version=event.originator_version, chart=event.chart)
    raise AssertionError(event)


def initialise(state: Ledger | None, *, chart: str, operator: str, now: datetime) -> list[Event]:
    if state is not None:
        if state.chart != chart:
            raise Refusal("ledger.chart_mismatch", field="chart", value=chart, existing=state.chart)
        return []  # init is idempotent: running it twice changes nothing
    if chart not in CHART_IDS or chart != "2024":
        # The 2004 chart is kept only to migrate old books into 2024 (issue: import).
        raise Refusal("ledger.chart_unknown", field="chart", value=chart)
    return [
        LedgerInitialised(
            originator_id=ledger_id(), originator_version=1, timestamp=now,
            operator=operator, chart=chart,
        )
    ]
