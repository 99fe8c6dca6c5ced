"""The content of a disclosure (定内容), built from the views for one board and period.

Every section is a projection of the ledger; totals tie to the books (a test
checks 财务收支 against the income statement). Identifiers are masked here,
at the source, so no renderer can leak one.
"""

from __future__ import annotations

from datetime import date

from sanzi_ledger.chart import Chart
from sanzi_ledger.domain.debts import aging_bucket
from sanzi_ledger.domain.disclosures import SECTIONS, Board
from sanzi_ledger.identifiers import mask_id
from sanzi_ledger.periods import Period
from sanzi_ledger.projections import register_reports as registers
from sanzi_ledger.projections import statements
from sanzi_ledger.projections.views import Views
from sanzi_ledger.publish.document import Column, Document, Section

NOTHING = "本期无发生额"
KINDS_ZH = {"income": "收款", "expense": "付款", "receivable": "债权", "payable": "债务"}
STATUS_ZH = {"active": "履行中", "expired": "已到期", "overdue": "逾期欠款", "terminated": "已终止"}


def period_title(period: Period) -> str:
    if period.first == period.last:
        return f"{period.first[:4]}年{int(period.first[5:7])}月"
    if period.label.upper().endswith(("Q1", "Q2", "Q3", "Q4")):
        return f"{period.label[:4]}年第{'一二三四'[int(period.label[-1]) - 1]}季度"
    return f"{period.label[:4]}年度"


def _section(key: str, columns: list[Column], rows: list[tuple], totals: tuple | None = None) -> Section:
    return Section(key=key, title=SECTIONS[key], columns=tuple(columns), rows=tuple(rows),
                   totals=totals if rows else None, note="" if rows else NOTHING)


def _sum(rows: list[tuple], index: int) -> int:
    return sum(int(row[index] or 0) for row in rows)


def income_expense(views: Views, chart: Chart, names: dict[str, str], code: str, period: Period) -> Section:
    """逐项逐笔: every line on an income or expense account (year-end closing left out)."""
    rows = []
    for day, number, summary, account, side, amount in views.query(
        "SELECT l.date, l.number, v.summary, l.account, l.side, l.amount_fen FROM v_voucher_lines l"
        " JOIN v_vouchers v ON v.collective = l.collective AND v.number = l.number"
        " WHERE l.collective = ? AND l.month >= ? AND l.month <= ? AND l.kind <> 'closing'"
        " ORDER BY l.date, l.number, l.line_no", (code, period.first, period.last),
    ):
        root = chart.get(account[:3])
        if root is None or root.account_class != "profit_loss":
            continue
        signed = int(amount) if (side == "credit") == (root.side == "credit") else -int(amount)
        income, expense = (signed, None) if root.side == "credit" else (None, signed)
        rows.append((day, number, summary, f"{account} {names.get(account, root.name)}", income, expense))
    columns = [Column(key="date", title="日期", kind="date"), Column(key="voucher", title="凭证号"),
               Column(key="summary", title="摘要"), Column(key="account", title="科目"),
               Column(key="income", title="收入", kind="money"), Column(key="expense", title="支出", kind="money")]
    return _section("income_expense", columns, rows, ("合计", None, None, None, _sum(rows, 4), _sum(rows, 5)))


def assets(views: Views, code: str, period: Period) -> Section:
    last = period.last_day.isoformat()
    rows = [
        (number, name, category, int(value), acquired, location,
         f"已处置（{disposed}）" if disposed and disposed <= last else "在用")
        for number, name, category, _account, value, acquired, location, disposed, _amount, _voucher
        in registers.assets(views, code) if acquired <= last
    ]
    columns = [Column(key="number", title="编号"), Column(key="name", title="名称"), Column(key="category", title="类别"),
               Column(key="value", title="原值", kind="money"), Column(key="acquired", title="取得日期", kind="date"),
               Column(key="location", title="坐落"), Column(key="status", title="状态")]
    return _section("assets", columns, rows, ("合计", None, None, _sum(rows, 3), None, None, None))


