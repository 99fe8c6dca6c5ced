"""A year of every register family, through the command handlers, on SQLite.

Prints events/s for one wealthy village (domain.md §6: 10,000 vouchers a
year, 100 contracts, 500 assets and resources) and for a township of 30
typical villages (1,000 vouchers, 30 contracts, 100 assets and resources
each). Every command is one transaction with its postings and a view
catch-up, as when an accountant types it. Not a test: it prints figures.

    python benchmarks/village_year.py            # both sizes
    python benchmarks/village_year.py --quick    # a tenth of each
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sanzi_ledger.commands import books, setup
from sanzi_ledger.commands import registers as r
from sanzi_ledger.commands.ledger import Ledger, open_ledger
from sanzi_ledger.domain.vouchers import Line

ACCOUNTANT, CASHIER = "李会计", "王出纳"
EXPENSES = ["513", "514", "515", "511"]


@dataclass(frozen=True)
class Size:
    vouchers: int  # typed by the accountant (the registers post more)
    contracts: int
    resources: int
    assets: int
    leases: int
    debts: int
    subsidies: int


WEALTHY = Size(vouchers=10_000, contracts=100, resources=250, assets=250, leases=80, debts=50, subsidies=12)
TYPICAL = Size(vouchers=1_000, contracts=30, resources=50, assets=50, leases=20, debts=15, subsidies=6)


def day_of(rng: random.Random, month: int) -> date:
    return date(2025, month, rng.randint(1, 28))


def village_year(led: Ledger, code: str, size: Size, rng: random.Random) -> int:
    """Record one village's year; returns the number of commands run."""
    setup.register_collective(led, setup.RegisterCollective(code=code, name=f"{code}村", township="东山镇", county="临安区",
                                                            start_period="2025-01"))
    led.collective_code = code
    setup.add_member(led, setup.AddMember(name=ACCOUNTANT, role="accountant"))
    setup.add_member(led, setup.AddMember(name=CASHIER, role="cashier"))
    commands = 3
    led.operator = ACCOUNTANT
    books.post_voucher(led, books.PostVoucher(day=date(2025, 1, 1), summary="期初余额", lines=[
        Line(account="102", side="debit", amount_fen=500_000_000), Line(account="301", side="credit", amount_fen=500_000_000)]))
    for i in range(size.resources):
        r.add_resource(led, r.AddResource(number=f"ZY-{i:04d}", name=f"地块{i}", type=rng.choice(["耕地", "林地", "水面", "园地"]),
                                          area_cmu=rng.randint(10, 500) * 100))
    for i in range(size.assets):
        r.add_asset(led, r.AddAsset(number=f"ZC-{i:04d}", name=f"资产{i}", category="房屋建筑物",
                                    value_fen=rng.randint(10_000, 500_000) * 100, acquired=date(2020, 1, 1), via=None))
    commands += size.resources + size.assets
    # The postings of every month go in date order, month by month, closing as they end.
    events_by_month: dict[int, list] = {m: [] for m in range(1, 13)}
    for i in range(min(size.leases, size.resources, size.assets)):
        item = f"ZY-{i:04d}" if i % 2 else f"ZC-{i:04d}"
        number = f"ZL-{i:04d}"
        r.sign_lease(led, r.SignLease(number=number, item=item, lessee=f"承租人{i}", rent_fen=rng.randint(1_000, 50_000) * 100,
                                      per="quarter", start=date(2025, 1, 1), end=date(2027, 12, 31), signed_on=date(2024, 12, 20)))
        for quarter_month in (1, 4, 7, 10):
            events_by_month[quarter_month].append(("rent", number))
    for i in range(size.contracts):
        number = f"HT-{i:04d}"
        amount = rng.randint(1_000, 80_000) * 100
        r.sign_contract(led, r.SignContract(number=number, kind="服务", party=f"服务商{i}", amount_fen=amount,
                                            start=date(2025, 1, 1), end=date(2025, 12, 31), signed_on=date(2024, 12, 28)))
        events_by_month[rng.randint(1, 12)].append(("pay", number, amount))
    for i in range(size.debts):
        number = f"ZQ-{i:04d}"
        amount = rng.randint(1_000, 30_000) * 100
        r.add_debt(led, r.AddDebt(number=number, direction="receivable", party=f"欠款人{i}", amount_fen=amount,
                                  day=date(2025, 1, 2), via="bank"))
        events_by_month[rng.randint(2, 12)].append(("settle", number, amount // 2))
    for i in range(size.subsidies):
        for month in range(1, 13):
            events_by_month[month].append(("subsidy", f"BZ-{i:03d}", i % 2 == 0))
    per_month = size.vouchers // 12
    commands += size.leases + size.contracts + size.debts
    for month in range(1, 13):
        for _ in range(per_month):
            events_by_month[month].append(("voucher",))
        rng.shuffle(events_by_month[month])
        for item in events_by_month[month]:
            day = day_of(rng, month)
            kind = item[0]
            led.operator = CASHIER
            if kind == "voucher":
                fen = rng.randint(100, 2_000_000)
                books.post_voucher(led, books.PostVoucher(day=day, summary="日常支出", lines=[
                    Line(account=rng.choice(EXPENSES), side="debit", amount_fen=fen),
                    Line(account="102", side="credit", amount_fen=fen)]))
            elif kind == "rent":
                rent = led.views.query("SELECT rent_fen FROM v_leases WHERE collective = ? AND number = ?", (code, item[1]))[0][0]
                r.collect_rent(led, r.CollectRent(number=item[1], amount_fen=int(rent), day=day))
            elif kind == "pay":
                r.settle_contract(led, r.SettleContract(number=item[1], direction="expense", amount_fen=item[2], day=day))
            elif kind == "settle":
                r.settle_debt(led, r.SettleDebt(number=item[1], amount_fen=item[2], day=day))
            else:
                number, earmarked = item[1], item[2]
                r.receive_subsidy(led, r.ReceiveSubsidy(number=number, program=f"补助项目{number}", source="县",
                                                        amount_fen=100_000, day=day, earmarked=earmarked,
                                                        purposes=("项目建设",) if earmarked else ()))
                r.spend_subsidy(led, r.SpendSubsidy(number=number, amount_fen=50_000, day=day,
                                                    purpose="项目建设", payee="施工方"))
                commands += 1
            commands += 1
        led.operator = ACCOUNTANT
        books.close_period(led, books.ClosePeriod(month=f"2025-{month:02d}"))
        commands += 1
    return commands


def run(label: str, villages: int, size: Size, folder: Path) -> None:
    db = str(folder / f"{label}.db")
    led = open_ledger(db, operator=ACCOUNTANT, create=True)
    setup.initialise(led, setup.Initialise())
    rng = random.Random(20251231)
    started = time.perf_counter()
    commands = sum(village_year(led, f"3301851{v:05d}", size, rng) for v in range(villages))
    seconds = time.perf_counter() - started
    events = led.app.head()
    rebuild_started = time.perf_counter()
    led.projector.rebuild()
    rebuild_seconds = time.perf_counter() - rebuild_started
    led.close()
    print(f"{label:<28} {villages:>3} villages {commands:>8,} commands {events:>9,} events "
          f"{seconds:>7.1f} s  {events / seconds:>7,.0f} events/s  {seconds / commands * 1000:>5.1f} ms/command  "
          f"rebuild {events / rebuild_seconds:>8,.0f} events/s")


def scaled(size: Size, factor: int) -> Size:
    return Size(*(max(1, value // factor) for value in vars(size).values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of each size")
    parser.add_argument("--villages", type=int, default=30, help="villages in the township run")
    args = parser.parse_args()
    factor = 10 if args.quick else 1
    with tempfile.TemporaryDirectory() as folder:
        run("wealthy village, one year", 1, scaled(WEALTHY, factor), Path(folder))
        run("township, one year", args.villages // factor or 1, scaled(TYPICAL, 1), Path(folder))


if __name__ == "__main__":
    main()
