"""Words and runs from glyph boxes: the second half of the glyph-exact text layer.

``flows/glyphs.py`` places every glyph; this module groups them into lines on a shared
baseline, puts TeX-style accents on their letters, splits words where a gap is a word space
(judged against the font's own space width and the line's letter spacing, see
``word_threshold``) and cuts runs where a callout or a wide gap sits.
"""

from __future__ import annotations

import bisect
import operator
import statistics
import unicodedata
from dataclasses import dataclass, field

from flows.fonts import FontInfo
from flows.glyphs import Glyph

# Glyphs on one line: baselines within this fraction of the font size (superscripts set
# with a rise or a new text matrix sit higher and form a line of their own).
BASELINE_TOLERANCE_EM = 0.1
# A word space is wider than this fraction of the font's own space glyph ...
SPACE_FRACTION = 0.4
# ... and never narrower than this fraction of an em (kerning and optical spacing between
# letters stay below it; pdftotext draws its word breaks at the same width).
MIN_WORD_GAP_EM = 0.1
# A stated space wider than this many ems is not the space the text is set with (a subset
# lists a placeholder width for it, or the font is monospaced): word gaps are judged as if it
# were this wide.
MAX_SPACE_EM = 0.35
# On a line whose word spaces are drawn as space glyphs, a gap with no space glyph in it is
# a word break only if it is at least this fraction of the font's space.
SPACED_LINE_FRACTION = 0.8
# Fonts without a space glyph (XeTeX, LuaTeX, many subsets): a nominal space of this width.
NOMINAL_SPACE_EM = 0.25
# Letter spacing (tracking) is read from the line: the median gap between glyphs, when the
# line has at least this many gaps to take the median of, and at most this much of an em.
MIN_GAPS_FOR_TRACKING = 8
MAX_TRACKING_EM = 0.15
# A gap wider than this (in ems) between text objects ends a run: table cells, columns.
# Layout reads the gap between runs itself.
RUN_BREAK_EM = 1.0
# Callouts and subscripts: glyphs smaller than this share of a line's size, on a baseline
# within this many ems of it, cut the line's runs where they sit; a glyph counts as sitting
# in a gap up to this many points beyond it.
RIDER_SIZE = 0.9
RIDER_RISE_EM = 0.7
CUT_TOLERANCE = 0.5
# A space glyph between letters less than this many ems apart is hidden under them.
HIDDEN_SPACE_EM = 0.05
# An accent glyph over no letter of its own line joins a letter whose baseline is at most
# this many ems (of the accent's size) lower: accents raised over capitals in formulas.
ACCENT_RISE_EM = 0.5
# A second copy of a glyph within this fraction of an em of the first is overprinting
# (fake bold, a shadow), not a second letter.
OVERPRINT_EM = 0.15

# -------------------------------------------------------------------- words and runs
@dataclass(slots=True)
class TextRun:
    """Glyphs of one font and size on one baseline, drawn one after the other, no wider gap
    than ``RUN_BREAK_EM`` inside, words separated by single spaces; ``space_before`` says a
    word space separates it from the run before on the line; ``gaps`` are the wide gaps
    drawn inside one text object (offset in ``text`` where the text after the gap starts, x
    where the gap opens, x where it closes), for layout to cut at where one is a gutter."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    font: FontInfo
    space_before: bool = False
    gaps: list[tuple[int, float, float]] = field(default_factory=list)


def lines_of(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Upright glyphs grouped by baseline, each line left to right."""
    # (a stable sort, top to bottom: reverse=True keeps equal baselines in drawing order)
    ordered = sorted((g for g in glyphs if g.angle == 0.0), key=_BASELINE, reverse=True)
    lines: list[list[Glyph]] = []
    top = 0.0
    for glyph in ordered:
        y = glyph.y
        if lines and top - y <= BASELINE_TOLERANCE_EM * (glyph.size if glyph.size > 1.0
                                                         else 1.0):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
            top = y
    raised = False
    for index, line in enumerate(lines):
        line.sort(key=_ALONG)
        if not _ACCENT_TEXTS.isdisjoint(map(_TEXT, line)):
            lines[index] = _place_accents(line)
            raised = raised or not _ACCENT_TEXTS.isdisjoint(map(_TEXT, lines[index]))
    if raised:
        lines = _place_raised_accents(lines)
    return lines


