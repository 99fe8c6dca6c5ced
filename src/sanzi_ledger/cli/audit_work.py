"""audit open / finding / rectify / close / report: an audit's own record."""

from __future__ import annotations

from sanzi_ledger.cli.audit import audit_app  # noqa: F401 - commands are added to it here
