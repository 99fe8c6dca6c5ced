"""The static website of every published disclosure (网上公开栏).

Layout under the output directory (all links relative, so the site works
from a file:// path, a USB stick or any web server):

    index.html                          乡镇 → 村 → 公开栏 → 期间
    <collective code>/index.html        one village, all its boards
    <collective code>/board-<id>.html   one board, every period, full digests
    <collective code>/<number>.html     one disclosure (render_html)

so a disclosure served under a base URL lives at `<base>/<code>/<number>.html`,
the address `disclose publish` prints in the board's QR code when the board's
online channel is that base. Directory and file names are ASCII: the
collective code and publication number when they are plain, otherwise a hash
of them; a board's id is a hash of its name. The output is a pure function of
the set of publications: the same input, in any order, gives byte-identical
files, so a rebuilt site can be compared with the one on the server.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sanzi_ledger.publish.document import Publication
from sanzi_ledger.publish.html import (
    CADENCE_LABELS,
    chinese_date,
    environment,
    render_html,
)

_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _hash8(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def _safe_name(text: str, prefix: str) -> str:
    """A file-system name for `text`: itself when plain ASCII, else a stable hash."""
    if _PLAIN_NAME.fullmatch(text) and not text.endswith("."):
        return text
    return f"{prefix}{_hash8(text)}"


@dataclass
class Entry:
    pub: Publication
    path: str  # relative to the site root, POSIX
    corrected_by: list[Entry] = field(default_factory=list)

    @property
    def doc(self):
        return self.pub.document

    @property
    def correction_of(self) -> str:
        return self.doc.corrects


@dataclass
class Board:
    name: str
    path: str  # its index.html
    entries: list[Entry] = field(default_factory=list)

    @property
    def latest(self) -> Entry:
        return max(self.entries, key=_recency)


@dataclass
class Village:
    code: str
    path: str
    boards: dict[str, Board] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [e for b in self.boards.values() for e in b.entries]

    @property
    def latest(self) -> Entry:
        return max(self.entries, key=_recency)


@dataclass
class Township:
    county: str
    name: str
    anchor: str
    villages: dict[str, Village] = field(default_factory=dict)


def _order(pub: Publication) -> tuple:
    d = pub.document
    return (d.county, d.township, d.collective_code, d.board_name, d.period_first, d.period_last,
            pub.published_at, pub.number, pub.content_hash, pub.seal_position, pub.seal_digest)


def _recency(entry: Entry) -> tuple:
    return (entry.pub.published_at, entry.pub.seal_position, entry.pub.number, entry.pub.content_hash)


def _rel(from_page: str, to_page: str) -> str:
    """Relative link from one page to another, both given from the site root."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


class _Paths:
    """Hands out paths; two things never share one, even on a case-insensitive disk."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, path: str, unique_key: str) -> str:
        candidate = path
        if candidate.casefold() in self.taken:
            stem, dot, ext = path.rpartition(".")
            candidate = f"{stem}-{_hash8(unique_key)}{dot}{ext}" if dot else f"{path}-{_hash8(unique_key)}"
        counter = 2
        base = candidate
        while candidate.casefold() in self.taken:  # hash prefix clash: practically never
            stem, dot, ext = base.rpartition(".")
            candidate = f"{stem}-{counter}{dot}{ext}" if dot else f"{base}-{counter}"
            counter += 1
        self.taken.add(candidate.casefold())
        return candidate


def _tree(publications: Iterable[Publication]) -> list[Township]:
    unique: dict[tuple[str, str, str, int, str], Publication] = {}
    for pub in publications:
        key = (pub.document.collective_code, pub.number, pub.content_hash, pub.seal_position, pub.seal_digest)
        unique.setdefault(key, pub)
    ordered = sorted(unique.values(), key=_order)

    paths = _Paths()
    paths.claim("index.html", "")
    townships: dict[tuple[str, str], Township] = {}
    villages: dict[str, Village] = {}  # a collective belongs to one township (its latest)
    # A collective is listed under the township of its latest publication.
    home: dict[str, tuple[str, str]] = {}
    for pub in sorted(ordered, key=lambda p: (p.published_at, p.seal_position, p.number, p.content_hash)):
        home[pub.document.collective_code] = (pub.document.county, pub.document.township)

    for pub in ordered:
        doc = pub.document
        county, township_name = home[doc.collective_code]
        tkey = (county, township_name)
        if tkey not in townships:
            townships[tkey] = Township(county=county, name=township_name,
                                       anchor=f"t-{_hash8(county, township_name)}")
        village = villages.get(doc.collective_code)
        if village is None:
            vdir = paths.claim(_safe_name(doc.collective_code, "c-"), doc.collective_code)
            village = Village(code=doc.collective_code,
                              path=paths.claim(f"{vdir}/index.html", doc.collective_code + "\x1f/"))
            villages[doc.collective_code] = village
            townships[tkey].villages[doc.collective_code] = village
        board = village.boards.get(doc.board_name)
        if board is None:
            vdir = posixpath.dirname(village.path)
            bpage = paths.claim(f"{vdir}/board-{_hash8(doc.board_name)}.html",
                                doc.collective_code + "\x1f" + doc.board_name)
            board = Board(name=doc.board_name, path=bpage)
            village.boards[doc.board_name] = board
        vdir = posixpath.dirname(village.path)
        page = paths.claim(f"{vdir}/{_safe_name(pub.number, 'n-')}.html",
                           f"{pub.number}\x1f{pub.content_hash}\x1f{pub.seal_position}")
        board.entries.append(Entry(pub=pub, path=page))

    # 更正公开: link an original to the disclosures that correct it (same collective).
    for village in villages.values():
        by_number: dict[str, list[Entry]] = {}
        for entry in village.entries:
            by_number.setdefault(entry.pub.number, []).append(entry)
        for entry in sorted(village.entries, key=_recency):
            for original in by_number.get(entry.correction_of, []) if entry.correction_of else []:
                if original is not entry:
                    original.corrected_by.append(entry)

    for board in (b for v in villages.values() for b in v.boards.values()):
        board.entries.sort(key=lambda e: _order(e.pub), reverse=True)  # newest period first
    return [townships[k] for k in sorted(townships)]


def _row(entry: Entry, from_page: str) -> dict:
    pub, doc = entry.pub, entry.doc
    return {
        "href": _rel(from_page, entry.path),
        "period": doc.period_label,
        "period_span": f"{chinese_date(doc.period_first)}至{chinese_date(doc.period_last)}",
        "cadence": CADENCE_LABELS.get(doc.cadence, doc.cadence),
        "number": pub.number,
        "title": doc.title,
        "published": chinese_date(pub.published_at),
        "posted_until": chinese_date(pub.posted_until),
        "short_digest": pub.short_digest,
        "seal_digest": pub.seal_digest,
        "seal_position": pub.seal_position,
        "content_hash": pub.content_hash,
        "corrects": doc.corrects,
        "corrected_by": [(c.pub.number, _rel(from_page, c.path)) for c in entry.corrected_by],
    }


def _board_view(board: Board, from_page: str) -> dict:
    latest = board.latest.doc
    return {"name": board.name, "href": _rel(from_page, board.path), "location": latest.board_location,
            "channel": latest.board_channel, "rows": [_row(e, from_page) for e in board.entries]}


def _village_view(village: Village, from_page: str) -> dict:
    latest = village.latest.doc
    return {"code": village.code, "name": latest.collective_name, "href": _rel(from_page, village.path),
            "boards": [_board_view(village.boards[name], from_page) for name in sorted(village.boards)]}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return  # unchanged: keep the file (and its mtime) as it is
    path.write_bytes(data)


def channel_qr_url(pub: Publication) -> str | None:
    """The online copy named by the board's channel: `<channel>/<code>/<number>.html`, or None."""
    channel = pub.document.board_channel
    if not channel:
        return None
    return f"{channel.rstrip('/')}/{pub.document.collective_code}/{pub.number}.html"


