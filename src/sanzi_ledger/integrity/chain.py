"""The hash chain: every stored event linked to the one before, in log order.

Each link hashes a domain-separation prefix, the previous link, our own
gap-free position and exactly the stored bytes of the event (originator,
version, topic, state). Positions are ours, not the library's notification
ids, which may have gaps on PostgreSQL. Links are written in the same
transaction as the events (`integrity/recorders.py`), so an event can never
be stored without its link.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

PREFIX = b"sanzi-chain-v1\x00"
GENESIS = bytes(32)
CHAIN_TABLE = "sanzi_chain"


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def link(previous: bytes, position: int, originator_id: UUID | str, version: int, topic: str, state: bytes | str) -> bytes:
    originator = originator_id.hex if isinstance(originator_id, UUID) else str(originator_id).replace("-", "")
    # A tampered SQLite row may hold TEXT where the library wrote a BLOB: hash what is there.
    state = state.encode("utf-8") if isinstance(state, str) else state
    return hashlib.sha256(
        PREFIX + previous + position.to_bytes(8, "big") + _field(originator.encode()) + version.to_bytes(8, "big")
        + _field(topic.encode()) + _field(bytes(state))
    ).digest()
