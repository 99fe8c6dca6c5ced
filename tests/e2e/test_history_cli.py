"""`sanzi audit history`, `audit replay` and `--as-of` as an auditor types them."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.e2e import test_cli
from tests.e2e.test_cli import CODE, _state, sanzi

village = test_cli.village  # the same fixture: an initialised village with its accountant and cashier

RESIDENT_ID = "11010519491231002X"
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture
def leased(village):
    db = village
    sanzi("resource", "add", "ZY-01", "--name", "东山坡耕地", "--type", "耕地", "--area", "30", db=db)
    sanzi("lease", "sign", "ZL-01", "--item", "ZY-01", "--lessee", "张三", "--lessee-id", RESIDENT_ID, "--rent", "6000",
          "--per", "year", "--start", "2025-01-01", "--end", "2027-12-31", "--resolution", "村民代表会议决议〔2025〕1号", db=db)
    sanzi("lease", "collect", "ZL-01", "--amount", "6000", "--date", "2025-03-01", db=db)
    sanzi("contract", "sign", "HT-01", "--kind", "发包", "--party", "东山果业合作社", "--amount", "10000",
          "--start", "2025-01-01", "--end", "2025-12-31", "--date", "2025-01-01", db=db)
    sanzi("contract", "amend", "HT-01", "--amount", "12000", "--reason", "增加面积", db=db)
    return db


def test_history_of_a_lease_tells_each_event_alone_and_the_vouchers_it_posted(leased):
    text = sanzi("audit", "history", "ZL-01", db=leased).stdout
    signed, collected = [line for line in text.splitlines() if line.lstrip("【补记】").startswith("#")]
    for line in (signed, collected):
        assert "记录于" in line and "北京时间" in line and "操作员 李会计" in line and "租赁 ZL-01" in line
    assert "签订租赁" in signed and "业务日期 2025-01-01" in signed and signed.startswith("【补记】")
    assert "收取租金" in collected and "业务日期 2025-03-01" in collected
    assert "110105********002X" in text and RESIDENT_ID not in text  # identifiers masked
    assert "决议文号 村民代表会议决议〔2025〕1号" in text and "凭证 记-2025-03-0001" in text
    assert "租赁 ZL-01 生成的凭证：" in text and "借 102 6,000.00；贷 501 6,000.00" in text
    assert "补记：业务日期比记录日期早" in text and "超过 30 天" in text


def test_history_shows_what_an_amendment_changed_and_json_for_tools(leased):
    text = sanzi("audit", "history", "HT-01", db=leased).stdout
    assert "变更合同" in text and "金额 10,000.00 → 12,000.00" in text and "原因 增加面积" in text
    document = json.loads(sanzi("--json", "audit", "history", "HT-01", db=leased).stdout)
    [record] = document["records"]
    assert document["collective"] == CODE and record["kind"] == "contract" and record["number"] == "HT-01"
    signed, amended = record["events"]
    assert amended["changes"][0] == {"field": "amount_fen", "value": "12000.00", "previous": "10000.00"}
    assert signed["position"] < amended["position"] and signed["business_date"] == "2025-01-01"
    assert signed["backdated"] is True and amended["backdated"] is False and amended["business_date"] is None
    assert signed["recorded_at"].endswith("+08:00") and signed["operator"] == "李会计"


def test_history_of_a_voucher_names_its_source_and_its_reversal(leased):
    done = sanzi("--json", "voucher", "post", "--date", "2025-03-05", "--summary", "办公用品",
                 "--debit", "513=300", "--credit", "101=300", db=leased)
    number = json.loads(done.stdout)["voucher"]
    sanzi("voucher", "reverse", number, "--reason", "重复记账", "--date", "2025-03-06", db=leased)
    text = sanzi("audit", "history", number, db=leased).stdout
    assert "记账" in text and "被红字冲销" in text and "被冲销于 记-2025-03-0003" in text and "原因 重复记账" in text
    source = sanzi("audit", "history", "记-2025-03-0001", db=leased).stdout
    assert "来源 租赁 ZL-01" in source


def test_history_of_an_unknown_number_is_refused_naming_it(leased):
    before = _state(leased)
    done = sanzi("audit", "history", "HT-99", db=leased, check=1)
    assert "HT-99" in done.stderr and "没有这个编号" in done.stderr
    assert _state(leased) == before


def test_replay_is_identical_then_names_a_view_row_changed_by_hand(leased):
    assert "一致" in sanzi("audit", "replay", db=leased).stdout
    assert json.loads(sanzi("--json", "audit", "replay", db=leased).stdout)["ok"] is True
    with sqlite3.connect(leased) as conn:
        conn.execute("UPDATE v_leases SET collected_fen = collected_fen + 100 WHERE number = 'ZL-01'")
    done = sanzi("audit", "replay", db=leased, check=3)
    assert "v_leases：缺少 1 行，多出 1 行" in done.stderr
    assert "collected_fen 现为 600100，重放应为 600000" in done.stderr
    document = json.loads(sanzi("--json", "audit", "replay", db=leased, check=3).stdout)
    assert document["ok"] is False and document["events"] > 0 and document["tables"] >= 15
    [difference] = document["differences"]
    assert difference["table"] == "v_leases" and difference["changed"][0]["columns"] == ["collected_fen"]
    before = _state(leased)[0]
    repaired = sanzi("audit", "replay", "--repair", db=leased, check=3)
    assert "已丢弃现有视图并从第一个事件重建" in repaired.stderr
    assert "一致" in sanzi("audit", "replay", db=leased).stdout
    assert _state(leased)[0] == before  # the events are untouched: only the views were rebuilt


def _beijing_now() -> str:
    return datetime.now(BEIJING).strftime("%Y-%m-%dT%H:%M:%S")


def test_as_of_shows_the_report_and_registers_as_recorded_then(village):
    sanzi("voucher", "post", "--date", "2025-01-05", "--summary", "租金", "--debit", "102=12000", "--credit", "501=12000", db=village)
    time.sleep(1.1)
    moment = _beijing_now()  # a second after the first voucher, a second before the rest
    time.sleep(1.1)
    sanzi("voucher", "post", "--date", "2025-01-06", "--summary", "租金", "--debit", "102=500", "--credit", "501=500", db=village)
    sanzi("debt", "add", "ZW-01", "--direction", "payable", "--party", "东山建材店", "--amount", "800", "--date", "2025-01-02", db=village)

    def total(*extra: str) -> str:
        report = json.loads(sanzi("--json", "report", "trial-balance", "--period", "2025-01", *extra, db=village).stdout)
        return report["totals"]["debit"]

    assert total("--as-of", moment) == "12000.00" and total() == "12500.00"
    then = json.loads(sanzi("--json", "voucher", "list", "--as-of", moment, db=village).stdout)
    assert [v["number"] for v in then["vouchers"]] == ["记-2025-01-0001"]
    assert json.loads(sanzi("--json", "debt", "list", "--as-of", moment, db=village).stdout)["debts"] == []
    assert len(json.loads(sanzi("--json", "debt", "list", db=village).stdout)["debts"]) == 1
    table = sanzi("report", "trial-balance", "--period", "2025-01", "--as-of", moment, db=village).stdout
    assert f"北京时间 {moment.replace('T', ' ')}" in table and "12,000.00" in table and "12,500.00" not in table


def test_as_of_refuses_a_malformed_or_future_moment(village):
    before = _state(village)
    bad = sanzi("report", "income", "--period", "2025", "--as-of", "2025/03/01", db=village, check=1)
    assert "YYYY-MM-DD" in bad.stderr and "2025/03/01" in bad.stderr
    tomorrow = (datetime.now(BEIJING) + timedelta(days=1)).date().isoformat()
    future = sanzi("--json", "asset", "list", "--as-of", tomorrow, db=village, check=1)
    assert json.loads(future.stdout)["error"]["code"] == "as_of.future"
    assert _state(village) == before
