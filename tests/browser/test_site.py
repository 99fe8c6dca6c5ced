"""The static site in a real browser: open it, follow links, read the tables, prove no script runs.

Every check reads the DOM as headless Chromium has built it after load, so
what is asserted is what a villager's browser shows, not what the template
meant to write.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from sanzi_ledger.publish.document import Publication, Section
from sanzi_ledger.publish.html import render_html
from tests.browser.conftest import Chromium, file_url, follow
from tests.dom import Node, parse, table_rows
from tests.publish_samples import ATTR_NAME, SCRIPT_NAME, sample_publications


def open_page(chromium: Chromium, url: str) -> Node:
    return parse(chromium.dump_dom(url))


def assert_inert(dom: Node) -> None:
    """Nothing in the live DOM can run: no script, no injected element, no handler, no pwned mark."""
    tags = {n.tag for n in dom.iter()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "form", "base"}, tags
    for node in dom.iter():
        assert not any(name.startswith("on") for name in node.attrs), (node.tag, node.attrs)
        assert "data-pwned" not in node.attrs, node.attrs


# --- probes: markup that would leave a mark in the DOM if it ever ran ------------------------

MARK = "document.documentElement.setAttribute('data-pwned','{0}');window.__pwned=1"
PAYLOADS = (
    f"<script>{MARK.format('script')}</script>",
    f"<img src=x onerror=\"{MARK.format('img')}\">",
    f"<svg onload=\"{MARK.format('svg')}\"></svg>",
    f"\"'><script>{MARK.format('attr')}</script>",
    SCRIPT_NAME,
    ATTR_NAME,
)
REPORTER = "<script>document.documentElement.setAttribute('data-probe', String(window.__pwned))</script>"


def probe_publication() -> Publication:
    """A disclosure whose every typed field carries a payload."""
    base = sample_publications()[1]
    doc = base.document
    first = doc.sections[0]
    rows = tuple((r[0], r[1], PAYLOADS[i % len(PAYLOADS)], PAYLOADS[(i + 1) % len(PAYLOADS)], r[4], r[5])
                 for i, r in enumerate(first.rows))
    section = Section(key=first.key, title=PAYLOADS[0], columns=first.columns, rows=rows, totals=first.totals)
    signoffs = tuple(s.model_copy(update={"name": PAYLOADS[i % len(PAYLOADS)], "opinion": PAYLOADS[-1 - i]})
                     for i, s in enumerate(base.signoffs))
    return base.model_copy(update={
        "document": doc.model_copy(update={
            "title": PAYLOADS[3], "board_name": PAYLOADS[2], "board_location": PAYLOADS[1],
            "collective_name": PAYLOADS[0], "corrects": PAYLOADS[4], "sections": (section, *doc.sections[1:])}),
        "signoffs": signoffs, "published_by": PAYLOADS[5],
    })


def test_control_the_harness_sees_a_script_that_runs(chromium: Chromium, tmp_path: Path):
    """Raw payloads in a bare page do run, so the probes below would see an escape."""
    page = tmp_path / "control.html"
    marking = "".join(PAYLOADS[:4])  # not SCRIPT_NAME: a real alert() would block the browser
    page.write_text(f"<!DOCTYPE html><html><body>{marking}{REPORTER}</body></html>", encoding="utf-8")
    root = open_page(chromium, file_url(page)).find("html")
    assert root.attrs.get("data-probe") == "1"
    assert root.attrs.get("data-pwned")


def test_escaping_alone_keeps_window_pwned_unset(chromium: Chromium, tmp_path: Path):
    """The CSP removed and a reporter script added: only escaping stands between text and markup."""
    html = render_html(probe_publication())
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', "", html)
    assert "Content-Security-Policy" not in html
    page = tmp_path / "probe-no-csp.html"
    page.write_text(html.replace("</body>", REPORTER + "</body>"), encoding="utf-8")
    dom = open_page(chromium, file_url(page))
    root = dom.find("html")
    assert root.attrs.get("data-probe") == "undefined"  # the reporter ran; no payload did
    assert "data-pwned" not in root.attrs
    text = dom.find("main").text()
    for payload in PAYLOADS:
        assert payload in text, payload


def test_the_real_page_is_inert_and_shows_every_payload_as_text(chromium: Chromium, tmp_path: Path):
    page = tmp_path / "probe.html"
    page.write_text(render_html(probe_publication()), encoding="utf-8")
    dom = open_page(chromium, file_url(page))
    assert_inert(dom)
    assert dom.find("h1").text() == PAYLOADS[3]
    cells = table_rows(dom.find("section", **{"data-section": "income_expense"}))
    assert [row[2] for row in cells[:len(PAYLOADS)]] == list(PAYLOADS)


def test_the_csp_alone_stops_markup_that_slipped_through(chromium: Chromium, tmp_path: Path):
    """Defence in depth: the page's CSP blocks inline script even if escaping had failed."""
    html = render_html(sample_publications()[1])
    injected = f"<img src=x onerror=\"{MARK.format('img')}\"><script>{MARK.format('script')}</script>"
    page = tmp_path / "injected.html"
    page.write_text(html.replace("<main ", injected + "<main ", 1), encoding="utf-8")
    root = open_page(chromium, file_url(page)).find("html")
    assert "data-pwned" not in root.attrs


