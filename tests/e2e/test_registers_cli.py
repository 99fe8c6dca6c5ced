"""The 三资 registers through `sanzi`, as an accountant types them: real processes, real files.

Per family: record, move money, list with --json (shapes, masked IDs), a
refusal (exit 1, the field named, nothing written) and --lang en.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import _state, sanzi
from tests.support import CODE, new_ledger

RESIDENT_ID = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"
RESIDENT_MASKED = "110105********002X"
CREDIT_MASKED = "913501********0Y43"


@pytest.fixture
def village(tmp_path) -> str:
    """A store with one village, its accountant 李会计 and cashier 王出纳 (set up in-process: processes are slow)."""
    db = str(tmp_path / "village.db")
    new_ledger(db).close()
    return db


def run_json(*args: str, db: str, operator: str = "李会计", check: int = 0) -> dict:
    return json.loads(sanzi("--json", *args, db=db, operator=operator, check=check).stdout)


def refused_json(*args: str, db: str, operator: str = "李会计") -> dict:
    """A refusal: exit 1, one JSON error document, the store exactly as before."""
    before = _state(db)
    document = run_json(*args, db=db, operator=operator, check=1)
    assert document["ok"] is False and set(document["error"]) == {"code", "field", "message"}
    assert _state(db) == before
    return document["error"]


def test_contract_sign_collect_list_and_refuse_over_collection(village):
    signed = run_json("contract", "sign", "HT-2025-01", "--kind", "发包", "--party", "东山果业合作社",
                      "--party-id", CREDIT_CODE, "--amount", "40,000", "--start", "2025-01-01", "--end", "2025-12-31",
                      "--due", "2025-01-01=10000", "--due", "2025-04-01=10000", "--due", "2025-07-01=10000",
                      "--due", "2025-10-01=10000", "--method", "公开招标", "--resolution", "村民代表会议决议〔2025〕1号",
                      "--date", "2025-01-01", db=village)
    assert signed == {"ok": True, "id": "HT-2025-01", "voucher": None, "position": signed["position"]}
    collected = run_json("contract", "collect", "HT-2025-01", "--amount", "15000", "--date", "2025-01-05", db=village,
                         operator="王出纳")
    assert collected["ok"] is True and collected["voucher"] == "记-2025-01-0001"

    error = refused_json("contract", "collect", "HT-2025-01", "--amount", "25,000.01", "--date", "2025-05-05", db=village)
    assert (error["code"], error["field"]) == ("schedule.over_settlement", "amount")
    assert "尚余 25,000.00" in error["message"] and "合同 HT-2025-01" in error["message"]

    listed = run_json("contract", "list", "--date", "2025-07-15", db=village)
    assert (listed["collective"], listed["date"]) == (CODE, "2025-07-15")
    (row,) = listed["contracts"]
    assert row == {"number": "HT-2025-01", "kind": "发包", "direction": "income", "party": "东山果业合作社",
                   "party_id": CREDIT_MASKED, "amount": "40000.00", "start": "2025-01-01", "end": "2025-12-31",
                   "settled": "15000.00", "next_due": "2025-04-01", "next_due_amount": "5000.00", "arrears": "15000.00",
                   "days_overdue": 105, "status": "overdue", "review": None}
    english = sanzi("--lang", "en", "contract", "list", "--date", "2025-07-15", db=village).stdout
    assert "contracts (2025-07-15)" in english and "overdue" in english and CREDIT_CODE not in english


def test_asset_and_resource_add_dispose_list_and_refuse_a_disposal_without_resolution(village):
    bought = run_json("asset", "add", "ZC-01", "--name", "拖拉机", "--category", "机器设备", "--value", "80,000",
                      "--acquired", "2025-02-01", db=village)
    assert bought["voucher"] == "记-2025-02-0001"
    before = _state(village)
    done = sanzi("asset", "dispose", "ZC-01", "--date", "2025-09-01", "--amount", "100000", "--reason", "更新换代",
                 "--resolution", " ", db=village, check=1)
    assert "决议文号" in done.stderr and "四议两公开" in done.stderr
    assert _state(village) == before
    sanzi("asset", "dispose", "ZC-01", "--date", "2025-09-01", "--amount", "100000", "--reason", "更新换代",
          "--resolution", "村民代表会议决议〔2025〕9号", db=village)
    (asset,) = run_json("asset", "list", db=village)["assets"]
    assert asset == {"number": "ZC-01", "name": "拖拉机", "category": "机器设备", "account": "151", "value": "80000.00",
                     "acquired": "2025-02-01", "location": "", "disposed_on": "2025-09-01",
                     "disposal_amount": "100000.00", "voucher": "记-2025-02-0001"}

    sanzi("resource", "add", "ZY-01", "--name", "北山荒坡", "--type", "四荒地", "--area", "1,200.5", "--location", "北山",
          db=village)
    (resource,) = run_json("resource", "list", "--date", "2025-07-15", db=village)["resources"]
    assert resource == {"number": "ZY-01", "name": "北山荒坡", "type": "四荒地", "area_mu": "1200.50", "leased_mu": "0.00",
                        "idle_mu": "1200.50", "location": "北山"}
    english = sanzi("--lang", "en", "resource", "list", "--date", "2025-07-15", db=village).stdout
    assert "resources (2025-07-15, mu)" in english and "idle" in english


def test_lease_sign_collect_list_masks_the_lessee_id_and_refuses_farmland_past_the_second_round(village):
    sanzi("resource", "add", "ZY-01", "--name", "东坡耕地", "--type", "耕地", "--area", "12.5", db=village)
    sanzi("lease", "sign", "ZL-01", "--item", "ZY-01", "--area", "10", "--lessee", "张三",
          "--lessee-id", RESIDENT_ID.lower(), "--rent", "1,200", "--per", "quarter", "--start", "2025-01-01",
          "--end", "2025-12-31", "--method", "协商", "--date", "2025-01-01", db=village)
    collected = run_json("lease", "collect", "ZL-01", "--amount", "1200", "--date", "2025-01-05", db=village,
                         operator="王出纳")
    assert collected["voucher"] == "记-2025-01-0001"

    before = _state(village)
    done = sanzi("lease", "sign", "ZL-02", "--item", "ZY-01", "--area", "2", "--lessee", "李四", "--rent", "100",
                 "--per", "year", "--start", "2026-01-01", "--end", "2029-01-01", "--date", "2025-02-01",
                 db=village, check=1)
    assert "终止日期=2029-01-01" in done.stderr and "2028-12-31" in done.stderr
    assert _state(village) == before

    listed = run_json("lease", "list", "--date", "2025-07-15", db=village)
    (row,) = listed["leases"]
    assert row["lessee_id"] == RESIDENT_MASKED and RESIDENT_ID not in json.dumps(listed)
    assert {k: row[k] for k in ("number", "item", "item_type", "area_mu", "rent", "per", "total", "collected", "arrears",
                                "days_overdue", "status", "days_to_end")} == {
        "number": "ZL-01", "item": "ZY-01", "item_type": "耕地", "area_mu": "10.00", "rent": "1200.00", "per": "quarter",
        "total": "4800.00", "collected": "1200.00", "arrears": "2400.00", "days_overdue": 105, "status": "overdue",
        "days_to_end": 169}
    books = run_json("report", "trial-balance", "--period", "2025", db=village)
    income = {r["code"]: r for r in books["rows"]}["501"]
    assert income["closing_credit"] == row["collected"]
    english = sanzi("--lang", "en", "lease", "list", "--date", "2025-07-15", db=village).stdout
    assert "leases (2025-07-15)" in english and "days overdue" in english


def test_debt_add_settle_write_off_list_and_refuse_a_write_off_without_resolution(village):
    lent = run_json("debt", "add", "ZQ-01", "--direction", "receivable", "--party", "王五", "--party-id", RESIDENT_ID,
                    "--amount", "5,000", "--date", "2025-02-01", "--due", "2025-12-31", "--origin", "借款", "--via", "bank",
                    db=village)
    assert lent["voucher"] == "记-2025-02-0001"
    settled = run_json("debt", "settle", "ZQ-01", "--amount", "2000", "--date", "2025-03-01", db=village, operator="王出纳")
    assert settled["voucher"] == "记-2025-03-0001"

    error = refused_json("debt", "write-off", "ZQ-01", "--amount", "1000", "--reason", "无法收回", "--resolution", " ",
                         "--date", "2025-06-01", db=village)
    assert (error["code"], error["field"]) == ("debt.write_off_needs_resolution", "resolution")
    english = sanzi("--lang", "en", "debt", "write-off", "ZQ-01", "--amount", "1000", "--reason", "无法收回",
                    "--resolution", " ", "--date", "2025-06-01", db=village, check=1)
    assert "refused:" in english.stderr and "resolution" in english.stderr and "needs the resolution reference" in english.stderr
    sanzi("debt", "write-off", "ZQ-01", "--amount", "1000", "--reason", "无法收回", "--resolution", "决议〔2025〕7号",
          "--date", "2025-06-01", db=village)

    (row,) = run_json("debt", "list", "--date", "2025-12-31", db=village)["debts"]
    assert row == {"number": "ZQ-01", "direction": "receivable", "party": "王五", "party_id": RESIDENT_MASKED,
                   "amount": "5000.00", "date": "2025-02-01", "due": "2025-12-31", "account": "112", "origin": "借款",
                   "settled": "2000.00", "written_off": "1000.00", "outstanding": "2000.00"}


def test_subsidy_receive_spend_list_and_refuse_wrong_purpose_and_overspending(village):
    received = run_json("subsidy", "receive", "BZ-01", "--program", "高标准农田建设", "--source", "县", "--amount", "100,000",
                        "--date", "2025-03-01", "--earmarked", "--purpose", "道路硬化", "--purpose", "水渠修缮",
                        db=village, operator="王出纳")
    assert received["voucher"] == "记-2025-03-0001"
    error = refused_json("subsidy", "spend", "BZ-01", "--amount", "100", "--date", "2025-04-01", "--purpose", "发放福利",
                         "--payee", "村民", db=village, operator="王出纳")
    assert (error["code"], error["field"]) == ("subsidy.wrong_purpose", "purpose")
    assert "道路硬化、水渠修缮" in error["message"]
    spent = run_json("subsidy", "spend", "BZ-01", "--amount", "60,000", "--date", "2025-04-01", "--purpose", "道路硬化",
                     "--payee", "东山建筑队", "--account", "153", db=village, operator="王出纳")
    assert spent["voucher"] == "记-2025-04-0001"
    english = sanzi("--lang", "en", "subsidy", "spend", "BZ-01", "--amount", "40,000.01", "--date", "2025-04-02",
                    "--purpose", "水渠修缮", "--payee", "东山建筑队", db=village, operator="王出纳", check=1)
    assert "amount=40,000.01" in english.stderr and "balance 40,000.00" in english.stderr

    (row,) = run_json("subsidy", "list", db=village)["subsidies"]
    assert row == {"number": "BZ-01", "program": "高标准农田建设", "source": "县", "earmarked": True,
                   "purposes": "道路硬化、水渠修缮", "received": "100000.00", "spent": "60000.00", "returned": "0.00",
                   "balance": "40000.00", "usage_rate": "60.0%"}
