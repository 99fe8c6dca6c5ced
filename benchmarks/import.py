"""Import rate: 100,000 vouchers from CSV and from XLSX, end to end on SQLite.

End to end means what `sanzi import FILE --kind vouchers` does: read and
normalise every cell, decide every voucher with the ledger's own rules
(`vouchers.post`: accounts, balance, dates, period numbering), write events,
hash-chain links, views and the tracked position in one transaction. The
figures are vouchers per second over the whole call (wall clock, and CPU time
of this process, which a busy machine does not inflate); the file is
generated first (not timed), 2.3 lines per voucher over twelve months.

    python benchmarks/import.py                  # 100,000 vouchers, CSV and XLSX
    python benchmarks/import.py --vouchers 20000 --formats csv
    python benchmarks/import.py --profile        # cProfile of the CSV run, top 25

Target (issue 6): at least 20,000 vouchers/s on SQLite.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from yardstick import yardstick_ms

from sanzi_ledger.commands import setup
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.io.importing import run_import

CODE = "330100001"
ACCOUNTANT = "李会计"
HEADER = ["日期", "凭证号", "摘要", "科目编码", "借方金额", "贷方金额", "附件张数", "审批文号"]
# (summary, debit accounts, credit accounts): common village vouchers.
SHAPES = [
    ("收到土地承包费", ["102"], ["501"]),
    ("支付村干部误工补贴", ["513"], ["102"]),
    ("收到上级补助资金", ["102"], ["503"]),
    ("支付道路维修费", ["514"], ["102", "101"]),
    ("提取备用金", ["101"], ["102"]),
    ("支付办公用品费", ["513", "513"], ["101"]),
]


def rows(vouchers: int, year: int = 2025, seed: int = 5):
    """Lines of `vouchers` vouchers spread over the twelve months of `year`, in date order."""
    rng = random.Random(seed)
    per_month = vouchers // 12 + 1
    made = 0
    for month in range(1, 13):
        first = date(year, month, 1)
        days = ((first.replace(month=month + 1) if month < 12 else date(year + 1, 1, 1)) - first).days
        for seq in range(1, per_month + 1):
            if made == vouchers:
                return
            made += 1
            day = first + timedelta(days=min(days - 1, (seq - 1) * days // per_month))
            summary, debits, credits = rng.choice(SHAPES)
            amounts = [rng.randint(100, 5_000_000) for _ in debits]
            total = sum(amounts)
            credit_amounts = [total] if len(credits) == 1 else [total - total // 3, total // 3]
            for account, fen in zip(debits, amounts, strict=True):
                yield [day, str(seq), summary, account, fen, None, 1, ""]
            for account, fen in zip(credits, credit_amounts, strict=True):
                yield [day, str(seq), summary, account, None, fen, None, ""]


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{fen // 100:,}.{fen % 100:02d}"


def write_csv(path: str, vouchers: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(HEADER)
        for day, number, summary, account, debit, credit, attachments, resolution in rows(vouchers):
            out.writerow([day.isoformat(), number, summary, account, _yuan(debit), _yuan(credit),
                          "" if attachments is None else attachments, resolution])


def write_xlsx(path: str, vouchers: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("凭证")
    sheet.append(HEADER)
    for day, number, summary, account, debit, credit, attachments, resolution in rows(vouchers):
        # Dates as date cells, amounts as numbers: what Excel keeps.
        sheet.append([day, number, summary, account, None if debit is None else debit / 100,
                      None if credit is None else credit / 100, attachments, resolution or None])
    book.save(path)


def fresh_store(folder: str) -> str:
    db = os.path.join(folder, "import.db")
    led = open_ledger(db, operator=ACCOUNTANT, create=True)
    setup.initialise(led, setup.Initialise())
    setup.register_collective(led, setup.RegisterCollective(
        code=CODE, name="东山村股份经济合作社", township="东山镇", county="临安区", start_period="2025-01"))
    led.collective_code = CODE
    setup.add_member(led, setup.AddMember(name=ACCOUNTANT, role="accountant"))
    led.close()
    return db


def measure(folder: str, path: str, vouchers: int, *, profile: bool = False) -> dict:
    db = fresh_store(folder)
    led = open_ledger(db, operator=ACCOUNTANT, collective=CODE)
    profiler = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = run_import(led, path, "vouchers")
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert result.ok and result.imported == vouchers, result.as_json()
    t1 = time.perf_counter()
    again = run_import(led, path, "vouchers")
    again_s = time.perf_counter() - t1
    assert again.imported == 0 and again.already_present == vouchers
    tb = led.views.query("SELECT SUM(debit_fen), SUM(credit_fen) FROM v_account_month WHERE collective = ?", (CODE,))[0]
    assert tb[0] == tb[1], "the imported books must balance"
    led.close()
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    return {"vouchers": vouchers, "lines": result.rows, "seconds": round(elapsed, 2),
            "vouchers_per_s": round(vouchers / elapsed), "cpu_s": round(cpu, 2),
            "vouchers_per_cpu_s": round(vouchers / cpu), "file_mb": round(os.path.getsize(path) / 2**20, 1),
            "reimport_s": round(again_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vouchers", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="sanzi-import-")
    figures: dict = {"yardstick_ms": yardstick_ms()}
    print(f"yardstick {figures['yardstick_ms']} ms (benchmarks/yardstick.py); load {os.getloadavg()[0]:.2f}")
    try:
        for fmt in args.formats.split(","):
            path = os.path.join(folder, f"vouchers.{fmt}")
            (write_csv if fmt == "csv" else write_xlsx)(path, args.vouchers)
            figures[fmt] = measure(folder, path, args.vouchers, profile=args.profile and fmt == "csv")
            f = figures[fmt]
            print(f"{fmt:5} {f['vouchers']:,} vouchers ({f['lines']:,} lines, {f['file_mb']} MB): "
                  f"{f['seconds']} s, {f['vouchers_per_s']:,} vouchers/s (CPU {f['cpu_s']} s: "
                  f"{f['vouchers_per_cpu_s']:,}/s, what an idle core would give); second import (all present) {f['reimport_s']} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(figures, stream, indent=1)


if __name__ == "__main__":
    main()
