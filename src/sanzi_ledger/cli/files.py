"""Files a command writes besides its output: export files, and the `--xlsx` workbook of a list or report.

`with_xlsx` is the one place the `--xlsx FILE` option lives: decorating a
command adds the option, keeps every table the command prints (`Output.table`)
and writes them to the workbook afterwards, one worksheet each. With `--json`
a command prints JSON and no table, so it is run a second time, quietly, for
its tables: list and report commands only read.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer

from sanzi_ledger.errors import Refusal

F = TypeVar("F", bound=Callable[..., Any])
XlsxPath = Annotated[Path | None, typer.Option("--xlsx", help="同时把表格写入 XLSX 文件（中文表头、金额为数值）")]


def checked_out_path(path: Path) -> Path:
    """An output file must be a file, in a folder that exists."""
    folder = path.resolve().parent
    if not folder.is_dir():
        raise Refusal("export.folder_missing", field="out", value=str(path), folder=str(folder))
    if path.is_dir():
        raise Refusal("export.out_is_folder", field="out", value=str(path))
    return path


@contextmanager
def text_file(path: Path) -> Iterator[TextIO]:
    """Write beside the target and rename at the end: a failed export leaves no half file."""
    partial = checked_out_path(path).with_name(f".{path.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="\n") as fp:
            yield fp
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def with_xlsx(command: F) -> F:
    """Add `--xlsx FILE` to a list or report command."""
    signature = inspect.signature(command, eval_str=True)
    option = inspect.Parameter("xlsx", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=XlsxPath)

    @functools.wraps(command)
    def run(*args: Any, xlsx: Path | None = None, **kwargs: Any) -> Any:
        if xlsx is None:
            return command(*args, **kwargs)
        from sanzi_ledger.cli.main import OUT
        from sanzi_ledger.io.xlsx_tables import workbook_bytes

        checked_out_path(xlsx)
        with OUT.keeping_tables() as tables:
            command(*args, **kwargs)
            if OUT.json:
                with OUT.quietly():
                    command(*args, **kwargs)
        partial = xlsx.with_name(f".{xlsx.name}.partial")
        partial.write_bytes(workbook_bytes(tables))
        os.replace(partial, xlsx)
        if not OUT.json:
            OUT.say(f"已写入 XLSX：{xlsx}" if OUT.lang == "zh" else f"XLSX written: {xlsx}")
        return None

    run.__signature__ = signature.replace(parameters=[*signature.parameters.values(), option])  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
