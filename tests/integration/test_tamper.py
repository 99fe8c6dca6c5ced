"""Tampering with the store behind the program's back, on SQLite and on PostgreSQL.

Each case builds a small ledger (vouchers, a reversal, a closed month), checks
the chain, closes the ledger, edits the database with raw SQL as an intruder
with write access would, reopens it and asks who notices:

  * the hash chain (`verify_chain`): any edit, deletion, insertion or
    reordering inside the log, or an edited link — named at its exact position;
  * a seal taken earlier (the events count and chain head copied out, or the
    publication digest printed on the board and checked by `disclose verify`):
    a cut tail, or a rewrite that recomputed every later link;
  * a rebuild of the views from the log: an edited view row;
  * `disclose verify`: an edited published file.

What nobody notices (tampering after the last seal, a correctly linked forged
append, a rewrite that also remakes the stored seal when checked by content
hash alone) is asserted too, so docs/integrity.md cannot claim more than the
code does.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pytest

from sanzi_ledger.commands import books, verification
from sanzi_ledger.commands import disclosure as disclose
from sanzi_ledger.commands import seals as seal_commands
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity import seals
from sanzi_ledger.integrity.chain import CHAIN_TABLE, GENESIS, link
from sanzi_ledger.integrity.verify import Verification, verify_chain
from sanzi_ledger.store import parse_store
from tests.e2e.test_cli import sanzi
from tests.support import ACCOUNTANT, SUPERVISOR, new_ledger, post

POSTED = "voucher.Posted.v1"
CLOSED = "period.Closed.v1"
BOARD = "村委会公开栏"


# -- raw access: the intruder's view of the database --------------------------------------------
class Raw:
    """One connection straight to the store's tables, bypassing the program.

    SQL is written once with `?` placeholders and `{events}`, `{chain}`,
    `{id}` (the notification id column) and `{s}` (schema prefix for views).
    """

    def __init__(self, url: str) -> None:
        config = parse_store(url)
        self.pg = config.kind == "postgres"
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(host=config.host, port=config.port, user=config.user,
                                        password=config.password, dbname=config.dbname)
            prefix = f'"{config.schema}".'
            self.names = {"events": prefix + "sanzi_events", "chain": prefix + CHAIN_TABLE,
                          "id": "notification_id", "s": prefix}
        else:
            self.conn = sqlite3.connect(config.path)
            self.names = {"events": "stored_events", "chain": CHAIN_TABLE, "id": "rowid", "s": ""}

    def q(self, sql: str, params: tuple = ()) -> list[tuple]:
        sql = sql.format(**self.names)
        if self.pg:
            sql = sql.replace("?", "%s")
        cursor = self.conn.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

    def uuid(self, value: uuid.UUID) -> uuid.UUID | str:
        """An originator id as this store keeps it (uuid on PostgreSQL, hex text on SQLite)."""
        return value if self.pg else value.hex

    def events(self) -> list[tuple[int, object, int, str, bytes]]:
        """(notification id, originator, version, topic, state) in log order."""
        return [(r[0], r[1], r[2], r[3], bytes(r[4])) for r in self.q(
            "SELECT {id}, originator_id, originator_version, topic, state FROM {events} ORDER BY {id}")]

    def links(self) -> list[tuple[int, int, bytes]]:
        return [(r[0], r[1], bytes(r[2])) for r in self.q(
            "SELECT position, notification_id, hash FROM {chain} ORDER BY position")]

    def position_of(self, notification_id: int) -> int:
        return self.q("SELECT position FROM {chain} WHERE notification_id = ?", (notification_id,))[0][0]

    def relink_from(self, position: int) -> None:
        """What a full-knowledge attacker does: recompute every link from `position` on, from the
        event bytes as they now are, with the program's own `link`."""
        links = self.links()
        previous = GENESIS if position == 1 else links[position - 2][2]
        by_id = {e[0]: e for e in self.events()}
        for pos, notification_id, _ in links[position - 1:]:
            _, originator, version, topic, state = by_id[notification_id]
            previous = link(previous, pos, originator, version, topic, state)
            self.q("UPDATE {chain} SET hash = ? WHERE position = ?", (previous, pos))


@contextmanager
def tampering(url: str) -> Iterator[Raw]:
    raw = Raw(url)
    try:
        yield raw
        raw.conn.commit()
    finally:
        raw.conn.close()


