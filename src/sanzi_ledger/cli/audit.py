"""audit: verification of the stored history; the other audit commands live in cli/audit_*.py."""

from __future__ import annotations

import typer

from sanzi_ledger.cli.common import ledger

audit_app = typer.Typer(help="审计：核验账本历史", no_args_is_help=True)


# Each part of `audit` lives in its own module and adds its commands to audit_app.
PARTS = ("audit_integrity", "audit_time", "audit_flags", "audit_work")


def register(app: typer.Typer) -> None:
    import importlib

    for part in PARTS:
        importlib.import_module(f"sanzi_ledger.cli.{part}")
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify", help="从头重算哈希链，核验每一个事件；发现问题时指出第一个出错的位置（退出码 3）")
def audit_verify() -> None:
    from sanzi_ledger.cli.main import OUT
    from sanzi_ledger.integrity.verify import verify_chain

    with ledger() as led:
        result = verify_chain(led.app, led.views)
    if OUT.json:
        OUT.emit_json({"ok": result.ok, "events": result.events, "head": result.head,
                       "first_bad_position": result.first_bad_position})
    elif result.ok:
        OUT.say(f"完整：{result.events} 个事件，哈希链头 {result.head}" if OUT.lang == "zh"
                else f"intact: {result.events} events, chain head {result.head}")
    else:
        OUT.warn(f"完整性校验失败：第 {result.first_bad_position} 个位置：{result.problem}（此前 {result.events} 个事件完好）"
                 if OUT.lang == "zh" else
                 f"integrity failure at position {result.first_bad_position} ({result.events} events before it are intact)")
    if not result.ok:
        raise typer.Exit(3)
