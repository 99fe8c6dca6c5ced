"""The demo village: a fresh store with a year of realistic books.

东山村股份经济合作社 keeps its 2025 books: opening balances, land rent, a
building let to a shop, subsidies, office and public-works spending, a loan
repayment, a mistake corrected by 红字冲销, every month closed in order and the
year closed into 收益分配. Then the statements are printed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sanzi_ledger.cli.render import Output
from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands.ledger import CHINA, Ledger, open_ledger
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
                                                purpose="服务中心设备购置", payee="临安办公设备公司", account="151",
                                                resolution="东村决〔2025〕4号")),
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
    # The folder takes the published tables, keys, report and evidence on either store.
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".sanzi-demo").write_text("sanzi demo folder: `sanzi demo` may replace it\n", "utf-8")
    return store


class DemoClock:
    """The recorded time of the demo: each step is recorded on its business day
    (Beijing office hours), a minute after the step before, so the log reads as a
    year kept day by day (and `--as-of` has a history to travel through)."""

    def __init__(self) -> None:
        self.moment = datetime(2024, 12, 31, 9, 0, tzinfo=CHINA)

    def at(self, day: str, hour: int = 9) -> None:
        wanted = datetime.fromisoformat(day).replace(hour=hour, tzinfo=CHINA)
        self.moment = max(wanted, self.moment + timedelta(minutes=1))

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment.astimezone(UTC)


MONTHLY_BOARD, QUARTERLY_BOARD = "村委会公开栏", "村文化礼堂公开栏"
SUPERVISOR, AUDITOR, HEAD = "赵监委", "孙审计", "张书记"
# Entered late: a December payment typed in after New Year, the day before the books closed.
BACKDATED = ("2025-12-01", "2026-01-02", "补记：支付村道路灯维修材料款", {"514": "2,460.00"}, {"102": "2,460.00"})
# Cash drawn and paid out in cash above the limit (push to bank transfer): a finding.
CASH = [("2025-11-03", "从银行提取现金", {"101": "8,000.00"}, {"102": "8,000.00"}),
        ("2025-11-04", "现金支付村道绿化苗木款", {"514": "6,800.00"}, {"101": "6,800.00"})]
Step = tuple[str, int, str, Callable[[Ledger], object]]  # (day, hour, who, action)


def _timeline(folder: Path | None, keys: dict[str, str]) -> list[Step]:
    from sanzi_ledger.commands import registers as r

    handlers = {
        r.AddResource: r.add_resource, r.AddAsset: r.add_asset, r.AddDebt: r.add_debt, r.SignLease: r.sign_lease,
        r.CollectRent: r.collect_rent, r.SettleDebt: r.settle_debt, r.SignContract: r.sign_contract,
        r.SettleContract: r.settle_contract, r.ReceiveSubsidy: r.receive_subsidy, r.SpendSubsidy: r.spend_subsidy,
    }
    steps: list[Step] = []
    for row in [*VOUCHERS, DUPLICATE, *[(day, summary, dr, cr, CASHIER, 1, "") for day, summary, dr, cr in CASH]]:
        command = books.PostVoucher(day=date.fromisoformat(row[0]), summary=row[1], lines=_lines(row[2], row[3]),
                                    attachments=row[5], resolution=row[6])
        steps.append((row[0], 10, row[4], lambda led, c=command: books.post_voucher(led, c)))
    for day, who, command in _register_steps():
        steps.append((day, 11, who, lambda led, c=command: handlers[type(c)](led, c)))
    backdated = books.PostVoucher(day=date.fromisoformat(BACKDATED[0]), summary=BACKDATED[2],
                                  lines=_lines(BACKDATED[3], BACKDATED[4]), attachments=1)
    steps.append((BACKDATED[1], 16, ACCOUNTANT, lambda led: books.post_voucher(led, backdated)))
    steps.append(("2025-12-27", 15, ACCOUNTANT, _reverse_duplicate))
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    for month in months:  # each month closes on the 3rd of the next, its seal signed by the accountant
        steps.append((_day_after(month, 3), 8, ACCOUNTANT,
                      lambda led, m=month: books.close_period(led, books.ClosePeriod(month=m, key=keys.get(ACCOUNTANT, "")))))
    if folder is None:
        return steps
    steps.append(("2025-01-01", 8, ACCOUNTANT, lambda led: _boards(led)))
    # Drafted, reviewed and posted on the 5th (monthly) and the 6th (quarterly) of the next month.
    for board, period, month, day in [(MONTHLY_BOARD, m, m, 5) for m in months] + [
            (QUARTERLY_BOARD, f"2025-Q{q}", months[3 * q - 1], 6) for q in range(1, 5)]:
        steps.append((_day_after(month, day), 14, ACCOUNTANT,
                      lambda led, b=board, p=period: _disclose(led, b, p, folder / "disclosures", keys.get(ACCOUNTANT, ""))))
    return steps


def _day_after(month: str, day: int) -> str:
    from sanzi_ledger.periods import next_month

    return f"{next_month(month)}-{day:02d}"


def _reverse_duplicate(led: Ledger) -> None:
    duplicate = led.views.query(
        "SELECT MAX(number) FROM v_vouchers WHERE collective = ? AND summary = ?", (DEMO_CODE, DUPLICATE[1]))[0][0]
    books.reverse_voucher(led, books.ReverseVoucher(number=duplicate, reason="重复录入", day=date(2025, 12, 27)))


def _boards(led: Ledger) -> None:
    from sanzi_ledger.commands import disclosure as d

    d.add_board(led, d.AddBoard(name=MONTHLY_BOARD, location="东山村村委会大院东侧公开栏", cadence="monthly"))
    d.add_board(led, d.AddBoard(name=QUARTERLY_BOARD, location="东山村文化礼堂门口公开栏", cadence="quarterly",
                                channel="https://sanzi.example.cn/dongshan"))


def _disclose(led: Ledger, board: str, period: str, out: Path, key: str) -> str:
    """Drafted by the accountant, approved by the supervision committee, published."""
    from sanzi_ledger.commands import disclosure as d

    other = ("村集体经济发展奖补资金 50,000 元已全额入账，待村民代表会议讨论使用方案。",) if period == "2025-Q1" else ()
    number = d.draft(led, d.DraftDisclosure(board=board, period=period, other=other)).id
    led.operator = SUPERVISOR
    d.review(led, d.ReviewDisclosure(number=number, approved=True, opinion="经民主理财小组逐笔核对，收支真实、完整，同意公开。"))
    led.operator = ACCOUNTANT
    d.publish(led, d.PublishDisclosure(number=number, out=str(out), key=key))
    return number


def build_demo(db: str, folder: Path | None = None) -> None:
    """The demo village's year, recorded day by day. With `folder`: signing keys for the
    accountant and the auditor, every month and quarter published there, the public
    site, and the township's 离任 audit in January."""
    clock = DemoClock()
    led = open_ledger(db, operator=ACCOUNTANT, create=True)
    led.clock = clock.now
    try:
        setup.initialise(led, setup.Initialise())
        setup.register_collective(led, setup.RegisterCollective(
            code=DEMO_CODE, name="东山村股份经济合作社", township="东山镇", county="临安区", start_period="2025-01"))
        led.collective_code = DEMO_CODE
        for name, role in MEMBERS:
            setup.add_member(led, setup.AddMember(name=name, role=role))
        keys = _keys(led, folder) if folder is not None else {}
        for day, hour, who, action in sorted(_timeline(folder, keys), key=lambda step: (step[0], step[1])):
            clock.at(day, hour)
            led.operator = who
            action(led)
        if folder is not None:
            from sanzi_ledger.commands import disclosure as d

            led.operator = ACCOUNTANT
            d.build_site(led, str(folder / "site"))
            audit_year(led, clock, folder, keys)
    finally:
        led.close()


