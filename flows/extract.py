"""Stage 1 — extract: the PDF's text as positioned, styled runs, page by page.

A plain text dump loses what structure recovery needs: where a run sits, how big it is,
whether it is raised (a footnote callout) or bold (a heading). pypdf's content-stream
visitor gives us each text chunk with its matrices and font; we turn those into page
coordinates (origin bottom-left, PDF points) and measure widths from the font's own
metrics, so later stages can reason about indents, line ends and columns.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from flows.errors import JatsflowError
from flows.fonts import FontCache
from flows.glyph_words import lines_of, rider_cuts, runs_of
from flows.glyphs import page_glyphs


class PdfInputError(JatsflowError):
    """The input cannot be read as a PDF with usable text."""


# What pypdf raises on malformed input, besides its own errors: it indexes, converts and
# recurses into whatever the file contains. Anything else escaping is a jatsflow bug.
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
               RecursionError, ZeroDivisionError, OverflowError, NotImplementedError, OSError,
               AssertionError)


@dataclass(frozen=True, slots=True)
class Run:
    """One stretch of text drawn with a single font and size on one baseline."""

    text: str
    x: float
    y: float  # baseline, PDF points from the page bottom
    width: float
    size: float
    font: str
    bold: bool
    italic: bool
    # wide gaps drawn inside the run's text object: (offset in text, x it opens, x it closes)
    gaps: tuple[tuple[int, float, float], ...] = ()

    @property
    def x1(self) -> float:
        return self.x + self.width


@dataclass(frozen=True, slots=True)
class ImageBox:
    """Where an embedded image is painted, and its XObject name for export."""

    name: str
    x: float
    y: float
    width: float
    height: float


@dataclass(slots=True)
class Page:
    number: int  # 1-based position in the file
    width: float
    height: float
    runs: list[Run] = field(default_factory=list)
    images: list[ImageBox] = field(default_factory=list)
    unreadable: int = 0  # characters dropped because XML cannot carry them


@dataclass(slots=True)
class ExtractedPdf:
    path: Path
    sha256: str
    pages: list[Page]
    created: str = ""  # YYYY-MM from the PDF's own metadata, a last-resort date
    # font name → glyphs it draws that have no Unicode text (no usable ToUnicode or encoding)
    unmapped_fonts: dict[str, int] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.pages)


DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against inputs that would exhaust the machine; configurable per run."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES


# Unicode's hyphen and non-breaking hyphen read as the ASCII hyphen everyone searches for.
# Characters XML cannot carry (controls, lone surrogates): a broken font map's debris.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\r]")
# A non-breaking hyphen is a hyphen. U+2010 is kept: a typesetter that sets its own
# line-end hyphens with it (WeasyPrint does) tells which hyphens are its own (layout.py).
_HYPHENS = str.maketrans({"\u2011": "-"})


def _read_page(page, reader: PdfReader, fonts: FontCache, forms: dict
               ) -> tuple[list[Run], list[ImageBox], int]:
    """Runs, image placements and the count of unreadable characters of one page, from the
    glyph layer's single pass over its content stream (``forms``: the document's parsed
    Form XObjects, shared by its pages)."""
    drawn = page_glyphs(page, reader, fonts, forms)
    glyphs = drawn.glyphs
    visible = [g for g in glyphs if not g.invisible]
    # Invisible text over visible text is hidden text; where all of a page's text is
    # invisible, it is an OCR layer over a scan, and that is the page's text.
    if visible:
        glyphs = visible
    glyphs = _without_hidden_white(glyphs)
    runs: list[Run] = []
    dropped = drawn.unmapped
    lines = lines_of(glyphs)
    for line, cuts in zip(lines, rider_cuts(lines), strict=True):
        for run in runs_of(line, cuts):
            clean, removed = _NOT_XML.subn("", run.text)
            dropped += removed
            clean = clean.translate(_HYPHENS)
            if not clean.strip():
                continue
            shift = 0
            if run.space_before and not clean.startswith(" "):
                clean = " " + clean  # a measured word space after the run before
                shift = 1
            font = run.font
            gaps = () if removed else tuple((at + shift, round(x0, 2), round(x1, 2))
                                            for at, x0, x1 in run.gaps)
            runs.append(Run(clean, round(run.x0, 2), round(run.y, 2), round(run.x1 - run.x0, 2),
                            round(run.size, 2), font.name, font.bold, font.italic, gaps))
    images: list[ImageBox] = []
    for name, ctm in drawn.images:
        width, height = math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3])
        if width > 1 and height > 1:
            images.append(ImageBox(name.lstrip("/"), round(ctm[4], 2), round(ctm[5], 2),
                                   round(width, 2), round(height, 2)))
    return runs, images, dropped


# A glyph's box for the overprint test: from this far below its baseline to this far above,
# in ems (descenders, cap height); and the grid cell (points) the test looks glyphs up by.
GLYPH_DESCENT_EM, GLYPH_ASCENT_EM = 0.2, 0.8
_CELL = 20.0


def _without_hidden_white(glyphs: list) -> list:
    """White text drawn over other text cannot be seen: a hidden layer (journal metadata
    typeset in white under a title, strings stacked on one spot). A white glyph whose centre
    lies inside another glyph's box is dropped; white text on a dark banner, over no other
    glyph, stays."""
    white = [g for g in glyphs if g.white and g.angle == 0.0]
    if not white:
        return glyphs

    def centre(glyph) -> tuple[float, float]:
        return ((glyph.x0 + glyph.x1) / 2,
                glyph.y + (GLYPH_ASCENT_EM - GLYPH_DESCENT_EM) / 2 * glyph.size)

    # only the cells a white glyph's centre falls in are ever looked at: index just those
    wanted = {(int(x // _CELL), int(y // _CELL)) for x, y in map(centre, white)}
    cells: dict[tuple[int, int], list] = {}
    for glyph in glyphs:
        if glyph.angle != 0.0 or glyph.space:
            continue
        bottom = glyph.y - GLYPH_DESCENT_EM * glyph.size
        top = glyph.y + GLYPH_ASCENT_EM * glyph.size
        for cx in range(int(glyph.x0 // _CELL), int(glyph.x1 // _CELL) + 1):
            for cy in range(int(bottom // _CELL), int(top // _CELL) + 1):
                if (cx, cy) in wanted:
                    cells.setdefault((cx, cy), []).append((glyph, bottom, top))

    def covered(glyph) -> bool:
        x, y = centre(glyph)
        return any(other is not glyph and other.x0 < x < other.x1 and bottom < y < top
                   for other, bottom, top in cells.get((int(x // _CELL), int(y // _CELL)), ()))

    # a white string (glyphs drawn one after the other) goes as a whole where most of it lies
    # over other text: the rest of it is the same hidden layer, over blank paper
    hidden: set[int] = set()
    strand: list = []
    for glyph in sorted(white, key=lambda g: g.seq):
        if strand and glyph.seq != strand[-1].seq + 1:
            hidden.update(_hidden_part(strand, covered))
            strand = []
        strand.append(glyph)
    hidden.update(_hidden_part(strand, covered))
    return [g for g in glyphs if id(g) not in hidden]


# A white string most of whose glyphs (this share) lie over other text is hidden as a whole.
HIDDEN_SHARE = 0.5


def _hidden_part(strand: list, covered) -> set[int]:
    marks = [covered(g) for g in strand]
    if strand and sum(marks) >= HIDDEN_SHARE * len(strand):
        return {id(g) for g in strand}
    return {id(g) for g, mark in zip(strand, marks, strict=True) if mark}


def open_pdf(path: Path, limits: Limits = Limits()) -> tuple[PdfReader, bytes]:
    """Open a PDF or raise PdfInputError with a one-line reason."""
    if not path.is_file():
        raise PdfInputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise PdfInputError(f"{path}: {size} bytes is over the limit of {limits.max_bytes}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PdfInputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    # Readers accept a header anywhere in the first 1024 bytes (mail and web gateways prepend junk).
    if b"%PDF-" not in data[:1024]:
        raise PdfInputError(f"{path}: not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfInputError(f"{path}: encrypted PDF; a password is needed to open it")
        count = len(reader.pages)
    except PdfInputError:
        raise
    except FileNotDecryptedError as exc:
        raise PdfInputError(f"{path}: encrypted PDF ({exc})") from None
    except DependencyError:
        # pypdf needs the `cryptography` package for AES; without it the file is not "corrupt".
        raise PdfInputError(f"{path}: encrypted with AES, which needs the Python package "
                            "'cryptography' to open") from None
    except _PDF_ERRORS as exc:
        if b"%%EOF" not in data[-1024:]:
            raise PdfInputError(f"{path}: truncated or corrupt PDF (no %%EOF at the end; "
                                f"{type(exc).__name__})") from None
        raise PdfInputError(f"{path}: corrupt or unreadable PDF ({type(exc).__name__})") from None
    if count == 0:
        raise PdfInputError(f"{path}: the PDF has no pages")
    if count > limits.max_pages:
        raise PdfInputError(f"{path}: {count} pages is over the limit of {limits.max_pages}")
    return reader, data


def extract_pdf(path: Path, limits: Limits = Limits()) -> ExtractedPdf:
    """Read every page's runs; refuse files that have no usable text layer."""
    reader, data = open_pdf(path, limits)
    pages: list[Page] = []
    fonts = FontCache()
    forms: dict = {}
    for number in range(1, len(reader.pages) + 1):
        try:
            # Resolving the page and its box reads objects the xref scan did not check.
            pdf_page = reader.pages[number - 1]
            box = pdf_page.mediabox
            origin_x, origin_y = float(box.left), float(box.bottom)
            width, height = float(box.width), float(box.height)
            runs, images, unreadable = _read_page(pdf_page, reader, fonts, forms)
        except _PDF_ERRORS as exc:
            raise PdfInputError(
                f"{path}: page {number} cannot be read ({type(exc).__name__})") from None
        if origin_x or origin_y:
            runs = [Run(r.text, r.x - origin_x, r.y - origin_y, r.width, r.size, r.font,
                        r.bold, r.italic, tuple((at, x0 - origin_x, x1 - origin_x)
                                                for at, x0, x1 in r.gaps)) for r in runs]
        pages.append(Page(number, width, height, runs, images, unreadable))
    _require_text(path, pages)
    return ExtractedPdf(path, hashlib.sha256(data).hexdigest(), pages, _creation_month(reader),
                        fonts.unmapped())


