"""Signing keys and seals: `audit keygen`, `audit seal`, and the signature that
`period close` and `disclose publish` add to the seal they already take."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.domain import collectives, seals
from sanzi_ledger.integrity.seals import current, seal_message, short_form

if TYPE_CHECKING:  # cryptography is imported only when a key is used: commands must start fast
    from sanzi_ledger.integrity.signing import Signer

# Any registered member may hold a key and take a seal: sealing only witnesses
# the chain, it changes nothing in the books.
SEALERS = frozenset(collectives.ROLES)


class GenerateKey(Command):
    out: str


class TakeSeal(Command):
    key: str = ""  # a private key file; "" takes an unsigned seal
    note: str = ""


@dataclass(frozen=True)
class Signature:
    key_id: str
    signature: str


def load_signer(path: str) -> Signer | None:
    """The private key named by `--key` (or SANZI_KEY), read before anything is decided."""
    if not path:
        return None
    from sanzi_ledger.integrity import signing

    return signing.load(path)


def sign(led: Ledger, collective: str, signer: Signer | None, message: str) -> Signature:
    """Sign `message` with the operator's current registered key; ("", "") when not signing."""
    if signer is None:
        return Signature("", "")
    operator = led.require_operator()
    keyring = led.app.load(seals.keyring_id(collective, operator), seals.apply_keyring)
    seals.require_current_key(keyring, member=operator, key_id=signer.key_id, path=signer.path)
    return Signature(signer.key_id, signer.sign(message))


def generate_key(led: Ledger, cmd: GenerateKey) -> Outcome:
    """A new key pair: the private key to a file of its own, the public key into the ledger."""
    operator = led.require_operator()
    led.ledger_state()
    led.acting(SEALERS, "audit keygen")  # refuse a non-member before a file is written
    from sanzi_ledger.integrity import signing

    signer = signing.generate(cmd.out)

    def decide():
        state, _ = led.acting(SEALERS, "audit keygen")
        keyring = led.app.load(seals.keyring_id(state.code, operator), seals.apply_keyring)
        return seals.register_key(keyring, collective=state.code, member=operator, key_id=signer.key_id,
                                  public_key=signer.public_hex, operator=operator, now=led.now()), None

    try:
        position, _ = led.execute(decide)
    except BaseException:
        os.unlink(cmd.out)  # nothing recorded: no key file either
        raise
    return Outcome(id=signer.key_id, position=position,
                   extra={"key_id": signer.key_id, "public_key": signer.public_hex, "file": cmd.out})


def take_seal(led: Ledger, cmd: TakeSeal) -> Outcome:
    operator = led.require_operator()
    led.ledger_state()
    signer = load_signer(cmd.key)

    def decide():
        state, _ = led.acting(SEALERS, "audit seal")
        position, head = current(led.views)
        signature = sign(led, state.code, signer, seal_message(position, head))
        book = led.app.load(seals.seal_book_id(state.code), seals.apply_book)
        events = seals.take(book, collective=state.code, chain_position=position, chain_head=head, note=cmd.note,
                            key_id=signature.key_id, signature=signature.signature, operator=operator, now=led.now())
        return events, events[0]

    position, taken = led.execute(decide)
    return Outcome(id=str(taken.seq), position=position, extra={
        "seal": short_form(taken.chain_position, taken.chain_head), "chain_position": taken.chain_position,
        "chain_head": taken.chain_head, "key_id": taken.key_id or None, "signature": taken.signature or None,
    })


def registered_keys(led: Ledger) -> list[tuple[str, int, str]]:
    """(member, n-th key, key id) of the current collective, oldest first per member."""
    state = led.collective()
    out = []
    for member in sorted(state.members):
        keyring = led.app.load(seals.keyring_id(state.code, member), seals.apply_keyring)
        out += [(member, index, key_id) for index, key_id in enumerate(keyring.keys if keyring else (), start=1)]
    return out
