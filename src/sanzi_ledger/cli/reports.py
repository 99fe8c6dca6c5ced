"""report: trial-balance, balance-sheet, income, ledger."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.as_of import RecordedAsOf, reading
from sanzi_ledger.cli.common import output
from sanzi_ledger.cli.files import with_xlsx
from sanzi_ledger.cli.render import yuan
from sanzi_ledger.errors import Refusal
from sanzi_ledger.money import format_yuan
from sanzi_ledger.periods import parse_date, parse_period
from sanzi_ledger.projections import ledger_book, statements, trial_balance

report_app = typer.Typer(help="会计报表", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")



@report_app.command("trial-balance", help="科目余额表")
@with_xlsx
def report_trial_balance(
    period: Annotated[str, typer.Option(help="YYYY-MM、YYYY-Qn 或 YYYY")],
    detail: Annotated[bool, typer.Option("--detail", help="列出明细科目")] = False,
    recorded: RecordedAsOf = None,
) -> None:
    out = output()
    p = parse_period(period)
    with reading(recorded) as led:
        state = led.collective()
        chart = led.chart(state.chart)
        names = {code: a.name for code, a in state.sub_accounts.items()}
        tb = trial_balance.trial_balance(led.views, chart, state.code, p, detail=detail, names=names)
    if out.json:
        def amounts(row):
            return {c: yuan(getattr(row, c)) for c in trial_balance.COLUMNS}
        out.emit_json({
            "collective": tb.collective, "period": p.label,
            "rows": [{"code": r.code, "name": r.name, **amounts(r)} for r in tb.rows if detail or len(r.code) == 3],
            "totals": amounts(tb.totals),
        })
        return
    rows = [[r.code if len(r.code) == 3 else "  " + r.code, r.name, *(out.money(v) for v in r.amounts())] for r in tb.rows]
    rows.append(["", out.t("total"), *(out.money(v) for v in tb.totals.amounts())])
    out.table(f"{state.name} 科目余额表 {p.label}" if out.lang == "zh" else f"{state.name} trial balance {p.label}",
              ["code", "name", *trial_balance.COLUMNS], rows, right={2, 3, 4, 5, 6, 7})


@report_app.command("balance-sheet", help="资产负债表")
@with_xlsx
def report_balance_sheet(date: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")], recorded: RecordedAsOf = None) -> None:
    out = output()
    day = parse_date(date)
    with reading(recorded) as led:
        state = led.collective()
        bs = statements.balance_sheet(led.views, led.chart(state.chart), state.code, day)
    if out.json:
        out.emit_json({
            "collective": bs.collective, "date": day.isoformat(),
            "rows": [{"section": r.section, "line": r.line, "amount": yuan(r.amount), "year_start": yuan(r.previous)} for r in bs.rows],
            "total_assets": yuan(bs.total_assets), "total_liabilities": yuan(bs.total_liabilities),
            "total_equity": yuan(bs.total_equity), "year_start_total_assets": yuan(bs.opening_total_assets),
            "year_start_total_liabilities": yuan(bs.opening_total_liabilities),
            "year_start_total_equity": yuan(bs.opening_total_equity), "balanced": bs.balanced,
        })
        return
    totals = {
        "asset": [(out.t("assets_total"), bs.total_assets, bs.opening_total_assets)],
        "liability": [(out.t("liabilities_total"), bs.total_liabilities, bs.opening_total_liabilities)],
        "equity": [(out.t("equity_total"), bs.total_equity, bs.opening_total_equity),
                   (out.t("liabilities_equity_total"), bs.total_liabilities + bs.total_equity,
                    bs.opening_total_liabilities + bs.opening_total_equity)],
    }
    rows = []
    for section, section_totals in totals.items():
        rows.append([f"[{out.t(section)}]", "", ""])
        rows += [["  " + r.line, out.money(r.amount), out.money(r.previous)] for r in bs.rows if r.section == section]
        rows += [[label, format_yuan(now), format_yuan(start)] for label, now, start in section_totals]
    out.table(f"{state.name} 资产负债表 {day.isoformat()}" if out.lang == "zh" else f"{state.name} balance sheet {day.isoformat()}",
              ["line", "end_balance", "year_start"], rows, right={1, 2})


@report_app.command("income", help="收益及收益分配表")
@with_xlsx
def report_income(period: Annotated[str, typer.Option(help="YYYY-MM、YYYY-Qn 或 YYYY")], recorded: RecordedAsOf = None) -> None:
    out = output()
    p = parse_period(period)
    with reading(recorded) as led:
        state = led.collective()
        inc = statements.income_statement(led.views, led.chart(state.chart), state.code, p)
    if out.json:
        out.emit_json({"collective": inc.collective, "period": p.label, "rows": [
            {"section": r.section, "line": r.line, "amount": yuan(r.amount), "year_to_date": yuan(r.previous)} for r in inc.rows]})
        return
    out.table(f"{state.name} 收益及收益分配表 {p.label}" if out.lang == "zh" else f"{state.name} income statement {p.label}",
              ["line", "this_period", "year_to_date"],
              [[r.line if r.subtotal else "  " + r.line, format_yuan(r.amount), format_yuan(r.previous)] for r in inc.rows],
              right={1, 2})


@report_app.command("ledger", help="明细账")
@with_xlsx
def report_ledger(account: str, period: Annotated[str, typer.Option(help="YYYY-MM、YYYY-Qn 或 YYYY")],
                  recorded: RecordedAsOf = None) -> None:
    out = output()
    p = parse_period(period)
    with reading(recorded) as led:
        state = led.collective()
        chart = led.chart(state.chart)
        acct = state.account(chart, account.strip())
        if acct is None:
            raise Refusal("report.account_unknown", field="account", value=account, record=state.code)
        book = ledger_book.account_book(led.views, state.code, acct.code, p)

    def direction(net: int) -> str:
        return out.t("D" if net > 0 else "C" if net < 0 else "flat")

    if out.json:
        out.emit_json({
            "collective": book.collective, "account": acct.code, "name": acct.name, "period": p.label,
            "opening": yuan(book.opening), "debit": yuan(book.debit), "credit": yuan(book.credit), "closing": yuan(book.closing),
            "entries": [{"date": e.date, "voucher": e.number, "summary": e.summary, "account": e.account,
                         "debit": yuan(e.debit), "credit": yuan(e.credit), "balance": yuan(e.balance)} for e in book.entries],
        })
        return
    rows = [["", "", out.t("opening_balance"), "", "", direction(book.opening), out.money(abs(book.opening))]]
    rows += [[e.date, e.number, e.summary, out.money(e.debit), out.money(e.credit), direction(e.balance), out.money(abs(e.balance))]
             for e in book.entries]
    rows.append(["", "", out.t("period_total"), out.money(book.debit), out.money(book.credit), direction(book.closing), out.money(abs(book.closing))])
    out.table(f"{state.name} 明细账 {acct.code} {acct.name} {p.label}" if out.lang == "zh" else f"{state.name} ledger {acct.code} {p.label}",
              ["date", "number", "summary", "debit", "credit", "direction", "balance"], rows, right={3, 4, 6})