def resources(views: Views, code: str, period: Period) -> Section:
    rows = [(r.number, r.name, r.type, r.area_cmu, r.leased_cmu, r.idle_cmu, r.location)
            for r in registers.resources(views, code, period.last_day)]
    columns = [Column(key="number", title="编号"), Column(key="name", title="名称"), Column(key="type", title="类型"),
               Column(key="area", title="面积（亩）", kind="area"), Column(key="leased", title="已出租（亩）", kind="area"),
               Column(key="idle", title="闲置（亩）", kind="area"), Column(key="location", title="坐落")]
    return _section("resources", columns, rows, ("合计", None, None, _sum(rows, 3), _sum(rows, 4), _sum(rows, 5), None))


def _period_moves(views: Views, code: str, kind: str, period: Period) -> dict[str, int]:
    rows = views.query(
        "SELECT record, SUM(amount_fen) FROM v_register_moves WHERE collective = ? AND record LIKE ?"
        " AND date >= ? AND date <= ? GROUP BY record",
        (code, f"{kind}:%", period.first_day.isoformat(), period.last_day.isoformat()),
    )
    return {record.split(":", 1)[1]: int(total) for record, total in rows}


def contracts(views: Views, code: str, period: Period) -> Section:
    """资产资源发包、租赁、出让及其收益, and every other contract: terms, money this period, arrears."""
    day = period.last_day
    in_period = _period_moves(views, code, "contract", period)
    lease_moves = _period_moves(views, code, "lease", period)
    rows = [
        (c.number, c.kind, KINDS_ZH[c.direction], c.party, mask_id(c.party_id) if c.party_id else "", c.amount_fen,
         f"{c.start}至{c.end}", in_period.get(c.number, 0), c.settled_fen, c.arrears_fen, STATUS_ZH[c.status])
        for c in registers.contracts(views, code, day) if c.start <= day.isoformat()
    ] + [
        (l.number, f"租赁（{l.item}）", "收款", l.lessee, mask_id(l.lessee_id) if l.lessee_id else "", l.total_fen,
         f"{l.start}至{l.end}", lease_moves.get(l.number, 0), l.collected_fen, l.arrears_fen, STATUS_ZH[l.status])
        for l in registers.leases(views, code, day) if l.start <= day.isoformat()
    ]
    columns = [Column(key="number", title="编号"), Column(key="kind", title="类别"), Column(key="direction", title="收付"),
               Column(key="party", title="对方"), Column(key="party_id", title="证件号码"),
               Column(key="amount", title="合同金额", kind="money"), Column(key="term", title="期限"),
               Column(key="this_period", title="本期收付", kind="money"), Column(key="to_date", title="累计收付", kind="money"),
               Column(key="arrears", title="欠款", kind="money"), Column(key="status", title="状态")]
    return _section("contracts", columns, rows,
                    ("合计", None, None, None, None, _sum(rows, 5), None, _sum(rows, 7), _sum(rows, 8), _sum(rows, 9), None))


def debts(views: Views, code: str, period: Period) -> Section:
    day = period.last_day
    in_period = _period_moves(views, code, "debt", period)
    rows = [
        (d.number, KINDS_ZH[d.direction], d.party, mask_id(d.party_id) if d.party_id else "", d.date, d.amount_fen,
         in_period.get(d.number, 0), d.outstanding_fen, aging_bucket(date.fromisoformat(d.date), day))
        for d in registers.debts(views, code, day)
    ]
    columns = [Column(key="number", title="编号"), Column(key="direction", title="类别"), Column(key="party", title="对方"),
               Column(key="party_id", title="证件号码"), Column(key="date", title="发生日期", kind="date"),
               Column(key="amount", title="原额", kind="money"), Column(key="this_period", title="本期收回/偿还/核销", kind="money"),
               Column(key="outstanding", title="余额", kind="money"), Column(key="aging", title="账龄")]
    return _section("debts", columns, rows, ("合计", None, None, None, None, _sum(rows, 5), _sum(rows, 6), _sum(rows, 7), None))


