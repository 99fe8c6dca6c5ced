"""Boards and disclosures as views: what is drafted, reviewed, published, and when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:
    from sanzi_ledger.domain import disclosures

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_boards (
        collective TEXT NOT NULL, name TEXT NOT NULL, location TEXT NOT NULL, cadence TEXT NOT NULL,
        sections TEXT NOT NULL, channel TEXT NOT NULL, added_at TEXT NOT NULL, PRIMARY KEY (collective, name))""",
    """CREATE TABLE IF NOT EXISTS v_disclosures (
        collective TEXT NOT NULL, number TEXT NOT NULL, board TEXT NOT NULL, period TEXT NOT NULL,
        content_hash TEXT NOT NULL, corrects TEXT NOT NULL, drafted_by TEXT NOT NULL, drafted_at TEXT NOT NULL,
        status TEXT NOT NULL, published_at TEXT, published_by TEXT, seal_position BIGINT, seal_digest TEXT,
        posted_until TEXT, PRIMARY KEY (collective, number))""",
    "CREATE INDEX IF NOT EXISTS v_disclosures_board ON v_disclosures (collective, board, period)",
    """CREATE TABLE IF NOT EXISTS v_disclosure_reviews (
        collective TEXT NOT NULL, number TEXT NOT NULL, position BIGINT NOT NULL, reviewer TEXT NOT NULL,
        approved INTEGER NOT NULL, opinion TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (collective, number, position))""",
]


def board_added(batch: Batch, position: int, e: disclosures.BoardAdded) -> None:
    batch.write("INSERT INTO v_boards VALUES (?,?,?,?,?,?,?)",
                (e.collective, e.name, e.location, e.cadence, ",".join(e.sections), e.channel, e.timestamp.isoformat()))


def drafted(batch: Batch, position: int, e: disclosures.DisclosureDrafted) -> None:
    batch.write("INSERT INTO v_disclosures VALUES (?,?,?,?,?,?,?,?,'draft',NULL,NULL,NULL,NULL,NULL)",
                (e.collective, e.number, e.board, e.period, e.content_hash, e.corrects, e.operator, e.timestamp.isoformat()))


def reviewed(batch: Batch, position: int, e: disclosures.DisclosureReviewed) -> None:
    batch.write("INSERT INTO v_disclosure_reviews VALUES (?,?,?,?,?,?,?)",
                (e.collective, e.number, position, e.operator, int(e.approved), e.opinion, e.timestamp.isoformat()))
    # A rejection is final; an approval counts unless someone rejected.
    batch.write("UPDATE v_disclosures SET status = CASE WHEN status = 'rejected' OR ? = 0 THEN 'rejected' ELSE 'approved' END"
                " WHERE collective = ? AND number = ?", (int(e.approved), e.collective, e.number))


def published(batch: Batch, position: int, e: disclosures.DisclosurePublished) -> None:
    batch.write("UPDATE v_disclosures SET status = 'published', published_at = ?, published_by = ?, seal_position = ?,"
                " seal_digest = ?, posted_until = ? WHERE collective = ? AND number = ?",
                (e.timestamp.isoformat(), e.operator, e.seal_position, e.seal_digest, e.posted_until.isoformat(),
                 e.collective, e.number))


HANDLERS = {
    "board.Added.v1": board_added,
    "disclosure.Drafted.v1": drafted,
    "disclosure.Reviewed.v1": reviewed,
    "disclosure.Published.v1": published,
}
