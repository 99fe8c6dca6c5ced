"""The disclosure document (公开表): what a board shows for a period, frozen at draft time.

A document is data: every cell is already what the villager reads (names,
masked identifiers, dates), except money and area, which stay integers
(fen, 0.01 亩) so a spreadsheet gets numbers and the totals can be checked.
Its canonical JSON is hashed; the hash is printed on every copy, and the
document itself is stored in the draft event, so a published table can be
checked against the ledger forever.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

ColumnKind = Literal["text", "date", "money", "area", "count"]
DOCUMENT_VERSION = 1


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(Frozen):
    key: str
    title: str  # Chinese heading as printed
    kind: ColumnKind = "text"


class Section(Frozen):
    """One of the fixed contents (定内容): 财务收支, 资产, 资源, 合同, 债权债务, 补助资金, 收益分配, 其他."""

    key: str  # income_expense | assets | resources | contracts | debts | subsidies | distribution | other
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str | int | None, ...], ...]  # money/area cells are int (fen, 0.01 亩); others str
    totals: tuple[str | int | None, ...] | None = None  # one row under the table, same columns
    note: str = ""  # e.g. "本期无发生额"


class Signoff(Frozen):
    role: str  # 监督委员 …
    name: str
    at: str  # ISO date-time
    opinion: str


class Document(Frozen):
    version: int = DOCUMENT_VERSION
    collective_code: str
    collective_name: str
    township: str
    county: str
    board_name: str
    board_location: str  # 定点: the physical board
    board_channel: str  # optional online copy (URL), "" when none
    period_label: str  # 2025-03, 2025-Q1, 2025
    period_first: str  # first day, YYYY-MM-DD
    period_last: str  # last day
    cadence: str  # monthly | quarterly | adhoc
    title: str  # e.g. 东山村股份经济合作社 2025年3月 财务公开
    sections: tuple[Section, ...]
    corrects: str = ""  # number of the disclosure this one corrects (更正公开), "" otherwise
    drafted_by: str
    drafted_at: str

    def canonical_json(self) -> bytes:
        """Sorted keys, no whitespace, UTF-8: the bytes the content hash covers."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json()).hexdigest()


class Publication(Frozen):
    """What the renderers print around the document once it is published."""

    number: str  # e.g. GK-2025-03-001
    document: Document
    content_hash: str
    signoffs: tuple[Signoff, ...]
    seal_position: int  # log position at publication
    seal_digest: str  # printed on the board; the integrity issue makes it a chain head
    published_at: str
    published_by: str
    posted_until: str  # minimum posting period end (张贴至), YYYY-MM-DD

    @property
    def short_digest(self) -> str:
        """What a villager compares by eye: the first 16 hex digits, in groups of four."""
        head = self.seal_digest[:16]
        return " ".join(head[i:i + 4] for i in range(0, 16, 4))
