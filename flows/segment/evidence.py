"""Stage 1 — evidence: the layout → `Evidence`, the statistics of the whole document every
later cut is measured against (body style, line pitch, vocabulary and hyphenation, heading
styles ranked into levels, the part title style, the paragraph frame, the images).

Input: the `Layout`. Output: one `Evidence`, complete once built.
Invariant: reads the layout only; adds, drops or reorders no line.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pyphen

from flows.extract import ImageBox
from flows.fonts import name_styles
from flows.layout import SMALL_CAPS
from flows.layout_model import Layout, Line, Role
from flows.segment.common import TERMINAL, URL, embedded_copy_of, style_of
from flows.segment.params import DEFAULT_PARAMS, SegmentParams

Style = tuple[float, bool, bool, str]  # size, bold, italic, font: see `style_of`


@dataclass(frozen=True)
class Evidence:
    """Statistics of the whole document that the cuts are measured against, complete once
    `gather_evidence` returns it; no stage changes it."""

    body_style: Style
    body_size: float
    pitch: float
    words: frozenset[str]
    hyphenated: frozenset[str]
    hyphenator: pyphen.Pyphen | AnyOf
    hyphenates: bool  # does the typesetter break words with hyphens?
    marks_breaks: bool  # does it set its own line-end hyphens as U+2010?
    heading_fonts: frozenset[str]
    # styles, of any weight or slant, set only in short lines standing alone: a heading face
    # even where it is set smaller than the text (a small sans bold over a serif body)
    standalone_styles: frozenset[Style]
    spaced_paragraphs: bool  # paragraphs set apart by space rather than an indent
    frame: Frame  # the body text's edges and paragraph indent
    params: SegmentParams  # the thresholds every stage judges this evidence with
    # page → the images on it that may be figures: a pool, claimed by `ImageClaims`
    images: Mapping[int, tuple[ImageBox, ...]] = field(default_factory=dict)
    heading_levels: Mapping[Style, int] = field(default_factory=dict)  # 1 = most prominent
    # every heading style's own place in that order, variants of a style not merged (what
    # the line model was trained on)
    heading_ranks: Mapping[Style, int] = field(default_factory=dict)
    part_style: Style | None = None  # the style part titles are set in, if parts are


class Frame:
    """The text block a run of lines is set in: its left edge and right edge per page and
    column, measured from those lines themselves, so a boxed summary, a quote or a two-column
    page each get their own edges. A page with too few lines borrows the edges the same
    column has across all pages. Where the lines hold too little evidence of how paragraphs
    start, the document's own habit (`inherit`) applies."""

    def __init__(self, lines: list[Line], p: SegmentParams, inherit: Frame | None = None,
                 text_size: float | None = None) -> None:
        self.p = p
        by_page: dict[tuple, list[Line]] = defaultdict(list)
        by_column: dict[int, list[Line]] = defaultdict(list)
        # Edges come from lines in the text's own size, so that a table's smaller rows set
        # into the same column do not move its margin.
        if text_size is None:
            sizes = Counter(round(ln.size) for ln in lines)
            text_size = sizes.most_common(1)[0][0] if sizes else 0
        for line in lines:
            if abs(line.size - text_size) < p.same_size:
                by_page[(line.page, round(line.column[0]))].append(line)
                by_column[round(line.column[0])].append(line)
        for line in lines:
            if (line.page, round(line.column[0])) not in by_page:
                by_page[(line.page, round(line.column[0]))].append(line)
            by_column.setdefault(round(line.column[0]), []).append(line)
        quantile = p.right_edge_quantile
        self.column_edges = {k: _edges(v, quantile) for k, v in by_column.items()}
        self.page_edges = {k: _edges(v, quantile) for k, v in by_page.items() if len(v) >= 4}
        # A first-line indent is an indented line followed closely by one at the margin;
        # quotes and list items, indented on every line and set apart by space, do not count.
        steps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False)
                 if a.page == b.page and a.column == b.column and a.y > b.y]
        pitch = statistics.median(steps) if steps else 0
        offsets: Counter = Counter()
        for line, after in zip(lines, lines[1:], strict=False):
            offset = line.x0 - self.margin(line)
            if self.indented(line) and after.page == line.page and \
                    after.column == line.column and after.x0 - self.margin(after) < p.indent * (
                    line.size) and abs(after.size - line.size) < p.same_size and \
                    0 < line.y - after.y < p.close_pitch * pitch:
                offsets[round(offset)] += 1
        if sum(offsets.values()) < 2 and inherit is not None:
            self.indent, self.indent_paragraphs = inherit.indent, inherit.indent_paragraphs
        else:
            self.indent = float(offsets.most_common(1)[0][0]) if offsets else 0
            self.indent_paragraphs = sum(offsets.values()) >= 2

    def _edges(self, line: Line) -> tuple[float, float]:
        key = (line.page, round(line.column[0]))
        return self.page_edges.get(key) or self.column_edges.get(
            round(line.column[0]), line.column)

    def margin(self, line: Line) -> float:
        return self._edges(line)[0]

    def right(self, line: Line) -> float:
        return self._edges(line)[1]

    def indented(self, line: Line) -> bool:
        return line.x0 - self.margin(line) > self.p.indent * line.size

    def short(self, line: Line) -> bool:
        return self.right(line) - line.x1 > self.p.short_line * line.size


