"""Audit and warning rules (预警规则) over the views, thresholds from `rules.toml` `[flags]`.

    from sanzi_ledger.rules import evaluate, Flag, CATALOGUE

Each family of rules lives in its own module; importing this package
registers them all in `CATALOGUE`, in id order.
"""

from __future__ import annotations

from sanzi_ledger.rules import (  # noqa: F401 - registers
    books,
    contracts,
    debts,
    disclosure,
    duties,
    money,
    subsidies,
)
from sanzi_ledger.rules.engine import CATALOGUE, Flag, Rule, evaluate

_ordered = dict(sorted(CATALOGUE.items()))  # id order, whatever the import order
CATALOGUE.clear()
CATALOGUE.update(_ordered)

__all__ = ["CATALOGUE", "Flag", "Rule", "evaluate"]
