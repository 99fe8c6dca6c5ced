"""audit open / finding / rectify / close / list / show / report: an audit's own record."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.audit import audit_app
from sanzi_ledger.cli.common import in_lang, ledger, output


@audit_app.command("open", help="立项：离任、任期或专项审计（审计人员）")
def audit_open(
    kind: Annotated[str, typer.Option("--kind", help="离任|任期|专项")],
    scope: Annotated[str, typer.Option("--scope", help="审计范围，如 2023-2025 年度财务收支及三资管理")],
    period_from: Annotated[str, typer.Option("--from", help="起始期间 YYYY-MM、YYYY-Qn 或 YYYY（默认建账月份）")] = "",
    period_to: Annotated[str, typer.Option("--to", help="截止期间（默认本月）")] = "",
    person: Annotated[str, typer.Option("--person", help="离任（任期）人员姓名；离任审计必填")] = "",
) -> None:
    from sanzi_ledger.commands import audits

    with ledger() as led:
        outcome = audits.open_audit(led, audits.OpenAudit(kind=kind, scope=scope, period_from=period_from,
                                                          period_to=period_to, person=person))
    output().outcome(outcome, in_lang(f"已立项审计 {outcome.id}", f"audit opened: {outcome.id}"))


@audit_app.command("finding", help="记录审计发现的问题，可关联预警（--flag）和凭证、台账编号或日志位置 @N（--event）")
def audit_finding(
    audit: Annotated[str, typer.Argument(help="审计编号，如 SJ-2025-001")],
    text: Annotated[str, typer.Option("--text", help="问题描述")],
    flag: Annotated[str, typer.Option("--flag", help="预警编号（须为当前存在的预警，见 audit flags）")] = "",
    event: Annotated[list[str] | None, typer.Option("--event", help="凭证号、合同/资产/租赁/债权债务/补助编号，或日志位置 @N；可重复")] = None,
    severity: Annotated[str, typer.Option("--severity", help="red|yellow（默认取预警的等级，否则 yellow）")] = "",
) -> None:
    from sanzi_ledger.commands import audits

    with ledger() as led:
        outcome = audits.record_finding(led, audits.RecordFinding(audit=audit, text=text, flag=flag,
                                                                  events=tuple(event or ()), severity=severity))
    output().outcome(outcome, in_lang(f"已记录审计发现 {outcome.id}", f"finding recorded: {outcome.id}"))


@audit_app.command("rectify", help="记录整改情况（会计、负责人或审计人员）")
def audit_rectify(
    finding: Annotated[str, typer.Argument(help="问题编号，如 SJ-2025-001-03")],
    text: Annotated[str, typer.Option("--text", help="整改说明")],
) -> None:
    from sanzi_ledger.commands import audits

    with ledger() as led:
        outcome = audits.rectify(led, audits.Rectify(finding=finding, text=text))
    output().outcome(outcome, in_lang(f"已记录整改 {outcome.id}", f"rectification recorded: {outcome.id}"))


@audit_app.command("close", help="结束审计并写明结论；未整改的问题在报告中列为“未整改”")
def audit_close(
    audit: Annotated[str, typer.Argument(help="审计编号")],
    conclusion: Annotated[str, typer.Option("--conclusion", help="审计结论")],
) -> None:
    from sanzi_ledger.commands import audits

    with ledger() as led:
        outcome = audits.close_audit(led, audits.CloseAudit(audit=audit, conclusion=conclusion))
    output().outcome(outcome, in_lang(f"审计 {outcome.id} 已结束", f"audit closed: {outcome.id}"))


@audit_app.command("list", help="列出本单位的审计")
def audit_list() -> None:
    from sanzi_ledger.commands import audits

    out = output()
    with ledger() as led:
        code, rows = audits.list_audits(led)
    keys = ("number", "kind", "scope", "from", "to", "person", "opened_by", "opened_on", "status", "findings",
            "open_findings", "closed_on")
    if out.json:
        out.emit_json({"collective": code, "audits": [dict(zip(keys, row, strict=True)) for row in rows]})
        return
    status = {"open": in_lang("进行中", "open"), "closed": in_lang("已结束", "closed")}
    heads = (["编号", "类型", "范围", "期间", "人员", "立项", "状态", "问题", "未整改"] if out.lang == "zh" else
             ["number", "kind", "scope", "period", "person", "opened", "status", "findings", "open"])
    out.table(in_lang(f"{code} 审计", f"{code} audits"), heads,
              [[n, k, s, f"{a}~{b}", p, f"{by} {on}", status.get(st, st), cnt, left]
               for n, k, s, a, b, p, by, on, st, cnt, left, _ in rows], right={7, 8})


@audit_app.command("show", help="显示一次审计：立项、发现的问题、整改、结论")
def audit_show(audit: Annotated[str, typer.Argument(help="审计编号")]) -> None:
    from sanzi_ledger.commands import audits
    from sanzi_ledger.domain.audits import FINDING_STATUS_ZH

    out = output()
    with ledger() as led:
        _, state = audits.load_audit(led, audit)
    opened, closed = state.opened, state.closed
    findings = [{
        "finding": f.recorded.finding, "severity": f.recorded.severity, "text": f.recorded.text,
        "flag": f.recorded.flag.model_dump() if f.recorded.flag else None,
        "references": [r.model_dump() for r in f.recorded.references], "recorded_by": f.recorded.operator,
        "recorded_on": f.recorded.recorded_on.isoformat(), "status": state.status(f),
        "rectifications": [{"text": r.text, "by": r.operator, "role": r.role, "on": r.rectified_on.isoformat()}
                           for r in f.rectifications],
    } for _, f in sorted(state.findings.items())]
    document = {
        "number": opened.number, "collective": opened.collective, "kind": opened.kind, "scope": opened.scope,
        "from": opened.period_from, "to": opened.period_to, "person": opened.person, "opened_by": opened.operator,
        "opened_on": opened.opened_on.isoformat(), "status": "closed" if closed else "open",
        "conclusion": closed.conclusion if closed else None, "closed_by": closed.operator if closed else None,
        "closed_on": closed.closed_on.isoformat() if closed else None,
        "open_at_close": list(closed.open_findings) if closed else None, "findings": findings,
    }
    if out.json:
        out.emit_json(document)
        return
    out.say(in_lang(f"审计 {opened.number}：{opened.kind}审计　范围：{opened.scope}　期间：{opened.period_from} 至 {opened.period_to}",
                f"audit {opened.number}: {opened.kind}, scope: {opened.scope}, {opened.period_from} to {opened.period_to}"))
    if opened.person:
        out.say(in_lang(f"人员：{opened.person}", f"person: {opened.person}"))
    out.say(in_lang(f"立项：{opened.operator} {opened.opened_on}", f"opened: {opened.operator} {opened.opened_on}"))
    heads = (["编号", "等级", "问题", "依据", "整改", "状态"] if out.lang == "zh" else
             ["finding", "severity", "text", "basis", "rectification", "status"])
    rows = []
    for f in findings:
        basis = [f"{f['flag']['id']} {f['flag']['title']}"] if f["flag"] else []
        basis += [r["ref"] for r in f["references"]]
        last = f["rectifications"][-1]["text"] if f["rectifications"] else ""
        state_word = FINDING_STATUS_ZH[f["status"]] if out.lang == "zh" else f["status"].replace("_", " ")
        rows.append([f["finding"], out.t(f["severity"]) if out.lang == "en" else {"red": "红", "yellow": "黄"}[f["severity"]],
                     f["text"], "；".join(basis), last, state_word])
    out.table(in_lang("发现的问题", "findings"), heads, rows)
    if closed:
        out.say(in_lang(f"结论（{closed.operator} {closed.closed_on}）：{closed.conclusion}",
                    f"conclusion ({closed.operator} {closed.closed_on}): {closed.conclusion}"))
        if closed.open_findings:
            out.say(in_lang(f"结束时未整改：{'、'.join(closed.open_findings)}", f"open at close: {', '.join(closed.open_findings)}"))
    else:
        out.say(in_lang("审计进行中", "audit in progress"))


@audit_app.command("report", help="生成审计报告：HTML（A4 打印）和 XLSX")
def audit_report(
    audit: Annotated[str, typer.Argument(help="审计编号")],
    out_dir: Annotated[str, typer.Option("--out", help="输出文件夹")],
) -> None:
    from sanzi_ledger.commands import audits

    out = output()
    with ledger() as led:
        paths = audits.write_report(led, audit, out_dir)
    if out.json:
        out.emit_json({"ok": True, "id": paths[0].stem, "files": [str(p) for p in paths]})
        return
    for path in paths:
        out.say(in_lang(f"已生成 {path}", f"written: {path}"))
