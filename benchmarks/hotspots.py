"""Where the time goes: one `sanzi voucher post` process, one command in-process, a rebuild.

    python benchmarks/hotspots.py --events 1M            # uses the cached store (generate.py)
    python benchmarks/hotspots.py --events 1M --out /tmp/sanzi-bench/profile

Prints, for the store of that size (on a scratch copy):
  1. the phases of one CLI process: interpreter start, importing the CLI,
     the rest (medians of repeated runs);
  2. a profile of one whole `sanzi voucher post` process (pyinstrument if it is
     installed, else cProfile), imports included;
  3. cProfile of `commands.books.post_voucher` repeated in-process (no imports);
  4. cProfile of `Projector.rebuild()`.
Profilers slow Python code down; read the shares, not the absolute times.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate
import run as bench

from sanzi_ledger.commands import books
from sanzi_ledger.commands.ledger import open_ledger

PY = sys.executable


def timed(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True, env=bench._clean_env())
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def post_args(db: str, code: str, day: int) -> list[str]:
    return ["--db", db, "--operator", generate.CASHIER, "-c", code, "voucher", "post", "--date", f"2026-11-{day:02d}",
            "--summary", "支付村务办公用品及打印费", "--debit", "513002=128.50", "--credit", "101=128.50"]


def stats_text(profile: cProfile.Profile, sort: str, limit: int) -> str:
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).strip_dirs().sort_stats(sort).print_stats(limit)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", default="1M")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--limit", type=int, default=25, help="rows per cProfile listing")
    parser.add_argument("--no-rebuild", action="store_true")
    parser.add_argument("--out", default=os.path.join(generate.CACHE_DIR, "profile"), help="where profiles are written")
    args = parser.parse_args()
    (events,) = generate.parse_sizes(args.events)
    path, meta = generate.ensure_store(events)
    os.makedirs(args.out, exist_ok=True)
    work = os.path.join(generate.CACHE_DIR, f"profile-{events}.db")
    bench.copy_store(path, work)
    code = meta["codes"][0]
    days = bench.open_days()
    sanzi = [PY, "-m", "sanzi_ledger"]
    try:
        print(f"== 1. phases of one CLI process ({meta['events']:,} events, median of {args.repeat})")
        start = timed([PY, "-c", "pass"], args.repeat)
        # What `voucher post` imports before it runs (the CLI registers only the group being run).
        preload = ("import sys; sys.argv = ['sanzi', 'voucher', 'post']; "
                   "import sanzi_ledger.cli.main as m; m._register()")
        imports = timed([PY, "-c", preload], args.repeat)
        whole = timed([*sanzi, *post_args(work, code, days[-1])], args.repeat)
        print(f"  python start            {start:7.0f} ms")
        print(f"  + import the CLI        {imports - start:7.0f} ms")
        print(f"  + run `voucher post`    {whole - imports:7.0f} ms")
        print(f"  = whole process         {whole:7.0f} ms")
        print()

        print("== 2. one `sanzi voucher post` process, imports included")
        try:
            import pyinstrument  # noqa: F401

            report = os.path.join(args.out, f"cli-post-{events}.txt")
            subprocess.run([PY, "-m", "pyinstrument", "-r", "text", "-o", report, "-m", "sanzi_ledger",
                            *post_args(work, code, days[0])], check=True, capture_output=True, env=bench._clean_env())
            print(f"  pyinstrument report: {report}")
            with open(report, encoding="utf-8") as f:
                print("".join(f.readlines()[:80]))
        except ImportError:
            prof = os.path.join(args.out, f"cli-post-{events}.prof")
            subprocess.run([PY, "-m", "cProfile", "-o", prof, "-m", "sanzi_ledger", *post_args(work, code, days[0])],
                           check=True, capture_output=True, env=bench._clean_env())
            buffer = io.StringIO()
            pstats.Stats(prof, stream=buffer).strip_dirs().sort_stats("cumulative").print_stats(args.limit)
            print(buffer.getvalue())

        print(f"== 3. `post_voucher` in-process x{args.commands} (cProfile, by cumulative time)")
        led = open_ledger(work, operator=generate.CASHIER)
        try:
            led.catch_up()
            rng = generate.random.Random(5)
            codes = meta["codes"][:10]
            specs = [(codes[i % len(codes)], generate.month_vouchers(
                rng, generate.Village("x", "x", "", "", 12), generate.OPEN_MONTH, 1, last_day=days[-1])[0])
                for i in range(args.commands)]
            profile = cProfile.Profile()
            profile.enable()
            for c, spec in specs:
                led.collective_code, led.operator = c, spec.operator
                books.post_voucher(led, books.PostVoucher(day=spec.day, summary=spec.summary, lines=spec.lines))
            profile.disable()
            profile.dump_stats(os.path.join(args.out, f"post-voucher-{events}.prof"))
            print(stats_text(profile, "cumulative", args.limit))
            print(stats_text(profile, "tottime", args.limit))
        finally:
            led.close()

        if not args.no_rebuild:
            print("== 4. Projector.rebuild() (cProfile, by own time)")
            led = open_ledger(work)
            try:
                profile = cProfile.Profile()
                profile.enable()
                led.projector.rebuild()
                profile.disable()
                profile.dump_stats(os.path.join(args.out, f"rebuild-{events}.prof"))
                print(stats_text(profile, "tottime", args.limit))
                print(stats_text(profile, "cumulative", args.limit))
            finally:
                led.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(work + suffix):
                os.remove(work + suffix)


if __name__ == "__main__":
    main()
