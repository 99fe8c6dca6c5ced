"""Year-end closing (年终结转), decided from the year's balances.

Closing December posts two vouchers in December, in the same transaction as
the close: every 损益 account into 321 本年收益, then 321 into 322 收益分配
(its 未分配收益 sub-account when it has sub-accounts). The books of the next
year then open with no 损益 balance, as the 会计制度 requires.
"""

from __future__ import annotations

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal

CLOSE_INCOME_SUMMARY = "结转本年收益"
CLOSE_DISTRIBUTION_SUMMARY = "结转本年收益至收益分配"
UNDISTRIBUTED_HINT = "未分配"


def _target(collective: Collective, chart: Chart, code: str, *, hint: str | None) -> str:
    if not collective.has_children(code):
        return code
    leaves = [
        sub for sub in collective.sub_accounts.values()
        if sub.code.startswith(code) and not collective.has_children(sub.code)
        and (hint is None or hint in sub.name)
    ]
    if len(leaves) != 1:
        raise Refusal("closing.target_ambiguous", field="account", value=code, record=collective.code)
    return leaves[0].code


def _line(account: str, net_debit_fen: int, *, closing: bool) -> Line:
    """A line that brings `account` with net debit balance `net_debit_fen` to zero
    (closing=True), or that carries that net amount onto it (closing=False)."""
    to_debit = (net_debit_fen < 0) if closing else (net_debit_fen > 0)
    return Line(account=account, side="debit" if to_debit else "credit", amount_fen=abs(net_debit_fen))


def year_end_lines(
    collective: Collective, chart: Chart, *, profit_loss_net_debit: dict[str, int], income_net_debit: int,
) -> list[list[Line]]:
    """The closing vouchers' lines, given the year's net debit balance of every leaf
    损益 account and the balance of 321 before closing. Empty lists are left out."""
    assert chart.current_year_income_account and chart.distribution_account, chart.id
    income = _target(collective, chart, chart.current_year_income_account, hint=None)
    distribution = _target(collective, chart, chart.distribution_account, hint=UNDISTRIBUTED_HINT)
    vouchers: list[list[Line]] = []
    first = [
        _line(code, net, closing=True)
        for code, net in sorted(profit_loss_net_debit.items()) if net != 0
    ]
    net_to_income = sum(profit_loss_net_debit.values())  # net debit moved onto 321
    if first:
        if net_to_income:
            first.append(_line(income, net_to_income, closing=False))
        vouchers.append(first)
    income_after = income_net_debit + net_to_income
    if income_after:
        vouchers.append([_line(income, income_after, closing=True), _line(distribution, income_after, closing=False)])
    return vouchers
