"""Public disclosure (财务公开) on time and often enough (R52, R53)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections.disclosure_status import due_list
from sanzi_ledger.rules.engine import Flag, Inspection, rule

_LATE = {"overdue": "red", "published_late": "yellow"}


@rule("R52", "yellow/red", "未按时公开", keys=("disclosure.monthly_deadline_day", "disclosure.quarterly_deadline_day"),
      basis="农经发〔2011〕13号 定时公开；本地惯例：月度次月 10 日前、季度次季首月 15 日前。逾期未公开红色，逾期后才公开黄色")
def disclosure_late(x: Inspection) -> Iterator[Flag]:
    for due in due_list(x.views, x.collective, x.start_period, x.as_of):
        severity = _LATE.get(due.state)
        if severity is None or parse_period(due.period).last_day < x.first_day:
            continue
        what = "至今未公开" if due.state == "overdue" else f"{due.published_on} 才公开（{due.number}）"
        yield x.flag("R52", f"{due.board}:{due.period}", f"公开栏“{due.board}”{due.period} 的公开截止日为 {due.deadline.isoformat()}，"
                     f"{what}", since=due.deadline + timedelta(days=1), severity=severity)


@rule("R53", "red", "年度公开次数不足", keys=("flags.disclosures_per_year_min",),
      basis="农经发〔2011〕13号、村民委员会组织法第三十条：至少每季度公开一次，一年不少于 4 次")
def disclosures_per_year(x: Inspection) -> Iterator[Flag]:
    wanted = x.thresholds.disclosures_per_year_min
    published: dict[int, set[str]] = {}
    for (period,) in x.views.query(
        "SELECT DISTINCT period FROM v_disclosures WHERE collective = ? AND status = 'published'", (x.collective,)
    ):
        published.setdefault(parse_period(period).year, set()).add(period)
    first_year = int(x.start_period[:4])
    for year in range(max(first_year, x.first_day.year), x.as_of.year):
        # A first year that starts mid-year owes its share of the year's disclosures.
        months = 12 - (int(x.start_period[5:7]) - 1 if year == first_year else 0)
        needed = -(-wanted * months // 12)
        count = len(published.get(year, set()))
        if count < needed:
            yield x.flag("R53", str(year), f"{year} 年公开 {count} 期，少于应公开的 {needed} 期", since=date(year + 1, 1, 1))