def reopened_verification(url: str) -> Verification:
    led = open_ledger(url)
    try:
        return verify_chain(led.app, led.views)
    finally:
        led.close()


def full_report(url: str, *external: tuple[int, str]) -> verification.Report:
    """`audit verify`: the chain, every seal and signature, every published table, and seals
    kept outside the machine given as (position, head)."""
    led = open_ledger(url)
    try:
        return verification.verify(led, tuple(verification.ExternalSeal(p, h[:16]) for p, h in external))
    finally:
        led.close()


def kinds(report: verification.Report) -> list[tuple[int, str]]:
    return [(p.position, p.kind) for p in report.problems]


def still_extends(seal_events: int, seal_head: str, url: str) -> bool:
    """Does the chain as stored now still pass through the seal a board printed earlier:
    the link at position `seal_events` is `seal_head`? (Read straight from `sanzi_chain`.)"""
    with tampering(url) as raw:
        found = raw.q("SELECT hash FROM {chain} WHERE position = ?", (seal_events,))
    return bool(found) and bytes(found[0][0]).hex() == seal_head


# -- the ledger that gets tampered with -----------------------------------------------------
@dataclass(frozen=True)
class Built:
    url: str
    seal: Verification  # what a board would print: events and chain head
    events: list[tuple]  # raw events, log order
    links: list[tuple[int, int, bytes]]

    def position(self, topic: str, nth: int = 0) -> int:
        """Chain position of the `nth` event with `topic`."""
        notification_id = [e[0] for e in self.events if e[3] == topic][nth]
        return next(pos for pos, nid, _ in self.links if nid == notification_id)

    def head_at(self, position: int) -> str:
        return self.links[position - 1][2].hex() if position else GENESIS.hex()


def build(url: str) -> Built:
    """Three vouchers, a reversal, January closed, one voucher in February."""
    led = new_ledger(url)
    try:
        post(led, "2025-01-02", {"102": 10_000_000}, {"301": 10_000_000}, summary="期初余额")
        post(led, "2025-01-06", {"102": 4_860_000}, {"501": 4_860_000}, summary="收到土地承包费")
        wrong = post(led, "2025-01-15", {"513": 128_650}, {"101": 128_650}, summary="支付办公用品费")
        books.reverse_voucher(led, books.ReverseVoucher(number=wrong, reason="金额错误", day=date(2025, 1, 20)))
        books.close_period(led, books.ClosePeriod(month="2025-01"))
        post(led, "2025-02-03", {"513": 52_000}, {"101": 52_000}, summary="支付差旅费")
        seal = verify_chain(led.app, led.views)
        assert seal.ok and seal.first_bad_position is None and seal.problem == ""
    finally:
        led.close()
    with tampering(url) as raw:
        events, links = raw.events(), raw.links()
    assert seal.events == len(events) == len(links) and seal.head == links[-1][2].hex()
    return Built(url, seal, events, links)


@pytest.fixture
def built(store_url) -> Built:
    return build(store_url)


def assert_fails_at(url: str, built: Built, position: int, words: str, kind: str) -> Verification:
    """Verification fails at exactly `position`; everything before it is reported intact;
    `audit verify` names the same first bad position and kind."""
    result = reopened_verification(url)
    assert not result.ok
    assert result.first_bad_position == position, result
    assert result.events == position - 1 and result.head == built.head_at(position - 1)
    assert words in result.problem and result.kind == kind
    report = full_report(url)
    assert not report.ok and report.first_bad_position == position and report.problems[0].kind == kind, kinds(report)
    return result


# -- 1. an amount changed inside an event -------------------------------------------------------
def test_an_amount_changed_inside_an_event_is_named_at_its_position(built):
    position = built.position(POSTED, 1)  # 收到土地承包费 48,600.00
    notification_id, *_, state = built.events[position - 1]
    assert state.count(b'"amount_fen":4860000') == 2
    with tampering(built.url) as raw:  # both lines, so the voucher still balances
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (state.replace(b'"amount_fen":4860000', b'"amount_fen":486000'), notification_id))
    assert_fails_at(built.url, built, position, "事件内容与链接不符", "altered")


