"""Realistic village books for the benchmarks, and the cached stores built from them.

A store of N events is a county's books (《农村集体经济组织会计制度》2024 chart):
villages grouped into townships, each with its own accountant and cashier, ten
detailed sub-accounts, an opening-balance voucher in January 2024, then
vouchers month by month until October 2026 (rent and contract fees, subsidies
received and spent, cadre allowances, office and public-works spending, loans,
receivables, a little cash, depreciation in December), every month closed in
order and each year closed into 收益分配 with the year-end closing vouchers.
November 2026 is left open: that is where the benchmarks post.

A village's yearly volume follows domain.md §6 (100–10,000 vouchers, 500–1,500
typical; lognormal, median 900), with a busy January/December and a quiet
February, so no month of one village exceeds 1,000 vouchers. The store grows
by adding villages, never by making one village absurd: 10k events is about
two villages, 1M events a county of ~190 villages in ~10 townships.

How it is written:
  * setting up (init, collectives, members, sub-accounts) goes through the
    application layer, one command each (`commands.setup`);
  * the vouchers and month closes are decided by the domain functions
    (`vouchers.post`, `periods.close`, `closing.year_end_lines`) with each
    month's `PeriodState` threaded through `periods.apply`, and saved many at
    a time with `Ledger.app.record(events)` (one transaction per batch); then
    the views catch up (`Ledger.catch_up`).
So every voucher passes the same checks as `sanzi voucher post`.

Stores are cached in /tmp/sanzi-bench/ (never in the repository) and reused:

    python benchmarks/generate.py --events 10000,1000000
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from sanzi_ledger.chart import Chart, load_chart
from sanzi_ledger.commands import setup
from sanzi_ledger.commands.ledger import Ledger, open_ledger
from sanzi_ledger.domain import closing, periods, vouchers
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import Event
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.ids import period_id
from sanzi_ledger.periods import next_month, previous_month

CACHE_DIR = os.environ.get("SANZI_BENCH_DIR", "/tmp/sanzi-bench")
GENERATOR_VERSION = 2  # bump when the generated books change shape: old caches are ignored
SEED = 20261124
CHINA = timezone(timedelta(hours=8))

FIRST_MONTH = "2024-01"  # books opened in the new (2024) chart
LAST_CLOSED = "2026-10"  # every month up to here is closed
OPEN_MONTH = "2026-11"  # where the benchmarks post
HISTORY_MONTHS = 34  # 2024-01 .. 2026-10
RECORD_EVENTS = 20_000  # events per `app.record` transaction while loading

ACCOUNTANT = "李会计"  # 村账乡代管: the township agency accountant keeps every village's books
CASHIER = "王出纳"
HEAD = "张书记"
SUB_ACCOUNTS = [
    ("102001", "农商银行基本户"), ("102002", "专项资金账户"),
    ("112001", "应收承包费"), ("112002", "其他应收款"),
    ("501001", "土地发包收入"), ("501002", "房屋租赁收入"),
    ("513001", "干部报酬"), ("513002", "办公费"), ("513003", "差旅费"), ("513004", "其他管理费用"),
]
COUNTY = ("330185", "临安区")
TOWNSHIPS = ["锦南街道", "於潜镇", "太湖源镇", "昌化镇", "天目山镇", "河桥镇", "湍口镇", "清凉峰镇", "岛石镇", "龙岗镇",
             "高虹镇", "板桥镇", "太阳镇", "潜川镇", "玲珑街道", "青山湖街道", "锦北街道", "双溪镇"]
PLACES = ["东山", "西坞", "南塘", "北岙", "青石", "白沙", "枫林", "桃源", "杨家", "石门", "龙潭", "金竹", "双溪", "下洋",
          "上岙", "横路", "茶园", "梅岭", "竹林", "溪口", "后山", "前村", "新华", "红旗", "大坞", "小岭", "马啸", "丰收"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = ["建国", "卫东", "秀英", "桂兰", "国强", "志明", "海燕", "文华", "春生", "金水", "玉梅", "德福", "小军", "丽华"]
SHOPS = ["沿街商铺", "农贸市场摊位", "村办厂房", "老村委楼", "仓库", "竹笋加工点", "民宿用房"]
SUBSIDIES = ["村集体经济发展奖补资金", "美丽乡村建设补助", "高标准农田建设资金", "农村公路养护补助", "生态公益林补偿金",
             "一事一议财政奖补资金", "垃圾分类专项资金"]
WORKS = ["村道路灯电费", "河道保洁费", "垃圾清运费", "村道维修费", "防汛物资采购款", "公厕保洁费", "文化礼堂水电费"]
PROJECTS = ["党群服务中心改造", "村道硬化工程", "山塘加固工程", "文化礼堂修缮", "污水管网维护"]
ASSETS = ["办公电脑", "监控设备", "保洁车辆", "会议桌椅", "太阳能路灯"]


# -- the county --------------------------------------------------------------------


@dataclass
class Village:
    code: str
    name: str
    township: str
    county: str
    annual: int  # vouchers a year
    month_counts: dict[str, int] = field(default_factory=dict)

    @property
    def vouchers(self) -> int:
        return sum(self.month_counts.values())


def history_months() -> list[str]:
    out, month = [], FIRST_MONTH
    while month <= LAST_CLOSED:
        out.append(month)
        month = next_month(month)
    assert len(out) == HISTORY_MONTHS
    return out


MONTH_WEIGHT = {1: 1.25, 2: 0.6, 3: 0.95, 4: 1.0, 5: 1.0, 6: 1.05, 7: 0.95, 8: 0.9, 9: 1.0, 10: 0.95, 11: 1.05, 12: 1.3}


def _month_counts(annual: int) -> dict[str, int]:
    # The opening voucher (建账) is the first of January 2024; year-end closing
    # vouchers are added on top of December's count.
    return {m: max(3, min(1000, round(annual / 12 * MONTH_WEIGHT[int(m[5:])]))) for m in history_months()}


def village_events(v: Village) -> int:
    """Events this village puts in the log (must match what `load_vouchers` writes)."""
    setup_events = 1 + 2 + len(SUB_ACCOUNTS)  # registered, two members, sub-accounts
    year_end = 2 * 3 * 2  # two years closed: depreciation + two closing vouchers, two events each
    closes = HISTORY_MONTHS
    opening = 2
    return setup_events + opening + 2 * v.vouchers + year_end + closes


def plan_county(target_events: int, seed: int = SEED) -> list[Village]:
    """Villages whose books add up to about `target_events` events."""
    rng = random.Random(seed)
    budget = target_events - 1  # LedgerInitialised
    villages: list[Village] = []
    township_index, left_in_township = -1, 0
    while budget > 0:
        if left_in_township == 0:
            township_index += 1
            left_in_township = rng.randint(10, 30)
        left_in_township -= 1
        annual = int(min(10_000, max(100, rng.lognormvariate(math.log(900), 0.7))))
        t = township_index
        code = f"{COUNTY[0]}{101 + t:03d}{201 + len(villages) % 800:03d}"
        place = PLACES[len(villages) % len(PLACES)] + ("" if len(villages) < len(PLACES) else str(len(villages) // len(PLACES) + 1))
        village = Village(code, f"{place}村股份经济合作社", TOWNSHIPS[t % len(TOWNSHIPS)] + ("" if t < len(TOWNSHIPS) else str(t)),
                          COUNTY[1], annual, _month_counts(annual))
        cost = village_events(village)
        if cost > budget:
            # The last village gets what is left (at least three vouchers a month).
            fixed = cost - 2 * village.vouchers
            scale = max(0, budget - fixed) / (2 * village.vouchers)
            village.month_counts = {m: max(3, int(n * scale)) for m, n in village.month_counts.items()}
            village.annual = village.vouchers * 12 // HISTORY_MONTHS
            cost = village_events(village)
        villages.append(village)
        budget -= cost
    return villages


# -- vouchers ---------------------------------------------------------------------


@dataclass(frozen=True)
class VoucherSpec:
    day: date
    summary: str
    lines: list[Line]
    operator: str
    attachments: int = 1
    resolution: str = ""


def _yuan(rng: random.Random, low: float, high: float, step: float = 1.0) -> int:
    """A log-uniform amount in yuan, rounded to `step` yuan, as fen."""
    amount = math.exp(rng.uniform(math.log(low), math.log(high)))
    return max(1, round(amount / step)) * round(step * 100)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _l(debits: list[tuple[str, int]], credits: list[tuple[str, int]]) -> list[Line]:
    return [Line(account=a, side="debit", amount_fen=f) for a, f in debits] + [
        Line(account=a, side="credit", amount_fen=f) for a, f in credits]


def _two(summary: str, debit: str, credit: str, fen: int) -> tuple[str, list[Line]]:
    return summary, _l([(debit, fen)], [(credit, fen)])


def _resolution(rng: random.Random, village: Village, year: int) -> str:
    return f"{village.name[:2]}村决〔{year}〕{rng.randint(1, 30)}号"


# (weight, maker). A maker returns (summary, lines, who, attachments, resolution).
def _rent(rng, v, d):
    name = _person(rng)
    return (*_two(f"收到{name}土地承包费（{d.year}年度）", "102001", "501001", _yuan(rng, 2_000, 80_000, 100)),
            CASHIER, 2, _resolution(rng, v, d.year - 1))


def _shop(rng, v, d):
    q = (d.month - 1) // 3 + 1
    return (*_two(f"收到{rng.choice(SHOPS)}{d.year}年第{q}季度租金", "102001", "501002", _yuan(rng, 1_000, 30_000, 50)),
            CASHIER, 1, _resolution(rng, v, d.year - 1))


def _billed(rng, v, d):
    return *_two(f"确认{_person(rng)}应交承包费", "112001", "501001", _yuan(rng, 1_000, 40_000, 100)), ACCOUNTANT, 1, ""


def _collected(rng, v, d):
    account = rng.choice(["112001", "112001", "112002"])
    return *_two(f"收回{_person(rng)}欠款", "102001", account, _yuan(rng, 500, 30_000, 10)), CASHIER, 1, ""


def _subsidy_earmarked(rng, v, d):
    return *_two(f"收到{rng.choice(SUBSIDIES)}", "102002", "241", _yuan(rng, 10_000, 500_000, 1_000)), CASHIER, 2, ""


def _subsidy_general(rng, v, d):
    return *_two("收到上级补助：村级组织运转经费", "102001", "503", _yuan(rng, 5_000, 120_000, 1_000)), CASHIER, 1, ""


def _subsidy_spent(rng, v, d):
    project = rng.choice(PROJECTS)
    fen = _yuan(rng, 5_000, 300_000, 10)
    if rng.random() < 0.5:
        return *_two(f"{project}专项资金支出", "241", "102002", fen), ACCOUNTANT, 4, _resolution(rng, v, d.year)
    return *_two(f"支付{project}工程进度款", "153", "102002", fen), ACCOUNTANT, 4, _resolution(rng, v, d.year)


def _office(rng, v, d):
    return *_two("支付村务办公用品及打印费", "513002", "101", _yuan(rng, 50, 3_000, 0.5)), CASHIER, 3, ""


def _allowance(rng, v, d):
    return *_two(f"支付村干部误工补贴（{d.month}月）", "513001", "102001", _yuan(rng, 3_000, 12_000, 100)), CASHIER, 1, ""


def _travel(rng, v, d):
    return *_two(f"报销{_person(rng)}赴镇开会差旅费", "513003", "101", _yuan(rng, 30, 800, 0.5)), CASHIER, 2, ""


def _works(rng, v, d):
    return *_two(f"支付{rng.choice(WORKS)}", "514", "102001", _yuan(rng, 500, 80_000, 0.01)), CASHIER, 2, ""


def _petty_cash(rng, v, d):
    return *_two("从银行提取备用金", "101", "102001", _yuan(rng, 1_000, 5_000, 500)), CASHIER, 1, ""


def _interest(rng, v, d):
    return *_two("收到银行存款利息", "102001", "504", _yuan(rng, 100, 8_000, 0.01)), CASHIER, 1, ""


def _loan(rng, v, d):
    account = rng.choice(["201", "221"])
    return *_two("向农商银行借入款项", "102001", account, _yuan(rng, 50_000, 500_000, 10_000)), ACCOUNTANT, 2, _resolution(rng, v, d.year)


def _repay(rng, v, d):
    principal, interest = _yuan(rng, 10_000, 200_000, 1_000), _yuan(rng, 200, 8_000, 0.01)
    account = rng.choice(["201", "221"])
    return ("归还农商银行借款本息", _l([(account, principal), ("515", interest)], [("102001", principal + interest)]),
            ACCOUNTANT, 2, "")


def _payable(rng, v, d):
    return *_two(f"支付{_person(rng)}工程队尾款", "211", "102001", _yuan(rng, 2_000, 150_000, 1)), ACCOUNTANT, 3, ""


def _payable_incurred(rng, v, d):
    return (*_two(f"确认{rng.choice(PROJECTS)}应付工程款", "153", "211", _yuan(rng, 5_000, 200_000, 1)), ACCOUNTANT, 3,
            _resolution(rng, v, d.year))


def _asset(rng, v, d):
    return *_two(f"购置{rng.choice(ASSETS)}", "151", "102001", _yuan(rng, 2_000, 60_000, 1)), ACCOUNTANT, 3, _resolution(rng, v, d.year)


def _operating(rng, v, d):
    return *_two("支付集体林场经营支出", "511", "102001", _yuan(rng, 500, 40_000, 0.01)), ACCOUNTANT, 2, ""


def _payroll(rng, v, d):
    cleaners, forest, cash = _yuan(rng, 2_000, 20_000, 10), _yuan(rng, 1_000, 8_000, 10), _yuan(rng, 100, 1_500, 10)
    return (f"发放{d.month}月保洁员及护林员工资", _l([("514", cleaners), ("513004", forest + cash)],
                                                   [("102001", cleaners + forest), ("101", cash)]), CASHIER, 2, "")


def _tax(rng, v, d):
    return *_two("缴纳房产税及附加", "512", "102001", _yuan(rng, 100, 6_000, 0.01)), ACCOUNTANT, 1, ""


MAKERS = [
    (14, _rent), (8, _shop), (4, _billed), (5, _collected), (3, _subsidy_earmarked), (3, _subsidy_general),
    (4, _subsidy_spent), (14, _office), (6, _allowance), (6, _travel), (12, _works), (6, _petty_cash),
    (2, _interest), (1, _loan), (1, _repay), (3, _payable_incurred), (3, _payable), (2, _asset), (4, _operating), (3, _payroll), (1, _tax),
]
_WEIGHTS = [w for w, _ in MAKERS]
# Contract fees come in around the new year: more rent in January and December.
_WEIGHTS_NEW_YEAR = [w * (3 if maker in (_rent, _billed) else 1) for w, maker in MAKERS]


def _days_in(month: str) -> int:
    return ((date(int(next_month(month)[:4]), int(next_month(month)[5:]), 1)) - date(int(month[:4]), int(month[5:]), 1)).days


def month_vouchers(rng: random.Random, village: Village, month: str, count: int, *, last_day: int | None = None) -> list[VoucherSpec]:
    """`count` vouchers of one village in one month, in date order."""
    year, mon = int(month[:4]), int(month[5:])
    days = last_day or _days_in(month)
    weights = _WEIGHTS_NEW_YEAR if mon in (1, 12) else _WEIGHTS
    out = []
    for maker in rng.choices([m for _, m in MAKERS], weights, k=count):
        day = date(year, mon, rng.randint(1, days))
        summary, lines, who, attachments, resolution = maker(rng, village, day)
        out.append(VoucherSpec(day, summary, lines, who, attachments, resolution))
    out.sort(key=lambda spec: spec.day)
    return out


def opening_voucher(rng: random.Random) -> VoucherSpec:
    """建账: opening balances on the first day of the 2024 books."""
    bank, cash, receivable, assets = (_yuan(rng, 50_000, 2_000_000, 0.01), _yuan(rng, 500, 5_000, 0.01),
                                      _yuan(rng, 5_000, 300_000, 0.01), _yuan(rng, 100_000, 5_000_000, 100))
    depreciation = assets // 6
    loan = min(_yuan(rng, 10_000, 300_000, 1_000), (bank + receivable + assets - depreciation) // 3)
    capital = (bank + cash + receivable + assets - depreciation - loan) // 2
    reserve = bank + cash + receivable + assets - depreciation - loan - capital
    return VoucherSpec(date(2024, 1, 1), "建账：期初余额",
                       _l([("102001", bank), ("101", cash), ("112001", receivable), ("151", assets)],
                          [("152", depreciation), ("221", loan), ("301", capital), ("311", reserve)]),
                       ACCOUNTANT, 1, "")


def depreciation_voucher(rng: random.Random, year: int) -> VoucherSpec:
    fen = _yuan(rng, 2_000, 80_000, 0.01)
    return VoucherSpec(date(year, 12, 20), "计提本年固定资产折旧", _l([("513004", fen)], [("152", fen)]), ACCOUNTANT, 1, "")


def recorded_at(rng: random.Random, day: date, *, lag_days: int = 3) -> datetime:
    """When the accountant typed it in: office hours, the same day or a few days later."""
    local = datetime(day.year, day.month, day.day, 8, 30, tzinfo=CHINA) + timedelta(
        days=rng.randint(0, lag_days), minutes=rng.randint(0, 9 * 60))
    return local.astimezone(UTC)


# -- writing a store ---------------------------------------------------------------


class Recorder:
    """Collects events and saves them `batch` at a time with `app.record` (one transaction each)."""

    def __init__(self, led: Ledger, batch: int = RECORD_EVENTS) -> None:
        self.led = led
        self.batch = batch
        self.pending: list[Event] = []
        self.head = led.app.head()  # log position of the last event, recorded or pending
        self.record_seconds = 0.0
        self.transactions = 0

    def add(self, events: list[Event]) -> None:
        self.pending += events
        self.head += len(events)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        started = time.perf_counter()
        position = self.led.app.record(self.pending)
        self.record_seconds += time.perf_counter() - started
        self.transactions += 1
        assert position == self.head, (position, self.head)  # positions are dense on a fresh store
        self.pending = []


def setup_county(led: Ledger, villages: list[Village]) -> dict[str, Collective]:
    """init, collectives, members and sub-accounts: one application command each."""
    setup.initialise(led, setup.Initialise())
    states = {}
    for v in villages:
        led.operator, led.collective_code = ACCOUNTANT, ""
        setup.register_collective(led, setup.RegisterCollective(
            code=v.code, name=v.name, township=v.township, county=v.county, start_period=FIRST_MONTH))
        led.collective_code = v.code
        setup.add_member(led, setup.AddMember(name=ACCOUNTANT, role="accountant"))
        setup.add_member(led, setup.AddMember(name=CASHIER, role="cashier"))
        for code, name in SUB_ACCOUNTS:
            setup.open_account(led, setup.OpenAccount(code=code, name=name))
        states[v.code] = led.collective(v.code)
    led.collective_code = ""
    return states


@dataclass
class Books:
    """What the loader threads through the months for one village."""

    collective: Collective
    period: periods.PeriodState | None = None
    previous: periods.PeriodState | None = None
    year_net: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # leaf account -> net debit this year
    income_net: int = 0  # net debit of 321 before closing


def post_spec(chart: Chart, books: Books, spec: VoucherSpec, now: datetime, *, kind: str = "ordinary") -> list[Event]:
    events = vouchers.post(
        books.collective, chart, books.period, day=spec.day, summary=spec.summary, lines=spec.lines,
        attachments=spec.attachments, resolution=spec.resolution, kind=kind,  # type: ignore[arg-type]
        operator=spec.operator, now=now, today=max(spec.day, now.astimezone(CHINA).date()),
    )
    books.period = periods.apply(books.period, events[0])
    for line in spec.lines:
        books.year_net[line.account] += line.amount_fen if line.side == "debit" else -line.amount_fen
    return events


def close_month(chart: Chart, books: Books, month: str, position: int, now: datetime) -> list[Event]:
    """Close `month` like `books.close_period`: in December post the year-end closing vouchers first."""
    state = books.collective
    events: list[Event] = []
    if month.endswith("-12"):
        pl = {code: net for code, net in books.year_net.items()
              if net and (acct := state.account(chart, code)) and acct.account_class == "profit_loss"}
        income = chart.current_year_income_account or ""
        income_net = books.income_net + sum(net for code, net in books.year_net.items() if code.startswith(income))
        day = date(int(month[:4]), 12, 31)
        for lines, summary in zip(closing.year_end_lines(state, chart, profit_loss_net_debit=pl, income_net_debit=income_net),
                                  (closing.CLOSE_INCOME_SUMMARY, closing.CLOSE_DISTRIBUTION_SUMMARY), strict=False):
            events += post_spec(chart, books, VoucherSpec(day, summary, lines, ACCOUNTANT, 0), now, kind="closing")
        books.year_net = defaultdict(int)
        books.income_net = 0
    closed = periods.close(books.period, books.previous, collective=state.code, month=month,
                           start_period=state.start_period, log_position=position,
                           operator=ACCOUNTANT, now=now)
    events.append(closed)
    books.previous, books.period = periods.apply(books.period, closed), None
    return events


def load_history(led: Ledger, villages: list[Village], states: dict[str, Collective], seed: int,
                 progress=None) -> dict[str, float]:
    """Every voucher and month close from 2024-01 to 2026-10, saved in big transactions."""
    rng = random.Random(seed + 1)
    chart = load_chart("2024")
    recorder = Recorder(led)
    books = {v.code: Books(states[v.code]) for v in villages}
    started = time.perf_counter()
    vouchers_written = 0
    for month in history_months():
        # The books of month M are closed early in month M+1, after its first vouchers
        # would be typed; closing them first keeps the loader simple and changes nothing.
        if month != FIRST_MONTH:
            before = previous_month(month)
            for v in villages:
                now = recorded_at(rng, date(int(month[:4]), int(month[5:]), 5), lag_days=5)
                recorder.add(close_month(chart, books[v.code], before, recorder.head, now))
        for v in villages:
            specs = month_vouchers(rng, v, month, v.month_counts[month])
            if month == FIRST_MONTH:
                specs.insert(0, opening_voucher(rng))
            if month.endswith("-12"):
                specs.append(depreciation_voucher(rng, int(month[:4])))
                specs.sort(key=lambda s: s.day)
            b = books[v.code]
            for spec in specs:
                recorder.add(post_spec(chart, b, spec, recorded_at(rng, spec.day)))
            vouchers_written += len(specs)
        if progress:
            progress(month, recorder.head)
    for v in villages:
        now = recorded_at(rng, date(2026, 11, 3))
        recorder.add(close_month(chart, books[v.code], LAST_CLOSED, recorder.head, now))
    recorder.flush()
    total = time.perf_counter() - started
    return {"load_seconds": total, "record_seconds": recorder.record_seconds, "decide_seconds": total - recorder.record_seconds,
            "transactions": recorder.transactions, "history_vouchers": vouchers_written}


def open_month_batch(led: Ledger, codes: list[str], count: int, *, seed: int, batch_vouchers: int) -> Iterator[list[Event]]:
    """`count` vouchers in the open month (2026-11) spread over `codes`, as event
    batches of `batch_vouchers` vouchers; periods are loaded from the store first
    (as a command would) and threaded in memory."""
    rng = random.Random(seed)
    chart = load_chart("2024")
    per = math.ceil(count / len(codes))
    today = min(led.today(), date(2026, 11, 30))
    specs: list[tuple[str, VoucherSpec]] = []
    for code in codes:
        v = Village(code, code, "", "", per * 12)
        specs += [(code, s) for s in month_vouchers(rng, v, OPEN_MONTH, per, last_day=max(1, today.day if today.month == 11 and today.year == 2026 else 30))]
    specs = specs[:count]
    rng.shuffle(specs)
    books: dict[str, Books] = {}
    batch: list[Event] = []
    for code, spec in specs:
        if code not in books:
            books[code] = Books(led.collective(code), period=led.app.load_last(period_id(code, OPEN_MONTH), periods.apply))
        batch += post_spec(chart, books[code], spec, led.now())
        if len(batch) >= 2 * batch_vouchers:
            yield batch
            batch = []
    if batch:
        yield batch


def checkpoint(path: str) -> None:
    """Fold the WAL into the file, so the store is one file that can be copied."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def store_path(events: int, seed: int = SEED) -> str:
    return os.path.join(CACHE_DIR, f"store-{events}-s{seed}-g{GENERATOR_VERSION}.db")


