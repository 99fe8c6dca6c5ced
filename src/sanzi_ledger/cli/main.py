"""`sanzi`: global options, sub-command groups, and the mapping of failures to exit codes.

Exit codes (cli.md): 0 done; 1 refused, nothing written; 2 usage; 3 integrity
failure; 4 store unavailable or locked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated

import typer

from sanzi_ledger.cli.render import Output
from sanzi_ledger.errors import IntegrityFailure, Refusal, StoreUnavailable

EXIT_REFUSED, EXIT_INTEGRITY, EXIT_STORE = 1, 3, 4


@dataclass
class Globals:
    db: str | None = None
    operator: str = ""
    collective: str = ""
    debug: bool = False


GLOBALS = Globals()
OUT = Output()

app = typer.Typer(
    help="三资台账：记账、结账、公开、审计。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def main(
    db: Annotated[str | None, typer.Option("--db", envvar="SANZI_DB", help="SQLite 文件路径或 postgresql:// 地址（默认 ./sanzi.db）")] = None,
    operator: Annotated[str, typer.Option("--operator", envvar="SANZI_OPERATOR", help="操作员（须为已登记成员）")] = "",
    collective: Annotated[str, typer.Option("-c", "--collective", envvar="SANZI_COLLECTIVE", help="集体经济组织代码")] = "",
    json_output: Annotated[bool, typer.Option("--json", help="输出一个 JSON 文档")] = False,
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en")] = "zh",
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示调用栈")] = False,
) -> None:
    """三资台账：记账、结账、公开、审计。"""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang zh|en")
    GLOBALS.db, GLOBALS.operator, GLOBALS.collective, GLOBALS.debug = db, operator, collective, debug
    OUT.lang, OUT.json = lang, json_output


# Which module holds each command group. Only the group being run is imported
# and built: a command must start in well under 250 ms.
GROUP_MODULES = {
    "init": "setup", "collective": "setup", "member": "setup", "account": "setup",
    "period": "books", "voucher": "books", "report": "reports", "demo": "demo",
    "contract": "registers", "asset": "registers", "resource": "registers", "lease": "registers",
    "debt": "registers", "subsidy": "registers", "board": "disclose", "disclose": "disclose",
    "audit": "audit", "export": "export_cli",
    "import": "io_cli",
}
_OPTIONS_WITH_VALUE = {"--db", "--operator", "-c", "--collective", "--lang"}


def _command_name(argv: list[str]) -> str | None:
    """The first positional word after the global options, if any."""
    args = iter(argv)
    for arg in args:
        if arg in _OPTIONS_WITH_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def _register(argv: list[str] | None = None) -> None:
    import importlib

    name = _command_name(sys.argv[1:] if argv is None else argv)
    wanted = {GROUP_MODULES[name]} if name in GROUP_MODULES else set(GROUP_MODULES.values())
    for module in sorted(wanted):
        importlib.import_module(f"sanzi_ledger.cli.{module}").register(app)


def _fail(code: int, error_code: str, field: str | None, message: str) -> None:
    if OUT.json:
        OUT.emit_json({"ok": False, "error": {"code": error_code, "field": field, "message": message}})
    else:
        prefix = "拒绝" if OUT.lang == "zh" else "refused"
        if code == EXIT_STORE:
            prefix = "数据库不可用" if OUT.lang == "zh" else "store unavailable"
        if code == EXIT_INTEGRITY:
            prefix = "完整性校验失败" if OUT.lang == "zh" else "integrity failure"
        OUT.warn(f"{prefix}：{message}" if OUT.lang == "zh" else f"{prefix}: {message}")
    if GLOBALS.debug:
        import traceback

        traceback.print_exc()
    sys.exit(code)


def run() -> None:
    _register()
    try:
        app()
    except Refusal as refusal:
        _fail(EXIT_REFUSED, refusal.code, refusal.field, refusal.render(OUT.lang))
    except StoreUnavailable as error:
        _fail(EXIT_STORE, "store.unavailable", "db", str(error))
    except IntegrityFailure as error:
        _fail(EXIT_INTEGRITY, "integrity.failure", None, str(error))
