"""Open exports against the tools that read them, side by side on the same generated ledger.

For each store size (events in the log; see generate.py) on a fresh copy of the cached store:

  export bean   wall time of `sanzi export beancount --out FILE` (a whole process, every collective)
  bean-check    wall time of `bean-check FILE` (beancount 3: parse, book, validate, balance assertions)
  export hl     wall time of `sanzi export hledger --out FILE` (the same books in hledger's journal syntax)
  hledger bal   wall time of `hledger -f FILE bal -N` (skipped, loudly, when hledger is not installed)
  export jsonl  wall time of `sanzi export jsonl --out FILE` (every event with bytes and chain hash)
  rebuild       `Projector.rebuild()` in-process: every view from position 0
  tb one        `trial_balance(...)` in-process for the busiest village (median of 20)
  tb all        `trial_balance(...)` for every village in turn: what bean-check and hledger bal compute

hledger cannot read beancount files (the syntaxes differ), so the exporter
writes hledger's own journal too: same accounts, same postings, same closing
assertions. Both tools are given the whole county in one file.

    python benchmarks/export.py                 # 100k events
    python benchmarks/export.py --events 100k,1M --json /tmp/export.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate
import run

from sanzi_ledger.chart import load_chart
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance

BEAN_CHECK = os.path.join(os.path.dirname(sys.executable), "bean-check")
TB_PERIOD = "2026"  # the last year of the generated books: its closing balance covers the whole history


def timed(args: list[str]) -> float:
    return run.run_process(args)


def bench_tb(led, codes: list[str], busiest: str, repeat: int) -> dict:
    chart, period = load_chart("2024"), parse_period(TB_PERIOD)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        trial_balance.trial_balance(led.views, chart, busiest, period, detail=True)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for code in codes:
        assert trial_balance.trial_balance(led.views, chart, code, period, detail=True).balanced
    return {"tb_one_ms": statistics.median(times) * 1e3, "tb_all_s": time.perf_counter() - t0}


def bench_size(events: int, args: argparse.Namespace) -> dict:
    path, meta = generate.ensure_store(events, args.seed)
    work = os.path.join(generate.CACHE_DIR, f"export-work-{events}.db")  # not run.py's copy: both may run at once
    run.remove_store(work)
    run.copy_store(path, work)
    folder = os.path.join(generate.CACHE_DIR, f"export-{events}")
    os.makedirs(folder, exist_ok=True)
    bean, journal, jsonl = (os.path.join(folder, name) for name in ("books.bean", "books.journal", "events.jsonl"))
    out: dict = {"events": meta["events"], "vouchers": meta["vouchers"], "villages": meta["villages"]}
    say = lambda text: print(f"[{events:,}] {text}", file=sys.stderr, flush=True)
    try:
        led = open_ledger(work)  # views at the code's version before timing: an upgrade would rebuild inside the first export
        led.catch_up()
        led.close()
        say("sanzi export beancount")
        out["export_bean_s"] = timed([run.SANZI, "--db", work, "export", "beancount", "--out", bean])
        out["bean_mb"] = os.path.getsize(bean) / 1e6
        say("bean-check")
        out["bean_check_s"] = timed([BEAN_CHECK, bean])
        say("sanzi export hledger")
        out["export_hledger_s"] = timed([run.SANZI, "--db", work, "export", "hledger", "--out", journal])
        hledger = shutil.which("hledger")
        if hledger:
            say("hledger bal")
            out["hledger_bal_s"] = timed([hledger, "-f", journal, "bal", "-N"])
        else:
            print("!!! hledger NOT INSTALLED: `hledger bal` NOT MEASURED (apt-get install hledger)", file=sys.stderr)
        say("sanzi export jsonl")
        out["export_jsonl_s"] = timed([run.SANZI, "--db", work, "export", "jsonl", "--out", jsonl])
        out["jsonl_mb"] = os.path.getsize(jsonl) / 1e6
        led = open_ledger(work)
        try:
            led.catch_up()
            say("trial balances")
            out.update(bench_tb(led, meta["codes"], run.busiest(led, meta["codes"]), args.tb_repeat))
            say("rebuild")
            out.update(run.bench_rebuild(led))
        finally:
            led.close()
    finally:
        if not args.keep:
            run.remove_store(work)
            shutil.rmtree(folder, ignore_errors=True)
    return out


ROWS = [
    ("events", "events", "{:,}"), ("vouchers", "vouchers", "{:,}"), ("villages", "villages", "{:,}"),
    ("sanzi export beancount", "export_bean_s", "{:.2f} s"), ("  file", "bean_mb", "{:.0f} MB"),
    ("bean-check", "bean_check_s", "{:.2f} s"),
    ("sanzi export hledger", "export_hledger_s", "{:.2f} s"), ("hledger bal", "hledger_bal_s", "{:.2f} s"),
    ("sanzi export jsonl", "export_jsonl_s", "{:.2f} s"), ("  file", "jsonl_mb", "{:.0f} MB"),
    ("our rebuild (all views)", "rebuild_s", "{:.2f} s"),
    ("our trial balance, one village", "tb_one_ms", "{:.1f} ms"),
    ("our trial balance, every village", "tb_all_s", "{:.2f} s"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="100k", help="store sizes, e.g. 100k,1M (default %(default)s)")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument("--tb-repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the store copy and the exported files")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    info = run.machine()
    results = [bench_size(events, args) for events in generate.parse_sizes(args.events)]
    print(f"sanzi-ledger export benchmark  {info['date']}  {info['cpus']} x {info['cpu']}  Python {info['python']}  "
          f"commit {info['commit']}  hledger {'yes' if shutil.which('hledger') else 'NOT INSTALLED'}")
    print()
    for label, key, fmt in ROWS:
        print(f"{label:34}" + "".join(f"{(fmt.format(r[key]) if key in r else '—'):>16}" for r in results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"machine": info, "results": results}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
