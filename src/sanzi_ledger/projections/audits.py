"""Audits and their findings as views: what is open, what was found, what was rectified (整改)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sanzi_ledger.projections.batch import Batch

if TYPE_CHECKING:
    from sanzi_ledger.domain import audits

TABLES = [
    """CREATE TABLE IF NOT EXISTS v_audits (
        collective TEXT NOT NULL, number TEXT NOT NULL, year INTEGER NOT NULL, kind TEXT NOT NULL, scope TEXT NOT NULL,
        period_from TEXT NOT NULL, period_to TEXT NOT NULL, person TEXT NOT NULL, opened_by TEXT NOT NULL,
        opened_on TEXT NOT NULL, opened_at TEXT NOT NULL, status TEXT NOT NULL, findings INTEGER NOT NULL,
        closed_by TEXT, closed_on TEXT, closed_at TEXT, conclusion TEXT, PRIMARY KEY (collective, number))""",
    """CREATE TABLE IF NOT EXISTS v_audit_findings (
        collective TEXT NOT NULL, finding TEXT NOT NULL, number TEXT NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL,
        severity TEXT NOT NULL, flag_id TEXT NOT NULL, flag_title TEXT NOT NULL, refs TEXT NOT NULL,
        recorded_by TEXT NOT NULL, recorded_on TEXT NOT NULL, position BIGINT NOT NULL,
        status TEXT NOT NULL, rectifications INTEGER NOT NULL, rectification TEXT, rectified_by TEXT,
        rectified_on TEXT, PRIMARY KEY (collective, finding))""",
]


def opened(batch: Batch, position: int, e: audits.AuditOpened) -> None:
    batch.write("INSERT INTO v_audits VALUES (?,?,?,?,?,?,?,?,?,?,?,'open',0,NULL,NULL,NULL,NULL)",
                (e.collective, e.number, e.opened_on.year, e.kind, e.scope, e.period_from, e.period_to, e.person,
                 e.operator, e.opened_on.isoformat(), e.timestamp.isoformat()))


def finding_recorded(batch: Batch, position: int, e: audits.FindingRecorded) -> None:
    batch.write("INSERT INTO v_audit_findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'open',0,NULL,NULL,NULL)",
                (e.collective, e.finding, e.number, e.seq, e.text, e.severity, e.flag.id if e.flag else "",
                 e.flag.title if e.flag else "", " ".join(r.ref for r in e.references), e.operator,
                 e.recorded_on.isoformat(), position))
    batch.write("UPDATE v_audits SET findings = ? WHERE collective = ? AND number = ?",
                (e.seq, e.collective, e.number))


def rectified(batch: Batch, position: int, e: audits.Rectified) -> None:
    # The latest note is shown; the count says whether there were earlier ones.
    batch.write("UPDATE v_audit_findings SET status = 'rectified', rectifications = rectifications + 1,"
                " rectification = ?, rectified_by = ?, rectified_on = ? WHERE collective = ? AND finding = ?",
                (e.text, e.operator, e.rectified_on.isoformat(), e.collective, e.finding))


def closed(batch: Batch, position: int, e: audits.AuditClosed) -> None:
    batch.write("UPDATE v_audits SET status = 'closed', closed_by = ?, closed_on = ?, closed_at = ?, conclusion = ?"
                " WHERE collective = ? AND number = ?",
                (e.operator, e.closed_on.isoformat(), e.timestamp.isoformat(), e.conclusion, e.collective, e.number))


HANDLERS = {
    "audit.Opened.v1": opened,
    "audit.FindingRecorded.v1": finding_recorded,
    "audit.Rectified.v1": rectified,
    "audit.Closed.v1": closed,
}
