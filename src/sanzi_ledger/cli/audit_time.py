"""audit replay / history: the log replayed, and one record's whole story."""

from __future__ import annotations

from typing import Annotated

import typer

from sanzi_ledger.cli.audit import audit_app
from sanzi_ledger.cli.common import ledger, output


@audit_app.command("replay", help="从第一个事件起在临时库中重建全部视图，逐表与现有视图比较；不一致时列出差异（退出码 3）")
def audit_replay(
    repair: Annotated[bool, typer.Option("--repair", help="不一致时丢弃现有视图，从第一个事件重建（只重建视图，不动事件）")] = False,
) -> None:
    from sanzi_ledger.commands.replay import replay

    out = output()
    with ledger() as led:
        result = replay(led)
        repaired = repair and not result.ok
        if repaired:
            led.projector.rebuild()
    if out.json:
        out.emit_json({"ok": result.ok, "events": result.events, "tables": result.tables, "repaired": repaired,
                       "differences": [_difference_json(d) for d in result.differences]})
    elif result.ok:
        out.say(f"一致：重放日志 {result.events} 个位置，{result.tables} 张视图表与现有视图完全相同" if out.lang == "zh"
                else f"identical: {result.tables} view tables replayed from {result.events} log positions match the live views")
    else:
        out.warn(f"不一致：重放日志 {result.events} 个位置后，{len(result.differences)} 张视图表与现有视图不同"
                 "（视图不在哈希链保护范围内，可能被直接改动；以重放结果为准）" if out.lang == "zh"
                 else f"differences: {len(result.differences)} view tables differ from a replay of {result.events} log positions")
        for difference in result.differences:
            for line in _difference_lines(difference, out.lang):
                out.warn(line)
    if repaired and not out.json:
        out.warn("已丢弃现有视图并从第一个事件重建；再运行 sanzi audit replay 应当一致" if out.lang == "zh"
                 else "the views were dropped and rebuilt from the first event; `sanzi audit replay` should now agree")
    if not result.ok:
        raise typer.Exit(3)  # also after a repair: what was found stays a finding


def _row_text(columns: tuple[str, ...], row: tuple) -> str:
    return "，".join(f"{c}={v}" for c, v in zip(columns, row, strict=False))


def _difference_lines(d, lang: str) -> list[str]:
    zh = lang == "zh"
    if d.table_missing:
        return [f"  {d.table}：整张表不存在（重放应有 {d.missing} 行）" if zh else f"  {d.table}: the table is gone ({d.missing} rows expected)"]
    lines = [f"  {d.table}：缺少 {d.missing} 行，多出 {d.extra} 行" if zh else f"  {d.table}: {d.missing} rows missing, {d.extra} extra"]
    paired_live = {id(c.live) for c in d.changed}
    paired_replayed = {id(c.replayed) for c in d.changed}
    for change in d.changed:
        same = tuple(i for i in range(len(d.columns)) if i not in change.columns)
        key = "，".join(f"{d.columns[i]}={change.replayed[i]}" for i in same[:4])
        what = "；".join(f"{d.columns[i]} 现为 {change.live[i]}，重放应为 {change.replayed[i]}" if zh
                        else f"{d.columns[i]} is {change.live[i]}, replay gives {change.replayed[i]}" for i in change.columns)
        lines.append(f"    改动的行（{key}）：{what}" if zh else f"    changed row ({key}): {what}")
    lines += [(f"    多出的行：{_row_text(d.columns, r)}" if zh else f"    extra row: {_row_text(d.columns, r)}")
              for r in d.extra_rows if id(r) not in paired_live]
    lines += [(f"    缺少的行：{_row_text(d.columns, r)}" if zh else f"    missing row: {_row_text(d.columns, r)}")
              for r in d.missing_rows if id(r) not in paired_replayed]
    shown = len(d.extra_rows) + len(d.missing_rows)
    if d.missing + d.extra > shown:
        lines.append(f"    ……另有 {d.missing + d.extra - shown} 行未列出" if zh else f"    ... {d.missing + d.extra - shown} more rows not shown")
    return lines


def _difference_json(d) -> dict:
    def named(row: tuple) -> dict:
        return dict(zip(d.columns, row, strict=False))

    return {
        "table": d.table, "table_missing": d.table_missing, "missing": d.missing, "extra": d.extra,
        "missing_rows": [named(r) for r in d.missing_rows], "extra_rows": [named(r) for r in d.extra_rows],
        "changed": [{"replayed": named(c.replayed), "live": named(c.live), "columns": [d.columns[i] for i in c.columns]}
                    for c in d.changed],
    }


