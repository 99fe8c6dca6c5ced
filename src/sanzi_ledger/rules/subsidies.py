"""Subsidies (补助资金): idle earmarked money, another purpose, overspending (R31–R33)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sanzi_ledger.domain.schedules import add_months
from sanzi_ledger.projections import register_reports
from sanzi_ledger.rules.engine import Flag, Inspection, full_months, rule, yuan


def _moves(x: Inspection) -> dict[str, list[tuple[date, str, int, str, str]]]:
    """Subsidy moves up to the day inspected: number -> [(date, kind, amount, note, voucher)]."""
    def read() -> dict[str, list[tuple[date, str, int, str, str]]]:
        out: dict[str, list[tuple[date, str, int, str, str]]] = {}
        for record, day, kind, amount, note, voucher in x.views.query(
            "SELECT record, date, kind, amount_fen, note, voucher FROM v_register_moves"
            " WHERE collective = ? AND record LIKE 'subsidy:%' AND date <= ? ORDER BY record, position",
            (x.collective, x.as_of.isoformat()),
        ):
            out.setdefault(record.split(":", 1)[1], []).append((date.fromisoformat(day), kind, int(amount), note, voucher))
        return out

    return x.memo("subsidy_moves", read)


def _earmarked(x: Inspection) -> list[register_reports.SubsidyRow]:
    return [row for row in register_reports.subsidies(x.views, x.collective) if row.earmarked]


@rule("R31", "yellow", "专项补助资金闲置", keys=("flags.subsidy_idle_months",),
      basis="专项资金不得长期闲置；本地默认有余额而 6 个月无支出")
def subsidy_idle(x: Inspection) -> Iterator[Flag]:
    months = x.thresholds.subsidy_idle_months
    moves = _moves(x)
    for row in _earmarked(x):
        mine = moves.get(row.number, [])
        balance = sum(a if k == "receive" else -a for _, k, a, _, _ in mine)
        receipts = [m for m in mine if m[1] == "receive"]
        if balance <= 0 or not receipts:
            continue
        spends = [m for m in mine if m[1] == "spend"]
        last = spends[-1] if spends else receipts[0]
        idle_since = last[0]
        if add_months(idle_since, months) > x.as_of:
            continue
        what = f"最后一笔支出在 {idle_since.isoformat()}" if spends else f"{idle_since.isoformat()} 收到后一直未支出"
        yield x.flag("R31", row.number, f"专项补助 {row.number}（{row.program}）余额 {yuan(balance)} 元，{what}，"
                     f"已闲置 {full_months(idle_since, x.as_of)} 个月", refs=[receipts[0][4], last[4]], since=idle_since)


@rule("R32", "red", "专项补助改变用途", basis="专项资金专款专用：支出用途须在拨付时列明的用途之内")
def subsidy_wrong_purpose(x: Inspection) -> Iterator[Flag]:
    moves = _moves(x)
    for row in _earmarked(x):
        allowed = [p for p in row.purposes.split("、") if p]
        if not allowed:
            continue
        for day, kind, amount, note, voucher in moves.get(row.number, []):
            purpose = note.split("｜", 1)[0]
            if kind == "spend" and purpose not in allowed and x.within(day):
                yield x.flag("R32", voucher, f"专项补助 {row.number}（{row.program}）于 {day.isoformat()} 支出 {yuan(amount)} 元用于“{purpose}”，"
                             f"不在规定用途（{row.purposes}）之内", refs=[voucher], since=day)


@rule("R33", "red", "补助资金超支", basis="专款专用：支出与退回不得超过收到的金额（登记时即拒绝，此规则查导入或旧数据）")
def subsidy_overspent(x: Inspection) -> Iterator[Flag]:
    for row in register_reports.subsidies(x.views, x.collective):
        if row.balance_fen < 0:
            vouchers = [m[4] for m in _moves(x).get(row.number, []) if m[1] != "receive"]
            yield x.flag("R33", row.number, f"补助 {row.number}（{row.program}）收到 {yuan(row.received_fen)} 元，"
                         f"支出 {yuan(row.spent_fen)} 元、退回 {yuan(row.returned_fen)} 元，超支 {yuan(-row.balance_fen)} 元",
                         refs=vouchers[-3:])
