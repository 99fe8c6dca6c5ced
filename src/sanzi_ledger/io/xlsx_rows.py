"""Rows of an XLSX file's first sheet, streamed: a small reader of our own.

openpyxl's read-only mode streams too, but reads about 13,000 rows/s here
(every cell becomes an object, every date is converted): a 100,000-voucher
file would take longer to read than the import may take in all. A sheet is a
deflated XML stream of `<row><c r= t=><f/><v/></c></row>`; this reader
inflates it in chunks and cuts rows out with regular expressions, holding one
chunk at a time. It keeps what an importer must know and openpyxl's
`data_only` mode hides: a formula saved without its computed value, and an
error value (#DIV/0!), become `Problem` cells. Merged cells are read as Excel
shows them: every cell of a merged block has the value of its top-left cell.
Styles are not read: a column is a date column by its header, so a date cell
(a serial number with a date style) and a serial number typed as a number
are the same thing to us.
"""

from __future__ import annotations

import codecs
import html
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from sanzi_ledger.errors import Refusal
from sanzi_ledger.io.cells import Cell, Problem

CHUNK_BYTES = 1 << 20
COLUMNS_MAX = 200  # a template has a dozen; more is not a ledger sheet
_VALUE = re.compile(r"<v>(.*?)</v>", re.DOTALL)
_FORMULA = re.compile(r"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_INLINE_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>", re.DOTALL)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def column_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


_COLUMNS = {chr(65 + i): i for i in range(26)}


def _prefix(head: str) -> str | None:
    """The namespace prefix of the sheet's elements ("x:"), "" for none, None if not yet seen."""
    match = re.search(r"<(\w+:)?worksheet\b", head)
    return (match[1] or "") if match else None


def _row_number(head: str, previous: int) -> int:
    at = head.find(' r="')
    return int(head[at + 4:head.find('"', at + 4)]) if at >= 0 else previous + 1


