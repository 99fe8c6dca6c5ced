"""资产负债表 and 收益及收益分配表, laid out by the chart file's statement lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sanzi_ledger.chart import Chart, StatementLine
from sanzi_ledger.periods import Period, month_of, parse_period
from sanzi_ledger.projections.views import Views


@dataclass(frozen=True)
class StatementRow:
    section: str
    line: str
    amount: int
    previous: int  # 年初余额 (balance sheet) or 本年累计 (income statement)
    subtotal: bool = False


@dataclass(frozen=True)
class BalanceSheet:
    collective: str
    date: date
    rows: list[StatementRow]
    total_assets: int
    total_liabilities: int
    total_equity: int
    opening_total_assets: int
    opening_total_liabilities: int
    opening_total_equity: int

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities + self.total_equity


@dataclass(frozen=True)
class IncomeStatement:
    collective: str
    period: Period
    rows: list[StatementRow]


def balances_at(views: Views, collective: str, day: date) -> dict[str, int]:
    """Net debit balance of every leaf account at the end of `day`."""
    month = month_of(day)
    out: dict[str, int] = {}
    with views.transaction() as cursor:
        for account, net in cursor.query(
            "SELECT account, SUM(debit_fen + close_debit_fen - credit_fen - close_credit_fen)"
            " FROM v_account_month WHERE collective = ? AND month < ? GROUP BY account",
            (collective, month),
        ):
            out[account] = int(net)
        # The month of `day` itself: only the lines dated up to that day.
        for account, side, amount in cursor.query(
            "SELECT account, side, SUM(amount_fen) FROM v_voucher_lines"
            " WHERE collective = ? AND month = ? AND date <= ? GROUP BY account, side",
            (collective, month, day.isoformat()),
        ):
            out[account] = out.get(account, 0) + (int(amount) if side == "debit" else -int(amount))
    return out


def _line_amount(line: StatementLine, chart: Chart, balances: dict[str, int]) -> int:
    """Net debit for asset lines, net credit for liability and equity lines."""
    sign = 1 if line.section == "asset" else -1
    total = 0
    for spec in line.accounts:
        code, only = spec.rstrip("<>"), spec[len(spec.rstrip("<>")):]
        for account, net in balances.items():
            if not account.startswith(code):
                continue
            if (only == ">" and net <= 0) or (only == "<" and net >= 0):
                continue
            total += sign * net
    if line.profit_loss:
        total += sign * sum(
            net for account, net in balances.items()
            if (acct := chart.get(account[:3])) and acct.account_class == "profit_loss"
        )
    return total


def balance_sheet(views: Views, chart: Chart, collective: str, day: date) -> BalanceSheet:
    now = balances_at(views, collective, day)
    year_start = balances_at(views, collective, date(day.year - 1, 12, 31))
    rows, totals = [], {"asset": [0, 0], "liability": [0, 0], "equity": [0, 0]}
    for line in chart.balance_sheet:
        amount, previous = _line_amount(line, chart, now), _line_amount(line, chart, year_start)
        rows.append(StatementRow(line.section, line.line, amount, previous))
        totals[line.section][0] += amount
        totals[line.section][1] += previous
    return BalanceSheet(
        collective, day, rows,
        total_assets=totals["asset"][0], total_liabilities=totals["liability"][0], total_equity=totals["equity"][0],
        opening_total_assets=totals["asset"][1], opening_total_liabilities=totals["liability"][1],
        opening_total_equity=totals["equity"][1],
    )


def _movements(views: Views, collective: str, first: str, last: str) -> dict[str, int]:
    """Net credit movement per leaf account between two months, closing entries left out."""
    rows = views.query(
        "SELECT account, SUM(credit_fen - debit_fen) FROM v_account_month"
        " WHERE collective = ? AND month >= ? AND month <= ? GROUP BY account",
        (collective, first, last),
    )
    return {account: int(net) for account, net in rows}


def income_statement(views: Views, chart: Chart, collective: str, period: Period) -> IncomeStatement:
    year = parse_period(str(period.year))
    current = _movements(views, collective, period.first, period.last)
    to_date = _movements(views, collective, year.first, period.last)

    def amount(line: StatementLine, moves: dict[str, int]) -> int:
        # Income accounts move on the credit side, expenses on the debit side:
        # `sign` turns each into what the line adds to the result.
        net_credit = sum(net for acct, net in moves.items() if any(acct.startswith(c) for c in line.accounts))
        return net_credit if line.sign > 0 else -net_credit

    rows: list[StatementRow] = []
    running = [0, 0]
    for line in chart.income_statement:
        if line.subtotal:
            rows.append(StatementRow("income", line.line, running[0], running[1], subtotal=True))
            continue
        a, b = amount(line, current), amount(line, to_date)
        running[0] += line.sign * a
        running[1] += line.sign * b
        rows.append(StatementRow("income", line.line, a, b))
    net_period, net_year = running
    # 收益分配 part: what 322 brought into the year, what was distributed.
    dist = chart.distribution_account or ""
    opening = -sum(net for acct, net in balances_at(views, collective, date(period.year - 1, 12, 31)).items() if acct.startswith(dist))
    distributed_period = -sum(net for acct, net in current.items() if acct.startswith(dist))
    distributed_year = -sum(net for acct, net in to_date.items() if acct.startswith(dist))
    available = (net_period + opening, net_year + opening)
    rows += [
        StatementRow("distribution", "加：年初未分配收益", opening, opening),
        StatementRow("distribution", "可分配收益", available[0], available[1], subtotal=True),
        StatementRow("distribution", "减：本期分配", distributed_period, distributed_year),
        StatementRow("distribution", "期末未分配收益", available[0] - distributed_period, available[1] - distributed_year, subtotal=True),
    ]
    return IncomeStatement(collective, period, rows)
