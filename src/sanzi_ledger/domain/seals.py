"""Seals (印章) and the members' signing keys.

A seal is a checkpoint of the hash chain: (position, head) at a moment, who
took it, and optionally an Ed25519 signature over it. Month closes and
publications carry their own seal in their events; `audit seal` records a
stand-alone one here.

Each member's public keys form one aggregate (a keyring): registering a new
key retires the previous one for new signatures, while seals signed before
stay valid, because verification asks which key was current when the seal
was recorded. The private key never enters the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import record_id
from sanzi_ledger.text import NOTE_CHARS_MAX, clean_text

ALGORITHM = "ed25519"
KEYS_PER_MEMBER_MAX = 100  # a key a month for eight years; more is a runaway script


def keyring_id(collective: str, member: str) -> UUID:
    return record_id("seal-keys", collective, member)


def seal_book_id(collective: str) -> UUID:
    return record_id("seals", collective, "")


class KeyRegistered(CollectiveEvent):
    TOPIC = "seal.KeyRegistered.v1"
    member: str
    key_id: str  # first 16 hex of SHA-256 of the raw public key
    public_key: str  # raw 32-byte Ed25519 public key, hex
    algorithm: str = ALGORITHM


class SealTaken(CollectiveEvent):
    TOPIC = "seal.Taken.v1"
    seq: int  # per collective, gap-free
    chain_position: int
    chain_head: str
    note: str = ""
    key_id: str = ""
    signature: str = ""  # Ed25519 over integrity.seals.seal_message(chain_position, chain_head), hex


@dataclass(frozen=True)
class Keyring:
    version: int
    member: str
    keys: tuple[str, ...]  # key ids, oldest first; the last is current

    @property
    def current(self) -> str:
        return self.keys[-1]


@dataclass(frozen=True)
class SealBook:
    version: int
    seals: int


def apply_keyring(state: Keyring | None, event: Event) -> Keyring | None:
    assert isinstance(event, KeyRegistered), event
    keys = state.keys if state else ()
    return Keyring(event.originator_version, event.member, (*keys, event.key_id))


def apply_book(state: SealBook | None, event: Event) -> SealBook | None:
    assert isinstance(event, SealTaken), event
    return SealBook(event.originator_version, event.seq)


def register_key(
    state: Keyring | None, *, collective: str, member: str, key_id: str, public_key: str, operator: str, now: datetime,
) -> list[Event]:
    """A member registers their own new public key; it becomes their current key."""
    assert member == operator, (member, operator)
    assert len(key_id) == 16 and len(public_key) == 64, (key_id, public_key)
    if state is not None and key_id in state.keys:
        raise Refusal("seal.key_duplicate", field="key", value=key_id, record=member)
    if state is not None and len(state.keys) >= KEYS_PER_MEMBER_MAX:
        raise Refusal("seal.too_many_keys", field="key", value=key_id, record=member, limit=KEYS_PER_MEMBER_MAX)
    return [KeyRegistered(
        originator_id=keyring_id(collective, member), originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective, member=member, key_id=key_id, public_key=public_key,
    )]


def require_current_key(state: Keyring | None, *, member: str, key_id: str, path: str) -> None:
    """A seal may be signed only with the signer's current registered key."""
    if state is None or key_id not in state.keys:
        raise Refusal("seal.key_not_registered", field="key", value=path, record=member, key_id=key_id)
    if key_id != state.current:
        raise Refusal("seal.key_retired", field="key", value=path, record=member, key_id=key_id, current=state.current)


def take(
    state: SealBook | None, *, collective: str, chain_position: int, chain_head: str, note: str,
    key_id: str, signature: str, operator: str, now: datetime,
) -> list[Event]:
    """A stand-alone seal of the chain as it stands (`audit seal`)."""
    assert (key_id == "") == (signature == ""), (key_id, signature)
    note = clean_text(note, field="note", chars_max=NOTE_CHARS_MAX, required=False, record="印章")
    if chain_position == 0:
        raise Refusal("seal.empty_chain", field="db", value=None, record=collective)
    seq = (state.seals if state else 0) + 1
    return [SealTaken(
        originator_id=seal_book_id(collective), originator_version=(state.version if state else 0) + 1,
        timestamp=now, operator=operator, collective=collective, seq=seq, chain_position=chain_position,
        chain_head=chain_head, note=note, key_id=key_id, signature=signature,
    )]
