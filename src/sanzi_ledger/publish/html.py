"""The paper that goes on the board (公开栏), as one standalone HTML page.

`render_html` turns a `Publication` into a page that prints on A4 (or A3)
and opens in any browser with nothing else: no external resource, no
JavaScript, a Content-Security-Policy that forbids both, the QR code drawn
inline as SVG. Every string from the document is text typed by people and
goes through Jinja2's autoescape; only the QR SVG, generated here from
numbers, is trusted markup.

Cells are printed as they are stored: money (fen) and area (0.01 亩) as two
decimals, counts as integers, everything else verbatim — identifiers arrive
masked and are never reformatted here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from sanzi_ledger.money import format_yuan
from sanzi_ledger.publish.document import Column, Publication, Section

Paper = Literal["A4", "A3"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
TEMPLATES = Path(__file__).parent / "templates"
NUMERIC_KINDS = frozenset({"money", "area", "count"})
CADENCE_LABELS = {"monthly": "月度公开", "quarterly": "季度公开", "adhoc": "专项（随时）公开",
                  "yearly": "年度公开", "annual": "年度公开"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name: user text never becomes markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["CSP"] = CSP
    return env


# --- cell and date formatting ---------------------------------------------------------

def format_cell(value: str | int | None, kind: str) -> str:
    """What a villager reads in one cell."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int in Python; never a number here
        return str(value)
    if isinstance(value, int):
        if kind == "money":
            return format_yuan(value)
        if kind == "area":
            return format_yuan(value, grouping=False)  # 0.01 亩 -> "12.50", like format_area
        if kind == "count":
            return f"{value:,}"
        return str(value)
    return str(value)  # text as stored: already masked, never reformatted


def chinese_date(text: str) -> str:
    """'2025-04-08' or '2025-04-08T09:00:00+08:00' -> '2025年4月8日'; anything else verbatim."""
    try:
        day = date.fromisoformat(text[:10])
    except (ValueError, TypeError):
        return text
    return f"{day.year}年{day.month}月{day.day}日"


def date_time(text: str) -> str:
    """ISO date-time -> '2025-04-07 09:30' in its own offset (no conversion: output stays deterministic)."""
    try:
        moment = datetime.fromisoformat(text)
    except (ValueError, TypeError):
        return text
    return moment.strftime("%Y-%m-%d %H:%M")


# --- the view the template reads -------------------------------------------------------

@dataclass(frozen=True)
class CellView:
    text: str
    kind: str
    numeric: bool
    negative: bool
    code: bool = False  # a short token (ID, voucher number, phone): printed on one line


_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


def is_code(text: str) -> bool:
    """A masked ID, voucher or contract number: short, no spaces, no CJK but a leading one (记-03-001).

    Such tokens must not be split across lines (a wrapped 身份证号 reads as two
    numbers); ordinary Chinese text, and spans like 2023-01至2032-12, still wrap.
    """
    if not 0 < len(text) <= 20 or any(ch.isspace() for ch in text):
        return False
    return not _CJK.search(text[1:])


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellView, ...], ...]
    totals: tuple[CellView, ...] | None
    note: str

    @property
    def empty(self) -> bool:
        return not self.rows


def _cells(values: Sequence[str | int | None], columns: Sequence[Column]) -> tuple[CellView, ...]:
    out = []
    for i, column in enumerate(columns):
        value = values[i] if i < len(values) else None
        numeric = column.kind in NUMERIC_KINDS and isinstance(value, int)
        text = format_cell(value, column.kind)
        out.append(CellView(text=text, kind=column.kind, numeric=numeric,
                            negative=numeric and value < 0,  # type: ignore[operator]
                            code=not numeric and is_code(text)))
    return tuple(out)


def section_view(section: Section) -> SectionView:
    rows = tuple(_cells(row, section.columns) for row in section.rows)
    totals = _cells(section.totals, section.columns) if section.totals is not None else None
    note = section.note or ("本期无发生额" if not rows else "")
    return SectionView(key=section.key, title=section.title, columns=section.columns,
                       rows=rows, totals=totals, note=note)


def qr_svg(data: str) -> Markup:
    """The QR code as inline SVG (error correction M, quiet zone of 4 modules).

    The SVG holds only path geometry computed from `data`; `data` itself never
    appears in it, so it is safe to mark up.
    """
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass="qr-line",
                          dark="#000", light="#fff")
    return Markup(svg)


def qr_payload(pub: Publication, qr_url: str | None) -> str:
    return qr_url if qr_url else f"sanzi:{pub.number}:{pub.content_hash}"


def _css_safe(text: str, forbidden: str) -> str:
    """Text for a CSS string in the page margin: only harmless characters survive."""
    return re.sub(forbidden, "", text)


def render_html(pub: Publication, *, qr_url: str | None = None, paper: Paper = "A4",
                nav: Sequence[tuple[str, str]] = (),
                corrected_by: Sequence[tuple[str, str]] = ()) -> str:
    """The complete standalone page for one publication.

    qr_url       the online copy the QR code points to; without it the QR code
                 carries `sanzi:{number}:{content_hash}`.
    paper        "A4" (default) or "A3": the printed page size.
    nav          breadcrumb links (label, relative href) shown on screen only,
                 used by the static site; never printed.
    corrected_by (number, relative href) of later 更正公开 of this one, shown
                 on screen only.
    """
    if paper not in ("A4", "A3"):
        raise ValueError(f"paper must be A4 or A3, not {paper!r}")
    doc = pub.document
    payload = qr_payload(pub, qr_url)
    template = environment().get_template("disclosure.html")
    return template.render(
        pub=pub,
        doc=doc,
        paper=paper,
        sections=[section_view(s) for s in doc.sections],
        cadence=CADENCE_LABELS.get(doc.cadence, doc.cadence),
        period_first=chinese_date(doc.period_first),
        period_last=chinese_date(doc.period_last),
        published_on=chinese_date(pub.published_at),
        posted_until=chinese_date(pub.posted_until),
        signoffs=[{"role": s.role, "name": s.name, "at": date_time(s.at), "opinion": s.opinion}
                  for s in pub.signoffs],
        qr=qr_svg(payload),
        qr_text=payload,
        qr_is_url=bool(qr_url),
        css_number=_css_safe(pub.number, r"[^0-9A-Za-z._/-]"),
        css_digest=_css_safe(pub.short_digest, r"[^0-9A-Fa-f ]"),
        nav=list(nav),
        corrected_by=list(corrected_by),
    )
