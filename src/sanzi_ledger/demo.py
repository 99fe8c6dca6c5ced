"""The demo village: a fresh store with a year of realistic books.

东山村股份经济合作社 keeps its 2025 books: opening balances, land rent, a
building let to a shop, subsidies, office and public-works spending, a loan
repayment, a mistake corrected by 红字冲销, every month closed in order and the
year closed into 收益分配. Then the statements are printed.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from sanzi_ledger.cli.render import Output
from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal

DEMO_CODE = "330185101201"
DEMO_DIR = "sanzi-demo"
ACCOUNTANT, CASHIER = "李会计", "王出纳"
MEMBERS = [(ACCOUNTANT, "accountant"), (CASHIER, "cashier"), ("张书记", "head"), ("赵监委", "supervisor"), ("孙审计", "auditor")]

# (date, summary, debits, credits, who, attachments, resolution); amounts in yuan.
# Vouchers the accountant types; the registers below post the rest themselves.
VOUCHERS: list[tuple[str, str, dict[str, str], dict[str, str], str, int, str]] = [
    ("2025-01-01", "建账：期初余额", {"102": "326,480.00", "101": "2,150.00", "112": "86,000.00", "151": "1,260,000.00"},
     {"152": "214,300.00", "221": "150,000.00", "301": "1,000,000.00", "311": "310,330.00"}, ACCOUNTANT, 1, ""),
    ("2025-01-15", "支付村务办公用品及打印费", {"513": "1,286.50"}, {"101": "1,286.50"}, CASHIER, 3, ""),
    ("2025-02-18", "支付村道路灯电费", {"514": "2,318.40"}, {"102": "2,318.40"}, CASHIER, 2, ""),
    ("2025-03-20", "从银行提取备用金", {"101": "3,000.00"}, {"102": "3,000.00"}, CASHIER, 1, ""),
    ("2025-04-15", "支付村务办公用品费", {"513": "865.00"}, {"101": "865.00"}, CASHIER, 2, ""),
    ("2025-05-16", "支付河道保洁费", {"514": "4,500.00"}, {"102": "4,500.00"}, CASHIER, 2, ""),
    ("2025-06-30", "党群服务中心改造完工转入固定资产", {"151": "82,600.00"}, {"153": "82,600.00"}, ACCOUNTANT, 2, "东村决〔2025〕2号"),
    ("2025-07-10", "支付防汛物资采购款", {"514": "3,960.00"}, {"102": "3,960.00"}, CASHIER, 2, ""),
    ("2025-08-12", "收到村股份经济合作社存款利息", {"102": "1,842.36"}, {"504": "1,842.36"}, CASHIER, 1, ""),
    ("2025-09-15", "支付村务办公用品费", {"513": "1,120.00"}, {"101": "1,120.00"}, CASHIER, 2, ""),
    ("2025-10-20", "支付信用社借款利息", {"515": "3,150.00"}, {"102": "3,150.00"}, ACCOUNTANT, 1, ""),
    ("2025-11-18", "支付冬季村道维修费", {"514": "8,760.00"}, {"102": "8,760.00"}, CASHIER, 3, ""),
    ("2025-12-20", "计提本年固定资产折旧", {"513": "38,400.00"}, {"152": "38,400.00"}, ACCOUNTANT, 1, ""),
    ("2025-12-26", "支付村务办公用品费", {"513": "1,086.00"}, {"102": "1,086.00"}, CASHIER, 2, ""),
] + [
    (f"2025-{m:02d}-25", f"支付村干部误工补贴（{m}月）", {"513": "6,400.00"}, {"102": "6,400.00"}, CASHIER, 1, "")
    for m in range(1, 13)
]
# A real mistake: a payment entered twice, then reversed (红字冲销).
DUPLICATE = ("2025-12-26", "支付村务办公用品费", {"513": "1,086.00"}, {"102": "1,086.00"}, CASHIER, 2, "")

COOP, SHOP, BUILDER = "东山农业专业合作社", "李记超市（李建国）", "临安建工有限公司"
SHOP_ID, BUILDER_ID = "33018519820315001X", "91330185MA2H00001U"
TALENT = "王晓明（大学生村官）"


def _register_steps() -> list[tuple[str, str, object]]:
    """(date, who, command) for the registers: each posts its own voucher."""
    from sanzi_ledger.commands import registers as r
    from sanzi_ledger.domain.schedules import Instalment

    d = date.fromisoformat
    steps: list[tuple[str, str, object]] = [
        # Resources and assets already in the books at 建账 (no posting).
        ("2025-01-01", ACCOUNTANT, r.AddResource(number="ZY-001", name="村东耕地", type="耕地", area_cmu=32_000, location="东山村一组、二组")),
        ("2025-01-01", ACCOUNTANT, r.AddResource(number="ZY-002", name="后山林地", type="林地", area_cmu=85_000, location="后山")),
        ("2025-01-01", ACCOUNTANT, r.AddResource(number="ZY-003", name="村西鱼塘", type="水面", area_cmu=2_500, location="村西")),
        ("2025-01-01", ACCOUNTANT, r.AddAsset(number="ZC-001", name="沿街商铺", category="房屋建筑物", value_fen=68_000_000,
                                            acquired=d("2012-05-01"), location="东山村主街 8 号", via=None)),
        ("2025-01-01", ACCOUNTANT, r.AddAsset(number="ZC-002", name="村委办公楼", category="房屋建筑物", value_fen=58_000_000,
                                            acquired=d("2008-09-01"), location="东山村委会大院", via=None)),
        # Old debts already in the opening balances (清化收 registration, no posting).
        ("2025-01-01", ACCOUNTANT, r.AddDebt(number="ZQ-2021-01", direction="receivable", party="张某", amount_fen=1_200_000,
                                           day=d("2021-04-10"), origin="2021 年借支未还", via=None)),
        ("2025-01-01", ACCOUNTANT, r.AddDebt(number="ZQ-2019-02", direction="receivable", party="东山竹木加工厂",
                                           amount_fen=7_400_000, day=d("2019-06-20"), origin="2019 年场地租金欠款", via=None)),
        ("2025-01-01", ACCOUNTANT, r.AddDebt(number="ZW-2022-01", direction="payable", party="临安农村信用社", amount_fen=15_000_000,
                                           day=d("2022-10-20"), due=d("2027-10-20"), account="221", origin="村道建设借款", via=None)),
        # Land let to the cooperative, the shop let by the quarter.
        ("2025-01-01", ACCOUNTANT, r.SignLease(number="ZL-2025-001", item="ZY-001", area_cmu=30_000, lessee=COOP, rent_fen=4_860_000,
                                             per="year", start=d("2025-01-01"), end=d("2027-12-31"), method="竞价",
                                             resolution="东村决〔2024〕7号", signed_on=d("2024-12-20"))),
        ("2025-01-01", ACCOUNTANT, r.SignLease(number="ZL-2025-002", item="ZC-001", lessee=SHOP, lessee_id=SHOP_ID,
                                             rent_fen=1_800_000, per="quarter", start=d("2025-01-01"), end=d("2029-12-31"),
                                             method="公开招标", resolution="东村决〔2024〕9号", signed_on=d("2024-12-28"))),
        ("2025-01-06", CASHIER, r.CollectRent(number="ZL-2025-001", amount_fen=4_860_000, day=d("2025-01-06"))),
        # The shop pays every quarter's rent two months late.
        ("2025-03-05", CASHIER, r.CollectRent(number="ZL-2025-002", amount_fen=1_800_000, day=d("2025-03-05"))),
        ("2025-06-05", CASHIER, r.CollectRent(number="ZL-2025-002", amount_fen=1_800_000, day=d("2025-06-05"))),
        ("2025-09-05", CASHIER, r.CollectRent(number="ZL-2025-002", amount_fen=1_800_000, day=d("2025-09-05"))),
        # Old receivable collected; old loan partly repaid.
        ("2025-03-12", CASHIER, r.SettleDebt(number="ZQ-2021-01", amount_fen=1_200_000, day=d("2025-03-12"))),
        ("2025-10-20", ACCOUNTANT, r.SettleDebt(number="ZW-2022-01", amount_fen=5_000_000, day=d("2025-10-20"))),
        # The service-centre upgrade: an engineering contract paid in two instalments.
        ("2025-04-01", ACCOUNTANT, r.SignContract(
            number="HT-2025-001", kind="工程", party=BUILDER, party_id=BUILDER_ID, amount_fen=8_260_000,
            start=d("2025-04-01"), end=d("2025-06-30"),
            schedule=(Instalment(due=d("2025-04-08"), amount_fen=3_000_000), Instalment(due=d("2025-06-18"), amount_fen=5_260_000)),
            subject="党群服务中心改造工程", method="公开招标", resolution="东村决〔2025〕2号", signed_on=d("2025-04-01"))),
        ("2025-04-08", ACCOUNTANT, r.SettleContract(number="HT-2025-001", direction="expense", amount_fen=3_000_000, day=d("2025-04-08"))),
        ("2025-06-18", ACCOUNTANT, r.SettleContract(number="HT-2025-001", direction="expense", amount_fen=5_260_000, day=d("2025-06-18"))),
        # Subsidies: the collective-economy award, running costs, the upgrade grant (earmarked).
        ("2025-02-10", CASHIER, r.ReceiveSubsidy(number="BZ-2025-001", program="村集体经济发展奖补", source="县",
                                               amount_fen=5_000_000, day=d("2025-02-10"))),
        ("2025-05-09", CASHIER, r.ReceiveSubsidy(number="BZ-2025-002", program="村级组织运转经费", source="县",
                                               amount_fen=4_000_000, day=d("2025-05-09"))),
        ("2025-05-20", CASHIER, r.ReceiveSubsidy(number="BZ-2025-003", program="党群服务中心提升补助", source="市",
                                               amount_fen=6_000_000, day=d("2025-05-20"), earmarked=True,
                                               purposes=("服务中心设备购置", "服务中心装修"))),
        ("2025-07-15", ACCOUNTANT, r.SpendSubsidy(number="BZ-2025-003", amount_fen=3_680_000, day=d("2025-07-15"),
                                                purpose="服务中心设备购置", payee="临安办公设备公司", account="151")),
        # Assets whose vouchers were posted by the transfer above and by the grant: register only.
        ("2025-06-30", ACCOUNTANT, r.AddAsset(number="ZC-003", name="党群服务中心改造工程", category="房屋建筑物",
                                            value_fen=8_260_000, acquired=d("2025-06-30"), location="东山村委会大院", via=None)),
        ("2025-07-15", ACCOUNTANT, r.AddAsset(number="ZC-004", name="服务中心办公设备", category="机器设备",
                                            value_fen=3_680_000, acquired=d("2025-07-15"), location="党群服务中心", via=None)),
    ]
    for month in range(1, 13):  # the talent allowance: 1,000 a month in, 1,000 a month out
        steps.append((f"2025-{month:02d}-10", CASHIER, r.ReceiveSubsidy(
            number="BZ-2025-004", program="村级人才补贴", source="县", amount_fen=100_000, day=d(f"2025-{month:02d}-10"))))
        steps.append((f"2025-{month:02d}-12", CASHIER, r.SpendSubsidy(
            number="BZ-2025-004", amount_fen=100_000, day=d(f"2025-{month:02d}-12"), purpose="人才补贴发放",
            payee=TALENT, account="513")))
    return steps


def _lines(debits: dict[str, str], credits: dict[str, str]) -> list[Line]:
    from sanzi_ledger.money import parse_yuan

    return [Line(account=a, side="debit", amount_fen=parse_yuan(v)) for a, v in debits.items()] + [
        Line(account=a, side="credit", amount_fen=parse_yuan(v)) for a, v in credits.items()
    ]


def _prepare(out_dir: str | None, db: str | None) -> str:
    """The demo writes into its own folder; a previous demo there is replaced,
    anything else is refused rather than overwritten."""
    folder = Path(out_dir or DEMO_DIR)
    store = db or str(folder / "demo.db")
    if os.path.exists(store):
        marker = folder / ".sanzi-demo"
        if not marker.exists() or store != str(folder / "demo.db"):
            raise Refusal("demo.store_exists", field="db", value=store)
        shutil.rmtree(folder)
    if not store.startswith(("postgresql://", "postgres://")):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".sanzi-demo").write_text("sanzi demo folder: `sanzi demo` may replace it\n", "utf-8")
    return store


def build_demo(db: str) -> None:
    from sanzi_ledger.commands import registers as r

    handlers = {
        r.AddResource: r.add_resource, r.AddAsset: r.add_asset, r.AddDebt: r.add_debt, r.SignLease: r.sign_lease,
        r.CollectRent: r.collect_rent, r.SettleDebt: r.settle_debt, r.SignContract: r.sign_contract,
        r.SettleContract: r.settle_contract, r.ReceiveSubsidy: r.receive_subsidy, r.SpendSubsidy: r.spend_subsidy,
    }
    led = open_ledger(db, operator=ACCOUNTANT, create=True)
    try:
        setup.initialise(led, setup.Initialise())
        setup.register_collective(led, setup.RegisterCollective(
            code=DEMO_CODE, name="东山村股份经济合作社", township="东山镇", county="临安区", start_period="2025-01"))
        led.collective_code = DEMO_CODE
        for name, role in MEMBERS:
            setup.add_member(led, setup.AddMember(name=name, role=role))
        timeline: list[tuple[str, str, object]] = [
            (row[0], row[4], books.PostVoucher(day=date.fromisoformat(row[0]), summary=row[1], lines=_lines(row[2], row[3]),
                                               attachments=row[5], resolution=row[6]))
            for row in [*VOUCHERS, DUPLICATE]
        ] + _register_steps()
        closed: list[str] = []
        for day, who, command in sorted(timeline, key=lambda step: step[0]):
            month = day[:7]
            while (nxt := _next_to_close(closed)) < month:  # months close in order, as they end
                led.operator = ACCOUNTANT
                books.close_period(led, books.ClosePeriod(month=nxt))
                closed.append(nxt)
            led.operator = who
            if isinstance(command, books.PostVoucher):
                books.post_voucher(led, command)
            else:
                handlers[type(command)](led, command)
        led.operator = ACCOUNTANT
        duplicate = led.views.query(
            "SELECT MAX(number) FROM v_vouchers WHERE collective = ? AND summary = ?", (DEMO_CODE, DUPLICATE[1]))[0][0]
        books.reverse_voucher(led, books.ReverseVoucher(number=duplicate, reason="重复录入", day=date(2025, 12, 27)))
        for month in [f"2025-{m:02d}" for m in range(1, 13)]:
            if month not in closed:
                books.close_period(led, books.ClosePeriod(month=month))
        # The shop's fourth-quarter rent (due 1 October) arrives after the year is closed.
        led.operator = CASHIER
        r.collect_rent(led, r.CollectRent(number="ZL-2025-002", amount_fen=1_800_000, day=date(2026, 1, 8)))
    finally:
        led.close()


MONTHLY_BOARD, QUARTERLY_BOARD = "村委会公开栏", "村文化礼堂公开栏"
SUPERVISOR = "赵监委"


def publish_year(db: str, folder: Path) -> list[str]:
    """Every month on the village board and every quarter on the hall's board:
    drafted by the accountant, approved by the supervision committee, published."""
    from sanzi_ledger.commands import disclosure as d

    led = open_ledger(db, operator=ACCOUNTANT, collective=DEMO_CODE)
    published = []
    try:
        d.add_board(led, d.AddBoard(name=MONTHLY_BOARD, location="东山村村委会大院东侧公开栏", cadence="monthly"))
        d.add_board(led, d.AddBoard(name=QUARTERLY_BOARD, location="东山村文化礼堂门口公开栏", cadence="quarterly",
                                    channel="https://sanzi.example.cn/dongshan"))
        periods = [(MONTHLY_BOARD, f"2025-{m:02d}") for m in range(1, 13)] + [(QUARTERLY_BOARD, f"2025-Q{q}") for q in range(1, 5)]
        for board, period in periods:
            led.operator = ACCOUNTANT
            other = ("村集体经济发展奖补资金 50,000 元已全额入账，待村民代表会议讨论使用方案。",) if period == "2025-Q1" else ()
            number = d.draft(led, d.DraftDisclosure(board=board, period=period, other=other)).id
            led.operator = SUPERVISOR
            d.review(led, d.ReviewDisclosure(number=number, approved=True, opinion="经民主理财小组逐笔核对，收支真实、完整，同意公开。"))
            led.operator = ACCOUNTANT
            d.publish(led, d.PublishDisclosure(number=number, out=str(folder / "disclosures")))
            published.append(number)
        d.build_site(led, str(folder / "site"))
    finally:
        led.close()
    return published


def _next_to_close(closed: list[str]) -> str:
    from sanzi_ledger.periods import next_month

    return next_month(closed[-1]) if closed else "2025-01"


def run_demo(db: str | None, out_dir: str | None, out: Output) -> None:
    from sanzi_ledger.cli import books as book_cmds
    from sanzi_ledger.cli import reports
    from sanzi_ledger.cli.main import GLOBALS

    store = _prepare(out_dir, db)
    build_demo(store)
    folder = Path(out_dir or DEMO_DIR)
    published = publish_year(store, folder)
    GLOBALS.db, GLOBALS.collective, GLOBALS.operator = store, DEMO_CODE, ACCOUNTANT
    if not out.json:
        out.say(f"演示账套：{store}（东山村股份经济合作社，2025 年全年，12 个月均已结账）" if out.lang == "zh"
                else f"demo store: {store} (a village's 2025 books, all 12 months closed)")
        book_cmds.period_status()
    reports.report_trial_balance(period="2025", detail=False)
    if out.json:
        return
    from sanzi_ledger.cli import registers

    reports.report_balance_sheet(date="2025-12-31")
    reports.report_income(period="2025")
    reports.report_ledger(account="102", period="2025-Q4")
    registers.lease_list(status=None, expiring_within=None, as_of="2025-12-31")
    registers.resource_list(as_of="2025-12-31")
    registers.contract_list(status=None, due_within=None, as_of="2025-12-31")
    registers.debt_aging(day="2025-12-31")
    registers.subsidy_list()
    out.say(f"已公开 {len(published)} 期（{published[0]} 至 {published[-1]}）：{folder / 'disclosures'}；"
            f"公开网站：{folder / 'site' / 'index.html'}" if out.lang == "zh"
            else f"{len(published)} disclosures published to {folder / 'disclosures'}; site: {folder / 'site' / 'index.html'}")
    out.say(f"试试：SANZI_DB={store} sanzi disclose status" if out.lang == "zh"
            else f"try: SANZI_DB={store} sanzi disclose status")