# -- 2. an event deleted; an event deleted with its link --------------------------------------------
def test_a_deleted_event_is_named_at_its_position(built):
    position = built.position(POSTED, 2)  # 支付办公用品费, the one later reversed
    with tampering(built.url) as raw:
        raw.q("DELETE FROM {events} WHERE {id} = ?", (built.events[position - 1][0],))
    assert_fails_at(built.url, built, position, "事件与链接对不上", "mismatched")


def test_a_deleted_event_and_its_link_leave_a_hole_in_the_positions(built):
    position = built.position(POSTED, 2)
    with tampering(built.url) as raw:
        raw.q("DELETE FROM {events} WHERE {id} = ?", (built.events[position - 1][0],))
        raw.q("DELETE FROM {chain} WHERE position = ?", (position,))
    assert_fails_at(built.url, built, position, "链接位置不连续", "gap")


def test_the_last_event_deleted_without_its_link_is_caught(built):
    last = built.seal.events
    with tampering(built.url) as raw:
        raw.q("DELETE FROM {events} WHERE {id} = ?", (built.events[-1][0],))
    assert_fails_at(built.url, built, last, "链接多于事件", "extra_links")


# -- 3. two events swapped ------------------------------------------------------------------
@pytest.mark.parametrize("what", ["states", "whole rows"])
def test_two_swapped_events_are_named_at_the_earlier_position(built, what):
    first, second = built.position(POSTED, 0), built.position(POSTED, 1)
    a, b = built.events[first - 1], built.events[second - 1]
    with tampering(built.url) as raw:
        if what == "states":
            raw.q("UPDATE {events} SET state = ? WHERE {id} = ?", (b[4], a[0]))
            raw.q("UPDATE {events} SET state = ? WHERE {id} = ?", (a[4], b[0]))
        else:  # the history reordered; (originator, version) is a key, so move one aside first
            raw.q("UPDATE {events} SET originator_version = -1 WHERE {id} = ?", (a[0],))
            raw.q("UPDATE {events} SET originator_id = ?, originator_version = ?, topic = ?, state = ? WHERE {id} = ?",
                  (a[1], a[2], a[3], a[4], b[0]))
            raw.q("UPDATE {events} SET originator_id = ?, originator_version = ?, topic = ?, state = ? WHERE {id} = ?",
                  (b[1], b[2], b[3], b[4], a[0]))
        columns = slice(4, 5) if what == "states" else slice(1, 5)  # nothing lost or added: only moved
        assert sorted(e[columns] for e in raw.events()) == sorted(e[columns] for e in built.events)
        assert [e[columns] for e in raw.events()] != [e[columns] for e in built.events]
    assert_fails_at(built.url, built, first, "事件内容与链接不符", "altered")


# -- 4. a forged event inserted -----------------------------------------------------------------
def _forge(raw: Raw, built: Built) -> tuple[int, object, bytes]:
    """A voucher posting copied from a real one, under a new id, appended to the log."""
    *_, topic, state = built.events[built.position(POSTED, 1) - 1]
    original = json.loads(state)
    forged_id = uuid.uuid4()
    forged = json.dumps({**original, "originator_id": str(forged_id), "number": "记-2025-01-0099",
                         "summary": "伪造的收入"}, ensure_ascii=False, separators=(",", ":")).encode()
    (notification_id,) = raw.q("INSERT INTO {events} (originator_id, originator_version, topic, state) "
                               "VALUES (?, 1, ?, ?) RETURNING {id}", (raw.uuid(forged_id), topic, forged))[0]
    return notification_id, raw.uuid(forged_id), forged


def test_a_forged_event_without_a_link_is_named(built):
    with tampering(built.url) as raw:
        _forge(raw, built)
    assert_fails_at(built.url, built, built.seal.events + 1, "事件没有对应的链接", "unlinked")


@pytest.mark.parametrize("previous", ["genesis", "made-up previous"])
def test_a_forged_event_with_a_wrongly_linked_forged_link_is_named(built, previous):
    after = built.seal.events + 1
    with tampering(built.url) as raw:
        notification_id, originator, state = _forge(raw, built)
        # Either a link made as if it began the chain, or the right chain fed a made-up previous link.
        start = GENESIS if previous == "genesis" else bytes.fromhex("00" * 31 + "01")
        raw.q("INSERT INTO {chain} VALUES (?, ?, ?)",
              (after, notification_id, link(start, after, originator, 1, POSTED, state)))
    assert_fails_at(built.url, built, after, "事件内容与链接不符", "altered")


