"""Contracts and leases (合同、租赁): arrears, expiry, price, terms, procedure, works audit, self-review (R01–R13, R24, R61)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sanzi_ledger.domain.assets import format_area
from sanzi_ledger.domain.leases import check_lease_term
from sanzi_ledger.domain.schedules import years_between
from sanzi_ledger.errors import Refusal
from sanzi_ledger.projections import register_reports
from sanzi_ledger.rules.engine import (
    Flag,
    Inspection,
    day_after,
    full_months,
    position_ref,
    rule,
    yuan,
)

# Contracts that let the collective's land or property to someone: they are re-tendered
# when they end, need a 四议两公开 resolution, and should carry a price escalation.
LETTING_KINDS = ("发包", "承包", "租赁", "出让")
_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}
OVERDUE_KEYS = ("flags.overdue_months_yellow", "flags.overdue_months_red")
TERM_KEYS = ("terms.lease_years_max", "terms.wasteland_years_max", "terms.farmland_end_max")


@dataclass(frozen=True)
class Signed:
    """What the register reports leave out and the rules need."""

    position: int
    signed_on: date
    operator: str
    subject: str
    reviewed_by: str
    resolution: str
    closed_on: str | None  # terminated (contract) or ended early (lease): its last day


def _contracts(x: Inspection) -> list[tuple[register_reports.ContractRow, Signed]]:
    def read() -> list[tuple[register_reports.ContractRow, Signed]]:
        extra = {n: Signed(int(p), date.fromisoformat(s), o, subj, r, res, t) for n, p, s, o, subj, r, res, t in x.views.query(
            "SELECT number, position, signed_on, operator, subject, reviewed_by, resolution, terminated_on FROM v_contracts"
            " WHERE collective = ?", (x.collective,))}
        return [(row, extra[row.number]) for row in register_reports.contracts(x.views, x.collective, x.as_of)
                if extra[row.number].signed_on <= x.as_of]

    return x.memo("contracts", read)


def _leases(x: Inspection) -> list[tuple[register_reports.LeaseRow, Signed]]:
    def read() -> list[tuple[register_reports.LeaseRow, Signed]]:
        extra = {n: Signed(int(p), date.fromisoformat(s), "", "", "", res, e) for n, p, s, res, e in x.views.query(
            "SELECT number, position, signed_on, resolution, ended_on FROM v_leases WHERE collective = ?", (x.collective,))}
        return [(row, extra[row.number]) for row in register_reports.leases(x.views, x.collective, x.as_of)
                if extra[row.number].signed_on <= x.as_of]

    return x.memo("leases", read)


def _instalments(x: Inspection, kind: str) -> dict[str, list[int]]:
    def read() -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for record, amount in x.views.query(
            "SELECT record, amount_fen FROM v_schedules WHERE collective = ? AND record LIKE ? ORDER BY record, seq",
            (x.collective, f"{kind}:%"),
        ):
            out.setdefault(record.split(":", 1)[1], []).append(int(amount))
        return out

    return x.memo(f"instalments:{kind}", read)


def _closed(signed: Signed, x: Inspection) -> bool:
    """Terminated or ended early by the day inspected."""
    return signed.closed_on is not None and signed.closed_on <= x.as_of.isoformat()


def _live(end: str, signed: Signed, x: Inspection) -> bool:
    """Not ended or terminated, and not past its end date."""
    return not _closed(signed, x) and date.fromisoformat(end) >= x.as_of


def _overdue(x: Inspection, rule_id: str, number: str, arrears_fen: int, days: int, who: str, what: str,
             position: int) -> Iterator[Flag]:
    oldest = x.as_of - timedelta(days=days)
    months = full_months(oldest, x.as_of)
    t = x.thresholds
    if not arrears_fen or months < t.overdue_months_yellow:
        return
    yield x.flag(rule_id, f"{number}:{oldest.isoformat()}",
                 f"{who}自 {oldest.isoformat()} 起{what} {yuan(arrears_fen)} 元，已逾期 {months} 个月（{days} 天）",
                 refs=[position_ref(position)], since=oldest,
                 severity="red" if months >= t.overdue_months_red else "yellow")


@rule("R01", "yellow/red", "租金逾期未收", keys=OVERDUE_KEYS,
      basis="三资监管平台惯例（浙江等地）：逾期 3 个月黄色预警；满 12 个月红色为本地默认")
def lease_overdue(x: Inspection) -> Iterator[Flag]:
    for row, signed in _leases(x):
        yield from _overdue(x, "R01", row.number, row.arrears_fen, row.days_overdue,
                            f"租赁 {row.number}（承租方 {row.lessee}）", "欠缴租金", signed.position)


@rule("R02", "yellow/red", "合同款逾期", keys=OVERDUE_KEYS,
      basis="清化收（清收债权）：合同约定的收付款逾期，阈值同 R01")
def contract_overdue(x: Inspection) -> Iterator[Flag]:
    for row, signed in _contracts(x):
        what = "应收未收合同款" if row.direction == "income" else "应付未付合同款"
        yield from _overdue(x, "R02", row.number, row.arrears_fen, row.days_overdue,
                            f"合同 {row.number}（{row.party}）", what, signed.position)


def _expiring(x: Inspection, rule_id: str, rows, label: str) -> Iterator[Flag]:
    days = x.thresholds.expiring_days
    for row, signed in rows:
        end = date.fromisoformat(row.end)
        yield x.flag(rule_id, row.number, f"{label} {row.number} 将于 {row.end} 到期（还有 {(end - x.as_of).days} 天），"
                     f"应及时组织重新招标或续签", refs=[position_ref(signed.position)], since=end - timedelta(days=days))


@rule("R03", "yellow", "租赁即将到期", keys=("flags.expiring_days",), basis="三资监管平台惯例：到期前提醒，以便重新招标或续签（本地默认 90 天）")
def lease_expiring(x: Inspection) -> Iterator[Flag]:
    soon = {r.number for r in register_reports.expiring_within([r for r, _ in _leases(x)], x.as_of, x.thresholds.expiring_days)}
    yield from _expiring(x, "R03", [(r, s) for r, s in _leases(x) if r.number in soon and not _closed(s, x)], "租赁")


@rule("R04", "yellow", "合同即将到期", keys=("flags.expiring_days",), basis="三资监管平台惯例：到期前提醒，以便重新招标或续签（本地默认 90 天）")
def contract_expiring(x: Inspection) -> Iterator[Flag]:
    rows = [(r, s) for r, s in _contracts(x) if r.kind in LETTING_KINDS]
    soon = {r.number for r in register_reports.expiring_within([r for r, _ in rows], x.as_of, x.thresholds.expiring_days)}
    yield from _expiring(x, "R04", [(r, s) for r, s in rows if r.number in soon and not _closed(s, x)], "合同")


@rule("R05", "yellow", "租赁到期未收回", basis="到期合同仍被占用：应登记终止（lease end）后收回或重新出租")
def lease_expired(x: Inspection) -> Iterator[Flag]:
    for row, signed in _leases(x):
        end = date.fromisoformat(row.end)
        if end < x.as_of and not _closed(signed, x):
            yield x.flag("R05", row.number, f"租赁 {row.number}（承租方 {row.lessee}）已于 {row.end} 到期，未办理终止或收回",
                         refs=[position_ref(signed.position)], since=day_after(end))


@rule("R06", "yellow", "发包合同到期未终止", basis="清理合同：到期合同应重新招标；未登记终止（contract terminate）视为仍在占用")
def contract_expired(x: Inspection) -> Iterator[Flag]:
    for row, signed in _contracts(x):
        end = date.fromisoformat(row.end)
        if row.kind in LETTING_KINDS and end < x.as_of and not _closed(signed, x):
            yield x.flag("R06", row.number, f"{row.kind}合同 {row.number}（{row.party}）已于 {row.end} 到期，未登记终止",
                         refs=[position_ref(signed.position)], since=day_after(end))


def rent_per_mu_year_fen(rent_fen: int, per: str, start: date, end: date, area_cmu: int) -> int:
    """The agreed rent as fen per 亩 per year (integers: area is in 0.01 亩)."""
    yearly = rent_fen * _PER_YEAR[per] if per in _PER_YEAR else rent_fen * 36525 // (max(1, (end - start).days) * 100)
    return yearly * 100 // area_cmu


@rule("R07", "yellow/red", "租金低于参考价", keys=("flags.reference_price", "flags.below_price_red_percent"),
      basis="清理合同：显失公平、低价发包；参考价由乡镇按当地流转指导价设置，未设置的类型不比较")
def lease_below_price(x: Inspection) -> Iterator[Flag]:
    prices = x.thresholds.reference_price_fen
    for row, signed in _leases(x):
        reference = prices.get(row.item_type)
        if not reference or not row.area_cmu or not _live(row.end, signed, x):
            continue
        price = rent_per_mu_year_fen(row.rent_fen, row.per, date.fromisoformat(row.start), date.fromisoformat(row.end), row.area_cmu)
        if price >= reference:
            continue
        red = price * 100 < reference * x.thresholds.below_price_red_percent
        yield x.flag("R07", row.number, f"租赁 {row.number} 出租{row.item_type} {format_area(row.area_cmu)} 亩，"
                     f"租金折合每亩每年 {yuan(price)} 元，低于参考价 {yuan(reference)} 元（{price * 100 // reference}%）",
                     refs=[position_ref(signed.position)], since=date.fromisoformat(row.start),
                     severity="red" if red else "yellow")


def _flat(amounts: list[int]) -> bool:
    return len(amounts) >= 2 and len(set(amounts)) == 1


@rule("R08", "yellow", "长期租赁租金未递增", keys=("flags.escalation_years",),
      basis="本地做法：期限超过 5 年的出租应约定租金递增")
def lease_flat(x: Inspection) -> Iterator[Flag]:
    schedules = _instalments(x, "lease")
    for row, signed in _leases(x):
        years = years_between(date.fromisoformat(row.start), date.fromisoformat(row.end))
        if years > x.thresholds.escalation_years and _live(row.end, signed, x) and _flat(schedules.get(row.number, [])):
            amounts = schedules[row.number]
            yield x.flag("R08", row.number, f"租赁 {row.number} 期限 {years:.1f} 年，{len(amounts)} 期租金均为 {yuan(amounts[0])} 元，"
                         f"未约定递增", refs=[position_ref(signed.position)])


@rule("R09", "yellow", "长期发包合同价款未递增", keys=("flags.escalation_years",),
      basis="本地做法：期限超过 5 年的发包应约定价款递增")
def contract_flat(x: Inspection) -> Iterator[Flag]:
    schedules = _instalments(x, "contract")
    for row, signed in _contracts(x):
        years = years_between(date.fromisoformat(row.start), date.fromisoformat(row.end))
        amounts = schedules.get(row.number, [])
        if (row.kind in LETTING_KINDS and years > x.thresholds.escalation_years and _live(row.end, signed, x)
                and _flat(amounts)):
            yield x.flag("R09", row.number, f"{row.kind}合同 {row.number} 期限 {years:.1f} 年，{len(amounts)} 期价款均为 "
                         f"{yuan(amounts[0])} 元，未约定递增", refs=[position_ref(signed.position)])


@rule("R10", "red", "租赁期限超过法定上限", keys=TERM_KEYS,
      basis="民法典第七百零五条（租赁不超过 20 年）；四荒地 50 年；耕地不超过第二轮承包到期日")
def lease_term(x: Inspection) -> Iterator[Flag]:
    for row, signed in _leases(x):
        if not _live(row.end, signed, x):
            continue
        try:  # the rule that refuses such a lease today, applied to what is stored
            check_lease_term(row.item_type, date.fromisoformat(row.start), date.fromisoformat(row.end), x.rules.terms,
                             record=f"租赁 {row.number}")
        except Refusal as refusal:
            yield x.flag("R10", row.number, f"租赁 {row.number}（{row.item_type}，{row.start} 至 {row.end}）："
                         f"{refusal.render('zh').split('：', 1)[-1]}", refs=[position_ref(signed.position)])


@rule("R11", "red", "合同期限超过法定上限", keys=TERM_KEYS,
      basis="民法典第七百零五条（租赁合同）；四荒地 50 年；耕地不超过第二轮承包到期日（按合同标的文字判断）")
def contract_term(x: Inspection) -> Iterator[Flag]:
    terms = x.rules.terms
    for row, signed in _contracts(x):
        if not _live(row.end, signed, x):
            continue
        start, end = date.fromisoformat(row.start), date.fromisoformat(row.end)
        years = years_between(start, end)
        problem = ""
        if row.kind == "租赁" and years > terms.lease_years_max:
            problem = f"租赁合同期限 {years:.1f} 年，超过 {terms.lease_years_max} 年"
        elif "四荒" in signed.subject and years > terms.wasteland_years_max:
            problem = f"四荒地期限 {years:.1f} 年，超过 {terms.wasteland_years_max} 年"
        elif "耕地" in signed.subject and end > terms.farmland_end_max:
            problem = f"耕地期限至 {row.end}，超过第二轮承包到期日 {terms.farmland_end_max.isoformat()}"
        if problem:
            yield x.flag("R11", row.number, f"合同 {row.number}（{row.start} 至 {row.end}）：{problem}",
                         refs=[position_ref(signed.position)])


@rule("R12", "red", "出租未经民主决策", basis="村民委员会组织法第二十四条、四议两公开：集体资产资源出租须有村民（代表）会议决议")
def lease_no_resolution(x: Inspection) -> Iterator[Flag]:
    for row, signed in _leases(x):
        if not signed.resolution and _live(row.end, signed, x):
            yield x.flag("R12", row.number, f"租赁 {row.number}（{row.item}，承租方 {row.lessee}）没有登记村民（代表）会议决议文号",
                         refs=[position_ref(signed.position)], since=signed.signed_on)


@rule("R13", "red", "发包合同未经民主决策", basis="村民委员会组织法第二十四条、四议两公开；程序不规范的合同须补正（contract amend --resolution）")
def contract_no_resolution(x: Inspection) -> Iterator[Flag]:
    for row, signed in _contracts(x):
        if (row.kind in LETTING_KINDS and row.direction == "income" and not signed.resolution
                and _live(row.end, signed, x)):
            yield x.flag("R13", row.number, f"{row.kind}合同 {row.number}（{row.party}）没有登记村民（代表）会议决议文号",
                         refs=[position_ref(signed.position)], since=signed.signed_on)


def works_tier_reached(amount_fen: int, x: Inspection) -> bool:
    return amount_fen >= x.thresholds.works_audit_tier_fen


def _audited(x: Inspection) -> list[str]:
    """Scopes of the audits closed by the day inspected (an audit names what it covered)."""
    return x.memo("audited", lambda: [scope for (scope,) in x.views.query(
        "SELECT scope FROM v_audits WHERE collective = ? AND status = 'closed' AND closed_on <= ?",
        (x.collective, x.as_of.isoformat()))])


@rule("R24", "yellow/red", "工程合同未经审计", keys=("flags.works_audit_tier_yuan",),
      basis="本地例子：工程 80,000 元以上须先审计；以范围写明该合同编号、已结束的审计（audit open/close）为准")
def works_unaudited(x: Inspection) -> Iterator[Flag]:
    for row, signed in _contracts(x):
        if row.kind != "工程" or row.amount_fen < x.thresholds.works_audit_tier_fen or _closed(signed, x):
            continue
        if any(row.number in scope for scope in _audited(x)):
            continue
        paid = row.settled_fen > 0
        yield x.flag("R24", row.number, f"工程合同 {row.number}（{row.party}）金额 {yuan(row.amount_fen)} 元，达到审计起点 "
                     f"{yuan(x.thresholds.works_audit_tier_fen)} 元，没有结束的审计"
                     + (f"，已付 {yuan(row.settled_fen)} 元" if paid else ""),
                     refs=[position_ref(signed.position)], since=signed.signed_on, severity="red" if paid else "yellow")


@rule("R61", "red", "合同由签订人自行清理审核", basis="钱账分管、不相容职务分离：清理合同的结论应由签订人以外的人作出")
def contract_self_review(x: Inspection) -> Iterator[Flag]:
    for row, signed in _contracts(x):
        if signed.reviewed_by and signed.reviewed_by == signed.operator:
            yield x.flag("R61", row.number, f"合同 {row.number} 由 {signed.operator} 登记签订，清理结论“{row.last_review}”也由其本人作出",
                         refs=[position_ref(signed.position)])


