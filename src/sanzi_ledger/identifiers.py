"""Personal and organisation identifiers: validated when recorded, masked when shown.

A counterparty's identifier is either a resident ID number (身份证号, GB 11643,
18 characters with a check digit) or a unified social credit code
(统一社会信用代码, GB 32100, 18 characters with a check character). The
ledger keeps it whole; anything shown to the public shows first 6 + last 4.
"""

from __future__ import annotations

from datetime import date

from sanzi_ledger.errors import Refusal

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_valid(text: str) -> bool:
    if len(text) != 18 or not text[:17].isascii() or not text[:17].isdigit():
        return False
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    total = sum(int(ch) * w for ch, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return text[17] == _ID_CHECK[total % 11]


def credit_code_valid(text: str) -> bool:
    if len(text) != 18 or any(ch not in _USCC_CHARS for ch in text):
        return False
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(text[:17], _USCC_WEIGHTS, strict=True))
    return text[17] == _USCC_CHARS[(31 - total % 31) % 31]


def check_party_id(text: str | None, *, field: str = "party_id", record: str | None = None) -> str:
    """'' when absent; otherwise a valid ID number or credit code (upper-cased)."""
    value = (text or "").strip().upper()
    if not value:
        return ""
    if not (resident_id_valid(value) or credit_code_valid(value)):
        raise Refusal("party.id_invalid", field=field, value=mask_id(value), record=record)
    return value


def mask_id(text: str) -> str:
    """First 6 + last 4 (domain.md §3); short values are masked whole."""
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
