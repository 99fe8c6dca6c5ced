"""Disclosure as typed: board, draft, review, publish, verify, status, site."""

from __future__ import annotations

import json
import re

from tests.e2e.test_cli import sanzi

CODE = "330100001"


def test_board_draft_review_publish_verify_and_site(tmp_path):
    db = str(tmp_path / "v.db")
    sanzi("init", db=db)
    sanzi("collective", "add", CODE, "--name", "东山村股份经济合作社", "--township", "东山镇", "--county", "临安区",
          "--start", "2025-01", db=db)
    sanzi("member", "add", "李会计", "--role", "accountant", db=db)
    sanzi("member", "add", "赵监委", "--role", "supervisor", db=db)
    sanzi("voucher", "post", "--date", "2025-01-06", "--summary", "收到土地承包费", "--debit", "102=48600",
          "--credit", "501=48600", db=db)
    sanzi("debt", "add", "ZQ-01", "--direction", "receivable", "--party", "<script>alert(1)</script>",
          "--party-id", "11010519491231002X", "--amount", "12000", "--date", "2025-01-10", "--via", "bank", db=db)
    sanzi("board", "add", "村委会公开栏", "--location", "村委会大院东侧公开栏", "--cadence", "monthly", db=db)

    refused = sanzi("disclose", "draft", "--board", "村委会公开栏", "--period", "2025-01", db=db, check=1)
    assert "2025-01" in refused.stderr and "结账" in refused.stderr
    sanzi("period", "close", "2025-01", db=db)
    drafted = json.loads(sanzi("--json", "disclose", "draft", "--board", "村委会公开栏", "--period", "2025-01", db=db).stdout)
    number = drafted["id"]
    assert re.fullmatch(r"GK-\d{4}-001", number)

    own = sanzi("disclose", "review", number, "--approve", "--opinion", "同意", db=db, check=1)
    assert "监督委员" in own.stderr
    sanzi("disclose", "review", number, "--approve", "--opinion", "逐笔核对无误，同意公开", db=db, operator="赵监委")
    out = tmp_path / "board"
    published = json.loads(sanzi("--json", "disclose", "publish", number, "--out", str(out), db=db).stdout)
    assert published["ok"] and len(published["digest"]) == 64
    names = set(published["files"])
    assert {f"{number}.html", f"{number}.xlsx", f"{number}.pdf", f"{number}.json"} <= names
    assert any(n.endswith(".csv") for n in names)

    for name in names:  # privacy: the full ID number never leaves the ledger
        assert b"11010519491231002X" not in (out / name).read_bytes()
    html = (out / f"{number}.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html

    assert "一致" in sanzi("disclose", "verify", str(out / f"{number}.html"), db=db).stdout
    assert "一致" in sanzi("disclose", "verify", published["digest"][:16], db=db).stdout
    (out / f"{number}.html").write_text(html.replace("48,600.00", "4,860.00"), "utf-8")
    assert "不一致" in sanzi("disclose", "verify", str(out / f"{number}.html"), db=db, check=3).stdout

    again = sanzi("disclose", "publish", number, "--out", str(tmp_path / "again"), db=db, check=1)
    assert "已经公开" in again.stderr or "已有" in again.stderr

    status = json.loads(sanzi("--json", "disclose", "status", db=db).stdout)
    first = next(i for i in status["items"] if i["period"] == "2025-01")
    assert first["number"] == number and first["state"] in ("published", "published_late")

    site = tmp_path / "site"
    assert "index.html" in sanzi("disclose", "site", "--out", str(site), db=db).stdout
    assert (site / "index.html").exists()