def test_a_forged_event_with_a_correct_link_is_not_detected(built):
    """The limit: whoever can write the database can append a well-linked event (the link
    function has no secret). The chain proves order and integrity, not authorship: nothing in
    the store tells this event from a real one, and the next seal will cover it."""
    after = built.seal.events + 1
    with tampering(built.url) as raw:
        notification_id, originator, state = _forge(raw, built)
        raw.q("INSERT INTO {chain} VALUES (?, ?, ?)",
              (after, notification_id, link(bytes.fromhex(built.seal.head), after, originator, 1, POSTED, state)))
    result = reopened_verification(built.url)
    assert result.ok and result.events == after
    assert still_extends(built.seal.events, built.seal.head, built.url)  # an appended forgery keeps the old seal
    assert full_report(built.url, (built.seal.events, built.seal.head)).ok  # nor does anything else see it


# -- 5. a chain link changed ---------------------------------------------------------------------
def test_a_changed_link_is_named_at_its_position(built):
    position = built.position(CLOSED)
    with tampering(built.url) as raw:
        raw.q("UPDATE {chain} SET hash = ? WHERE position = ?", (bytes(32), position))
    assert_fails_at(built.url, built, position, "事件内容与链接不符", "altered")


def test_a_link_pointing_at_another_event_is_named(built):
    position = built.position(CLOSED)
    with tampering(built.url) as raw:  # two links' notification ids exchanged
        other = built.links[position][1]
        raw.q("UPDATE {chain} SET notification_id = -1 WHERE position = ?", (position + 1,))
        raw.q("UPDATE {chain} SET notification_id = ? WHERE position = ?", (other, position))
        raw.q("UPDATE {chain} SET notification_id = ? WHERE position = ?", (built.links[position - 1][1], position + 1))
    assert_fails_at(built.url, built, position, "事件与链接对不上", "mismatched")


# -- 6. the tail cut behind a seal --------------------------------------------------------------
def test_a_cut_tail_passes_the_chain_but_not_an_earlier_seal(built):
    seal_events, seal_head = built.seal.events, built.seal.head  # printed on the board
    led = open_ledger(built.url, operator=ACCOUNTANT)
    try:  # honest growth after the seal: the seal still holds
        post(led, "2025-02-10", {"102": 300_000}, {"501": 300_000}, summary="收到房屋租金")
        grown = verify_chain(led.app, led.views)
    finally:
        led.close()
    assert grown.ok and grown.events == seal_events + 2
    assert still_extends(seal_events, seal_head, built.url)

    k = 4  # the two new events, and two from before the seal (the February voucher)
    with tampering(built.url) as raw:
        doomed = raw.links()[-k:]
        for _, notification_id, _ in doomed:
            raw.q("DELETE FROM {events} WHERE {id} = ?", (notification_id,))
        raw.q("DELETE FROM {chain} WHERE position > ?", (grown.events - k,))
    now = reopened_verification(built.url)
    assert now.ok and now.first_bad_position is None  # the chain alone: a shorter, intact history
    assert now.events == grown.events - k < seal_events and now.head == built.head_at(now.events)
    assert now.head != seal_head
    assert not still_extends(seal_events, seal_head, built.url)  # the board's seal catches it
    # `audit verify`: the views still remember the cut events; the outside seal is gone from the chain.
    assert kinds(full_report(built.url)) == [(now.events + 1, "views_ahead")]
    report = full_report(built.url, (seal_events, seal_head))
    assert kinds(report) == [(now.events + 1, "views_ahead"), (seal_events, "external_seal")]
    assert report.first_bad_position == now.events + 1 and "截" in report.problems[1].zh


