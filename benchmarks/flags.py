"""How long `audit flags` takes: one village, one township, one county.

Evaluates `sanzi_ledger.rules.evaluate` on the cached county stores of
`generate.py` (vouchers and month closes for 2024-01..2026-10) for the
busiest village, every village of the largest township, and every village
of the county, on a fixed day (2026-11-24) so runs compare. Also times each
rule on the busiest village (where the time goes) and, unless --no-registers,
a wealthy village with every register family (`village_year.py`), where the
contract, lease, debt and subsidy rules have work to do.

Evaluation reads per collective, so a county costs the sum of its villages;
the figure to watch is milliseconds per 1,000 vouchers staying flat as the
store grows (not quadratic). Not a test: it prints figures.

    python benchmarks/flags.py                 # 10k and 1M events (builds the 1M store once, ~2 min)
    python benchmarks/flags.py --events 10k,100k --no-registers
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ensure_store, parse_sizes, store_path

from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.config import load_rules
from sanzi_ledger.rules import CATALOGUE, evaluate
from sanzi_ledger.rules.engine import Inspection

TODAY = date(2026, 11, 24)
REPEAT = 3


def timed(fn, repeat: int = REPEAT) -> tuple[float, object]:
    """Median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def vouchers_of(led, codes: list[str]) -> int:
    counts = dict(led.views.query("SELECT collective, COUNT(*) FROM v_vouchers GROUP BY collective"))
    return sum(int(counts.get(code, 0)) for code in codes)


def per_rule(led, code: str) -> list[tuple[str, float, int]]:
    """Seconds and flags of each rule alone on one collective (fresh reads each time)."""
    rules = load_rules()
    (start, chart), = led.views.query("SELECT start_period, chart FROM v_collectives WHERE code = ?", (code,))
    out = []
    for entry in CATALOGUE.values():
        inspection = Inspection(led.views, code, today=TODAY, period=None, thresholds=rules.flags, rules=rules,
                                start_period=start, chart=chart)
        started = time.perf_counter()
        found = list(entry.check(inspection))
        out.append((entry.id, time.perf_counter() - started, len(found)))
    return out


def scope_row(label: str, led, codes: list[str], repeat: int) -> dict:
    seconds, found = timed(lambda: [f for code in codes for f in evaluate(led.views, code, today=TODAY)], repeat)
    vouchers = vouchers_of(led, codes)
    return {"scope": label, "collectives": len(codes), "vouchers": vouchers, "seconds": seconds, "flags": len(found),
            "ms_per_1k_vouchers": seconds * 1e6 / max(1, vouchers)}


def working_copy(path: str, folder: str) -> str:
    """A private copy of the cached store (other benchmarks may be reading it; the views may need a rebuild)."""
    work = str(Path(folder) / Path(path).name)
    with sqlite3.connect(path) as source, sqlite3.connect(work) as target:
        source.backup(target)
    source.close()
    target.close()
    return work


def bench_store(events: int, repeat: int) -> tuple[list[dict], list[tuple[str, float, int]]]:
    path = store_path(events)
    if Path(path + ".json").exists():  # read the cache as it is: the copy rebuilds its own views if they are older
        meta = json.loads(Path(path + ".json").read_text("utf-8"))
    else:
        path, meta = ensure_store(events)
    folder = tempfile.mkdtemp(prefix="sanzi-flags-")
    led = open_ledger(working_copy(path, folder))
    try:
        led.catch_up()
        townships: dict[str, list[str]] = defaultdict(list)
        for code, township in led.views.query("SELECT code, township FROM v_collectives ORDER BY code"):
            townships[township].append(code)
        counts = dict(led.views.query("SELECT collective, COUNT(*) FROM v_vouchers GROUP BY collective"))
        busiest = max(counts, key=lambda c: counts[c])
        largest = max(townships.values(), key=len)
        everyone = [code for codes in townships.values() for code in codes]
        rows = [scope_row("村 village (busiest)", led, [busiest], repeat),
                scope_row(f"乡镇 township ({len(largest)} villages)", led, largest, repeat),
                scope_row(f"县 county ({len(everyone)} villages)", led, everyone, 1)]
        for row in rows:
            row["store_events"] = meta["events"]
        return rows, per_rule(led, busiest)
    finally:
        led.close()
        shutil.rmtree(folder, ignore_errors=True)


def bench_registers(repeat: int) -> dict:
    """A wealthy village's year with every register family (village_year.WEALTHY), built through the handlers."""
    from village_year import ACCOUNTANT, WEALTHY, village_year

    from sanzi_ledger.commands import setup

    with tempfile.TemporaryDirectory() as folder:
        led = open_ledger(str(Path(folder) / "registers.db"), operator=ACCOUNTANT, create=True)
        try:
            setup.initialise(led, setup.Initialise())
            started = time.perf_counter()
            village_year(led, "330185100001", WEALTHY, random.Random(20251231))
            print(f"[flags] built a wealthy village's year in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            row = scope_row("村 village with registers", led, ["330185100001"], repeat)
            row["store_events"] = led.app.head()
            return row
        finally:
            led.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10k,1M", help="store sizes in events, e.g. 10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--no-registers", action="store_true", help="skip the wealthy village with registers")
    args = parser.parse_args()
    rows, rule_times = [], []
    for events in parse_sizes(args.events):
        found, rule_times = bench_store(events, args.repeat)
        rows += found
    if not args.no_registers:
        rows.append(bench_registers(args.repeat))
    print(f"\n`audit flags` evaluation on {TODAY} (median of {args.repeat}; county once)\n")
    print(f"| {'store events':>12} | {'scope':<32} | {'vouchers':>9} | {'seconds':>8} | {'ms / 1k vouchers':>16} | {'flags':>6} |")
    print(f"|{'-' * 14}|{'-' * 34}|{'-' * 11}|{'-' * 10}|{'-' * 18}|{'-' * 8}|")
    for r in rows:
        print(f"| {r['store_events']:>12,} | {r['scope']:<32} | {r['vouchers']:>9,} | {r['seconds']:>8.3f} |"
              f" {r['ms_per_1k_vouchers']:>16.1f} | {r['flags']:>6,} |")
    if rule_times:
        print("\nBusiest village of the largest store, rule by rule (ms, flags):")
        print("  " + "  ".join(f"{rule} {seconds * 1000:.1f}/{count}" for rule, seconds, count in rule_times))


if __name__ == "__main__":
    main()
