"""An import file as a stream of rows: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX.

The encoding of a CSV is detected and said ("按 GB18030 编码读取"), never
guessed silently: a byte-order mark decides; otherwise a file that decodes
as UTF-8 is UTF-8 (a GBK text of any length almost never does); otherwise
charset-normalizer is asked, and only a Chinese GB encoding is accepted
(read as GB18030, the superset of GB2312 and GBK). When it is unsure the
import is refused and the message says how to state it (`--encoding`).
A UTF-8 file that turns out not to be UTF-8 after the sample is refused at
the line where it broke, never half read.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.cells import Cell, is_blank, narrow

SAMPLE_BYTES = 1 << 20
ROWS_MAX = 1_000_000  # rows per import file (design rule 10): ten times a wealthy village's decade
FILE_BYTES_MAX = 1 << 30
_GB = {"gb18030", "gbk", "gb2312", "cp936", "hz"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030"}


@dataclass
class Source:
    """Rows of one file; `encoding` is what the reader used (None for XLSX)."""

    path: str
    kind: str  # "csv" | "xlsx"
    encoding: str | None = None
    sheet: str = ""
    sha256: str = ""
    size_bytes: int = 0
    _rows: Iterator[tuple[int, list[Cell]]] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        assert self._rows is not None
        for count, (number, cells) in enumerate(self._rows, start=1):
            if count > ROWS_MAX:
                raise Refusal("import.too_many_rows", field="file", value=self.name, limit=ROWS_MAX)
            yield number, cells


def file_digest(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def open_source(path: str, *, encoding: str | None = None) -> Source:
    if not os.path.isfile(path):
        raise Refusal("import.file_missing", field="file", value=path)
    sha256, size = file_digest(path)
    if size > FILE_BYTES_MAX:
        raise Refusal("import.file_too_large", field="file", value=path, limit_mb=FILE_BYTES_MAX >> 20)
    with open(path, "rb") as stream:
        head = stream.read(SAMPLE_BYTES)
    if head.startswith(b"PK\x03\x04"):
        from sanzi_ledger.io.xlsx_rows import XlsxRows

        reader = XlsxRows(path)
        return Source(path, "xlsx", sheet=reader.sheet_name, sha256=sha256, size_bytes=size, _rows=iter(reader))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refusal("import.xls_legacy", field="file", value=os.path.basename(path))
    chosen = _named_encoding(encoding) if encoding else detect_encoding(head, final=len(head) == size)
    return Source(path, "csv", encoding=chosen, sha256=sha256, size_bytes=size, _rows=_csv_rows(path, chosen))


def reopened(source: Source) -> Source:
    """The same file read again from its first row, as `source` found it (kind,
    encoding, identity): for a reading process, which must not share a handle."""
    if source.kind == "xlsx":
        from sanzi_ledger.io.xlsx_rows import XlsxRows

        rows: Iterator[tuple[int, list[Cell]]] = iter(XlsxRows(source.path))
    else:
        assert source.encoding is not None, source
        rows = _csv_rows(source.path, source.encoding)
    return replace(source, _rows=rows)


def _named_encoding(name: str) -> str:
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        raise Refusal("import.encoding_unknown", field="encoding", value=name) from None
    return "gb18030" if codec in _GB else codec


def detect_encoding(sample: bytes, *, final: bool) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refusal("import.encoding_utf16", field="encoding", value="UTF-16")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:SAMPLE_BYTES]).best()
    guess = best.encoding if best is not None else "?"
    if guess in _GB:
        return "gb18030"
    raise Refusal("import.encoding_unsure", field="encoding", value=guess)


def _csv_rows(path: str, encoding: str) -> Iterator[tuple[int, list[Cell]]]:
    number = 0
    with open(path, "rb") as raw:
        try:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
            first = text.readline()
            dialect = "excel-tab" if "\t" in first and "," not in first else "excel"
            for number, row in enumerate(csv.reader(_lines_read(text, first), dialect=dialect), start=1):
                yield number, row  # type: ignore[misc]
        except UnicodeDecodeError:
            raise Refusal("import.encoding_broken", field="encoding", value=ENCODING_NAMES.get(encoding, encoding),
                          row=number + 1) from None
        except csv.Error as error:
            raise Refusal("import.csv_broken", field="file", value=os.path.basename(path), row=number + 1,
                          reason=str(error)) from None


def _lines_read(text: io.TextIOWrapper, first: str) -> Iterator[str]:
    yield first
    yield from text


def header_key(value: Cell) -> str:
    """A header as matched: narrowed, without a required-mark (*) or a unit in brackets."""
    raw = narrow(str(value)) if not is_blank(value) else ""
    for unit in ("(元)", "(亩)", "(张)"):
        raw = raw.replace(unit, "")
    return raw.strip().strip("*").strip()