# -- history ----------------------------------------------------------------------------------------
KIND_NAMES = {"voucher": ("凭证", "voucher"), "contract": ("合同", "contract"), "asset": ("资产", "asset"),
              "resource": ("资源", "resource"), "lease": ("租赁", "lease"), "debt": ("债权债务", "debt"),
              "subsidy": ("补助", "subsidy")}
EVENT_NAMES = {
    "voucher.Posted.v1": ("记账", "posted"), "voucher.Reversed.v1": ("被红字冲销", "reversed"),
    "contract.Signed.v1": ("签订合同", "contract signed"), "contract.Settled.v1": ("合同收付款", "contract settled"),
    "contract.Amended.v1": ("变更合同", "contract amended"), "contract.Terminated.v1": ("终止合同", "contract terminated"),
    "contract.Reviewed.v1": ("清理合同", "contract reviewed"),
    "asset.Added.v1": ("登记资产", "asset added"), "asset.Disposed.v1": ("处置资产", "asset disposed"),
    "resource.Added.v1": ("登记资源", "resource added"), "item.Leased.v1": ("出租（发包）", "leased out"),
    "item.Released.v1": ("租期结束，收回", "released"),
    "lease.Signed.v1": ("签订租赁", "lease signed"), "lease.Collected.v1": ("收取租金", "rent collected"),
    "lease.Ended.v1": ("终止租赁", "lease ended"),
    "debt.Added.v1": ("登记债权债务", "debt added"), "debt.Settled.v1": ("收回或偿还", "debt settled"),
    "debt.WrittenOff.v1": ("核销", "written off"),
    "subsidy.Received.v1": ("收到补助资金", "subsidy received"), "subsidy.Spent.v1": ("补助资金支出", "subsidy spent"),
    "subsidy.Returned.v1": ("退回补助资金", "subsidy returned"),
}
# Field labels the refusal messages do not already name (messages.FIELD_NAMES_ZH).
FIELD_LABELS_ZH = {
    "signed_on": "签订日期", "value": "原值", "total": "应收租金合计", "earmarked": "专项", "purposes": "用途",
    "month": "期间", "item_kind": "出租物", "item_type": "类型", "schedule": "收付款计划", "voucher": "凭证",
    "reverses": "冲销凭证", "reversed_by": "被冲销于", "lease": "租赁", "source": "来源", "lines": "分录",
}
_ID_FIELDS = frozenset({"party_id", "lessee_id"})
_ENUM_FIELDS = frozenset({"direction", "kind", "side"})
VALUE_NAMES_ZH = {"per": {"year": "每年", "quarter": "每季", "month": "每月", "term": "整个租期"},
                  "item_kind": {"asset": "资产", "resource": "资源"}, "via": {"bank": "银行", "cash": "现金"}}


def _label(name: str, lang: str) -> str:
    from sanzi_ledger.messages import FIELD_NAMES_ZH

    base = name.removesuffix("_fen").removesuffix("_cmu")
    if lang == "en":
        return base.replace("_", " ")
    return FIELD_LABELS_ZH.get(base) or FIELD_NAMES_ZH.get(base) or base


def _value(name: str, value, out, *, as_json: bool) -> str:
    from datetime import date

    from sanzi_ledger.cli.render import yuan
    from sanzi_ledger.domain.assets import format_area
    from sanzi_ledger.identifiers import mask_id
    from sanzi_ledger.money import format_yuan

    money = yuan if as_json else format_yuan
    if name.endswith("_fen"):
        return money(value)
    if name.endswith("_cmu"):
        return format_area(value) if as_json else f"{format_area(value)} 亩" if out.lang == "zh" else f"{format_area(value)} mu"
    if name in _ID_FIELDS:
        return mask_id(str(value))  # identifiers are never shown whole (domain.md §3)
    if name == "schedule":
        return "；".join(f"{i.due.isoformat()} {money(i.amount_fen)}" for i in value)
    if name == "lines":
        return "；".join(f"{out.t('D' if l.side == 'debit' else 'C')} {l.account} {money(l.amount_fen)}" for l in value)
    if isinstance(value, bool):
        return ("是" if value else "否") if out.lang == "zh" else ("yes" if value else "no")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    if name in _ENUM_FIELDS and not as_json:
        return out.t(str(value))
    if name in VALUE_NAMES_ZH and out.lang == "zh" and not as_json:
        return VALUE_NAMES_ZH[name].get(str(value), str(value))
    return str(value)


def _reference(name: str, value: str, out) -> str:
    if name == "source" and ":" in value:  # "lease:ZL-01" -> 租赁 ZL-01
        kind, _, number = value.partition(":")
        names = KIND_NAMES.get("asset" if kind == "item" else kind)
        return f"{names[0] if out.lang == 'zh' else names[1]} {number}" if names else value
    return value


