"""sanzi-ledger benchmarks: print the figures, assert nothing.

For each store size (events in the log) this measures, on a fresh copy of a
cached generated store (see generate.py):

  post/cmd     vouchers/s posting one voucher per command through the
               application layer (`commands.books.post_voucher`, i.e.
               `Ledger.execute`: catch up, load, decide, one `app.record`, catch up)
  post/batch   vouchers/s deciding vouchers with the domain functions and saving
               500 per `app.record` transaction, then catching the views up
  cli post     wall time of one `sanzi voucher post` process (median, p90)
  cli tb       wall time of one `sanzi report trial-balance` process
  cli start    wall time of `sanzi --help` (interpreter + imports, no store)
  tb query     `projections.trial_balance.trial_balance(...)` in-process (median)
  rebuild      `Projector.rebuild()` from position 0, events/s

Targets (issue): a CLI command < 250 ms and at most 1.2x slower at 1M events
than at 10k; a trial-balance query < 100 ms at 1M events; a rebuild's cost
grows linearly (events/s about constant).

    python benchmarks/run.py                        # 10k and 1M events
    python benchmarks/run.py --quick                # 10k and 100k, fewer repetitions
    python benchmarks/run.py --events 10k,100k,1M --json results.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate
from yardstick import yardstick_ms

from sanzi_ledger.chart import load_chart
from sanzi_ledger.commands import books
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance

SANZI = os.path.join(os.path.dirname(sys.executable), "sanzi")
TB_PERIOD = "2025"  # a closed year: opening balances, twelve months of movement, year-end closing


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def open_days() -> list[int]:
    """Days of the open month (2026-11) that are not in the future."""
    today = date.today()
    last = today.day if (today.year, today.month) == (2026, 11) else 30
    return list(range(1, last + 1))


def busiest(led, codes: list[str]) -> str:
    rows = led.views.query("SELECT collective, COUNT(*) FROM v_vouchers GROUP BY collective ORDER BY 2 DESC LIMIT 1")
    return rows[0][0] if rows else codes[0]


def bench_tb_query(led, code: str, repeat: int) -> dict:
    chart = load_chart("2024")
    period = parse_period(TB_PERIOD)
    state = led.collective(code)
    names = {c: a.name for c, a in state.sub_accounts.items()}
    times, detail_times = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        tb = trial_balance.trial_balance(led.views, chart, code, period)
        times.append(time.perf_counter() - t0)
        assert tb.balanced, "generated books must balance"
        t0 = time.perf_counter()
        trial_balance.trial_balance(led.views, chart, code, period, detail=True, names=names)
        detail_times.append(time.perf_counter() - t0)
    return {"tb_query_ms": statistics.median(times) * 1e3, "tb_query_p90_ms": p90(times) * 1e3,
            "tb_query_detail_ms": statistics.median(detail_times) * 1e3, "tb_rows": len(tb.rows)}


def bench_post_per_command(led, codes: list[str], count: int) -> dict:
    """One voucher per command, through `Ledger.execute`, rotating over villages."""
    rng = generate.random.Random(7)
    days = open_days()
    times = []
    led.operator = generate.CASHIER
    for i in range(count):
        code = codes[i % len(codes)]
        led.collective_code = code
        spec = generate.month_vouchers(rng, generate.Village(code, code, "", "", 12), generate.OPEN_MONTH, 1,
                                       last_day=days[-1])[0]
        cmd = books.PostVoucher(day=spec.day, summary=spec.summary, lines=spec.lines, attachments=spec.attachments,
                                resolution=spec.resolution)
        led.operator = spec.operator
        t0 = time.perf_counter()
        books.post_voucher(led, cmd)
        times.append(time.perf_counter() - t0)
    led.collective_code = ""
    return {"post_cmd_per_s": count / sum(times), "post_cmd_ms": statistics.median(times) * 1e3,
            "post_cmd_p90_ms": p90(times) * 1e3, "post_cmd_n": count}


def bench_post_batch(led, codes: list[str], count: int, batch: int) -> dict:
    """Vouchers decided by the domain functions, `batch` per `app.record`, then one catch-up."""
    t0 = time.perf_counter()
    record_s = 0.0
    for events in generate.open_month_batch(led, codes, count, seed=11, batch_vouchers=batch):
        r0 = time.perf_counter()
        led.app.record(events)
        record_s += time.perf_counter() - r0
    saved = time.perf_counter() - t0
    c0 = time.perf_counter()
    applied = led.catch_up()
    catch_up = time.perf_counter() - c0
    return {"post_batch_per_s": count / (saved + catch_up), "post_batch_saved_per_s": count / saved,
            "post_batch_record_share": record_s / saved, "post_batch_catch_up_s": catch_up,
            "post_batch_n": count, "post_batch_size": batch, "post_batch_events_applied": applied}


def run_process(args: list[str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=_clean_env(), check=False)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr or done.stdout}")
    return elapsed


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SANZI_")}


def cli_post_args(db: str, code: str, rng) -> list[str]:
    days = open_days()
    spec = generate.month_vouchers(rng, generate.Village(code, code, "", "", 12), generate.OPEN_MONTH, 1,
                                   last_day=days[-1])[0]
    args = [SANZI, "--db", db, "--operator", spec.operator, "-c", code, "voucher", "post",
            "--date", spec.day.isoformat(), "--summary", spec.summary, "--attachments", str(spec.attachments)]
    for line in spec.lines:
        args += [f"--{line.side}", f"{line.account}={line.amount_fen // 100}.{line.amount_fen % 100:02d}"]
    if spec.resolution:
        args += ["--resolution", spec.resolution]
    return args


def bench_cli(stores: list[tuple[str, list[str]]], count: int, tb_count: int) -> list[dict]:
    """CLI processes against every store, interleaved (store A, store B, A, B, ...)
    so that a noisy neighbour or a CPU frequency change hits every size alike."""
    rng = generate.random.Random(13)
    posts: list[list[float]] = [[] for _ in stores]
    tbs: list[list[float]] = [[] for _ in stores]
    starts: list[float] = []
    for db, codes in stores:  # warm the OS page cache and the .pyc files
        run_process(cli_post_args(db, codes[-1], rng))
        run_process([SANZI, "--db", db, "-c", codes[0], "report", "trial-balance", "--period", TB_PERIOD])
    for i in range(count):
        for k, (db, codes) in enumerate(stores):
            posts[k].append(run_process(cli_post_args(db, codes[i % len(codes)], rng)))
    for _ in range(tb_count):
        for k, (db, codes) in enumerate(stores):
            tbs[k].append(run_process([SANZI, "--db", db, "-c", codes[0], "report", "trial-balance", "--period", TB_PERIOD]))
        starts.append(run_process([SANZI, "--help"]))
    return [{"cli_post_ms": statistics.median(p) * 1e3, "cli_post_p90_ms": p90(p) * 1e3, "cli_post_n": count,
             "cli_post_min_ms": min(p) * 1e3, "cli_tb_ms": statistics.median(t) * 1e3, "cli_tb_p90_ms": p90(t) * 1e3,
             "cli_start_ms": statistics.median(starts) * 1e3} for p, t in zip(posts, tbs)]


def bench_rebuild(led) -> dict:
    """Full rebuild; also the rate over the first and the last tenth of the log,
    which tells a cost growing with the size of the views from noise."""
    marks: list[tuple[int, float]] = []
    t0 = time.perf_counter()
    applied = led.projector.rebuild(progress=lambda n: marks.append((n, time.perf_counter())))
    elapsed = time.perf_counter() - t0
    out = {"rebuild_s": elapsed, "rebuild_events": applied, "rebuild_events_per_s": applied / elapsed}
    if len(marks) >= 20:
        tenth = len(marks) // 10
        (n0, t_0), (n1, t_1) = (0, t0), marks[tenth - 1]
        (n2, t_2), (n3, t_3) = marks[-tenth - 1], marks[-1]
        out["rebuild_first_tenth_per_s"] = (n1 - n0) / (t_1 - t_0)
        out["rebuild_last_tenth_per_s"] = (n3 - n2) / (t_3 - t_2)
    return out


def work_path(events: int) -> str:
    return os.path.join(generate.CACHE_DIR, f"work-{events}.db")


def remove_store(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def copy_store(path: str, work: str) -> None:
    """Copy a store and flush the copy to disk: otherwise the first SQLite fsync
    (the first WAL checkpoint) pays for writing back the whole copied file."""
    shutil.copyfile(path, work)
    fd = os.open(work, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def bench_in_process(events: int, args: argparse.Namespace) -> tuple[dict, list[str]]:
    """Copy the cached store and run the in-process benchmarks on the copy."""
    path, meta = generate.ensure_store(events, args.seed)
    work = work_path(events)
    remove_store(work)
    copy_store(path, work)
    out: dict = {"events": meta["events"], "vouchers": meta["vouchers"], "villages": meta["villages"],
                 "townships": meta["townships"], "store_mb": meta["bytes"] / 1e6,
                 "generate_s": meta["total_seconds"], "generate_load_s": meta["load_seconds"],
                 "generate_catch_up_s": meta["catch_up_seconds"], "history_vouchers": meta["history_vouchers"]}
    codes = meta["codes"][: args.villages]
    led = open_ledger(work, operator=generate.CASHIER)
    try:
        led.catch_up()
        say(events, "trial-balance query")
        out.update(bench_tb_query(led, busiest(led, meta["codes"]), args.tb_repeat))
        say(events, f"post one per command x{args.commands}")
        out.update(bench_post_per_command(led, codes, args.commands))
        say(events, f"post in batches: {args.batch_vouchers} vouchers, {args.batch_size} per transaction")
        out.update(bench_post_batch(led, codes, args.batch_vouchers, args.batch_size))
    finally:
        led.close()
    return out, codes


def say(events: int, text: str) -> None:
    print(f"[{events:,}] {text}", file=sys.stderr, flush=True)


def bench_all(sizes: list[int], args: argparse.Namespace) -> list[dict]:
    results, stores = [], []
    try:
        for events in sizes:
            out, codes = bench_in_process(events, args)
            results.append(out)
            stores.append((work_path(events), codes))
        say(sizes[-1], f"cli: voucher post x{args.cli}, report trial-balance x{args.cli_tb}, every store in turn")
        for out, cli in zip(results, bench_cli(stores, args.cli, args.cli_tb)):
            out.update(cli)
        if not args.no_rebuild:
            for events, out in zip(sizes, results):
                say(events, "rebuild")
                led = open_ledger(work_path(events))
                try:
                    out.update(bench_rebuild(led))
                finally:
                    led.close()
    finally:
        if not args.keep:
            for events in sizes:
                remove_store(work_path(events))
    return results


ROWS = [
    # (label, key, format, unit)
    ("events in store", "events", "{:,.0f}", ""),
    ("vouchers in store", "vouchers", "{:,.0f}", ""),
    ("villages / townships", None, None, ""),
    ("store file", "store_mb", "{:,.0f}", "MB"),
    ("post, one per command", "post_cmd_per_s", "{:,.0f}", "vouchers/s"),
    ("  per command, median", "post_cmd_ms", "{:.1f}", "ms"),
    ("  per command, p90", "post_cmd_p90_ms", "{:.1f}", "ms"),
    ("post, batches of 500 (incl. views)", "post_batch_per_s", "{:,.0f}", "vouchers/s"),
    ("  saved only (decide + record)", "post_batch_saved_per_s", "{:,.0f}", "vouchers/s"),
    ("initial load (decide + record)", None, None, "vouchers/s"),
    ("`sanzi voucher post`, median", "cli_post_ms", "{:.0f}", "ms"),
    ("`sanzi voucher post`, p90", "cli_post_p90_ms", "{:.0f}", "ms"),
    ("`sanzi voucher post`, min", "cli_post_min_ms", "{:.0f}", "ms"),
    ("`sanzi report trial-balance`, median", "cli_tb_ms", "{:.0f}", "ms"),
    ("`sanzi --help` (start + imports)", "cli_start_ms", "{:.0f}", "ms"),
    ("trial-balance query, median", "tb_query_ms", "{:.2f}", "ms"),
    ("trial-balance query --detail, median", "tb_query_detail_ms", "{:.2f}", "ms"),
    ("projection rebuild", "rebuild_events_per_s", "{:,.0f}", "events/s"),
    ("  rebuild wall time", "rebuild_s", "{:.1f}", "s"),
    ("  rebuild, first tenth of the log", "rebuild_first_tenth_per_s", "{:,.0f}", "events/s"),
    ("  rebuild, last tenth of the log", "rebuild_last_tenth_per_s", "{:,.0f}", "events/s"),
]


def cell(result: dict, label: str, key: str | None, fmt: str | None) -> str:
    if label.startswith("villages"):
        return f"{result['villages']} / {result['townships']}"
    if label.startswith("initial load"):
        return f"{result['history_vouchers'] / result['generate_load_s']:,.0f}"
    if key not in result:
        return "-"
    return fmt.format(result[key])  # type: ignore[union-attr]


def ratio(first: dict, last: dict, key: str | None) -> str:
    if key in ("events", "vouchers", "store_mb") or not key or key not in first or key not in last or not first[key]:
        return ""
    return f"{last[key] / first[key]:.2f}x"


def print_table(results: list[dict]) -> None:
    heads = ["", *(f"{r['events']:,} events" for r in results), "unit"]
    if len(results) > 1:
        heads.insert(-1, "last/first")
    rows = []
    for label, key, fmt, unit in ROWS:
        row = [label, *(cell(r, label, key, fmt) for r in results)]
        if len(results) > 1:
            row.append(ratio(results[0], results[-1], key))
        rows.append([*row, unit])
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(heads))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    last = results[-1]
    print()
    print("targets:")
    if "cli_post_ms" in last:
        first = results[0]
        print(f"  sanzi voucher post < 250 ms at every size: "
              f"{'met' if all(r['cli_post_ms'] < 250 for r in results) else 'MISSED'} "
              f"({', '.join(format(r['cli_post_ms'], '.0f') + ' ms' for r in results)})")
        growth = last["cli_post_ms"] / first["cli_post_ms"]
        print(f"  sanzi voucher post at {last['events']:,} <= 1.2x {first['events']:,}: "
              f"{'met' if growth <= 1.2 else 'MISSED'} ({growth:.2f}x)")
    print(f"  trial-balance query < 100 ms at {last['events']:,}: "
          f"{'met' if last['tb_query_ms'] < 100 else 'MISSED'} ({last['tb_query_ms']:.2f} ms)")
    if "rebuild_events_per_s" in last and len(results) > 1:
        ratio_ = last["rebuild_events_per_s"] / results[0]["rebuild_events_per_s"]
        print(f"  rebuild linear: events/s at {last['events']:,} = {ratio_:.2f}x of {results[0]['events']:,} "
              f"(1.00x = perfectly linear)")
        if "rebuild_last_tenth_per_s" in last:
            print(f"    within the {last['events']:,} rebuild: last tenth at "
                  f"{last['rebuild_last_tenth_per_s'] / last['rebuild_first_tenth_per_s']:.2f}x the rate of the first tenth")


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    import sqlite3

    try:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        commit = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty"],
                                capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {"commit": commit or "?", "cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", help="store sizes, e.g. 10k,1M (default 10k,1M; --quick: 10k,100k)")
    parser.add_argument("--quick", action="store_true", help="10k and 100k events, fewer repetitions (~2 min)")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument("--commands", type=int, help="vouchers posted one per command (default 300; quick 100)")
    parser.add_argument("--batch-vouchers", type=int, default=5000, help="vouchers posted in batches (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=500, help="vouchers per transaction (default %(default)s)")
    parser.add_argument("--cli", type=int, help="`sanzi voucher post` processes (default 20; quick 10)")
    parser.add_argument("--cli-tb", type=int, help="`sanzi report trial-balance` processes (default 10; quick 5)")
    parser.add_argument("--tb-repeat", type=int, default=50, help="trial-balance queries (default %(default)s)")
    parser.add_argument("--villages", type=int, default=10, help="villages the posting benchmarks rotate over")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the working copies in the cache directory")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    sizes = generate.parse_sizes(args.events or ("10k,100k" if args.quick else "10k,1M"))
    args.commands = args.commands or (100 if args.quick else 300)
    args.cli = args.cli or (10 if args.quick else 20)
    args.cli_tb = args.cli_tb or (5 if args.quick else 10)
    if args.quick:
        args.tb_repeat = min(args.tb_repeat, 20)
    info = machine()
    info["yardstick_ms"] = yardstick_ms()
    info["load_before"] = os.getloadavg()
    results = bench_all(sizes, args)
    info["load_after"] = os.getloadavg()
    print(f"sanzi-ledger benchmarks  {info['date']}  {info['cpus']} x {info['cpu']}  "
          f"Python {info['python']}  SQLite {info['sqlite']}  commit {info['commit']}")
    print(f"load average before {info['load_before'][0]:.2f}, after {info['load_after'][0]:.2f} "
          "(other processes on the machine skew the CLI figures; compare sizes within one run)")
    print(f"yardstick {info['yardstick_ms']} ms (benchmarks/yardstick.py: compare it before comparing runs of two sessions)")
    print()
    print_table(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"machine": info, "args": vars(args), "results": results}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