def build_store(events: int, seed: int = SEED, *, verbose: bool = True) -> dict:
    """Write a fresh store of about `events` events; return what it holds and how long it took."""
    os.makedirs(CACHE_DIR, exist_ok=True)
    path = store_path(events, seed)
    partial = path + ".partial"
    for stale in (partial, partial + "-wal", partial + "-shm"):
        if os.path.exists(stale):
            os.remove(stale)
    villages = plan_county(events, seed)

    def say(text: str) -> None:
        if verbose:
            print(text, file=sys.stderr, flush=True)

    say(f"[generate] {events:,} events: {len(villages)} villages in {len({v.township for v in villages})} townships "
        f"-> {path}")
    started = time.perf_counter()
    led = open_ledger(partial, operator=ACCOUNTANT, create=True)
    try:
        t0 = time.perf_counter()
        states = setup_county(led, villages)
        setup_seconds = time.perf_counter() - t0

        def progress(month: str, head: int) -> None:
            if month.endswith(("-06", "-12")):
                say(f"[generate]   {month}: {head:,} events ({time.perf_counter() - started:.0f} s)")

        stats = load_history(led, villages, states, seed, progress)
        t0 = time.perf_counter()
        led.catch_up()
        catch_up_seconds = time.perf_counter() - t0
        head = led.app.head()
        voucher_rows = led.views.query("SELECT COUNT(*) FROM v_vouchers")[0][0]
    finally:
        led.close()
    checkpoint(partial)
    os.replace(partial, path)
    meta = {
        "events": head, "target_events": events, "seed": seed, "generator": GENERATOR_VERSION,
        "villages": len(villages), "townships": len({v.township for v in villages}),
        "codes": [v.code for v in villages], "vouchers": voucher_rows,
        "max_month_vouchers": max(max(v.month_counts.values()) for v in villages),
        "setup_commands": 1 + len(villages) * (3 + len(SUB_ACCOUNTS)), "setup_seconds": setup_seconds,
        "catch_up_seconds": catch_up_seconds, "total_seconds": time.perf_counter() - started,
        "bytes": os.path.getsize(path), **stats,
    }
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    say(f"[generate]   done: {head:,} events, {voucher_rows:,} vouchers, {meta['bytes'] / 1e6:,.0f} MB, "
        f"{meta['total_seconds']:.0f} s")
    return meta


