"""contract, asset, resource, lease, debt, subsidy: the 三资 registers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from sanzi_ledger.cli.as_of import RecordedAsOf, reading
from sanzi_ledger.cli.common import ledger, output
from sanzi_ledger.cli.files import with_xlsx
from sanzi_ledger.cli.render import yuan
from sanzi_ledger.commands import registers as cmds
from sanzi_ledger.domain.assets import format_area, parse_area
from sanzi_ledger.domain.schedules import Instalment
from sanzi_ledger.errors import Refusal
from sanzi_ledger.identifiers import mask_id
from sanzi_ledger.money import format_yuan, parse_positive_yuan, parse_yuan
from sanzi_ledger.periods import parse_date, parse_period
from sanzi_ledger.projections import register_reports as reports

contract_app = typer.Typer(help="合同台账", no_args_is_help=True)
asset_app = typer.Typer(help="资产台账", no_args_is_help=True)
resource_app = typer.Typer(help="资源台账", no_args_is_help=True)
lease_app = typer.Typer(help="租赁（出租、发包）台账", no_args_is_help=True)
debt_app = typer.Typer(help="债权债务台账", no_args_is_help=True)
subsidy_app = typer.Typer(help="补助资金台账", no_args_is_help=True)

Via = Annotated[str, typer.Option("--via", help="bank（银行）、cash（现金）或科目代码")]
Amount = Annotated[str, typer.Option("--amount", help="金额（元）")]
Day = Annotated[str, typer.Option("--date", help="日期 YYYY-MM-DD")]
Dues = Annotated[list[str] | None, typer.Option("--due", help="计划 日期=金额，可重复")]
AsOf = Annotated[str | None, typer.Option("--date", help="按哪一天统计（默认今天）")]


def register(app: typer.Typer) -> None:
    for name, sub in (("contract", contract_app), ("asset", asset_app), ("resource", resource_app),
                      ("lease", lease_app), ("debt", debt_app), ("subsidy", subsidy_app)):
        app.add_typer(sub, name=name)



def _amount(text: str, record: str, field: str = "amount") -> int:
    return parse_positive_yuan(text, field=field, record=record)


def _dues(dues: list[str] | None, record: str) -> tuple[Instalment, ...]:
    items = []
    for index, entry in enumerate(dues or [], start=1):
        field = f"due[{index}]"
        day, sep, amount = entry.partition("=")
        if not sep:
            raise Refusal("schedule.entry_format", field=field, value=entry, record=record)
        items.append(Instalment(due=parse_date(day, field=field, record=record), amount_fen=_amount(amount, record, field)))
    return tuple(items)


def _via_or_none(via: str) -> str | None:
    return None if via == "none" else via


def _done(outcome, zh: str, en: str) -> None:
    out = output()
    voucher = f"，凭证 {outcome.voucher}" if outcome.voucher else ""
    out.outcome(outcome, (zh + voucher) if out.lang == "zh" else (en + (f", voucher {outcome.voucher}" if outcome.voucher else "")))


def _as_of(text: str | None, led) -> date:
    return parse_date(text) if text else led.today()


# -- contracts -----------------------------------------------------------------
@contract_app.command("sign", help="签订（登记）合同")
def contract_sign(
    number: str,
    kind: Annotated[str, typer.Option(help="发包、承包、租赁、出让、工程、购销、服务、借款、其他")],
    party: Annotated[str, typer.Option(help="对方名称")],
    amount: Amount,
    start: Annotated[str, typer.Option(help="起始日期")],
    end: Annotated[str, typer.Option(help="终止日期")],
    party_id: Annotated[str, typer.Option("--party-id", help="对方身份证号或统一社会信用代码")] = "",
    due: Dues = None,
    subject: Annotated[str, typer.Option(help="标的")] = "",
    method: Annotated[str, typer.Option(help="公开招标、邀请招标、竞价、竞争性谈判、询价、协商、其他")] = "",
    resolution: Annotated[str, typer.Option(help="村民（代表）会议决议文号")] = "",
    direction: Annotated[str | None, typer.Option(help="income（收款）或 expense（付款）；购销、借款、其他须写")] = None,
    signed: Annotated[str | None, typer.Option("--date", help="签订日期（默认为起始日期；起始日期在今后时为今天）")] = None,
) -> None:
    record = f"合同 {number}"
    command = cmds.SignContract(
        number=number, kind=kind, direction=direction, party=party, party_id=party_id,
        amount_fen=_amount(amount, record), start=parse_date(start, field="start", record=record),
        end=parse_date(end, field="end", record=record), schedule=_dues(due, record), subject=subject,
        method=method, resolution=resolution, signed_on=parse_date(signed, record=record) if signed else None)
    with ledger() as led:
        outcome = cmds.sign_contract(led, command)
    _done(outcome, f"已登记合同 {outcome.id}", f"contract {outcome.id} signed")


def _settle(number: str, amount: str, day: str, via: str, account: str | None, direction: str) -> None:
    record = f"合同 {number}"
    command = cmds.SettleContract(number=number, direction=direction, amount_fen=_amount(amount, record),
                                  day=parse_date(day, record=record), via=via, account=account)
    with ledger() as led:
        outcome = cmds.settle_contract(led, command)
    word = "收款" if direction == "income" else "付款"
    _done(outcome, f"合同 {outcome.id} {word} {format_yuan(command.amount_fen)} 元", f"contract {outcome.id}: {direction} recorded")


@contract_app.command("collect", help="合同收款（自动生成凭证）")
def contract_collect(number: str, amount: Amount, day: Day, via: Via = "bank",
                     account: Annotated[str | None, typer.Option(help="贷方科目（默认按合同类别）")] = None) -> None:
    _settle(number, amount, day, via, account, "income")


@contract_app.command("pay", help="合同付款（自动生成凭证）")
def contract_pay(number: str, amount: Amount, day: Day, via: Via = "bank",
                 account: Annotated[str | None, typer.Option(help="借方科目（默认按合同类别）")] = None) -> None:
    _settle(number, amount, day, via, account, "expense")


@contract_app.command("amend", help="变更合同（原条款保留在历史中）")
def contract_amend(
    number: str, reason: Annotated[str, typer.Option(help="变更原因")],
    amount: Annotated[str | None, typer.Option(help="新金额")] = None,
    end: Annotated[str | None, typer.Option(help="新终止日期")] = None, due: Dues = None,
    resolution: Annotated[str, typer.Option(help="决议文号")] = "",
) -> None:
    record = f"合同 {number}"
    command = cmds.AmendContract(
        number=number, amount_fen=_amount(amount, record) if amount else None,
        end=parse_date(end, field="end", record=record) if end else None, schedule=_dues(due, record),
        reason=reason, resolution=resolution)
    with ledger() as led:
        outcome = cmds.amend_contract(led, command)
    _done(outcome, f"合同 {outcome.id} 已变更", f"contract {outcome.id} amended")


@contract_app.command("terminate", help="终止合同（--date 为合同的最后一天）")
def contract_terminate(number: str, day: Day, reason: Annotated[str, typer.Option(help="终止原因")]) -> None:
    with ledger() as led:
        outcome = cmds.terminate_contract(led, cmds.TerminateContract(
            number=number, day=parse_date(day, record=f"合同 {number}"), reason=reason))
    _done(outcome, f"合同 {outcome.id} 已终止", f"contract {outcome.id} terminated")


@contract_app.command("review", help="清理合同：记录清理结论")
def contract_review(number: str, result: Annotated[str, typer.Option(help="规范、程序不规范、显失公平、期限不当、已到期、口头合同、拖欠")],
                    note: Annotated[str, typer.Option(help="说明")] = "") -> None:
    with ledger() as led:
        outcome = cmds.review_contract(led, cmds.ReviewContract(number=number, result=result, note=note))
    _done(outcome, f"合同 {outcome.id} 清理结论：{result}", f"contract {outcome.id} reviewed: {result}")


STATUSES = ("active", "expired", "overdue", "terminated")


def _scheduled_rows(fetch, status: str | None, within_days: int | None, as_of: str | None,
                   recorded: str | None) -> tuple[str, date, list]:
    """Contracts or leases as of a day, filtered by status and by end within N days."""
    if status and status not in STATUSES:
        raise Refusal("register.status", field="status", value=status, allowed="|".join(STATUSES))
    with reading(recorded) as led:
        code = led.resolve_collective()
        day = _as_of(as_of, led)
        rows = fetch(led.views, code, day)
    if status:
        rows = [r for r in rows if r.status == status]
    if within_days is not None:
        rows = reports.expiring_within(rows, day, within_days)
    return code, day, rows


@contract_app.command("list", help="合同台账：已收付、下次应收付、欠款、状态")
@with_xlsx
def contract_list(
    status: Annotated[str | None, typer.Option(help="active|expired|overdue|terminated")] = None,
    due_within: Annotated[int | None, typer.Option("--due-within", help="N 天内到期")] = None, as_of: AsOf = None,
    recorded: RecordedAsOf = None,
) -> None:
    out = output()
    code, day, rows = _scheduled_rows(reports.contracts, status, due_within, as_of, recorded)
    if out.json:
        out.emit_json({"collective": code, "date": day.isoformat(), "contracts": [{
            "number": r.number, "kind": r.kind, "direction": r.direction, "party": r.party,
            "party_id": mask_id(r.party_id) if r.party_id else None, "amount": yuan(r.amount_fen), "start": r.start,
            "end": r.end, "settled": yuan(r.settled_fen), "next_due": r.next_due.isoformat() if r.next_due else None,
            "next_due_amount": yuan(r.next_due_fen), "arrears": yuan(r.arrears_fen), "days_overdue": r.days_overdue,
            "status": r.status, "review": r.last_review or None} for r in rows]})
        return
    out.table(f"{code} 合同台账（{day}）" if out.lang == "zh" else f"{code} contracts ({day})",
              ["record_no", "kind", "party", "amount", "settled", "next_due", "arrears", "status"],
              [[r.number, r.kind, r.party, format_yuan(r.amount_fen), format_yuan(r.settled_fen),
                f"{r.next_due} {format_yuan(r.next_due_fen)}" if r.next_due else "", out.money(r.arrears_fen),
                out.t(r.status)] for r in rows], right={3, 4, 6})


def _history(led, code: str, record: str) -> list[tuple]:
    return reports.moves(led.views, code, record)


@contract_app.command("show", help="显示一份合同及其收付记录")
def contract_show(number: str, as_of: AsOf = None, recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        day = _as_of(as_of, led)
        row = next((r for r in reports.contracts(led.views, code, day) if r.number == number), None)
        if row is None:
            raise Refusal("contract.unknown", field="number", value=number, record=code)
        schedule = led.views.query("SELECT due, amount_fen FROM v_schedules WHERE collective = ? AND record = ? ORDER BY seq",
                                   (code, f"contract:{number}"))
        moves = _history(led, code, f"contract:{number}")
    money = yuan if out.json else format_yuan
    _show_record(out, f"合同 {number}", {
        "kind": row.kind, "direction": row.direction if out.json else out.t(row.direction), "party": row.party,
        "party_id": mask_id(row.party_id) if row.party_id else None, "amount": money(row.amount_fen),
        "term": f"{row.start} ~ {row.end}", "method": row.method or None, "resolution": row.resolution or None,
        "settled": money(row.settled_fen), "arrears": money(row.arrears_fen),
        "status": row.status if out.json else out.t(row.status), "review": row.last_review or None}, schedule, moves)


def _show_record(out, title: str, facts: dict, schedule: list[tuple], moves: list[tuple]) -> None:
    if out.json:
        out.emit_json({"record": title, **{k: v for k, v in facts.items()},
                       "schedule": [{"due": d, "amount": yuan(a)} for d, a in schedule],
                       "moves": [{"date": d, "kind": k, "amount": yuan(a), "note": n, "voucher": v} for d, k, a, n, v in moves]})
        return
    out.say(title)
    out.say("  ".join(f"{out.t(k)}：{v}" for k, v in facts.items() if v not in ("", None)))
    if schedule:
        out.table(out.t("schedule"), ["due", "amount"], [[d, format_yuan(a)] for d, a in schedule], right={1})
    if moves:
        out.table(out.t("moves"), ["date", "kind", "amount", "note", "number"],
                  [[d, out.t(k), format_yuan(a), n, v] for d, k, a, n, v in moves], right={2})


# -- assets and resources --------------------------------------------------------
@asset_app.command("add", help="登记资产（默认同时记购入凭证；--via none 表示已在账上）")
def asset_add(
    number: str, name: Annotated[str, typer.Option(help="名称")],
    category: Annotated[str, typer.Option(help="房屋建筑物、机器设备、交通工具、农业基础设施、公益设施、其他固定资产、无形资产、库存物资")],
    value: Annotated[str, typer.Option(help="原值（元）")],
    acquired: Annotated[str | None, typer.Option(help="取得日期（默认今天）")] = None,
    location: Annotated[str, typer.Option(help="坐落")] = "", via: Via = "bank",
) -> None:
    record = f"资产 {number}"
    command = cmds.AddAsset(number=number, name=name, category=category, value_fen=_amount(value, record, "value"),
                            acquired=parse_date(acquired, field="acquired", record=record) if acquired else None,
                            location=location, via=_via_or_none(via))
    with ledger() as led:
        outcome = cmds.add_asset(led, command)
    _done(outcome, f"已登记资产 {outcome.id}", f"asset {outcome.id} added")


@asset_app.command("dispose", help="处置资产（须有决议文号；自动生成凭证）")
def asset_dispose(number: str, day: Day, amount: Annotated[str, typer.Option(help="处置收入（元，可为 0）")],
                  reason: Annotated[str, typer.Option(help="处置原因")],
                  resolution: Annotated[str, typer.Option(help="村民（代表）会议决议文号")], via: Via = "bank") -> None:
    record = f"资产 {number}"
    amount_fen = parse_yuan(amount, record=record)
    with ledger() as led:
        outcome = cmds.dispose_asset(led, cmds.DisposeAsset(
            number=number, day=parse_date(day, record=record), amount_fen=amount_fen, reason=reason,
            resolution=resolution, via=via))
    _done(outcome, f"资产 {outcome.id} 已处置", f"asset {outcome.id} disposed of")


@asset_app.command("list", help="资产台账")
@with_xlsx
def asset_list(recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        rows = reports.assets(led.views, code)
    if out.json:
        out.emit_json({"collective": code, "assets": [
            {"number": n, "name": name, "category": c, "account": a, "value": yuan(v), "acquired": acq, "location": loc,
             "disposed_on": d, "disposal_amount": yuan(dv) if dv is not None else None, "voucher": vo or None}
            for n, name, c, a, v, acq, loc, d, dv, vo in rows]})
        return
    out.table(f"{code} 资产台账" if out.lang == "zh" else f"{code} assets",
              ["record_no", "name", "category", "value", "acquired", "location", "status"],
              [[n, name, c, format_yuan(v), acq, loc, f"{d} 处置" if d else ""] for n, name, c, a, v, acq, loc, d, dv, vo in rows],
              right={3})


@resource_app.command("add", help="登记资源（耕地、林地、草地、园地、滩涂、水面、四荒地、建设用地）")
def resource_add(number: str, name: Annotated[str, typer.Option(help="名称")],
                 type: Annotated[str, typer.Option("--type", help="耕地|林地|草地|园地|滩涂|水面|四荒地|建设用地")],
                 area: Annotated[str, typer.Option(help="面积（亩）")],
                 location: Annotated[str, typer.Option(help="坐落")] = "") -> None:
    record = f"资源 {number}"
    with ledger() as led:
        outcome = cmds.add_resource(led, cmds.AddResource(number=number, name=name, type=type,
                                                          area_cmu=parse_area(area, record=record), location=location))
    _done(outcome, f"已登记资源 {outcome.id}", f"resource {outcome.id} added")


@resource_app.command("list", help="资源台账：面积、已出租、闲置")
@with_xlsx
def resource_list(as_of: AsOf = None, recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        day = _as_of(as_of, led)
        rows = reports.resources(led.views, code, day)
    if out.json:
        out.emit_json({"collective": code, "date": day.isoformat(), "resources": [
            {"number": r.number, "name": r.name, "type": r.type, "area_mu": format_area(r.area_cmu),
             "leased_mu": format_area(r.leased_cmu), "idle_mu": format_area(r.idle_cmu), "location": r.location} for r in rows]})
        return
    out.table(f"{code} 资源台账（{day}，单位：亩）" if out.lang == "zh" else f"{code} resources ({day}, mu)",
              ["record_no", "name", "type", "area", "leased", "idle", "location"],
              [[r.number, r.name, r.type, format_area(r.area_cmu), format_area(r.leased_cmu), format_area(r.idle_cmu), r.location]
               for r in rows], right={3, 4, 5})


# -- leases ----------------------------------------------------------------------
@lease_app.command("sign", help="签订租赁（出租资产或发包资源）")
def lease_sign(
    number: str, item: Annotated[str, typer.Option(help="资产或资源编号")],
    lessee: Annotated[str, typer.Option(help="承租方")], rent: Annotated[str, typer.Option(help="每期租金（元）")],
    per: Annotated[str, typer.Option(help="year|quarter|month|term（每年、每季、每月、整个租期）")],
    start: Annotated[str, typer.Option(help="起租日期")], end: Annotated[str, typer.Option(help="到期日期")],
    area: Annotated[str | None, typer.Option(help="出租面积（亩，资源默认全部）")] = None,
    lessee_id: Annotated[str, typer.Option("--lessee-id", help="承租方证件号码")] = "", due: Dues = None,
    method: Annotated[str, typer.Option(help="公开招标、竞价、协商等")] = "",
    resolution: Annotated[str, typer.Option(help="决议文号")] = "",
    signed: Annotated[str | None, typer.Option("--date", help="签订日期（默认为起租日期；起租在今后时为今天）")] = None,
) -> None:
    record = f"租赁 {number}"
    command = cmds.SignLease(
        number=number, item=item, area_cmu=parse_area(area, record=record) if area else None, lessee=lessee,
        lessee_id=lessee_id, rent_fen=_amount(rent, record, "rent"), per=per,
        start=parse_date(start, field="start", record=record), end=parse_date(end, field="end", record=record),
        schedule=_dues(due, record), method=method, resolution=resolution,
        signed_on=parse_date(signed, record=record) if signed else None)
    with ledger() as led:
        outcome = cmds.sign_lease(led, command)
    _done(outcome, f"已登记租赁 {outcome.id}", f"lease {outcome.id} signed")


@lease_app.command("collect", help="收取租金（自动生成凭证）")
def lease_collect(number: str, amount: Amount, day: Day, via: Via = "bank",
                  account: Annotated[str | None, typer.Option(help="贷方科目（默认 501）")] = None) -> None:
    record = f"租赁 {number}"
    with ledger() as led:
        outcome = cmds.collect_rent(led, cmds.CollectRent(number=number, amount_fen=_amount(amount, record),
                                                         day=parse_date(day, record=record), via=via, account=account))
    _done(outcome, f"租赁 {outcome.id} 收租", f"lease {outcome.id}: rent collected")


@lease_app.command("end", help="终止租赁（--date 为租赁的最后一天，次日起空出；只欠到该日为止到期的租金）")
def lease_end(number: str, day: Day, reason: Annotated[str, typer.Option(help="原因")]) -> None:
    with ledger() as led:
        outcome = cmds.end_lease(led, cmds.EndLease(number=number, day=parse_date(day, record=f"租赁 {number}"), reason=reason))
    _done(outcome, f"租赁 {outcome.id} 已终止", f"lease {outcome.id} ended")


@lease_app.command("list", help="租赁台账：欠租、逾期天数、即将到期")
@with_xlsx
def lease_list(
    status: Annotated[str | None, typer.Option(help="active|expired|overdue|terminated")] = None,
    expiring_within: Annotated[int | None, typer.Option("--expiring-within", help="N 天内到期")] = None,
    as_of: AsOf = None, recorded: RecordedAsOf = None,
) -> None:
    out = output()
    code, day, rows = _scheduled_rows(reports.leases, status, expiring_within, as_of, recorded)
    if out.json:
        out.emit_json({"collective": code, "date": day.isoformat(), "leases": [{
            "number": r.number, "item": r.item, "item_type": r.item_type, "area_mu": format_area(r.area_cmu),
            "lessee": r.lessee, "lessee_id": mask_id(r.lessee_id) if r.lessee_id else None, "rent": yuan(r.rent_fen),
            "per": r.per, "start": r.start, "end": r.end, "total": yuan(r.total_fen), "collected": yuan(r.collected_fen),
            "arrears": yuan(r.arrears_fen), "days_overdue": r.days_overdue, "status": r.status,
            "days_to_end": r.days_to_end, "ended_on": r.ended_on} for r in rows]})
        return
    out.table(f"{code} 租赁台账（{day}）" if out.lang == "zh" else f"{code} leases ({day})",
              ["record_no", "item", "lessee", "area", "total", "collected", "arrears", "days_overdue", "end", "status"],
              [[r.number, r.item, r.lessee, format_area(r.area_cmu) if r.area_cmu else "", format_yuan(r.total_fen),
                format_yuan(r.collected_fen), out.money(r.arrears_fen), r.days_overdue or "",
                f"{r.ended_on}（提前终止）" if r.ended_on else r.end, out.t(r.status)]
               for r in rows], right={3, 4, 5, 6, 7})


# -- debts -----------------------------------------------------------------------
@debt_app.command("add", help="登记债权或债务（--via 表示此时收付款并记账；默认 none：已在账上）")
def debt_add(
    number: str, direction: Annotated[str, typer.Option(help="receivable（债权）|payable（债务）")],
    party: Annotated[str, typer.Option(help="对方")], amount: Amount, day: Day,
    due: Annotated[str | None, typer.Option(help="到期日")] = None,
    account: Annotated[str | None, typer.Option(help="科目（默认 112 或 211；借款用 201/221）")] = None,
    origin: Annotated[str, typer.Option(help="形成原因")] = "",
    party_id: Annotated[str, typer.Option("--party-id", help="对方证件号码")] = "",
    via: Annotated[str, typer.Option("--via", help="none（已在账上）、bank、cash 或科目代码")] = "none",
) -> None:
    record = f"债权债务 {number}"
    command = cmds.AddDebt(number=number, direction=direction, party=party, party_id=party_id,
                           amount_fen=_amount(amount, record), day=parse_date(day, record=record),
                           due=parse_date(due, field="due", record=record) if due else None, account=account,
                           origin=origin, via=_via_or_none(via))
    with ledger() as led:
        outcome = cmds.add_debt(led, command)
    _done(outcome, f"已登记债权债务 {outcome.id}", f"debt {outcome.id} added")


@debt_app.command("settle", help="收回债权或偿还债务（自动生成凭证）")
def debt_settle(number: str, amount: Amount, day: Day, via: Via = "bank",
                resolution: Annotated[str, typer.Option(help="审批（决议）文号：达到审批起点的还款应填写")] = "") -> None:
    record = f"债权债务 {number}"
    with ledger() as led:
        outcome = cmds.settle_debt(led, cmds.SettleDebt(number=number, amount_fen=_amount(amount, record),
                                                       day=parse_date(day, record=record), via=via, resolution=resolution))
    _done(outcome, f"债权债务 {outcome.id} 已结算", f"debt {outcome.id} settled")


@debt_app.command("write-off", help="核销（须有决议文号）")
def debt_write_off(number: str, amount: Amount, reason: Annotated[str, typer.Option(help="核销原因")],
                   resolution: Annotated[str, typer.Option(help="村民（代表）会议决议文号")],
                   day: Annotated[str | None, typer.Option("--date", help="核销日期（默认今天）")] = None) -> None:
    record = f"债权债务 {number}"
    with ledger() as led:
        outcome = cmds.write_off_debt(led, cmds.WriteOffDebt(
            number=number, amount_fen=_amount(amount, record), reason=reason, resolution=resolution,
            day=parse_date(day, record=record) if day else None))
    _done(outcome, f"债权债务 {outcome.id} 已核销", f"debt {outcome.id} written off")


@debt_app.command("list", help="债权债务台账")
@with_xlsx
def debt_list(as_of: AsOf = None, recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        day = _as_of(as_of, led)
        rows = reports.debts(led.views, code, day)
    if out.json:
        out.emit_json({"collective": code, "date": day.isoformat(), "debts": [{
            "number": r.number, "direction": r.direction, "party": r.party,
            "party_id": mask_id(r.party_id) if r.party_id else None, "amount": yuan(r.amount_fen), "date": r.date,
            "due": r.due, "account": r.account, "origin": r.origin, "settled": yuan(r.settled_fen),
            "written_off": yuan(r.written_off_fen), "outstanding": yuan(r.outstanding_fen)} for r in rows]})
        return
    out.table(f"{code} 债权债务台账（{day}）" if out.lang == "zh" else f"{code} debts ({day})",
              ["record_no", "direction", "party", "amount", "date", "due", "settled", "written_off", "outstanding"],
              [[r.number, out.t(r.direction), r.party, format_yuan(r.amount_fen), r.date, r.due or "",
                out.money(r.settled_fen), out.money(r.written_off_fen), format_yuan(r.outstanding_fen)] for r in rows],
              right={3, 6, 7, 8})


@debt_app.command("aging", help="账龄分析（1年以内、1-3年、3年以上）与本年清收化解")
@with_xlsx
def debt_aging(day: Day, recorded: RecordedAsOf = None) -> None:
    out = output()
    as_of = parse_date(day)
    with reading(recorded) as led:
        code = led.resolve_collective()
        table = reports.aging(led.views, code, as_of)
        work = reports.debt_work(led.views, code, parse_period(str(as_of.year)))
    if out.json:
        out.emit_json({"collective": code, "date": as_of.isoformat(),
                       "aging": {d: {k: yuan(v) for k, v in b.items()} for d, b in table.items()},
                       "year_work": {k: yuan(v) for k, v in work.items()}})
        return
    buckets = list(table["receivable"])
    out.table(f"{code} 账龄分析（{as_of}）" if out.lang == "zh" else f"{code} aging ({as_of})",
              ["direction", *buckets, "total"],
              [[out.t(d), *(format_yuan(table[d][b]) for b in buckets), format_yuan(sum(table[d].values()))] for d in table],
              right={1, 2, 3, 4})
    out.table(f"{as_of.year} 年清收债权、化解债务" if out.lang == "zh" else f"{as_of.year} debt work",
              ["line", "amount"], [[out.t(k), format_yuan(v)] for k, v in work.items()], right={1})


# -- subsidies -------------------------------------------------------------------
@subsidy_app.command("receive", help="收到补助资金（专项记 241，一般记 503）")
def subsidy_receive(
    number: str, program: Annotated[str, typer.Option(help="项目名称")],
    source: Annotated[str, typer.Option(help="中央|省|市|县|乡")], amount: Amount, day: Day,
    earmarked: Annotated[bool, typer.Option("--earmarked", help="专项资金")] = False,
    purpose: Annotated[list[str] | None, typer.Option("--purpose", help="允许的用途，可重复")] = None, via: Via = "bank",
) -> None:
    record = f"补助 {number}"
    with ledger() as led:
        outcome = cmds.receive_subsidy(led, cmds.ReceiveSubsidy(
            number=number, program=program, source=source, amount_fen=_amount(amount, record),
            day=parse_date(day, record=record), earmarked=earmarked, purposes=tuple(purpose or ()), via=via))
    _done(outcome, f"补助 {outcome.id} 已入账", f"subsidy {outcome.id} received")


@subsidy_app.command("spend", help="补助资金支出（专项只能用于登记的用途，不能超支）")
def subsidy_spend(number: str, amount: Amount, day: Day, purpose: Annotated[str, typer.Option(help="用途")],
                  payee: Annotated[str, typer.Option(help="收款人")], via: Via = "bank",
                  account: Annotated[str | None, typer.Option(help="形成资产时的科目（如 153）；一般资金的支出科目（默认 514）")] = None,
                  resolution: Annotated[str, typer.Option(help="审批（决议）文号：达到审批起点的支出应填写")] = "") -> None:
    record = f"补助 {number}"
    with ledger() as led:
        outcome = cmds.spend_subsidy(led, cmds.SpendSubsidy(
            number=number, amount_fen=_amount(amount, record), day=parse_date(day, record=record), purpose=purpose,
            payee=payee, via=via, account=account, resolution=resolution))
    _done(outcome, f"补助 {outcome.id} 支出已记账", f"subsidy {outcome.id} spent")


@subsidy_app.command("return", help="退回补助资金")
def subsidy_return(number: str, amount: Amount, day: Day, via: Via = "bank") -> None:
    record = f"补助 {number}"
    with ledger() as led:
        outcome = cmds.return_subsidy(led, cmds.ReturnSubsidy(number=number, amount_fen=_amount(amount, record),
                                                              day=parse_date(day, record=record), via=via))
    _done(outcome, f"补助 {outcome.id} 已退回", f"subsidy {outcome.id} returned")


@subsidy_app.command("list", help="补助资金台账：收到、支出、退回、余额、使用率")
@with_xlsx
def subsidy_list(recorded: RecordedAsOf = None) -> None:
    out = output()
    with reading(recorded) as led:
        code = led.resolve_collective()
        rows = reports.subsidies(led.views, code)
    if out.json:
        out.emit_json({"collective": code, "subsidies": [{
            "number": r.number, "program": r.program, "source": r.source, "earmarked": r.earmarked,
            "purposes": r.purposes, "received": yuan(r.received_fen), "spent": yuan(r.spent_fen),
            "returned": yuan(r.returned_fen), "balance": yuan(r.balance_fen),
            "usage_rate": f"{r.usage_permille // 10}.{r.usage_permille % 10}%"} for r in rows]})
        return
    out.table(f"{code} 补助资金台账" if out.lang == "zh" else f"{code} subsidies",
              ["record_no", "program", "source", "kind", "received", "spent", "returned", "balance", "usage"],
              [[r.number, r.program, r.source, "专项" if r.earmarked else "一般", format_yuan(r.received_fen),
                out.money(r.spent_fen), out.money(r.returned_fen), format_yuan(r.balance_fen),
                f"{r.usage_permille // 10}.{r.usage_permille % 10}%"] for r in rows], right={4, 5, 6, 7, 8})
