"""Recompute the hash chain from genesis and name the first position that fails.

What it detects: any change to a stored event's bytes, a deleted, inserted or
reordered event, a link deleted or changed. What it cannot detect alone:
someone who rewrites the events AND recomputes every link after them, or cuts
the tail of the log with its links — only a seal kept outside the machine
(the digest on the village board, a printed seal) catches those; the seals
are checked in `integrity/seal_checks.py`. See docs/integrity.md.

Speed: one paged SQL join per page (events in log order, each with its link),
read through the raw database cursor; the inner loop hashes inline. Memory
holds one page, whatever the size of the ledger.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.integrity.chain import CHAIN_TABLE, GENESIS, PREFIX
from sanzi_ledger.projections.views import Cursor, Views

PAGE = 20_000  # rows per query: about 10 MB of events at most in memory
# Called for each verified event whose topic is watched: (position, notification id, topic, state).
Watch = Callable[[int, int, str, bytes], None]


@dataclass(frozen=True)
class Problem:
    position: int
    kind: str
    zh: str
    en: str

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int  # verified positions: the whole log when ok, the intact prefix otherwise
    head: str  # hex of the last good link
    first_bad_position: int | None
    problem: str  # Chinese, for people; "" when ok
    kind: str = ""
    problem_en: str = ""

    @property
    def problems(self) -> list[Problem]:
        if self.ok:
            return []
        assert self.first_bad_position is not None
        return [Problem(self.first_bad_position, self.kind, self.problem, self.problem_en)]


_ALTERED = ("altered", "事件内容与链接不符（事件被改动，或链接被改动）", "the event does not match its link (event or link altered)")
_UNLINKED = ("unlinked", "事件没有对应的链接（事件被插入，或链接被删除）", "an event without a link (event inserted or link deleted)")
_MISMATCHED = ("mismatched", "事件与链接对不上（事件被删除、插入或调换）", "the link names another event (event deleted, inserted or swapped)")
_EXTRA = ("extra_links", "链接多于事件（事件被删除）", "more links than events (events deleted)")


def _sql(app: LedgerApplication, postgres: bool) -> str:
    events, key = app.recorder.events_table_name, ("notification_id" if postgres else "rowid")  # type: ignore[attr-defined]
    return (f"SELECT e.{key}, e.originator_id, e.originator_version, e.topic, e.state, c.position, c.hash "
            f"FROM {events} e LEFT JOIN {CHAIN_TABLE} c ON c.notification_id = e.{key} "
            f"WHERE e.{key} > ? ORDER BY e.{key} LIMIT ?")


def verify_chain(app: LedgerApplication, views: Views, watch: Watch | None = None,
                 watched: frozenset[str] = frozenset()) -> Verification:
    """Walk the log in order, recomputing each link; stop at the first problem."""
    sql = _sql(app, views.postgres)
    sha256, pack_q, pack_i = hashlib.sha256, struct.Struct(">Q").pack, struct.Struct(">I").pack
    previous, position, after = GENESIS, 0, 0
    topics: dict[str, bytes] = {}  # topic -> its length-prefixed bytes: a handful of topics, millions of events
    with views.transaction() as cursor:
        while True:
            cursor.execute(sql, (after, PAGE))
            rows = cursor.raw.fetchall()
            try:
                for notification_id, originator, version, topic, state, link_position, stored in rows:
                    position += 1
                    if link_position != position:
                        return _misplaced(cursor, position, previous, link_position)
                    if type(originator) is not str or "-" in originator:
                        originator = _originator_text(originator)
                    original = originator.encode()
                    field = topics.get(topic)
                    if field is None:
                        field = topics[topic] = pack_i(len(topic.encode())) + topic.encode()
                    if type(state) is not bytes:
                        state = _state_bytes(state)
                    computed = sha256(b"".join((
                        PREFIX, previous, pack_q(position), pack_i(len(original)), original, pack_q(version),
                        field, pack_i(len(state)), state,
                    ))).digest()
                    if computed != stored:
                        return _bad(position, previous, _ALTERED)
                    previous = computed
                    if watch is not None and topic in watched:
                        watch(position, notification_id, topic, state)
            except (struct.error, OverflowError, TypeError, AttributeError):
                return _bad(position, previous, _ALTERED)  # a value no honest write stores (negative version, NULL)
            if len(rows) < PAGE:
                break
            after = rows[-1][0]
        extra = cursor.query(f"SELECT MIN(position) FROM {CHAIN_TABLE} WHERE position > ?", (position,))
    if extra and extra[0][0] is not None:
        return _bad(position + 1, previous, _EXTRA)
    return Verification(True, position, previous.hex(), None, "")


def _originator_text(originator: object) -> str:
    """As `chain.link` reads it: PostgreSQL's uuid, or SQLite text (a tampered one may carry dashes)."""
    return originator.hex if isinstance(originator, UUID) else str(originator).replace("-", "")


def _state_bytes(state: object) -> bytes:
    """SQLite TEXT written by hand, or a memoryview: hash what is there, as `chain.link` does."""
    return state.encode("utf-8") if isinstance(state, str) else bytes(state)  # type: ignore[arg-type]


def _misplaced(cursor: Cursor, position: int, previous: bytes, link_position: int | None) -> Verification:
    """The event at `position` has no link, or the link of another position."""
    if link_position is None:
        return _bad(position, previous, _UNLINKED)
    if cursor.query(f"SELECT 1 FROM {CHAIN_TABLE} WHERE position = ?", (position,)):
        return _bad(position, previous, _MISMATCHED)
    kind, zh, en = "gap", f"链接位置不连续（应为 {position}，实为 {link_position}）", f"link positions jump ({position} expected, {link_position} found)"
    return _bad(position, previous, (kind, zh, en))


def _bad(bad: int, previous: bytes, what: tuple[str, str, str]) -> Verification:
    kind, zh, en = what
    return Verification(False, bad - 1, previous.hex(), bad, zh, kind, en)