def _keys(led: Ledger, folder: Path) -> dict[str, str]:
    from sanzi_ledger.commands import seals

    (folder / "keys").mkdir(parents=True, exist_ok=True)
    keys = {}
    for who in (ACCOUNTANT, AUDITOR):
        led.operator, keys[who] = who, str(folder / "keys" / f"{who}.pem")
        seals.generate_key(led, seals.GenerateKey(out=keys[who]))
    return keys


# The township's 离任 audit: each finding cites the flag its rule raised about the record named.
FINDINGS = [
    ("R01", "ZL-2025-002:2025-10-01", "沿街商铺租金多次逾期，第四季度租金 2025-10-01 到期，审计时仍未收回，合同催收不力。"),
    ("R22", "记-2025-11-0002", "单笔现金支付 6,800 元，超过现金支付限额，应通过银行转账支付。"),
    ("R54", "记-2025-12-0008", "12 月支付路灯维修材料款，到次年 1 月才补记入账，入账不及时。"),
]
RECTIFICATIONS = {
    "R01": "第四季度租金 18,000 元已于 2026-01-25 收回；已与承租方约定逾期违约金，今后每季度初由出纳跟踪收租。",
    "R22": "已组织财务人员学习现金管理规定，今后 1,000 元以上支出一律银行转账。",
}


