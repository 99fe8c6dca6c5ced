"""The audit report (审计报告): one HTML page that prints on A4, and a workbook fit for printing.

Built from the audit's own events, never from views. Every string typed by
people (scope, findings, rectification notes, the conclusion, flag texts)
goes through Jinja2's autoescape in HTML and is written as text in XLSX (a
leading "=" never becomes a formula). Tables are `document.Section`s, so the
cell formatting and the workbook helpers of the disclosure are reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sanzi_ledger.domain.audits import FINDING_STATUS_ZH, Audit
from sanzi_ledger.domain.collectives import Collective
from sanzi_ledger.messages import ROLE_NAMES_ZH as ROLE_ZH
from sanzi_ledger.periods import CHINA
from sanzi_ledger.publish.document import Column, Section
from sanzi_ledger.publish.html import chinese_date, environment, section_view
from sanzi_ledger.publish.xlsx import (
    column_widths,
    fixed_zip,
    header_footer,
    heading_cells,
    merged_line,
    saved_bytes,
    values_row,
)

SEVERITY_ZH = {"red": "红色", "yellow": "黄色"}
REFERENCE_ZH = {"voucher": "凭证", "contract": "合同", "item": "资产/资源", "lease": "租赁", "debt": "债权债务",
                "subsidy": "补助资金", "position": "日志位置"}

FINDING_COLUMNS = (
    Column(key="finding", title="编号"), Column(key="severity", title="等级"), Column(key="text", title="发现的问题"),
    Column(key="basis", title="依据（预警 / 凭证 / 记录）"), Column(key="recorded", title="记录日期", kind="date"),
    Column(key="rectification", title="整改情况"), Column(key="status", title="状态"),
)
RECTIFICATION_COLUMNS = (
    Column(key="finding", title="问题编号"), Column(key="text", title="整改说明"), Column(key="by", title="记录人"),
    Column(key="on", title="日期", kind="date"),
)
LANDSCAPE = True  # seven columns of text: a portrait page squeezes the findings unreadably


@dataclass(frozen=True)
class AuditReport:
    number: str
    title: str
    collective_code: str
    collective_name: str
    township: str
    county: str
    kind: str
    scope: str
    period: str  # 2025年1月 至 2025年12月
    person: str
    auditors: tuple[str, ...]
    opened_on: str
    closed_on: str  # "" while open
    conclusion: str
    findings: Section
    rectifications: Section
    flags: tuple[tuple[str, str, str], ...]  # (finding, flag title, explanation as it read then)
    counts: dict[str, int]
    open_at_close: tuple[str, ...]
    generated_at: str
    head: int  # log position the report was built at


def _month_zh(month: str) -> str:
    return f"{int(month[:4])}年{int(month[5:7])}月"


def _basis(recorded) -> str:
    parts = []
    if recorded.flag is not None:
        parts.append(f"预警 {recorded.flag.id}：{recorded.flag.title}")
    parts += [f"{REFERENCE_ZH.get(r.kind, r.kind)} {r.ref}" for r in recorded.references]
    return "；".join(parts)


def build_report(collective: Collective, audit: Audit, *, generated_at: datetime, head: int) -> AuditReport:
    opened, closed = audit.opened, audit.closed
    rows, notes, flags = [], [], []
    counts = {"findings": 0, "red": 0, "yellow": 0, "rectified": 0, "open": 0}
    for _, found in sorted(audit.findings.items()):
        recorded = found.recorded
        counts["findings"] += 1
        counts[recorded.severity] = counts.get(recorded.severity, 0) + 1
        code = audit.status(found)
        status = FINDING_STATUS_ZH[code]
        counts["open" if code == "open" else "rectified"] += 1
        last = found.rectifications[-1] if found.rectifications else None
        rectification = (f"{last.text}（{ROLE_ZH.get(last.role, last.role)} {last.operator}，"
                         f"{chinese_date(last.rectified_on.isoformat())}）") if last else ""
        rows.append((recorded.finding, SEVERITY_ZH.get(recorded.severity, recorded.severity), recorded.text,
                     _basis(recorded), recorded.recorded_on.isoformat(), rectification, status))
        notes += [(r.finding, r.text, f"{ROLE_ZH.get(r.role, r.role)} {r.operator}", r.rectified_on.isoformat())
                  for r in found.rectifications]
        if recorded.flag is not None:
            flags.append((recorded.finding, f"{recorded.flag.id} {recorded.flag.title}", recorded.flag.explanation))
    auditors = tuple(dict.fromkeys([opened.operator, *(f.recorded.operator for _, f in sorted(audit.findings.items())),
                                    *([closed.operator] if closed else [])]))
    return AuditReport(
        number=opened.number, title=f"{collective.name}{opened.kind}审计报告", collective_code=collective.code,
        collective_name=collective.name, township=collective.township, county=collective.county, kind=opened.kind,
        scope=opened.scope, period=f"{_month_zh(opened.period_from)} 至 {_month_zh(opened.period_to)}",
        person=opened.person, auditors=auditors, opened_on=chinese_date(opened.opened_on.isoformat()),
        closed_on=chinese_date(closed.closed_on.isoformat()) if closed else "", conclusion=closed.conclusion if closed else "",
        findings=Section(key="findings", title="审计发现的问题及整改情况", columns=FINDING_COLUMNS, rows=tuple(rows),
                         note="" if rows else "未发现问题"),
        rectifications=Section(key="rectifications", title="整改记录", columns=RECTIFICATION_COLUMNS,
                               rows=tuple(notes), note="" if notes else "尚无整改记录"),
        flags=tuple(flags), counts=counts, open_at_close=closed.open_findings if closed else (),
        generated_at=generated_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M"), head=head,
    )


def summary_line(report: AuditReport) -> str:
    c = report.counts
    return (f"共发现问题 {c['findings']} 项（红色 {c.get('red', 0)} 项、黄色 {c.get('yellow', 0)} 项），"
            f"已整改 {c['rectified']} 项，未整改 {c['open']} 项。")


def facts(report: AuditReport) -> list[tuple[str, str]]:
    """The header block, label and value: the same lines in HTML and XLSX."""
    out = [
        ("审计编号", report.number),
        ("被审计单位", f"{report.collective_name}（编码 {report.collective_code}）　{report.county} {report.township}"),
        ("审计类型", f"{report.kind}审计"),
        ("审计范围", report.scope),
        ("审计期间", report.period),
    ]
    if report.person:
        out.append(({"离任": "离任人员", "任期": "任期人员"}.get(report.kind, "相关人员"), report.person))
    out += [
        ("审计人员", "、".join(report.auditors)),
        ("立项日期", report.opened_on),
        ("结束日期", report.closed_on or "审计进行中，尚未结束"),
    ]
    return out


def render_html(report: AuditReport) -> str:
    template = environment().get_template("audit_report.html")
    return template.render(r=report, facts=facts(report), summary=summary_line(report), nav=[],
                           findings=section_view(report.findings), rectifications=section_view(report.rectifications))


# --- the workbook ---------------------------------------------------------------------

def workbook_bytes(report: AuditReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "审计报告"
    _report_sheet(ws, report)
    _table_sheet(wb.create_sheet("整改记录"), report, report.rectifications)
    wb.properties.title = report.title
    wb.properties.subject = f"审计报告 {report.number}"
    wb.properties.creator = "sanzi-ledger"
    wb.properties.language = "zh-CN"
    moment = datetime.fromisoformat(report.generated_at)
    wb.properties.created = wb.properties.modified = moment
    return fixed_zip(saved_bytes(wb), moment)


def _heading(ws: Worksheet, row: int, section: Section, widths: list[float]) -> int:
    heading_cells(ws, row, section.columns)
    return row + 1


def _table(ws: Worksheet, row: int, section: Section, widths: list[float]) -> tuple[int, int]:
    """The section's heading row and rows from `row`; returns (heading row, next free row)."""
    total = sum(widths)
    ncols = len(section.columns)
    heading = row
    row = _heading(ws, row, section, widths)
    for values in section.rows:
        values_row(ws, row, section.columns, values, widths)
        row += 1
    if not section.rows:
        merged_line(ws, row, ncols, section.note, Font(size=10), total, center=True, border=True)
        row += 1
    return heading, row