# --- the site, as a visitor walks it -----------------------------------------------------

def test_index_lists_townships_villages_boards_and_periods(chromium: Chromium, site: Path):
    dom = open_page(chromium, file_url(site))
    assert_inert(dom)
    townships = [s.find("h2").text() for s in dom.find_all("section", class_="township")]
    assert townships == ["安宁县 白塔乡", "安宁县 青石镇"]
    qingshi = dom.find_all("section", class_="township")[1]
    villages = [v.find("h3").text() for v in qingshi.find_all("section", class_="village")]
    assert villages == ["东山村股份经济合作社", "西河村股份经济合作社"]
    dongshan = qingshi.find("section", class_="village")
    assert [h.text() for h in dongshan.find_all("h4")] == ["公开栏：村委会门前公开栏"]
    rows = table_rows(dongshan)
    assert [r[:2] for r in rows] == [["2025-03", "GK-2025-003"], ["2025-03", "GK-2025-002"],
                                     ["2025-02", "GK-2025-001"]]
    pubs = {p.number: p for p in sample_publications()[:3]}
    assert [r[4] for r in rows] == [pubs[r[1]].short_digest for r in rows]
    assert "更正公开" in rows[0][5] and "已更正" in rows[1][5]
    baita = dom.find_all("section", class_="township")[0]
    assert [h.text() for h in baita.find_all("h4")] == ["公开栏：三组公开栏", "公开栏：村口公开栏"]


