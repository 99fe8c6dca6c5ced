"""Posting rules (domain.md §2): the voucher lines each business fact produces.

One place for every default account. The accountant may override the money
side (`via`: bank, cash, or any leaf account such as 102001) and the other
side (`account`). A fact posts in the same transaction as its register
event, so the registers and the books can never disagree.
"""

from __future__ import annotations

from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal

CASH, BANK = "101", "102"
RECEIVABLE, PAYABLE = "112", "211"
OPERATING_INCOME, SUBSIDY_INCOME, OTHER_INCOME = "501", "503", "504"
ADMIN_EXPENSE, PUBLIC_EXPENSE, OTHER_EXPENSE = "513", "514", "515"
FIXED_ASSETS, CONSTRUCTION, INTANGIBLE, STOCK = "151", "153", "161", "121"
EARMARKED_PAYABLE = "241"  # 专项应付款
RESERVE = "311"  # 公积公益金


def money_account(via: str, *, field: str = "via") -> str:
    """`bank` -> 102, `cash` -> 101, or an account code typed by the accountant."""
    via = via.strip()
    if via == "bank":
        return BANK
    if via == "cash":
        return CASH
    if via.isascii() and via.isdigit() and len(via) >= 3:
        return via
    raise Refusal("posting.via", field=field, value=via)


def pair(debit: str, credit: str, amount_fen: int) -> list[Line]:
    return [Line(account=debit, side="debit", amount_fen=amount_fen), Line(account=credit, side="credit", amount_fen=amount_fen)]


def receipt(via: str, income_account: str, amount_fen: int) -> list[Line]:
    """Money in: Dr bank/cash, Cr the income (or liability) account."""
    return pair(money_account(via), income_account, amount_fen)


def payment(via: str, expense_account: str, amount_fen: int) -> list[Line]:
    """Money out: Dr the expense (or asset, or liability) account, Cr bank/cash."""
    return pair(expense_account, money_account(via), amount_fen)