# -- 7. a full-knowledge rewrite --------------------------------------------------------------
def test_a_rewrite_with_every_later_link_recomputed_passes_the_chain_but_not_an_earlier_seal(built):
    seal_events, seal_head = built.seal.events, built.seal.head
    position = built.position(POSTED, 1)
    notification_id, *_, state = built.events[position - 1]
    with tampering(built.url) as raw:
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (state.replace(b'"amount_fen":4860000', b'"amount_fen":486000'), notification_id))
        raw.relink_from(position)
    now = reopened_verification(built.url)
    assert now.ok and now.events == seal_events  # same length, every link consistent
    assert now.head != seal_head
    assert not still_extends(seal_events, seal_head, built.url)
    # January's close recorded the chain as it stood (its seal, inside the log): it no longer holds.
    # Only as a witness, though: the attacker could have rewritten that event too (see the doc).
    seal = json.loads(built.events[built.position(CLOSED) - 1][4])
    assert (seal["chain_position"], seal["chain_head"]) == (built.position(CLOSED) - 1, built.head_at(built.position(CLOSED) - 1))
    assert not still_extends(seal["chain_position"], seal["chain_head"], built.url)
    # `audit verify` checks that seal: history at or before its position was rewritten.
    report = full_report(built.url)
    assert report.chain.ok and kinds(report) == [(seal["chain_position"], "seal_head")]


def _reseal_close(raw: Raw, built: Built) -> None:
    """The attacker remakes January's close seal (inside the log) from the rewritten chain, and relinks."""
    position = built.position(CLOSED)
    notification_id, *_, state = raw.events()[position - 1]
    closed = json.loads(state)
    closed["chain_head"] = raw.links()[closed["chain_position"] - 1][2].hex()
    raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
          (json.dumps(closed, ensure_ascii=False, separators=(",", ":")).encode(), notification_id))
    raw.relink_from(position)


def test_a_rewrite_that_remakes_the_seals_inside_the_ledger_is_caught_only_by_a_seal_kept_outside(built):
    """7b: everything inside the store agrees with itself again; the seal copied out before
    (`audit verify --seal POSITION:HEAD`, as printed by `audit seal`) does not."""
    position = built.position(POSTED, 1)
    notification_id, *_, state = built.events[position - 1]
    with tampering(built.url) as raw:
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (state.replace(b'"amount_fen":4860000', b'"amount_fen":486000'), notification_id))
        raw.relink_from(position)
        _reseal_close(raw, built)
    assert full_report(built.url).ok  # nothing inside the store tells
    outside = f"{built.seal.events}:{built.seal.head[:16]}"
    report = full_report(built.url, (built.seal.events, built.seal.head))
    assert kinds(report) == [(built.seal.events, "external_seal")] and report.first_bad_position == built.seal.events
    failed = sanzi("audit", "verify", "--seal", outside, db=built.url, check=3)
    assert f"第 {built.seal.events} 个位置" in failed.stderr and "外部印章" in failed.stderr
    data = json.loads(sanzi("--json", "audit", "verify", "--seal", outside, db=built.url, check=3).stdout)
    assert data["ok"] is False and data["first_bad_position"] == built.seal.events
    assert [(p["position"], p["kind"]) for p in data["problems"]] == [(built.seal.events, "external_seal")]


@pytest.mark.parametrize("attack", ["rewrite", "cut"])
def test_tampering_after_the_last_seal_is_not_detected(built, attack):
    """The limit: history written after the last seal taken out of the machine can be rewritten,
    links and all, or cut, without anything in the store or on the board showing it."""
    seal_events = built.position(CLOSED)  # the board copied the chain right after January's close
    seal_head = built.head_at(seal_events)
    position = built.position(POSTED, -1)  # 支付差旅费, February, after that seal
    assert position > seal_events
    notification_id, *_, state = built.events[position - 1]
    with tampering(built.url) as raw:
        if attack == "rewrite":
            raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
                  (state.replace(b'"amount_fen":52000', b'"amount_fen":5200'), notification_id))
            raw.relink_from(position)
        else:
            for _, doomed, _ in raw.links()[seal_events:]:
                raw.q("DELETE FROM {events} WHERE {id} = ?", (doomed,))
            raw.q("DELETE FROM {chain} WHERE position > ?", (seal_events,))
        # A full-knowledge intruder also winds the views' tracked position back (the views are
        # not in the chain): otherwise `audit verify` sees the views ahead of the log.
        last = raw.events()[-1][0]
        raw.q("UPDATE {s}" + ("sanzi_tracking" if raw.pg else "tracking")
              + " SET notification_id = ? WHERE application_name = 'sanzi_views' AND notification_id > ?", (last, last))
    now = reopened_verification(built.url)
    assert now.ok and now.head != built.seal.head
    assert now.events == (built.seal.events if attack == "rewrite" else seal_events)
    assert still_extends(seal_events, seal_head, built.url)
    assert full_report(built.url, (seal_events, seal_head)).ok