_BASELINE = operator.attrgetter("y")
_ALONG = operator.attrgetter("x0", "seq")
_TEXT = operator.attrgetter("text")


# Accents TeX and others draw as glyphs of their own over a letter: spacing forms and
# combining marks, each with the combining mark it stands for.
_ACCENTS = {
    "\u00a8": "\u0308", "\u00b4": "\u0301", "`": "\u0300", "^": "\u0302", "\u02c6": "\u0302",
    "~": "\u0303", "\u02dc": "\u0303", "\u00b8": "\u0327", "\u02d8": "\u0306",
    "\u02c7": "\u030c", "\u02d9": "\u0307", "\u02da": "\u030a", "\u02dd": "\u030b",
    "\u00af": "\u0304", "\u02db": "\u0328",
    **{chr(code): chr(code) for code in range(0x0300, 0x0370)},
}
_ACCENT_TEXTS = frozenset(_ACCENTS)
_ABOVE = 230  # the canonical combining class of marks set above their letter
_DOTLESS = {"\u0131": "i", "\u0237": "j"}  # an accent over a dotless i is an accented i


def _put_on(host: Glyph, mark: str) -> None:
    base = _DOTLESS.get(host.text[-1], host.text[-1])
    host.text = host.text[:-1] + unicodedata.normalize("NFC", base + mark)


def _place_raised_accents(lines: list[list[Glyph]]) -> list[list[Glyph]]:
    """An accent set above letters, left over no letter of its own line, joins the letter
    right below it, on a baseline at most ``ACCENT_RISE_EM`` lower (a dot over a variable in
    a formula, "Q̇", drawn as a glyph of its own above the letter's baseline)."""
    for index, line in enumerate(lines):
        if _ACCENT_TEXTS.isdisjoint(map(_TEXT, line)):
            continue
        kept: list[Glyph] = []
        for glyph in line:
            mark = _ACCENTS.get(glyph.text)
            host = None
            # only a mark set above its letter (a cedilla's glyph is drawn below it)
            if mark is not None and unicodedata.combining(mark) == _ABOVE:
                centre = (glyph.x0 + glyph.x1) / 2
                below = index + 1
                while host is None and below < len(lines) \
                        and glyph.y - lines[below][0].y <= ACCENT_RISE_EM * glyph.size:
                    host = next((g for g in lines[below] if not g.space
                                 and g.text not in _ACCENTS and g.x0 <= centre <= g.x1), None)
                    below += 1
            if host is None:
                kept.append(glyph)
            else:
                _put_on(host, mark)
        lines[index] = kept
    return [line for line in lines if line]


def _place_accents(line: list[Glyph]) -> list[Glyph]:
    """An accent glyph whose centre lies over a neighbouring letter joins that letter
    ("u" + "¨" → "ü"); an accent over no letter (a grave quote mark) stays as it is."""
    kept: list[Glyph] = []
    for index, glyph in enumerate(line):
        mark = _ACCENTS.get(glyph.text)
        if mark is not None:
            centre = (glyph.x0 + glyph.x1) / 2
            hosts = [g for g in (kept[-1] if kept else None,
                                 line[index + 1] if index + 1 < len(line) else None)
                     if g is not None and not g.space and g.text not in _ACCENTS
                     and g.x0 <= centre <= g.x1]
            if hosts:
                _put_on(hosts[0], mark)
                continue
        kept.append(glyph)
    return kept


