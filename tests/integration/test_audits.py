"""Audit work on a real store (SQLite and PostgreSQL): lifecycle, refusals that write nothing,
numbering under a race, views rebuilt from the log, and the report files."""

from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from sanzi_ledger.commands import audits, books, registers, setup
from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.errors import Refusal
from tests.support import (
    ACCOUNTANT,
    CASHIER,
    CODE,
    SUPERVISOR,
    lines,
    new_ledger,
    post,
    snapshot,
)

AUDITOR, AUDITOR_2, HEAD = "孙审计", "钱审计", "张书记"


@pytest.fixture
def led(store_url):
    ledger = new_ledger(store_url)
    for name, role in ((AUDITOR, "auditor"), (AUDITOR_2, "auditor"), (HEAD, "head")):
        setup.add_member(ledger, setup.AddMember(name=name, role=role))
    yield ledger
    ledger.close()


def as_(led, who: str):
    led.operator = who
    return led


def year(led) -> int:
    return led.today().year


def open_one(led, kind: str = "离任", person: str = HEAD) -> str:
    return audits.open_audit(as_(led, AUDITOR), audits.OpenAudit(kind=kind, scope="任期内财务收支", period_from="2025-01",
                                                               person=person)).id


def refused(led, action, code: str, field: str | None = None) -> Refusal:
    """A refusal with `code` that leaves every event and every view row as it was."""
    before = snapshot(led)
    with pytest.raises(Refusal) as caught:
        action()
    assert caught.value.code == code, caught.value.render("en")
    if field is not None:
        assert caught.value.field == field
    assert snapshot(led) == before
    return caught.value


def test_an_audit_from_open_to_close_with_findings_references_and_rectification(led):
    voucher = post(as_(led, ACCOUNTANT), "2025-02-03", {"513": 620_000}, {"101": 620_000}, summary="现金支付工程款")
    position = led.app.head()
    number = open_one(led)
    assert number == f"SJ-{year(led)}-001"
    first = audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(
        audit=number, text="单笔现金支付 6,200.00 元，超过限额", events=(voucher, f"@{position}"), severity="red")).id
    second = audits.record_finding(led, audits.RecordFinding(audit=number, text="未按季度公开财务")).id
    assert (first, second) == (f"{number}-01", f"{number}-02")
    audits.rectify(as_(led, ACCOUNTANT), audits.Rectify(finding=first, text="已改为银行转账，并建立备用金制度"))
    audits.close_audit(as_(led, AUDITOR_2), audits.CloseAudit(audit=number, conclusion="财务收支基本真实，存在两项问题"))

    (row,) = led.views.query("SELECT number, kind, person, status, findings, closed_by, period_from FROM v_audits")
    assert row == (number, "离任", HEAD, "closed", 2, AUDITOR_2, "2025-01")
    found = led.views.query("SELECT finding, severity, refs, status, rectified_by FROM v_audit_findings ORDER BY finding")
    assert found == [(first, "red", f"{voucher} #{position}", "rectified", ACCOUNTANT),
                     (second, "yellow", "", "open", None)]
    _, audit = audits.load_audit(led, number)
    assert audit.closed.open_findings == (second,)
    assert [r.kind for r in audit.findings[1].recorded.references] == ["voucher", "position"]


def test_a_finding_keeps_the_flag_as_it_read_and_refuses_a_flag_not_raised_now(led, monkeypatch):
    raised = SimpleNamespace(id="cash.on_hand:2025-02", rule="cash.on_hand", severity="red", title="库存现金超过限额",
                             explanation="2月末库存现金 8,000.00 元，超过 5,000.00 元", refs=("#7",))
    monkeypatch.setattr(audits, "current_flags", lambda led, code: [raised])
    number = open_one(led)
    finding = audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(audit=number, text="库存现金超限",
                                                                           flag=raised.id)).id
    _, audit = audits.load_audit(led, number)
    flag = audit.findings[1].recorded.flag
    assert (flag.id, flag.title, flag.explanation, flag.refs) == (raised.id, raised.title, raised.explanation, ("#7",))
    assert audit.findings[1].recorded.severity == "red"
    assert led.views.query("SELECT flag_id, flag_title FROM v_audit_findings WHERE finding = ?", (finding,)) == [
        (raised.id, raised.title)]
    refused(led, lambda: audits.record_finding(led, audits.RecordFinding(audit=number, text="x", flag="cash.on_hand:2025-03")),
            "audit.flag_unknown", "flag")


def test_references_must_exist(led):
    number = open_one(led)
    for ref, code in (("记-2025-01-0009", "audit.reference_unknown"), ("HT-404", "audit.reference_unknown"),
                      ("@0", "audit.position_unknown"), (f"#{led.app.head() + 5}", "audit.position_unknown")):
        refused(led, lambda ref=ref: audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(
            audit=number, text="x", events=(ref,))), code, "event")


def test_only_an_auditor_opens_records_findings_and_closes(led):
    number = open_one(led)
    for who in (ACCOUNTANT, CASHIER, SUPERVISOR, HEAD):
        as_(led, who)
        refused(led, lambda: audits.open_audit(led, audits.OpenAudit(kind="专项", scope="x")), "member.wrong_role")
        refused(led, lambda: audits.record_finding(led, audits.RecordFinding(audit=number, text="x")), "member.wrong_role")
        refused(led, lambda: audits.close_audit(led, audits.CloseAudit(audit=number, conclusion="x")), "member.wrong_role")


