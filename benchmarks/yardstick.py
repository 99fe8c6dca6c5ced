"""How fast this machine runs plain Python, to compare figures taken on different machines.

Benchmarks here measured 230 ms for `sanzi voucher post` in one session and
400 ms in another with the same code: the sessions ran on different virtual
machines. Every benchmark prints this yardstick beside its figures, so a
change of machine is told apart from a change of code.
"""

from __future__ import annotations

import time

LOOP = 5_000_000


def yardstick_ms() -> float:
    """Best of three: a fixed pure-Python loop (add 5 M integers), in milliseconds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for value in range(LOOP):
            total += value
        best = min(best, time.perf_counter() - start)
    assert total == LOOP * (LOOP - 1) // 2
    return round(best * 1000, 1)


if __name__ == "__main__":
    print(f"yardstick: {yardstick_ms()} ms (a 5 M-step pure-Python loop; lower is a faster machine)")
