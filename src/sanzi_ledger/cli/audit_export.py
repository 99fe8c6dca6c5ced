"""audit export: the evidence bundle (commands/evidence.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.audit import audit_app
from sanzi_ledger.cli.common import ledger


@audit_app.command("export", help="导出证据包（.zip）：全部事件及哈希链、印章、公钥、公开表、预警、审计记录，附只用 Python 标准库的核验脚本")
def audit_export(out_file: Annotated[str, typer.Option("--out", help="证据包文件（.zip；已存在则拒绝）")]) -> None:
    from sanzi_ledger.cli.main import OUT
    from sanzi_ledger.commands.evidence import export_bundle

    with ledger() as led:
        done = export_bundle(led, out_file)
    if OUT.json:
        OUT.emit_json({"ok": done.chain_ok, "out": str(done.path), "events": done.events, "head": done.head,
                       "seals": done.seals, "disclosures": done.disclosures, "flags": done.flags, "audits": done.audits})
    elif OUT.lang == "en":
        OUT.say(f"evidence bundle {done.path}: {done.events} events (head {done.head[:16]}), {done.seals} seals, "
                f"{done.disclosures} disclosures, {done.flags} flags, {done.audits} audits. "
                f"Check it anywhere with: python3 verify.py {done.path.name} (verify.py is inside the bundle)")
    else:
        OUT.say(f"证据包 {done.path}：{done.events} 个事件（链头 {done.head[:16]}），{done.seals} 个印章，"
                f"{done.disclosures} 份公开表，{done.flags} 条预警，{done.audits} 次审计。"
                f"解压后在任何电脑上运行 python3 verify.py {done.path.name} 即可核验（只需 Python 标准库）")
    if not done.chain_ok:
        OUT.warn("账本的哈希链校验未通过：证据包照实导出，请运行 sanzi audit verify 查看" if OUT.lang == "zh"
                 else "the ledger's chain does not verify: the bundle holds it as it is; run sanzi audit verify")
        raise typer.Exit(3)
