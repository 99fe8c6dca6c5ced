"""--as-of on reports and registers: read the views as they were recorded at a moment.

One place for every reading command: `reading(recorded)` yields the live ledger
caught up, or the ledger as it was at the moment (commands/time_travel.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from sanzi_ledger.cli.common import ledger
from sanzi_ledger.commands.ledger import CHINA, Ledger

RecordedAsOf = Annotated[str | None, typer.Option(
    "--as-of", help="按当时记录的状态查看（记录时间，不是业务日期）：YYYY-MM-DD（北京时间当天结束时）或 YYYY-MM-DDTHH:MM[:SS]")]


@contextmanager
def reading(recorded: str | None) -> Iterator[Ledger]:
    with ledger() as led:
        if recorded is None:
            led.catch_up()
            yield led
            return
        from sanzi_ledger.cli.main import OUT
        from sanzi_ledger.commands.time_travel import as_of, parse_moment

        moment = parse_moment(recorded, now=led.now())
        # Only the collective's own events are replayed: a county's log, one village's report.
        with as_of(led, moment, collective=led.resolve_collective()) as past:
            if not OUT.json:
                shown = moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
                OUT.say(f"以下是北京时间 {shown} 时已经记录的内容（日志前 {past.position} 个位置）" if OUT.lang == "zh"
                        else f"as recorded at {shown} Beijing time (log positions up to {past.position})")
            yield past.ledger
