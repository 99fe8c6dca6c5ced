"""init, collective, member, account."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.commands import setup as cmds

collective_app = typer.Typer(help="集体经济组织", no_args_is_help=True)
member_app = typer.Typer(help="成员与角色", no_args_is_help=True)
account_app = typer.Typer(help="会计科目（一级科目与明细科目）", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init", help="创建账套（默认 2024 科目体系）")(init)
    app.add_typer(collective_app, name="collective")
    app.add_typer(member_app, name="member")
    app.add_typer(account_app, name="account")



def init(chart: Annotated[str, typer.Option(help="科目体系")] = "2024") -> None:
    out = output()
    with ledger(create=True) as led:
        outcome = cmds.initialise(led, cmds.Initialise(chart=chart))
        out.outcome(outcome, f"账套已就绪：{led.config.label}（科目体系 {chart}）" if out.lang == "zh"
                    else f"store ready: {led.config.label} (chart {chart})")


@collective_app.command("add", help="登记集体经济组织")
def collective_add(
    code: str,
    name: Annotated[str, typer.Option(help="名称")],
    township: Annotated[str, typer.Option(help="所属乡镇")],
    county: Annotated[str, typer.Option(help="所属县")],
    level: Annotated[str, typer.Option(help="village|group|township")] = "village",
    start: Annotated[str | None, typer.Option(help="建账期间 YYYY-MM（默认今年一月）")] = None,
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.register_collective(led, cmds.RegisterCollective(
            code=code, name=name, township=township, county=county, level=level, start_period=start))
        out.outcome(outcome, f"已登记：{outcome.id} {name}" if out.lang == "zh" else f"registered: {outcome.id} {name}")


@collective_app.command("list", help="列出集体经济组织")
def collective_list() -> None:
    out = output()
    with ledger() as led:
        led.catch_up()
        rows = led.views.query("SELECT code, name, township, county, level, start_period FROM v_collectives ORDER BY code")
    if out.json:
        out.emit_json({"collectives": [dict(zip(("code", "name", "township", "county", "level", "start_period"), r)) for r in rows]})
        return
    out.table("", ["code", "name", "township", "county", "level", "start"], [[*r[:4], out.t(r[4]), r[5]] for r in rows])


@member_app.command("add", help="登记成员及其角色（一人一角色）")
def member_add(
    name: str,
    role: Annotated[str, typer.Option(help="accountant|cashier|supervisor|auditor|head")],
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.add_member(led, cmds.AddMember(name=name, role=role))
        out.outcome(outcome, f"已登记成员：{name}（{out.t(role)}）" if out.lang == "zh" else f"member added: {name} ({role})")


@member_app.command("list", help="列出成员")
def member_list() -> None:
    out = output()
    with ledger() as led:
        led.catch_up()
        code = led.resolve_collective()
        rows = led.views.query("SELECT name, role, added_at, operator FROM v_members WHERE collective = ? ORDER BY added_at, name", (code,))
    if out.json:
        out.emit_json({"collective": code, "members": [dict(zip(("name", "role", "added_at", "operator"), r)) for r in rows]})
        return
    out.table(code, ["name", "role", "added", "operator"], [[r[0], out.t(r[1]), r[2][:19], r[3]] for r in rows])


@account_app.command("add", help="开设明细科目（上级科目代码加 3 位）")
def account_add(code: str, name: Annotated[str, typer.Option(help="科目名称")]) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.open_account(led, cmds.OpenAccount(code=code, name=name))
        out.outcome(outcome, f"已开设科目：{outcome.id} {name}" if out.lang == "zh" else f"account opened: {outcome.id} {name}")


@account_app.command("list", help="列出科目表（含已开设的明细科目）")
def account_list() -> None:
    out = output()
    with ledger() as led:
        state = led.collective()
        chart = led.chart(state.chart)
    accounts = sorted([*chart.accounts.values(), *state.sub_accounts.values()], key=lambda a: a.code)
    if out.json:
        out.emit_json({"collective": state.code, "chart": chart.id, "accounts": [
            {"code": a.code, "name": a.name, "class": a.account_class, "side": a.side, "leaf": not state.has_children(a.code)}
            for a in accounts]})
        return
    out.table(f"{state.code} {chart.name}", ["code", "name", "class", "side"],
              [["  " * ((len(a.code) - 3) // 3) + a.code, a.name, out.t(a.account_class), out.t(a.side)] for a in accounts])