# -- 6 and 7 against the seal the program itself prints on the board ------------------------------
def _publish(url: str, out) -> tuple[str, str, str, int]:
    """Publish January on the board: (number, seal digest, content hash, seal position)."""
    led = open_ledger(url, operator=ACCOUNTANT)
    try:
        disclose.add_board(led, disclose.AddBoard(name=BOARD, location="村委会大院东侧公开栏", cadence="monthly"))
        number = disclose.draft(led, disclose.DraftDisclosure(board=BOARD, period="2025-01")).id
        led.operator = SUPERVISOR
        disclose.review(led, disclose.ReviewDisclosure(number=number, approved=True, opinion="核对无误，同意公开"))
        led.operator = ACCOUNTANT
        extra = disclose.publish(led, disclose.PublishDisclosure(number=number, out=str(out))).extra
        pub = disclose.publication_of(led, led.resolve_collective(), number)
        assert verify_chain(led.app, led.views).ok
    finally:
        led.close()
    assert extra["digest"] == pub.seal_digest
    return number, pub.seal_digest, pub.content_hash, pub.seal_position


def _verdicts(url: str, *targets: str) -> list[disclose.Verdict]:
    """`disclose verify` of each target; a refusal (the publication is gone from the log while
    the views still list it) counts as not verified."""
    led = open_ledger(url)
    verdicts = []
    try:
        for target in targets:
            try:
                verdicts.append(disclose.verify(led, target))
            except Refusal as refused:
                verdicts.append(disclose.Verdict(False, "", "", f"refused: {refused.code}"))
        return verdicts
    finally:
        led.close()


@pytest.mark.parametrize("attack", ["cut tail", "rewrite", "rewrite and reseal"])
def test_the_seal_printed_on_the_board_catches_what_the_chain_cannot(built, tmp_path, attack):
    """The product's own external seal: the publication digest binds the chain's position and head.
    A cut tail or a consistent rewrite before it passes `verify_chain` but not `disclose verify`
    with the board's digest or the posted file."""
    number, digest, content_hash, seal_position = _publish(built.url, tmp_path / "out")
    html = str(tmp_path / "out" / f"{number}.html")
    assert all(v.matches for v in _verdicts(built.url, digest[:16], html))
    position = built.position(POSTED, 1)  # 48,600.00 received: before the publication
    assert position < seal_position
    with tampering(built.url) as raw:
        draft_position = raw.position_of(next(e[0] for e in raw.events() if e[3] == "disclosure.Drafted.v1"))
        if attack == "cut tail":  # back to before the publication's seal (its events go too)
            for _, notification_id, _ in raw.links()[seal_position - 1:]:
                raw.q("DELETE FROM {events} WHERE {id} = ?", (notification_id,))
            raw.q("DELETE FROM {chain} WHERE position >= ?", (seal_position,))
        else:
            notification_id, *_, state = built.events[position - 1]
            raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
                  (state.replace(b'"amount_fen":4860000', b'"amount_fen":486000'), notification_id))
            raw.relink_from(position)
        if attack == "rewrite and reseal":  # and the seal kept inside the log, made up again
            forged_head = raw.links()[seal_position - 1][2].hex()
            forged = seals.publication_digest(seal_position, forged_head, content_hash)
            published = next(e for e in raw.events() if e[3] == "disclosure.Published.v1")
            raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
                  (published[4].replace(digest.encode(), forged.encode()), published[0]))
            raw.relink_from(raw.position_of(published[0]))
    assert reopened_verification(built.url).ok  # the chain alone sees nothing
    if attack == "cut tail":  # the views, ahead of the log, are a witness nobody checks yet
        with tampering(built.url) as raw:
            tracked = raw.q("SELECT notification_id FROM {s}" + ("sanzi_tracking" if raw.pg else "tracking")
                            + " WHERE application_name = 'sanzi_views'")[0][0]
            assert tracked > max(e[0] for e in raw.events())
    by_digest, by_file, by_content = _verdicts(built.url, digest[:16], html, content_hash[:16])
    assert not by_digest.matches and not by_file.matches
    if attack == "rewrite":
        assert "改写" in by_digest.detail and "改写" in by_file.detail
    if attack == "rewrite and reseal":
        # The limit: the content hash alone witnesses the table, not the history behind it.
        assert by_content.matches
    else:
        assert not by_content.matches
    # `audit verify` inside the store: the views ahead of a cut log. After a rewrite: January's
    # close seal (before the publication), the table rebuilt from the rewritten books, and the
    # board digest unless remade.
    close_seal = built.position(CLOSED) - 1
    rebuilt = (draft_position, "disclosure_rebuild")
    expected = {"cut tail": [(seal_position, "views_ahead")],
                "rewrite": [(close_seal, "seal_head"), rebuilt, (seal_position, "seal_digest")],
                "rewrite and reseal": [(close_seal, "seal_head"), rebuilt]}[attack]
    assert kinds(full_report(built.url)) == expected