def word_threshold(line: list[Glyph], size: float, font: FontInfo) -> float:
    """The narrowest gap that is a word space on this line in this font.

    A word space is wider than ``SPACE_FRACTION`` of the font's own space glyph (or of a
    nominal space where the font has none), and never narrower than ``MIN_WORD_GAP_EM``; on
    a line that draws its spaces, ``SPACED_LINE_FRACTION`` of a space.
    Letter spacing set on the whole line (Tc, or a producer placing every glyph) widens every
    gap alike; the median gap of the line, most of which are between letters, measures it.
    """
    space = min(font.space_width, MAX_SPACE_EM) * size if font.space_width \
        else NOMINAL_SPACE_EM * size
    base = max(MIN_WORD_GAP_EM * size, SPACE_FRACTION * space)
    if any(g.space for g in line):
        # the producer draws its word spaces: a gap without one is kerning or justification
        # slack (a line-end hyphen pushed to the margin), unless it is a whole space wide
        base = max(base, SPACED_LINE_FRACTION * space)
    gaps = [b.x0 - a.x1 for a, b in zip(line, line[1:], strict=False)
            if not a.space and not b.space]
    tracking = 0.0
    if len(gaps) >= MIN_GAPS_FOR_TRACKING:
        tracking = min(max(statistics.median(gaps), 0.0), MAX_TRACKING_EM * size)
    return base + tracking


def _steps(line: list[Glyph]):
    """Each letter-bearing glyph of a line, with the glyph before it, whether a space glyph
    separates them, the narrowest word space there, and whether the drawing order jumped
    to it (glyphs drawn in between went elsewhere: a callout, the other column). Space
    glyphs mark word spaces and are not yielded; a glyph printed again over itself (fake
    bold) is yielded once."""
    thresholds: dict[tuple[int, float], float] = {}
    last: Glyph | None = None  # the last non-space glyph
    spaced = False  # a space glyph since `last`
    previous_seq = -1  # drawing order of the glyph before, space or not
    key_font: FontInfo | None = None  # the font and size `threshold` was taken for
    key_size = 0.0
    threshold = 0.0
    for glyph in line:
        seq = glyph.seq
        jump = seq != previous_seq + 1
        previous_seq = seq
        if glyph.space:
            spaced = spaced or last is not None
            continue
        if last is None:
            yield glyph, None, False, 0.0, jump
        else:
            if glyph.text == last.text and glyph.font is last.font \
                    and abs(glyph.x0 - last.x0) < OVERPRINT_EM * glyph.size:
                continue
            size = glyph.size if glyph.size <= last.size else last.size
            font = last.font
            # (most glyphs share the font and size of the glyph before: no lookup then)
            if font is not key_font or size != key_size:
                key = (id(font), size)
                threshold = thresholds.get(key)
                if threshold is None:
                    threshold = thresholds[key] = word_threshold(line, size, font)
                key_font, key_size = font, size
            # a space glyph drawn where the letters around it touch shows no space (it sits
            # under a ligature's overhang): the letters are one word
            if spaced and glyph.x0 - last.x1 < HIDDEN_SPACE_EM * size:
                spaced = False
            yield glyph, last, spaced, threshold, jump
        last, spaced = glyph, False


@dataclass(slots=True)
class Word:
    """A word's text and box on its baseline (page space, points)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


def words_of(line: list[Glyph]) -> list[Word]:
    """A line's words, split where ``_steps`` finds a word space."""
    words: list[Word] = []
    for glyph, last, spaced, threshold, _jump in _steps(line):
        word_break = last is None or spaced or glyph.x0 - last.x1 > threshold
        if words and not word_break:
            word = words[-1]
            word.text += glyph.text
            word.x1 = max(word.x1, glyph.x1)
        else:
            words.append(Word(glyph.text, glyph.x0, glyph.x1, glyph.y, glyph.size))
    return words


