"""Debts and the balance sheet (债权债务、资产负债率): R41–R43."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sanzi_ledger.chart import load_chart
from sanzi_ledger.domain.schedules import add_months
from sanzi_ledger.projections import register_reports
from sanzi_ledger.projections.statements import balance_sheet, balances_at
from sanzi_ledger.rules.engine import Flag, Inspection, position_ref, rule, yuan

# Borrowings and payables: 201 短期借款, 211 应付款, 212 应付工资, 213 应付劳务费,
# 221 长期借款及应付款. Not 241 专项应付款 or 231 一事一议资金: money held for a
# purpose, not debt the village ran up.
DEBT_ACCOUNTS = ("201", "211", "212", "213", "221")


@rule("R41", "yellow", "应收款账龄过长", keys=("flags.receivable_years",),
      basis="清化收：应收款超过 3 年未收回列入清收")
def receivable_old(x: Inspection) -> Iterator[Flag]:
    years = x.thresholds.receivable_years
    positions = dict(x.views.query("SELECT number, position FROM v_debts WHERE collective = ?", (x.collective,)))
    vouchers = dict(x.views.query("SELECT number, voucher FROM v_debts WHERE collective = ?", (x.collective,)))
    for row in register_reports.debts(x.views, x.collective, x.as_of):
        if row.direction != "receivable" or row.outstanding_fen <= 0:
            continue
        since = add_months(date.fromisoformat(row.date), 12 * years)
        if since <= x.as_of:
            yield x.flag("R41", row.number, f"应收 {row.party} 款项 {row.number}（{row.date} 发生）尚欠 {yuan(row.outstanding_fen)} 元，"
                         f"已超过 {years} 年", refs=[vouchers.get(row.number, ""), position_ref(positions.get(row.number))],
                         since=since)


def _debt_total(balances: dict[str, int]) -> int:
    return -sum(net for account, net in balances.items() if account[:3] in DEBT_ACCOUNTS)


@rule("R42", "yellow", "债务增长过快", keys=("flags.payables_growth_percent",),
      basis="各地要求村级债务“只减不增”；本地默认借款和应付款一年内增长超过 10% 预警")
def debt_growth(x: Inspection) -> Iterator[Flag]:
    year_start = date(x.as_of.year - 1, 12, 31)
    if f"{x.as_of.year:04d}-01" <= x.start_period:
        return  # the books started this year: no balance at its start to compare with
    before = _debt_total(balances_at(x.views, x.collective, year_start))
    now = _debt_total(balances_at(x.views, x.collective, x.as_of))
    percent = x.thresholds.payables_growth_percent
    if before > 0 and (now - before) * 100 > before * percent:
        yield x.flag("R42", str(x.as_of.year), f"借款和应付款从年初 {yuan(before)} 元增至 {x.as_of.isoformat()} 的 {yuan(now)} 元，"
                     f"增长 {(now - before) * 100 // before}%，超过 {percent}%", since=date(x.as_of.year, 1, 1))


@rule("R43", "yellow", "资产负债率过高", keys=("flags.debt_ratio_percent",), basis="资产负债率超过警戒线（本地默认 60%）")
def debt_ratio(x: Inspection) -> Iterator[Flag]:
    sheet = balance_sheet(x.views, load_chart(x.chart), x.collective, x.as_of)
    line = x.thresholds.debt_ratio_percent
    assets, debts = sheet.total_assets, sheet.total_liabilities
    if debts > 0 and (assets <= 0 or debts * 100 > assets * line):
        ratio = f"{debts * 100 // assets}%" if assets > 0 else "无法计算（资产不为正）"
        yield x.flag("R43", str(x.as_of.year), f"{x.as_of.isoformat()} 负债 {yuan(debts)} 元、资产 {yuan(assets)} 元，"
                     f"资产负债率 {ratio}，超过 {line}%")
