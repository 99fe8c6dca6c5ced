"""Numbers with two decimals as typed by people ("1200", "1,200.50"), as integer hundredths.

Money (fen) and area (0.01 亩) both read this way; each caller turns a
`FixedPointError` into its own refusal, naming its own field and rule.
"""

from __future__ import annotations

import re
from typing import Literal

# re.ASCII: \d alone would accept full-width (１２３) and other Unicode digits;
# importers normalise those first, on purpose, where they can say so.
_PLAIN = re.compile(r"^(?P<sign>-)?(?P<int>\d+)(?:\.(?P<frac>\d+))?$", re.ASCII)
_GROUPED = re.compile(r"^(?P<sign>-)?(?P<int>[1-9]\d{0,2}(?:,\d{3})+)(?:\.(?P<frac>\d+))?$", re.ASCII)
DIGITS_MAX = 15  # beyond every limit; refuse before int() reads a huge string

Problem = Literal["format", "decimals", "large"]


class FixedPointError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem


def parse_hundredths(text: str) -> int:
    text = text.strip()
    match = _PLAIN.match(text) or _GROUPED.match(text)
    if match is None:
        raise FixedPointError("format")
    digits, frac = match["int"].replace(",", ""), match["frac"] or ""
    if len(digits) > DIGITS_MAX:
        raise FixedPointError("large")
    if len(frac) > 2:
        raise FixedPointError("decimals")
    value = int(digits) * 100 + int(frac.ljust(2, "0"))
    return -value if match["sign"] else value