def _edges(lines: list[Line], quantile: float) -> tuple[float, float]:
    """Left edge: the most common line start (the leftmost of ties); right: near the widest."""
    starts = Counter(round(ln.x0) for ln in lines)
    top = max(starts.values())
    left = float(min(x for x, n in starts.items() if n == top))
    ends = sorted(ln.x1 for ln in lines)
    return left, ends[int(quantile * (len(ends) - 1))]


def gather_evidence(layout: Layout, language: str, p: SegmentParams = DEFAULT_PARAMS
                    ) -> Evidence:
    """Measure the body text first; heading styles and the part style are then judged
    against it, and the result carries all of it."""
    body = [ln for ln in layout.lines(Role.BODY)]
    # The body style is the commonest style of the body size (which the layout measured
    # where running text dominates): a long reference list in smaller type can hold more
    # characters than the running text, yet its style is not the text's.
    styles: Counter = Counter()
    for line in body:
        if abs(line.size - layout.body_size) < p.same_size:
            styles[style_of(line)] += len(line.text)
    if not styles:
        # No line of the body size, or no body at all (a page whose only text the layout
        # took for furniture, such as an icon's letter): the style of what text there is.
        for line in body or layout.lines():
            styles[style_of(line)] += len(line.text)
    body_style = styles.most_common(1)[0][0]
    words, hyphenated = _vocabulary(layout)
    text = Evidence(
        body_style, layout.body_size, layout.line_pitch, frozenset(words),
        frozenset(hyphenated), _choose_hyphenator(layout, words, language),
        hyphenates=_breaks_words(layout, words),
        marks_breaks=sum(1 for ln in layout.lines() if ln.soft_hyphen) >= 3,
        heading_fonts=frozenset(_heading_fonts(body, body_style, p)),
        standalone_styles=frozenset(_standalone_styles(body, body_style, layout.line_pitch,
                                                       p)),
        spaced_paragraphs=_spaced_paragraphs(body, body_style, layout.line_pitch, p),
        frame=Frame([ln for ln in body if style_of(ln) == body_style], p), params=p)
    part_style = find_part_style(layout, text)
    ranks, levels = rank_heading_styles(layout, text, part_style)
    return replace(text, part_style=part_style, heading_levels=levels, heading_ranks=ranks,
                   images={page.number: tuple(page.images) for page in layout.pages
                           if page.images})


def _spaced_paragraphs(lines: list[Line], body_style, pitch: float, p: SegmentParams
                       ) -> bool:
    """Running text whose lines, now and then, stand a clear extra space apart: the
    typesetter separates paragraphs by space."""
    text = [ln for ln in lines if style_of(ln) == body_style]
    gaps = [a.y - b.y for a, b in zip(text, text[1:], strict=False)
            if a.page == b.page and a.column == b.column and a.y > b.y]
    spaced = sum(1 for g in gaps if p.close_pitch * pitch < g < p.paragraph_space_max * pitch)
    return len(gaps) > 20 and spaced >= max(5, p.spaced_share * len(gaps))