def test_follow_links_index_village_board_disclosure_and_back(chromium: Chromium, site: Path):
    index_url = file_url(site)
    index = open_page(chromium, index_url)

    village_url, village_file = follow(index_url, index.link("东山村股份经济合作社"))
    assert village_file.is_file()
    village = open_page(chromium, village_url)
    assert_inert(village)
    assert village.find("h1").text() == "东山村股份经济合作社"
    assert "东山村村委会大院东墙" in village.find("p", class_="where").text()

    board_url, _ = follow(village_url, village.link("村委会门前公开栏"))
    board = open_page(chromium, board_url)
    assert_inert(board)
    march = sample_publications()[1]
    full = [td.find("span", class_="seal").text() for td in board.find_all("td", class_="full")]
    assert march.seal_digest in full

    page_url, _ = follow(board_url, board.link("GK-2025-002"))
    page = open_page(chromium, page_url)
    assert_inert(page)
    assert page.find("h1").text() == march.document.title
    assert page.find(id="seal-digest").text() == march.seal_digest
    assert page.find(id="short-digest").text() == march.short_digest
    income = page.find("section", **{"data-section": "income_expense"})
    rows = table_rows(income)
    assert rows[0] == ["2025-03-03", "记-03-001", "收取东山水库承包费（2025年度）", "王建国", "12,000.00", ""]
    assert rows[2][3] == SCRIPT_NAME and rows[4][3] == ATTR_NAME
    assert rows[-1] == ["合计", "", "", "", "98,123.45", "10,104.20"]
    subsidies = table_rows(page.find("section", **{"data-section": "subsidies"}))
    assert subsidies[-1] == ["合计", "", "348,321.00", "262,821.00", "85,500.00", "558"]
    debts = table_rows(page.find("section", **{"data-section": "debts"}))
    assert debts[0][2] == "110105********002X" and debts[1][2] == "138****5678"

    # the original points to its correction, which carries the banner
    fix_url, _ = follow(page_url, page.find("p", class_="superseded").find("a").attrs["href"] or "")
    fix = open_page(chromium, fix_url)
    assert "更正公开" in fix.find(id="correction").text()
    assert table_rows(fix.find("section", **{"data-section": "income_expense"}))[-1][5] == "10,464.20"

    # breadcrumbs lead back to every level
    crumbs = page.find("nav", class_="crumbs")
    back_board, _ = follow(page_url, crumbs.link("村委会门前公开栏"))
    back_village, _ = follow(page_url, crumbs.link("东山村股份经济合作社"))
    back_home, _ = follow(page_url, crumbs.link("公开栏首页"))
    assert (back_board, back_village, back_home) == (board_url, village_url, index_url)
    township_url = follow(page_url, crumbs.link("安宁县 青石镇"))[0]
    assert township_url == index_url


def test_every_link_in_the_site_resolves_to_a_page(site: Path):
    root = site.parent
    pages = sorted(root.rglob("*.html"))
    assert len(pages) == 1 + 3 + 4 + 6
    for page in pages:
        dom = parse(page.read_text(encoding="utf-8"))
        for a in dom.find_all("a"):
            href = a.attrs.get("href") or ""
            assert not re.match(r"^[a-z]+:|^/", href), (page, href)  # relative only
            _, target = follow(file_url(page), href)
            assert target.is_file(), (page, href)
            anchor = href.partition("#")[2]
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8")


def test_empty_section_and_quarterly_board_in_the_browser(chromium: Chromium, site: Path):
    index_url = file_url(site)
    index = open_page(chromium, index_url)
    baita = index.find_all("section", class_="township")[0]
    href = [a.attrs["href"] for a in baita.find_all("a") if a.text() == "2025-03"][0]
    page = open_page(chromium, follow(index_url, href or "")[0])
    contracts = page.find("section", **{"data-section": "contracts"})
    assert table_rows(contracts) == [["本期无发生额"]]
    assert "月度公开" in page.find("header").text()
    quarterly = [a.attrs["href"] for a in index.find_all("a") if a.text() == "2025-Q1"]
    assert len(quarterly) == 2
    q = open_page(chromium, follow(index_url, quarterly[1] or "")[0])
    assert "季度公开" in q.find("header").text()
    assert "2025年1月1日 至 2025年3月31日" in q.find(id="facts").text()


def test_site_is_rebuilt_byte_for_byte(tmp_path: Path):
    from sanzi_ledger.publish.site import build_site

    pubs = sample_publications()
    first = build_site(pubs, tmp_path / "a").parent
    second = build_site(list(reversed(pubs)) + pubs[:1], tmp_path / "b").parent
    files_a = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    files_b = {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()}
    assert files_a == files_b


# --- pictures and paper -----------------------------------------------------------------

def _png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", png
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(("name", "target", "size"), [
    ("index", "index.html", (1200, 1600)),
    ("disclosure", "N1532010001/GK-2025-003.html", (1000, 2400)),
    ("board", "N1532010001/board-*.html", (1200, 900)),
])
def test_screenshots(chromium: Chromium, site: Path, artifacts: Path, name: str, target: str, size):
    found = sorted(site.parent.glob(target))
    assert len(found) == 1, (target, sorted(str(p) for p in site.parent.rglob("*.html")))
    page = found[0]
    png = chromium.screenshot(file_url(page), artifacts / f"{name}.png", *size)
    assert _png_size(png) == size
    assert png.stat().st_size > 30_000  # a drawn page, not a blank one
    print(f"screenshot: {png}")


