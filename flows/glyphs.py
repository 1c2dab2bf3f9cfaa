"""A glyph-exact text layer: every glyph where the content stream puts it.

pypdf parses the content streams; this module interprets them with the full text state
(Tc, Tw on single-byte code 32 only, Tz, TL, Ts, Tf, Tr, Tm/Td/TD/T*/'/", the numbers in
TJ), the graphics state stack (q/Q/cm), Form XObjects placed by their /Matrix and the CTM
at Do (nested, clipped to their /BBox), clipping paths (as their bounding boxes) and
marked content with /ActualText. Each glyph gets its box in page space (PDF points, origin
at the page's bottom-left corner as the content stream sees it).

Words and runs are made from these glyphs by ``flows/glyph_words.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pypdf.generic import ContentStream, DictionaryObject, StreamObject

from flows.content_ops import operations
from flows.fonts import SOFT_HYPHEN, ZERO_WIDTH, FontCache, FontInfo

# Text whose baseline direction leans by more than this (sin of the angle) is rotated text.
UPRIGHT_TOLERANCE = 0.01
# Render modes 3 (neither fill nor stroke) and 7 (clip only) paint nothing: an OCR layer.
INVISIBLE_MODES = (3, 7)
# A glyph whose centre is outside the clip or the crop box by more than this (points) is
# dropped; less is rounding in the producer's own boxes.
CLIP_TOLERANCE = 1.0
# A fill colour this close to 1 (0 for CMYK ink) in every component is white.
WHITE = 0.999
# Form XObjects nest; deeper than this is a loop or an attack, not a document.
MAX_FORM_DEPTH = 12

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_PAINT = frozenset((b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"))
_TEXT_OPERATORS = (b"Tj", b"TJ", b"'", b'"')
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """m × n for PDF's row-vector matrices: apply m, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def _box_through(box: Box, m: Matrix) -> Box:
    """The axis-aligned box around a box's corners mapped by m."""
    x0, y0, x1, y1 = box
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return min(xs), min(ys), max(xs), max(ys)


