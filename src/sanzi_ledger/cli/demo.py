"""sanzi demo: a demo village in a fresh store (see sanzi_ledger.demo)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("demo", help="在新账套中建一个演示村：记账、结账、出报表")(demo)


def demo(out_dir: Annotated[str | None, typer.Option("--out", help="演示账套所在目录（默认 ./sanzi-demo）")] = None) -> None:
    from sanzi_ledger.cli.main import GLOBALS, OUT
    from sanzi_ledger.demo import run_demo

    run_demo(GLOBALS.db, out_dir, OUT)