def rider_cuts(lines: list[list[Glyph]]) -> list[list[tuple[float, float]]]:
    """For each line, where smaller glyphs of a neighbouring baseline sit (callouts raised
    above it, subscripts below): their x extents, sorted. A run is cut where one falls in the gap
    between two glyphs, so layout can set the callout between the words it follows."""
    cuts: list[list[float]] = []
    sizes = [statistics.median(g.size for g in line) for line in lines]
    for index, line in enumerate(lines):
        size, y = sizes[index], line[0].y
        here: list[tuple[float, float]] = []
        # lines run top to bottom: look both ways until the baselines are too far apart
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(lines) and abs(lines[other][0].y - y) <= RIDER_RISE_EM * size:
                # glyph by glyph: a callout's baseline may be shared with the other
                # column's text at full size
                here.extend((g.x0, g.x1) for g in lines[other]
                            if not g.space and g.size < RIDER_SIZE * size)
                other += step
        cuts.append(sorted(here))
    return cuts


def runs_of(line: list[Glyph], cuts: list[tuple[float, float]] = ()) -> list[TextRun]:
    """A line's glyphs as runs of words: a new run where the font or size changes, where
    a gap wider than ``RUN_BREAK_EM`` separates text objects, or where the drawing order
    jumps (what was drawn in between sits elsewhere: a callout raised above the line, the
    next column's line on the same baseline), so that layout can place those between the
    runs."""
    runs: list[TextRun] = []
    parts: list[str] = []
    current: TextRun | None = None
    space_before = False
    for glyph, last, spaced, threshold, jump in _steps(line):
        if current is not None and last is not None:
            # (the inner loop of extraction: plain comparisons, not min/max calls)
            gx0 = glyph.x0
            lx1 = last.x1
            size = glyph.size if glyph.size <= last.size else last.size
            # a callout in the gap is no part of the word space: measure from its end
            if cuts:
                riders = _within(cuts, lx1 - CUT_TOLERANCE, gx0 + CUT_TOLERANCE)
                start = max(lx1, *(x1 for _x0, x1 in riders)) if riders else lx1
            else:
                riders, start = (), lx1
            word_break = spaced or gx0 - start > threshold
            csize = current.size
            # a wide gap inside one text object, drawn on without a jump, is the producer's
            # own tab (a label before its text); between text objects it may be a gutter
            far = gx0 - lx1 > RUN_BREAK_EM * size
            # a new run where the style changes, across a wide gap, a jump or a rider
            if (jump or riders or glyph.font is not current.font
                    or abs(glyph.size - csize) > 0.01 * csize
                    or abs(glyph.y - current.y) > 0.01 * csize
                    or (far and glyph.block != last.block)):
                current.text = "".join(parts)
                runs.append(current)
                current = None
                # across a wide gap (a gutter, a table's columns) layout reads the gap itself;
                # so it does for subscripts, which meet the main line's letters, not the
                # subscript before them on their own baseline
                space_before = word_break and not far
            elif word_break:
                parts.append(" ")
                if far:  # kept in the run, and where it lies kept too (see TextRun)
                    current.gaps.append((sum(map(len, parts)), lx1, gx0))
        if current is None:
            parts = []
            current = TextRun("", glyph.x0, glyph.x1, glyph.y, glyph.size, glyph.font,
                              space_before)
            space_before = False
        parts.append(glyph.text)
        if glyph.x1 > current.x1:
            current.x1 = glyph.x1
    if current is not None:
        current.text = "".join(parts)
        runs.append(current)
    return runs


def _within(extents: list[tuple[float, float]], low: float, high: float
            ) -> list[tuple[float, float]]:
    """The extents of a sorted list whose left ends lie in [low, high]."""
    index = bisect.bisect_left(extents, (low, float("-inf")))
    found = []
    while index < len(extents) and extents[index][0] <= high:
        found.append(extents[index])
        index += 1
    return found
