"""Audit work (审计): a 离任, 任期 or 专项 audit of one collective, as events.

An audit is opened by a township auditor with a scope and a period, takes
numbered findings (each may point at a flag, snapshotted as it read then,
and at vouchers, register records or log positions), takes rectification
notes (整改) from the audited side, and is closed with a conclusion. A closed
audit takes no more findings; rectification may still arrive after closing
(整改 often follows the report), and the report says which findings were
still open when the audit closed.

Numbers are per collective and year (SJ-2025-001) and each audit's id is a
uuid5 of its number, so two auditors opening at once conflict and the loser's
retry takes the next number. Finding numbers extend the audit's
(SJ-2025-001-03).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

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

KINDS = ("离任", "任期", "专项")
SEVERITIES = ("red", "yellow")
FINDING_STATUS_ZH = {"open": "未整改", "rectified": "已整改", "rectified_late": "结束后整改"}
FINDINGS_MAX = 200  # per audit: a longer list is several audits
RECTIFICATIONS_MAX = 20  # per finding
REFERENCES_MAX = 20  # per finding
CONCLUSION_CHARS_MAX = 4000
AUDITS_PER_YEAR_MAX = 999  # SJ-YYYY-NNN
_AUDIT = re.compile(r"^SJ-(\d{4})-(\d{3})$", re.ASCII)
_FINDING = re.compile(r"^(SJ-\d{4}-\d{3})-(\d{2,3})$", re.ASCII)


def audit_id(collective: str, number: str):
    return record_id("audit", collective, number)


def audit_number(year: int, seq: int) -> str:
    return f"SJ-{year:04d}-{seq:03d}"


def finding_number(audit: str, seq: int) -> str:
    return f"{audit}-{seq:02d}"


def parse_audit_number(text: str) -> str:
    number = (text or "").strip().upper()
    if not _AUDIT.match(number):
        raise Refusal("audit.number_format", field="audit", value=text)
    return number


def parse_finding_number(text: str) -> tuple[str, int]:
    """'SJ-2025-001-03' -> ('SJ-2025-001', 3)."""
    match = _FINDING.match((text or "").strip().upper())
    if not match:
        raise Refusal("audit.finding_format", field="finding", value=text)
    return match[1], int(match[2])


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlagSnapshot(Frozen):
    """A flag as it read when the finding was recorded: flags come and go as events arrive."""

    id: str
    rule: str
    severity: str
    title: str
    explanation: str
    refs: tuple[str, ...] = ()


class Reference(Frozen):
    """What a finding points at: a voucher or register number, or a log position (#N)."""

    ref: str
    kind: str  # voucher | contract | item | lease | debt | subsidy | position


class AuditOpened(CollectiveEvent):
    TOPIC = "audit.Opened.v1"
    number: str
    kind: str
    scope: str
    period_from: str  # YYYY-MM
    period_to: str  # YYYY-MM
    person: str  # for 离任 / 任期: whose tenure; "" for 专项
    opened_on: date  # business date (Beijing)


class FindingRecorded(CollectiveEvent):
    TOPIC = "audit.FindingRecorded.v1"
    number: str
    seq: int
    finding: str  # SJ-2025-001-03
    text: str
    severity: str
    flag: FlagSnapshot | None = None
    references: tuple[Reference, ...] = ()
    recorded_on: date


class Rectified(CollectiveEvent):
    TOPIC = "audit.Rectified.v1"
    number: str
    finding: str
    text: str
    role: str  # the rectifier's role then: accountant | head | auditor
    rectified_on: date


class AuditClosed(CollectiveEvent):
    TOPIC = "audit.Closed.v1"
    number: str
    conclusion: str
    open_findings: tuple[str, ...]  # not rectified when closed (未整改)
    closed_on: date


@dataclass(frozen=True)
class Finding:
    recorded: FindingRecorded
    rectifications: tuple[Rectified, ...] = ()

    @property
    def rectified(self) -> bool:
        return bool(self.rectifications)


@dataclass(frozen=True)
class Audit:
    version: int
    opened: AuditOpened
    findings: dict[int, Finding] = field(default_factory=dict)  # seq -> finding
    closed: AuditClosed | None = None

    @property
    def open_findings(self) -> tuple[str, ...]:
        return tuple(f.recorded.finding for _, f in sorted(self.findings.items()) if not f.rectified)

    def status(self, finding: Finding) -> str:
        """open | rectified | rectified_late: first rectified only after the audit closed (结束后整改)."""
        if not finding.rectifications:
            return "open"
        if self.closed is not None and finding.rectifications[0].timestamp > self.closed.timestamp:
            return "rectified_late"
        return "rectified"


def apply(state: Audit | None, event: Event) -> Audit | None:
    if isinstance(event, AuditOpened):
        return Audit(event.originator_version, event)
    assert state is not None, event
    version = event.originator_version
    if isinstance(event, FindingRecorded):
        return replace(state, version=version, findings={**state.findings, event.seq: Finding(event)})
    if isinstance(event, Rectified):
        _, seq = parse_finding_number(event.finding)
        found = state.findings[seq]
        updated = replace(found, rectifications=(*found.rectifications, event))
        return replace(state, version=version, findings={**state.findings, seq: updated})
    if isinstance(event, AuditClosed):
        return replace(state, version=version, closed=event)
    raise AssertionError(event)


def open_audit(
    existing: Audit | None, collective: Collective, *, number: str, kind: str, scope: str, period_from: str,
    period_to: str, person: str, operator: str, now: datetime, today: date,
) -> list[Event]:
    """Open audit `number` (chosen by the caller as the year's next). Months are YYYY-MM."""
    record = f"审计 {number}"
    # The number is the year's next one: if it exists, another auditor took it first.
    assert existing is None, number
    if kind not in KINDS:
        raise Refusal("audit.kind", field="kind", value=kind, record=record, allowed="|".join(KINDS))
    scope = clean_text(scope, field="scope", chars_max=SUMMARY_CHARS_MAX, record=record)
    person = clean_text(person, field="person", chars_max=NAME_CHARS_MAX, required=kind == "离任", record=record)
    if person and person == operator:
        raise Refusal("audit.own_tenure", field="person", value=person, record=record)
    if period_from > period_to:
        raise Refusal("audit.period_order", field="period", value=f"{period_from}~{period_to}", record=record)
    if period_from < collective.start_period:
        raise Refusal("audit.before_books", field="period", value=period_from, record=record,
                      start=collective.start_period)
    if period_from > f"{today.year:04d}-{today.month:02d}":
        raise Refusal("audit.period_future", field="period", value=period_from, record=record)
    return [AuditOpened(
        originator_id=audit_id(collective.code, number), originator_version=1, timestamp=now, operator=operator,
        collective=collective.code, number=number, kind=kind, scope=scope, period_from=period_from,
        period_to=period_to, person=person, opened_on=today,
    )]


def require(state: Audit | None, number: str, collective: Collective) -> Audit:
    if state is None:
        raise Refusal("audit.unknown", field="audit", value=number, record=collective.code)
    return state


def record_finding(
    state: Audit | None, collective: Collective, *, number: str, text: str, severity: str | None,
    flag: FlagSnapshot | None, references: tuple[Reference, ...], operator: str, now: datetime, today: date,
) -> list[Event]:
    """A finding of an open audit; its severity defaults to the flag's, else yellow."""
    audit = require(state, number, collective)
    record = f"审计 {number}"
    if audit.closed is not None:
        raise Refusal("audit.closed", field="audit", value=number, record=record,
                      closed_on=audit.closed.closed_on.isoformat())
    if len(audit.findings) >= FINDINGS_MAX:
        raise Refusal("audit.too_many_findings", field="audit", value=number, record=record, limit=FINDINGS_MAX)
    severity = severity or (flag.severity if flag and flag.severity in SEVERITIES else "yellow")
    if severity not in SEVERITIES:
        raise Refusal("audit.severity", field="severity", value=severity, record=record, allowed="|".join(SEVERITIES))
    text = clean_text(text, field="text", chars_max=NOTE_CHARS_MAX, record=record)
    if len(references) > REFERENCES_MAX:
        raise Refusal("audit.too_many_references", field="event", value=len(references), record=record,
                      limit=REFERENCES_MAX)
    seq = len(audit.findings) + 1
    return [FindingRecorded(
        originator_id=audit.opened.originator_id, originator_version=audit.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, seq=seq, finding=finding_number(number, seq),
        text=text, severity=severity, flag=flag, references=tuple(dict.fromkeys(references)), recorded_on=today,
    )]


def rectify(
    state: Audit | None, collective: Collective, *, finding: str, text: str, role: str, operator: str,
    now: datetime, today: date,
) -> list[Event]:
    number, seq = parse_finding_number(finding)
    audit = require(state, number, collective)
    found = audit.findings.get(seq)
    if found is None:
        raise Refusal("audit.finding_unknown", field="finding", value=finding, record=f"审计 {number}")
    record = f"审计发现 {found.recorded.finding}"
    if len(found.rectifications) >= RECTIFICATIONS_MAX:
        raise Refusal("audit.too_many_rectifications", field="finding", value=finding, record=record,
                      limit=RECTIFICATIONS_MAX)
    text = clean_text(text, field="text", chars_max=NOTE_CHARS_MAX, record=record)
    return [Rectified(
        originator_id=audit.opened.originator_id, originator_version=audit.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, finding=found.recorded.finding, text=text,
        role=role, rectified_on=today,
    )]


def close(
    state: Audit | None, collective: Collective, *, number: str, conclusion: str, operator: str, now: datetime,
    today: date,
) -> list[Event]:
    """Close with a conclusion; findings not yet rectified are named as such (未整改), not a reason to refuse."""
    audit = require(state, number, collective)
    record = f"审计 {number}"
    if audit.closed is not None:
        raise Refusal("audit.closed", field="audit", value=number, record=record,
                      closed_on=audit.closed.closed_on.isoformat())
    conclusion = clean_text(conclusion, field="conclusion", chars_max=CONCLUSION_CHARS_MAX, record=record)
    return [AuditClosed(
        originator_id=audit.opened.originator_id, originator_version=audit.version + 1, timestamp=now,
        operator=operator, collective=collective.code, number=number, conclusion=conclusion,
        open_findings=audit.open_findings, closed_on=today,
    )]