def _pdf_pages(pdf: Path) -> list[tuple[float, float]]:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.parametrize(("paper", "points"), [("A4", (595, 842)), ("A3", (842, 1191))])
def test_prints_on_a4_and_a3(chromium: Chromium, tmp_path: Path, paper: str, points):
    page = tmp_path / f"{paper}.html"
    page.write_text(render_html(sample_publications()[1], paper=paper), encoding="utf-8")  # type: ignore[arg-type]
    pages = _pdf_pages(chromium.print_pdf(file_url(page), tmp_path / f"{paper}.pdf"))
    assert pages, "no page in the PDF"
    for width, height in pages:
        assert abs(width - points[0]) < 2 and abs(height - points[1]) < 2, (width, height)
    assert len(pages) <= (3 if paper == "A4" else 3)


def test_site_qr_codes_name_the_online_copy(tmp_path: Path):
    from sanzi_ledger.publish.html import qr_svg
    from sanzi_ledger.publish.site import build_site

    pubs = sample_publications()
    root = build_site(pubs, tmp_path / "a").parent
    dongshan = (root / "N1532010001" / "GK-2025-002.html").read_text(encoding="utf-8")
    assert str(qr_svg("https://gk.example.gov.cn/qingshi/dongshan/N1532010001/GK-2025-002.html")) in dongshan
    xihe = (root / "N1532010002" / "GK-2025-001.html").read_text(encoding="utf-8")  # board without channel
    assert str(qr_svg(f"sanzi:GK-2025-001:{pubs[3].content_hash}")) in xihe
    served = build_site(pubs, tmp_path / "b", base_url="https://example.org/gk/").parent
    xihe = (served / "N1532010002" / "GK-2025-001.html").read_text(encoding="utf-8")
    assert str(qr_svg("https://example.org/gk/N1532010002/GK-2025-001.html")) in xihe
    chosen = build_site(pubs, tmp_path / "c", qr_url=lambda p: None).parent
    dongshan = (chosen / "N1532010001" / "GK-2025-002.html").read_text(encoding="utf-8")
    assert str(qr_svg(f"sanzi:GK-2025-002:{pubs[1].content_hash}")) in dongshan


# --- layout: nothing sticks out of the sheet ----------------------------------------------

MEASURE = """<script>(function () {
  var sheet = document.querySelector('.sheet'), style = getComputedStyle(sheet);
  var right = sheet.getBoundingClientRect().right - parseFloat(style.paddingRight) + 1, bad = [];
  document.querySelectorAll('.sheet table, .sheet .closing, .sheet .verify').forEach(function (el) {
    if (el.getBoundingClientRect().right > right) bad.push(((el.closest('section') || {}).id || el.className));
  });
  document.querySelectorAll('.sheet td, .sheet th, .verify .short, .verify .full').forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1) bad.push('cell:' + el.textContent.slice(0, 20));
  });
  document.documentElement.setAttribute('data-overflow', bad.join('|') || 'none');
})();</script>"""


@pytest.mark.parametrize(("index", "paper"), [(i, "A4") for i in range(6)] + [(1, "A3")])
def test_no_table_or_code_sticks_out_of_the_sheet(chromium: Chromium, tmp_path: Path, index: int, paper: str):
    """Measured in the browser (CSP lifted on a copy so the measuring script may run)."""
    pub = sample_publications()[index]
    html = render_html(pub, paper=paper)  # type: ignore[arg-type]
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?', "", html)
    page = tmp_path / "measure.html"
    page.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    width = 1000 if paper == "A4" else 1300
    root = parse(chromium._run(f"--window-size={width},1400", "--dump-dom", file_url(page)).stdout.decode()).find("html")
    assert root.attrs.get("data-overflow") == "none", root.attrs.get("data-overflow")