class XlsxRows:
    """`for number, cells in XlsxRows(path)`: 1-based sheet row numbers, cell values."""

    def __init__(self, path: str) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheet_name, self.member = self._first_sheet()
            self.strings = self._shared_strings()
            self.merges = self._merges()
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
            raise Refusal("import.xlsx_unreadable", field="file", value=path, reason=type(error).__name__) from None

    def _first_sheet(self) -> tuple[str, str]:
        workbook = self.zip.read("xl/workbook.xml").decode("utf-8")
        sheet = re.search(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook)
        assert sheet is not None, "workbook without a sheet"
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', sheet[1]))
        rel_id = next(v for k, v in attrs.items() if k.endswith(":id"))
        rels = self.zip.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        for rel in re.findall(r"<(?:\w+:)?Relationship\b([^>]*)/?>", rels):
            rel_attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
            if rel_attrs.get("Id") == rel_id:
                target = rel_attrs["Target"]
                member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                return html.unescape(attrs.get("name", "")), member
        raise KeyError(rel_id)

    def _shared_strings(self) -> list[str]:
        try:
            stream = self.zip.open("xl/sharedStrings.xml")
        except KeyError:
            return []
        strings = []
        with stream:
            for _, element in ElementTree.iterparse(stream):
                if element.tag == f"{_MAIN}si":
                    strings.append("".join(t.text or "" for t in element.iter(f"{_MAIN}t")))
                    element.clear()
        return strings

    def _chunks(self) -> Iterator[bytes]:
        with self.zip.open(self.member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield chunk

    def _merges(self) -> list[tuple[int, int, int, int]]:
        """Merged blocks (first row, last row, first column, last column); they are
        listed after the rows, so one quick pass over the inflated sheet finds them."""
        found, tail = [], b""
        for chunk in self._chunks():
            data = tail + chunk
            for m in _MERGE.finditer(data):
                found.append((int(m[2]), int(m[4]), column_index(m[1].decode()), column_index(m[3].decode())))
            tail = data[-300:]  # a block cut in two is found whole next time; the set drops repeats
        return sorted(set(found))

    def __iter__(self) -> Iterator[tuple[int, list[Cell]]]:
        # str.split is some ten times faster than a regular expression over a
        # sheet, so rows are cut at "</row>" and cells at "<c ".
        text_decoder = codecs.getincrementaldecoder("utf-8")()
        buffer, previous, prefix = "", 0, None
        anchors: dict[tuple[int, int], Cell] = {}
        for chunk in self._chunks():
            buffer += text_decoder.decode(chunk)
            if prefix is None:
                prefix = _prefix(buffer)
            if prefix:  # <x:row> as some producers write it: drop the namespace prefix
                buffer = buffer.replace(f"<{prefix}", "<").replace(f"</{prefix}", "</")
            parts = buffer.split("</row>")
            buffer = parts.pop()
            for part in parts:
                start = part.rfind("<row")
                head_end = part.find(">", start)
                number = _row_number(part[start:head_end], previous)
                previous = number
                cells = self._cells(part[head_end + 1:])
                if self.merges:
                    cells = self._fill_merged(number, cells, anchors)
                yield number, cells
        self.zip.close()

    def _cells(self, body: str) -> list[Cell]:
        cells: list[Cell] = []
        if "<c>" in body:
            body = body.replace("<c>", "<c >")
        for segment in body.split("<c ")[1:]:
            close = segment.find(">")
            attrs = segment[:close]
            at = 0 if attrs.startswith('r="') else attrs.find(' r="') + 1
            if at or attrs.startswith('r="'):
                letters = attrs[at + 3:at + 6].rstrip('0123456789"')
                index = _COLUMNS[letters] if letters in _COLUMNS else column_index(letters)
            else:
                index = len(cells)
            if index >= COLUMNS_MAX:
                continue
            if index > len(cells):
                cells.extend([None] * (index - len(cells)))
            elif index < len(cells):
                continue  # a repeated reference: keep the first
            at = attrs.find('t="')
            kind = attrs[at + 3:attrs.find('"', at + 3)] if at >= 0 else "n"
            if attrs.endswith("/"):
                cells.append(None)
            else:
                cells.append(self._value(kind, segment[close + 1:segment.rfind("</c>")]))
        return cells

    def _value(self, kind: str, body: str) -> Cell:
        if body.startswith("<v>") and body.endswith("</v>") and "<" not in body[3:-4]:
            raw: str | None = body[3:-4]  # the common case, without a search
            if "&" in raw:
                raw = html.unescape(raw)
        elif kind == "inlineStr" and body.startswith("<is><t>") and body.endswith("</t></is>") and "<" not in body[7:-9]:
            return html.unescape(body[7:-9]) if "&" in body else body[7:-9]
        else:
            value = _VALUE.search(body)
            raw = html.unescape(value[1]) if value else None
        if raw is None or (raw == "" and kind != "str"):
            formula = _FORMULA.search(body)
            if formula is not None:
                return Problem("=" + html.unescape(formula[1] or ""), formula=True)
            if kind == "inlineStr":
                return html.unescape("".join(_INLINE_TEXT.findall(body)))
            return None
        if kind == "s":
            return self.strings[int(raw)]
        if kind in ("str", "d"):
            return raw
        if kind == "b":
            return raw == "1"
        if kind == "e":
            return Problem(raw, formula=False)
        if raw.isdigit():
            return int(raw)
        try:
            return int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            return raw

    def _fill_merged(self, number: int, cells: list[Cell], anchors: dict[tuple[int, int], Cell]) -> list[Cell]:
        for first_row, last_row, first_col, last_col in self.merges:
            if first_row > number:
                break
            if number > last_row:
                continue
            if number == first_row:
                anchors[(first_row, first_col)] = cells[first_col] if first_col < len(cells) else None
            value = anchors.get((first_row, first_col))
            if len(cells) <= last_col:
                cells.extend([None] * (last_col + 1 - len(cells)))
            for col in range(first_col, last_col + 1):
                if (number, col) != (first_row, first_col):
                    cells[col] = value
        return cells
