"""The charts of accounts as data: the 2024 system and the 2004 one kept for migration."""

from __future__ import annotations

from collections import Counter

import pytest

from sanzi_ledger.chart import Chart, load_chart

BALANCE_SHEET_CLASSES = {"asset", "liability", "equity", "cost"}


def _code(entry: str) -> str:
    """'113>' and '113<' name account 113 (its debit or its credit leaves)."""
    return entry.rstrip("<>")


def test_the_2024_chart_has_42_first_level_accounts_with_unique_three_digit_codes(chart: Chart) -> None:
    codes = [account.code for account in chart.accounts.values()]
    assert len(codes) == 42
    assert len(set(codes)) == 42
    assert all(len(code) == 3 and code.isascii() and code.isdigit() for code in codes)
    assert all(key == account.code for key, account in chart.accounts.items())
    assert chart.first_level_codes() == sorted(codes)


def test_the_2024_chart_has_the_class_counts_of_the_2023_system(chart: Chart) -> None:
    counts = Counter(account.account_class for account in chart.accounts.values())
    assert counts == {"asset": 19, "liability": 8, "equity": 4, "cost": 1, "profit_loss": 10}


def test_internal_current_account_113_may_carry_either_balance_and_only_it(chart: Chart) -> None:
    assert chart.get("113").side == "either"
    assert [a.code for a in chart.accounts.values() if a.side == "either"] == ["113"]


@pytest.mark.parametrize(
    ("code", "side"),
    [("101", "debit"), ("133", "credit"), ("152", "credit"), ("162", "credit"), ("241", "credit"),
     ("322", "credit"), ("401", "debit"), ("501", "credit"), ("503", "credit"), ("513", "debit"), ("521", "debit")],
)
def test_normal_sides_follow_the_domain_reference(chart: Chart, code: str, side: str) -> None:
    assert chart.get(code).side == side


def test_liabilities_and_equity_are_credit_normal(chart: Chart) -> None:
    for account in chart.accounts.values():
        if account.account_class in ("liability", "equity"):
            assert account.side == "credit", account


def test_year_end_closing_accounts_are_321_then_322(chart: Chart) -> None:
    assert (chart.current_year_income_account, chart.distribution_account) == ("321", "322")


def test_every_balance_sheet_account_appears_in_exactly_one_balance_sheet_line(chart: Chart) -> None:
    seen = Counter(_code(entry) for line in chart.balance_sheet for entry in line.accounts)
    for account in chart.accounts.values():
        if account.account_class not in BALANCE_SHEET_CLASSES:
            continue
        expected = 2 if account.code == "113" else 1
        assert seen[account.code] == expected, (account.code, seen[account.code])


def test_113_appears_once_on_each_side_of_the_balance_sheet(chart: Chart) -> None:
    sections = {entry: line.section for line in chart.balance_sheet for entry in line.accounts if _code(entry) == "113"}
    assert sections == {"113>": "asset", "113<": "liability"}


def test_balance_sheet_lines_name_only_known_non_profit_loss_accounts_in_their_own_section(chart: Chart) -> None:
    allowed = {"asset": {"asset", "cost"}, "liability": {"liability"}, "equity": {"equity"}}
    for line in chart.balance_sheet:
        for entry in line.accounts:
            account = chart.get(_code(entry))
            assert account is not None, entry
            if entry == "113<":
                assert line.section == "liability"
                continue
            assert account.account_class in allowed[line.section], (line.line, entry)


def test_profit_loss_accounts_reach_the_balance_sheet_only_through_the_one_profit_loss_line(chart: Chart) -> None:
    flagged = [line for line in chart.balance_sheet if line.profit_loss]
    assert len(flagged) == 1
    assert flagged[0].section == "equity"
    assert "321" in flagged[0].accounts
    listed = {_code(entry) for line in chart.balance_sheet for entry in line.accounts}
    profit_loss = {a.code for a in chart.accounts.values() if a.account_class == "profit_loss"}
    assert not listed & profit_loss


def test_every_profit_loss_account_appears_in_exactly_one_income_statement_line(chart: Chart) -> None:
    seen = Counter(entry for line in chart.income_statement for entry in line.accounts)
    profit_loss = {a.code for a in chart.accounts.values() if a.account_class == "profit_loss"}
    assert set(seen) == profit_loss
    assert all(count == 1 for count in seen.values())


def test_income_statement_adds_income_and_subtracts_expense(chart: Chart) -> None:
    for line in chart.income_statement:
        if line.subtotal:
            assert not line.accounts
            continue
        sides = {chart.get(code).side for code in line.accounts}
        assert sides == {"credit" if line.sign == 1 else "debit"}, line
    assert chart.income_statement[-1].subtotal


def test_the_2004_chart_loads_with_its_closing_accounts() -> None:
    old = load_chart("2004")
    assert old.id == "2004"
    assert old.get("101").name == "现金"
    assert len(old.accounts) >= 33
    assert all(len(code) == 3 and code.isdigit() for code in old.accounts)
    assert (old.current_year_income_account, old.distribution_account) == ("321", "322")
    assert old.sub_code_digits == 3


def test_load_chart_refuses_an_unknown_chart_loudly() -> None:
    with pytest.raises(AssertionError):
        load_chart("1998")
