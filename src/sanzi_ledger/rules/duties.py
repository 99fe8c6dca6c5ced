"""Separation of duties (钱账分管、不相容职务分离) where the views show it (R62).

The domain already refuses a supervisor reviewing their own draft and an
operator acting outside their role; these rules catch what a single command
cannot see. R61 (self-review of a contract) and R63 (a cashier keeping the
books) live with the data they read, in contracts.py and money.py.
"""

from __future__ import annotations

from collections.abc import Iterator

from sanzi_ledger.periods import parse_period
from sanzi_ledger.rules.engine import Flag, Inspection, rule

REFS_MAX = 5  # enough vouchers to show the pattern; the rest are in the explanation's count


@rule("R62", "red", "审核人审核本人所记的账", basis="不相容职务分离：村务监督委员会审核公开内容，不得审核本人登记的凭证")
def reviewer_recorded(x: Inspection) -> Iterator[Flag]:
    reviews = x.views.query(
        "SELECT d.number, d.period, r.reviewer, r.at FROM v_disclosure_reviews r JOIN v_disclosures d"
        " ON d.collective = r.collective AND d.number = r.number WHERE r.collective = ? AND r.approved = 1"
        " ORDER BY d.number, r.position", (x.collective,))
    for number, period_label, reviewer, at in reviews:
        period = parse_period(period_label)
        if period.last_day < x.first_day or at[:10] > x.as_of.isoformat():
            continue
        own = [n for (n,) in x.views.query(
            "SELECT number FROM v_vouchers WHERE collective = ? AND month >= ? AND month <= ? AND operator = ? ORDER BY number",
            (x.collective, period.first, period.last, reviewer))]
        if own:
            yield x.flag("R62", f"{number}:{reviewer}", f"{reviewer} 审核通过公开 {number}（{period_label}），该期有 {len(own)} 张凭证由其本人登记",
                         refs=own[:REFS_MAX])