def _intersect(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


@dataclass(slots=True)
class Glyph:
    """One shown glyph. Upright glyphs span x0..x1 on baseline y; for rotated glyphs x0, y
    is the origin and ``angle`` the baseline's direction in degrees."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    font: FontInfo
    seq: int  # order of drawing among the page's kept glyphs
    space: bool = False  # a space glyph (its text is white space: " ", a no-break space)
    invisible: bool = False
    angle: float = 0.0
    block: int = 0  # the text object (BT … ET) it was drawn in
    white: bool = False  # filled in white (hidden where it lies over other text)

    @property
    def upright(self) -> bool:
        return self.angle == 0.0


@dataclass(slots=True)
class _State:
    """The graphics state parts text depends on (q/Q save and restore all of them)."""

    ctm: Matrix = _IDENTITY
    clip: Box | None = None
    font: FontInfo | None = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0
    white: bool = False  # the fill colour is white

    def copy(self) -> _State:
        return _State(self.ctm, self.clip, self.font, self.size, self.char_spacing,
                      self.word_spacing, self.scale, self.leading, self.rise, self.mode,
                      self.white)


@dataclass(slots=True)
class PageGlyphs:
    """What one page draws: its glyphs, and the images placed by the page itself."""

    glyphs: list
    images: list  # (XObject name, CTM at Do)
    unmapped: int = 0  # glyphs drawn in a font that cannot say which character they are


class _Interpreter:
    def __init__(self, reader, fonts: FontCache, crop: Box, forms: dict | None = None) -> None:
        self.reader = reader
        self.forms = forms if forms is not None else {}  # form id → (form, its operations)
        self.fonts = fonts
        self.crop = crop
        self.glyphs: list[Glyph] = []
        self.images: list[tuple[str, Matrix]] = []
        self.seq = 0
        self.block = 0  # text objects begun on the page
        self.unmapped = 0  # glyphs without Unicode text on this page
        self.active_forms: set[int] = set()

    # ---------------------------------------------------------------- content streams
    def run(self, ops: list, resources, state: _State, depth: int) -> None:
        fonts = _resolve(resources.get("/Font")) if resources else None
        xobjects = _resolve(resources.get("/XObject")) if resources else None
        properties = _resolve(resources.get("/Properties")) if resources else None
        stack: list[_State] = []
        tm: Matrix = _IDENTITY
        tlm: Matrix = _IDENTITY
        path: list[float] | None = None  # bounding box of the current path, device space
        clip_pending = False
        marked: list[tuple[int, str | None]] = []
        for operands, operator in ops:
            try:
                if operator in _TEXT_OPERATORS:
                    if operator == b"TJ":
                        tm = self._show(operands[0] if operands else [], state, tm)
                        continue
                    if operator == b"'":
                        tlm = tm = _mult((1, 0, 0, 1, 0, -state.leading), tlm)
                    elif operator == b'"':
                        state.word_spacing = float(operands[0])
                        state.char_spacing = float(operands[1])
                        tlm = tm = _mult((1, 0, 0, 1, 0, -state.leading), tlm)
                        operands = operands[2:]
                    tm = self._show(operands[-1:] if operands else [], state, tm)
                elif operator == b"Td":
                    tlm = tm = _mult((1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm)
                elif operator == b"TD":
                    state.leading = -float(operands[1])
                    tlm = tm = _mult((1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm)
                elif operator == b"Tm":
                    tlm = tm = tuple(float(v) for v in operands[:6])  # type: ignore[assignment]
                elif operator == b"T*":
                    tlm = tm = _mult((1, 0, 0, 1, 0, -state.leading), tlm)
                elif operator == b"BT":
                    self.block += 1
                    tlm = tm = _IDENTITY
                elif operator == b"Tf":
                    resource = fonts.get(operands[0]) if fonts is not None else None
                    state.font = self.fonts.get(resource.get_object() if resource is not None
                                                else None)
                    state.size = float(operands[1])
                elif operator == b"Tc":
                    state.char_spacing = float(operands[0])
                elif operator == b"Tw":
                    state.word_spacing = float(operands[0])
                elif operator == b"Tz":
                    state.scale = float(operands[0]) / 100
                elif operator == b"TL":
                    state.leading = float(operands[0])
                elif operator == b"Ts":
                    state.rise = float(operands[0])
                elif operator in _FILL_COLOUR:
                    state.white = _is_white(operator, operands)
                elif operator == b"Tr":
                    state.mode = int(operands[0])
                elif operator == b"q":
                    stack.append(state.copy())
                elif operator == b"Q":
                    if stack:
                        state = stack.pop()
                elif operator == b"cm":
                    state.ctm = _mult(tuple(float(v) for v in operands[:6]), state.ctm)
                elif operator == b"re":
                    x, y, w, h = (float(v) for v in operands[:4])
                    path = _extend(path, _box_through((x, y, x + w, y + h), state.ctm))
                elif operator in (b"m", b"l", b"c", b"v", b"y"):
                    m = state.ctm
                    for i in range(0, len(operands) - 1, 2):
                        x, y = float(operands[i]), float(operands[i + 1])
                        px, py = m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]
                        path = _extend(path, (px, py, px, py))
                elif operator in (b"W", b"W*"):
                    clip_pending = True
                elif operator in _PAINT:
                    if clip_pending and path is not None:
                        state.clip = _intersect(state.clip, (path[0], path[1], path[2], path[3]))
                    path, clip_pending = None, False
                elif operator == b"Do":
                    self._do(operands[0], xobjects, resources, state, depth)
                elif operator in (b"BDC", b"BMC"):
                    marked.append((len(self.glyphs), _actual_text(operands, properties)))
                elif operator == b"EMC":
                    if marked:
                        start, actual = marked.pop()
                        if actual is not None:
                            self._replace(start, actual)
            except (ValueError, TypeError, IndexError, KeyError, AttributeError,
                    OverflowError, ZeroDivisionError):
                continue  # one malformed operator does not spoil the page

    def _do(self, name, xobjects, parent, state: _State, depth: int) -> None:
        target = xobjects.get(name) if xobjects is not None else None
        if target is None:
            return
        target = target.get_object()
        subtype = target.get("/Subtype")
        if subtype == "/Image":
            if depth == 0:
                self.images.append((str(name), state.ctm))
            return
        if subtype != "/Form" or depth >= MAX_FORM_DEPTH or id(target) in self.active_forms:
            return
        if not isinstance(target, StreamObject) or not _may_show_text(target):
            return
        inner = state.copy()
        matrix = target.get("/Matrix")
        if matrix is not None and len(matrix) == 6:
            inner.ctm = _mult(tuple(float(v) for v in matrix), state.ctm)
        bbox = target.get("/BBox")
        if bbox is not None and len(bbox) == 4:
            x0, y0, x1, y1 = (float(v) for v in bbox)
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            inner.clip = _intersect(state.clip, _box_through(box, inner.ctm))
        resources = target.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        self.active_forms.add(id(target))
        try:
            # a form drawn on many pages (a logo, a running head) is parsed once; the
            # entry holds the form itself, so its id is never reused for another
            entry = self.forms.get(id(target))
            if entry is None:
                entry = self.forms[id(target)] = (
                    target, operations(ContentStream(target, self.reader)))
            self.run(entry[1], resources or parent, inner, depth + 1)
        finally:
            self.active_forms.discard(id(target))

    def _replace(self, start: int, actual: str) -> None:
        """Marked content with /ActualText: its glyphs read as that text, over their box."""
        shown = self.glyphs[start:]
        if not shown:
            return
        first = shown[0]
        # control characters (a stray backspace) and zero-width ones are no text, as in fonts
        text = " ".join("".join(c for c in _CONTROL.sub("", actual)
                                if c not in ZERO_WIDTH).split())
        # tagged PDFs mark whole names and phrases with the very text they show: the glyphs
        # already say it, and keep each word's own box
        if "".join(text.split()) == "".join("".join(g.text.split()) for g in shown):
            return
        if text and not text.strip(SOFT_HYPHEN):
            # a soft hyphen: a place the word may break, no character; a space glyph drawn
            # for it is no word space ("non-" + soft hyphen + "human"), a drawn hyphen stays
            self.glyphs[start:] = [g for g in shown if not g.space]
            return
        x1 = max(g.x1 for g in shown)
        merged = Glyph(text or " ", min(g.x0 for g in shown), x1, first.y, first.size,
                       first.font, first.seq, not text, first.invisible, first.angle,
                       first.block, first.white)
        del self.glyphs[start:]
        self.glyphs.append(merged)
        if text and actual[-1].isspace():  # the text ends in a word space: keep it
            self.seq += 1
            self.glyphs.append(Glyph(" ", x1, x1, first.y, first.size, first.font, self.seq,
                                     True, first.invisible, first.angle, first.block,
                                     first.white))

    # ---------------------------------------------------------------- showing text
    def _show(self, items, state: _State, tm: Matrix) -> Matrix:
        font = state.font
        if font is None:
            font = state.font = self.fonts.get(None)
        size, scale = state.size, state.scale
        tc, tw = state.char_spacing, state.word_spacing
        a, b, c, d, e, f = _mult(tm, state.ctm)
        # the baseline's direction decides: a skew (c, an oblique made from a roman font)
        # slants the letters on a horizontal baseline
        upright = a > 0 and d > 0 and abs(b) <= UPRIGHT_TOLERANCE * a
        # the font size on the page: the text space's y axis, measured across the baseline
        # (a skew leans that axis without making the letters taller)
        height = abs(size) * (abs(d) if upright else math.hypot(c, d))
        invisible = state.mode in INVISIBLE_MODES
        white = state.white and state.mode == 0
        rise = state.rise
        angle = 0.0 if upright else math.degrees(math.atan2(b, a)) or 1e-9
        # the clip and the crop box as one box, widened by the tolerance, for a quick test
        box = _intersect(state.clip, self.crop)
        left, bottom = box[0] - CLIP_TOLERANCE, box[1] - CLIP_TOLERANCE
        right, top = box[2] + CLIP_TOLERANCE, box[3] + CLIP_TOLERANCE
        append = self.glyphs.append
        tx = 0.0  # advance along the text line, in unscaled text space
        single_byte = not font.two_byte and not font.codec
        if isinstance(items, (bytes, str)):
            items = [items]
        cache = font._cache
        block = self.block
        seq = self.seq  # (a local in the per-glyph loop, written back however it ends)
        try:
            for item in items:
                if isinstance(item, (int, float)):
                    tx -= float(item) / 1000 * size * scale
                    continue
                if isinstance(item, bytes):
                    data = item
                elif hasattr(item, "original_bytes"):
                    data = item.original_bytes  # pypdf decoded the string as text: undo that
                else:
                    data = item.encode("latin-1", "replace")
                for code in font.codes(data):
                    known = cache.get(code)
                    text, width = known if known is not None else font.glyph(code)
                    advance = width * size
                    # glyph origin: (tx, rise) in text space through Tm × CTM
                    ox = e + tx * a + rise * c
                    oy = f + tx * b + rise * d
                    if text is None:
                        font.unmapped += 1
                        self.unmapped += 1
                    elif not text:
                        pass
                    elif upright:
                        x1 = ox + advance * scale * a
                        cx, cy = (ox + x1) / 2, oy + 0.3 * height
                        if left <= cx <= right and bottom <= cy <= top:
                            seq += 1
                            append(Glyph(text, ox, x1, oy, height, font, seq, text.isspace(),
                                         invisible, 0.0, block, white))
                    elif left <= ox <= right and bottom <= oy <= top:
                        seq += 1
                        append(Glyph(text, ox, ox, oy, height, font, seq, text.isspace(),
                                     invisible, angle, block, white))
                    spacing = tc + (tw if code == 32 and single_byte else 0.0)
                    tx += (advance + spacing) * scale
        finally:
            self.seq = seq
        # the text matrix moves on by the shown width
        return _mult((1, 0, 0, 1, tx, 0), tm)


# Operators that set the fill colour. Only the device colours are read: a colour given in a
# colour space of the document's own (cs, sc, scn: ICC, separations, indexed) is not taken
# for white, since a separation's 1 is full ink.
_FILL_COLOUR = frozenset((b"g", b"rg", b"k", b"sc", b"scn", b"cs"))


def _is_white(operator: bytes, operands: list) -> bool:
    """Whether a fill colour is white: gray 1, RGB 1 1 1, CMYK 0 0 0 0."""
    if operator not in (b"g", b"rg", b"k") or not operands:
        return False
    values = [float(v) for v in operands]
    if operator == b"k":
        return all(v <= 1 - WHITE for v in values)
    return all(v >= WHITE for v in values)


def _extend(path: list[float] | None, box: Box) -> list[float]:
    if path is None:
        return list(box)
    path[0], path[1] = min(path[0], box[0]), min(path[1], box[1])
    path[2], path[3] = max(path[2], box[2]), max(path[3], box[3])
    return path


def _resolve(value):
    if value is None:
        return None
    value = value.get_object()
    return value if isinstance(value, DictionaryObject) else None


def _actual_text(operands: list, properties) -> str | None:
    if len(operands) < 2:
        return None
    props = operands[1]
    if not isinstance(props, DictionaryObject) and properties is not None:
        props = properties.get(props)
    props = props.get_object() if props is not None else None
    if isinstance(props, DictionaryObject) and "/ActualText" in props:
        return str(props["/ActualText"].get_object())
    return None


# A text-showing operator, or Do (a nested form may show text), as a token of its own.
_SHOWS_TEXT = re.compile(rb"(?:^|[\s)\]>])(?:Tj|TJ|'|\"|Do)(?=[\s/\[(<]|$)")


def _may_show_text(form: StreamObject) -> bool:
    """A form whose data has no text operator, and places no other form that might, shows
    no text (charts drawn as paths)."""
    return _SHOWS_TEXT.search(form.get_data()) is not None


def page_glyphs(page, reader, fonts: FontCache, forms: dict | None = None) -> PageGlyphs:
    """Every glyph the page draws, with the image placements of the page itself. ``forms``,
    shared by the pages of a document, keeps each Form XObject's parsed operations."""
    box = page.cropbox
    crop = (float(box.left), float(box.bottom), float(box.right), float(box.top))
    interpreter = _Interpreter(reader, fonts, crop, forms)
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    content = page.get_contents()
    if content is not None:
        interpreter.run(operations(content), resources, _State(), 0)
    return PageGlyphs(interpreter.glyphs, interpreter.images, interpreter.unmapped)
