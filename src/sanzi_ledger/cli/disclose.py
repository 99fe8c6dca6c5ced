"""board and disclose: 定点、定时、定内容, review, publication, verification."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.commands import disclosure as cmds

board_app = typer.Typer(help="公开栏（定点）", no_args_is_help=True)
disclose_app = typer.Typer(help="财务公开：起草、审核、发布、核对", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(board_app, name="board")
    app.add_typer(disclose_app, name="disclose")



@board_app.command("add", help="登记公开栏：名称、固定地点、公开周期、公开内容")
def board_add(
    name: str, location: Annotated[str, typer.Option(help="公开栏的固定地点，如 村委会大院东侧公开栏")],
    cadence: Annotated[str, typer.Option(help="monthly（按月）|quarterly（按季）|adhoc（随时）")],
    content: Annotated[list[str] | None, typer.Option("--content", help="公开内容：income_expense、assets、resources、"
                                                      "contracts、debts、subsidies、distribution、other，可重复；默认全部")] = None,
    channel: Annotated[str, typer.Option(help="网上公开地址（可选，二维码指向这里）")] = "",
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.add_board(led, cmds.AddBoard(name=name, location=location, cadence=cadence,
                                                    sections=tuple(content or ()), channel=channel))
    out.outcome(outcome, f"已登记公开栏：{outcome.id}" if out.lang == "zh" else f"board added: {outcome.id}")


@board_app.command("list", help="列出公开栏")
def board_list() -> None:
    out = output()
    with ledger() as led:
        led.catch_up()
        code = led.resolve_collective()
        rows = led.views.query("SELECT name, location, cadence, sections, channel FROM v_boards WHERE collective = ? ORDER BY name", (code,))
    if out.json:
        out.emit_json({"collective": code, "boards": [
            {"name": n, "location": loc, "cadence": c, "content": s.split(","), "channel": ch or None} for n, loc, c, s, ch in rows]})
        return
    from sanzi_ledger.domain.disclosures import SECTIONS

    out.table(f"{code} 公开栏" if out.lang == "zh" else f"{code} boards", ["name", "location", "cadence", "content", "channel"],
              [[n, loc, out.t(c), "、".join(SECTIONS[k] for k in s.split(",")), ch] for n, loc, c, s, ch in rows])


@disclose_app.command("draft", help="起草某一期的公开内容（期间须已结账），内容随即冻结")
def disclose_draft(
    board: Annotated[str, typer.Option(help="公开栏名称")], period: Annotated[str, typer.Option(help="YYYY-MM、YYYY-Qn 或 YYYY")],
    corrects: Annotated[str, typer.Option(help="更正公开：被更正的公开编号")] = "",
    other: Annotated[list[str] | None, typer.Option("--other", help="“其他”栏目的事项，可重复")] = None,
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.draft(led, cmds.DraftDisclosure(board=board, period=period, corrects=corrects, other=tuple(other or ())))
    out.outcome(outcome, f"已起草公开 {outcome.id}，请监督委员会审核" if out.lang == "zh" else f"drafted {outcome.id}")


@disclose_app.command("review", help="监督委员审核公开草稿（不能审核自己起草的）")
def disclose_review(
    draft: str, opinion: Annotated[str, typer.Option(help="审核意见")],
    approve: Annotated[bool, typer.Option("--approve/--reject", help="通过或否决")] = True,
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.review(led, cmds.ReviewDisclosure(number=draft, approved=approve, opinion=opinion))
    word = "通过" if approve else "否决"
    out.outcome(outcome, f"公开 {outcome.id} 审核{word}" if out.lang == "zh" else f"{outcome.id} {'approved' if approve else 'rejected'}")


@disclose_app.command("publish", help="发布已审核通过的公开：HTML、XLSX、CSV、PDF 与数据文件，附印章摘要")
def disclose_publish(
    draft: str, out_dir: Annotated[str, typer.Option("--out", help="输出文件夹")],
    key: Annotated[str, typer.Option("--key", envvar="SANZI_KEY", help="签名私钥文件（sanzi audit keygen 生成）；也可用 SANZI_KEY")] = "",
) -> None:
    out = output()
    with ledger() as led:
        outcome = cmds.publish(led, cmds.PublishDisclosure(number=draft, out=out_dir, key=key))
    digest = outcome.extra["digest"]
    out.outcome(outcome, (f"已发布 {outcome.id}：{out_dir}（{len(outcome.extra['files'])} 个文件）\n摘要 {digest}" if out.lang == "zh"
                          else f"published {outcome.id} to {out_dir}\ndigest {digest}"))


@disclose_app.command("status", help="各公开栏的应公开、逾期与已公开情况（定时）")
def disclose_status() -> None:
    out = output()
    with ledger() as led:
        rows = cmds.status(led)
        code = led.resolve_collective()
    labels = {"published": "按时公开", "published_late": "逾期后公开", "drafted": "已起草待公开", "due": "待公开", "overdue": "逾期未公开"}
    if out.json:
        out.emit_json({"collective": code, "items": [
            {"board": d.board, "period": d.period, "deadline": d.deadline.isoformat(), "state": d.state,
             "number": d.number or None, "published_on": d.published_on or None} for d in rows]})
        return
    out.table(f"{code} 公开情况" if out.lang == "zh" else f"{code} disclosure status",
              ["board", "month", "deadline", "status", "record_no", "published_on"],
              [[d.board, d.period, d.deadline.isoformat(), labels[d.state] if out.lang == "zh" else d.state, d.number, d.published_on]
               for d in rows])


@disclose_app.command("site", help="生成全部已公开内容的静态网站")
def disclose_site(out_dir: Annotated[str, typer.Option("--out", help="输出文件夹")]) -> None:
    out = output()
    with ledger() as led:
        index = cmds.build_site(led, out_dir)
    out.say(f"网站已生成：{index}" if out.lang == "zh" else f"site written: {index}")


@disclose_app.command("verify", help="核对一份公开文件或公开栏上的摘要是否与账本一致")
def disclose_verify(target: str) -> None:
    out = output()
    with ledger() as led:
        verdict = cmds.verify(led, target)
    if out.json:
        out.emit_json({"ok": verdict.matches, "number": verdict.number or None, "collective": verdict.collective or None,
                       "detail": verdict.detail})
    else:
        out.say(f"{'一致' if verdict.matches else '不一致'}：{verdict.number} {verdict.detail}")
    if not verdict.matches:
        raise typer.Exit(3)  # cli.md: 3 = integrity failure found