def _report_sheet(ws: Worksheet, report: AuditReport) -> None:
    section = report.findings
    ncols = len(section.columns)
    widths = [min(w, 40.0) for w in column_widths(section)]
    total = sum(widths)
    row = 1
    merged_line(ws, row, ncols, report.title, Font(bold=True, size=16), total, center=True, min_height=28)
    row += 1
    for label, value in facts(report):
        merged_line(ws, row, ncols, f"{label}：{value}", Font(size=10), total)
        row += 1
    merged_line(ws, row, ncols, summary_line(report), Font(bold=True, size=11), total)
    row += 2
    merged_line(ws, row, ncols, section.title, Font(bold=True, size=12), total)
    heading, row = _table(ws, row + 1, section, widths)
    for finding, title, explanation in report.flags:
        merged_line(ws, row, ncols, f"{finding} 所依预警（记录时）：{title}。{explanation}", Font(size=9), total)
        row += 1
    row += 1
    merged_line(ws, row, ncols, "审计结论", Font(bold=True, size=12), total)
    row += 1
    merged_line(ws, row, ncols, report.conclusion or "审计尚未结束，暂无结论。", Font(size=11), total, border=True)
    row += 1
    if report.open_at_close:
        merged_line(ws, row, ncols, f"审计结束时未整改的问题：{'、'.join(report.open_at_close)}",
                     Font(bold=True, size=10, color="B00000"), total)
        row += 1
    row += 1
    merged_line(ws, row, ncols, "审计人员（签字）：　　　　　　　被审计单位负责人（签字）：　　　　　　　日期：",
                 Font(size=11), total, min_height=30)
    row += 1
    merged_line(ws, row, ncols, f"本报告依据账本第 {report.head} 号记录时的状态生成，生成时间 {report.generated_at}。",
                 Font(size=9), total)
    _finish(ws, report, widths, heading, f"A1:{get_column_letter(ncols)}{row}")


def _table_sheet(ws: Worksheet, report: AuditReport, section: Section) -> None:
    ncols = len(section.columns)
    widths = [min(w, 60.0) for w in column_widths(section)]
    merged_line(ws, 1, ncols, f"{report.title}（{report.number}）{section.title}", Font(bold=True, size=13),
                 sum(widths), center=True, min_height=24)
    heading, row = _table(ws, 3, section, widths)
    _finish(ws, report, widths, heading, f"A1:{get_column_letter(ncols)}{row - 1}")


def _finish(ws: Worksheet, report: AuditReport, widths: list[float], heading: int, area: str) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if LANDSCAPE else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.print_title_rows = f"{heading}:{heading}"
    ws.print_area = area
    ws.oddHeader.center.text = header_footer(report.title)
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = header_footer(f"审计编号 {report.number}")
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    ws.oddFooter.center.size = 8


def write_files(report: AuditReport, folder: Path) -> list[Path]:
    html = folder / f"{report.number}.html"
    html.write_text(render_html(report), encoding="utf-8")
    xlsx = folder / f"{report.number}.xlsx"
    xlsx.write_bytes(workbook_bytes(report))
    return [html, xlsx]
