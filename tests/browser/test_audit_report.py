"""The audit report in a real browser: typed text stays text, the tables read right, it prints on A4.

The report is built from domain events folded in memory (no store): cheap.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sanzi_ledger.domain import audits
from sanzi_ledger.publish.audit_report import build_report, render_html
from tests.browser.conftest import Chromium, file_url
from tests.browser.test_site import PAYLOADS, assert_inert, open_page
from tests.dom import table_rows
from tests.unit.builders import ACCOUNTANT, HEAD, fold, registered, with_members

AUDITOR = "孙审计"
NOW = datetime(2025, 6, 1, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 1)


def report_page(tmp_path: Path) -> Path:
    village = with_members(registered(), (ACCOUNTANT, "accountant"), (HEAD, "head"), (AUDITOR, "auditor"))
    state = fold(audits.apply, audits.open_audit(
        None, village, number="SJ-2025-001", kind="离任", scope=PAYLOADS[0], period_from="2025-01", period_to="2025-05",
        person=HEAD, operator=AUDITOR, now=NOW, today=TODAY))
    flag = audits.FlagSnapshot(id="R22:记-2025-02-0003", rule="R22", severity="yellow", title="大额现金支付",
                               explanation=PAYLOADS[1], refs=("记-2025-02-0003",))
    for i, text in enumerate(PAYLOADS):
        state = fold(audits.apply, audits.record_finding(
            state, village, number="SJ-2025-001", text=text, severity="red" if i % 2 else None,
            flag=flag if i == 0 else None, references=(), operator=AUDITOR, now=NOW, today=TODAY), state)
    state = fold(audits.apply, audits.rectify(state, village, finding="SJ-2025-001-01", text=PAYLOADS[2], role="accountant",
                                              operator=ACCOUNTANT, now=NOW, today=TODAY), state)
    state = fold(audits.apply, audits.close(state, village, number="SJ-2025-001", conclusion=PAYLOADS[3],
                                            operator=AUDITOR, now=NOW + timedelta(hours=1), today=TODAY), state)
    page = tmp_path / "SJ-2025-001.html"
    page.write_text(render_html(build_report(village, state, generated_at=NOW, head=42)), encoding="utf-8")
    return page


def test_the_report_shows_every_typed_payload_as_text_and_runs_nothing(chromium: Chromium, tmp_path: Path):
    dom = open_page(chromium, file_url(report_page(tmp_path)))
    assert_inert(dom)
    rows = table_rows(dom.find("section", id="findings"))
    findings = [r for r in rows if r and r[0].startswith("SJ-2025-001-")]
    assert [r[2] for r in findings] == list(PAYLOADS)
    assert [r[-1] for r in findings] == ["已整改"] + ["未整改"] * (len(PAYLOADS) - 1)
    assert findings[0][1] == "黄色" and findings[1][1] == "红色"
    assert PAYLOADS[0] in dom.find("table", id="facts").text()
    assert PAYLOADS[3] in dom.find("section", id="conclusion").text()
    assert "SJ-2025-001-02" in dom.find("p", id="open-at-close").text()


def test_the_report_prints_on_a4(chromium: Chromium, tmp_path: Path):
    pdf = chromium.print_pdf(file_url(report_page(tmp_path)), tmp_path / "report.pdf")
    data = pdf.read_bytes()
    boxes = {tuple(round(float(v)) for v in m.groups()) for m in
             re.finditer(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)}
    assert boxes == {(595, 842)}  # A4 portrait in points
