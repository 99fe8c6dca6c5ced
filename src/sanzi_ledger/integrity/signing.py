"""Ed25519 keys of members, and the signatures on seals.

A member's private key lives in a PEM file on their own machine (mode 0600);
only the public key enters the ledger (`seal.KeyRegistered.v1`), under a key
id: the first 16 hex digits of SHA-256 of the raw 32-byte public key.

What is signed is a short text that names the chain's position and head (and
what the seal is for), so a signature is checkable with nothing but the
public key, the position and the head: see `integrity/seals.py` for the
messages and docs/integrity.md for the formats.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from sanzi_ledger.errors import Refusal

KEY_ID_HEX = 16
PEM_BYTES_MAX = 16_384  # an Ed25519 PEM is about 120 bytes: anything huge is not a key


def key_id_of(public_raw: bytes) -> str:
    assert len(public_raw) == 32, len(public_raw)
    return hashlib.sha256(public_raw).hexdigest()[:KEY_ID_HEX]


@dataclass(frozen=True)
class Signer:
    """A private key read from its file, ready to sign seals."""

    path: str
    private: Ed25519PrivateKey
    public_hex: str
    key_id: str

    def sign(self, message: str) -> str:
        return self.private.sign(message.encode("utf-8")).hex()


def _signer(path: str, private: Ed25519PrivateKey) -> Signer:
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Signer(path=path, private=private, public_hex=public.hex(), key_id=key_id_of(public))


def generate(out: str) -> Signer:
    """A new key pair; the private key written to `out` (PEM, PKCS#8, mode 0600).

    Refuses an existing file: overwriting someone's only copy of a key would
    orphan every seal they may still need to sign."""
    path = Path(out)
    if path.exists() or path.is_symlink():
        raise Refusal("seal.key_file_exists", field="out", value=out)
    if not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
        raise Refusal("seal.key_folder", field="out", value=out, folder=str(path.parent))
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    try:  # O_EXCL: a file that appeared since the check is not overwritten either
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise Refusal("seal.key_file_exists", field="out", value=out) from error
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return _signer(out, private)


def load(path: str) -> Signer:
    """Read a private key file; refusals name the file and what is wrong with it."""
    file = Path(path)
    if not file.is_file():
        raise Refusal("seal.key_missing", field="key", value=path)
    try:
        data = file.read_bytes()[: PEM_BYTES_MAX + 1]
    except OSError as error:
        raise Refusal("seal.key_unreadable", field="key", value=path, reason=error.strerror or str(error)) from error
    if len(data) > PEM_BYTES_MAX:
        raise Refusal("seal.key_unreadable", field="key", value=path, reason="too large")
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:  # not PEM, encrypted, or an unsupported key
        raise Refusal("seal.key_unreadable", field="key", value=path, reason=type(error).__name__) from error
    if not isinstance(private, Ed25519PrivateKey):
        raise Refusal("seal.key_not_ed25519", field="key", value=path, found=type(private).__name__)
    return _signer(path, private)


def verify(public_hex: str, message: str, signature_hex: str) -> bool:
    """Does `signature_hex` sign `message` under `public_hex`? Malformed input is simply False."""
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        public.verify(bytes.fromhex(signature_hex), message.encode("utf-8"))
    except (ValueError, InvalidSignature):
        return False
    return True