def _creation_month(reader: PdfReader) -> str:
    """The month the PDF says it was made, if it says so readably."""
    try:
        created = reader.metadata.creation_date if reader.metadata else None
    except _PDF_ERRORS:
        return ""
    return created.strftime("%Y-%m") if created else ""


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")  # codes a subset font made up
# Glyphs no Unicode map can name are left out of the text, and their fonts are named in
# report.json (issue 14: "say so per font and go on with what can be read"). The run goes on
# while at least this share of the drawn characters can be read; below it, most of the
# document would be missing, and OCR serves better.
MIN_READABLE_SHARE = 0.5
# Text that is written but is no text (the replacement character, private-use codes):
# above this share of the characters the fonts' maps are broken, not merely missing.
MAX_GARBLED_SHARE = 0.05
# A text layer whose non-space characters are less than this share letters is not words.
MIN_LETTER_SHARE = 0.4


def _require_text(path: Path, pages: list[Page]) -> None:
    """A scan has no text; a broken font encoding gives text that is not words."""
    chars = "".join(r.text for p in pages for r in p.runs)
    unreadable = sum(p.unreadable for p in pages)
    if not chars.strip() and not unreadable:
        raise PdfInputError(f"{path}: no text layer (a scanned PDF?) — it needs OCR first")
    letters = sum(map(str.isalpha, chars))
    garbled = chars.count("\ufffd") + len(_PRIVATE_USE.findall(chars))
    if unreadable > (1 - MIN_READABLE_SHARE) * (len(chars) + unreadable) \
            or garbled > MAX_GARBLED_SHARE * len(chars):
        raise PdfInputError(
            f"{path}: the text has no usable Unicode mapping (garbled glyphs); it needs OCR")
    if letters < MIN_LETTER_SHARE * len(chars.replace(" ", "")):
        # Digits and symbols alone are also what a barcode, a numbered placeholder image or
        # a glyph table holds: the message must not blame the fonts' maps only.
        raise PdfInputError(
            f"{path}: the text is hardly letters (digits or symbols only, or no usable Unicode "
            f"mapping); no words to publish")


WEB_IMAGES = (".png", ".jpg", ".jpeg", ".gif")  # what HTML and EPUB readers must show


def export_images(path: Path, refs: list[str], folder: Path, stem: str) -> dict[str, str]:
    """Write the images named "page/XObject" beside the outputs as `<stem>-img<n>.<ext>`;
    returns ref → file name. An image pypdf cannot decode is left out, not guessed."""
    if not refs:
        return {}
    reader, _ = open_pdf(path)
    names: dict[str, str] = {}
    for number, ref in enumerate(refs, start=1):
        page_number, _, name = ref.partition("/")
        try:
            image = reader.pages[int(page_number) - 1].images["/" + name.lstrip("/")]
            suffix = Path(image.name).suffix.lower()
            if suffix in WEB_IMAGES:
                data = image.data
            else:  # JPEG 2000, TIFF…: readers of HTML and EPUB need PNG
                buffer = BytesIO()
                image.image.save(buffer, format="PNG")
                data, suffix = buffer.getvalue(), ".png"
        except (*_PDF_ERRORS, LookupError, OSError):
            continue
        file_name = f"{stem}-img{number}{suffix}"
        (folder / file_name).write_bytes(data)
        names[ref] = file_name
    return names
