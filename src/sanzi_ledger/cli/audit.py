"""audit: the command group; its commands live in cli/audit_*.py (integrity, time, flags, work)."""

from __future__ import annotations

import typer

audit_app = typer.Typer(help="审计：核验账本历史", no_args_is_help=True)


# Each part of `audit` lives in its own module and adds its commands to audit_app.
PARTS = ("audit_integrity", "audit_time", "audit_flags", "audit_work", "audit_export")


def register(app: typer.Typer) -> None:
    import importlib

    for part in PARTS:
        importlib.import_module(f"sanzi_ledger.cli.{part}")
    app.add_typer(audit_app, name="audit")
