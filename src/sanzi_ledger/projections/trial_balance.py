"""科目余额表 (trial balance): opening, movement and closing, both sides.

Read from `v_account_month`, so the cost depends on the number of accounts
and months of one collective, never on the number of vouchers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanzi_ledger.chart import Chart
from sanzi_ledger.periods import Period
from sanzi_ledger.projections.views import Views

COLUMNS = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    opening_debit: int
    opening_credit: int
    debit: int
    credit: int
    closing_debit: int
    closing_credit: int

    def amounts(self) -> tuple[int, ...]:
        return tuple(getattr(self, column) for column in COLUMNS)


@dataclass(frozen=True)
class TrialBalance:
    collective: str
    period: Period
    rows: list[Row]
    totals: Row

    @property
    def balanced(self) -> bool:
        t = self.totals
        return t.opening_debit == t.opening_credit and t.debit == t.credit and t.closing_debit == t.closing_credit


def _split(net_debit: int) -> tuple[int, int]:
    """A balance shown on the side it actually lies (借 or 贷)."""
    return (net_debit, 0) if net_debit >= 0 else (0, -net_debit)


def account_sums(views: Views, collective: str, period: Period) -> dict[str, tuple[int, int, int, int]]:
    """Per leaf account: (opening debit, opening credit, period debit, period credit)."""
    rows = views.query(
        "SELECT account,"
        " SUM(CASE WHEN month < ? THEN debit_fen + close_debit_fen ELSE 0 END),"
        " SUM(CASE WHEN month < ? THEN credit_fen + close_credit_fen ELSE 0 END),"
        " SUM(CASE WHEN month >= ? THEN debit_fen + close_debit_fen ELSE 0 END),"
        " SUM(CASE WHEN month >= ? THEN credit_fen + close_credit_fen ELSE 0 END)"
        " FROM v_account_month WHERE collective = ? AND month <= ? GROUP BY account",
        (period.first, period.first, period.first, period.first, collective, period.last),
    )
    return {row[0]: tuple(int(v) for v in row[1:]) for row in rows}  # type: ignore[misc]


def trial_balance(
    views: Views, chart: Chart, collective: str, period: Period, *,
    detail: bool = False, names: dict[str, str] | None = None,
) -> TrialBalance:
    """First-level accounts with a balance or a movement; with `detail`, leaf
    sub-accounts as well (their rows follow their first-level account)."""
    sums = account_sums(views, collective, period)
    grouped: dict[str, list[int]] = {}
    for account, (od, oc, d, c) in sums.items():
        keys = [account[:3]] + ([account] if detail and len(account) > 3 else [])
        for key in keys:
            acc = grouped.setdefault(key, [0, 0, 0, 0])
            acc[0] += od - oc
            acc[2] += d
            acc[3] += c
    rows = []
    for code in sorted(grouped):
        opening_net, _, debit, credit = grouped[code]
        if opening_net == 0 and debit == 0 and credit == 0:
            continue
        account = chart.get(code)
        name = account.name if account else (names or {}).get(code, code)
        od, oc = _split(opening_net)
        cd, cc = _split(opening_net + debit - credit)
        rows.append(Row(code, name, od, oc, debit, credit, cd, cc))
    first_level = [row for row in rows if len(row.code) == 3]
    totals = Row("", "合计", *(sum(getattr(r, c) for r in first_level) for c in COLUMNS))
    return TrialBalance(collective, period, rows, totals)


def year_net_debit(views: Views, collective: str, year: int) -> dict[str, int]:
    """Net debit balance of every leaf account at the end of `year`, before any
    closing voucher of that year (used to compose them)."""
    rows = views.query(
        "SELECT account, SUM(debit_fen - credit_fen) + SUM(CASE WHEN month < ? THEN close_debit_fen - close_credit_fen ELSE 0 END)"
        " FROM v_account_month WHERE collective = ? AND month <= ? GROUP BY account",
        (f"{year:04d}-01", collective, f"{year:04d}-12"),
    )
    return {row[0]: int(row[1]) for row in rows if int(row[1]) != 0}
