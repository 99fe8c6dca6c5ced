"""audit flags / audit rules: the warning rules over the books and registers, and their catalogue."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.audit import audit_app
from sanzi_ledger.cli.common import in_lang, ledger, output

SEVERITY_ZH = {"red": "红", "yellow": "黄", "yellow/red": "黄/红"}




@audit_app.command("flags", help="预警：按规则检查账簿和台账，列出红色、黄色预警（有预警也返回 0）")
def audit_flags(
    period: Annotated[str, typer.Option("--period", help="期间 YYYY-MM、YYYY-Qn 或 YYYY：只列该期间发生的事项，状态按期末评估")] = "",
    severity: Annotated[str, typer.Option("--severity", help="red|yellow：只列这一级")] = "",
    rule_id: Annotated[str, typer.Option("--rule", help="规则编号，如 R01（见 audit rules）")] = "",
    day: Annotated[str, typer.Option("--date", help="评估日期 YYYY-MM-DD（默认今天）")] = "",
) -> None:
    from sanzi_ledger.errors import Refusal
    from sanzi_ledger.periods import parse_date, parse_period
    from sanzi_ledger.rules import CATALOGUE, evaluate
    from sanzi_ledger.rules.engine import SEVERITIES

    out = output()
    chosen = parse_period(period) if period.strip() else None
    if severity and severity not in SEVERITIES:
        raise Refusal("flags.severity", field="severity", value=severity, allowed="|".join(SEVERITIES))
    rule_id = rule_id.strip().upper()
    if rule_id and rule_id not in CATALOGUE:
        raise Refusal("flags.rule_unknown", field="rule", value=rule_id, known=", ".join(CATALOGUE))
    with ledger() as led:
        led.catch_up()
        code = led.resolve_collective()
        today = parse_date(day, field="date") if day.strip() else led.today()
        found = [f for f in evaluate(led.views, code, today=today, period=chosen)
                 if (not severity or f.severity == severity) and (not rule_id or f.rule == rule_id)]
    if out.json:
        out.emit_json({"collective": code, "today": today.isoformat(), "period": chosen.label if chosen else None, "flags": [
            {"id": f.id, "rule": f.rule, "severity": f.severity, "collective": f.collective, "subject": f.subject,
             "title": f.title, "explanation": f.explanation, "refs": list(f.refs),
             "since": f.since.isoformat() if f.since else None} for f in found]})
        return
    heading = f"{code} 预警（{today.isoformat()}" + (f"，{chosen.label}" if chosen else "") + "）"
    out.table(in_lang(heading, f"{code} flags ({today.isoformat()}{', ' + chosen.label if chosen else ''})"),
              [in_lang("级别", "severity"), in_lang("规则", "rule"), in_lang("对象", "subject"), in_lang("说明", "explanation"), in_lang("涉及", "refs")],
              [[in_lang(SEVERITY_ZH[f.severity], f.severity), f"{f.rule} {f.title}", f.subject, f.explanation, " ".join(f.refs)]
               for f in found])
    red = sum(f.severity == "red" for f in found)
    out.say(in_lang(f"红色 {red} 条，黄色 {len(found) - red} 条", f"red {red}, yellow {len(found) - red}"))


@audit_app.command("rules", help="预警规则目录及现行阈值（rules.toml，可用 SANZI_CONFIG 覆盖）")
def audit_rules() -> None:
    import os

    from sanzi_ledger.config import load_rules
    from sanzi_ledger.rules import CATALOGUE
    from sanzi_ledger.rules.engine import threshold_values

    out = output()
    rules = load_rules()
    entries = [(entry, threshold_values(entry, rules)) for entry in CATALOGUE.values()]
    config = os.environ.get("SANZI_CONFIG") or None
    if out.json:
        out.emit_json({"config": config, "rules": [
            {"id": e.id, "severity": e.severity, "title": e.title, "thresholds": values, "basis": e.basis}
            for e, values in entries]})
        return
    out.table(in_lang("预警规则", "warning rules") + (f"（{config}）" if config else ""),
              [in_lang("规则", "rule"), in_lang("级别", "severity"), in_lang("名称", "title"), in_lang("阈值", "thresholds"), in_lang("依据", "basis")],
              [[e.id, in_lang(SEVERITY_ZH[e.severity], e.severity), e.title,
                "；".join(f"{k.split('.', 1)[1]} = {v}" for k, v in values.items()), e.basis] for e, values in entries])
