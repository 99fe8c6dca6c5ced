"""audit replay / history: the log replayed, and one record's whole story."""

from __future__ import annotations

from sanzi_ledger.cli.audit import audit_app  # noqa: F401 - commands are added to it here
