"""Year-end closing (年终结转): 损益 into 321 本年收益, then 321 into 322 收益分配."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain import vouchers
from sanzi_ledger.domain.closing import year_end_lines
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from tests.unit.builders import with_accounts


def D(account: str, fen: int) -> Line:
    return Line(account=account, side="debit", amount_fen=fen)


def C(account: str, fen: int) -> Line:
    return Line(account=account, side="credit", amount_fen=fen)


def test_a_year_with_a_surplus_closes_income_and_expense_into_321_then_321_into_322(
    village: Collective, chart: Chart,
) -> None:
    balances = {"501": -100000, "503": -50000, "513": 30000, "514": 20000}  # net debit
    first, second = year_end_lines(village, chart, profit_loss_net_debit=balances, income_net_debit=0)
    assert first == [D("501", 100000), D("503", 50000), C("513", 30000), C("514", 20000), C("321", 100000)]
    assert second == [D("321", 100000), C("322", 100000)]


def test_a_year_with_a_net_loss_flips_the_sides_of_321_and_322(village: Collective, chart: Chart) -> None:
    first, second = year_end_lines(
        village, chart, profit_loss_net_debit={"501": -10000, "513": 30000}, income_net_debit=0,
    )
    assert first == [D("501", 10000), C("513", 30000), D("321", 20000)]
    assert second == [C("321", 20000), D("322", 20000)]


def test_zero_balances_produce_no_voucher(village: Collective, chart: Chart) -> None:
    assert year_end_lines(village, chart, profit_loss_net_debit={"501": 0, "513": 0}, income_net_debit=0) == []
    assert year_end_lines(village, chart, profit_loss_net_debit={}, income_net_debit=0) == []


def test_zero_balances_are_left_out_of_the_first_voucher(village: Collective, chart: Chart) -> None:
    [first, _] = year_end_lines(village, chart, profit_loss_net_debit={"501": -500, "504": 0}, income_net_debit=0)
    assert [line.account for line in first] == ["501", "321"]


def test_income_and_expense_that_cancel_need_no_321_line_nor_second_voucher(village: Collective, chart: Chart) -> None:
    [first] = year_end_lines(village, chart, profit_loss_net_debit={"501": -700, "513": 700}, income_net_debit=0)
    assert first == [D("501", 700), C("513", 700)]


def test_a_balance_already_on_321_is_still_carried_to_322(village: Collective, chart: Chart) -> None:
    [only] = year_end_lines(village, chart, profit_loss_net_debit={}, income_net_debit=-4200)
    assert only == [D("321", 4200), C("322", 4200)]


def test_322_with_sub_accounts_closes_into_its_undistributed_leaf(village: Collective, chart: Chart) -> None:
    state = with_accounts(village, chart, ("322001", "提取公积公益金"), ("322002", "未分配收益"))
    [_, second] = year_end_lines(state, chart, profit_loss_net_debit={"501": -100}, income_net_debit=0)
    assert second == [D("321", 100), C("322002", 100)]


def test_321_with_one_sub_account_closes_through_that_leaf(village: Collective, chart: Chart) -> None:
    state = with_accounts(village, chart, ("321001", "本年收益明细"))
    [first, second] = year_end_lines(state, chart, profit_loss_net_debit={"501": -100}, income_net_debit=0)
    assert first[-1] == C("321001", 100)
    assert second[0] == D("321001", 100)


@pytest.mark.parametrize(
    "subs",
    [(("322001", "提取公积公益金"), ("322002", "应付福利")),
     (("322001", "未分配收益一"), ("322002", "未分配收益二"))],
)
def test_closing_refuses_when_no_single_undistributed_leaf_can_be_chosen(
    village: Collective, chart: Chart, subs: tuple,
) -> None:
    state = with_accounts(village, chart, *subs)
    with pytest.raises(Refusal) as caught:
        year_end_lines(state, chart, profit_loss_net_debit={"501": -100}, income_net_debit=0)
    assert (caught.value.code, caught.value.value) == ("closing.target_ambiguous", "322")


PROFIT_LOSS = ["501", "502", "503", "504", "511", "512", "513", "514", "515", "521"]


@settings(max_examples=200)
@given(
    balances=st.dictionaries(st.sampled_from(PROFIT_LOSS), st.integers(min_value=-10**10, max_value=10**10)),
    income=st.integers(min_value=-10**10, max_value=10**10),
)
def test_every_closing_voucher_balances_and_together_they_zero_profit_loss_and_321(
    village: Collective, chart: Chart, balances: dict[str, int], income: int,
) -> None:
    produced = year_end_lines(village, chart, profit_loss_net_debit=balances, income_net_debit=income)
    ledger = Counter({**balances, "321": income, "322": 0})
    for lines in produced:
        assert lines, "an empty voucher is left out"
        debit = sum(l.amount_fen for l in lines if l.side == "debit")
        credit = sum(l.amount_fen for l in lines if l.side == "credit")
        assert debit == credit
        vouchers.check_lines(village, chart, lines, record="年终结转")  # the ordinary rules hold too
        for line in lines:
            ledger[line.account] += line.amount_fen if line.side == "debit" else -line.amount_fen
    assert all(ledger[code] == 0 for code in PROFIT_LOSS)
    assert ledger["321"] == 0
    assert ledger["322"] == income + sum(balances.values())
    assert len(produced) <= 2
