"""A source's rows matched to a kind's columns: header found, cells read, every error kept.

Errors are values here (row, column, refusal), collected for the whole file
and reported together, as beancount reports a ledger's problems: an
accountant fixes a 2,000-row file in one round, not in 2,000.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.cells import is_blank
from sanzi_ledger.io.columns import Column
from sanzi_ledger.io.sources import Source, header_key

ERRORS_KEPT_MAX = 10_000
_UNSEEN = object()
_MEMO_TYPES = frozenset({str, int, float, type(None)})
TITLE_ROWS_MAX = 5  # rows looked at for the header: a title and a note or two may come first  # beyond this the file is wrong as a whole; the count still grows


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    refusal: Refusal

    def message(self, lang: str = "zh") -> str:
        if lang == "en":
            self.refusal.record = f"row {self.row}" if self.row else "the file"
        else:
            self.refusal.record = f"第 {self.row} 行" if self.row else "全表"
        return self.refusal.render(lang)

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        value = self.refusal.value
        return {"row": self.row, "column": self.column, "value": None if value is None else str(value),
                "code": self.refusal.code, "message": self.message(lang)}


def row_error(row: int, column: str, refusal: Refusal) -> RowError:
    """The refusal of one cell or row (row 0: the file as a whole), its field named by the column header."""
    if column and not (refusal.field or "").startswith(column):
        suffix = refusal.field[refusal.field.find("["):] if refusal.field and "[" in refusal.field else ""
        refusal.field = column + suffix
    return RowError(row, column, refusal)


class Errors:
    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0
        self.rows: set[int] = set()

    def add(self, error: RowError) -> None:
        self.count += 1
        self.rows.add(error.row)
        if len(self.kept) < ERRORS_KEPT_MAX:
            self.kept.append(error)

    def merge(self, kept: list[RowError], count: int) -> None:
        """Errors found elsewhere (the reading process): `kept` of `count` in all."""
        for error in kept:
            self.add(error)
        self.count += count - len(kept)

    def __bool__(self) -> bool:
        return self.count > 0


def _blank_row(row: list) -> bool:
    """Every cell blank (`is_blank`); stops at the first filled one, usually the first."""
    for cell in row:
        if cell is None or cell == "" or (type(cell) is str and not cell.strip()):
            continue
        return False
    return True


class Table:
    """Rows of `source` as {field: value}, read by `columns`."""

    def __init__(self, source: Source, columns: tuple[Column, ...], errors: Errors) -> None:
        self.source = source
        self.columns = columns
        self.errors = errors
        self.rows = source.rows()
        self.header_row, self.index, self.ignored = self._header()
        self.by_field = {column.field: column for column in columns}

    def _header(self) -> tuple[int, dict[str, int], list[str]]:
        """The header: the first row naming every required column. Rows above it
        (a title such as 东山村2025年凭证, a unit line) are skipped, up to a few."""
        first: tuple[int, list[str]] | None = None
        for seen, (number, row) in enumerate(((n, r) for n, r in self.rows if not all(is_blank(c) for c in r)), start=1):
            index, ignored, missing = self._match(number, [header_key(cell) for cell in row])
            if not missing:
                return number, index, ignored
            if first is None or len(missing) < len(first[1]):
                first = (number, missing)  # the nearest miss is the one to name
            if seen >= TITLE_ROWS_MAX:
                break
        if first is None:
            raise Refusal("import.empty_file", field="file", value=self.source.name)
        raise Refusal("import.header_missing", field="header", value="、".join(first[1]), row=first[0],
                      expected="、".join(c.header for c in self.columns if c.in_header))

    def _match(self, number: int, keys: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
        index: dict[str, int] = {}
        ignored = []
        for position, key in enumerate(keys):
            column = next((c for c in self.columns if key == c.header or key in c.aliases), None)
            if column is None:
                if key:
                    ignored.append(key)
                continue
            if column.field in index:
                raise Refusal("import.header_twice", field="header", value=column.header, row=number)
            index[column.field] = position
        return index, ignored, [c.header for c in self.columns if c.in_header and c.field not in index]

    def records(self) -> Iterator[tuple[int, dict[str, Any], bool]]:
        """(row number, values, ok) per non-blank row; not ok when a cell was refused
        (its errors are in `errors`; values holds the cells that were read)."""
        present = [(column, self.index[column.field]) for column in self.columns if column.field in self.index]
        # Dates, codes and choices repeat down a column: read each distinct cell once
        # (a text, or a number or empty cell keyed with its type: 1, 1.0 and True differ).
        memo: dict[str, dict[object, Any]] = {column.field: {} for column, _ in present if column.repeats}
        plan = [(column, position, column.field, memo.get(column.field)) for column, position in present]
        for number, row in self.rows:
            if _blank_row(row):
                continue  # blank rows between blocks are common and mean nothing
            values: dict[str, Any] = {}
            ok = True
            width = len(row)
            for column, position, name, seen in plan:
                cell = row[position] if position < width else None
                if seen is not None and type(cell) is str:
                    # A text met before was read and accepted then (a refused one is never kept).
                    value = seen.get(cell, _UNSEEN)
                    if value is not _UNSEEN:
                        values[name] = value
                        continue
                if column.required and is_blank(cell):
                    self.errors.add(row_error(number, column.header, Refusal("import.cell_required", field=column.header, value="")))
                    ok = False
                    continue
                kind = type(cell)
                try:
                    if seen is not None and kind in _MEMO_TYPES:
                        key = cell if kind is str else (kind, cell)
                        value = seen.get(key, _UNSEEN)
                        if value is _UNSEEN:
                            value = seen[key] = column.read(cell, column.header)
                    else:
                        value = column.read(cell, column.header)
                except Refusal as refusal:
                    self.errors.add(row_error(number, column.header, refusal))
                    ok = False
                    continue
                values[name] = value
            yield number, values, ok

    def column_of(self, field: str | None) -> str:
        """The header of a command field named by a refusal ("schedule[2]" -> 收付款计划)."""
        base = (field or "").split("[")[0]
        column = self.by_field.get(base)
        return column.header if column else (field or "")