def audit_year(led: Ledger, clock: DemoClock, folder: Path, keys: dict[str, str]) -> str:
    """孙审计 audits 张书记's tenure from the flags; the village collects the late rent and
    rectifies; the audit closes, its report is written and the ledger sealed."""
    from sanzi_ledger.commands import audits, seals
    from sanzi_ledger.commands import registers as r
    from sanzi_ledger.rules import evaluate

    clock.at("2026-01-20", 9)
    flags = {(flag.rule, flag.subject): flag for flag in evaluate(led.views, DEMO_CODE, today=led.today())}
    led.operator = AUDITOR
    number = audits.open_audit(led, audits.OpenAudit(
        kind="离任", scope="张书记任期内财务收支及三资管理情况", period_from="2025-01", period_to="2025-12", person=HEAD)).id
    findings = {rule: audits.record_finding(led, audits.RecordFinding(audit=number, text=text, flag=flags[rule, subject].id)).id
                for rule, subject, text in FINDINGS if (rule, subject) in flags}  # a rule a township switched off raises nothing
    clock.at("2026-01-25", 10)
    led.operator = CASHIER
    r.collect_rent(led, r.CollectRent(number="ZL-2025-002", amount_fen=1_800_000, day=date(2026, 1, 25)))
    led.operator = ACCOUNTANT
    for rule, text in RECTIFICATIONS.items():
        if rule in findings:
            audits.rectify(led, audits.Rectify(finding=findings[rule], text=text))
    clock.at("2026-01-28", 15)
    led.operator = AUDITOR
    audits.close_audit(led, audits.CloseAudit(audit=number, conclusion=(
        "张书记任期内财务收支基本真实、完整，三资台账与账簿一致；存在租金催收不力、大额现金支付、补记入账等问题，"
        "租金已收回、现金管理已整改，补记入账问题下次审计时复查。")))
    audits.write_report(led, number, str(folder / "audit"))
    seals.take_seal(led, seals.TakeSeal(key=keys.get(AUDITOR, ""), note="东山镇农经站离任审计结束"))
    return number


def run_demo(db: str | None, out_dir: str | None, out: Output) -> None:
    from sanzi_ledger.cli import books as book_cmds
    from sanzi_ledger.cli import reports
    from sanzi_ledger.cli.main import GLOBALS

    store = _prepare(out_dir, db)
    folder = Path(out_dir or DEMO_DIR)
    build_demo(store, folder)
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
    _audit_summary(store, folder, out)


def _audit_summary(store: str, folder: Path, out: Output) -> None:
    """What the township takes away: the audit, the flags on the audit day, the evidence, the verification."""
    from sanzi_ledger.cli import audit_flags, audit_integrity, audit_work
    from sanzi_ledger.cli.main import GLOBALS
    from sanzi_ledger.commands.evidence import export_bundle

    led = open_ledger(store, operator=AUDITOR, collective=DEMO_CODE)
    try:
        published = [row[0] for row in led.views.query(
            "SELECT number FROM v_disclosures WHERE collective = ? AND status = 'published' ORDER BY number", (DEMO_CODE,))]
        audit = led.views.query("SELECT number FROM v_audits WHERE collective = ? ORDER BY number", (DEMO_CODE,))[0][0]
        bundle = export_bundle(led, str(folder / "evidence.zip"))
    finally:
        led.close()
    zh = out.lang == "zh"
    out.say(f"已公开 {len(published)} 期（{published[0]} 至 {published[-1]}）：{folder / 'disclosures'}；"
            f"公开网站：{folder / 'site' / 'index.html'}" if zh
            else f"{len(published)} disclosures published to {folder / 'disclosures'}; site: {folder / 'site' / 'index.html'}")
    GLOBALS.operator = AUDITOR
    audit_flags.audit_flags(period="", severity="", rule_id="", day="2026-01-20")
    audit_work.audit_show(audit)
    audit_integrity.audit_verify(seal=None)
    out.say(f"审计报告：{folder / 'audit'}；证据包：{bundle.path}（解压后运行 python3 verify.py 即可核验）" if zh
            else f"audit report: {folder / 'audit'}; evidence bundle: {bundle.path} (unzip and run python3 verify.py)")
    out.say(f"试试：SANZI_DB={store} sanzi disclose status；SANZI_DB={store} sanzi audit history ZL-2025-002" if zh
            else f"try: SANZI_DB={store} sanzi disclose status; SANZI_DB={store} sanzi audit history ZL-2025-002")
