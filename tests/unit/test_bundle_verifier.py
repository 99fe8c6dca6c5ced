"""The stdlib verifier shipped in evidence bundles repeats our formulas: keep the copies equal."""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.integrity import bundle_verifier as standalone
from sanzi_ledger.integrity.chain import link
from sanzi_ledger.integrity.seals import publication_digest

texts = st.text(max_size=200)


@given(previous=st.binary(min_size=32, max_size=32), position=st.integers(1, 2**40), originator=st.uuids(),
       version=st.integers(1, 2**31), topic=texts, state=st.binary(max_size=500))
def test_the_standalone_link_is_the_chain_link(previous: bytes, position: int, originator: UUID, version: int,
                                               topic: str, state: bytes) -> None:
    assert standalone.link(previous, position, str(originator), version, topic, state) == link(
        previous, position, originator, version, topic, state)


@given(position=st.integers(0, 2**40), head=st.text("0123456789abcdef", min_size=64, max_size=64),
       content=st.text("0123456789abcdef", min_size=64, max_size=64))
def test_the_standalone_board_digest_is_the_seal_digest(position: int, head: str, content: str) -> None:
    assert standalone.publication_digest(position, head, content) == publication_digest(position, head, content)


def test_the_standalone_content_hash_is_the_documents() -> None:
    document = {"title": "财务收支公开表", "rows": [{"名称": "租金", "金额": "1,200.00"}], "b": 1, "a": [1, 2]}
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert standalone.content_hash(document) == hashlib.sha256(canonical).hexdigest()


@settings(max_examples=20, deadline=None)
@given(message=st.binary(max_size=300), flip=st.integers(0, 63 * 8))
def test_the_standalone_ed25519_agrees_with_cryptography(message: bytes, flip: int) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    signature = key.sign(message)
    assert standalone.ed25519_verify(public, message, signature)
    forged = bytearray(signature)
    forged[flip // 8] ^= 1 << (flip % 8)
    assert not standalone.ed25519_verify(public, message, bytes(forged))
    assert not standalone.ed25519_verify(public, message + b"!", signature)