@audit_app.command("history", help="一张凭证或一条台账记录（合同、资产、资源、租赁、债权债务、补助）的全部事件，按日志顺序")
def audit_history(number: str) -> None:
    from sanzi_ledger.commands.history import backdate_days, history

    out = output()
    with ledger() as led:
        code, records = history(led, number)
    late_max = backdate_days()
    if out.json:
        out.emit_json({"collective": code, "number": number.strip(), "backdate_days": late_max,
                       "records": [_record_json(r, out) for r in records]})
        return
    zh = out.lang == "zh"
    for record in records:
        kind = KIND_NAMES[record.kind][0 if zh else 1]
        out.say(f"{code} {kind} {record.number}：{len(record.entries)} 个事件（按日志顺序；补记 = 业务日期早于记录日期超过 {late_max} 天）"
                if zh else f"{code} {kind} {record.number}: {len(record.entries)} events in log order")
        for entry in record.entries:
            out.say(_entry_text(entry, f"{kind} {record.number}", late_max, out))
        if record.vouchers:
            out.say(f"{kind} {record.number} 生成的凭证：" if zh else f"vouchers posted by {kind} {record.number}:")
            for v in record.vouchers:
                lines = "；".join(f"{out.t('D' if s == 'debit' else 'C')} {a} {_value('amount_fen', f, out, as_json=False)}"
                                 for a, s, f in v.lines)
                reversal = (f"（已被 {v.reversed_by} 红字冲销）" if zh else f" (reversed by {v.reversed_by})") if v.reversed_by else ""
                out.say(f"  {v.number}  {v.date.isoformat()}  {v.summary}  {lines}{reversal}")


def _entry_text(entry, record: str, late_max: int, out) -> str:
    from sanzi_ledger.commands.ledger import CHINA

    zh = out.lang == "zh"
    what = EVENT_NAMES.get(entry.topic, (entry.topic, entry.topic))[0 if zh else 1]
    recorded = entry.recorded_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")
    business = entry.business_date.isoformat() if entry.business_date else "—"
    head = (f"#{entry.position}  记录于 {recorded}（北京时间）  业务日期 {business}  操作员 {entry.operator}  {record} {what}"
            if zh else f"#{entry.position}  recorded {recorded} Beijing  business date {business}  by {entry.operator}  {record} {what}")
    lines = [("【补记】" if zh else "[BACKDATED] ") + head if entry.backdated else head]
    changes = []
    for change in entry.changes:
        value = _value(change.field, change.value, out, as_json=False)
        if change.previous is not None:
            value = f"{_value(change.field, change.previous, out, as_json=False)} → {value}"
        changes.append(f"{_label(change.field, out.lang)} {value}")
    if changes:
        lines.append("    " + ("；" if zh else "; ").join(changes))
    if entry.references:
        refs = ("；" if zh else "; ").join(f"{_label(n, out.lang)} {_reference(n, v, out)}" for n, v in entry.references)
        lines.append(("    关联：" if zh else "    refers to: ") + refs)
    if entry.backdated:
        lines.append(f"    补记：业务日期比记录日期早 {entry.days_late} 天（超过 {late_max} 天）" if zh
                     else f"    back-dated: business date {entry.days_late} days before the day recorded (more than {late_max})")
    return "\n".join(lines)


def _record_json(record, out) -> dict:
    def change(c) -> dict:
        item = {"field": c.field, "value": _value(c.field, c.value, out, as_json=True)}
        if c.previous is not None:
            item["previous"] = _value(c.field, c.previous, out, as_json=True)
        return item

    from sanzi_ledger.cli.render import yuan
    from sanzi_ledger.commands.ledger import CHINA

    return {
        "kind": record.kind, "number": record.number,
        "events": [{
            "position": e.position, "topic": e.topic, "event": EVENT_NAMES.get(e.topic, (e.topic, e.topic))[0],
            "recorded_at": e.recorded_at.astimezone(CHINA).isoformat(), "business_date": e.business_date.isoformat() if e.business_date else None,
            "operator": e.operator, "changes": [change(c) for c in e.changes],
            "references": {n: v for n, v in e.references}, "days_late": e.days_late, "backdated": e.backdated,
        } for e in record.entries],
        "vouchers": [{"number": v.number, "date": v.date.isoformat(), "summary": v.summary, "kind": v.kind,
                      "lines": [{"account": a, "side": s, "amount": yuan(f)} for a, s, f in v.lines],
                      "reversed_by": v.reversed_by or None} for v in record.vouchers],
    }
