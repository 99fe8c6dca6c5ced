"""The board page (render_html): escaped user text, digests, QR code, print CSS, masking."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanzi_ledger.publish.document import Publication, Section, Signoff
from sanzi_ledger.publish.html import CSP, format_cell, qr_svg, render_html
from tests.dom import Node, parse
from tests.dom import table_rows as rows_of
from tests.publish_samples import (
    ATTR_NAME,
    MASKED_ID,
    MASKED_PHONE,
    SCRIPT_NAME,
    sample_publications,
)

UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
UNMASKED_PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def assert_no_active_content(dom: Node, html: str) -> None:
    tags = {n.tag for n in dom.iter()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "form", "base", "input"}, tags
    for node in dom.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            assert "javascript:" not in (value or "").lower(), (node.tag, name, value)
    assert "<script" not in html.lower()


PUBS = sample_publications()
DONGSHAN_MARCH, CORRECTION, NANLING_MONTH = PUBS[1], PUBS[2], PUBS[4]


@pytest.fixture(scope="module")
def march() -> tuple[str, Node]:
    html = render_html(DONGSHAN_MARCH)
    return html, parse(html)


# --- a standalone page -------------------------------------------------------------

def test_page_is_standalone_chinese_and_locked_down(march):
    html, dom = march
    assert html.startswith("<!DOCTYPE html>")
    root = dom.find("html")
    assert root.attrs["lang"] == "zh-CN"
    assert dom.find("meta", charset="utf-8")
    csp = dom.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert csp == CSP
    assert csp.startswith("default-src 'none'; style-src 'unsafe-inline'; img-src data:")
    assert_no_active_content(dom, html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "external resource"
    assert "url(" not in html and "@import" not in html


def test_print_css_a4_by_default_and_a3_on_request(march):
    html, dom = march
    style = dom.find("style").text()
    assert "@page" in style and "size: A4 portrait" in style
    assert "@media print" in style
    assert "paper-a4" in dom.find("html").attrs["class"]
    a3 = parse(render_html(DONGSHAN_MARCH, paper="A3"))
    assert "paper-a3" in a3.find("html").attrs["class"]
    assert "size: A3 portrait" in a3.find("style").text()
    with pytest.raises(ValueError):
        render_html(DONGSHAN_MARCH, paper="Letter")  # type: ignore[arg-type]


def test_heading_place_period_board_and_dates(march):
    _, dom = march
    doc = DONGSHAN_MARCH.document
    text = dom.find("main").text()
    assert dom.find("h1").text() == doc.title
    for part in (doc.county, doc.township, doc.collective_name, doc.collective_code, doc.board_name,
                 doc.board_location, doc.board_channel, DONGSHAN_MARCH.number, doc.period_label,
                 "2025年3月1日 至 2025年3月31日", DONGSHAN_MARCH.published_by):
        assert part in text, part
    assert "公开日期" in text and "2025年4月8日" in text
    assert dom.find(id="posted-until").text().startswith("2025年4月23日")


# --- tables -------------------------------------------------------------------------

def test_every_section_is_a_table_with_money_right_aligned_and_totals(march):
    _, dom = march
    sections = dom.find_all("section", class_="part")
    titles = [s.find("h2").text() for s in sections]
    for section in DONGSHAN_MARCH.document.sections:
        assert any(t.startswith(section.title) for t in titles), section.title
    income = dom.find("section", **{"data-section": "income_expense"})
    headings = [th.text() for th in income.find("thead").find_all("th")]
    assert headings == ["日期", "凭证号", "摘要", "对方单位/个人", "收入（元）", "支出（元）"]
    rows = rows_of(income)
    assert rows[0] == ["2025-03-03", "记-03-001", "收取东山水库承包费（2025年度）", "王建国", "12,000.00", ""]
    assert rows[2][3] == SCRIPT_NAME and rows[2][4] == "36,000.00"
    assert rows[-1] == ["合计", "", "", "", "98,123.45", "10,104.20"]
    total = income.find("tr", class_="total")
    money = [td for td in total.find_all("td") if "num" in td.attrs["class"].split()]
    assert [td.text() for td in money] == ["98,123.45", "10,104.20"]
    style = dom.find("style").text()
    assert re.search(r"td\.num[^{]*\{[^}]*text-align: right", style)
    resources = rows_of(dom.find("section", **{"data-section": "resources"}))
    assert resources[0][2] == "86.50" and resources[1][2] == "1260.00" and resources[-1][2] == "1382.80"


def test_empty_section_prints_its_note_across_the_table():
    dom = parse(render_html(NANLING_MONTH))
    contracts = dom.find("section", **{"data-section": "contracts"})
    cell = contracts.find("td", class_="none")
    assert cell.text() == "本期无发生额"
    assert cell.attrs["colspan"] == str(len(NANLING_MONTH.document.sections[3].columns))
    assert not contracts.find_all("tr", class_="total")


def test_note_of_a_section_with_rows_is_printed_under_it():
    doc = DONGSHAN_MARCH.document
    noted = doc.sections[0].model_copy(update={"note": "含上月跨期收入一笔"})
    pub = DONGSHAN_MARCH.model_copy(update={"document": doc.model_copy(update={"sections": (noted,)})})
    dom = parse(render_html(pub))
    assert dom.find("p", class_="note").text() == "说明：含上月跨期收入一笔"


def test_correction_banner_only_on_a_correction(march):
    _, dom = march
    assert not dom.find_all(id="correction")
    fixed = parse(render_html(CORRECTION))
    banner = fixed.find(id="correction")
    assert "更正公开" in banner.text()
    assert banner.find("strong", class_="corrects").text() == "GK-2025-002"


def test_signoff_block_names_dates_and_opinions(march):
    _, dom = march
    review = dom.find(id="review")
    assert "民主理财小组" in review.text() and "村务监督委员会" in review.text()
    rows = [[td.text() for td in tr.find_all("td")] for tr in review.find_all("tr", class_="signoff")]
    assert rows[0][:4] == ["民主理财小组组长", "张德明", "2025-04-07 09:30", "经逐笔核对原始凭证，内容真实、完整，同意公开。"]
    assert [r[1] for r in rows] == ["张德明", "李秀兰", "王小军"]


# --- digest and QR code -------------------------------------------------------------

def test_digest_in_full_and_short(march):
    _, dom = march
    assert dom.find(id="seal-digest").text() == DONGSHAN_MARCH.seal_digest
    assert dom.find(id="content-hash").text() == DONGSHAN_MARCH.content_hash
    assert dom.find(id="short-digest").text() == DONGSHAN_MARCH.short_digest
    assert re.fullmatch(r"[0-9a-f]{4}( [0-9a-f]{4}){3}", DONGSHAN_MARCH.short_digest)
    style = dom.find("style").text()
    size = re.search(r"\.verify \.short \{[^}]*font-size: ([\d.]+)rem", style)
    assert size and float(size.group(1)) >= 1.4  # readable on the board, not fine print
    assert DONGSHAN_MARCH.short_digest in style  # and in every printed page's margin


def test_qr_code_is_inline_svg_of_the_number_and_hash_by_default(march):
    html, dom = march
    svg = dom.find("svg", class_="qr")
    assert svg.attrs["viewbox"].startswith("0 0 ")
    payload = f"sanzi:{DONGSHAN_MARCH.number}:{DONGSHAN_MARCH.content_hash}"
    assert str(qr_svg(payload)) in html
    assert payload in dom.find(id="verify").text()


def test_qr_code_points_to_the_online_copy_when_given():
    url = "https://gk.example.gov.cn/qingshi/dongshan/N1532010001/GK-2025-002.html"
    html = render_html(DONGSHAN_MARCH, qr_url=url)
    assert str(qr_svg(url)) in html
    assert str(qr_svg(f"sanzi:{DONGSHAN_MARCH.number}:{DONGSHAN_MARCH.content_hash}")) not in html


# --- user text stays text -----------------------------------------------------------

@pytest.mark.parametrize("pub", PUBS, ids=[f"{p.document.collective_code}-{p.number}" for p in PUBS])
def test_no_sample_page_carries_active_content(pub: Publication):
    html = render_html(pub)
    assert_no_active_content(parse(html), html)


def test_malicious_names_are_printed_as_text(march):
    html, dom = march
    assert SCRIPT_NAME not in html and ATTR_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    text = dom.find("main").text()
    assert SCRIPT_NAME in text and ATTR_NAME in text


MARKUPISH = st.text(alphabet=st.sampled_from(list("<>\"'&/=;:() ascriptimgonerrorsvg中文\\`")), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=MARKUPISH, board=MARKUPISH, cell=MARKUPISH, name=MARKUPISH, opinion=MARKUPISH, corrects=MARKUPISH)
def test_any_user_text_comes_back_as_the_same_text_and_no_markup(title, board, cell, name, opinion, corrects):
    doc = DONGSHAN_MARCH.document
    first = doc.sections[0]
    row = list(first.rows[0])
    row[3] = cell
    section = Section(key=first.key, title=first.title, columns=first.columns, rows=(tuple(row),))
    pub = DONGSHAN_MARCH.model_copy(update={
        "document": doc.model_copy(update={"title": title, "board_location": board, "sections": (section,),
                                           "corrects": corrects}),
        "signoffs": (Signoff(role="村务监督委员", name=name, at="2025-04-07T09:30:00+08:00", opinion=opinion),),
    })
    html = render_html(pub)
    dom = parse(html)
    assert_no_active_content(dom, html)
    assert dom.find("h1").text() == title
    assert rows_of(dom.find("section", **{"data-section": "income_expense"}))[0][3] == cell.strip()
    signoff = [td.text() for td in dom.find("tr", class_="signoff").find_all("td")]
    assert signoff[1] == name and signoff[3] == opinion
    assert dom.find("strong", class_="corrects").text() == corrects
    assert board in dom.find(id="facts").text()


# --- privacy: identifiers printed as masked, never unmasked or reformatted ------------------

@pytest.mark.parametrize("pub", PUBS, ids=[f"{p.document.collective_code}-{p.number}" for p in PUBS])
def test_only_masked_identifiers_appear(pub: Publication):
    html = render_html(pub)
    text = parse(html).find("main").text()
    assert not UNMASKED_ID.search(html), UNMASKED_ID.search(html)
    assert not UNMASKED_PHONE.search(html)
    for section in pub.document.sections:
        for row in section.rows:
            for value in row:
                if isinstance(value, str) and "*" in value:
                    assert value in text  # verbatim: not re-masked, not reformatted


def test_masked_id_and_phone_stay_on_one_line(march):
    _, dom = march
    debts = dom.find("section", **{"data-section": "debts"})
    ids = [td for td in debts.find_all("td") if td.text() in (MASKED_ID, MASKED_PHONE)]
    assert len(ids) == 2 and all("code" in td.attrs["class"].split() for td in ids)


# --- cells and determinism ----------------------------------------------------------

@pytest.mark.parametrize(("value", "kind", "shown"), [
    (123456, "money", "1,234.56"), (-5, "money", "-0.05"), (0, "money", "0.00"),
    (123_456_789_012, "money", "1,234,567,890.12"), (1250, "area", "12.50"), (126000, "area", "1260.00"),
    (1236, "count", "1,236"), (None, "money", ""), ("2025-03-03", "date", "2025-03-03"),
    (MASKED_ID, "text", MASKED_ID), ("—", "money", "—"),
])
def test_format_cell(value, kind, shown):
    assert format_cell(value, kind) == shown


def test_rendering_is_deterministic():
    for pub in PUBS:
        assert render_html(pub) == render_html(sample_publications()[PUBS.index(pub)])
