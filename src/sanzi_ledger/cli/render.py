"""Output: rich tables for people, one JSON document for tools, refusals for both."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sanzi_ledger.money import format_yuan, json_yuan

LABELS: dict[str, tuple[str, str]] = {
    "code": ("代码", "code"), "name": ("名称", "name"), "township": ("乡镇", "township"),
    "county": ("县", "county"), "level": ("层级", "level"), "start": ("建账期间", "start"),
    "role": ("角色", "role"), "added": ("登记时间", "added"), "parent": ("上级科目", "parent"),
    "class": ("类别", "class"), "side": ("余额方向", "side"), "month": ("期间", "period"),
    "vouchers": ("凭证数", "vouchers"), "status": ("状态", "status"), "closed_at": ("结账时间", "closed at"),
    "closed_by": ("结账人", "closed by"), "number": ("凭证号", "voucher"), "date": ("日期", "date"),
    "summary": ("摘要", "summary"), "amount": ("金额", "amount"), "operator": ("操作员", "operator"),
    "kind": ("类型", "kind"), "note": ("备注", "note"), "account": ("科目", "account"),
    "debit": ("借方", "debit"), "credit": ("贷方", "credit"), "balance": ("余额", "balance"),
    "direction": ("方向", "dir"), "opening_debit": ("期初借方", "opening Dr"),
    "opening_credit": ("期初贷方", "opening Cr"), "closing_debit": ("期末借方", "closing Dr"),
    "closing_credit": ("期末贷方", "closing Cr"), "line": ("项目", "item"),
    "end_balance": ("期末余额", "end of period"), "year_start": ("年初余额", "start of year"),
    "this_period": ("本期金额", "this period"), "year_to_date": ("本年累计", "year to date"),
    "recorded_at": ("记录时间", "recorded at"), "resolution": ("决议文号", "resolution"),
    "attachments": ("附件", "attachments"), "reverses": ("冲销凭证", "reverses"),
    "reversed_by": ("被冲销于", "reversed by"), "reason": ("冲销原因", "reason"),
    "total": ("合计", "total"), "open": ("未结账", "open"), "closed": ("已结账", "closed"),
    "ordinary": ("记账", "ordinary"), "reversal": ("红字冲销", "reversal"), "closing": ("年终结转", "closing"),
    "opening_balance": ("期初余额", "opening balance"), "period_total": ("本期合计", "period total"),
    "D": ("借", "Dr"), "C": ("贷", "Cr"), "flat": ("平", "nil"),
    "accountant": ("会计", "accountant"), "cashier": ("出纳", "cashier"), "supervisor": ("监督委员", "supervisor"),
    "auditor": ("审计", "auditor"), "head": ("负责人", "head"), "village": ("村", "village"),
    "group": ("组", "group"), "asset": ("资产", "asset"), "liability": ("负债", "liability"),
    "equity": ("所有者权益", "equity"), "cost": ("成本", "cost"), "profit_loss": ("损益", "profit & loss"),
    "either": ("双向", "either"), "assets_total": ("资产总计", "total assets"),
    "liabilities_total": ("负债合计", "total liabilities"), "equity_total": ("所有者权益合计", "total equity"),
    "liabilities_equity_total": ("负债和所有者权益总计", "total liabilities and equity"),
    "record_no": ("编号", "number"), "board": ("公开栏", "board"), "cadence": ("公开周期", "cadence"), "monthly": ("按月", "monthly"),
    "quarterly": ("按季", "quarterly"), "adhoc": ("随时", "ad hoc"), "content": ("公开内容", "content"),
    "channel": ("网上公开", "online"), "deadline": ("截止日期", "deadline"), "published_on": ("公开日期", "published"), "collected": ("已收", "collected"), "end": ("到期日", "end"),
    "schedule": ("收付款计划", "schedule"), "moves": ("收付记录", "payments"), "due": ("应收付日", "due"),
    "settled": ("已收付", "settled"), "next_due": ("下次应收付", "next due"), "arrears": ("欠款", "arrears"),
    "term": ("期限", "term"), "party": ("对方", "party"), "party_id": ("证件号码", "ID"), "review": ("清理结论", "review"),
    "active": ("履行中", "active"), "expired": ("已到期", "expired"), "overdue": ("逾期欠款", "overdue"),
    "terminated": ("已终止", "terminated"), "income": ("收款", "income"), "expense": ("付款", "expense"),
    "method": ("方式", "method"), "days_overdue": ("逾期天数", "days overdue"), "item": ("资产/资源", "item"),
    "lessee": ("承租方", "lessee"), "area": ("面积", "area"), "leased": ("已出租", "leased"), "idle": ("闲置", "idle"),
    "location": ("坐落", "location"), "category": ("类别", "category"), "value": ("原值", "value"),
    "acquired": ("取得日期", "acquired"), "type": ("类型", "type"), "program": ("项目", "program"),
    "source": ("来源", "source"), "received": ("累计收到", "received"), "spent": ("已支出", "spent"),
    "returned": ("已退回", "returned"), "usage": ("使用率", "usage"), "receivable": ("债权", "receivable"),
    "payable": ("债务", "payable"), "written_off": ("已核销", "written off"), "outstanding": ("尚欠", "outstanding"),
    "collect": ("收款", "collected"), "pay": ("付款", "paid"), "settle": ("结算", "settled"),
    "write_off": ("核销", "written off"), "receive": ("收到", "received"), "spend": ("支出", "spent"),
    "return": ("退回", "returned"), "receivable_collected": ("清收债权（收回）", "receivables collected"),
    "receivable_written_off": ("债权核销", "receivables written off"),
    "payable_settled": ("化解债务（偿还）", "payables settled"), "payable_written_off": ("债务核销", "payables written off"),
}


@dataclass
class Output:
    lang: str = "zh"
    json: bool = False
    # Set while a `--xlsx` command runs (cli/files.py): every table printed is kept for the workbook.
    kept_tables: list | None = None
    quiet: bool = False

    # rich is imported only when a table is printed: most commands print one
    # line, and a command must start fast.
    @cached_property
    def console(self):
        from rich.console import Console

        return Console(width=None if sys.stdout.isatty() else 160, highlight=False)

    def t(self, key: str) -> str:
        zh, en = LABELS.get(key, (key, key))
        return en if self.lang == "en" else zh

    def money(self, fen: int) -> str:
        return format_yuan(fen) if fen else ""

    def emit_json(self, document: Any) -> None:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")

    @contextmanager
    def keeping_tables(self) -> Iterator[list]:
        self.kept_tables = []
        try:
            yield self.kept_tables
        finally:
            self.kept_tables = None

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Tables and lines, not JSON, and nothing printed: for keeping the tables alone."""
        json_output, self.json, self.quiet = self.json, False, True
        try:
            yield
        finally:
            self.json, self.quiet = json_output, False

    def table(self, title: str, columns: list[str], rows: list[list[Any]], *, right: set[int] = frozenset()) -> None:
        if self.kept_tables is not None:
            from sanzi_ledger.io.xlsx_tables import PrintedTable

            self.kept_tables.append(PrintedTable(title, [self.t(c) for c in columns], [list(r) for r in rows], frozenset(right)))
        if self.quiet:
            return
        from rich.table import Table

        table = Table(title=title, title_justify="left", show_lines=False)
        for index, column in enumerate(columns):
            table.add_column(self.t(column), justify="right" if index in right else "left", overflow="fold")
        for row in rows:
            table.add_row(*["" if cell is None else str(cell) for cell in row])
        self.console.print(table)

    def say(self, text: str) -> None:
        if not self.quiet:
            sys.stdout.write(text + "\n")

    def warn(self, text: str) -> None:
        sys.stderr.write(text + "\n")

    def outcome(self, outcome: Any, text: str) -> None:
        if self.json:
            self.emit_json({
                "ok": True, "id": outcome.id, "voucher": outcome.voucher, "position": outcome.position,
                **outcome.extra,
            })
        else:
            self.say(text)


def yuan(fen: int) -> str:
    return json_yuan(fen)
