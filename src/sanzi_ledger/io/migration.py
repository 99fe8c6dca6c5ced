"""Migrating the 2004-chart books: an old trial balance in, the new books' opening balances out.

The file is the old 科目余额表 at 2023-12-31 (the day before the collective's
first period): one row per account, 借方余额 or 贷方余额. Each balance is carried
to its 2024-chart account through `chart/mapping_2004_2024.toml`
(财会〔2023〕20号); where the table offers several targets the first is the
default and a 新科目编码 column chooses another. A first-level row listed
together with its own detail rows (112 and 112001, 112002) is the subtotal
of those rows: it must equal their sum and is not carried twice. The whole
balance becomes one `OpeningMigrated` event (domain/imports.py).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path

from sanzi_ledger.chart import load_chart
from sanzi_ledger.commands.ledger import Ledger
from sanzi_ledger.domain import collectives, imports
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.result import ImportResult
from sanzi_ledger.io.table import Table, row_error
from sanzi_ledger.io.writer import Writer
from sanzi_ledger.money import format_yuan

MAPPING_FILE = Path(__file__).resolve().parent.parent / "chart" / "mapping_2004_2024.toml"


@cache
def mapping_2004_2024() -> dict[str, tuple[str, ...]]:
    """Old first-level code -> the new codes it may go to (the default first)."""
    data = tomllib.loads(MAPPING_FILE.read_text("utf-8"))
    out = {}
    for row in data["map"]:
        new = row.get("new", ())
        out[row["old"]] = (new,) if isinstance(new, str) else tuple(new)
    return out


def import_opening(led: Ledger, table: Table, writer: Writer | None, result: ImportResult,
                   progress: Callable[[int], None] | None = None) -> None:
    operator = led.require_operator()
    state = led.collective()
    collectives.require_role(state, operator, collectives.BOOKKEEPERS, action="import")
    old_chart, new_chart = load_chart("2004"), led.chart(state.chart)
    existing = led.app.load(imports.migration_id(state.code), imports.apply)
    errors = table.errors
    rows: list[tuple[int, dict]] = []
    for number, values, ok in table.records():
        result.rows += 1
        if ok:
            rows.append((number, values))
    if existing is not None and existing.sha256 == result.sha256:  # type: ignore[attr-defined]
        result.already_present = result.rows
        return
    codes = {values["old_code"] for _, values in rows}
    lines: list[imports.MigratedLine] = []
    details: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # first-level code -> sums of its detail rows
    subtotals: list[tuple[int, dict]] = []
    for number, values in rows:
        old = values["old_code"]
        debit, credit = values.get("debit", 0), values.get("credit", 0)
        if debit < 0 or credit < 0 or (debit and credit):
            errors.add(row_error(number, "借方余额", Refusal("migration.balance_sides", field="借方余额",
                                                          value=format_yuan(debit or credit))))
            continue
        if len(old) == 3 and any(code != old and code.startswith(old) for code in codes):
            subtotals.append((number, values))
            continue
        try:
            new = imports.map_account(state, old_chart, new_chart, mapping_2004_2024(), old, values.get("new_code", ""))
        except Refusal as refusal:
            errors.add(row_error(number, table.column_of(refusal.field), refusal))
            continue
        if len(old) > 3:
            details[old[:3]][0] += debit
            details[old[:3]][1] += credit
        if debit or credit:
            lines.append(imports.MigratedLine(old_code=old, new_code=new, debit_fen=debit, credit_fen=credit))
    for number, values in subtotals:
        net = values.get("debit", 0) - values.get("credit", 0)
        sums = details[values["old_code"]]
        if net != sums[0] - sums[1]:
            errors.add(row_error(number, "借方余额", Refusal(
                "migration.subtotal", field="借方余额", value=format_yuan(net), details=format_yuan(sums[0] - sums[1]))))
    if progress is not None:
        progress(result.rows)
    if errors:
        return
    try:
        event = imports.migrate(state, lines, file_name=result.file_name, sha256=result.sha256, from_chart="2004",
                                existing=existing, operator=operator, now=led.now())
    except Refusal as refusal:
        errors.add(row_error(0, table.column_of(refusal.field), refusal))
        return
    result.imported = len(lines)
    result.refs(state.start_period, state.start_period)
    if writer is not None:
        writer.append([event])
