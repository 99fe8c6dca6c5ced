"""Numbers with two decimals as typed by people ("1200", "1,200.50"), as integer hundredths.

Money (fen) and area (0.01 亩) both read this way; each caller turns a
`FixedPointError` into its own refusal, naming its own field and rule.
"""

from __future__ import annotations

import re
from typing import Literal

# re.ASCII: \d alone would accept full-width (１２３) and other Unicode digits;
# importers normalise those first, on purpose, where they can say so.
# Plain digits, or digits grouped by thousands with commas; one pattern, one match per number.
_NUMBER = re.compile(r"(-)?(\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?", re.ASCII)
DIGITS_MAX = 15  # beyond every limit; refuse before int() reads a huge string

Problem = Literal["format", "decimals", "large"]


class FixedPointError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self.problem = problem


def parse_hundredths(text: str) -> int:
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        raise FixedPointError("format")
    sign, digits, frac = match.groups()
    if "," in digits:
        digits = digits.replace(",", "")
    if len(digits) > DIGITS_MAX:
        raise FixedPointError("large")
    if frac is None:
        value = int(digits) * 100
    elif len(frac) > 2:
        raise FixedPointError("decimals")
    else:
        value = int(digits) * 100 + int(frac) * (10 if len(frac) == 1 else 1)
    return -value if sign else value
