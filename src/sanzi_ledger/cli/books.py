"""period and voucher commands."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.as_of import RecordedAsOf, reading
from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.cli.files import with_xlsx
from sanzi_ledger.cli.render import yuan
from sanzi_ledger.commands import books as cmds
from sanzi_ledger.domain.vouchers import Line
from sanzi_ledger.errors import Refusal
from sanzi_ledger.money import parse_yuan
from sanzi_ledger.periods import parse_date, parse_month, parse_period

period_app = typer.Typer(help="会计期间：结账与状态", no_args_is_help=True)
voucher_app = typer.Typer(help="记账凭证", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(period_app, name="period")
    app.add_typer(voucher_app, name="voucher")



def parse_entries(entries: list[str], side: str) -> list[Line]:
    """`--debit 101=1200` -> Line; the field is named with its position (debit[2])."""
    lines = []
    for index, entry in enumerate(entries, start=1):
        field = f"{side}[{index}]"
        account, sep, amount = entry.partition("=")
        if not sep or not account.strip():
            raise Refusal("voucher.entry_format", field=field, value=entry, record="凭证")
        lines.append(Line(account=account.strip(), side=side, amount_fen=parse_yuan(amount, field=field, record="凭证")))  # type: ignore[arg-type]
    return lines


@period_app.command("close", help="结账（按月顺序；十二月结账时自动生成年终结转凭证）；记下结账印章，可用 --key 签名")
def period_close(
    month: str,
    key: Annotated[str, typer.Option("--key", envvar="SANZI_KEY", help="签名私钥文件（sanzi audit keygen 生成）；也可用 SANZI_KEY")] = "",
) -> None:
    out = output()
    month = parse_month(month)
    with ledger() as led:
        outcome = cmds.close_period(led, cmds.ClosePeriod(month=month, key=key))
    extra = outcome.extra.get("closing_vouchers") or []
    note = f"，年终结转凭证 {'、'.join(extra)}" if extra else ""
    seal, key_id = outcome.extra["seal"], outcome.extra["key_id"]
    signed = (f"，签名密钥 {key_id}" if out.lang == "zh" else f", signed with key {key_id}") if key_id else ""
    out.outcome(outcome, f"{month} 已结账（日志位置 {outcome.position}）{note}\n结账印章 {seal}{signed}" if out.lang == "zh"
                else f"{month} closed at log position {outcome.position} {' '.join(extra)}\nclose seal {seal}{signed}")


@period_app.command("status", help="各月记账与结账状态")
@with_xlsx
def period_status() -> None:
    out = output()
    with ledger() as led:
        led.catch_up()
        code = led.resolve_collective()
        rows = led.views.query(
            "SELECT month, voucher_count, closed, closed_at, closed_by FROM v_periods WHERE collective = ? ORDER BY month", (code,))
        start = led.collective(code).start_period
    if out.json:
        out.emit_json({"collective": code, "start_period": start, "periods": [
            {"month": m, "vouchers": n, "closed": bool(c), "closed_at": at, "closed_by": by} for m, n, c, at, by in rows]})
        return
    out.table(f"{code}（建账 {start}）" if out.lang == "zh" else f"{code} (books from {start})",
              ["month", "vouchers", "status", "closed_at", "closed_by"],
              [[m, n, out.t("closed" if c else "open"), (at or "")[:19], by or ""] for m, n, c, at, by in rows], right={1})


@voucher_app.command("post", help="记账：--debit 科目=金额 … --credit 科目=金额 …")
def voucher_post(
    date: Annotated[str, typer.Option("--date", help="业务日期 YYYY-MM-DD")],
    summary: Annotated[str, typer.Option("--summary", help="摘要")],
    debit: Annotated[list[str], typer.Option("--debit", help="借方 科目=金额，可重复")],
    credit: Annotated[list[str], typer.Option("--credit", help="贷方 科目=金额，可重复")],
    attachments: Annotated[int, typer.Option("--attachments", help="附件张数")] = 0,
    resolution: Annotated[str, typer.Option("--resolution", help="审批/决议文号")] = "",
) -> None:
    out = output()
    command = cmds.PostVoucher(
        day=parse_date(date, record="凭证"), summary=summary,
        lines=parse_entries(debit, "debit") + parse_entries(credit, "credit"),
        attachments=attachments, resolution=resolution,
    )
    with ledger() as led:
        outcome = cmds.post_voucher(led, command)
    out.outcome(outcome, f"已记账：{outcome.voucher}" if out.lang == "zh" else f"posted: {outcome.voucher}")


@voucher_app.command("reverse", help="红字冲销一张凭证")
def voucher_reverse(
    number: str,
    reason: Annotated[str, typer.Option("--reason", help="冲销原因")],
    date: Annotated[str | None, typer.Option("--date", help="冲销日期（默认今天）")] = None,
) -> None:
    out = output()
    day = parse_date(date, record=f"凭证 {number}") if date else None
    with ledger() as led:
        outcome = cmds.reverse_voucher(led, cmds.ReverseVoucher(number=number, reason=reason, day=day))
    out.outcome(outcome, f"已冲销 {number}：红字凭证 {outcome.voucher}" if out.lang == "zh"
                else f"reversed {number} with {outcome.voucher}")


_VOUCHER_COLUMNS = "number, date, summary, kind, total_fen, operator, reverses, reversed_by, attachments, resolution, recorded_at, position, reason"


@voucher_app.command("list", help="凭证列表")
@with_xlsx
def voucher_list(period: Annotated[str | None, typer.Option(help="YYYY-MM、YYYY-Qn 或 YYYY")] = None,
                 recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        sql, params = f"SELECT {_VOUCHER_COLUMNS} FROM v_vouchers WHERE collective = ?", [code]
        if period:
            p = parse_period(period)
            sql += " AND month >= ? AND month <= ?"
            params += [p.first, p.last]
        rows = led.views.query(sql + " ORDER BY month, number", params)
    if out.json:
        out.emit_json({"collective": code, "vouchers": [
            {"number": r[0], "date": r[1], "summary": r[2], "kind": r[3], "amount": yuan(r[4]), "operator": r[5],
             "reverses": r[6] or None, "reversed_by": r[7] or None} for r in rows]})
        return
    out.table(code, ["number", "date", "summary", "amount", "kind", "operator", "note"],
              [[r[0], r[1], r[2], out.money(r[4]), out.t(r[3]), r[5],
                (f"冲销 {r[6]}" if r[6] else "") + (f"已被 {r[7]} 冲销" if r[7] else "")] for r in rows], right={3})


@voucher_app.command("show", help="显示一张凭证")
def voucher_show(number: str) -> None:
    out = output()
    with ledger() as led:
        led.catch_up()
        code = led.resolve_collective()
        head = led.views.query(f"SELECT {_VOUCHER_COLUMNS} FROM v_vouchers WHERE collective = ? AND number = ?", (code, number))
        if not head:
            raise Refusal("voucher.unknown", field="number", value=number, record=code)
        lines = led.views.query(
            "SELECT account, side, amount_fen FROM v_voucher_lines WHERE collective = ? AND number = ? ORDER BY line_no", (code, number))
        chart = led.chart(led.collective(code).chart)
        names = {a.code: a.name for a in led.collective(code).sub_accounts.values()} | {a.code: a.name for a in chart.accounts.values()}
    r = head[0]
    if out.json:
        out.emit_json({
            "collective": code, "number": r[0], "date": r[1], "summary": r[2], "kind": r[3], "amount": yuan(r[4]),
            "operator": r[5], "reverses": r[6] or None, "reversed_by": r[7] or None, "attachments": r[8],
            "resolution": r[9] or None, "recorded_at": r[10], "position": r[11], "reason": r[12] or None,
            "lines": [{"account": a, "name": names.get(a, ""), "side": s, "amount": yuan(f)} for a, s, f in lines],
        })
        return
    title = f"{code} {r[0]}  {r[1]}  {r[2]}"
    out.table(title, ["account", "name", "debit", "credit"],
              [[a, names.get(a, ""), out.money(f) if s == "debit" else "", out.money(f) if s == "credit" else ""] for a, s, f in lines]
              + [[out.t("total"), "", out.money(r[4]), out.money(r[4])]], right={2, 3})
    facts = [("kind", out.t(r[3])), ("operator", r[5]), ("recorded_at", r[10][:19]), ("attachments", r[8]),
             ("resolution", r[9]), ("reverses", r[6]), ("reversed_by", r[7]), ("reason", r[12])]
    out.say("  ".join(f"{out.t(k)}：{v}" for k, v in facts if v not in ("", None)))