def build_site(publications: list[Publication], out_dir: Path, *, base_url: str | None = None,
               qr_url: Callable[[Publication], str | None] | None = None) -> Path:
    """Write the site into `out_dir`; return the path of its index.html.

    QR code of each disclosure page, first that applies:
      qr_url    a function giving the URL for a publication (None: the default text);
      base_url  where this site is served: the QR code points to the page itself;
      otherwise `channel_qr_url`, the address the paper copy on the board carries
      (and `sanzi:{number}:{content_hash}` when the board has no channel).
    Files of an earlier build that no longer belong to the site are left alone.
    """
    out_dir = Path(out_dir)
    env = environment()
    townships = _tree(publications)
    total = sum(len(v.entries) for t in townships for v in t.villages.values())
    home = "index.html"

    index = env.get_template("site_index.html").render(
        nav=[],
        townships=[{"county": t.county, "name": t.name, "anchor": t.anchor,
                    "villages": [_village_view(t.villages[c], home) for c in sorted(t.villages)]}
                   for t in townships],
        counts={"townships": len(townships), "villages": sum(len(t.villages) for t in townships),
                "publications": total},
    )
    _write(out_dir / home, index)

    for township in townships:
        for code in sorted(township.villages):
            village = township.villages[code]
            vpage = village.path
            vname = village.latest.doc.collective_name
            vnav = [("公开栏首页", _rel(vpage, home)),
                    (f"{township.county} {township.name}", f"{_rel(vpage, home)}#{township.anchor}"),
                    (vname, _rel(vpage, vpage))]
            _write(out_dir / vpage, env.get_template("site_village.html").render(
                nav=vnav, township=township, village=_village_view(village, vpage)))
            for bname in sorted(village.boards):
                board = village.boards[bname]
                bpage = board.path
                bnav = [("公开栏首页", _rel(bpage, home)),
                        (f"{township.county} {township.name}", f"{_rel(bpage, home)}#{township.anchor}"),
                        (vname, _rel(bpage, vpage)),
                        (bname, _rel(bpage, bpage))]
                _write(out_dir / bpage, env.get_template("site_board.html").render(
                    nav=bnav, township=township, village_name=vname, board=_board_view(board, bpage)))
                for entry in board.entries:
                    page = entry.path
                    pnav = [("公开栏首页", _rel(page, home)),
                            (f"{township.county} {township.name}", f"{_rel(page, home)}#{township.anchor}"),
                            (vname, _rel(page, vpage)),
                            (bname, _rel(page, bpage)),
                            (f"{entry.doc.period_label} 第 {entry.pub.number} 号", _rel(page, page))]
                    if qr_url is not None:
                        url = qr_url(entry.pub)
                    elif base_url:
                        url = base_url.rstrip("/") + "/" + page
                    else:
                        url = channel_qr_url(entry.pub)
                    _write(out_dir / page, render_html(
                        entry.pub, qr_url=url, nav=pnav,
                        corrected_by=[(c.pub.number, _rel(page, c.path)) for c in entry.corrected_by]))
    return out_dir / home
