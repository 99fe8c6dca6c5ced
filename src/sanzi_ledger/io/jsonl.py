"""Every event as JSON Lines: the whole log, readable and checkable without this program.

One object per line, in log order:

    position            our gap-free chain position (1, 2, 3 …)
    notification_id     the store's own id (may have gaps on PostgreSQL)
    recorded_at         the event's recorded time (UTC, ISO 8601)
    topic               the versioned event type, e.g. "voucher.Posted.v1"
    originator_id       the aggregate's UUID
    originator_version  the aggregate's version after this event
    payload             the event, parsed
    state_b64           the event's EXACT stored bytes, base64
    chain_hash          hex of this event's link in the hash chain

`state_b64` is there because the chain hashes bytes, not meaning: a JSON
parser and re-serialiser would have to reproduce key order, spacing and
escapes exactly, and no writer guarantees that across 30 years. With the
bytes, the link formula of `integrity/chain.py` recomputes every
`chain_hash` with the standard library alone (docs/export.md holds a
20-line checker), and `payload` is checked to be what the bytes say.

The file is written as it is read, a page of events at a time, and stops at
the head the log had when writing began. An event with no link (a tampered
store) is written with `position` and `chain_hash` null, never left out:
the checker then names it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from sanzi_ledger.integrity.chain import CHAIN_TABLE

if TYPE_CHECKING:
    from sanzi_ledger.app import LedgerApplication
    from sanzi_ledger.projections.views import Views

PAGE_EVENTS = 5_000


@dataclass(frozen=True)
class Written:
    events: int
    head: str  # hex of the last event's chain link; "" for an empty log


def _state_bytes(state: bytes | str) -> bytes:
    # A tampered SQLite row may hold TEXT where the library wrote a BLOB (as in chain.link).
    return state.encode("utf-8") if isinstance(state, str) else bytes(state)


def _payload(state: bytes) -> Any:
    try:
        return json.loads(state)
    except ValueError:
        return None  # not JSON any more (tampered): the bytes are still there


def event_line(notification: Any, link: tuple[int, bytes] | None) -> str:
    state = _state_bytes(notification.state)
    payload = _payload(state)
    position, chain_hash = (link[0], bytes(link[1]).hex()) if link else (None, None)
    return json.dumps({
        "position": position,
        "notification_id": notification.id,
        "recorded_at": payload.get("timestamp") if isinstance(payload, dict) else None,
        "topic": notification.topic,
        "originator_id": str(notification.originator_id),
        "originator_version": notification.originator_version,
        "payload": payload,
        "state_b64": base64.b64encode(state).decode("ascii"),
        "chain_hash": chain_hash,
    }, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_events(app: LedgerApplication, views: Views, fp: TextIO) -> Written:
    """Write every event up to the current head to `fp` (a text file, UTF-8)."""
    stop = app.head()
    after, count, head = 0, 0, ""
    while after < stop:
        page = app.recorder.select_notifications(start=after, limit=PAGE_EVENTS, stop=stop, inclusive_of_start=False)
        if not page:
            break
        links = {
            int(notification_id): (int(position), bytes(digest))
            for notification_id, position, digest in views.query(
                f"SELECT notification_id, position, hash FROM {CHAIN_TABLE} WHERE notification_id > ? AND notification_id <= ?",
                (after, page[-1].id),
            )
        }
        for notification in page:
            link = links.get(notification.id)
            fp.write(event_line(notification, link))
            head = bytes(link[1]).hex() if link else head
        count += len(page)
        after = page[-1].id
    return Written(count, head)
