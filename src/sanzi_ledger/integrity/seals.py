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


def publication_digest(position: int, head: str, content_hash: str) -> str:
    """What the board prints: the chain at publication and the table's content, bound together."""
    return hashlib.sha256(f"sanzi-seal-v1|{position}|{head}|{content_hash}".encode()).hexdigest()
