"""Replay and time travel: print the figures, assert nothing.

On the cached generated stores (generate.py) of a village-, township- and
county-size log, this measures:

  replay        `ScratchViews(app).advance()`: every view rebuilt from position 0
                into an in-memory scratch store, events/s (target >= 50,000 on SQLite)
  audit replay  the whole `commands.replay.replay(led)`: the replay above, plus reading
                every live view and comparing table by table, seconds
  position_at   finding the log position of a recorded moment, ms
  as-of report  `as_of(led, moment, collective=...)` + the trial balance of the busiest village, in
                process, ms — for a moment in mid-history and one at the head
  cli as-of     wall time of one `sanzi report trial-balance --as-of` process (median)

The stores are only read: the scratch store is in memory and the live views are
already current (generate.py upgrades them once).

    python benchmarks/replay.py                     # 10k, 100k and 1M events
    python benchmarks/replay.py --events 10k,100k --json /tmp/replay.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate

from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.commands.replay import replay
from sanzi_ledger.commands.time_travel import as_of
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance
from sanzi_ledger.projections.scratch import ScratchViews, position_at

SANZI = os.path.join(os.path.dirname(sys.executable), "sanzi")
CHINA = timezone(timedelta(hours=8))
MID_HISTORY = datetime(2025, 6, 30, 23, 59, 59, tzinfo=CHINA)  # the generated logs run 2024-01 .. 2026-10
SIZES = {10_000: "village", 100_000: "township", 1_000_000: "county"}


def busiest(led, codes: list[str]) -> str:
    rows = led.views.query("SELECT collective, COUNT(*) FROM v_vouchers GROUP BY collective ORDER BY 2 DESC LIMIT 1")
    return rows[0][0] if rows else codes[0]


def bench_replay(led) -> dict:
    marks: list[tuple[int, float]] = []
    t0 = time.perf_counter()
    with ScratchViews(led.app) as scratch:
        reached = scratch.advance(progress=lambda n: marks.append((n, time.perf_counter())))
        elapsed = time.perf_counter() - t0
    out = {"replay_s": elapsed, "replay_events": reached, "replay_events_per_s": reached / elapsed}
    if len(marks) >= 20:
        tenth = len(marks) // 10
        (n1, t1), (n2, t2), (n3, t3) = marks[tenth - 1], marks[-tenth - 1], marks[-1]
        out["replay_first_tenth_per_s"] = n1 / (t1 - t0)
        out["replay_last_tenth_per_s"] = (n3 - n2) / (t3 - t2)
    t0 = time.perf_counter()
    result = replay(led)
    out["audit_replay_s"] = time.perf_counter() - t0
    out["audit_replay_ok"] = result.ok
    return out


def bench_as_of(led, code: str, moment: datetime, label: str) -> dict:
    t0 = time.perf_counter()
    position = position_at(led.app, moment)
    located = time.perf_counter() - t0
    t0 = time.perf_counter()
    with as_of(led, moment, collective=code) as past:
        state = led.collective(code)
        report = trial_balance.trial_balance(past.ledger.views, led.chart(state.chart), code, parse_period("2025"))
    elapsed = time.perf_counter() - t0
    assert report.balanced
    return {f"position_at_{label}_ms": located * 1000, f"as_of_{label}_position": position,
            f"as_of_{label}_ms": elapsed * 1000}


def bench_cli(path: str, code: str, moment: datetime, count: int) -> dict:
    env = {**os.environ, "SANZI_DB": path, "SANZI_COLLECTIVE": code}
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        subprocess.run([SANZI, "--json", "report", "trial-balance", "--period", "2025", "--as-of",
                        moment.strftime("%Y-%m-%dT%H:%M:%S")], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return {"cli_as_of_ms": statistics.median(times) * 1000}


def bench(events: int, args: argparse.Namespace) -> dict:
    path, meta = generate.ensure_store(events, args.seed)
    out: dict = {"events": meta["events"], "size": SIZES.get(events, ""), "villages": meta["villages"]}
    led = open_ledger(path)
    try:
        led.catch_up()
        code = busiest(led, meta["codes"])
        print(f"[{events:,}] replay", file=sys.stderr, flush=True)
        out.update(bench_replay(led))
        print(f"[{events:,}] as-of", file=sys.stderr, flush=True)
        out.update(bench_as_of(led, code, MID_HISTORY, "mid"))
        out.update(bench_as_of(led, code, datetime.now(CHINA), "head"))
    finally:
        led.close()
    if args.cli:
        out.update(bench_cli(path, code, MID_HISTORY, args.cli))
    return out


ROWS = [
    ("events in the log", "events", "{:,}"),
    ("replay, events/s", "replay_events_per_s", "{:,.0f}"),
    ("  replay, s", "replay_s", "{:.2f}"),
    ("  first / last tenth, events/s", None, None),
    ("audit replay (replay + compare), s", "audit_replay_s", "{:.2f}"),
    ("position_at mid-history, ms", "position_at_mid_ms", "{:.1f}"),
    ("as-of trial balance, mid-history, ms", "as_of_mid_ms", "{:,.0f}"),
    ("as-of trial balance, at the head, ms", "as_of_head_ms", "{:,.0f}"),
    ("cli report --as-of (mid), median ms", "cli_as_of_ms", "{:,.0f}"),
]


def print_table(results: list[dict]) -> None:
    print("| | " + " | ".join(f"{r['size'] or r['events']} ({r['events']:,})" for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for label, key, fmt in ROWS:
        if key is None:
            cells = [f"{r['replay_first_tenth_per_s']:,.0f} / {r['replay_last_tenth_per_s']:,.0f}"
                     if "replay_first_tenth_per_s" in r else "–" for r in results]
        else:
            cells = [fmt.format(r[key]) if key in r else "–" for r in results]
        print(f"| {label} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="10k,100k,1M", help="store sizes (default %(default)s)")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument("--cli", type=int, default=5, help="CLI runs per size (0: none)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    results = [bench(events, args) for events in generate.parse_sizes(args.events)]
    print_table(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
