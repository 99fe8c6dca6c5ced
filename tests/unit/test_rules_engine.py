"""The rules engine's pure parts: the catalogue, thresholds, and the arithmetic the rules share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanzi_ledger.config import load_rules
from sanzi_ledger.domain.schedules import add_months
from sanzi_ledger.rules import CATALOGUE
from sanzi_ledger.rules.contracts import rent_per_mu_year_fen
from sanzi_ledger.rules.engine import full_months, threshold_values


def test_catalogue_entries_are_complete_and_in_id_order():
    assert list(CATALOGUE) == sorted(CATALOGUE)
    rules = load_rules()
    for entry in CATALOGUE.values():
        assert entry.severity in ("red", "yellow", "yellow/red") and entry.title and entry.basis
        values = threshold_values(entry, rules)  # every key names a real threshold
        assert list(values) == list(entry.keys)


def test_every_flags_key_in_the_config_file_is_used_by_a_rule():
    used = {key.split(".", 1)[1] for entry in CATALOGUE.values() for key in entry.keys if key.startswith("flags.")}
    import tomllib

    from sanzi_ledger.config import DEFAULT_FILE

    keys = set(tomllib.loads(DEFAULT_FILE.read_text("utf-8"))["flags"]) - {"backdate_days"}
    assert keys - {"reference_price"} <= used | {"backdate_days"}
    assert "backdate_days" in {key.split(".", 1)[1] for key in CATALOGUE["R54"].keys}


def test_money_thresholds_are_read_as_yuan_and_kept_in_fen(tmp_path, monkeypatch):
    defaults = load_rules().flags
    assert (defaults.cash_limit_fen, defaults.cash_payment_max_fen, defaults.backdate_days) == (500_000, 100_000, 30)
    config = tmp_path / "township.toml"
    config.write_text('[flags]\ncash_limit_yuan = "3,000.50"\n\n[flags.reference_price]\n"耕地" = 800\n', encoding="utf-8")
    monkeypatch.setenv("SANZI_CONFIG", str(config))
    load_rules.cache_clear()
    try:
        flags = load_rules().flags
        assert flags.cash_limit_fen == 300_050 and flags.reference_price_fen == {"耕地": 80_000}
        assert flags.approval_tier_fen == defaults.approval_tier_fen  # keys not overridden keep their defaults
        assert threshold_values(CATALOGUE["R07"], load_rules())["flags.reference_price"] == "耕地 800.00"
    finally:
        load_rules.cache_clear()


def test_a_threshold_with_three_decimals_is_refused_with_its_key(tmp_path, monkeypatch):
    from sanzi_ledger.errors import Refusal

    config = tmp_path / "township.toml"
    config.write_text("[flags]\ncash_limit_yuan = 1.234\n", encoding="utf-8")
    monkeypatch.setenv("SANZI_CONFIG", str(config))
    load_rules.cache_clear()
    try:
        with pytest.raises(Refusal) as refused:
            load_rules()
        assert refused.value.field == "flags.cash_limit_yuan"
    finally:
        load_rules.cache_clear()


def test_threshold_values_show_what_is_passed_in():
    rules = load_rules()
    strict = replace(rules.flags, cash_limit_fen=123_456)
    assert threshold_values(CATALOGUE["R21"], rules, strict) == {"flags.cash_limit_yuan": "1234.56"}
    assert threshold_values(CATALOGUE["R10"], rules)["terms.farmland_end_max"] == "2028-12-31"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(min_value=0, max_value=400))
def test_full_months_counts_whole_months_only(start, months):
    end = add_months(start, months)
    assert add_months(start, full_months(start, end)) <= end
    assert add_months(start, full_months(start, end) + 1) > end


def test_full_months_examples():
    assert full_months(date(2025, 1, 1), date(2025, 3, 31)) == 2
    assert full_months(date(2025, 1, 1), date(2025, 4, 1)) == 3
    assert full_months(date(2025, 1, 31), date(2025, 2, 28)) == 1  # a month-end counts to the next month-end
    assert full_months(date(2025, 5, 1), date(2025, 4, 1)) == 0


def test_rent_per_mu_and_year_from_each_rent_period():
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    assert rent_per_mu_year_fen(80_000, "year", start, end, 100) == 80_000  # 800 元 for 1 亩 a year
    assert rent_per_mu_year_fen(20_000, "quarter", start, end, 100) == 80_000
    assert rent_per_mu_year_fen(8_000_000, "year", start, end, 10_000) == 80_000  # 100 亩
    two_years = date(2027, 1, 1)
    assert rent_per_mu_year_fen(160_000, "term", start, two_years, 100) == 80_054  # 730 days, years of 365.25
