"""Public disclosure (财务公开): boards, drafts, review, publication, corrections.

定点: a board (公开栏) has a stated physical place. 定时: its cadence and the
deadline rule. 定内容: the sections of its document. A draft freezes the
document (its JSON and hash are in the event); a supervisor who did not draft
it approves or rejects it; only an approved draft is published, once. A
published table never changes: a correction (更正公开) is a new disclosure of
the same board and period that names the one it corrects. The board holds
which disclosure is live for each period, so two publications of one period
cannot race.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.events import CollectiveEvent, Event
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import record_id
from sanzi_ledger.text import (
    NAME_CHARS_MAX,
    NOTE_CHARS_MAX,
    SUMMARY_CHARS_MAX,
    clean_text,
)

CADENCES = ("monthly", "quarterly", "adhoc")
SECTIONS = {  # key -> title (定内容, 农经发〔2011〕13号)
    "income_expense": "财务收支", "assets": "资产", "resources": "资源", "contracts": "合同",
    "debts": "债权债务", "subsidies": "补助资金", "distribution": "收益分配", "other": "其他",
}
CHANNEL_CHARS_MAX = 300
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.ASCII)


def board_id(collective: str, name: str):
    return record_id("board", collective, name)


def disclosure_id(collective: str, number: str):
    return record_id("disclosure", collective, number)


def disclosure_number(year: int, seq: int) -> str:
    return f"GK-{year:04d}-{seq:03d}"


class BoardAdded(CollectiveEvent):
    TOPIC = "board.Added.v1"
    name: str
    location: str
    cadence: str
    sections: tuple[str, ...]
    channel: str


class BoardPublished(CollectiveEvent):
    """On the board: `number` is now the live disclosure of `period` (a correction replaces)."""

    TOPIC = "board.Published.v1"
    name: str
    period: str
    number: str


class DisclosureDrafted(CollectiveEvent):
    TOPIC = "disclosure.Drafted.v1"
    number: str
    board: str
    period: str
    document: dict  # publish.document.Document, canonical JSON form
    content_hash: str
    corrects: str


class DisclosureReviewed(CollectiveEvent):
    TOPIC = "disclosure.Reviewed.v1"
    number: str
    approved: bool
    opinion: str


class DisclosurePublished(CollectiveEvent):
    TOPIC = "disclosure.Published.v1"
    number: str
    content_hash: str
    seal_position: int
    seal_digest: str
    posted_until: date
    # Optional Ed25519 signature by the publisher over the digest's preimage
    # (integrity.seals.seal_message(seal_position, head, content_hash)), and its key id.
    key_id: str = ""
    signature: str = ""


@dataclass(frozen=True)
class Board:
    version: int
    name: str
    location: str
    cadence: str
    sections: tuple[str, ...]
    channel: str
    live: dict[str, str] = field(default_factory=dict)  # period -> live disclosure number


@dataclass(frozen=True)
class Disclosure:
    version: int
    drafted: DisclosureDrafted
    reviews: tuple[DisclosureReviewed, ...] = ()
    published: DisclosurePublished | None = None

    @property
    def approved(self) -> bool:
        return any(r.approved for r in self.reviews) and not self.rejected

    @property
    def rejected(self) -> bool:
        return any(not r.approved for r in self.reviews)


def apply_board(state: Board | None, event: Event) -> Board | None:
    if isinstance(event, BoardAdded):
        return Board(event.originator_version, event.name, event.location, event.cadence, event.sections, event.channel)
    assert state is not None and isinstance(event, BoardPublished), event
    return replace(state, version=event.originator_version, live={**state.live, event.period: event.number})


def apply(state: Disclosure | None, event: Event) -> Disclosure | None:
    if isinstance(event, DisclosureDrafted):
        return Disclosure(event.originator_version, event)
    assert state is not None, event
    if isinstance(event, DisclosureReviewed):
        return replace(state, version=event.originator_version, reviews=(*state.reviews, event))
    if isinstance(event, DisclosurePublished):
        return replace(state, version=event.originator_version, published=event)
    raise AssertionError(event)


def add_board(
    state: Board | None, collective: Collective, *, name: str, location: str, cadence: str,
    sections: tuple[str, ...], channel: str, operator: str, now: datetime,
) -> list[Event]:
    name = clean_text(name, field="name", chars_max=NAME_CHARS_MAX, record="公开栏")
    record = f"公开栏 {name}"
    if state is not None:
        raise Refusal("board.duplicate", field="name", value=name, record=collective.code)
    location = clean_text(location, field="location", chars_max=SUMMARY_CHARS_MAX, record=record)
    if cadence not in CADENCES:
        raise Refusal("board.cadence", field="cadence", value=cadence, record=record, allowed="|".join(CADENCES))
    for key in sections:
        if key not in SECTIONS:
            raise Refusal("board.section", field="content", value=key, record=record, allowed="、".join(SECTIONS))
    channel = clean_text(channel, field="channel", chars_max=CHANNEL_CHARS_MAX, required=False, record=record)
    if channel and not _URL.match(channel):
        raise Refusal("board.channel", field="channel", value=channel, record=record)
    return [BoardAdded(
        originator_id=board_id(collective.code, name), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, name=name, location=location, cadence=cadence,
        sections=tuple(dict.fromkeys(sections)) or tuple(SECTIONS), channel=channel,
    )]


def check_period_fits(board: Board, label: str, *, record: str) -> None:
    """A monthly board discloses months, a quarterly board quarters; 随时 any period."""
    kind = "quarterly" if "Q" in label.upper() else "monthly" if len(label) == 7 else "yearly"
    if board.cadence != "adhoc" and kind != board.cadence:
        raise Refusal("disclosure.period_cadence", field="period", value=label, record=record, cadence=board.cadence)


def draft(
    board: Board | None, collective: Collective, *, board_name: str, period: str, number: str,
    document: dict, content_hash: str, corrects: str, open_months: list[str], operator: str, now: datetime,
) -> list[Event]:
    """A draft of `period` on `board`, its document frozen. Every month of the period
    must be closed; a period already published takes a correction (--corrects)."""
    record = f"公开 {board_name} {period}"
    if board is None:
        raise Refusal("board.unknown", field="board", value=board_name, record=collective.code)
    check_period_fits(board, period, record=record)
    if open_months:
        raise Refusal("disclosure.period_open", field="period", value=period, record=record, months="、".join(open_months))
    live = board.live.get(period)
    if live and corrects != live:
        raise Refusal("disclosure.already_published", field="corrects", value=corrects or None, record=record, live=live)
    if corrects and not live:
        raise Refusal("disclosure.nothing_to_correct", field="corrects", value=corrects, record=record)
    return [DisclosureDrafted(
        originator_id=disclosure_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number, board=board.name, period=period, document=document,
        content_hash=content_hash, corrects=corrects,
    )]


def require(state: Disclosure | None, number: str, collective: Collective) -> Disclosure:
    if state is None:
        raise Refusal("disclosure.unknown", field="number", value=number, record=collective.code)
    return state


def review(
    state: Disclosure | None, collective: Collective, *, number: str, approved: bool, opinion: str,
    operator: str, now: datetime,
) -> list[Event]:
    """民主理财小组 / 村务监督委员会: approve or reject, never one's own draft."""
    disclosure = require(state, number, collective)
    record = f"公开 {number}"
    if disclosure.drafted.operator == operator:
        raise Refusal("disclosure.own_draft", field="operator", value=operator, record=record)
    if disclosure.published is not None:
        raise Refusal("disclosure.published", field="number", value=number, record=record)
    if disclosure.rejected:
        raise Refusal("disclosure.rejected", field="number", value=number, record=record)
    if any(r.operator == operator for r in disclosure.reviews):
        raise Refusal("disclosure.reviewed_twice", field="operator", value=operator, record=record)
    opinion = clean_text(opinion, field="opinion", chars_max=NOTE_CHARS_MAX, record=record)
    return [DisclosureReviewed(
        originator_id=disclosure.drafted.originator_id, originator_version=disclosure.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, approved=approved, opinion=opinion,
    )]