def _heading_fonts(lines: list[Line], body_style, p: SegmentParams) -> set[str]:
    """Fonts used only for short lines standing alone (a small-caps heading face), unlike a
    code or quotation face whose lines follow each other."""
    count: Counter = Counter()
    followed: Counter = Counter()
    short: Counter = Counter()
    for previous, line in zip([None, *lines], lines, strict=False):
        if line.bold or line.italic or any(name_styles(line.font)):
            # weight and slant are judged on their own; a line mostly in an italic face
            # named in short ("MinionPro-It") with roman words after it is a run-in
            # heading's line, not a heading face's
            continue
        count[line.font] += 1
        short[line.font] += len(line.text.split()) <= 12
        if previous is not None and previous.font == line.font:
            followed[line.font] += 1
    return {font for font in count if font != body_style[3] and count[font] >= 2
            and followed[font] <= p.heading_font_followed * count[font]
            and short[font] == count[font]}


def _standalone_styles(lines: list[Line], body_style, pitch: float, p: SegmentParams
                       ) -> set:
    """Styles other than the text's, in a face of their own, whose every line is short and
    which seldom follow themselves: headings, whatever their size, weight or slant (a
    table's cells or a caption's lines follow each other, or run long). A face whose lines
    of that size now and then carry on a sentence of the text above them (italic species
    names filling a line of a paragraph, alone or among roman words) is the text's emphasis:
    its lines that stand alone are words of the text too (a name opening a paragraph on a
    line of its own), unless most of them stand a space above the text under them, as a
    heading does."""
    count: Counter = Counter()
    followed: Counter = Counter()
    short: Counter = Counter()
    faces: Counter = Counter()  # by (size, font): a face's lines, whatever their slant
    inside: Counter = Counter()
    below: Counter = Counter()  # a style's lines with a line under them in their column
    spaced: Counter = Counter()  # ... of which stand a space above that line
    for previous, line in zip([None, *lines], lines, strict=False):
        style = style_of(line)
        count[style] += 1
        short[style] += len(line.text.split()) <= p.standalone_words and \
            not _runs_into_text(line)
        if previous is not None and style_of(previous) == style:
            followed[style] += 1
        face = (style[0], style[3])
        faces[face] += 1
        inside[face] += previous is not None and _runs_on(previous, line, body_style, pitch, p)
        if previous is not None and previous.page == line.page and \
                previous.column == line.column and previous.y > line.y:
            below[style_of(previous)] += 1
            spaced[style_of(previous)] += previous.y - line.y > p.space_below * pitch
    return {style for style in count if style[3] != body_style[3] and count[style] >= 2
            and followed[style] <= p.heading_font_followed * count[style]
            and short[style] == count[style]
            and (2 * spaced[style] > below[style]
                 or not _emphasis(inside[style[0], style[3]], faces[style[0], style[3]], p))}


def _runs_into_text(line: Line) -> bool:
    """A line mostly in a face whose name says bold or italic, yet with words in another
    face after them: a run-in heading going on into its paragraph ("2.4. Thicknesses. The")."""
    bold, italic = name_styles(line.font)
    return (bold and not line.bold) or (italic and not line.italic)


def _emphasis(inside: int, lines: int, p: SegmentParams) -> bool:
    """A face that carries on the text's sentences again and again, not once by chance (a
    heading after a line that lost its full stop)."""
    return inside >= p.standalone_inside_lines and inside > p.standalone_inside_share * lines


def _runs_on(previous: Line, line: Line, body_style, pitch: float, p: SegmentParams) -> bool:
    """Does `line` carry on the sentence of the text line just above it (no sentence end
    there, no paragraph space between)?"""
    return (style_of(previous) == body_style and previous.page == line.page
            and previous.column == line.column
            and 0 < previous.y - line.y < p.close_pitch * pitch
            and not previous.text.rstrip().endswith(TERMINAL))


def _certain_breaks(layout: Layout, words: set[str]) -> list[tuple[str, str]]:
    """Line-end hyphens whose halves join into a word the document uses elsewhere
    ("multivec-" + "tor"): breaks the typesetter certainly made."""
    breaks: list[tuple[str, str]] = []
    previous = ""
    for line in layout.lines(Role.BODY):
        text = re.sub(r"\s+-$", "-", line.text.rstrip())
        if previous.endswith("-") and text:
            left = re.split(r"[\s/]", previous)[-1][:-1].lower()
            right = re.sub(r"\W+$", "", text.split()[0]).lower()
            if left.isalpha() and right.isalpha() and left + right in words:
                breaks.append((left, right))
        previous = text
    return breaks


