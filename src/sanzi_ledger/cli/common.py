"""What every command group shares: opening the ledger with the global options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sanzi_ledger.commands.ledger import Ledger, open_ledger


@contextmanager
def ledger(*, create: bool = False) -> Iterator[Ledger]:
    from sanzi_ledger.cli.main import GLOBALS

    led = open_ledger(GLOBALS.db, operator=GLOBALS.operator, collective=GLOBALS.collective, create=create)
    try:
        yield led
    finally:
        led.close()