def publish(
    state: Disclosure | None, board: Board, collective: Collective, *, number: str, seal_position: int,
    seal_digest: str, posted_until: date, operator: str, now: datetime, key_id: str = "", signature: str = "",
) -> list[Event]:
    """[DisclosurePublished, BoardPublished]: once, and only after approval."""
    disclosure = require(state, number, collective)
    record = f"公开 {number}"
    if disclosure.published is not None:
        raise Refusal("disclosure.published", field="number", value=number, record=record)
    if not disclosure.approved:
        raise Refusal("disclosure.not_approved", field="number", value=number, record=record,
                      state="已被否决" if disclosure.rejected else "尚未审核")
    period, drafted = disclosure.drafted.period, disclosure.drafted
    live = board.live.get(period)
    if live != (drafted.corrects or None):
        # Someone published this period (or its correction) since the draft: draft again.
        raise Refusal("disclosure.already_published", field="corrects", value=drafted.corrects or None, record=record, live=live)
    return [
        DisclosurePublished(
            originator_id=drafted.originator_id, originator_version=disclosure.version + 1, timestamp=now,
            operator=operator, collective=collective.code, number=number, content_hash=drafted.content_hash,
            seal_position=seal_position, seal_digest=seal_digest, posted_until=posted_until,
            key_id=key_id, signature=signature,
        ),
        BoardPublished(
            originator_id=board_id(collective.code, board.name), originator_version=board.version + 1, timestamp=now,
            operator=operator, collective=collective.code, name=board.name, period=period, number=number,
        ),
    ]
