"""Audit work: open an audit, record findings, record rectification (整改), close, report.

Only an auditor opens, records findings and closes (an auditor writes nothing
else: see the role sets of the other command modules). Rectification is
recorded by the audited side — the accountant or the head — or by the auditor
who saw it done.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from uuid import UUID

from sanzi_ledger.commands.ledger import Command, Ledger, Outcome
from sanzi_ledger.domain import audits
from sanzi_ledger.errors import Refusal
from sanzi_ledger.ids import (
    contract_id,
    debt_id,
    item_id,
    lease_id,
    subsidy_id,
    voucher_id,
)
from sanzi_ledger.periods import month_of, parse_period

AUDITORS = frozenset({"auditor"})  # 乡镇农经站 / 审计
RECTIFIERS = frozenset({"accountant", "head", "auditor"})
# A finding's --event: a voucher or register number, by the deterministic id of each family.
REFERENCE_KINDS = (("voucher", voucher_id), ("contract", contract_id), ("item", item_id), ("lease", lease_id),
                   ("debt", debt_id), ("subsidy", subsidy_id))


class OpenAudit(Command):
    kind: str
    scope: str
    period_from: str = ""  # YYYY-MM | YYYY-Qn | YYYY; default: the books' first month
    period_to: str = ""  # default: this month
    person: str = ""


class RecordFinding(Command):
    audit: str
    text: str
    flag: str = ""
    events: tuple[str, ...] = ()
    severity: str = ""


class Rectify(Command):
    finding: str
    text: str


class CloseAudit(Command):
    audit: str
    conclusion: str


def _exists(led: Ledger, aggregate_id: UUID) -> bool:
    return bool(list(led.app.recorder.select_events(aggregate_id, limit=1)))


def _next_number(led: Ledger, code: str, year: int) -> str:
    """The year's next audit number. The views may lag a racing writer: probe the
    log too; a writer racing past both conflicts on save and retries."""
    (count,) = led.views.query("SELECT COUNT(*) FROM v_audits WHERE collective = ? AND year = ?", (code, year))[0]
    seq = int(count) + 1
    while seq <= audits.AUDITS_PER_YEAR_MAX and _exists(led, audits.audit_id(code, audits.audit_number(year, seq))):
        seq += 1
    if seq > audits.AUDITS_PER_YEAR_MAX:
        raise Refusal("audit.year_full", field="audit", value=year, record=code, limit=audits.AUDITS_PER_YEAR_MAX)
    return audits.audit_number(year, seq)


def open_audit(led: Ledger, cmd: OpenAudit) -> Outcome:
    led.ledger_state()
    first = parse_period(cmd.period_from, field="from").first if cmd.period_from.strip() else ""
    last = parse_period(cmd.period_to, field="to").last if cmd.period_to.strip() else ""

    def decide():
        state, _ = led.acting(AUDITORS, "audit open")
        today = led.today()
        number = _next_number(led, state.code, today.year)
        events = audits.open_audit(
            None, state, number=number, kind=cmd.kind.strip(), scope=cmd.scope, period_from=first or state.start_period,
            period_to=last or month_of(today), person=cmd.person, operator=led.operator, now=led.now(), today=today,
        )
        return events, number

    position, number = led.execute(decide)
    return Outcome(id=number, position=position)


def reference(led: Ledger, code: str, text: str) -> audits.Reference:
    """A voucher or register number that exists, or a log position that exists: '#N' as the
    flags write it, or '@N', which a shell does not take for a comment."""
    ref = text.strip()
    if ref[:1] in ("#", "@"):
        digits = ref[1:]
        if digits.isascii() and digits.isdigit() and 0 < int(digits) <= led.app.head():
            found = led.app.recorder.select_notifications(start=int(digits), limit=1)
            if found and found[0].id == int(digits):
                return audits.Reference(ref=f"#{int(digits)}", kind="position")
        raise Refusal("audit.position_unknown", field="event", value=text, record=code, head=led.app.head())
    if ref:
        for kind, make_id in REFERENCE_KINDS:
            if _exists(led, make_id(code, ref)):
                return audits.Reference(ref=ref, kind=kind)
    raise Refusal("audit.reference_unknown", field="event", value=text, record=code)


def current_flags(led: Ledger, code: str) -> list[Any]:
    """The flags raised now (the rules engine over the views)."""
    from sanzi_ledger.rules import evaluate

    return evaluate(led.views, code, today=led.today())


def flag_snapshot(led: Ledger, code: str, flag_id: str) -> audits.FlagSnapshot:
    """The flag as it reads now; it must be raised now, not merely have been once."""
    wanted = flag_id.strip()
    for flag in current_flags(led, code):
        if flag.id == wanted:
            return audits.FlagSnapshot(id=flag.id, rule=flag.rule, severity=flag.severity, title=flag.title,
                                       explanation=flag.explanation, refs=tuple(str(r) for r in flag.refs))
    raise Refusal("audit.flag_unknown", field="flag", value=flag_id, record=code)


def record_finding(led: Ledger, cmd: RecordFinding) -> Outcome:
    led.ledger_state()
    number = audits.parse_audit_number(cmd.audit)

    def decide():
        state, _ = led.acting(AUDITORS, "audit finding")
        current = audits.require(led.app.load(audits.audit_id(state.code, number), audits.apply), number, state)
        references = tuple(reference(led, state.code, ref) for ref in cmd.events)
        flag = flag_snapshot(led, state.code, cmd.flag) if cmd.flag.strip() else None
        events = audits.record_finding(
            current, state, number=number, text=cmd.text, severity=cmd.severity.strip() or None, flag=flag,
            references=references, operator=led.operator, now=led.now(), today=led.today(),
        )
        return events, events[0].finding

    position, finding = led.execute(decide)
    return Outcome(id=finding, position=position)


def rectify(led: Ledger, cmd: Rectify) -> Outcome:
    led.ledger_state()
    number, _ = audits.parse_finding_number(cmd.finding)

    def decide():
        state, _ = led.acting(RECTIFIERS, "audit rectify")
        current = led.app.load(audits.audit_id(state.code, number), audits.apply)
        events = audits.rectify(current, state, finding=cmd.finding, text=cmd.text, role=state.members[led.operator],
                                operator=led.operator, now=led.now(), today=led.today())
        return events, events[0].finding

    position, finding = led.execute(decide)
    return Outcome(id=finding, position=position)


def close_audit(led: Ledger, cmd: CloseAudit) -> Outcome:
    led.ledger_state()
    number = audits.parse_audit_number(cmd.audit)

    def decide():
        state, _ = led.acting(AUDITORS, "audit close")
        current = led.app.load(audits.audit_id(state.code, number), audits.apply)
        return audits.close(current, state, number=number, conclusion=cmd.conclusion, operator=led.operator,
                            now=led.now(), today=led.today()), None

    position, _ = led.execute(decide)
    return Outcome(id=number, position=position)


# -- reading ------------------------------------------------------------------------
def list_audits(led: Ledger) -> tuple[str, list[tuple]]:
    led.catch_up()
    code = led.resolve_collective()
    rows = led.views.query(
        "SELECT a.number, a.kind, a.scope, a.period_from, a.period_to, a.person, a.opened_by, a.opened_on, a.status,"
        " a.findings, (SELECT COUNT(*) FROM v_audit_findings f WHERE f.collective = a.collective AND f.number = a.number"
        " AND f.status = 'open'), a.closed_on FROM v_audits a WHERE a.collective = ? ORDER BY a.number", (code,))
    return code, rows


def load_audit(led: Ledger, number_text: str) -> tuple[Any, audits.Audit]:
    """(collective, audit) from the audit's own events: the record, not a view of it."""
    number = audits.parse_audit_number(number_text)
    led.ledger_state()
    state = led.collective()
    return state, audits.require(led.app.load(audits.audit_id(state.code, number), audits.apply), number, state)


def write_report(led: Ledger, number_text: str, out: str) -> list[Path]:
    """The audit report as HTML and XLSX in `out`, written whole or not at all."""
    from sanzi_ledger.commands.disclosure import writable_folder
    from sanzi_ledger.publish.audit_report import build_report, write_files

    state, audit = load_audit(led, number_text)
    folder = writable_folder(out)
    report = build_report(state, audit, generated_at=led.now(), head=led.app.head())
    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".sanzi-audit-", dir=folder))
    try:
        written = write_files(report, scratch)
        for path in written:
            os.replace(path, folder / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [folder / path.name for path in written]
