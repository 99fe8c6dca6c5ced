"""Free-text fields: bounded length, no control characters (they hide in printouts)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from sanzi_ledger.errors import Refusal

NAME_CHARS_MAX = 64
SUMMARY_CHARS_MAX = 200
REFERENCE_CHARS_MAX = 100
NOTE_CHARS_MAX = 1000
# Control and format characters, lone surrogates (a GBK terminal read as UTF-8),
# private-use and unassigned code points, and the invisible line/paragraph
# separators: each hides in a printout or breaks the stored JSON.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def clean_text(
    text: str | None,
    *,
    field: str,
    chars_max: int,
    required: bool = True,
    record: str | None = None,
) -> str:
    """Strip surrounding space; refuse empty (if required), overlong or control characters."""
    value = (text or "").strip()
    if not value:
        if required:
            raise Refusal("text.empty", field=field, value=text, record=record)
        return ""
    if _has_refused_chars(value):
        raise Refusal("text.control_chars", field=field, value=value, record=record)
    if len(value) > chars_max:
        raise Refusal(
            "text.too_long", field=field, value=value[:20] + "…", record=record,
            chars_max=chars_max, chars=len(value),
        )
    return value


@lru_cache(maxsize=16_384)
def _has_refused_chars(value: str) -> bool:
    # Cached: an import repeats the same summaries thousands of times.
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in value)
