"""`sanzi export` as typed: the demo village leaves the program as files that other tools re-add."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.test_cli import _state, sanzi
from tests.integration.test_export import bean_balances

BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")
DEMO_CODE = "330185101201"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("demo") / "demo"
    sanzi("demo", "--out", str(out), db="", env={"SANZI_DB": ""})
    return str(out / "demo.db")


def fen(text: str) -> int:
    value = Decimal(text) * 100
    assert value == value.to_integral_value(), text
    return int(value)


def trial_balance_closing(db: str) -> dict[str, int]:
    """First-level closing balances (net debit, fen) as `report trial-balance --json` prints them."""
    report = json.loads(sanzi("--json", "report", "trial-balance", "--period", "2026", db=db).stdout)

    rows = {r["code"]: fen(r["closing_debit"]) - fen(r["closing_credit"]) for r in report["rows"]}
    return {code: net for code, net in rows.items() if net}


def test_demo_exports_to_beancount_that_bean_check_accepts_with_the_printed_trial_balance(demo, tmp_path):
    path = tmp_path / "东山村.bean"
    done = json.loads(sanzi("--json", "export", "beancount", "--out", str(path), db=demo).stdout)
    assert done["ok"] is True and done["collectives"] == 1 and done["vouchers"] > 60 and done["position"] > 0
    checked = subprocess.run([BEAN_CHECK, str(path)], check=False, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    added = bean_balances(path)[DEMO_CODE]
    assert {code: fen for code, fen in added.items() if len(code) == 3} == trial_balance_closing(demo)
    assert not list(tmp_path.glob(".*.partial"))


def test_demo_exports_to_an_hledger_journal_whose_balances_are_the_same(demo, tmp_path):
    hledger = shutil.which("hledger")
    if hledger is None:
        if os.environ.get("SANZI_REQUIRE_HLEDGER"):
            pytest.fail("hledger is required here (SANZI_REQUIRE_HLEDGER) but not installed")
        pytest.skip("hledger NOT TESTED: not installed (apt-get install hledger)")
    path = tmp_path / "东山村.journal"
    sanzi("export", "hledger", "--out", str(path), db=demo)
    checked = subprocess.run([hledger, "-f", str(path), "check"], check=False, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    bal = subprocess.run([hledger, "-f", str(path), "bal", "-N", "--flat", "-O", "csv"],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    first_level: dict[str, int] = {}
    for account, amount in list(csv.reader(io.StringIO(bal)))[1:]:
        code = account.split(":")[2].split("-")[0]
        first_level[code] = first_level.get(code, 0) + fen(amount.removesuffix(" CNY").replace(",", ""))
    assert {c: f for c, f in first_level.items() if f} == trial_balance_closing(demo)


def test_demo_log_exports_as_jsonl_one_event_per_line(demo, tmp_path):
    path = tmp_path / "events.jsonl"
    done = json.loads(sanzi("--json", "export", "jsonl", "--out", str(path), db=demo).stdout)
    lines = path.read_text("utf-8").splitlines()
    assert done["events"] == len(lines) > 200
    last = json.loads(lines[-1])
    assert last["position"] == len(lines) and last["chain_hash"] == done["head"]
    said = sanzi("--lang", "en", "export", "jsonl", "--out", str(path), db=demo).stdout
    assert said.startswith(f"exported {len(lines)} events")


@pytest.mark.parametrize("kind", ["beancount", "hledger", "jsonl"])
def test_an_output_folder_that_does_not_exist_is_refused_by_name_and_nothing_is_written(demo, tmp_path, kind):
    before = _state(demo)
    target = tmp_path / "没有这个文件夹" / "out.txt"
    done = sanzi("export", kind, "--out", str(target), db=demo, check=1)
    assert "没有这个文件夹" in done.stderr and "文件夹不存在" in done.stderr
    english = json.loads(sanzi("--json", "--lang", "en", "export", kind, "--out", str(target), db=demo, check=1).stdout)
    assert english["error"]["code"] == "export.folder_missing" and english["error"]["field"] == "out"
    assert "folder does not exist" in english["error"]["message"]
    assert not target.parent.exists() and _state(demo) == before


def test_an_unknown_collective_is_refused_and_leaves_no_file(demo, tmp_path):
    target = tmp_path / "one.bean"
    done = sanzi("-c", "999999", "export", "beancount", "--out", str(target), db=demo, check=1)
    assert "999999" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_out_must_be_a_file_not_a_folder(demo, tmp_path):
    done = sanzi("export", "beancount", "--out", str(tmp_path), db=demo, check=1)
    assert "--out" in done.stderr


# -- --xlsx on list and report commands ----------------------------------------------

LIST_AND_REPORT_COMMANDS = [
    ("report", "trial-balance", "--period", "2025"), ("report", "balance-sheet", "--date", "2025-12-31"),
    ("report", "income", "--period", "2025"), ("report", "ledger", "102", "--period", "2025-Q4"),
    ("voucher", "list", "--period", "2025-12"), ("period", "status"), ("contract", "list"), ("asset", "list"),
    ("resource", "list"), ("lease", "list"), ("debt", "list"), ("debt", "aging", "--date", "2025-12-31"),
    ("subsidy", "list"),
]


def workbook_cells(path: Path) -> list[list[list]]:
    """Every sheet's rows below the title row: headings first."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return [[list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] for sheet in book.worksheets]


