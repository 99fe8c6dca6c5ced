"""The base of the property-based state machines: a fresh real store per example.

At the end of every example a rebuild from position 0 must give the same
views and the hash chain must verify; every refusal must leave the store
exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
import uuid

import pytest
from hypothesis.stateful import RuleBasedStateMachine

from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity.verify import verify_chain
from tests.conftest import PG_DSN, _drop_schema, _postgres_available
from tests.support import new_ledger, snapshot

# The PostgreSQL variants run unless the server is missing (and CI requires it).
postgres_or_skip = pytest.mark.skipif(
    bool(_postgres_available()) and os.environ.get("SANZI_REQUIRE_POSTGRES") != "1",
    reason=f"PostgreSQL NOT TESTED — server unavailable at {PG_DSN}",
)


class StoreMachine(RuleBasedStateMachine):
    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        if self.backend == "sqlite":
            self.folder = tempfile.TemporaryDirectory()
            self.url, self.schema = os.path.join(self.folder.name, "machine.db"), None
        else:
            self.schema = f"m_{uuid.uuid4().hex[:12]}"
            self.url = f"{PG_DSN}?schema={self.schema}"
        self.led = new_ledger(self.url)

    def teardown(self) -> None:
        try:
            views = self.led.projector.dump()
            self.led.projector.rebuild(batch_events=7)
            assert self.led.projector.dump() == views
            assert verify_chain(self.led.app, self.led.views).ok
        finally:
            self.led.close()
            if self.schema:
                _drop_schema(self.schema)
            else:
                self.folder.cleanup()

    def refused(self, act, code: str | None = None) -> None:
        before = snapshot(self.led)
        with pytest.raises(Refusal) as refusal:
            act()
        if code:
            assert refusal.value.code == code
        assert snapshot(self.led) == before
