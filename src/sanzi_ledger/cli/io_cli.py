"""`sanzi import`: bulk import of vouchers and registers, its templates, and its log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.errors import Refusal

KINDS_HELP = "vouchers|contracts|assets|resources|leases|debts|subsidies|opening-2004"
ERRORS_SHOWN_MAX = 200  # on screen; --json lists every kept error


def register(app: typer.Typer) -> None:
    app.command(
        "import",
        help="批量导入 XLSX/CSV：sanzi import FILE --kind KIND [--dry-run]；"
             "sanzi import template KIND --out FILE.xlsx 生成模板；sanzi import list 查看导入记录",
    )(import_command)



def import_command(
    target: Annotated[str, typer.Argument(help="要导入的文件；或 template、list")],
    template_kind: Annotated[str | None, typer.Argument(help="template 的类型（" + KINDS_HELP + "）")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="导入类型：" + KINDS_HELP)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查，不写入")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV 编码（utf-8、utf-8-sig、gb18030）；默认自动识别")] = None,
    out: Annotated[str | None, typer.Option("--out", help="template 输出文件（.xlsx）")] = None,
) -> None:
    if target == "template":
        _template(template_kind, out)
    elif target == "list":
        _list()
    else:
        if template_kind is not None:
            raise typer.BadParameter(f"unexpected argument {template_kind!r}")
        if not kind:
            raise typer.BadParameter("--kind " + KINDS_HELP)
        _import(target, kind, dry_run=dry_run, encoding=encoding)


def _template(kind: str | None, out: str | None) -> None:
    from sanzi_ledger.io.template import write_template

    if not kind or not out:
        raise typer.BadParameter("sanzi import template KIND --out FILE.xlsx")
    path = write_template(kind, out)
    shown = output()
    if shown.json:
        shown.emit_json({"ok": True, "kind": kind, "out": path})
    else:
        shown.say(f"已生成导入模板 {path}" if shown.lang == "zh" else f"template written to {path}")


def _progress_bar():
    from contextlib import nullcontext

    out = output()
    if out.json or not sys.stderr.isatty():
        return nullcontext(None)
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar():
        label = "已读 {task.completed:,.0f} 行" if out.lang == "zh" else "{task.completed:,.0f} rows read"
        # Redrawn when the import reports, not by rich's refresh thread: a large file is read by a
        # forked process (io/reading.py), and forking is only safe while no other thread runs.
        with Progress(SpinnerColumn(), TextColumn(label), TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True, auto_refresh=False) as progress:
            task = progress.add_task("import", total=None)
            yield lambda rows: progress.update(task, completed=rows, refresh=True)
    return bar()


def _import(path: str, kind: str, *, dry_run: bool, encoding: str | None) -> None:
    from sanzi_ledger.io.importing import run_import

    out = output()
    with ledger() as led, _progress_bar() as progress:
        result = run_import(led, path, kind, encoding=encoding, dry_run=dry_run, progress=progress)
    zh = out.lang == "zh"
    refusal = None if result.ok else Refusal(
        "import.rows_refused", field="file", value=result.file_name, count=len(result.errors.rows), errors=result.errors.count)
    if out.json:
        document = result.as_json(out.lang)
        if refusal is not None:  # cli.md's refusal shape, with every bad row beside it
            document["error"] = {"code": refusal.code, "field": refusal.field, "message": refusal.render(out.lang)}
        out.emit_json(document)
    else:
        if result.encoding:
            out.warn(f"按 {result.encoding} 编码读取" if zh else f"read as {result.encoding}")
        if result.ignored_columns:
            names = "、".join(result.ignored_columns)
            out.warn(f"忽略不认识的列：{names}" if zh else f"columns ignored: {', '.join(result.ignored_columns)}")
        for error in result.errors.kept[:ERRORS_SHOWN_MAX]:
            out.warn(error.message(out.lang))
        if result.errors.count > ERRORS_SHOWN_MAX:
            more = result.errors.count - ERRORS_SHOWN_MAX
            out.warn(f"……另有 {more} 处错误（--json 可列出全部）" if zh else f"... and {more} more errors (--json lists them)")
    if refusal is not None:
        if not out.json:
            out.warn(("拒绝：" if zh else "refused: ") + refusal.render(out.lang))
        raise typer.Exit(1)
    if out.json:
        return
    mode = ("检查通过（--dry-run，未写入）：" if zh else "checked (--dry-run, nothing written): ") if dry_run else ""
    span = f"，{result.first_ref} … {result.last_ref}" if result.first_ref and zh else (
        f", {result.first_ref} ... {result.last_ref}" if result.first_ref else "")
    if zh:
        verb = "可导入" if dry_run else "已导入"
        out.say(f"{mode}{result.file_name}：{result.rows} 行，{verb} {result.imported} 条，"
                   f"已存在 {result.already_present} 条（跳过）{span}")
    else:
        verb = "would import" if dry_run else "imported"
        out.say(f"{mode}{result.file_name}: {result.rows} rows, {verb} {result.imported}, "
                   f"{result.already_present} already present (skipped){span}")


def _list() -> None:
    out = output()
    with ledger() as led:
        code = led.resolve_collective()
        led.catch_up()
        rows = led.views.query(
            "SELECT recorded_at, operator, kind, file_name, sha256, rows, imported, already_present, position "
            "FROM v_imports WHERE collective = ? ORDER BY position", (code,))
    if out.json:
        out.emit_json({"collective": code, "imports": [
            {"recorded_at": r[0], "operator": r[1], "kind": r[2], "file": r[3], "sha256": r[4], "rows": r[5],
             "imported": r[6], "already_present": r[7], "position": r[8]} for r in rows]})
        return
    zh = out.lang == "zh"
    out.table("导入记录" if zh else "imports",
              ["recorded_at", "operator", "kind", "文件" if zh else "file", "SHA-256", "行数" if zh else "rows",
               "导入" if zh else "imported", "已存在" if zh else "present", "日志位置" if zh else "position"],
              [[r[0][:19], r[1], r[2], r[3], r[4][:16], r[5], r[6], r[7], r[8]] for r in rows], right={5, 6, 7, 8})