def views_version(path: str) -> str | None:
    with sqlite3.connect(path) as conn:
        try:
            row = conn.execute("SELECT value FROM v_meta WHERE key = 'views_version'").fetchone()
        except sqlite3.OperationalError:
            row = None
    conn.close()
    return row[0] if row else None


def upgrade_views(path: str, meta: dict, *, verbose: bool = True) -> None:
    """A cached store whose views are older than the code's: let the projector
    rebuild them once, here, rather than in every benchmark run."""
    from sanzi_ledger.projections import runner

    found = views_version(path)
    if found == runner.VIEWS_VERSION:
        return
    if verbose:
        print(f"[generate] {path}: views version {found} -> {runner.VIEWS_VERSION}, rebuilding the views once",
              file=sys.stderr, flush=True)
    started = time.perf_counter()
    led = open_ledger(path)
    try:
        led.catch_up()
    finally:
        led.close()
    checkpoint(path)
    meta["views_upgraded_seconds"] = time.perf_counter() - started
    meta["bytes"] = os.path.getsize(path)
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)


def ensure_store(events: int, seed: int = SEED, *, verbose: bool = True) -> tuple[str, dict]:
    """The cached store of `events` events, built if missing, its views as the code expects."""
    path = store_path(events, seed)
    if os.path.exists(path) and os.path.exists(path + ".json"):
        with open(path + ".json", encoding="utf-8") as f:
            meta = json.load(f)
        upgrade_views(path, meta, verbose=verbose)
        return path, meta
    return path, build_store(events, seed, verbose=verbose)


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        scale = 1
        if part.endswith("k"):
            part, scale = part[:-1], 1_000
        elif part.endswith("m"):
            part, scale = part[:-1], 1_000_000
        out.append(int(float(part) * scale))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10000,1000000", help="store sizes, e.g. 10k,1M (default %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    for events in parse_sizes(args.events):
        if args.force:
            for suffix in ("", ".json"):
                if os.path.exists(store_path(events, args.seed) + suffix):
                    os.remove(store_path(events, args.seed) + suffix)
        path, meta = ensure_store(events, args.seed)
        print(f"{path}: {meta['events']:,} events, {meta['vouchers']:,} vouchers, {meta['villages']} villages")


if __name__ == "__main__":
    main()
