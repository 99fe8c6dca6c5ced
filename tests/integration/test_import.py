"""Bulk import on both stores: all or nothing, every bad row named, idempotent,
every register kind, the 2004-chart migration, and views equal to a rebuild."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from sanzi_ledger.errors import Refusal
from sanzi_ledger.integrity.verify import verify_chain
from sanzi_ledger.io.columns import KINDS
from sanzi_ledger.io.importing import run_import
from sanzi_ledger.io.migration import mapping_2004_2024
from sanzi_ledger.io.template import write_template
from sanzi_ledger.io.vouchers import BATCH_VOUCHERS
from sanzi_ledger.periods import parse_period
from sanzi_ledger.projections import trial_balance
from tests.support import CODE, new_ledger, snapshot

HEADER = ["日期", "凭证号", "摘要", "科目编码", "借方金额", "贷方金额"]


def write_csv(path, rows, *, encoding="utf-8", header=HEADER) -> str:
    with open(path, "w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def voucher_rows(count: int, month: str = "2025-01") -> list[list[str]]:
    rows = []
    for n in range(1, count + 1):
        day = f"{month}-{1 + n % 28:02d}"
        rows += [[day, str(n), f"收到租金{n}", "102", f"{n}.25", ""], [day, str(n), f"收到租金{n}", "501", "", f"{n}.25"]]
    return rows


def check_views_equal_rebuild(led) -> None:
    before = led.projector.dump()
    led.projector.rebuild()
    assert led.projector.dump() == before
    assert verify_chain(led.app, led.views).ok


def test_vouchers_import_then_a_second_import_adds_nothing(store_url, tmp_path):
    led = new_ledger(store_url)
    path = write_csv(tmp_path / "v.csv", voucher_rows(3))
    result = run_import(led, path, "vouchers")
    assert (result.ok, result.rows, result.imported, result.already_present) == (True, 6, 3, 0)
    assert (result.first_ref, result.last_ref) == ("记-2025-01-0001", "记-2025-01-0003")
    assert led.views.query("SELECT number, summary, total_fen FROM v_vouchers ORDER BY number") == [
        ("记-2025-01-0001", "收到租金1", 125), ("记-2025-01-0002", "收到租金2", 225), ("记-2025-01-0003", "收到租金3", 325)]
    stored = snapshot(led)
    again = run_import(led, path, "vouchers")
    assert (again.ok, again.imported, again.already_present) == (True, 0, 3)
    assert snapshot(led) == stored
    # A longer file with the same three vouchers first: only the new one goes in.
    more = run_import(led, write_csv(tmp_path / "v2.csv", voucher_rows(4)), "vouchers")
    assert (more.imported, more.already_present, more.first_ref) == (1, 3, "记-2025-01-0004")
    log = led.views.query("SELECT kind, file_name, sha256, rows, imported, already_present, operator FROM v_imports ORDER BY position")
    assert [row[:2] + row[3:] for row in log] == [("vouchers", "v.csv", 6, 3, 0, "李会计"), ("vouchers", "v2.csv", 8, 1, 3, "李会计")]
    assert all(len(row[2]) == 64 for row in log)
    check_views_equal_rebuild(led)


def test_a_file_with_bad_rows_writes_nothing_and_names_every_bad_row(store_url, tmp_path):
    led = new_ledger(store_url)
    rows = voucher_rows(3) + [
        ["2025-01-09", "9", "错一", "102", "12.345", ""],     # row 8: a third decimal
        ["2025-01-09", "9", "错一", "999", "", "12.34"],      # row 9: no such account
        ["2025-02-30", "10", "错二", "102", "1", ""],         # row 10: no such day
        ["2025-01-11", "11", "错三", "102", "5", "5"],        # row 11: both sides
        ["2025-01-12", "12", "不平", "102", "5", ""],         # row 12: unbalanced...
        ["2025-01-12", "12", "不平", "501", "", "4"],         # row 13
        ["2099-01-12", "13", "未来", "102", "5", ""],         # row 14: in the future
        ["2099-01-12", "13", "未来", "501", "", "5"],
        ["2025-01-01", "1", "拆开的凭证", "102", "5", ""],     # row 16: number 1 again, not adjacent
        ["2025-01-01", "1", "拆开的凭证", "501", "", "5"],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = snapshot(led)
    result = run_import(led, path, "vouchers")
    assert not result.ok and result.imported == 3
    found = {(e.row, e.column, e.refusal.code) for e in result.errors.kept}
    assert found == {
        (8, "借方金额", "money.too_many_decimals"), (10, "日期", "date.nonexistent"), (11, "借方金额", "import.both_sides"),
        (13, "贷方金额", "voucher.unbalanced"), (14, "日期", "voucher.future_date"), (16, "凭证号", "import.voucher_split"),
    }
    first = min(result.errors.kept, key=lambda e: e.row)
    assert first.message("zh") == "第 8 行，借方金额=12.345：金额最多两位小数（到分）"
    assert first.as_json("en")["message"] == "row 8, 借方金额=12.345: an amount has at most two decimals (fen)"
    assert snapshot(led) == before
    dry = run_import(led, write_csv(tmp_path / "good.csv", voucher_rows(3)), "vouchers", dry_run=True)
    assert (dry.ok, dry.imported, dry.dry_run) == (True, 3, True)
    assert snapshot(led) == before


def test_an_unknown_account_is_named_on_its_own_row(store_url, tmp_path):
    led = new_ledger(store_url)
    rows = [["2025-01-05", "1", "租金", "102", "10", ""], ["2025-01-05", "1", "租金", "5019", "", "10"]]
    result = run_import(led, write_csv(tmp_path / "a.csv", rows), "vouchers")
    assert [(e.row, e.column, e.refusal.code) for e in result.errors.kept] == [(3, "贷方金额", "voucher.account_unknown")]


def test_many_batches_in_one_transaction_chain_and_views_stay_right(store_url, tmp_path):
    led = new_ledger(store_url)
    count = BATCH_VOUCHERS * 2 + 17
    result = run_import(led, write_csv(tmp_path / "big.csv", voucher_rows(count)), "vouchers")
    assert result.ok and result.imported == count
    assert led.views.query("SELECT COUNT(*), MAX(number) FROM v_vouchers") == [(count, f"记-2025-01-{count:04d}")]
    tb = trial_balance.trial_balance(led.views, led.chart("2024"), CODE, parse_period("2025-01"))
    assert tb.balanced and tb.totals.debit == sum(n * 100 + 25 for n in range(1, count + 1))
    check_views_equal_rebuild(led)


def test_each_month_of_a_batch_is_numbered_by_one_event_and_voucher_post_follows_on(store_url, tmp_path):
    from datetime import date

    from sanzi_ledger.commands import books
    from tests.support import lines

    led = new_ledger(store_url)
    count = BATCH_VOUCHERS + 5  # two batches; January and February in each
    rows = voucher_rows(count // 2, "2025-01") + [
        [row[0], str(int(row[1]) + count), *row[2:]] for row in voucher_rows(count - count // 2, "2025-02")]
    rows.sort(key=lambda row: (int(row[1]) % (count // 2 + 1), row[0]))  # alternate the months within each batch
    result = run_import(led, write_csv(tmp_path / "two.csv", rows), "vouchers")
    assert result.ok and result.imported == count
    topics = [n.topic for n in led.app.recorder.select_notifications(start=1, limit=10**9)]
    assert "period.VoucherNumbered.v1" not in topics
    assert topics.count("period.RangeNumbered.v1") == 4 and topics.count("voucher.Posted.v1") == count
    assert led.views.query("SELECT month, voucher_count FROM v_periods ORDER BY month") == [
        ("2025-01", count // 2), ("2025-02", count - count // 2)]
    posted = books.post_voucher(led, books.PostVoucher(day=date(2025, 2, 3), summary="补记", lines=lines({"102": 1}, {"501": 1})))
    assert posted.voucher == f"记-2025-02-{count - count // 2 + 1:04d}"
    check_views_equal_rebuild(led)


def test_a_closed_month_is_refused_row_by_row(store_url, tmp_path):
    from sanzi_ledger.commands import books

    led = new_ledger(store_url)
    books.close_period(led, books.ClosePeriod(month="2025-01"))
    result = run_import(led, write_csv(tmp_path / "v.csv", voucher_rows(2)), "vouchers")
    assert [(e.row, e.refusal.code) for e in result.errors.kept] == [(2, "period.closed"), (4, "period.closed")]


def _filled_template(kind: str, tmp_path) -> str:
    path = str(tmp_path / f"{kind}.xlsx")
    write_template(kind, path)
    return path


def test_every_register_kind_imports_from_its_own_template(store_url, tmp_path):
    led = new_ledger(store_url, start="2018-01")
    for kind in ("resources", "assets", "contracts", "leases", "debts", "subsidies"):
        path = _filled_template(kind, tmp_path)
        result = run_import(led, path, kind)
        assert result.ok and result.imported == 1, (kind, result.as_json())
        again = run_import(led, path, kind)
        assert (again.imported, again.already_present) == (0, 1), kind
    assert led.views.query("SELECT COUNT(*) FROM v_imports") == [(6,)]
    check_views_equal_rebuild(led)


def test_register_rows_are_checked_by_the_register_rules(store_url, tmp_path):
    led = new_ledger(store_url)
    path = tmp_path / "r.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in KINDS["resources"]])
    sheet.append(["ZY-001", "村东耕地", "耕地", "320.5", "一组"])
    sheet.append(["ZY-002", "后山", "山地", "10", ""])        # not a resource type
    sheet.append(["ZY-001", "重复", "林地", "5", ""])          # the same number again
    sheet.append(["ZY-003", "鱼塘", "水面", "1.234", ""])      # three decimals
    book.save(path)
    before = snapshot(led)
    result = run_import(led, str(path), "resources")
    assert {(e.row, e.column) for e in result.errors.kept} == {(3, "类型"), (4, "资源编号"), (5, "面积")}
    assert snapshot(led) == before


def test_migration_carries_the_old_trial_balance_to_the_new_opening(store_url, tmp_path):
    led = new_ledger(store_url, start="2024-01")
    rows = [  # an old trial balance at 2023-12-31, with a subtotal row and detail rows
        ["101", "现金", "3,256.40", ""], ["102", "银行存款", "486,120.00", ""],
        ["112", "应收款", "20,000.00", ""], ["112001", "应收款-张三", "15,000.00", ""], ["112002", "应收款-李四", "5,000.00", ""],
        ["153", "固定资产清理", "1,000.00", ""], ["154", "在建工程", "30,000.00", ""],
        ["202", "应付款", "", "40,000.00"], ["212", "应付福利费", "", "2,000.00"],
        ["301", "资本", "", "498,376.40"],
    ]
    path = write_csv(tmp_path / "old.csv", rows, header=["科目编码", "科目名称", "借方余额", "贷方余额"])
    result = run_import(led, path, "opening-2004")
    assert result.ok, result.as_json()
    tb = trial_balance.trial_balance(led.views, led.chart("2024"), CODE, parse_period("2024-01"))
    opening = {row.code: row.opening_debit - row.opening_credit for row in tb.rows}
    assert opening == {"101": 325640, "102": 48612000, "112": 2000000, "154": 100000, "153": 3000000,
                       "211": -4000000, "311": -200000, "301": -49837640}
    assert tb.totals.opening_debit == tb.totals.opening_credit == 3256.40 * 100 + 48612000 + 2000000 + 100000 + 3000000
    assert set(mapping_2004_2024()) >= {"101", "202", "212"}
    stored = snapshot(led)
    assert run_import(led, path, "opening-2004").already_present == len(rows)
    assert snapshot(led) == stored
    other = write_csv(tmp_path / "other.csv", rows[:2] + [["301", "资本", "", "489,376.40"]],
                      header=["科目编码", "科目名称", "借方余额", "贷方余额"])
    refused = run_import(led, other, "opening-2004")
    assert [e.refusal.code for e in refused.errors.kept] == ["migration.already_done"]
    check_views_equal_rebuild(led)


def test_migration_refuses_a_trial_balance_that_does_not_balance_or_map(store_url, tmp_path):
    led = new_ledger(store_url, start="2024-01")
    header = ["科目编码", "科目名称", "借方余额", "贷方余额", "新科目编码"]
    bad = write_csv(tmp_path / "bad.csv", [
        ["101", "现金", "100", "", ""], ["999", "不存在", "5", "", ""], ["202", "应付款", "", "50", "201"],
        ["541", "管理费用", "7", "", ""], ["112", "应收款", "30", "", ""], ["112001", "张三", "20", "", ""],
    ], header=header)
    before = snapshot(led)
    result = run_import(led, bad, "opening-2004")
    assert {(e.row, e.refusal.code) for e in result.errors.kept} == {
        (3, "migration.old_account_unknown"), (4, "migration.target_not_mapped"), (5, "migration.profit_loss_balance"),
        (6, "migration.subtotal")}
    unbalanced = write_csv(tmp_path / "unbalanced.csv", [["101", "现金", "100", "", ""], ["301", "资本", "", "90", ""]], header=header)
    result = run_import(led, unbalanced, "opening-2004")
    assert [e.refusal.code for e in result.errors.kept] == ["migration.unbalanced"]
    assert "相差 10.00" in result.errors.kept[0].message("zh")
    assert snapshot(led) == before


def test_template_has_headers_an_example_validation_and_a_frozen_header(tmp_path):
    path = _filled_template("leases", tmp_path)
    sheet = load_workbook(path).worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in KINDS["leases"]]
    assert sheet["A2"].value == "ZL-2025-001"
    assert sheet.freeze_panes == "A2"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["G2:G10000"] == '"每年,每季,每月,全期"'  # 计租单位
    assert lists["K2:K10000"].startswith('"公开招标,')  # 发包方式
    assert sheet.column_dimensions["D"].width >= 14
    assert load_workbook(path).sheetnames[1] == "说明"


_LINE = st.tuples(st.sampled_from(["101", "102", "112", "501", "513"]), st.integers(min_value=1, max_value=10**8))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=1, max_value=28), st.lists(_LINE, min_size=1, max_size=4)),
                min_size=1, max_size=30))
def test_imported_books_equal_the_file_summed_by_account_and_a_reimport_adds_nothing(tmp_path_factory, vouchers):
    """Property: whatever valid vouchers a file holds, the trial balance moves by exactly its lines."""
    folder = tmp_path_factory.mktemp("prop")
    led = new_ledger(str(folder / "l.db"))
    rows, expected = [], {}
    for number, (day, debits) in enumerate(vouchers, start=1):
        total = sum(fen for _, fen in debits)
        for account, fen in debits:
            rows.append([f"2025-03-{day:02d}", str(number), "测试", account, f"{fen / 100:.2f}", ""])
            expected[account] = expected.get(account, 0) + fen
        rows.append([f"2025-03-{day:02d}", str(number), "测试", "322", "", f"{total / 100:.2f}"])
        expected["322"] = expected.get("322", 0) - total
    path = write_csv(folder / "v.csv", rows)
    assert run_import(led, path, "vouchers").imported == len(vouchers)
    moved = {row[0]: int(row[1]) for row in led.views.query(
        "SELECT account, SUM(debit_fen - credit_fen) FROM v_account_month GROUP BY account") if int(row[1])}
    assert moved == {account: net for account, net in expected.items() if net}
    stored = snapshot(led)
    assert run_import(led, path, "vouchers").already_present == len(vouchers)
    assert snapshot(led) == stored
    led.close()


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_sheet_numbers(store_url, tmp_path):
    led = new_ledger(store_url)
    path = tmp_path / "titled.csv"
    path.write_text("东山村2025年1月凭证,,,,,\n单位：元,,,,,\n" + ",".join(HEADER) + "\n"
                    "2025-01-05,1,租金,102,10,\n2025-01-05,1,租金,501,,9\n", encoding="utf-8")
    result = run_import(led, str(path), "vouchers")
    assert [(e.row, e.column, e.refusal.code) for e in result.errors.kept] == [(5, "贷方金额", "voucher.unbalanced")]
    path.write_text("东山村凭证\n日期,凭证号,摘要\n", encoding="utf-8")
    with pytest.raises(Refusal) as refused:
        run_import(led, str(path), "vouchers")
    assert refused.value.code == "import.header_missing" and refused.value.params["row"] == 2
    assert refused.value.value == "科目编码、借方金额、贷方金额"


# -- reading in a process of its own (io/reading.py) ---------------------------------
def _imported(led, path, monkeypatch, *, in_process: bool, **kwargs):
    from sanzi_ledger.io import reading

    monkeypatch.setattr(reading, "PROCESS_BYTES_MIN", 0 if in_process else 1 << 40)
    return run_import(led, path, "vouchers", **kwargs)


def test_a_file_read_by_a_reading_process_imports_exactly_as_one_read_here(store_url, tmp_path, monkeypatch):
    rows = voucher_rows(BATCH_VOUCHERS + 300) + [
        ["2025-01-09", "X9", "错一", "102", "12.345", ""],     # a third decimal
        ["2025-02-30", "X10", "错二", "102", "1", ""],         # no such day
        ["2025-01-01", "1", "拆开的凭证", "102", "5", ""],     # number 1 again, not adjacent
        ["2025-01-01", "1", "拆开的凭证", "501", "", "5"],
    ]
    bad = write_csv(tmp_path / "bad.csv", rows)
    led = new_ledger(store_url)
    before = snapshot(led)
    here = _imported(led, bad, monkeypatch, in_process=False, dry_run=True)
    apart = _imported(led, bad, monkeypatch, in_process=True)
    assert apart.as_json() == {**here.as_json(), "dry_run": False}
    assert apart.errors.count == 3 and not apart.ok
    assert snapshot(led) == before
    good = write_csv(tmp_path / "good.csv", voucher_rows(BATCH_VOUCHERS + 300))
    result = _imported(led, good, monkeypatch, in_process=True)
    assert (result.ok, result.rows, result.imported) == (True, 2 * (BATCH_VOUCHERS + 300), BATCH_VOUCHERS + 300)
    again = _imported(led, good, monkeypatch, in_process=True)
    assert (again.imported, again.already_present) == (0, BATCH_VOUCHERS + 300)
    check_views_equal_rebuild(led)


def test_every_bad_row_is_counted_past_the_kept_ones_when_a_reading_process_reads(tmp_path, monkeypatch):
    from sanzi_ledger.io.table import ERRORS_KEPT_MAX

    led = new_ledger(str(tmp_path / "l.db"))
    rows = [["2025-01-05", str(n), "坏", "102", "1.001", ""] for n in range(1, ERRORS_KEPT_MAX + 6)]
    result = _imported(led, write_csv(tmp_path / "many.csv", rows), monkeypatch, in_process=True)
    assert (result.errors.count, len(result.errors.kept)) == (ERRORS_KEPT_MAX + 5, ERRORS_KEPT_MAX)
    assert result.errors.rows == set(range(2, ERRORS_KEPT_MAX + 7))  # "N 行有错误" counts the rows not kept too
    assert result.errors.kept[0].row == 2 and result.imported == 0


def test_a_refusal_met_by_the_reading_process_is_the_import_s_refusal(tmp_path, monkeypatch):
    led = new_ledger(str(tmp_path / "l.db"))
    path = tmp_path / "broken.csv"
    good = "".join(f"2025-01-05,{n},收到租金,102,1,\n2025-01-05,{n},收到租金,501,,1\n" for n in range(1, 30_000))
    path.write_bytes((",".join(HEADER) + "\n" + good).encode("utf-8") + b"2025-01-05,x,\xb9\xfa,102,1,\n")
    before = snapshot(led)
    with pytest.raises(Refusal) as here:
        _imported(led, str(path), monkeypatch, in_process=False)
    with pytest.raises(Refusal) as apart:
        _imported(led, str(path), monkeypatch, in_process=True)
    assert apart.value.code == "import.encoding_broken" and apart.value.params["row"] > 50_000
    assert (apart.value.code, apart.value.field, apart.value.value, apart.value.params) == (
        here.value.code, here.value.field, here.value.value, here.value.params)
    assert apart.value.render("zh") == here.value.render("zh")
    assert snapshot(led) == before


def test_a_reading_process_that_fails_stops_the_import_and_writes_nothing(tmp_path, monkeypatch):
    from sanzi_ledger.io import reading

    led = new_ledger(str(tmp_path / "l.db"))
    path = write_csv(tmp_path / "v.csv", voucher_rows(50))

    def gone(source):
        raise FileNotFoundError(source.path)  # the file vanished between the header and the rows

    monkeypatch.setattr(reading, "reopened", gone)
    monkeypatch.setattr(reading.threading, "active_count", lambda: 1)  # forked, so the child sees the patch
    before = snapshot(led)
    with pytest.raises(RuntimeError, match="FileNotFoundError"):
        _imported(led, path, monkeypatch, in_process=True)
    assert snapshot(led) == before


def test_a_spawned_reading_process_reads_as_a_forked_one(tmp_path, monkeypatch):
    # With another thread running, forking could hand the child a held lock: the reader is spawned.
    from sanzi_ledger.io import reading

    monkeypatch.setattr(reading.threading, "active_count", lambda: 2)
    led = new_ledger(str(tmp_path / "l.db"))
    rows = voucher_rows(40) + [["2025-01-09", "X9", "错一", "102", "12.345", ""]]
    result = _imported(led, write_csv(tmp_path / "v.csv", rows), monkeypatch, in_process=True)
    assert (result.imported, result.rows, [(e.row, e.refusal.code) for e in result.errors.kept]) == (
        40, 81, [(82, "money.too_many_decimals")])
