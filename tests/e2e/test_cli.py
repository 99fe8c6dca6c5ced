"""The `sanzi` command as an accountant types it: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sanzi_ledger.commands.ledger import open_ledger
from tests.support import snapshot

CODE = "330100001"


def sanzi(*args: str, db: str, operator: str = "李会计", check: int | None = 0, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "SANZI_DB": db, "SANZI_OPERATOR": operator, **(env or {})}
    full_env.pop("SANZI_COLLECTIVE", None)
    done = subprocess.run([sys.executable, "-m", "sanzi_ledger", *args], capture_output=True, text=True, env=full_env, timeout=60)
    if check is not None:
        assert done.returncode == check, (done.returncode, done.stdout, done.stderr)
    return done


@pytest.fixture
def village(tmp_path) -> str:
    db = str(tmp_path / "village.db")
    sanzi("init", db=db)
    sanzi("collective", "add", CODE, "--name", "东山村股份经济合作社", "--township", "东山镇", "--county", "临安区", "--start", "2025-01", db=db)
    sanzi("member", "add", "李会计", "--role", "accountant", db=db)
    sanzi("member", "add", "王出纳", "--role", "cashier", db=db)
    return db


def test_walkthrough_post_report_close(village):
    posted = json.loads(sanzi("--json", "voucher", "post", "--date", "2025-01-05", "--summary", "收到土地租金",
                              "--debit", "102=12,000", "--credit", "501=12000.00", db=village, operator="王出纳").stdout)
    assert posted["ok"] is True and posted["voucher"] == "记-2025-01-0001" and posted["position"] > 0 and posted["id"]
    report = json.loads(sanzi("--json", "report", "trial-balance", "--period", "2025-01", db=village).stdout)
    assert report["collective"] == CODE and report["period"] == "2025-01"
    assert report["rows"][0] == {"code": "102", "name": "银行存款", "opening_debit": "0.00", "opening_credit": "0.00",
                                 "debit": "12000.00", "credit": "0.00", "closing_debit": "12000.00", "closing_credit": "0.00"}
    assert report["totals"]["debit"] == report["totals"]["credit"] == "12000.00"
    assert "已结账" in sanzi("period", "close", "2025-01", db=village).stdout
    status = json.loads(sanzi("--json", "period", "status", db=village).stdout)
    assert status["periods"] == [{"month": "2025-01", "vouchers": 1, "closed": True,
                                  "closed_at": status["periods"][0]["closed_at"], "closed_by": "李会计"}]
    shown = json.loads(sanzi("--json", "voucher", "show", "记-2025-01-0001", db=village).stdout)
    assert shown["operator"] == "王出纳" and [l["amount"] for l in shown["lines"]] == ["12000.00", "12000.00"]
    table = sanzi("report", "trial-balance", "--period", "2025-01", db=village).stdout
    assert "科目余额表" in table and "12,000.00" in table


@pytest.mark.parametrize(("entry", "field", "words"), [
    ("513=1.234", "借方[1]", "两位小数"),
    ("513=abc", "借方[1]", "金额格式"),
    ("513=0", "借方[1]", "大于零"),
    ("513=-5", "借方[1]", "大于零"),
    ("513=1e3", "借方[1]", "金额格式"),
    ("513=99999999999", "借方[1]", "上限"),
    ("513", "借方[1]", "科目=金额"),
])
def test_bad_amounts_are_refused_with_the_field_named(village, entry, field, words):
    before = _state(village)
    done = sanzi("voucher", "post", "--date", "2025-01-05", "--summary", "付款", "--debit", entry, "--credit", "101=1", db=village, check=1)
    assert field in done.stderr and words in done.stderr
    assert _state(village) == before


def test_refusal_as_json_and_in_english(village):
    done = sanzi("--json", "voucher", "post", "--date", "2025-02-30", "--summary", "x", "--debit", "513=1", "--credit", "101=1", db=village, check=1)
    error = json.loads(done.stdout)
    assert error == {"ok": False, "error": {"code": "date.nonexistent", "field": "date", "message": error["error"]["message"]}}
    assert "2025-02-30" in error["error"]["message"]
    english = sanzi("--lang", "en", "voucher", "post", "--date", "2025-01-05", "--summary", "x",
                    "--debit", "513=10", "--credit", "101=9", db=village, check=1)
    assert "debit 10.00, credit 9.00, difference 1.00" in english.stderr


def test_wrong_role_is_refused_and_nothing_written(village):
    sanzi("member", "add", "赵监委", "--role", "supervisor", db=village)
    before = _state(village)
    done = sanzi("voucher", "post", "--date", "2025-01-05", "--summary", "x", "--debit", "513=1", "--credit", "101=1",
                 db=village, operator="赵监委", check=1)
    assert "操作员角色为 监督委员，记账 需要 会计或出纳" in done.stderr
    english = sanzi("--lang", "en", "voucher", "post", "--date", "2025-01-05", "--summary", "x", "--debit", "513=1",
                    "--credit", "101=1", db=village, operator="赵监委", check=1)
    assert "role is supervisor; voucher post needs accountant/cashier" in english.stderr
    assert _state(village) == before


def test_unknown_collective_code_is_refused(village):
    done = sanzi("-c", "330185101299", "voucher", "list", db=village, check=1)
    assert "330185101299" in done.stderr and "没有这个集体经济组织" in done.stderr


def test_a_file_that_is_not_a_ledger_exits_4_without_a_traceback(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hi")
    done = sanzi("voucher", "list", db=str(path), check=4)
    assert "Traceback" not in done.stderr and "notes.db" in done.stderr


def test_store_path_problems_name_the_cause(tmp_path):
    done = sanzi("init", db=str(tmp_path / "missing" / "x.db"), check=1)
    assert "不存在" in done.stderr and "missing" in done.stderr
    done = sanzi("init", db="postgresql://postgres@127.0.0.1/test?schema=Guide-Tmp", check=1)
    assert "小写字母" in done.stderr


def test_the_first_member_must_be_the_operator_so_nobody_is_locked_out(tmp_path):
    db = str(tmp_path / "v.db")
    sanzi("init", db=db)
    sanzi("collective", "add", "330100002", "--name", "西山村", "--township", "t", "--county", "c", db=db)
    done = sanzi("member", "add", "王出纳", "--role", "cashier", db=db, operator="李会计", check=1)
    assert "李会计" in done.stderr
    sanzi("member", "add", "李会计", "--role", "accountant", db=db, operator="李会计")
    sanzi("member", "add", "王出纳", "--role", "cashier", db=db, operator="李会计")


def test_uninitialised_store_is_refused_and_not_created(tmp_path):
    db = str(tmp_path / "none.db")
    done = sanzi("voucher", "list", db=db, check=1)
    assert "sanzi init" in done.stderr and not os.path.exists(db)


def test_usage_error_exits_2(village):
    assert sanzi("voucher", "post", "--date", "2025-01-05", db=village, check=2).returncode == 2


def test_unreachable_server_exits_4(tmp_path):
    done = sanzi("voucher", "list", db="postgresql://postgres@127.0.0.1:1/test?schema=x", check=4)
    assert "127.0.0.1" in done.stderr


def test_demo_builds_a_closed_year_and_prints_the_statements(tmp_path):
    out = str(tmp_path / "demo")
    for _ in range(2):  # running it again replaces its own demo store
        done = sanzi("demo", "--out", out, db="", check=0, env={"SANZI_DB": ""})
    for heading in ("科目余额表", "资产负债表", "收益及收益分配表", "明细账", "已结账"):
        assert heading in done.stdout
    led = open_ledger(os.path.join(out, "demo.db"), collective="330185101201")
    try:
        months = led.views.query("SELECT month FROM v_periods WHERE closed = 1 ORDER BY month")
        assert [m for (m,) in months] == [f"2025-{n:02d}" for n in range(1, 13)]
    finally:
        led.close()


def test_demo_refuses_to_overwrite_a_real_store(village, tmp_path):
    done = sanzi("demo", db=village, check=1)
    assert "演示" in done.stderr


def _state(db: str) -> tuple:
    led = open_ledger(db)
    try:
        return snapshot(led)
    finally:
        led.close()
