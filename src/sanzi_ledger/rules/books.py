"""The books' discipline: months left open, back-dated entries (R51, R54)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sanzi_ledger.periods import CHINA, next_month, parse_period
from sanzi_ledger.rules.engine import Flag, Inspection, position_ref, rule


@rule("R51", "yellow", "月份逾期未结账", keys=("flags.close_days",), basis="按月结账（会计制度）；本地默认月末后 15 天内结账")
def month_open(x: Inspection) -> Iterator[Flag]:
    days = x.thresholds.close_days
    closed = {m for (m,) in x.views.query("SELECT month FROM v_periods WHERE collective = ? AND closed = 1", (x.collective,))}
    month = x.first_month
    while month <= x.last_month:
        deadline = parse_period(month).last_day + timedelta(days=days)
        if deadline >= x.as_of:
            break
        if month not in closed:
            yield x.flag("R51", month, f"{month} 已结束 {(x.as_of - parse_period(month).last_day).days} 天，尚未结账"
                         f"（应在 {deadline.isoformat()} 前结账）", since=deadline + timedelta(days=1))
        month = next_month(month)


def recorded_day(recorded_at: str) -> date:
    """The Beijing date an event was recorded (its timestamp is UTC)."""
    return datetime.fromisoformat(recorded_at).astimezone(CHINA).date()


@rule("R54", "yellow", "补记或倒签凭证", keys=("flags.backdate_days",),
      basis="业务日期远早于记录时间即补记或倒签（本地默认 30 天）；记入已结账月份的直接拒绝")
def backdated(x: Inspection) -> Iterator[Flag]:
    days = x.thresholds.backdate_days
    # Year-end closing vouchers are dated 31 December by rule, whenever December is closed.
    for number, day_text, recorded_at, position, operator in x.views.query(
        "SELECT number, date, recorded_at, position, operator FROM v_vouchers WHERE collective = ? AND month >= ? AND month <= ?"
        " AND date >= ? AND date <= ? AND kind <> 'closing' ORDER BY number",
        (x.collective, x.first_month, x.last_month, x.first_day.isoformat(), x.as_of.isoformat()),
    ):
        day = date.fromisoformat(day_text)
        recorded = recorded_day(recorded_at)
        if (recorded - day).days > days:
            yield x.flag("R54", number, f"凭证 {number} 业务日期 {day_text}，{recorded.isoformat()} 才由 {operator} 记录，"
                         f"相隔 {(recorded - day).days} 天（超过 {days} 天）", refs=[number, position_ref(int(position))], since=day)
