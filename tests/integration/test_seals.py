"""Signing keys, seals and `audit verify` on a real store (SQLite and PostgreSQL).

A member generates a key pair; only the public key enters the ledger. Seals
(month close, publication, `audit seal`) may be signed with it. `audit verify`
checks the chain, every seal and signature, and rebuilds every published table
from the books as they were when it was drafted.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import date

import pytest

from sanzi_ledger.commands import books, seals, verification
from sanzi_ledger.commands import disclosure as disclose
from sanzi_ledger.commands import registers as reg
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.domain import seals as seal_domain
from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity import signing
from sanzi_ledger.integrity.seals import close_subject, current, seal_message
from sanzi_ledger.periods import parse_period
from tests.e2e.test_cli import sanzi
from tests.support import (
    ACCOUNTANT,
    CASHIER,
    CODE,
    SUPERVISOR,
    new_ledger,
    post,
    snapshot,
)

BOARD = "村委会公开栏"


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    post(ledger, "2025-01-02", {"102": 10_000_000}, {"301": 10_000_000}, summary="期初余额")
    post(ledger, "2025-01-06", {"102": 4_860_000}, {"501": 4_860_000}, summary="收到土地承包费")
    yield ledger
    ledger.close()


def as_(led, who: str):
    led.operator = who
    return led


def keygen(led, path, who: str = ACCOUNTANT) -> str:
    return seals.generate_key(as_(led, who), seals.GenerateKey(out=str(path))).id


def publish_january(led, out, key: str = "") -> str:
    disclose.add_board(as_(led, ACCOUNTANT), disclose.AddBoard(name=BOARD, location="村委会大院东侧公开栏", cadence="monthly"))
    number = disclose.draft(led, disclose.DraftDisclosure(board=BOARD, period="2025-01")).id
    disclose.review(as_(led, SUPERVISOR), disclose.ReviewDisclosure(number=number, approved=True, opinion="核对无误，同意公开"))
    disclose.publish(as_(led, ACCOUNTANT), disclose.PublishDisclosure(number=number, out=str(out), key=key))
    return number


def refused(led, act, code: str) -> Refusal:
    before = snapshot(led)
    with pytest.raises(Refusal) as error:
        act()
    assert error.value.code == code, error.value
    assert snapshot(led) == before
    return error.value


# -- keys ------------------------------------------------------------------------------------------
def test_keygen_writes_a_private_file_and_records_only_the_public_key(led, tmp_path):
    path = tmp_path / "li.pem"
    outcome = seals.generate_key(as_(led, ACCOUNTANT), seals.GenerateKey(out=str(path)))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    public = bytes.fromhex(outcome.extra["public_key"])
    assert outcome.id == outcome.extra["key_id"] == hashlib.sha256(public).hexdigest()[:16]
    recorded = led.app.load(seal_domain.keyring_id(CODE, ACCOUNTANT), seal_domain.apply_keyring)
    assert recorded.keys == (outcome.id,) and recorded.current == outcome.id
    # The private key never enters the ledger: no stored event holds its bytes in any form.
    private_raw = signing.load(str(path)).private.private_bytes_raw()
    events = snapshot(led)[0]
    assert all(private_raw.hex().encode() not in state and private_raw not in state for *_, state in events)
    assert seals.registered_keys(led) == [(ACCOUNTANT, 1, outcome.id)]


def test_keygen_refuses_an_existing_file_and_a_stranger_and_leaves_no_trace(led, tmp_path):
    path = tmp_path / "li.pem"
    path.write_text("an old key")
    refused(led, lambda: keygen(led, path), "seal.key_file_exists")
    assert path.read_text() == "an old key"
    stranger = tmp_path / "stranger.pem"
    refused(led, lambda: keygen(led, stranger, who="路人甲"), "member.unknown_operator")
    assert not stranger.exists()


def test_signed_close_seal_and_publication_verify_and_count(led, tmp_path):
    key = tmp_path / "li.pem"
    key_id = keygen(led, key)
    closed = books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01", key=str(key)))
    assert closed.extra["key_id"] == key_id and closed.extra["seal"].count(":") == 1
    taken = seals.take_seal(led, seals.TakeSeal(key=str(key), note="乡镇农经站检查"))
    position, head = taken.extra["chain_position"], taken.extra["chain_head"]
    assert taken.extra["seal"] == f"{position}:{head[:16]}" and taken.position > position
    assert signing.verify(signing.load(str(key)).public_hex, seal_message(position, head), taken.extra["signature"])
    unsigned = seals.take_seal(as_(led, SUPERVISOR), seals.TakeSeal())  # any member may seal, unsigned
    assert unsigned.extra["signature"] is None and unsigned.id == "2"
    publish_january(led, tmp_path / "out", key=str(key))
    report = verification.verify(led)
    assert report.ok and report.problems == [] and report.chain.ok
    assert (report.seals, report.signatures, report.disclosures) == (4, 3, 1)


def test_the_close_signature_binds_the_month_and_collective(led, tmp_path):
    key = tmp_path / "li.pem"
    keygen(led, key)
    books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01", key=str(key)))
    assert led.period(CODE, "2025-01").closed
    from sanzi_ledger.domain.periods import PeriodClosed
    from sanzi_ledger.ids import period_id

    closed = next(e for e in led.app.events.get(period_id(CODE, "2025-01")) if isinstance(e, PeriodClosed))
    public = signing.load(str(key)).public_hex
    message = seal_message(closed.chain_position, closed.chain_head, close_subject(CODE, "2025-01"))
    assert signing.verify(public, message, closed.signature)
    assert not signing.verify(public, seal_message(closed.chain_position, closed.chain_head), closed.signature)


def test_signing_refusals_name_the_file_and_write_nothing(led, tmp_path):
    mine, theirs = tmp_path / "li.pem", tmp_path / "wang.pem"
    keygen(led, theirs, who=CASHIER)
    error = refused(led, lambda: seals.take_seal(as_(led, ACCOUNTANT), seals.TakeSeal(key=str(theirs))), "seal.key_not_registered")
    assert error.value == str(theirs) and error.field == "key"
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    refused(led, lambda: seals.take_seal(led, seals.TakeSeal(key=str(garbage))), "seal.key_unreadable")
    refused(led, lambda: seals.take_seal(led, seals.TakeSeal(key=str(tmp_path / "absent.pem"))), "seal.key_missing")
    refused(led, lambda: books.close_period(led, books.ClosePeriod(month="2025-01", key=str(theirs))), "seal.key_not_registered")
    # A key replaced by a newer one signs nothing new.
    keygen(led, mine)
    keygen(led, tmp_path / "li-2026.pem")
    refused(led, lambda: books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01", key=str(mine))),
            "seal.key_retired")
    out = tmp_path / "out"
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    with pytest.raises(Refusal):
        publish_january(led, out, key=str(mine))
    assert not out.exists() or not any(out.glob("GK-*"))


def test_a_new_key_leaves_the_seals_signed_with_the_old_one_valid(led, tmp_path):
    old, new = tmp_path / "old.pem", tmp_path / "new.pem"
    keygen(led, old)
    seals.take_seal(led, seals.TakeSeal(key=str(old)))
    keygen(led, new)
    seals.take_seal(led, seals.TakeSeal(key=str(new)))
    report = verification.verify(led)
    assert report.ok and (report.seals, report.signatures) == (2, 2)
    assert [k for *_, k in seals.registered_keys(led)] == [signing.load(str(old)).key_id, signing.load(str(new)).key_id]


# -- published tables, rebuilt as they were --------------------------------------------------------
def test_published_tables_are_rebuilt_from_the_books_as_they_were_at_the_draft(led, tmp_path):
    books.close_period(as_(led, ACCOUNTANT), books.ClosePeriod(month="2025-01"))
    number = publish_january(led, tmp_path / "out")
    # After publication an asset acquired in December 2024 is registered (already in the books):
    # today's views would put it in January's asset table, the views at the draft did not.
    reg.add_asset(led, reg.AddAsset(number="ZC-001", name="村办公楼", category="房屋建筑物", value_fen=80_000_000,
                                    acquired=date(2024, 12, 1), via=None))
    report = verification.verify(led)
    assert report.ok and report.disclosures == 1
    from sanzi_ledger.domain import disclosures

    state = led.collective(CODE)
    drafted = led.app.load(disclosures.disclosure_id(CODE, number), disclosures.apply).drafted
    board = led.app.load(disclosures.board_id(CODE, BOARD), disclosures.apply_board)
    led.catch_up()
    today = disclose.compose_document(led.views, state, led.chart(state.chart), board, parse_period("2025-01"), other=(),
                                      corrects="", drafted_by=drafted.document["drafted_by"],
                                      drafted_at=drafted.document["drafted_at"])
    assert today.content_hash() != drafted.content_hash  # so the check above could fail


# -- the CLI -------------------------------------------------------------------------------------------
def test_the_cli_keygen_seal_and_verify(led, tmp_path):
    url = led.config.path if led.config.kind == "sqlite" else _url(led)
    led.close()
    key = str(tmp_path / "li.pem")
    made = json.loads(sanzi("--json", "audit", "keygen", "--out", key, db=url).stdout)
    assert made["ok"] and len(made["key_id"]) == 16 and made["file"] == key
    again = sanzi("audit", "keygen", "--out", key, db=url, check=1)
    assert "密钥文件已存在" in again.stderr
    sealed = sanzi("audit", "seal", "--note", "月度检查", db=url, env={"SANZI_KEY": key})
    assert f"签名密钥 {made['key_id']}" in sealed.stdout
    printed = sealed.stdout.split("：", 1)[1].split("，", 1)[0]  # "POSITION:HEAD16"
    closed = sanzi("period", "close", "2025-01", "--key", key, db=url)
    assert "结账印章" in closed.stdout and made["key_id"] in closed.stdout
    data = json.loads(sanzi("--json", "audit", "verify", "--seal", printed, db=url).stdout)
    assert data["ok"] and data["seals"] == 2 and data["signatures"] == 2 and data["external_seals"] == 1
    assert data["problems"] == [] and data["first_bad_position"] is None
    bad = sanzi("audit", "verify", "--seal", "12:zz", db=url, check=1)
    assert "外部印章应写成" in bad.stderr
    wrong = sanzi("--operator", SUPERVISOR, "audit", "seal", "--key", key, db=url, check=1)
    assert key in wrong.stderr and "没有登记" in wrong.stderr


def _url(led) -> str:
    config = led.config
    return f"postgresql://{config.user}@{config.host}:{config.port}/{config.dbname}?schema={config.schema}"


def test_seal_position_is_the_chain_before_the_seal(led):
    position, head = current(led.views)
    taken = seals.take_seal(as_(led, ACCOUNTANT), seals.TakeSeal())
    assert (taken.extra["chain_position"], taken.extra["chain_head"]) == (position, head)
    reopened = open_ledger(led.config.path if led.config.kind == "sqlite" else _url(led))
    try:
        assert verification.verify(reopened).ok
    finally:
        reopened.close()
