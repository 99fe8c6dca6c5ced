"""The Chinese font the PDF embeds, found on a fresh machine with pip alone.

`cjk_font_path` finds a source font: a system Noto Sans CJK SC / Source Han
Sans SC when one is installed (distribution packages put them under
/usr/share/fonts), else the OpenType file that the PyPI package
`cvttf-notosanscjk-regular` ships (Noto Sans CJK TC, the full pan-CJK glyph
set, SIL Open Font License).

`write_subset_font` then writes, for one document, a small TrueType font with
only the characters that document prints. Three reasons not to hand the
16 MB OpenType file to fpdf2 as it is:

- glyph shapes: the TC file draws shared characters the Taiwanese way (骨, 直,
  没…); applying the font's own `locl` substitutions for simplified Chinese
  (ZHS) gives mainland shapes whatever source was found;
- text extraction: fpdf2 embeds a CFF font through a custom CID encoding that
  pypdf and others read with the wrong widths (characters come out spaced);
  TrueType outlines (FontFile2, Identity CID-to-GID) read back exactly;
- speed: only the few hundred glyphs a table needs are converted (cubic to
  quadratic, fontTools' cu2qu) — about 0.1 s, against some 15 s for the
  whole font — and the source font is parsed once per process.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_PACKAGE = "cvttf-notosanscjk-regular"
FONT_PACKAGE_MODULE = "cvttf_NotoSansCJK_Regular"
FONT_FAMILY = "SanziCJK"  # the derived font's name: the source's reserved names are not reused (OFL)

SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
# Preferred first: single simplified-Chinese faces, then collections holding one.
SYSTEM_FONT_FILES = (
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSansCN-Regular.otf",
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.ttc",
    "SourceHanSans-Regular.ttc",
)
SC_FAMILY_MARKS = (" SC", " CN")  # 'Noto Sans CJK SC', 'Source Han Sans CN'
GLYPHS_MAX = 20_000  # a disclosure prints at most a few thousand distinct characters


class FontMissing(RuntimeError):
    """No Chinese font: the PDF cannot be made."""

    def __init__(self) -> None:
        super().__init__(
            f"找不到中文字体，无法生成 PDF：请安装 PyPI 包 {FONT_PACKAGE}"
            f"（pip install {FONT_PACKAGE}），或系统字体 Noto Sans CJK SC / Source Han Sans SC。"
            f" No Chinese font: pip install {FONT_PACKAGE}."
        )


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """The source font file: a system SC font if installed, else the PyPI package's font."""
    for name in SYSTEM_FONT_FILES:
        for folder in SYSTEM_FONT_DIRS:
            if folder.is_dir():
                found = sorted(folder.rglob(name))
                if found:
                    return found[0]
    packaged = _packaged_font()
    if packaged is None:
        raise FontMissing()
    return packaged


def _packaged_font() -> Path | None:
    spec = importlib.util.find_spec(FONT_PACKAGE_MODULE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        fonts = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".otf", ".ttf"))
        if fonts:
            return fonts[0]
    return None


# --- the per-document subset ------------------------------------------------------------

@dataclass(frozen=True)
class _Source:
    path: Path
    font: object  # fontTools TTFont, opened lazily
    cmap: dict[int, str]  # code point -> glyph name, simplified-Chinese forms applied
    lock: threading.Lock  # a lazily read TTFont is not safe to share between threads
    outlines: dict[str, object]  # glyph name -> TrueType glyph, converted once per process