def test_rectification_is_recorded_by_the_audited_side_or_the_auditor_not_by_cashier_or_supervisor(led):
    number = open_one(led)
    finding = audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(audit=number, text="x")).id
    for who in (CASHIER, SUPERVISOR):
        refused(led, lambda who=who: audits.rectify(as_(led, who), audits.Rectify(finding=finding, text="y")), "member.wrong_role")
    for who in (ACCOUNTANT, HEAD, AUDITOR):
        audits.rectify(as_(led, who), audits.Rectify(finding=finding, text=f"{who} 记录整改"))
    roles = [r for (r,) in led.views.query("SELECT rectifications FROM v_audit_findings")]
    assert roles == [3]


def test_a_closed_audit_takes_no_findings_and_cannot_close_twice(led):
    number = open_one(led)
    audits.close_audit(as_(led, AUDITOR), audits.CloseAudit(audit=number, conclusion="未发现问题"))
    refused(led, lambda: audits.record_finding(led, audits.RecordFinding(audit=number, text="x")), "audit.closed", "audit")
    refused(led, lambda: audits.close_audit(led, audits.CloseAudit(audit=number, conclusion="x")), "audit.closed")
    refused(led, lambda: audits.record_finding(led, audits.RecordFinding(audit="SJ-2025-999", text="x")), "audit.unknown")


def test_the_auditor_writes_nothing_but_audit_events(led):
    contract = registers.sign_contract(as_(led, ACCOUNTANT), registers.SignContract(
        number="HT-01", kind="发包", party="东山果业合作社", amount_fen=1_000_000, start=date(2025, 1, 1),
        end=date(2025, 12, 31), signed_on=date(2025, 1, 1))).id
    as_(led, AUDITOR)
    refused(led, lambda: books.post_voucher(led, books.PostVoucher(day=date(2025, 1, 5), summary="x",
                                                                   lines=lines({"513": 1}, {"101": 1}))), "member.wrong_role")
    refused(led, lambda: registers.review_contract(led, registers.ReviewContract(number=contract, result="规范")),
            "member.wrong_role")
    refused(led, lambda: setup.register_collective(led, setup.RegisterCollective(
        code="330100002", name="西山村", township="东山镇", county="临安区")), "duties.reviewer_only", "operator")


def test_numbers_are_per_year_and_a_race_takes_the_next_one(store_url):
    new_ledger(store_url).close()
    first = open_ledger(store_url, operator=ACCOUNTANT, collective=CODE)
    setup.add_member(first, setup.AddMember(name=AUDITOR, role="auditor"))
    setup.add_member(first, setup.AddMember(name=AUDITOR_2, role="auditor"))
    first.close()
    errors: list[BaseException] = []
    numbers: list[str] = []

    def worker(who: str) -> None:
        led = open_ledger(store_url, operator=who, collective=CODE)
        try:
            for _ in range(4):
                numbers.append(audits.open_audit(led, audits.OpenAudit(kind="专项", scope=who)).id)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            led.close()

    threads = [threading.Thread(target=worker, args=(who,)) for who in (AUDITOR, AUDITOR_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    led = open_ledger(store_url, collective=CODE)
    try:
        this_year = led.today().year
        assert sorted(numbers) == [f"SJ-{this_year}-{n:03d}" for n in range(1, 9)]
        led.catch_up()
        assert [n for (n,) in led.views.query("SELECT number FROM v_audits ORDER BY number")] == sorted(numbers)
    finally:
        led.close()


def test_rebuilding_the_views_gives_the_same_audit_tables(led):
    voucher = post(as_(led, ACCOUNTANT), "2025-02-03", {"513": 10_000}, {"101": 10_000})
    for kind in ("离任", "专项"):
        number = open_one(led, kind=kind, person=HEAD if kind == "离任" else "")
        finding = audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(audit=number, text="问题", events=(voucher,))).id
        audits.rectify(as_(led, HEAD), audits.Rectify(finding=finding, text="已整改"))
        audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(audit=number, text="问题二", severity="red"))
    audits.close_audit(led, audits.CloseAudit(audit=number, conclusion="结论"))
    incremental = led.projector.dump()
    assert len(incremental["v_audits"]) == 2 and len(incremental["v_audit_findings"]) == 4
    led.projector.rebuild(batch_events=2)
    assert led.projector.dump() == incremental


def test_the_report_files_hold_the_findings_and_escape_what_people_typed(led, tmp_path):
    number = open_one(led)
    audits.record_finding(as_(led, AUDITOR), audits.RecordFinding(audit=number, text="<script>alert(1)</script>", severity="red"))
    second = audits.record_finding(led, audits.RecordFinding(audit=number, text="=SUM(A1:A9)")).id
    audits.rectify(as_(led, ACCOUNTANT), audits.Rectify(finding=f"{number}-01", text="已整改 & 说明"))
    audits.close_audit(as_(led, AUDITOR), audits.CloseAudit(audit=number, conclusion="基本合规"))
    before = snapshot(led)
    html, xlsx = audits.write_report(led, number, str(tmp_path / "report"))
    assert snapshot(led) == before  # a report is a read
    page = html.read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "已整改 &amp; 说明" in page and "基本合规" in page and f"审计结束时未整改的问题：{second}" in page
    assert "东山村股份经济合作社离任审计报告" in page and "@page { size: A4" in page
    book = load_workbook(xlsx)
    assert book.sheetnames == ["审计报告", "整改记录"]
    sheet = book["审计报告"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "=SUM(A1:A9)" in cells and sheet.cell(*next((c.row, c.column) for row in sheet.iter_rows()
                                                       for c in row if c.value == "=SUM(A1:A9)")).data_type == "s"
    assert any(str(v).startswith("共发现问题 2 项（红色 1 项、黄色 1 项），已整改 1 项，未整改 1 项") for v in cells)
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.print_title_rows
    assert [c.value for c in book["整改记录"][4]][:2] == [f"{number}-01", "已整改 & 说明"]
