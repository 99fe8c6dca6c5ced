"""What every command group shares: opening the ledger with the global options, and the output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sanzi_ledger.commands.ledger import Ledger, open_ledger

if TYPE_CHECKING:
    from sanzi_ledger.cli.render import Output


def output() -> Output:
    """Where every command writes (set up by the global options in cli/main.py)."""
    from sanzi_ledger.cli.main import OUT

    return OUT


def in_lang(zh: str, en: str) -> str:
    """The Chinese text, or the English one under --lang en."""
    return en if output().lang == "en" else zh


@contextmanager
def ledger(*, create: bool = False) -> Iterator[Ledger]:
    from sanzi_ledger.cli.main import GLOBALS

    led = open_ledger(GLOBALS.db, operator=GLOBALS.operator, collective=GLOBALS.collective, create=create)
    try:
        yield led
    finally:
        led.close()
