"""The disclosure as CSV: one file per section, for spreadsheets and other programs.

`{number}-{section key}.csv`, UTF-8 with a byte order mark (so Excel in
Chinese opens it as UTF-8), CRLF line ends. The first row is the Chinese
column titles — nothing above it, so any program reads it as a header — then
the rows, the totals row (合计) and, when there is one, the section's note
(本期无发生额 for an empty section). Amounts and areas print as plain
decimals ("1234.56": two decimals, no grouping), counts as integers.

A text cell that a spreadsheet would run as a formula (first character = + -
@, tab or carriage return) gets a leading apostrophe (OWASP, CSV injection).
Numbers are never touched, so a negative amount stays -12.50.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from sanzi_ledger.money import format_yuan
from sanzi_ledger.publish.document import Column, Publication, Section

EMPTY_NOTE = "本期无发生额"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_KINDS = frozenset({"money", "area", "count"})


def write_csv(pub: Publication, out_dir: Path) -> list[Path]:
    """One CSV per section in `out_dir`; returns their paths in section order."""
    _check_name_part(pub.number, "publication number")
    paths = []
    for section in pub.document.sections:
        _check_name_part(section.key, "section key")
        path = out_dir / f"{pub.number}-{section.key}.csv"
        path.write_bytes(section_csv(section))
        paths.append(path)
    return paths


def section_csv(section: Section) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard(c.title) for c in section.columns])
    for row in section.rows:
        writer.writerow(_cells(row, section.columns))
    if section.rows and section.totals is not None:
        writer.writerow(_cells(section.totals, section.columns))
    note = section.note or ("" if section.rows else EMPTY_NOTE)
    if note:
        width = max(len(section.columns), 1)
        writer.writerow([guard(note), *([""] * (width - 1))])
    return out.getvalue().encode("utf-8-sig")


def _cells(values: Sequence[str | int | None], columns: Sequence[Column]) -> list[str]:
    out = []
    for i, column in enumerate(columns):
        value = values[i] if i < len(values) else None
        out.append(cell_text(value, column.kind))
    return out


def cell_text(value: str | int | None, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and kind in NUMERIC_KINDS:
        if kind == "count":
            return str(value)
        return format_yuan(value, grouping=False)  # fen or 0.01 亩 -> "1234.56"
    return guard(str(value))


def guard(text: str) -> str:
    """Text a spreadsheet would evaluate gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _check_name_part(text: str, what: str) -> None:
    # the file name is built from these: never a path
    if not text or "/" in text or "\\" in text or text.startswith(".") or "\0" in text:
        raise ValueError(f"{what} {text!r} cannot be part of a file name")
