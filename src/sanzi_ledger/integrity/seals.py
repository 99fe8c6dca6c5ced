"""Seals: (chain position, chain head) taken at month close and at every publication.

A seal printed on the village board is kept outside the machine: if anyone
later rewrites the history before it (even recomputing every link), the
chain's link at that position no longer equals the head on the board.
"""

from __future__ import annotations

import hashlib

from sanzi_ledger.integrity.chain import CHAIN_TABLE
from sanzi_ledger.projections.views import Views


def current(views: Views) -> tuple[int, str]:
    """(position, head hex) of the last link; (0, '') for an empty log."""
    rows = views.query(f"SELECT position, hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
    return (int(rows[0][0]), bytes(rows[0][1]).hex()) if rows else (0, "")


def head_at(views: Views, position: int) -> str:
    rows = views.query(f"SELECT hash FROM {CHAIN_TABLE} WHERE position = ?", (position,))
    return bytes(rows[0][0]).hex() if rows else ""


def seal_message(position: int, head: str, subject: str = "") -> str:
    """The text a seal's Ed25519 signature signs (docs/integrity.md, "签名的内容").

    A stand-alone seal signs the chain alone; a month close adds
    `close|COLLECTIVE|MONTH`; a publication adds the table's content hash, so
    its signed message is exactly what the board digest hashes."""
    return f"sanzi-seal-v1|{position}|{head}" + (f"|{subject}" if subject else "")


def close_subject(collective: str, month: str) -> str:
    return f"close|{collective}|{month}"


def publication_digest(position: int, head: str, content_hash: str) -> str:
    """What the board prints: the chain at publication and the table's content, bound together."""
    return hashlib.sha256(seal_message(position, head, content_hash).encode()).hexdigest()


def short_form(position: int, head: str) -> str:
    """How a seal is printed and typed back (`audit verify --seal`): position, a colon, 16 hex of the head."""
    return f"{position}:{head[:16]}"