def _face_number(path: Path) -> int:
    """In a collection, the simplified-Chinese face (not the monospaced one); else 0."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for number, face in enumerate(collection.fonts):
            family = face["name"].getDebugName(1) or ""
            if any(mark in family for mark in SC_FAMILY_MARKS) and "Mono" not in family:
                return number
    finally:
        collection.close()
    return 0


def _simplified_forms(font) -> dict[str, str]:
    """Glyph -> glyph substitutions of the font's `locl` feature for Chinese (simplified)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if not table.ScriptList or not table.FeatureList:
        return {}
    lookups: set[int] = set()
    for script in table.ScriptList.ScriptRecord:
        for lang in script.Script.LangSysRecord:
            if lang.LangSysTag.strip() != "ZHS":
                continue
            for index in lang.LangSys.FeatureIndex:
                record = table.FeatureList.FeatureRecord[index]
                if record.FeatureTag == "locl":
                    lookups.update(record.Feature.LookupListIndex)
    mapping: dict[str, str] = {}
    for index in sorted(lookups):
        lookup = table.LookupList.Lookup[index]
        for sub in lookup.SubTable:
            if lookup.LookupType == 7:  # extension: the real subtable is inside
                sub = sub.ExtSubTable
            if getattr(sub, "LookupType", 1) == 1 and hasattr(sub, "mapping"):
                mapping.update(sub.mapping)
    return mapping


@lru_cache(maxsize=2)
def _source(path: Path) -> _Source:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, fontNumber=_face_number(path))
    forms = _simplified_forms(font)
    cmap = {cp: forms.get(name, name) for cp, name in font.getBestCmap().items()}
    return _Source(path=path, font=font, cmap=cmap, lock=threading.Lock(), outlines={})


def missing_characters(text: Iterable[str], *, source: Path | None = None) -> frozenset[str]:
    """The printable characters of `text` that the font cannot draw."""
    cmap = _source(source or cjk_font_path()).cmap
    return frozenset(ch for piece in text for ch in piece if ch >= " " and ord(ch) not in cmap)


def write_subset_font(text: Iterable[str], dest: Path, *, source: Path | None = None) -> frozenset[str]:
    """Write to `dest` (a .ttf) a TrueType font with the glyphs of every character in `text`.

    Returns the characters the source font does not have (they would print blank).
    """
    src = _source(source or cjk_font_path())
    chars = {ch for piece in text for ch in piece if ch >= " "}
    wanted = {ord(ch): src.cmap[ord(ch)] for ch in chars if ord(ch) in src.cmap}
    missing = frozenset(ch for ch in chars if ord(ch) not in src.cmap)
    assert len(wanted) <= GLYPHS_MAX, f"{len(wanted)} characters: more than a disclosure prints"
    with src.lock:
        data = _build_ttf(src, wanted)
    dest.write_bytes(data)
    return missing


def _build_ttf(src: _Source, cmap: dict[int, str]) -> bytes:
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    font = src.font
    order_of = font.getGlyphID
    names = sorted(set(cmap.values()) - {".notdef"}, key=order_of)
    order = [".notdef", *names]
    outlines = font.getGlyphSet()
    glyphs = {}
    for name in order:
        if name not in src.outlines:
            pen = TTGlyphPen(None)
            # 1 font unit of tolerance on a 1000-unit em: invisible at any print size.
            outlines[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=font.sfntVersion == "OTTO"))
            src.outlines[name] = pen.glyph()
        glyphs[name] = src.outlines[name]
    hmtx = font["hmtx"]
    hhea = font["hhea"]
    os2 = font["OS/2"]
    names_table = font["name"]

    builder = FontBuilder(font["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(dict(sorted(cmap.items())))
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: tuple(hmtx[name]) for name in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
    source_family = names_table.getDebugName(4) or "CJK font"
    builder.setupNameTable({
        "copyright": names_table.getDebugName(0) or "",
        "familyName": FONT_FAMILY,
        "styleName": "Regular",
        "psName": f"{FONT_FAMILY}-Regular",
        "description": f"Subset of {source_family}: TrueType outlines, simplified Chinese forms",
        "licenseDescription": names_table.getDebugName(13) or "",
        "licenseInfoURL": names_table.getDebugName(14) or "",
    })
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
        sxHeight=getattr(os2, "sxHeight", 0), sCapHeight=getattr(os2, "sCapHeight", 0),
        fsType=os2.fsType,  # the source's embedding permission (0 for the OFL fonts: installable)
    )
    builder.setupPost(keepGlyphNames=False)
    # the source's timestamps, never now: the same characters give the same bytes (and PDF)
    builder.updateHead(created=font["head"].created, modified=font["head"].modified)
    builder.font.recalcTimestamp = False
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()
