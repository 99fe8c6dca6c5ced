"""The columns of each import kind: Chinese header, the command field it fills,
how its cell is read, and the example shown in the template.

One table per kind is the single place that says what a file looks like: the
importer matches headers with it, the template writes it, docs/import.md
describes it. The values then go into the register commands' own models
(`commands/registers.py`), so every rule stays where it already is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sanzi_ledger.domain import assets, contracts, subsidies
from sanzi_ledger.domain.schedules import Instalment
from sanzi_ledger.errors import Refusal
from sanzi_ledger.io import cells
from sanzi_ledger.io.cells import Cell

Reader = Callable[[Cell, str], Any]
_LIST_SEPARATORS = re.compile(r"[；;、\n]+")
DUES_MAX = 600


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    read: Reader
    required: bool = False
    choices: tuple[str, ...] = ()  # the words offered in the template's drop-down list
    example: Any = None
    note: str = ""
    width: int = 14
    aliases: tuple[str, ...] = ()
    header_required: bool = False  # the column must be there even where a cell may be blank
    repeats: bool = False  # values recur down the column (dates, codes): memoised per distinct text

    @property
    def in_header(self) -> bool:
        return self.required or self.header_required


# -- readers: cell -> command value ------------------------------------------------
def _text(cell: Cell, name: str) -> str:
    return cells.text(cell, field=name)


def _code(cell: Cell, name: str) -> str:
    return cells.code(cell, field=name)


def _fen(cell: Cell, name: str) -> int:
    return cells.amount_fen(cell, field=name)


def _fen_or_zero(cell: Cell, name: str) -> int:
    return cells.amount_fen(cell, field=name, blank_is_zero=True)


def _day(cell: Cell, name: str) -> date:
    return cells.day(cell, field=name)


def _day_or_none(cell: Cell, name: str) -> date | None:
    return None if cells.is_blank(cell) else cells.day(cell, field=name)


def _area(cell: Cell, name: str) -> int:
    if cells.is_blank(cell):
        raise Refusal("text.empty", field=name, value="")
    raw = cells.narrow(cells.text(cell, field=name)).removesuffix("亩").strip()
    return assets.parse_area(raw, field=name)


def _area_or_none(cell: Cell, name: str) -> int | None:
    return None if cells.is_blank(cell) else _area(cell, name)


def _attachments(cell: Cell, name: str) -> int:
    from sanzi_ledger.domain.vouchers import ATTACHMENTS_MAX

    return cells.count(cell, field=name, maximum=ATTACHMENTS_MAX)


def _flag(cell: Cell, name: str) -> bool:
    return cells.flag(cell, field=name)


def _words(cell: Cell, name: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in _LIST_SEPARATORS.split(cells.text(cell, field=name)) if word.strip())


def _dues(cell: Cell, name: str) -> tuple[Instalment, ...]:
    """收付款计划: "2025-03-01=12000；2026-03-01=12000" (date=yuan, separated by ；)."""
    items = []
    for index, entry in enumerate(_words(cell, name), start=1):
        day_text, sep, amount = cells.narrow(entry).partition("=")
        if not sep or index > DUES_MAX:
            raise Refusal("import.dues_format", field=f"{name}[{index}]", value=entry)
        items.append(Instalment(due=cells.day(day_text, field=f"{name}[{index}]"),
                                amount_fen=cells.amount_fen(amount, field=f"{name}[{index}]")))
    return tuple(items)


def choice(mapping: dict[str, Any], *, optional: bool = False, default: Any = None) -> Reader:
    """An enumeration: the Chinese word (or the code itself) -> the stored value."""
    accepted = {**{str(v): v for v in mapping.values() if isinstance(v, str)}, **mapping}

    def read(cell: Cell, name: str) -> Any:
        if optional and cells.is_blank(cell):
            return default
        word = cells.text(cell, field=name)
        if word in accepted:
            return accepted[word]
        raise Refusal("import.choice", field=name, value=word, allowed="、".join(mapping))
    return read


VIA_BOOKED = {"已在账上": None, "银行存款": "bank", "现金": "cash"}
VIA_MONEY = {"银行存款": "bank", "现金": "cash"}
PER = {"每年": "year", "每季": "quarter", "每月": "month", "全期": "term"}
DIRECTION = {"收入": "income", "支出": "expense"}
DEBT_DIRECTION = {"债权": "receivable", "债务": "payable"}
_BOOKED_NOTE = "已在账上：只登记，不记账（账已由凭证或期初余额导入）；银行存款/现金：同时生成收付凭证"

# -- the kinds ----------------------------------------------------------------------
VOUCHERS = (
    Column("日期", "day", _day, True, example="2025-03-05", note="业务日期，同一凭证号各行相同", repeats=True),
    Column("凭证号", "source_number", _code, True, example="1", note="文件内凭证的编号；相邻且相同的行是同一张凭证，正式凭证号由系统按月连续编号", width=10,
           repeats=True),
    Column("摘要", "summary", _text, True, example="收到土地承包费", note="凭证摘要取第一行", width=24, repeats=True),
    Column("科目编码", "account", _code, True, example="102", note="末级科目编码", width=12, repeats=True),
    Column("借方金额", "debit", _fen_or_zero, example="12,000.00", note="元，至多两位小数；借贷二选一",
           header_required=True),
    Column("贷方金额", "credit", _fen_or_zero, example=None, note="元，至多两位小数；借贷二选一", header_required=True),
    Column("附件张数", "attachments", _attachments, example=2, note="可空，同一凭证填一次", width=10, repeats=True),
    Column("审批文号", "resolution", _text, example="", note="可空，如村民代表会议决议文号", width=18, repeats=True),
)

CONTRACTS = (
    Column("合同编号", "number", _code, True, example="HT-2025-001"),
    Column("合同类型", "kind", choice({k: k for k in contracts.KINDS}), True, choices=tuple(contracts.KINDS), example="发包"),
    Column("收支方向", "direction", choice(DIRECTION, optional=True), choices=tuple(DIRECTION), example="收入",
           note="购销、借款、其他类合同必填"),
    Column("对方", "party", _text, True, example="张三", width=18),
    Column("对方证件号", "party_id", _code, example="", width=20),
    Column("合同金额", "amount_fen", _fen, True, example="120,000.00"),
    Column("开始日期", "start", _day, True, example="2025-01-01"),
    Column("结束日期", "end", _day, True, example="2029-12-31"),
    Column("收付款计划", "schedule", _dues, example="2025-03-01=24000；2026-03-01=24000；2027-03-01=24000；2028-03-01=24000；2029-03-01=24000",
           note="日期=金额，多期用；分隔；可空", width=40),
    Column("标的", "subject", _text, example="村东耕地 200 亩", width=20),
    Column("发包方式", "method", choice({m: m for m in contracts.METHODS}, optional=True, default=""),
           choices=contracts.METHODS, example="公开招标"),
    Column("决议文号", "resolution", _text, example="东山村代〔2024〕5号", width=18),
    Column("签订日期", "signed_on", _day_or_none, example="2024-12-20"),
)

ASSETS = (
    Column("资产编号", "number", _code, True, example="ZC-001"),
    Column("名称", "name", _text, True, example="村委会办公楼", width=18),
    Column("类别", "category", choice({c: c for c in assets.ASSET_CATEGORIES}), True,
           choices=tuple(assets.ASSET_CATEGORIES), example=next(iter(assets.ASSET_CATEGORIES))),
    Column("原值", "value_fen", _fen, True, example="850,000.00"),
    Column("取得日期", "acquired", _day, True, example="2018-06-30"),
    Column("坐落", "location", _text, example="村部", width=18),
    Column("记账方式", "via", choice(VIA_BOOKED, optional=True), choices=tuple(VIA_BOOKED), example="已在账上",
           note=_BOOKED_NOTE, width=12),
)

RESOURCES = (
    Column("资源编号", "number", _code, True, example="ZY-001"),
    Column("名称", "name", _text, True, example="村东耕地", width=18),
    Column("类型", "type", choice({t: t for t in assets.RESOURCE_TYPES}), True, choices=assets.RESOURCE_TYPES, example="耕地"),
    Column("面积", "area_cmu", _area, True, example="320.5", note="亩，至多两位小数", aliases=("面积(亩)",)),
    Column("坐落", "location", _text, example="一组、二组", width=18),
)

LEASES = (
    Column("租赁编号", "number", _code, True, example="ZL-2025-001"),
    Column("资产资源编号", "item", _code, True, example="ZY-001", width=16),
    Column("出租面积", "area_cmu", _area_or_none, example="300", note="亩；资源可空（全部），资产不填", aliases=("出租面积(亩)",)),
    Column("承租方", "lessee", _text, True, example="东山农业合作社", width=18),
    Column("承租方证件号", "lessee_id", _code, example="", width=20),
    Column("租金", "rent_fen", _fen, True, example="48,600.00", note="每个计租单位的租金（元）"),
    Column("计租单位", "per", choice(PER), True, choices=tuple(PER), example="每年", width=10),
    Column("开始日期", "start", _day, True, example="2025-01-01"),
    Column("结束日期", "end", _day, True, example="2027-12-31"),
    Column("收款计划", "schedule", _dues, example="", note="日期=金额，多期用；分隔；可空（按计租单位生成）", width=30),
    Column("发包方式", "method", choice({m: m for m in contracts.METHODS}, optional=True, default=""),
           choices=contracts.METHODS, example="公开招标"),
    Column("决议文号", "resolution", _text, example="东山村代〔2024〕6号", width=18),
    Column("签订日期", "signed_on", _day_or_none, example="2024-12-25"),
)

DEBTS = (
    Column("债权债务编号", "number", _code, True, example="ZQ-001", width=14),
    Column("方向", "direction", choice(DEBT_DIRECTION), True, choices=tuple(DEBT_DIRECTION), example="债权", width=8),
    Column("对方", "party", _text, True, example="李四", width=18),
    Column("对方证件号", "party_id", _code, example="", width=20),
    Column("金额", "amount_fen", _fen, True, example="5,000.00"),
    Column("发生日期", "day", _day, True, example="2023-05-10"),
    Column("到期日", "due", _day_or_none, example="2025-12-31"),
    Column("科目编码", "account", lambda cell, name: _code(cell, name) or None, example="", note="可空：债权记 112，债务记 211"),
    Column("形成原因", "origin", _text, example="借款", width=18),
    Column("记账方式", "via", choice(VIA_BOOKED, optional=True), choices=tuple(VIA_BOOKED), example="已在账上",
           note=_BOOKED_NOTE, width=12),
)

SUBSIDIES = (
    Column("补助编号", "number", _code, True, example="BZ-2025-001"),
    Column("项目名称", "program", _text, True, example="高标准农田建设补助", width=22),
    Column("来源", "source", choice({s: s for s in subsidies.SOURCES}), True, choices=subsidies.SOURCES, example="县", width=8),
    Column("金额", "amount_fen", _fen, True, example="200,000.00"),
    Column("到账日期", "day", _day, True, example="2025-04-01"),
    Column("是否专项", "earmarked", _flag, choices=("是", "否"), example="是", width=10),
    Column("用途", "purposes", _words, example="农田水利；道路硬化", note="多个用途用；分隔", width=22),
    Column("收款方式", "via", choice(VIA_MONEY, optional=True, default="bank"), choices=tuple(VIA_MONEY), example="银行存款",
           note="补助到账同时生成收款凭证", width=12),
)

OPENING_2004 = (
    Column("科目编码", "old_code", _code, True, example="101", note="旧制度（2004）科目编码，可含明细", width=12),
    Column("科目名称", "old_name", _text, example="现金", width=18),
    Column("借方余额", "debit", _fen_or_zero, example="3,256.40", header_required=True),
    Column("贷方余额", "credit", _fen_or_zero, example=None, header_required=True),
    Column("新科目编码", "new_code", _code, example="", note="可空：按财会〔2023〕20号对照表；对照表有多个去向时按需填写", width=12),
)

KINDS: dict[str, tuple[Column, ...]] = {
    "vouchers": VOUCHERS, "contracts": CONTRACTS, "assets": ASSETS, "resources": RESOURCES,
    "leases": LEASES, "debts": DEBTS, "subsidies": SUBSIDIES, "opening-2004": OPENING_2004,
}
KIND_NAMES = {
    "vouchers": "凭证", "contracts": "合同", "assets": "资产", "resources": "资源", "leases": "租赁",
    "debts": "债权债务", "subsidies": "补助资金", "opening-2004": "旧制度科目余额表",
}

# Kinds whose one row is not a whole example (a voucher needs two sides; so does a balance).
EXAMPLE_ROWS: dict[str, list[list[Any]]] = {
    "vouchers": [
        ["2025-03-05", "1", "收到土地承包费", "102", "12,000.00", None, 2, "东山村代〔2025〕3号"],
        ["2025-03-05", "1", "收到土地承包费", "501", None, "12,000.00", None, None],
        ["2025-03-06", "2", "支付办公用品费", "513", "356.50", None, 1, None],
        ["2025-03-06", "2", "支付办公用品费", "101", None, "356.50", None, None],
    ],
    "opening-2004": [
        ["101", "现金", "3,256.40", None, None],
        ["102", "银行存款", "486,120.00", None, None],
        ["151", "固定资产", "850,000.00", None, None],
        ["301", "资本", None, "1,339,376.40", None],
    ],
}


def example_rows(kind: str) -> list[list[Any]]:
    return EXAMPLE_ROWS.get(kind) or [[column.example for column in KINDS[kind]]]
