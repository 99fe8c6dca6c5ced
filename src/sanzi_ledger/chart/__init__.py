"""Charts of accounts, kept as data files beside this module.

`load_chart("2024")` reads `2024.toml`. A chart is a frozen value: the domain
receives it and never reads files itself.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

AccountClass = Literal["asset", "liability", "equity", "cost", "profit_loss"]
NormalSide = Literal["debit", "credit", "either"]
CHART_IDS = ("2024", "2004")


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    account_class: AccountClass
    side: NormalSide

    @property
    def first_level(self) -> str:
        return self.code[:3]


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement layout (see the comments in the chart file)."""

    line: str
    section: str = ""
    accounts: tuple[str, ...] = ()
    sign: int = 1
    subtotal: bool = False
    profit_loss: bool = False


@dataclass(frozen=True)
class Chart:
    id: str
    name: str
    effective: str
    sub_code_digits: int
    accounts: dict[str, Account]
    current_year_income_account: str | None = None
    distribution_account: str | None = None
    balance_sheet: tuple[StatementLine, ...] = ()
    income_statement: tuple[StatementLine, ...] = ()

    def get(self, code: str) -> Account | None:
        return self.accounts.get(code)

    def first_level_codes(self) -> list[str]:
        return sorted(self.accounts)


@cache
def load_chart(chart_id: str) -> Chart:
    assert chart_id in CHART_IDS, chart_id
    text = (Path(__file__).parent / f"{chart_id}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    head = data["chart"]
    accounts = {
        row["code"]: Account(row["code"], row["name"], row["class"], row["side"])
        for row in data["account"]
    }
    return Chart(
        id=head["id"],
        name=head["name"],
        effective=head["effective"],
        sub_code_digits=int(head.get("sub_code_digits", 3)),
        accounts=accounts,
        current_year_income_account=head.get("current_year_income_account"),
        distribution_account=head.get("distribution_account"),
        balance_sheet=tuple(_lines(data.get("balance_sheet", []))),
        income_statement=tuple(_lines(data.get("income_statement", []))),
    )


def _lines(rows: list[dict]) -> list[StatementLine]:
    return [
        StatementLine(
            line=row["line"], section=row.get("section", ""), accounts=tuple(row.get("accounts", ())),
            sign=int(row.get("sign", 1)), subtotal=bool(row.get("subtotal", False)),
            profit_loss=bool(row.get("profit_loss", False)),
        )
        for row in rows
    ]