def subsidies(views: Views, code: str, period: Period) -> Section:
    first, last = period.first_day.isoformat(), period.last_day.isoformat()
    moves = views.query(
        "SELECT record, kind, SUM(CASE WHEN date >= ? AND date <= ? THEN amount_fen ELSE 0 END),"
        " SUM(CASE WHEN date <= ? THEN amount_fen ELSE 0 END) FROM v_register_moves"
        " WHERE collective = ? AND record LIKE 'subsidy:%' GROUP BY record, kind", (first, last, last, code),
    )
    by: dict[str, dict[str, tuple[int, int]]] = {}
    for record, kind, in_period, to_date in moves:
        by.setdefault(record.split(":", 1)[1], {})[kind] = (int(in_period), int(to_date))
    rows = []
    for s in registers.subsidies(views, code):
        m = by.get(s.number, {})
        received, spent, returned = (m.get(k, (0, 0)) for k in ("receive", "spend", "return"))
        if not received[1]:
            continue  # not yet received by the end of the period
        rows.append((s.number, s.program, s.source, "专项" if s.earmarked else "一般", s.purposes, received[0], spent[0],
                     received[1], spent[1] + returned[1], received[1] - spent[1] - returned[1]))
    columns = [Column(key="number", title="编号"), Column(key="program", title="项目"), Column(key="source", title="来源"),
               Column(key="kind", title="类型"), Column(key="purposes", title="规定用途"),
               Column(key="received", title="本期收到", kind="money"), Column(key="spent", title="本期支出", kind="money"),
               Column(key="received_total", title="累计收到", kind="money"),
               Column(key="used_total", title="累计支出及退回", kind="money"), Column(key="balance", title="余额", kind="money")]
    return _section("subsidies", columns, rows, ("合计", None, None, None, None, *(_sum(rows, i) for i in range(5, 10))))


def distribution(views: Views, chart: Chart, code: str, period: Period) -> Section:
    report = statements.income_statement(views, chart, code, period)
    rows = [(r.line, r.amount, r.previous) for r in report.rows]
    columns = [Column(key="line", title="项目"), Column(key="this_period", title="本期金额", kind="money"),
               Column(key="year_to_date", title="本年累计", kind="money")]
    moved = any(r.amount or r.previous for r in report.rows)
    return _section("distribution", columns, rows if moved else [], None)


def other(lines: tuple[str, ...]) -> Section:
    return _section("other", [Column(key="item", title="事项")], [(line,) for line in lines], None)


def build_document(
    views: Views, chart: Chart, *, collective: tuple[str, str, str, str], board: Board, period: Period,
    names: dict[str, str], other_lines: tuple[str, ...], corrects: str, drafted_by: str, drafted_at: str,
) -> Document:
    code, name, township, county = collective
    builders = {
        "income_expense": lambda: income_expense(views, chart, names, code, period),
        "assets": lambda: assets(views, code, period), "resources": lambda: resources(views, code, period),
        "contracts": lambda: contracts(views, code, period), "debts": lambda: debts(views, code, period),
        "subsidies": lambda: subsidies(views, code, period), "distribution": lambda: distribution(views, chart, code, period),
        "other": lambda: other(other_lines),
    }
    title = f"{name} {period_title(period)} 财务公开" + ("（更正）" if corrects else "")
    return Document(
        collective_code=code, collective_name=name, township=township, county=county, board_name=board.name,
        board_location=board.location, board_channel=board.channel, period_label=period.label,
        period_first=period.first_day.isoformat(), period_last=period.last_day.isoformat(), cadence=board.cadence,
        title=title, sections=tuple(builders[key]() for key in SECTIONS if key in board.sections),
        corrects=corrects, drafted_by=drafted_by, drafted_at=drafted_at,
    )
