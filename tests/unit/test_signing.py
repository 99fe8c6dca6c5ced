"""Ed25519 keys and seal signatures, and the seal checks, without a store."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity import signing
from sanzi_ledger.integrity.seal_checks import SealRecord, check_external, check_seals
from sanzi_ledger.integrity.seals import (
    close_subject,
    publication_digest,
    seal_message,
    short_form,
)

HEAD = "ab" * 32


def test_generate_writes_a_private_pem_readable_by_the_owner_only(tmp_path):
    path = tmp_path / "me.pem"
    signer = signing.generate(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    raw = bytes.fromhex(signer.public_hex)
    assert len(raw) == 32 and signer.key_id == hashlib.sha256(raw).hexdigest()[:16]
    again = signing.load(str(path))
    assert (again.key_id, again.public_hex) == (signer.key_id, signer.public_hex)


def test_generate_refuses_to_overwrite_and_to_write_into_a_missing_folder(tmp_path):
    path = tmp_path / "me.pem"
    path.write_text("someone's only copy")
    with pytest.raises(Refusal) as refused:
        signing.generate(str(path))
    assert refused.value.code == "seal.key_file_exists" and path.read_text() == "someone's only copy"
    with pytest.raises(Refusal) as refused:
        signing.generate(str(tmp_path / "no" / "such" / "me.pem"))
    assert refused.value.code == "seal.key_folder"


def test_load_names_the_file_and_what_is_wrong(tmp_path):
    cases = {"missing": (tmp_path / "absent.pem", "seal.key_missing")}
    garbage = tmp_path / "garbage.pem"
    garbage.write_bytes(b"not a key at all")
    cases["garbage"] = (garbage, "seal.key_unreadable")
    encrypted = tmp_path / "encrypted.pem"
    key = signing.Ed25519PrivateKey.generate()
    encrypted.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.BestAvailableEncryption(b"secret")))
    cases["encrypted"] = (encrypted, "seal.key_unreadable")
    other = tmp_path / "ec.pem"
    other.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    cases["ecdsa"] = (other, "seal.key_not_ed25519")
    for path, code in cases.values():
        with pytest.raises(Refusal) as refused:
            signing.load(str(path))
        assert (refused.value.code, refused.value.field, refused.value.value) == (code, "key", str(path))


def test_a_signature_verifies_only_for_its_message_and_its_key(tmp_path):
    signer = signing.generate(str(tmp_path / "a.pem"))
    other = signing.generate(str(tmp_path / "b.pem"))
    message = seal_message(42, HEAD)
    signature = signer.sign(message)
    assert signing.verify(signer.public_hex, message, signature)
    assert not signing.verify(other.public_hex, message, signature)
    assert not signing.verify(signer.public_hex, seal_message(43, HEAD), signature)
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert not signing.verify(signer.public_hex, message, flipped)
    assert not signing.verify(signer.public_hex, message, "zz")  # malformed: False, not an exception
    assert not signing.verify("00" * 31, message, signature)


def test_the_signed_messages_are_as_documented():
    assert seal_message(7, HEAD) == f"sanzi-seal-v1|7|{HEAD}"
    assert seal_message(7, HEAD, close_subject("330100001", "2025-01")) == f"sanzi-seal-v1|7|{HEAD}|close|330100001|2025-01"
    # A publication signs exactly what its board digest hashes.
    content = "cd" * 32
    assert publication_digest(7, HEAD, content) == hashlib.sha256(seal_message(7, HEAD, content).encode()).hexdigest()
    assert short_form(1234, HEAD) == "1234:abababababababab"


# -- the seal checks on made-up records ------------------------------------------------------------
def _seal(event_position: int, chain_position: int, head: str = HEAD, **kwargs) -> SealRecord:
    fields = {"kind": "seal", "collective": "330100001", "ref": "1", "signer": "李会计"} | kwargs
    return SealRecord(event_position=event_position, chain_position=chain_position, chain_head=head, **fields)


def test_seals_that_hold_are_counted_and_a_wrong_head_is_named_at_its_position():
    heads = {5: HEAD, 9: "cd" * 32}
    report = check_seals([_seal(6, 5), _seal(10, 9, head="cd" * 32)], heads)
    assert (report.seals, report.signatures, report.problems) == (2, 0, [])
    report = check_seals([_seal(6, 5), _seal(10, 9, head="ef" * 32)], heads)
    assert report.seals == 1 and [(p.position, p.kind) for p in report.problems] == [(9, "seal_head")]


def test_a_seal_must_name_a_position_before_itself_but_seals_may_commit_in_either_order():
    report = check_seals([_seal(6, 6)], {6: HEAD})
    assert [(p.position, p.kind) for p in report.problems] == [(6, "seal_after")]
    # Two seals taken at once (each read the head, then both saved): the later-saved one may name
    # the earlier position. Both lie on the verified chain, so each extends what came before.
    report = check_seals([_seal(10, 9), _seal(12, 5)], {9: HEAD, 5: HEAD})
    assert report.problems == [] and report.seals == 2


def test_a_publication_seal_is_checked_through_its_board_digest():
    content = "cd" * 32
    good = _seal(8, 7, head="", kind="publication", ref="GK-2025-001", content_hash=content,
                 digest=publication_digest(7, HEAD, content))
    assert check_seals([good], {7: HEAD}).problems == []
    report = check_seals([good], {7: "ef" * 32})
    assert [(p.position, p.kind) for p in report.problems] == [(7, "seal_digest")]


def test_signatures_must_come_from_the_signers_key_registered_at_the_time(tmp_path):
    signer = signing.generate(str(tmp_path / "a.pem"))
    stranger = signing.generate(str(tmp_path / "b.pem"))
    message = seal_message(5, HEAD)
    registered = {"signer_key_id": signer.key_id, "signer_public_key": signer.public_hex}
    good = _seal(6, 5, key_id=signer.key_id, signature=signer.sign(message), **registered)
    assert (check_seals([good], {5: HEAD}).signatures, check_seals([good], {5: HEAD}).problems) == (1, [])
    forged = _seal(6, 5, key_id=signer.key_id, signature=stranger.sign(message), **registered)
    assert [p.kind for p in check_seals([forged], {5: HEAD}).problems] == ["signature"]
    foreign = _seal(6, 5, key_id=stranger.key_id, signature=stranger.sign(message), **registered)
    assert [p.kind for p in check_seals([foreign], {5: HEAD}).problems] == ["signature_key"]
    unregistered = _seal(6, 5, key_id=signer.key_id, signature=signer.sign(message))
    assert [p.kind for p in check_seals([unregistered], {5: HEAD}).problems] == ["signature_key"]


def test_an_external_seal_holds_cut_or_rewritten():
    assert check_external(5, HEAD[:16], 9, True, HEAD) is None
    assert check_external(5, "ef" * 8, 9, True, HEAD).kind == "external_seal"
    cut = check_external(12, HEAD[:16], 9, True, None)
    assert cut.kind == "external_seal" and "截" in cut.zh
    assert check_external(12, HEAD[:16], 9, False, None) is None  # the chain's own problem comes first


def test_a_seal_event_not_in_our_form_is_a_problem_not_a_crash():
    from sanzi_ledger.integrity.seal_checks import CLOSED, TAKEN, SealCollector

    collector = SealCollector()
    collector(7, 7, TAKEN, b"not json")
    collector(8, 8, CLOSED, b'{"collective": "330100001"}')
    assert [(p.position, p.kind) for p in collector.problems] == [(7, "malformed"), (8, "malformed")]
    assert collector.seals == []