def test_a_published_table_rewritten_inside_the_ledger_is_caught_by_rebuilding_it(built, tmp_path):
    """The table frozen in the draft, its content hash, the publication's hash and board digest all
    remade to agree, every link recomputed: only rebuilding the table from the books as they
    were at the draft shows it (and `disclose verify` with the digest from the board)."""
    from sanzi_ledger.publish.document import Document

    _, digest, _, seal_position = _publish(built.url, tmp_path / "out")
    assert full_report(built.url).disclosures == 1
    with tampering(built.url) as raw:
        drafted_id, *_, state = next(e for e in raw.events() if e[3] == "disclosure.Drafted.v1")
        drafted = json.loads(state)
        assert "4860000" in json.dumps(drafted["document"])
        drafted["document"] = json.loads(json.dumps(drafted["document"]).replace("4860000", "4860"))
        forged_hash = Document.model_validate(drafted["document"]).content_hash()
        drafted["content_hash"] = forged_hash
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (json.dumps(drafted, ensure_ascii=False, separators=(",", ":")).encode(), drafted_id))
        draft_position = raw.position_of(drafted_id)
        raw.relink_from(draft_position)
        published_id, *_, state = next(e for e in raw.events() if e[3] == "disclosure.Published.v1")
        published = json.loads(state)
        head = raw.links()[seal_position - 1][2].hex()
        published.update(content_hash=forged_hash, seal_digest=seals.publication_digest(seal_position, head, forged_hash))
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (json.dumps(published, ensure_ascii=False, separators=(",", ":")).encode(), published_id))
        raw.relink_from(raw.position_of(published_id))
    report = full_report(built.url)
    assert report.chain.ok and report.seals == 2 and report.disclosures == 0
    assert kinds(report) == [(draft_position, "disclosure_rebuild")]
    assert not _verdicts(built.url, digest[:16])[0].matches  # the board's digest is gone from the ledger


# -- signatures forged --------------------------------------------------------------------------
@pytest.mark.parametrize("forgery", ["signature altered", "signed with another key"])
def test_a_forged_seal_signature_is_named_at_the_seal(built, tmp_path, forgery):
    from sanzi_ledger.integrity import signing

    led = open_ledger(built.url, operator=ACCOUNTANT)
    try:
        seal_commands.generate_key(led, seal_commands.GenerateKey(out=str(tmp_path / "li.pem")))
        taken = seal_commands.take_seal(led, seal_commands.TakeSeal(key=str(tmp_path / "li.pem")))
    finally:
        led.close()
    assert full_report(built.url).signatures == 1
    intruder = signing.generate(str(tmp_path / "intruder.pem"))
    with tampering(built.url) as raw:
        sealed_id, *_, state = next(e for e in raw.events() if e[3] == "seal.Taken.v1")
        sealed = json.loads(state)
        message = seals.seal_message(sealed["chain_position"], sealed["chain_head"])
        if forgery == "signature altered":  # e.g. to pass off a seal of another head as signed
            sealed["signature"] = intruder.sign(message)
        else:
            sealed.update(key_id=intruder.key_id, signature=intruder.sign(message))
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?",
              (json.dumps(sealed, ensure_ascii=False, separators=(",", ":")).encode(), sealed_id))
        raw.relink_from(raw.position_of(sealed_id))
    report = full_report(built.url)
    assert report.chain.ok and report.signatures == 0
    kind = "signature" if forgery == "signature altered" else "signature_key"
    assert kinds(report) == [(taken.position, kind)]


