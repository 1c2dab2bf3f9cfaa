"""Fonts as the text layer needs them: character codes → Unicode text and advance widths.

pypdf reads the font resource (encodings, /Differences, ToUnicode CMaps, /Widths, /W + /DW,
the standard-14 metrics); this module turns that into one lookup per character code, so the
content-stream interpreter (flows/glyphs.py) can place every glyph exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pypdf._codecs.adobe_glyphs import adobe_glyphs
from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS
from pypdf.errors import PyPdfError
from pypdf.generic._font import Font

# Default advance when a font gives no widths at all: half an em, the usual average glyph.
FALLBACK_WIDTH = 0.5
# Type 3 fonts without a usable /FontMatrix: the conventional 1/1000 glyph space.
THOUSANDTH = 0.001
# Two-byte codes: Type 0 fonts whose CMap is Identity or a UTF-16 CMap.
_TWO_BYTE_CODECS = ("utf-16-be",)
# Ligature code points (U+FB00–U+FB06) are read as their letters: "ﬁ" is "fi" to a reader,
# a search engine and the word check; NFKC gives exactly the letters.
_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
# U+00AD marks where a word may break; some fonts map their hyphen glyph to it, or to "-"
# followed by it (Wiley), though the glyph is drawn.
SOFT_HYPHEN = "\u00ad"
# Zero-width characters some producers map invisible glyphs to: no text, and not a missing map.
ZERO_WIDTH = frozenset("\ufeff\u200b\u200c\u200d\u2060")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC = re.compile(r"italic|oblique|slanted", re.I)
# Weights abbreviated in the style part of the name: foundry short forms (Bd, BdIt, Blk, Hv,
# Hvy, Sb, Smbd, Semibd, Xbd), URW's "Medi" (the bold of Nimbus and its kin, whose regular is
# "Regu"), and the one-letter styles of Advent/3B2 fonts (".B", ".BI"). A short form follows
# a separator or ends a lower-case family name ("FrutigerBd"); a bare letter needs a
# separator, since an obfuscated name ("AdvPSA88B") ends in any letter.
_BOLD_SHORT = re.compile(
    r"(?:(?:[-.,_]|(?<=[a-z]))(?:Bd|Blk|Hv|Hvy|Sb|Smbd|SmBd|Semibd|Xbd|Medi|Demi)"
    r"|[-.,_](?:B|BI|BO))(?:It|Ital|Obl|Cn|Cond|Ex)*$")
# Slants abbreviated likewise: "-It", "Ital", "Obl", ".I", ".BI", "BdIt".
_ITALIC_SHORT = re.compile(r"(?:It|Ital|Obl|[-.,_]I|[-.,_]BI)$")
# "+fb", "+20": a suffix some producers give the companion font holding a face's ligatures
# or extra glyphs
COMPANION = re.compile(r"\+\w{1,4}$")
# The character collections of Adobe's CJK CID fonts: a font set with Identity-H (codes are
# CIDs) and no ToUnicode map is still readable through its collection's CID → Unicode table,
# as poppler reads it; the tables are Debian's poppler-data (installed with poppler-utils).
CID_TO_UNICODE = Path("/usr/share/poppler/cidToUnicode")
_CJK_ORDERINGS = frozenset({"Japan1", "GB1", "CNS1", "Korea1"})
_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
              ZeroDivisionError, OverflowError, RecursionError)


def name_styles(name: str) -> tuple[bool, bool]:
    """Whether a font's name (without its subset tag) says bold and italic, in full words or
    the foundries' short forms ("MinionPro-It", "FrutigerBd"). A companion font's suffix
    ("AdvOTb83ee1dd.B+fb", the ligatures of the bold) is not part of its style."""
    name = COMPANION.sub("", name)
    return (bool(_BOLD.search(name) or _BOLD_SHORT.search(name)),
            bool(_ITALIC.search(name) or _ITALIC_SHORT.search(name)))


# The standard faces whose advance widths (pypdf's copy of Adobe's core metrics) tell the
# weight and slant of a face whose name and descriptor do not: Word's fonts embedded under
# obfuscated names ("TT2474o00") are Times New Roman and Arial, metric-compatible with Times
# and Helvetica. Each standard face with its (bold, italic).
METRIC_FACES = {
    f"{family}{style}": (bold, italic)
    for family, faces in (("Times-", ("Roman", "Bold", "Italic", "BoldItalic")),
                          ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")))
    for style, bold, italic in zip(faces, (False, True, False, True), (False, False, True, True),
                                   strict=True)}
METRIC_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Mean difference, in 1/1000 em, of the lower-case advances from a standard face's within which
# the face is that face in that style. Measured on the corpus: an embedded Times New Roman is
# within 3 units of its Times style and 12 or more from the family's other styles.
METRIC_TOLERANCE = 4.0
METRIC_LEAST_LETTERS = 8  # a subset with fewer lower-case letters than this tells nothing


def metric_styles(widths: dict[str, float]) -> tuple[bool, bool]:
    """Bold and italic as the face's advance widths show them: the styles every standard
    face within `METRIC_TOLERANCE` agrees on (Helvetica and its oblique share their widths,
    so those say nothing of the slant). A letter of width 0 is one a subset left out."""
    matches = []
    for face, styles in METRIC_FACES.items():
        standard = CORE_FONT_METRICS[face].character_widths
        differences = [abs(widths[c] - standard[c]) for c in METRIC_LETTERS
                       if widths.get(c, 0) > 0 and c in standard]
        if len(differences) >= METRIC_LEAST_LETTERS and \
                sum(differences) / len(differences) <= METRIC_TOLERANCE:
            matches.append(styles)
    return (bool(matches) and all(bold for bold, _ in matches),
            bool(matches) and all(italic for _, italic in matches))


def style_flags(font: dict | None) -> tuple[str, bool, bool]:
    """The font's name without a subset tag, and whether it is bold and italic (from its name,
    its descriptor's flags, italic angle and weight)."""
    if not font:
        return "", False, False
    name = str(font.get("/BaseFont", "")).lstrip("/")
    name = name.split("+", 1)[-1]
    bold, italic = name_styles(name)
    try:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and font.get("/DescendantFonts"):
            descriptor = font["/DescendantFonts"].get_object()[0].get_object().get(
                "/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            flags = int(descriptor.get("/Flags", 0))
            italic = italic or bool(flags & 64) or float(descriptor.get("/ItalicAngle", 0)) != 0
            bold = bold or bool(flags & (1 << 18)) or \
                float(descriptor.get("/FontWeight", 400)) >= 600
    except _MALFORMED:
        pass
    return name, bold, italic


def _glyph_name_text(name: str) -> str:
    """A glyph name pypdf left unread: the Adobe Glyph List's ligature names join their
    components with "_" (/f_i, /f_f_l), and a suffix after "." names a variant (/a.sc)."""
    parts = name[1:].split(".", 1)[0].split("_")
    letters = [adobe_glyphs.get("/" + part) for part in parts]
    if parts and all(isinstance(letter, str) and letter for letter in letters):
        return "".join(letters)
    return name


def _readable(text: str) -> bool:
    """A Unicode text a reader can use: not a leftover glyph name, not a control code, not
    the replacement character, not the private use area (codes a subset font made up)."""
    if not text or (len(text) > 1 and text.startswith("/")):
        return False
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code < 0xA0 or code == 0xFFFD or 0xE000 <= code <= 0xF8FF:
            return False
    return True


@dataclass(slots=True)
class FontInfo:
    """One font resource: how to cut a string into codes, and each code's text and advance.

    Advances are in text space per unit of font size (glyph space × /FontMatrix for Type 3,
    /1000 otherwise). ``space_width`` is None where the font has no space glyph (TeX and
    XeTeX fonts space words by positioning alone).
    """

    name: str
    bold: bool
    italic: bool
    two_byte: bool = False
    codec: str | None = None  # a multi-byte CMap pypdf decodes by codec (e.g. gbk)
    scale: float = THOUSANDTH
    space_width: float | None = None
    has_unicode_map: bool = True
    unmapped: int = 0  # glyphs drawn in this font that have no Unicode text
    cid_unicode: tuple[str, ...] = ()  # CID → text from the font's CJK collection, if any
    _font: Font | None = None
    _cache: dict[int, tuple[str | None, float]] = field(default_factory=dict)

    def glyph(self, code: int) -> tuple[str | None, float]:
        """Text and advance of one character code: text None where the font cannot say
        which character it is, "" for a glyph that is no character (a zero-width mark)."""
        known = self._cache.get(code)
        if known is not None:
            return known
        font = self._font
        if font is None:
            result = (chr(code) if 32 <= code < 127 else None, FALLBACK_WIDTH)
        else:
            raw = chr(code)
            widths = font.character_widths
            width = widths.get(raw, widths.get("default", 0)) or 0
            if isinstance(font.encoding, dict):
                char = font.encoding.get(code, raw)
            else:
                char = raw
            text = font.character_map.get(char, char)
            if self.cid_unicode:
                text = self.cid_unicode[code] if code < len(self.cid_unicode) else ""
                text = text or None  # a CID the collection gives no character is unread
            if isinstance(text, str) and len(text) > 1 and text.startswith("/"):
                text = _glyph_name_text(text)
            text = "".join(c for c in text if c not in ZERO_WIDTH) \
                if isinstance(text, str) else None
            if text and (not self.has_unicode_map or not _readable(text)):
                text = None
            elif text:
                text = "".join(_LIGATURES.get(c, c) for c in text)
                if SOFT_HYPHEN in text:
                    # a drawn glyph mapped to the soft hyphen (alone, or after "-") is a hyphen
                    # the reader sees; the line-end rules decide whether it stays
                    text = text.replace("-" + SOFT_HYPHEN, "-").replace(SOFT_HYPHEN, "-")
            result = (text, float(width) * self.scale)
        self._cache[code] = result
        return result

    def codes(self, data: bytes) -> list[int]:
        """The character codes of a shown string."""
        if self.two_byte:
            return [(data[i] << 8) | data[i + 1] for i in range(0, len(data) - 1, 2)]
        if self.codec:
            # a multi-byte legacy CMap: pypdf reads it by codec; one code per decoded char
            return [ord(c) for c in data.decode(self.codec, "replace")]
        return list(data)


def read_font(resource) -> FontInfo:
    """Read one font resource; a font pypdf cannot read still gives positions (a default
    advance) and is marked as having no Unicode map."""
    name, bold, italic = style_flags(resource)
    info = FontInfo(name, bold, italic)
    if resource is None:
        info.has_unicode_map = False
        return info
    try:
        font = Font.from_font_resource(resource)
    except _MALFORMED:
        info.has_unicode_map = False
        return info
    info._font = font
    if not (bold or italic):  # a name and a descriptor silent on the style
        info.bold, info.italic = metric_styles(font.character_widths)
    subtype = resource.get("/Subtype")
    if subtype == "/Type0":
        if isinstance(font.encoding, str) and font.encoding not in _TWO_BYTE_CODECS:
            info.codec = font.encoding
        else:
            info.two_byte = True
        encoding = resource.get("/Encoding")
        unicode_cmap = isinstance(encoding, str) and ("UTF16" in encoding or "UCS2" in encoding)
        # CIDs are glyph numbers: without a ToUnicode CMap (or a Unicode CMap) they are not text
        info.has_unicode_map = bool(font.character_map) or unicode_cmap
        if not info.has_unicode_map and info.two_byte:
            info.cid_unicode = _collection_text(resource)
            info.has_unicode_map = bool(info.cid_unicode)
    elif subtype == "/Type3":
        try:
            matrix = [float(v) for v in resource.get("/FontMatrix", [])]
            info.scale = matrix[0] if len(matrix) == 6 and matrix[0] else THOUSANDTH
        except _MALFORMED:
            info.scale = THOUSANDTH
        info.has_unicode_map = font.interpretable
    # the space glyph: whichever code reads as " " (code 32 in most simple fonts)
    if info.two_byte or info.codec:
        candidates = [ord(k) for k, v in font.character_map.items()
                      if v == " " and isinstance(k, str) and len(k) == 1]
    else:
        candidates = [32, *range(32), *range(33, 256)]
    for code in candidates:
        text, width = info.glyph(code)
        # only a width the font states: a default width says nothing about the space
        if text == " " and width > 0 and chr(code) in font.character_widths:
            info.space_width = width
            break
    return info


def _collection_text(resource) -> tuple[str, ...]:
    """The CID → text table of an Identity-coded font in one of Adobe's CJK collections."""
    try:
        if resource.get("/Encoding") not in ("/Identity-H", "/Identity-V"):
            return ()
        info = resource["/DescendantFonts"][0].get_object()["/CIDSystemInfo"]
        if info.get("/Registry") != "Adobe" or info.get("/Ordering") not in _CJK_ORDERINGS:
            return ()
        return _cid_table(str(info["/Ordering"]))
    except _MALFORMED:
        return ()


@cache
def _cid_table(ordering: str) -> tuple[str, ...]:
    """Line n of poppler-data's table is CID n's code point in hex (0000: no character)."""
    try:
        lines = (CID_TO_UNICODE / f"Adobe-{ordering}").read_text(encoding="ascii").split()
    except OSError:
        return ()  # no table on this machine: the font stays unread, as without this
    return tuple(chr(int(h, 16)).strip("\0") for h in lines)


class FontCache:
    """Each font resource read once per document: pages share their fonts, and pypdf hands
    back the same resolved object for each."""

    def __init__(self) -> None:
        self._read: dict[int, FontInfo] = {}
        self._alive: list = []  # keeps each font object, so its id is never reused

    def get(self, resource) -> FontInfo:
        key = id(resource)
        info = self._read.get(key)
        if info is None:
            info = self._read[key] = read_font(resource)
            self._alive.append(resource)
        return info

    def unmapped(self) -> dict[str, int]:
        """Font name → glyphs drawn without Unicode text, for the fonts that had any."""
        counts: dict[str, int] = {}
        for info in self._read.values():
            if info.unmapped:
                counts[info.name or "(unnamed)"] = counts.get(info.name or "(unnamed)", 0) \
                    + info.unmapped
        return counts
