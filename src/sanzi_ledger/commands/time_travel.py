"""--as-of: the ledger as it was RECORDED at a moment, so an auditor sees what the accountant saw then.

Recorded time, not business date: a voucher back-dated into January but typed
in March is absent from an `--as-of` in February. The views come from a
scratch store advanced to the last event recorded at or before the moment
(`projections.scratch.position_at`); the clock reads the moment, so "today"
in a register (days overdue, next due) is that day too.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sanzi_ledger.commands.ledger import CHINA, Ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.projections.scratch import ScratchViews, position_at

FIELD = "--as-of"
_MOMENT = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?P<zone>Z|[+-]\d{2}:\d{2})?)?$")


def parse_moment(text: str, *, now: datetime) -> datetime:
    """`YYYY-MM-DD` is the end of that Beijing day; `YYYY-MM-DDTHH:MM[:SS]` is Beijing time
    unless an offset (`+08:00`, `Z`) is given. A moment includes the whole of its last unit
    (day, minute or second), as a clock showing it would. Refuses a moment in the future."""
    value = text.strip()
    match = _MOMENT.match(value)
    if not match:
        raise Refusal("as_of.format", field=FIELD, value=text)
    try:
        day = date.fromisoformat(match["day"])
        if match["hour"] is None:
            first, unit = datetime(day.year, day.month, day.day, tzinfo=CHINA), timedelta(days=1)
        else:
            zone = CHINA if match["zone"] is None else datetime.fromisoformat(f"2000-01-01T00:00{match['zone']}").tzinfo
            first = datetime(day.year, day.month, day.day, int(match["hour"]), int(match["minute"]),
                             int(match["second"] or 0), tzinfo=zone)
            unit = timedelta(seconds=1) if match["second"] else timedelta(minutes=1)
    except ValueError as error:
        raise Refusal("as_of.nonexistent", field=FIELD, value=text) from error
    if first > now:
        raise Refusal("as_of.future", field=FIELD, value=text, now=now.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"))
    # The last instant of the unit (recorded times are to the microsecond); today is up to now.
    return min(first + unit - timedelta(microseconds=1), now)


@dataclass(frozen=True)
class Past:
    ledger: Ledger  # read-only: its views and clock are those of `moment`
    moment: datetime
    position: int  # the log positions that had been recorded by then


@contextmanager
def as_of(led: Ledger, moment: datetime, *, collective: str | None = None) -> Iterator[Past]:
    """`led` as it was at `moment`: its views rebuilt from the log as recorded then, its
    clock stopped there. Only for reading: nothing may be written through it.
    With `collective`, only that collective's views are rebuilt (what its reports read)."""
    with ScratchViews(led.app, collective=collective) as scratch:
        position = scratch.advance(position_at(led.app, moment))
        past = copy.copy(led)  # shares the store; the live views and their projector stay as they were
        past.views = scratch.views  # type: ignore[assignment]
        past.clock = lambda: moment
        past.catch_up = lambda: 0  # type: ignore[method-assign]  # the past does not move
        yield Past(past, moment, position)