def _choose_hyphenator(layout: Layout, words: set[str], language: str
                       ) -> pyphen.Pyphen | AnyOf:
    """Of the language's hyphenation dictionaries, the one that best explains the breaks
    the typesetter certainly made (en_GB and en_US break "denouncing" differently)."""
    base = language.split("_")[0]
    names = sorted(n for n in pyphen.LANGUAGES if n == base or n.startswith(base + "_")) or [
        "en_US"]
    candidates = {name: pyphen.Pyphen(lang=name) for name in names}
    breaks = _certain_breaks(layout, words)

    def hits(name: str) -> tuple[int, bool]:
        found = sum(1 for left, right in breaks
                    if len(left) in candidates[name].positions(left + right))
        return found, name == language

    best = max(candidates, key=hits)
    # dictionaries that explain the certain breaks equally well: the typesetter's own rules
    # (Word's) may follow either, so a break either allows is one it may have made
    tied = [candidates[n] for n in candidates if hits(n)[0] == hits(best)[0]]
    return AnyOf(tied) if breaks and len(tied) > 1 else candidates[best]


class AnyOf:
    """Hyphenation dictionaries read as one: a break any of them allows."""

    def __init__(self, dictionaries: list[pyphen.Pyphen]) -> None:
        self.dictionaries = dictionaries

    def positions(self, word: str) -> list[int]:
        return sorted({p for d in self.dictionaries for p in d.positions(word)})


# Certain breaks that show a typesetter breaks words; a document with fewer line-end hyphens
# than that in all (a one-page notice) shows it by one.
MIN_CERTAIN_BREAKS = 3


def _breaks_words(layout: Layout, words: set[str]) -> bool:
    """Does the typesetter hyphenate at all? A few certain breaks say so, or one where the
    document has too few line-end hyphens to show more."""
    certain = len(_certain_breaks(layout, words))
    ends = sum(1 for line in layout.lines(Role.BODY) if line.text.rstrip().endswith("-"))
    return certain >= MIN_CERTAIN_BREAKS or (certain >= 1 and ends < MIN_CERTAIN_BREAKS)


def _vocabulary(layout: Layout) -> tuple[set[str], set[str]]:
    """Whole words of the document (fragments around a line-end hyphen left out), and those
    that carry a hyphen inside: the evidence for dehyphenation."""
    words: set[str] = set()
    hyphenated: set[str] = set()
    broken = False
    for line in layout.lines():
        text = re.sub(r"\s+-$", "-", line.text.rstrip())
        tokens = text.split()
        for index, token in enumerate(tokens):
            if (index == 0 and broken) or (index == len(tokens) - 1 and token.endswith("-")):
                continue
            token = token.strip(".,;:()[]\"'“”‘’!?").lower()
            if token:
                words.add(token)
                if "-" in token.strip("-"):
                    hyphenated.add(token)
        broken = text.endswith("-")
    return words, hyphenated


def looks_like_heading(line: Line, ev: Evidence) -> bool:
    text = line.text.strip()
    if not text or len(text) > 160 or style_of(line) == ev.body_style:
        return False
    small_caps = line.font in ev.heading_fonts and bool(SMALL_CAPS.search(line.font))
    # (synthetic small capitals are set in a smaller size; so are some sans heading faces
    # over a serif text, known by being set in standalone short lines only)
    standalone = style_of(line) in ev.standalone_styles and \
        line.size >= ev.params.standalone_heading_size * ev.body_size
    if line.size < ev.params.smaller_than_text * ev.body_size and not (small_caps or standalone):
        return False
    if not (line.bold or line.size > ev.params.larger_than_text * ev.body_size
            or line.font in ev.heading_fonts or standalone):
        return False
    if text[0] in OPENING_QUOTES and text[-1] in CLOSING_QUOTES:
        return False  # a pull quote, set large, is not a heading
    return not text.endswith((",", ";")) and not URL.search(text)


OPENING_QUOTES = "“\"‘«„"


