"""`sanzi import` as an accountant runs it: templates filled in with openpyxl,
a GBK CSV from Chinese Excel, a messy sheet, and a kill -9 in the middle."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from sanzi_ledger.commands.ledger import open_ledger
from sanzi_ledger.integrity.verify import verify_chain
from tests.e2e.test_cli import CODE, sanzi
from tests.support import snapshot


@pytest.fixture
def village(tmp_path) -> str:
    db = str(tmp_path / "village.db")
    sanzi("init", db=db)
    sanzi("collective", "add", CODE, "--name", "东山村股份经济合作社", "--township", "东山镇", "--county", "临安区",
          "--start", "2024-01", db=db)
    sanzi("member", "add", "李会计", "--role", "accountant", db=db)
    sanzi("member", "add", "王出纳", "--role", "cashier", db=db)
    return db


def stored(db: str):
    led = open_ledger(db)
    try:
        return snapshot(led)
    finally:
        led.close()


def test_a_template_filled_in_imports_and_a_second_time_adds_nothing(village, tmp_path):
    template = str(tmp_path / "凭证模板.xlsx")
    assert "已生成导入模板" in sanzi("import", "template", "vouchers", "--out", template, db=village).stdout
    book = load_workbook(template)
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in (["2025-01-05", "1", "收到土地承包费", "102", 12000, None, 2, "东山村代〔2025〕1号"],
                ["2025-01-05", "1", "收到土地承包费", "501", None, 12000],
                [datetime(2025, 1, 8), "2", "支付电费", "513", "356.50", None],
                [datetime(2025, 1, 8), "2", "支付电费", "101", None, "356.50"]):
        sheet.append(row)
    filled = str(tmp_path / "一月凭证.xlsx")
    book.save(filled)
    checked = sanzi("import", filled, "--kind", "vouchers", "--dry-run", db=village)
    assert "检查通过（--dry-run，未写入）" in checked.stdout and "可导入 2 条" in checked.stdout
    done = sanzi("import", filled, "--kind", "vouchers", db=village)
    assert "已导入 2 条" in done.stdout and "记-2025-01-0001 … 记-2025-01-0002" in done.stdout
    shown = json.loads(sanzi("--json", "voucher", "show", "记-2025-01-0001", db=village).stdout)
    assert shown["attachments"] == 2 and shown["resolution"] == "东山村代〔2025〕1号"
    again = json.loads(sanzi("--json", "import", filled, "--kind", "vouchers", db=village).stdout)
    assert (again["ok"], again["imported"], again["already_present"]) == (True, 0, 2)
    log = json.loads(sanzi("--json", "import", "list", db=village).stdout)["imports"]
    assert [(i["file"], i["imported"], i["operator"]) for i in log] == [("一月凭证.xlsx", 2, "李会计")]


def test_every_kind_has_a_template_that_imports_as_it_is(village, tmp_path):
    for kind in ("resources", "assets", "contracts", "leases", "debts", "subsidies", "opening-2004"):
        path = str(tmp_path / f"{kind}.xlsx")
        sanzi("import", "template", kind, "--out", path, db=village)
        assert load_workbook(path).worksheets[0].freeze_panes == "A2"
        result = json.loads(sanzi("--json", "import", path, "--kind", kind, db=village).stdout)
        assert result["ok"] and result["imported"] >= 1, (kind, result)
    balance = json.loads(sanzi("--json", "report", "trial-balance", "--period", "2024-01", db=village).stdout)
    assert balance["totals"]["opening_debit"] == balance["totals"]["opening_credit"] == "1339376.40"


def test_a_gbk_csv_from_chinese_excel_is_detected_and_said(village, tmp_path):
    path = tmp_path / "凭证.csv"
    with open(path, "w", encoding="gbk", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["日期", "凭证号", "摘要", "科目编码", "借方金额", "贷方金额"])
        out.writerow(["2025/1/5", "1", "收到东山村土地承包费", "102", "1,200.00", ""])
        out.writerow(["2025/1/5", "1", "收到东山村土地承包费", "501", "", "1,200.00"])
    done = sanzi("import", str(path), "--kind", "vouchers", db=village)
    assert "按 GB18030 编码读取" in done.stderr and "已导入 1 条" in done.stdout
    shown = json.loads(sanzi("--json", "voucher", "show", "记-2025-01-0001", db=village).stdout)
    assert shown["summary"] == "收到东山村土地承包费"
    wrong = sanzi("import", str(path), "--kind", "vouchers", "--encoding", "utf-8", db=village, check=1)
    assert "--encoding" in wrong.stderr


def _with_cached_formula(path: str) -> None:
    """Give the first formula a cached value, as Excel does when it saves (openpyxl never does)."""
    rewritten = path + ".tmp"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>600+600</f><v />", b"<f>600+600</f><v>1200</v>", 1)
            target.writestr(item, data)
    os.replace(rewritten, path)


def test_a_messy_sheet_is_read_as_meant_and_its_bad_rows_are_all_named(village, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "凭证号", "摘要 ", "科目编码", "借方金额（元）", "贷方金额（元）", "经办人"])
    sheet.append([45662, "１", "收到租金  ", " 102", "=600+600", None, "张三"])       # serial date, formula with a cached value
    sheet.append([None, None, None, "501", None, "1,200元", None])                  # merged date and number below
    sheet.append([])
    sheet.append(["2025年1月9日", "2", "付电费", "513", "１２３.５", None])
    sheet.append(["2025年1月9日", "2", "付电费", "101", None, 123.5])
    sheet.append([datetime(2025, 1, 10), "3", "坏的一张", "513", "=1/0", None])      # formula without a cached value
    sheet.append([datetime(2025, 1, 10), "3", "坏的一张", "101", None, "十元"])       # not an amount
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:C3")
    path = str(tmp_path / "messy.xlsx")
    book.save(path)
    _with_cached_formula(path)
    before = stored(village)
    refused = sanzi("--json", "import", path, "--kind", "vouchers", db=village, check=1)
    report = json.loads(refused.stdout)
    assert report["ok"] is False and report["error_count"] == 2 and report["error"]["code"] == "import.rows_refused"
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (7, "借方金额", "import.formula_uncached"), (8, "贷方金额", "money.format")]
    assert report["ignored_columns"] == ["经办人"]
    assert stored(village) == before
    text = sanzi("import", path, "--kind", "vouchers", db=village, check=1).stderr
    assert "第 7 行，借方金额==1/0：公式没有保存计算结果" in text and "第 8 行，贷方金额=十元" in text
    assert "2 行有错误（共 2 处），未写入任何数据" in text
    # Without the bad voucher the rest goes in, read as meant.
    book = load_workbook(path)
    book.worksheets[0].delete_rows(7, 2)
    book.save(path)
    _with_cached_formula(path)
    assert "已导入 2 条" in sanzi("import", path, "--kind", "vouchers", db=village).stdout
    first = json.loads(sanzi("--json", "voucher", "show", "记-2025-01-0001", db=village).stdout)
    assert (first["date"], first["summary"], [l["amount"] for l in first["lines"]]) == ("2025-01-05", "收到租金", ["1200.00", "1200.00"])
    second = json.loads(sanzi("--json", "voucher", "show", "记-2025-01-0002", db=village).stdout)
    assert (second["date"], [l["amount"] for l in second["lines"]]) == ("2025-01-09", ["123.50", "123.50"])


def test_only_the_accountant_imports_and_a_missing_header_is_named(village, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("日期,凭证号,摘要,借方金额,贷方金额\n2025-01-05,1,租金,1,\n", encoding="utf-8")
    missing = sanzi("import", str(path), "--kind", "vouchers", db=village, check=1)
    assert "缺少这些列" in missing.stderr and "科目编码" in missing.stderr
    path.write_text("日期,凭证号,摘要,科目编码,借方金额,贷方金额\n2025-01-05,1,租金,102,1,\n2025-01-05,1,租金,501,,1\n", encoding="utf-8")
    cashier = sanzi("import", str(path), "--kind", "vouchers", db=village, operator="王出纳", check=1)
    assert "批量导入" in cashier.stderr


def _big_csv(path, vouchers: int) -> str:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["日期", "凭证号", "摘要", "科目编码", "借方金额", "贷方金额"])
        for n in range(1, vouchers + 1):
            day = f"2025-{1 + n * 12 // (vouchers + 1):02d}-15"
            out.writerow([day, n, "收到租金", "102", f"{n % 9000 + 1}.50", ""])
            out.writerow([day, n, "收到租金", "501", "", f"{n % 9000 + 1}.50"])
    return str(path)


def _holds_import_lock(db: str) -> bool:
    if db.startswith("postgresql://"):
        import psycopg

        dsn, _, schema = db.partition("?schema=")
        with psycopg.connect(dsn) as conn:
            row = conn.execute("SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s "
                               "AND l.mode = 'ExclusiveLock' AND l.granted", (schema,)).fetchone()
        return bool(row and row[0])
    import sqlite3

    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")  # refused while the import holds the write lock
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_9_in_the_middle_of_a_large_import_leaves_the_store_as_before(backend, tmp_path, postgres_reason):
    if backend == "postgres":
        if postgres_reason:
            pytest.skip(f"PostgreSQL NOT TESTED: {postgres_reason}")
        import uuid

        from tests.conftest import PG_DSN, _drop_schema

        schema = f"t_{uuid.uuid4().hex[:12]}"
        db = f"{PG_DSN}?schema={schema}"
    else:
        db = str(tmp_path / "big.db")
    try:
        sanzi("init", db=db)
        sanzi("collective", "add", CODE, "--name", "东山村", "--township", "东山镇", "--county", "临安区", "--start", "2025-01", db=db)
        sanzi("member", "add", "李会计", "--role", "accountant", db=db)
        small = tmp_path / "small.csv"
        small.write_text("日期,凭证号,摘要,科目编码,借方金额,贷方金额\n2025-01-02,1,期初,102,5,\n2025-01-02,1,期初,501,,5\n", encoding="utf-8")
        sanzi("import", str(small), "--kind", "vouchers", db=db)
        before = stored(db)
        path = _big_csv(tmp_path / "big.csv", 60_000)
        env = {**os.environ, "SANZI_DB": db, "SANZI_OPERATOR": "李会计"}
        process = subprocess.Popen([sys.executable, "-m", "sanzi_ledger", "import", path, "--kind", "vouchers"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while not _holds_import_lock(db):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.05)
        time.sleep(0.5)
        assert process.poll() is None, "the import finished before it could be killed: make the file larger"
        readers = _children(process.pid)
        assert readers, "a file this large is read by a reading process of its own (io/reading.py)"
        process.send_signal(signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 30
        while any(os.path.exists(f"/proc/{pid}") and not _zombie(pid) for pid in readers):
            assert time.monotonic() < deadline, "the reading process outlived the killed import"
            time.sleep(0.05)
        after = stored(db)
        assert after == before
        led = open_ledger(db)
        try:
            assert verify_chain(led.app, led.views).ok
        finally:
            led.close()
        # The store is usable at once: nothing is left locked or half written.
        sanzi("import", str(small), "--kind", "vouchers", db=db)
        assert json.loads(sanzi("--json", "import", "list", db=db).stdout)["imports"][0]["file"] == "small.csv"
    finally:
        if backend == "postgres":
            _drop_schema(schema)