# -- 8. a view row changed ------------------------------------------------------------------------
def test_a_changed_view_row_passes_verify_and_audit_replay_names_it(built):
    with tampering(built.url) as raw:
        raw.q("UPDATE {s}v_account_month SET debit_fen = debit_fen + 100000 "
              "WHERE month = '2025-01' AND account = '102'")
    assert full_report(built.url).ok  # the views are derived: neither chain nor seals cover them
    replayed = sanzi("audit", "replay", db=built.url, check=3)
    assert "v_account_month" in replayed.stderr and "debit_fen" in replayed.stderr
    data = json.loads(sanzi("--json", "audit", "replay", db=built.url, check=3).stdout)
    assert data["ok"] is False and [d["table"] for d in data["differences"]] == ["v_account_month"]


def test_a_changed_view_row_passes_the_chain_and_a_rebuild_exposes_it(built):
    led = open_ledger(built.url)
    try:
        honest = led.projector.dump()
    finally:
        led.close()
    with tampering(built.url) as raw:
        raw.q("UPDATE {s}v_account_month SET debit_fen = debit_fen + 100000 "
              "WHERE month = '2025-01' AND account = '102'")
        assert raw.q("SELECT COUNT(*) FROM {s}v_account_month WHERE month = '2025-01' AND account = '102'")[0][0] == 1
    led = open_ledger(built.url)
    try:
        assert verify_chain(led.app, led.views).ok  # the views are derived: the chain does not cover them
        tampered = led.projector.dump()
        changed = [r for r in tampered["v_account_month"] if r not in honest["v_account_month"]]
        assert [(r[1], r[2]) for r in changed] == [("2025-01", "102")]
        led.projector.rebuild()
        rebuilt = led.projector.dump()
    finally:
        led.close()
    assert rebuilt != tampered and rebuilt == honest


# -- 9. a published file changed -----------------------------------------------------------------
def test_a_changed_published_file_is_caught_by_disclose_verify(built, tmp_path):
    number, digest, _, _ = _publish(built.url, tmp_path / "out")
    html, data = tmp_path / "out" / f"{number}.html", tmp_path / "out" / f"{number}.json"
    assert all(v.matches for v in _verdicts(built.url, str(html), str(data)))
    assert "48,600.00" in html.read_text("utf-8")
    html.write_text(html.read_text("utf-8").replace("48,600.00", "4,860.00"), "utf-8")
    data.write_text(data.read_text("utf-8").replace("4860000", "486000"), "utf-8")
    for verdict in _verdicts(built.url, str(html), str(data)):
        assert not verdict.matches and verdict.number == number and "不一致" in verdict.detail
    assert _verdicts(built.url, digest[:16])[0].matches  # the ledger itself is untouched
    assert reopened_verification(built.url).ok


# -- `sanzi audit verify` as typed ----------------------------------------------------------------
def test_audit_verify_exit_codes_and_json(built):
    intact = sanzi("audit", "verify", db=built.url)
    assert str(built.seal.events) in intact.stdout and built.seal.head in intact.stdout
    assert "印章：1 个成立" in intact.stdout and "公开表：0 份" in intact.stdout
    data = json.loads(sanzi("--json", "audit", "verify", db=built.url).stdout)
    assert data == {"ok": True, "events": built.seal.events, "head": built.seal.head, "first_bad_position": None,
                    "seals": 1, "signatures": 0, "disclosures": 0, "external_seals": 0, "problems": []}

    position = built.position(POSTED, 1)
    notification_id, *_, state = built.events[position - 1]
    with tampering(built.url) as raw:
        raw.q("UPDATE {events} SET state = ? WHERE {id} = ?", (state.replace(b"4860000", b"4860001"), notification_id))
    failed = sanzi("audit", "verify", db=built.url, check=3)
    assert f"第 {position} 个位置" in failed.stderr and "完整性校验失败" in failed.stderr
    english = sanzi("--lang", "en", "audit", "verify", db=built.url, check=3)
    assert f"position {position}" in english.stderr
    data = json.loads(sanzi("--json", "audit", "verify", db=built.url, check=3).stdout)
    problem = {"position": position, "kind": "altered", "message": "事件内容与链接不符（事件被改动，或链接被改动）"}
    assert data == {"ok": False, "events": position - 1, "head": built.head_at(position - 1),
                    "first_bad_position": position, "seals": 0, "signatures": 0, "disclosures": 0,
                    "external_seals": 0, "problems": [problem]}
