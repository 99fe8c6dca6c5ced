"""Every file of one publication, written into a folder: what goes on the board and online."""

from __future__ import annotations

from pathlib import Path

from sanzi_ledger.publish.document import Publication


def json_bytes(pub: Publication) -> bytes:
    """The publication as data (document, hash, sign-offs, seal): readable without this program."""
    return (pub.model_dump_json(indent=1) + "\n").encode("utf-8")


def write_all(pub: Publication, folder: Path, *, qr_url: str | None = None) -> list[Path]:
    """HTML (print), XLSX, one CSV per section, PDF, and the JSON data; returns the paths."""
    from sanzi_ledger.publish.csv_out import write_csv
    from sanzi_ledger.publish.html import render_html
    from sanzi_ledger.publish.pdf import write_pdf
    from sanzi_ledger.publish.xlsx import write_xlsx

    stem = folder / pub.number
    html = stem.with_suffix(".html")
    html.write_text(render_html(pub, qr_url=qr_url), "utf-8")
    xlsx, pdf, data = stem.with_suffix(".xlsx"), stem.with_suffix(".pdf"), stem.with_suffix(".json")
    write_xlsx(pub, xlsx)
    write_pdf(pub, pdf)
    data.write_bytes(json_bytes(pub))
    return [html, xlsx, pdf, data, *write_csv(pub, folder)]
