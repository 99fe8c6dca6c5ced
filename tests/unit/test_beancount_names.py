"""Account names in the beancount export follow beancount's own grammar, whatever the chart says."""

from __future__ import annotations

from datetime import date

from beancount.core import account as bc_account
from hypothesis import given
from hypothesis import strategies as st

from sanzi_ledger.chart import load_chart
from sanzi_ledger.io.beancount import Collective, component, root_of


def books(subs: dict[str, tuple[str, str]] | None = None, chart: str = "2024") -> Collective:
    return Collective("330185101201", "东山村股份经济合作社", load_chart(chart), date(2024, 1, 1), subs or {})


def test_every_account_of_both_charts_is_a_valid_beancount_account():
    for chart_id in ("2024", "2004"):
        c = books(chart=chart_id)
        names = [c.account_name(code) for code in c.account_codes()]
        assert all(bc_account.is_valid(name) for name in names), [n for n in names if not bc_account.is_valid(n)]
        assert len(set(names)) == len(names)


def test_names_keep_the_code_and_the_chinese_name_and_drop_what_the_grammar_refuses():
    c = books({"112001": ("应收承包费", "112"), "112001001": ("张三 (一组)", "112001")})
    assert c.account_name("101") == "Assets:330185101201:101-库存现金"
    assert c.account_name("401") == "Assets:330185101201:401-生产劳务成本"
    assert c.account_name("112001001") == "Assets:330185101201:112-应收款:112001-应收承包费:112001001-张三一组"


def test_the_root_follows_the_class_and_for_profit_and_loss_the_normal_side():
    chart = load_chart("2024")
    roots = {code: root_of(chart.get(code)) for code in ("101", "113", "152", "201", "301", "322", "401", "501", "503", "513", "521")}
    assert roots == {"101": "Assets", "113": "Assets", "152": "Assets", "201": "Liabilities", "301": "Equity",
                     "322": "Equity", "401": "Assets", "501": "Income", "503": "Income", "513": "Expenses", "521": "Expenses"}


@given(st.text(max_size=40))
def test_any_sub_account_name_gives_a_valid_component(name):
    assert component("112001", name).startswith("112001")  # the code keeps names unique
    assert bc_account.is_valid(books({"112001": (name, "112")}).account_name("112001"))