CLOSING_QUOTES = "”\"’»“"


def rank_heading_styles(layout: Layout, ev: Evidence, part_style) -> tuple[dict, dict]:
    """Heading styles ordered from most to least prominent: each style's rank, and the
    section levels they give (a style's variant takes the style's level)."""
    seen: Counter = Counter()
    mixing: Counter = Counter()  # style → how many of its lines mix fonts
    fonts_in: dict = defaultdict(set)  # style → the other fonts its mixed lines hold
    for line in layout.lines(Role.BODY):
        if looks_like_heading(line, ev) and style_of(line) != part_style:
            seen[style_of(line)] += 1
            # (words only: a section number set in another face is no inverted emphasis)
            fonts = {s.font for s in line.spans if not s.raised and any(
                c.isalpha() for c in s.text)}
            if len(fonts) > 1:
                mixing[style_of(line)] += 1
                fonts_in[style_of(line)] |= fonts - {line.font}
    variants = _slant_variants(seen, mixing, fonts_in, ev.params.slant_variant_share)
    variants |= _duplicate_embeddings([s for s in seen if s not in variants], seen)
    ranked = sorted(seen, key=lambda s: (-s[0], not s[1], s[2]))
    ranks = {style: rank for rank, style in enumerate(ranked, start=1)}
    levels = {style: level for level, style in enumerate(
        (s for s in ranked if s not in variants), start=1)}
    return ranks, levels | {style: levels[base] for style, base in variants.items()}


def _slant_variants(seen: Counter, mixing: Counter, fonts_in: dict, share: float) -> dict:
    """Heading styles that are another's with its emphasis inverted, to that other style:
    more than `share` of their lines mix in the other's font, at the same size and weight,
    and the other's lines are mostly set in one font. (A line of a subhead set in a slanted
    face with names set upright takes whichever face has more letters as its style.)"""
    mostly_mixed = {s for s in seen if mixing[s] > share * seen[s]}
    variants = {}
    for style in mostly_mixed:
        bases = [b for b in seen if b not in mostly_mixed and b[:2] == style[:2]
                 and (b[3] == style[3] or b[3] in fonts_in[style])]
        if bases:
            # the style in the line's own dominant font first, then the most common one
            variants[style] = max(bases, key=lambda b: (b[3] == style[3], seen[b]))
    return variants


def _duplicate_embeddings(styles: list, seen: Counter) -> dict:
    """Heading styles set in a copy of another's font, embedded again under the other's
    name and a number, at the same size, weight and slant, to the most common of them:
    one style, one level. (Fonts named only by a number, "F1" and "F2", are two fonts: the
    name without the number must be a font of the document's headings too.)"""
    fonts = {s[3] for s in styles}
    groups: dict = defaultdict(list)
    for style in styles:
        font = embedded_copy_of(style[3])
        font = font if font in fonts else style[3]
        groups[(*style[:3], font)].append(style)
    variants = {}
    for group in groups.values():
        base = max(group, key=lambda s: seen[s])
        variants.update({s: base for s in group if s != base})
    return variants


def find_part_style(layout: Layout, ev: Evidence):
    """The title style of parts: a large style that opens a new page (nearly) every time it
    is used, at least twice. Section headings that happen to fall at a page top do not
    qualify, since most of their uses are mid-page."""
    uses: Counter = Counter()
    openers: Counter = Counter()
    for page in layout.pages:
        body = [ln for ln in page.lines if ln.role is Role.BODY]
        for index, line in enumerate(body):
            if line.size <= ev.params.part_title_size * ev.body_size:
                continue
            if index and style_of(body[index - 1]) == style_of(line):
                continue  # the second line of a title
            uses[style_of(line)] += 1
            # a page opener, under at most a line or two of small type (a running head)
            if index <= 2 and all(ln.size < ev.body_size for ln in body[:index]):
                openers[style_of(line)] += 1
    candidates = [s for s, n in openers.items()
                  if n >= 2 and n >= ev.params.part_opener_share * uses[s]]
    return max(candidates, key=lambda s: s[0]) if candidates else None


def is_heading(line: Line, ev: Evidence) -> bool:
    return style_of(line) in ev.heading_levels and looks_like_heading(line, ev)
