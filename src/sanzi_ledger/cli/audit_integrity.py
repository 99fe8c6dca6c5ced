"""audit seal / keygen / verify: the hash chain, seals and their signatures."""

from __future__ import annotations

from sanzi_ledger.cli.audit import audit_app  # noqa: F401 - commands are added to it here
