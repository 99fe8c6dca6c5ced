"""export: the books and the log in open formats (beancount, hledger journal, JSON Lines)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.cli.files import text_file

export_app = typer.Typer(help="导出：beancount / hledger 账本、JSON Lines 事件日志（开放格式，脱离本程序可读）", no_args_is_help=True)
OutFile = Annotated[Path, typer.Option("--out", help="输出文件")]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")



def _books(dialect: str, out_path: Path) -> None:
    from sanzi_ledger.cli.main import GLOBALS
    from sanzi_ledger.io.beancount import write_ledger

    out = output()
    with ledger() as led:
        led.catch_up()
        only = led.resolve_collective() if GLOBALS.collective else None
        with text_file(out_path) as fp:
            summary = write_ledger(led, fp, collective=only, dialect=dialect)
    if out.json:
        out.emit_json({"ok": True, "file": str(out_path), "format": dialect, "collectives": summary.collectives,
                       "vouchers": summary.vouchers, "position": summary.position})
        return
    out.say(f"已导出 {summary.collectives} 个集体经济组织的 {summary.vouchers} 张凭证（日志位置 {summary.position}）：{out_path}"
            if out.lang == "zh" else
            f"exported {summary.vouchers} vouchers of {summary.collectives} collective(s) (log position {summary.position}): {out_path}")


def _command(dialect: str) -> Callable[[Path], None]:
    def export_books(out_path: OutFile) -> None:
        _books(dialect, out_path)

    return export_books


export_app.command("beancount", help="账簿导出为 beancount 账本（bean-check 可校验）；-c 只导出一个集体")(_command("beancount"))
export_app.command("hledger", help="账簿导出为 hledger 日记账（hledger check / bal 可读）；-c 只导出一个集体")(_command("hledger"))


@export_app.command("jsonl", help="全部事件导出为 JSON Lines（含链位置、记录时间、原始字节与链哈希）")
def export_jsonl(out_path: OutFile) -> None:
    from sanzi_ledger.io.jsonl import write_events

    out = output()
    with ledger() as led, text_file(out_path) as fp:
        written = write_events(led.app, led.views, fp)
    if out.json:
        out.emit_json({"ok": True, "file": str(out_path), "format": "jsonl", "events": written.events, "head": written.head})
        return
    out.say(f"已导出 {written.events} 个事件，链头 {written.head[:16]}：{out_path}" if out.lang == "zh"
            else f"exported {written.events} events, chain head {written.head[:16]}: {out_path}")
