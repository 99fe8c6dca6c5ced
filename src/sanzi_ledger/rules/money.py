"""Cash and spending (库存现金、现金支付、审批): R21–R23, and the cashier's duties (R63).

Read per voucher with one grouped query: the cost follows the number of
vouchers of one collective, and only the vouchers that can break a rule
come back from the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sanzi_ledger.rules.engine import Flag, Inspection, position_ref, rule, yuan

# Money accounts: 101 库存现金, 102 银行存款 (and their sub-accounts).
CASH = ("101", "102")
BANK = ("102", "103")
MONEY = ("101", "103")
# Spending: money out to a cost, an expense, or what builds an asset
# (121 库存物资, 151 固定资产, 153 在建工程, 161 无形资产, 171 长期待摊费用).
_SPENDING = ("(l.account >= '4' AND l.account < '5') OR (l.account >= '51' AND l.account < '53')"
             " OR substr(l.account, 1, 3) IN ('121', '151', '153', '161', '171')")


def _between(account_range: tuple[str, str]) -> str:
    return f"l.account >= '{account_range[0]}' AND l.account < '{account_range[1]}'"


@dataclass(frozen=True)
class VoucherMoney:
    number: str
    date: date
    summary: str
    resolution: str
    operator: str
    position: int
    cash_out_fen: int  # credited to 101
    bank_in_fen: int  # debited to 102: cash deposited is not a payment
    money_out_fen: int  # credited to 101/102
    spending_fen: int  # debited to cost, expense or asset accounts

    @property
    def paid_out_fen(self) -> int:
        """Money that left for a cost, an expense or an asset (an accrual or depreciation pays nothing)."""
        return min(self.spending_fen, self.money_out_fen)
    money_lines: int  # lines on 101/102


def vouchers_of_interest(x: Inspection) -> list[VoucherMoney]:
    """Standing (not reversed) ordinary vouchers in the window that pay cash above the
    limit, spend at or above the approval tier, or move no money at all."""
    t = x.thresholds

    def read() -> list[VoucherMoney]:
        rows = x.views.query(
            "SELECT v.number, v.date, v.summary, v.resolution, v.operator, v.position,"
            f" SUM(CASE WHEN l.side = 'credit' AND {_between(CASH)} THEN l.amount_fen ELSE 0 END),"
            f" SUM(CASE WHEN l.side = 'debit' AND {_between(BANK)} THEN l.amount_fen ELSE 0 END),"
            f" SUM(CASE WHEN l.side = 'credit' AND {_between(MONEY)} THEN l.amount_fen ELSE 0 END),"
            f" SUM(CASE WHEN l.side = 'debit' AND ({_SPENDING}) THEN l.amount_fen ELSE 0 END),"
            f" SUM(CASE WHEN {_between(MONEY)} THEN 1 ELSE 0 END)"
            " FROM v_vouchers v JOIN v_voucher_lines l ON l.collective = v.collective AND l.number = v.number"
            " WHERE v.collective = ? AND v.month >= ? AND v.month <= ? AND v.date >= ? AND v.date <= ?"
            " AND v.kind = 'ordinary' AND v.reversed_by = ''"
            " GROUP BY v.number, v.date, v.summary, v.resolution, v.operator, v.position"
            f" HAVING SUM(CASE WHEN l.side = 'credit' AND {_between(CASH)} THEN l.amount_fen ELSE 0 END) > ?"
            f" OR SUM(CASE WHEN l.side = 'debit' AND ({_SPENDING}) THEN l.amount_fen ELSE 0 END) >= ?"
            f" OR SUM(CASE WHEN {_between(MONEY)} THEN 1 ELSE 0 END) = 0"
            " ORDER BY v.number",
            (x.collective, x.first_month, x.last_month, x.first_day.isoformat(), x.as_of.isoformat(),
             t.cash_payment_max_fen, t.approval_tier_fen),
        )
        return [VoucherMoney(n, date.fromisoformat(d), s, r, o, int(p), int(c), int(b), int(mo), int(sp), int(m))
                for n, d, s, r, o, p, c, b, mo, sp, m in rows]

    return x.memo("vouchers_of_interest", read)


@rule("R21", "yellow", "库存现金超过限额", keys=("flags.cash_limit_yuan",),
      basis="本地惯例 5,000 元；《现金管理暂行条例》第九条：超过库存限额的现金应当日送存银行")
def cash_over_limit(x: Inspection) -> Iterator[Flag]:
    limit = x.thresholds.cash_limit_fen
    days = x.views.query(
        "SELECT l.date, SUM(CASE WHEN l.side = 'debit' THEN l.amount_fen ELSE -l.amount_fen END)"
        f" FROM v_voucher_lines l WHERE l.collective = ? AND {_between(CASH)} AND l.date <= ?"
        " GROUP BY l.date ORDER BY l.date", (x.collective, x.as_of.isoformat()))
    balance, run_start, run_peak = 0, None, 0
    runs: list[tuple[date, date | None, int]] = []  # (first day over, first day back within, peak)
    for day_text, net in days:
        day = date.fromisoformat(day_text)
        balance += int(net)
        if balance > limit:
            if run_start is None:
                run_start, run_peak = day, balance
            run_peak = max(run_peak, balance)
        elif run_start is not None:
            runs.append((run_start, day, run_peak))
            run_start = None
    if run_start is not None:
        runs.append((run_start, None, run_peak))
    for start, back, peak in runs:
        if (back or x.as_of + timedelta(days=1)) <= x.first_day:
            continue
        last = (back - timedelta(days=1)) if back else x.as_of
        span = (last - start).days + 1
        until = f"至 {last.isoformat()}" if back else "至今"
        yield x.flag("R21", start.isoformat(), f"{start.isoformat()} 起库存现金最高 {yuan(peak)} 元，超过限额 {yuan(limit)} 元，"
                     f"持续 {span} 天（{until}）", refs=_cash_vouchers(x, start), since=start)


def _cash_vouchers(x: Inspection, day: date) -> list[str]:
    """The vouchers that moved cash on the day it went over the limit."""
    return [n for (n,) in x.views.query(
        f"SELECT DISTINCT l.number FROM v_voucher_lines l WHERE l.collective = ? AND l.date = ? AND {_between(CASH)}"
        " ORDER BY l.number", (x.collective, day.isoformat()))]


@rule("R22", "yellow", "大额现金支付", keys=("flags.cash_payment_max_yuan",),
      basis="《现金管理暂行条例》第五条：结算起点 1,000 元，超过的应通过银行转账")
def cash_payment(x: Inspection) -> Iterator[Flag]:
    limit = x.thresholds.cash_payment_max_fen
    for v in vouchers_of_interest(x):
        if v.cash_out_fen > limit and not v.bank_in_fen:
            yield x.flag("R22", v.number, f"凭证 {v.number}（{v.date.isoformat()}，{v.summary}）以现金支付 {yuan(v.cash_out_fen)} 元，"
                         f"超过 {yuan(limit)} 元，应转账", refs=[v.number, position_ref(v.position)], since=v.date)


@rule("R23", "red", "大额支出未经审批", keys=("flags.approval_tier_yuan",),
      basis="本地例子：20,000 元以上支出须乡镇审批；凭证应记审批（决议）文号")
def spending_unapproved(x: Inspection) -> Iterator[Flag]:
    tier = x.thresholds.approval_tier_fen
    for v in vouchers_of_interest(x):
        if v.paid_out_fen >= tier and not v.resolution:
            yield x.flag("R23", v.number, f"凭证 {v.number}（{v.date.isoformat()}，{v.summary}）支出 {yuan(v.paid_out_fen)} 元，"
                         f"达到审批起点 {yuan(tier)} 元，没有审批（决议）文号", refs=[v.number, position_ref(v.position)], since=v.date)


@rule("R63", "yellow", "出纳登记非收付凭证", basis="《会计基础工作规范》第十二条：出纳不得兼管收入、费用、债权债务账目的登记（钱账分管）")
def cashier_bookkeeping(x: Inspection) -> Iterator[Flag]:
    for v in vouchers_of_interest(x):
        if not v.money_lines and x.roles.get(v.operator) == "cashier":
            yield x.flag("R63", v.number, f"凭证 {v.number}（{v.date.isoformat()}，{v.summary}）不涉及现金和银行存款，"
                         f"却由出纳 {v.operator} 登记", refs=[v.number, position_ref(v.position)], since=v.date)
