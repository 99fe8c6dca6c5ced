"""`sanzi audit flags` and `sanzi audit rules` as an auditor types them."""

from __future__ import annotations

import json

from sanzi_ledger.commands.ledger import open_ledger
from tests.e2e.test_cli import sanzi, village  # noqa: F401 - the village fixture
from tests.support import snapshot


def _cash_village(db: str) -> None:
    sanzi("voucher", "post", "--date", "2025-03-03", "--summary", "提取现金", "--debit", "101=8000", "--credit", "102=8000", db=db)
    sanzi("voucher", "post", "--date", "2025-03-05", "--summary", "现金支付办公用品", "--debit", "513=1500", "--credit", "101=1500",
          db=db, operator="王出纳")


def test_flags_table_json_and_filters(village):  # noqa: F811
    _cash_village(village)
    table = sanzi("audit", "flags", "--date", "2025-04-01", db=village).stdout
    assert "预警" in table and "R21 库存现金超过限额" in table and "R22 大额现金支付" in table
    document = json.loads(sanzi("--json", "audit", "flags", "--date", "2025-04-01", db=village).stdout)
    # R21, R22, two months left open (R51), two vouchers typed long after their date (R54): all yellow.
    assert len(document["flags"]) == 6 and "红色 0 条，黄色 6 条" in table
    assert document["collective"] == "330100001" and document["today"] == "2025-04-01"
    by_rule = {}
    for flag in document["flags"]:
        assert set(flag) == {"id", "rule", "severity", "collective", "subject", "title", "explanation", "refs", "since"}
        by_rule.setdefault(flag["rule"], []).append(flag)
    assert by_rule["R22"] == [{
        "id": "R22:记-2025-03-0002", "rule": "R22", "severity": "yellow", "collective": "330100001",
        "subject": "记-2025-03-0002", "title": "大额现金支付",
        "explanation": "凭证 记-2025-03-0002（2025-03-05，现金支付办公用品）以现金支付 1,500.00 元，超过 1,000.00 元，应转账",
        "refs": ["记-2025-03-0002", by_rule["R22"][0]["refs"][1]], "since": "2025-03-05"}]
    only = json.loads(sanzi("--json", "audit", "flags", "--date", "2025-04-01", "--rule", "r21", db=village).stdout)
    assert [f["id"] for f in only["flags"]] == ["R21:2025-03-03"]
    assert json.loads(sanzi("--json", "audit", "flags", "--date", "2025-04-01", "--severity", "red", db=village).stdout)["flags"] == []
    # A period: what happened in it, and the state at its end (March is not yet overdue for closing then).
    march = json.loads(sanzi("--json", "audit", "flags", "--date", "2025-04-01", "--period", "2025-03", db=village).stdout)
    assert {f["rule"] for f in march["flags"]} == {"R21", "R22", "R54"} and march["period"] == "2025-03"


def test_bad_filters_are_refused_and_nothing_changes(village):  # noqa: F811
    _cash_village(village)
    sanzi("audit", "flags", db=village)  # views caught up
    led = open_ledger(village)
    before = snapshot(led)
    done = sanzi("--json", "audit", "flags", "--severity", "blue", db=village, check=1)
    assert json.loads(done.stdout)["error"]["code"] == "flags.severity"
    done = sanzi("--lang", "en", "audit", "flags", "--rule", "R99", db=village, check=1)
    assert "no such rule" in done.stderr and "R01" in done.stderr
    sanzi("audit", "flags", "--date", "2025-13-01", db=village, check=1)
    assert snapshot(led) == before
    led.close()


def test_rules_catalogue_shows_the_thresholds_in_force(village, tmp_path):  # noqa: F811
    catalogue = json.loads(sanzi("--json", "audit", "rules", db=village).stdout)
    rules = {r["id"]: r for r in catalogue["rules"]}
    assert rules["R21"]["thresholds"] == {"flags.cash_limit_yuan": "5000.00"} and rules["R21"]["severity"] == "yellow"
    assert rules["R07"]["thresholds"]["flags.reference_price"] == "（未设置）"
    config = tmp_path / "township.toml"
    config.write_text('[flags]\ncash_limit_yuan = 3000\n\n[flags.reference_price]\n"耕地" = 800\n', encoding="utf-8")
    env = {"SANZI_CONFIG": str(config)}
    overridden = {r["id"]: r for r in json.loads(sanzi("--json", "audit", "rules", db=village, env=env).stdout)["rules"]}
    assert overridden["R21"]["thresholds"] == {"flags.cash_limit_yuan": "3000.00"}
    assert overridden["R07"]["thresholds"]["flags.reference_price"] == "耕地 800.00"
    assert "R21" in sanzi("audit", "rules", db=village).stdout


def test_a_broken_township_file_is_refused_by_name_and_nothing_changes(village, tmp_path):  # noqa: F811
    sanzi("audit", "flags", db=village)  # views caught up
    led = open_ledger(village)
    before = snapshot(led)
    config = tmp_path / "township.toml"
    cases = {
        "[flags]\noverdue_months_red = \"x\"\n": ("config.count", "flags.overdue_months_red"),
        "[flags]\nbackdate_days = 2.9\n": ("config.count", "flags.backdate_days"),
        "[terms]\nfarmland_end_max = \"2028-02-30\"\n": ("config.date", "terms.farmland_end_max"),
        "[flags\n": ("config.syntax", "SANZI_CONFIG"),
    }
    for text, (code, field) in cases.items():
        config.write_text(text, encoding="utf-8")
        done = sanzi("--json", "audit", "flags", db=village, env={"SANZI_CONFIG": str(config)}, check=1)
        error = json.loads(done.stdout)["error"]
        assert (error["code"], error["field"]) == (code, field), text
    missing = sanzi("audit", "rules", db=village, env={"SANZI_CONFIG": str(tmp_path / "nowhere.toml")}, check=1)
    assert "nowhere.toml" in missing.stderr and "不存在" in missing.stderr
    assert snapshot(led) == before
    led.close()
