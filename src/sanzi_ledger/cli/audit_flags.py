"""audit flags: the warning rules over the books and registers."""

from __future__ import annotations

from sanzi_ledger.cli.audit import audit_app  # noqa: F401 - commands are added to it here