def amount(value) -> Decimal:
    """A workbook cell or a --json amount string as an exact amount (an empty cell is zero)."""
    return Decimal(0) if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("command", LIST_AND_REPORT_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_list_and_report_writes_the_table_it_prints_as_xlsx_with_or_without_json(demo, tmp_path, command):
    import openpyxl

    printed, quiet = tmp_path / "printed.xlsx", tmp_path / "json.xlsx"
    said = sanzi(*command, "--xlsx", str(printed), db=demo).stdout
    assert f"已写入 XLSX：{printed}" in said
    document = json.loads(sanzi("--json", *command, "--xlsx", str(quiet), db=demo).stdout)  # still one JSON document
    assert document and workbook_cells(printed) == workbook_cells(quiet)
    book = openpyxl.load_workbook(printed)
    for sheet in book.worksheets:
        headings = [c.value for c in sheet[2]]
        assert all(h and not h.isascii() for h in headings), headings  # Chinese headings
        assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and int(sheet.page_setup.fitToWidth) == 1
        assert all(sheet.column_dimensions[chr(65 + i)].width >= 6 for i in range(len(headings)))
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, (int, float)):
                    assert cell.number_format in ("#,##0.00", "#,##0")
    assert not list(tmp_path.glob(".*.partial"))


def test_trial_balance_xlsx_cells_equal_its_json(demo, tmp_path):
    path = tmp_path / "tb.xlsx"
    document = json.loads(sanzi("--json", "report", "trial-balance", "--period", "2025", "--xlsx", str(path), db=demo).stdout)
    [[headings, *rows]] = workbook_cells(path)
    assert headings == ["代码", "名称", "期初借方", "期初贷方", "借方", "贷方", "期末借方", "期末贷方"]
    *rows, total = rows
    keys = ["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]
    assert [[r[0].strip(), r[1], *map(amount, r[2:])] for r in rows] == [
        [j["code"], j["name"], *(amount(j[k]) for k in keys)] for j in document["rows"]]
    assert [amount(v) for v in total[2:]] == [amount(document["totals"][k]) for k in keys]


def test_voucher_and_subsidy_lists_xlsx_cells_equal_their_json(demo, tmp_path):
    path = tmp_path / "v.xlsx"
    document = json.loads(sanzi("--json", "voucher", "list", "--xlsx", str(path), db=demo).stdout)
    [[_, *rows]] = workbook_cells(path)
    assert [(r[0], r[1], r[2], amount(r[3]), r[5]) for r in rows] == [
        (v["number"], v["date"], v["summary"], amount(v["amount"]), v["operator"]) for v in document["vouchers"]]
    document = json.loads(sanzi("--json", "subsidy", "list", "--xlsx", str(path), db=demo).stdout)
    [[_, *rows]] = workbook_cells(path)
    assert [(r[0], r[1], r[2], *map(amount, r[4:8]), r[8]) for r in rows] == [
        (s["number"], s["program"], s["source"], *(amount(s[k]) for k in ("received", "spent", "returned", "balance")),
         s["usage_rate"]) for s in document["subsidies"]]


def test_xlsx_into_a_missing_folder_is_refused_and_prints_no_table(demo, tmp_path):
    done = sanzi("report", "trial-balance", "--period", "2025", "--xlsx", str(tmp_path / "无" / "tb.xlsx"), db=demo, check=1)
    assert "文件夹不存在" in done.stderr and "科目余额表" not in done.stdout
