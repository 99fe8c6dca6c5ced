"""audit keygen / keys / seal / verify: signing keys, seals, and the verification of the whole history."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.audit import audit_app
from sanzi_ledger.cli.common import in_lang, ledger, output

KEY_HELP = "签名私钥文件（PEM，由 sanzi audit keygen 生成）；也可用环境变量 SANZI_KEY"
KeyOption = Annotated[str, typer.Option("--key", envvar="SANZI_KEY", help=KEY_HELP)]




@audit_app.command("keygen", help="为操作员生成 Ed25519 签名密钥：私钥写入文件（仅本人可读），公钥登记在账本")
def audit_keygen(out_file: Annotated[str, typer.Option("--out", help="私钥文件路径（已存在则拒绝，不会覆盖）")]) -> None:
    from sanzi_ledger.commands import seals

    with ledger() as led:
        outcome = seals.generate_key(led, seals.GenerateKey(out=out_file))
    output().outcome(outcome, in_lang(
        f"已生成签名密钥 {outcome.id}：私钥写入 {out_file}（仅本人可读，请自己保管，不要留在记账电脑的共享目录里）；"
        f"公钥已登记在账本（日志位置 {outcome.position}）",
        f"signing key {outcome.id}: private key written to {out_file} (readable by you only); "
        f"public key recorded at log position {outcome.position}"))


@audit_app.command("keys", help="列出本集体成员登记的签名密钥（最后一把是现用的）")
def audit_keys() -> None:
    from sanzi_ledger.commands import seals

    out = output()
    with ledger() as led:
        rows = seals.registered_keys(led)
        code = led.resolve_collective()
    last = {member: index for member, index, _ in rows}
    if out.json:
        out.emit_json({"collective": code, "keys": [
            {"member": m, "key_id": k, "current": last[m] == i} for m, i, k in rows]})
        return
    out.table(in_lang(f"{code} 签名密钥", f"{code} signing keys"), ["operator", "record_no", "status"],
              [[m, k, in_lang("现用", "current") if last[m] == i else in_lang("已更换（此前所签仍有效）", "replaced")] for m, i, k in rows])


@audit_app.command("seal", help="盖印章：记下此刻的哈希链位置和链头（可用 --key 签名），打印印章短码供抄在账本之外")
def audit_seal(
    key: KeyOption = "",
    note: Annotated[str, typer.Option("--note", help="说明，如 乡镇农经站 2025 年第一季度检查")] = "",
) -> None:
    from sanzi_ledger.commands import seals

    with ledger() as led:
        outcome = seals.take_seal(led, seals.TakeSeal(key=key, note=note))
    extra = outcome.extra
    signed = in_lang(f"，签名密钥 {extra['key_id']}", f", signed with key {extra['key_id']}") if extra["key_id"] else in_lang("，未签名", ", unsigned")
    output().outcome(outcome, in_lang(
        f"印章 {outcome.id}：{extra['seal']}{signed}（日志位置 {outcome.position}）\n"
        f"请把“{extra['seal']}”抄在账本之外；以后可用 sanzi audit verify --seal {extra['seal']} 核对",
        f"seal {outcome.id}: {extra['seal']}{signed} (log position {outcome.position})\n"
        f"keep '{extra['seal']}' outside the machine; check it later with `sanzi audit verify --seal {extra['seal']}`"))


@audit_app.command("verify", help="从头重算哈希链，核对每个印章、签名和已公开的表；可用 --seal 核对抄在账本之外的印章。"
                                  "发现问题时指出第一个出错的位置（退出码 3）")
def audit_verify(
    seal: Annotated[list[str] | None, typer.Option("--seal", help="账本之外保存的印章 位置:链头（至少 16 位十六进制），可重复")] = None,
) -> None:
    from sanzi_ledger.commands import verification

    out = output()
    external = tuple(verification.parse_external(text) for text in seal or ())
    with ledger() as led:
        report = verification.verify(led, external)
    chain = report.chain
    if out.json:
        out.emit_json({
            "ok": report.ok, "events": chain.events, "head": chain.head, "first_bad_position": report.first_bad_position,
            "seals": report.seals, "signatures": report.signatures, "disclosures": report.disclosures,
            "external_seals": report.external,
            "problems": [{"position": p.position, "kind": p.kind, "message": p.message(out.lang)} for p in report.problems],
        })
    else:
        lines = [
            in_lang(f"哈希链：{'完好' if chain.ok else '有问题'}，{chain.events} 个事件，链头 {chain.head}",
                f"hash chain: {'intact' if chain.ok else 'BROKEN'}, {chain.events} events, head {chain.head}"),
            in_lang(f"印章：{report.seals} 个成立", f"seals: {report.seals} hold"),
            in_lang(f"签名：{report.signatures} 个成立", f"signatures: {report.signatures} verify"),
            in_lang(f"公开表：{report.disclosures} 份与按当时的账重新生成的一致", f"disclosures: {report.disclosures} match their rebuild"),
        ]
        if external:
            lines.append(in_lang(f"外部印章：{report.external} 个仍在链上", f"external seals: {report.external} still on the chain"))
        out.say("\n".join(lines))
        if report.ok:
            out.say(in_lang(f"完整：{chain.events} 个事件，哈希链头 {chain.head}", f"intact: {chain.events} events, chain head {chain.head}"))
        else:
            first = report.problems[0]
            out.warn(in_lang(f"完整性校验失败：第 {first.position} 个位置：{first.zh}（共 {len(report.problems)} 个问题）",
                         f"integrity failure at position {first.position}: {first.en} ({len(report.problems)} problems)"))
            for problem in report.problems[1:]:
                out.warn(in_lang(f"  第 {problem.position} 个位置：{problem.zh}", f"  position {problem.position}: {problem.en}"))
    if not report.ok:
        raise typer.Exit(3)
