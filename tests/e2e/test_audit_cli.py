"""Audit work through `sanzi`, as a township auditor types it: open, findings linked to a flag
and to vouchers, rectification by the accountant, close, list, show, report; refusals write nothing."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sanzi_ledger.commands import books, setup
from tests.e2e.test_cli import _state, sanzi
from tests.support import ACCOUNTANT, CASHIER, lines, new_ledger

AUDITOR, HEAD = "孙审计", "张书记"


@pytest.fixture
def village(tmp_path) -> dict:
    """A village whose cashier paid 6,200.00 yuan of works in cash (a flag), set up in-process."""
    db = str(tmp_path / "village.db")
    led = new_ledger(db)
    try:
        for name, role in ((AUDITOR, "auditor"), (HEAD, "head")):
            setup.add_member(led, setup.AddMember(name=name, role=role))
        books.post_voucher(led, books.PostVoucher(day=date(2025, 1, 3), summary="期初", lines=lines(
            {"102": 5_000_000, "101": 300_000}, {"301": 5_300_000})))
        led.operator = CASHIER
        voucher = books.post_voucher(led, books.PostVoucher(day=date(2025, 1, 7), summary="现金支付修路工程款", lines=lines(
            {"514": 620_000}, {"101": 620_000}))).voucher
    finally:
        led.close()
    return {"db": db, "voucher": voucher, "out": str(tmp_path / "报告")}


def run(*args: str, db: str, operator: str = AUDITOR, check: int = 0) -> dict:
    return json.loads(sanzi("--json", *args, db=db, operator=operator, check=check).stdout)


def test_an_audit_from_open_to_report(village):
    db, voucher = village["db"], village["voucher"]
    opened = run("audit", "open", "--kind", "离任", "--scope", "张书记任期内财务收支", "--from", "2025-01", "--to", "2025-12",
                 "--person", HEAD, db=db)
    number = opened["id"]
    assert opened["ok"] is True and re.fullmatch(r"SJ-20\d\d-001", number)

    flags = run("audit", "flags", db=db)["flags"]
    cash = next(f for f in flags if voucher in f["refs"] and "现金" in f["title"])
    finding = run("audit", "finding", number, "--text", "以现金支付工程款 6,200.00 元，应转账", "--flag", cash["id"],
                  "--event", voucher, db=db)
    assert finding["id"] == f"{number}-01"
    text = sanzi("audit", "finding", number, "--text", "未按季度公开财务", "--severity", "red", db=db, operator=AUDITOR).stdout
    assert f"已记录审计发现 {number}-02" in text

    done = sanzi("audit", "rectify", f"{number}-01", "--text", "已收回现金，改由银行转账支付", db=db, operator=ACCOUNTANT).stdout
    assert f"已记录整改 {number}-01" in done
    run("audit", "close", number, "--conclusion", "财务收支基本真实；现金管理需加强", db=db)

    shown = run("audit", "show", number, db=db, operator=HEAD)
    assert (shown["kind"], shown["person"], shown["status"], shown["open_at_close"]) == ("离任", HEAD, "closed", [f"{number}-02"])
    first = shown["findings"][0]
    assert first["flag"]["id"] == cash["id"] and first["flag"]["explanation"] == cash["explanation"]
    assert first["references"] == [{"ref": voucher, "kind": "voucher"}] and first["status"] == "rectified"
    assert first["rectifications"][0]["by"] == ACCOUNTANT and first["rectifications"][0]["role"] == "accountant"

    (row,) = run("audit", "list", db=db)["audits"]
    assert (row["number"], row["status"], row["findings"], row["open_findings"]) == (number, "closed", 2, 1)
    english = sanzi("--lang", "en", "audit", "list", db=db, operator=AUDITOR).stdout
    assert "audits" in english and "closed" in english

    before = _state(db)
    report = run("audit", "report", number, "--out", village["out"], db=db)
    assert _state(db) == before
    html, xlsx = report["files"]
    page = Path(html).read_text("utf-8")
    assert "离任审计报告" in page and cash["id"] in page and "已收回现金" in page and "未整改" in page
    sheet = load_workbook(xlsx)["审计报告"]
    values = [c.value for r in sheet.iter_rows() for c in r if c.value]
    assert f"{number}-01" in values and "财务收支基本真实；现金管理需加强" in values


def test_refusals_name_the_rule_and_write_nothing(village):
    db = village["db"]
    number = run("audit", "open", "--kind", "专项", "--scope", "补助资金使用", db=db)["id"]
    cases = [
        (("audit", "open", "--kind", "年度", "--scope", "x"), AUDITOR, "audit.kind", "kind"),
        (("audit", "open", "--kind", "离任", "--scope", "x"), AUDITOR, "text.empty", "person"),
        (("audit", "open", "--kind", "专项", "--scope", "x"), ACCOUNTANT, "member.wrong_role", "operator"),
        (("audit", "finding", number, "--text", "x", "--flag", "R99:none"), AUDITOR, "audit.flag_unknown", "flag"),
        (("audit", "finding", number, "--text", "x", "--event", "记-2025-09-0001"), AUDITOR, "audit.reference_unknown", "event"),
        (("audit", "finding", number, "--text", "x", "--event", "@999999"), AUDITOR, "audit.position_unknown", "event"),
        (("audit", "finding", "SJ-25-1", "--text", "x"), AUDITOR, "audit.number_format", "audit"),
        (("audit", "finding", number, "--text", "x"), HEAD, "member.wrong_role", "operator"),
        (("audit", "rectify", f"{number}-05", "--text", "x"), ACCOUNTANT, "audit.finding_unknown", "finding"),
        (("audit", "rectify", f"{number}-01", "--text", "x"), CASHIER, "member.wrong_role", "operator"),
        (("audit", "close", number, "--conclusion", " "), AUDITOR, "text.empty", "conclusion"),
    ]
    for args, operator, code, field in cases:
        before = _state(db)
        error = run(*args, db=db, operator=operator, check=1)["error"]
        assert (error["code"], error["field"]) == (code, field), (args, error)
        assert _state(db) == before
    run("audit", "close", number, "--conclusion", "未发现问题", db=db)
    before = _state(db)
    done = sanzi("audit", "finding", number, "--text", "迟到的发现", db=db, operator=AUDITOR, check=1)
    assert "已于" in done.stderr and "结束" in done.stderr
    assert _state(db) == before
