"""Which module holds each event family, by the first word of its topic.

A command imports only the families it touches; reading a log imports a
family the first time one of its topics appears (see `events.event_class`).
"""

from __future__ import annotations

import importlib

FAMILY_MODULES = {
    "ledger": "ledger", "collective": "collectives", "period": "periods", "voucher": "vouchers",
    "contract": "contracts", "asset": "assets", "resource": "assets", "item": "assets",
    "lease": "leases", "debt": "debts", "subsidy": "subsidies", "board": "disclosures",
    "disclosure": "disclosures", "seal": "seals", "audit": "audits", "import": "imports",
}


def load_family(topic: str) -> None:
    module = FAMILY_MODULES.get(topic.split(".", 1)[0])
    assert module is not None, f"no event family for topic {topic!r}"
    importlib.import_module(f"sanzi_ledger.domain.{module}")


def load_all() -> None:
    for module in sorted(set(FAMILY_MODULES.values())):
        importlib.import_module(f"sanzi_ledger.domain.{module}")
