"""Session-scoped domain values: they are frozen, and hypothesis refuses
function-scoped fixtures inside @given tests."""

from __future__ import annotations

import pytest

from sanzi_ledger.chart import Chart, load_chart
from sanzi_ledger.domain.collectives import Collective
from tests.unit.builders import (
    ACCOUNTANT,
    CASHIER,
    HEAD,
    SUPERVISOR,
    registered,
    with_accounts,
    with_members,
)


@pytest.fixture(scope="session")
def chart() -> Chart:
    return load_chart("2024")


@pytest.fixture(scope="session")
def village(chart: Chart) -> Collective:
    """A village with its four people and two bank sub-accounts (so 102 is not a leaf)."""
    state = with_members(
        registered(), (ACCOUNTANT, "accountant"), (CASHIER, "cashier"), (HEAD, "head"), (SUPERVISOR, "supervisor"),
    )
    return with_accounts(state, chart, ("102001", "农行基本户"), ("102002", "信用社专户"))
