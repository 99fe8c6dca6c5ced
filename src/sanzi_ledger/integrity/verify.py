"""Recompute the hash chain from genesis and name the first position that fails.

What it detects: any change to a stored event's bytes, a deleted, inserted or
reordered event, a link deleted or changed. What it cannot detect alone:
someone who rewrites the events AND recomputes every link after them, or cuts
the tail of the log with its links — only a seal kept outside the machine
(the digest on the village board) catches those. See docs/integrity.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanzi_ledger.app import LedgerApplication
from sanzi_ledger.integrity.chain import CHAIN_TABLE, GENESIS, link
from sanzi_ledger.projections.views import Views

PAGE = 5_000


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    head: str  # hex of the last good link
    first_bad_position: int | None
    problem: str  # Chinese, for people; "" when ok


def verify_chain(app: LedgerApplication, views: Views) -> Verification:
    previous, position, after_id = GENESIS, 0, 0
    while True:
        notifications = app.recorder.select_notifications(start=after_id, limit=PAGE, inclusive_of_start=False)
        links = views.query(
            f"SELECT position, notification_id, hash FROM {CHAIN_TABLE} WHERE position > ? ORDER BY position LIMIT ?",
            (position, PAGE),
        )
        for index, notification in enumerate(notifications):
            expected = position + 1
            if index >= len(links):
                return _bad(position, previous, expected, "事件没有对应的链接（事件被插入，或链接被删除）")
            link_position, link_id, stored = links[index]
            if link_position != expected:
                return _bad(position, previous, expected, f"链接位置不连续（应为 {expected}，实为 {link_position}）")
            if link_id != notification.id:
                return _bad(position, previous, expected, "事件与链接对不上（事件被删除、插入或调换）")
            computed = link(previous, expected, notification.originator_id, notification.originator_version,
                            notification.topic, notification.state)
            if computed != bytes(stored):
                return _bad(position, previous, expected, "事件内容与链接不符（事件被改动，或链接被改动）")
            previous, position, after_id = computed, expected, notification.id
        if len(links) > len(notifications):
            return _bad(position, previous, position + 1, "链接多于事件（事件被删除）")
        if not notifications:
            return Verification(True, position, previous.hex(), None, "")


def _bad(position: int, previous: bytes, bad: int, problem: str) -> Verification:
    return Verification(False, position, previous.hex(), bad, problem)
