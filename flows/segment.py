"""Stage 3 — segment: lines in reading order → the document model.

The line stream from the layout stage is cut into parts (a foreword, essays), and each
part into its title, contributors, executive summary, sections, paragraphs, lists, quotes
and notes. Every cut is justified by evidence measured on this document:

- the body style is the style most text is set in; headings are other, shorter lines in a
  bold or larger style, and their levels follow the ranking of those styles;
- a part begins where a page opens with the document's largest recurring title style;
- a paragraph begins with a first-line indent or extra space above, or after a line that
  stops short — whichever the document itself uses;
- a raised number is a footnote callout only when the same part has a note with that
  label; otherwise it stays a superscript.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import pyphen

from flows.extract import ImageBox
from flows.layout import SMALL_CAPS, Layout, Line, Role, Span, note_label
from flows.model import (
    AbstractSection,
    Block,
    Box,
    Contributor,
    Document,
    Figure,
    FrontMatter,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Part,
    Reference,
    RichText,
    Section,
    Sidebar,
    SourceInfo,
    Table,
    iter_paragraphs,
    iter_sections,
    walk_blocks,
)
from flows.profile import DEFAULT_STYLE, HouseStyle

BULLETS = "•■▪●◦‣○□–—-*·➢►▶✓"
ORDERED_ITEM = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))(\s+|$)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
URL_START = re.compile(r"(?:https?://|www\.)", re.I)
WEIGHT_OR_SLANT = re.compile(r"bold|black|heavy|semibold|italic|oblique", re.I)
TERMINAL = tuple('.?!:"”’)')
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


# ------------------------------------------------------------------ text helpers
def collapse_letterspacing(text: str) -> str:
    """'E X E C U T I V E  S U M M A R Y' → 'EXECUTIVE SUMMARY'."""
    words = re.split(r"\s{2,}", text.strip())
    if all(re.fullmatch(r"(\S )+\S", w) for w in words if w):
        return " ".join(w.replace(" ", "") for w in words)
    return text.strip()


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", collapse_letterspacing(text)).strip()


def style_of(line: Line) -> tuple[float, bool, bool, str]:
    """Size, weight, slant and font: what sets a heading apart from the text around it."""
    return (round(line.size * 2) / 2, line.bold, line.italic, line.font)


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def title_case(text: str) -> str:
    """Caps titles read badly in HTML and text; keep mixed-case titles as set."""
    if not is_caps(text):
        return text
    small = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "from"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def box_of(lines: list[Line]) -> Box:
    pages = sorted({ln.page for ln in lines})
    first = [ln for ln in lines if ln.page == pages[0]]
    return Box(pages, (round(min(ln.x0 for ln in first), 1),
                       round(min(ln.y for ln in first) - first[-1].size * 0.25, 1),
                       round(max(ln.x1 for ln in first), 1),
                       round(max(ln.y for ln in first) + first[0].size * 0.8, 1)))


# ------------------------------------------------------------------ evidence
@dataclass
class Evidence:
    """Statistics of the whole document that the cuts below are measured against."""

    body_style: tuple[float, bool, bool, str]
    body_size: float
    pitch: float
    words: set[str]
    hyphenated: set[str]
    hyphenator: pyphen.Pyphen
    hyphenates: bool = True  # does the typesetter break words with hyphens?
    marks_breaks: bool = False  # does it set its own line-end hyphens as U+2010?
    heading_fonts: set[str] = field(default_factory=set)
    spaced_paragraphs: bool = False  # paragraphs set apart by space rather than an indent
    images: dict[int, list[ImageBox]] = field(default_factory=dict)  # page → figures' images
    frame: Frame | None = None
    heading_levels: dict[tuple[float, bool, bool, str], int] = field(default_factory=dict)
    part_style: tuple[float, bool, bool, str] | None = None


class Frame:
    """The text block a run of lines is set in: its left edge and right edge per page and
    column, measured from those lines themselves, so a boxed summary, a quote or a two-column
    page each get their own edges. A page with too few lines borrows the edges the same
    column has across all pages. Where the lines hold too little evidence of how paragraphs
    start, the document's own habit (`inherit`) applies."""

    def __init__(self, lines: list[Line], inherit: Frame | None = None,
                 text_size: float | None = None) -> None:
        by_page: dict[tuple, list[Line]] = defaultdict(list)
        by_column: dict[int, list[Line]] = defaultdict(list)
        # Edges come from lines in the text's own size, so that a table's smaller rows set
        # into the same column do not move its margin.
        if text_size is None:
            sizes = Counter(round(ln.size) for ln in lines)
            text_size = sizes.most_common(1)[0][0] if sizes else 0.0
        for line in lines:
            if abs(line.size - text_size) < 0.6:
                by_page[(line.page, round(line.column[0]))].append(line)
                by_column[round(line.column[0])].append(line)
        for line in lines:
            if (line.page, round(line.column[0])) not in by_page:
                by_page[(line.page, round(line.column[0]))].append(line)
            by_column.setdefault(round(line.column[0]), []).append(line)
        self.column_edges = {k: _edges(v) for k, v in by_column.items()}
        self.page_edges = {k: _edges(v) for k, v in by_page.items() if len(v) >= 4}
        # A first-line indent is an indented line followed closely by one at the margin;
        # quotes and list items, indented on every line and set apart by space, do not count.
        steps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False)
                 if a.page == b.page and a.column == b.column and a.y > b.y]
        pitch = statistics.median(steps) if steps else 0.0
        offsets: Counter = Counter()
        for line, after in zip(lines, lines[1:], strict=False):
            offset = line.x0 - self.margin(line)
            if offset > 0.3 * line.size and after.page == line.page and \
                    after.column == line.column and after.x0 - self.margin(after) < 0.3 * (
                    line.size) and abs(after.size - line.size) < 0.6 and \
                    0 < line.y - after.y < 1.3 * pitch:
                offsets[round(offset)] += 1
        if sum(offsets.values()) < 2 and inherit is not None:
            self.indent, self.indent_paragraphs = inherit.indent, inherit.indent_paragraphs
        else:
            self.indent = float(offsets.most_common(1)[0][0]) if offsets else 0.0
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
        return line.x0 - self.margin(line) > 0.3 * line.size

    def short(self, line: Line) -> bool:
        return self.right(line) - line.x1 > 2.5 * line.size


def _edges(lines: list[Line]) -> tuple[float, float]:
    """Left edge: the most common line start (the leftmost of ties); right: near the widest."""
    starts = Counter(round(ln.x0) for ln in lines)
    top = max(starts.values())
    left = float(min(x for x, n in starts.items() if n == top))
    ends = sorted(ln.x1 for ln in lines)
    return left, ends[int(0.9 * (len(ends) - 1))]


def gather_evidence(layout: Layout, language: str) -> Evidence:
    body = [ln for ln in layout.lines(Role.BODY)]
    styles: Counter = Counter()
    for line in body:
        styles[style_of(line)] += len(line.text)
    body_style = styles.most_common(1)[0][0]
    words, hyphenated = _vocabulary(layout)
    hyphenator = _choose_hyphenator(layout, words, language)
    evidence = Evidence(body_style, layout.body_size, layout.line_pitch, words, hyphenated,
                        hyphenator)
    evidence.frame = Frame([ln for ln in body if style_of(ln) == body_style])
    evidence.hyphenates = _breaks_words(layout, words)
    evidence.marks_breaks = sum(1 for ln in layout.lines() if ln.soft_hyphen) >= 3
    evidence.heading_fonts = _heading_fonts(body, body_style)
    evidence.spaced_paragraphs = _spaced_paragraphs(body, body_style, layout.line_pitch)
    return evidence


def _spaced_paragraphs(lines: list[Line], body_style, pitch: float) -> bool:
    """Running text whose lines, now and then, stand a clear extra space apart: the
    typesetter separates paragraphs by space."""
    text = [ln for ln in lines if style_of(ln) == body_style]
    gaps = [a.y - b.y for a, b in zip(text, text[1:], strict=False)
            if a.page == b.page and a.column == b.column and a.y > b.y]
    spaced = sum(1 for g in gaps if 1.3 * pitch < g < 2.5 * pitch)
    return len(gaps) > 20 and spaced >= max(5, 0.03 * len(gaps))


def _heading_fonts(lines: list[Line], body_style) -> set[str]:
    """Fonts used only for short lines standing alone (a small-caps heading face), unlike a
    code or quotation face whose lines follow each other."""
    count: Counter = Counter()
    followed: Counter = Counter()
    short: Counter = Counter()
    for previous, line in zip([None, *lines], lines, strict=False):
        if line.bold or line.italic or WEIGHT_OR_SLANT.search(line.font):
            continue  # weight and slant are judged on their own
        count[line.font] += 1
        short[line.font] += len(line.text.split()) <= 12
        if previous is not None and previous.font == line.font:
            followed[line.font] += 1
    return {font for font in count if font != body_style[3] and count[font] >= 2
            and followed[font] <= 0.3 * count[font] and short[font] == count[font]}


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


def _choose_hyphenator(layout: Layout, words: set[str], language: str) -> pyphen.Pyphen:
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

    return candidates[max(candidates, key=hits)]


def _breaks_words(layout: Layout, words: set[str]) -> bool:
    """Does the typesetter hyphenate at all? A few certain breaks say so."""
    return len(_certain_breaks(layout, words)) >= 3


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
    if line.size < 0.95 * ev.body_size and not small_caps:
        return False  # (synthetic small capitals are set in a smaller size)
    if not (line.bold or line.size > 1.08 * ev.body_size or line.font in ev.heading_fonts):
        return False
    if text[0] in OPENING_QUOTES and text[-1] in CLOSING_QUOTES:
        return False  # a pull quote, set large, is not a heading
    return not text.endswith((",", ";")) and not URL.search(text)


OPENING_QUOTES = "“\"‘«„"
CLOSING_QUOTES = "”\"’»“"


def rank_heading_styles(layout: Layout, ev: Evidence, part_style) -> dict:
    """Heading styles ordered from most to least prominent give the section levels."""
    seen: Counter = Counter()
    for line in layout.lines(Role.BODY):
        if looks_like_heading(line, ev) and style_of(line) != part_style:
            seen[style_of(line)] += 1
    ranked = sorted(seen, key=lambda s: (-s[0], not s[1], s[2]))
    return {style: level for level, style in enumerate(ranked, start=1)}


def find_part_style(layout: Layout, ev: Evidence):
    """The title style of parts: a large style that opens a new page (nearly) every time it
    is used, at least twice. Section headings that happen to fall at a page top do not
    qualify, since most of their uses are mid-page."""
    uses: Counter = Counter()
    openers: Counter = Counter()
    for page in layout.pages:
        body = [ln for ln in page.lines if ln.role is Role.BODY]
        for index, line in enumerate(body):
            if line.size <= 1.3 * ev.body_size:
                continue
            if index and style_of(body[index - 1]) == style_of(line):
                continue  # the second line of a title
            uses[style_of(line)] += 1
            # a page opener, under at most a line or two of small type (a running head)
            if index <= 2 and all(ln.size < ev.body_size for ln in body[:index]):
                openers[style_of(line)] += 1
    candidates = [s for s, n in openers.items() if n >= 2 and n >= 0.75 * uses[s]]
    return max(candidates, key=lambda s: s[0]) if candidates else None


# ------------------------------------------------------------------ rich text
class TextBuilder:
    """Accumulates spans into rich text, joining lines with dehyphenation."""

    def __init__(self, ev: Evidence, whole_italic: bool = False) -> None:
        self.ev = ev
        self.parts: RichText = []
        self.whole_italic = whole_italic
        self.soft_hyphen = False  # the last line added ended in the typesetter's hyphen

    def _append(self, kind: str, text: str, target: str = "") -> None:
        if kind in ("text", "italic", "bold") and self.parts and self.parts[-1].kind == kind:
            self.parts[-1].text += text
        else:
            self.parts.append(Inline(kind, text, target))

    def add_line(self, spans: list[Span], soft_hyphen: bool = False) -> None:
        spans = [s for s in spans if s.text]
        if not spans:
            return
        if self.parts:
            self._join_break(spans[0].text.lstrip())
        self.soft_hyphen = soft_hyphen
        for index, span in enumerate(spans):
            text = span.text if index else span.text.lstrip()
            if span.raised:
                self._append("sup", text.strip())
            else:
                kind = "italic" if span.italic and not self.whole_italic else (
                    "bold" if span.bold else "text")
                self._append(kind, re.sub(r"\s+", " ", text))

    def _join_break(self, next_text: str) -> None:
        """Join two lines: drop a hyphenation hyphen, keep a real one, keep URLs whole."""
        last = self.parts[-1]
        stripped = last.text.rstrip()
        if last.kind == "sup":
            self._append("text", " ")
            return
        if stripped.endswith(" -") and len(stripped) > 2:
            stripped = stripped[:-2] + "-"  # a justified hyphen set apart from its word
        last_token = re.split(r"\s", stripped)[-1] if stripped else ""
        in_url = bool(URL_START.search(last_token))
        if stripped.endswith(("-", "\u00ad")) and not stripped.endswith("--"):
            left_word = last_token[:-1]
            right_word = re.split(r"\s", next_text)[0] if next_text else ""
            if self.ev.marks_breaks and stripped.endswith("-"):
                drop = self.soft_hyphen  # the typesetter said which hyphens are its own
            else:
                drop = (self._url_hyphen_is_break(left_word, right_word) if in_url
                        else self._drop_hyphen(left_word, right_word))
            last.text = stripped[:-1] if drop else stripped
            return
        last.text = stripped
        if in_url and not last_token.endswith((".", ",", ";", ")")):
            return  # a URL broken at the line end continues on the next line
        if stripped.endswith(("—", "–", "/")) and not stripped[:-1].endswith(" "):
            return  # a line may break after a dash or slash; it joins what it joined
        if next_text.startswith("—"):
            return  # or before an em dash, which takes no space
        self._append("text" if last.kind != "italic" else "italic", " ")

    def _url_hyphen_is_break(self, left: str, right: str) -> bool:
        """A hyphen at a URL's line end is the typesetter's when the letters around it form
        a word of the document, or, outside a slug of hyphen-joined words, a word the
        language's hyphenation patterns would break there; else it is the URL's."""
        if not self.ev.hyphenates:
            return False  # the typesetter never hyphenates: every line-end hyphen is real
        head = re.search(r"[A-Za-z]+$", left)
        tail = re.match(r"[A-Za-z]+", right)
        if not head or not tail:
            return not (left[-1:].isalnum() and right[:1].isalnum())
        if (head.group(0) + tail.group(0)).lower() in self.ev.words:
            return True
        if "-" in left or "-" in re.split(r"[/?#]", right)[0]:
            return False  # a slug of words joined by hyphens ("remarks-on-americas-growing")
        return len(head.group(0)) in self.ev.hyphenator.positions(head.group(0) + tail.group(0))

    def _drop_hyphen(self, left: str, right: str) -> bool:
        """Evidence in order: the joined word occurs in the document; the hyphenated form
        occurs; two long words of the document meet there (a compound); the typesetter's
        hyphenation patterns allow a break there."""
        core_left = left.strip("\"'“‘([")
        core_right = re.sub(r"[.,;:)\]\"'”’!?]+$", "", right)
        if not core_left or not core_right:
            return False
        joined = (core_left + core_right).lower()
        hyphened = (core_left + "-" + core_right).lower()
        if joined in self.ev.words:
            return True
        if hyphened in self.ev.hyphenated or hyphened in self.ev.words:
            return False
        if core_right[0].isupper() or core_left[-1].isdigit() or core_left.endswith("."):
            return False
        if not self.ev.hyphenates:
            return False  # a typesetter that never breaks words
        if "-" in core_right:  # "Russi-" + "an-led": join only if the pieces make a word
            head = re.split(r"[-–—/]", core_left)[-1].lower() + core_right.split("-")[0].lower()
            return head in self.ev.words
        last_piece = re.split(r"[-–—/]", core_left)[-1].lower()
        word = last_piece + core_right.lower()
        if word in self.ev.words:
            return True
        halves = (last_piece, core_right.lower())
        if all(len(h) >= 5 and h in self.ev.words for h in halves):
            return False  # two full words of the document joined by a hyphen: a compound
        if len(last_piece) in self.ev.hyphenator.positions(word):
            return True
        return not core_right.isalpha()

    def result(self) -> RichText:
        out = [i for i in self.parts if i.text or i.kind == "callout"]
        if out and out[-1].kind in ("text", "italic", "bold"):
            out[-1].text = out[-1].text.rstrip()
        if out and out[0].kind in ("text", "italic", "bold"):
            out[0].text = out[0].text.lstrip()
        return [i for i in out if i.text or i.kind == "callout"]


def rich_text(lines: list[Line], ev: Evidence) -> RichText:
    whole_italic = all(ln.italic for ln in lines)
    builder = TextBuilder(ev, whole_italic)
    for line in lines:
        builder.add_line(line.spans, line.soft_hyphen)
    return builder.result()


def text_of(rich: RichText) -> str:
    return "".join(i.text for i in rich if i.kind != "callout")


def link_urls(rich: RichText) -> RichText:
    """Split URLs out of text runs into link inlines."""
    out: RichText = []
    for inline in rich:
        if inline.kind not in ("text", "italic"):
            out.append(inline)
            continue
        position = 0
        for match in URL.finditer(inline.text):
            url = match.group(0).rstrip(".,;:)]")
            start = match.start()
            if start > position:
                out.append(Inline(inline.kind, inline.text[position:start]))
            href = url if "://" in url else "http://" + url
            out.append(Inline("link", url, href))
            position = start + len(url)
        if position < len(inline.text):
            out.append(Inline(inline.kind, inline.text[position:]))
    return out


# ------------------------------------------------------------------ notes
def parse_notes(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Group note lines into notes; a line without a label continues the note before it,
    including across pages. A number opening a line is a label only when set raised or when
    it is the next in the sequence ("10 (2017): 22" inside note 9 is text)."""
    notes: list[tuple[str, list[Line]]] = []
    for line in lines:
        label = note_label(line)
        first = next((s for s in line.spans if s.text.strip()), None)
        if label is not None and label.isdigit() and notes and notes[-1][0].isdigit() and \
                not (first is not None and first.raised) and int(label) != int(notes[-1][0]) + 1:
            label = None
        if label is not None:
            notes.append((label, [line]))
        elif notes:
            notes[-1][1].append(line)
    return notes


def note_text(label: str, lines: list[Line], ev: Evidence) -> RichText:
    first = lines[0]
    spans = list(first.spans)
    head = next(i for i, s in enumerate(spans) if s.text.strip())
    if spans[head].raised:
        spans = spans[head + 1:]
    else:
        text = re.sub(r"^\s*" + re.escape(label) + r"[.)]?\s*", "", spans[head].text, count=1)
        spans = [Span(text, spans[head].bold, spans[head].italic)] + spans[head + 1:]
    builder = TextBuilder(ev)
    builder.add_line(spans, first.soft_hyphen)
    for line in lines[1:]:
        builder.add_line(line.spans, line.soft_hyphen)
    return link_urls(builder.result())


# ------------------------------------------------------------------ blocks
@dataclass
class RawBlock:
    kind: str  # heading, p, quote, item, figure, table (a caption), cells
    lines: list[Line]
    level: int = 0
    ordered: bool = False


def starts_item(line: Line) -> tuple[bool, bool]:
    """(is a list item, is ordered) from a leading bullet glyph or enumerator."""
    text = line.text.lstrip()
    if not text:
        return False, False
    if text[0] in BULLETS and (len(text) == 1 or text[1] == " ") and text[:2] != "- ":
        return True, False
    if text[0] in "•■▪●◦‣➢►▶✓":
        return True, False
    if ORDERED_ITEM.match(text) and not text[:4].isdigit():
        return True, True
    return False, False


def strip_marker(spans: list[Span]) -> list[Span]:
    first = next(i for i, s in enumerate(spans) if s.text.strip())
    text = spans[first].text.lstrip()
    if text[0] in BULLETS:
        text = text[1:]
    else:
        text = ORDERED_ITEM.sub("", text, count=1)
    rest = spans[first + 1:]
    return ([Span(text.lstrip(), spans[first].bold, spans[first].italic)] if text.strip()
            else []) + rest


def cut_blocks(lines: list[Line], ev: Evidence, style: HouseStyle) -> list[RawBlock]:
    """Cut a run of lines into headings, paragraphs, quotes and list items."""
    frame = Frame([ln for ln in lines if not _is_heading(ln, ev)], ev.frame, ev.body_size)
    set_in = _set_in_runs(lines, frame)
    blocks: list[RawBlock] = []
    previous: Line | None = None
    for line in lines:
        if not line.text.strip():
            continue
        if _lone_callout(line, ev) and blocks:
            blocks[-1].lines[-1].spans.extend(
                Span(s.text, s.bold, s.italic, True, s.size) for s in line.spans)
            continue
        last = blocks[-1] if blocks else None
        if last and last.kind in ("table", "cells") and _in_table(line, frame, ev):
            _add_to_float(blocks, "cells", line)
            previous = line
            continue
        if _is_heading(line, ev) and not (starts_item(line)[0] and
                                            line.size < 1.08 * ev.body_size):
            if (blocks and blocks[-1].kind == "heading" and previous is not None
                    and style_of(previous) == style_of(line) and previous.page == line.page
                    and previous.y - line.y < 2.2 * line.size):
                blocks[-1].lines.append(line)
            else:
                blocks.append(RawBlock("heading", [line], ev.heading_levels[style_of(line)]))
            previous = line
            continue
        last = blocks[-1] if blocks else None
        caption = caption_kind(line, style)
        if caption:
            chart = _chart_lines_before(blocks, frame, ev) if caption == "figure" else []
            blocks.append(RawBlock(caption, [line]))
            if chart:  # the chart stood above its caption
                blocks.append(RawBlock("figure-text", chart))
            previous = line
            continue
        if last and last.kind in ("figure", "table") and len(last.lines) and previous and \
                _continues_caption(last, line, previous):
            last.lines.append(line)
            previous = line
            continue
        if last and last.kind in ("figure", "figure-text") and _chart_line(line, frame, ev):
            _add_to_float(blocks, "figure-text", line)
            previous = line
            continue
        item, ordered = starts_item(line)
        if item:
            blocks.append(RawBlock("item", [line], ordered=ordered))
        elif last and last.kind == "item" and previous is not None and _continues_item(
                last, line, previous, ev):
            last.lines.append(line)
        elif _quote_line(line, frame) or id(line) in set_in:
            if last and last.kind == "quote" and not _new_paragraph(line, previous, ev, frame,
                                                                     last):
                last.lines.append(line)
            else:
                blocks.append(RawBlock("quote", [line]))
        elif last and last.kind == "p" and not _new_paragraph(line, previous, ev, frame, last):
            last.lines.append(line)
        elif (interrupted := _interrupted_paragraph(blocks)) and not _new_paragraph(
                line, interrupted.lines[-1], ev, frame, interrupted):
            interrupted.lines.append(line)  # the paragraph goes on after a figure or table
        else:
            blocks.append(RawBlock("p", [line]))
        previous = line
    return _uncaptioned_charts(_inline_enumerations(blocks, ev, frame), frame, ev)


def _uncaptioned_charts(blocks: list[RawBlock], frame: Frame, ev: Evidence
                        ) -> list[RawBlock]:
    """Four or more one-line blocks in a row on one page, all chart lines (small, short):
    the labels of a chart without a caption, kept together as a figure's text."""
    def label(block: RawBlock | None) -> bool:
        return block is not None and block.kind in ("p", "quote") and \
            len(block.lines) == 1 and _chart_line(block.lines[0], frame, ev)

    result: list[RawBlock] = []
    run: list[RawBlock] = []
    for block in [*blocks, None]:
        if label(block) and (not run or run[0].lines[0].page == block.lines[0].page):
            run.append(block)
            continue
        if len(run) >= 4:
            result.append(RawBlock("figure-text", [b.lines[0] for b in run]))
        else:
            result.extend(run)
        run = [block] if label(block) else []
        if block is not None and not run:
            result.append(block)
    return result


FLOATS = ("figure", "figure-text", "table", "cells")


def _add_to_float(blocks: list[RawBlock], content: str, line: Line) -> None:
    """A table's row or a chart's label: onto the content block after the caption."""
    if blocks[-1].kind == content:
        blocks[-1].lines.append(line)
    else:
        blocks.append(RawBlock(content, [line]))


def _chart_line(line: Line, frame: Frame, ev: Evidence) -> bool:
    """Text set inside a chart: small, short (a label, a value, an axis title), and no list
    item. Such lines next to a figure caption belong to the figure, not the text."""
    width = frame.right(line) - frame.margin(line)
    return (line.size < 0.93 * ev.body_size and line.x1 - line.x0 < 0.45 * width
            and not starts_item(line)[0])


def _chart_lines_before(blocks: list[RawBlock], frame: Frame, ev: Evidence) -> list[Line]:
    """Chart labels read just before a caption set below its chart: the one-line blocks at
    the end of the list that are all chart lines. They are taken off the list."""
    taken: list[Line] = []
    while blocks and blocks[-1].kind in ("p", "quote") and len(blocks[-1].lines) == 1 and \
            _chart_line(blocks[-1].lines[0], frame, ev):
        taken[:0] = blocks.pop().lines
    return taken


def _interrupted_paragraph(blocks: list[RawBlock]) -> RawBlock | None:
    """The paragraph before the figures and tables that close the block list, when its last
    line does not end a sentence: a float set mid-paragraph, read in column order."""
    position = len(blocks) - 1
    while position >= 0 and blocks[position].kind in FLOATS:
        position -= 1
    if position in (-1, len(blocks) - 1) or blocks[position].kind != "p":
        return None
    paragraph = blocks[position]
    return None if paragraph.lines[-1].text.rstrip().endswith(TERMINAL) else paragraph


def _inline_enumerations(blocks: list[RawBlock], ev: Evidence, frame: Frame
                         ) -> list[RawBlock]:
    """A numbered "item" with no sibling item is an enumeration inside running text
    ("were: (1) to employ … ; (2) …" wrapped so that "(1)" opens a line): it goes back into
    the paragraph, and the text after it too."""
    merged: list[RawBlock] = []
    enumerating: RawBlock | None = None  # the paragraph an enumeration went back into
    for index, block in enumerate(blocks):
        neighbours = [blocks[i] for i in (index - 1, index + 1) if 0 <= i < len(blocks)]
        lone = block.kind == "item" and block.ordered and all(
            n.kind != "item" for n in neighbours)
        host = merged[-1] if merged and merged[-1].kind == "p" else None
        if host and (lone or (block.kind == "p" and host is enumerating)) and not \
                _new_paragraph(block.lines[0], host.lines[-1], ev, frame, host):
            host.lines.extend(block.lines)
            enumerating = host
        else:
            merged.append(block)
            enumerating = None
    return merged


def caption_kind(line: Line, style: HouseStyle) -> str:
    """'figure' or 'table' when the line opens a caption: a label word, a number (perhaps
    with a series letter: "S1", "A2"), then a separator ("Figure 2:", "Table S1."), so that
    "Figure 2 shows" stays running text."""
    text = plain(line.text).lower()
    for kind, labels in (("figure", style.figure_labels), ("table", style.table_labels)):
        for label in labels:
            if text.startswith(label) and re.match(
                    r"\s*[a-z]?(\d+|[ivx]+)(\.\d+)?\s*[.:—–|-]", text[len(label):]):
                return kind
    return ""


def _continues_caption(block: RawBlock, line: Line, previous: Line) -> bool:
    """A caption runs on over lines of its own size set close below it."""
    first = block.lines[0]
    return (block.kind != "cells" and abs(line.size - first.size) < 0.3
            and previous.page == line.page and 0 < previous.y - line.y < 1.6 * line.size
            and line.italic == first.italic and "\t" not in line.text)


def _in_table(line: Line, frame: Frame, ev: Evidence) -> bool:
    """Table rows: smaller type, cells split by wide gaps, or text set in from the margin."""
    if line.size > 1.08 * ev.body_size:
        return False  # a heading after the table
    if frame.indent_paragraphs and abs(line.x0 - frame.margin(line) - frame.indent) < (
            0.3 * line.size) and "\t" not in line.text.strip() and abs(
            line.size - ev.body_size) < 0.5 and line.x1 - line.x0 > 0.6 * (
            frame.right(line) - frame.margin(line)):
        return False  # the indented first line of the paragraph after the table
    return (line.size < 0.93 * ev.body_size or "\t" in line.text.strip()
            or line.x0 - frame.margin(line) > 0.5 * line.size or line.bold)


def _is_heading(line: Line, ev: Evidence) -> bool:
    return style_of(line) in ev.heading_levels and looks_like_heading(line, ev)


def _lone_callout(line: Line, ev: Evidence) -> bool:
    return line.size < 0.8 * ev.body_size and bool(re.fullmatch(r"\s*\d{1,3}\s*", line.text))


def _set_in_runs(lines: list[Line], frame: Frame) -> set[int]:
    """Lines in runs of three or more set in to the same x: a block set apart (a quote),
    whatever the paragraph indent, since a first-line indent never repeats."""
    found: set[int] = set()
    run: list[Line] = []
    for line in [*lines, None]:
        inset = line is not None and line.x0 - frame.margin(line) > 0.3 * line.size
        if inset and run and abs(line.x0 - run[-1].x0) < 1 and line.page == run[-1].page \
                and line.column == run[-1].column and not starts_item(line)[0]:
            run.append(line)
            continue
        if len(run) >= 3:
            found.update(id(ln) for ln in run)
        run = [line] if inset else []
    return found


def _quote_line(line: Line, frame: Frame) -> bool:
    """Set in further than the text's own paragraph indent: a block quote."""
    offset = line.x0 - frame.margin(line)
    if frame.indent_paragraphs:
        return offset > frame.indent + 0.5 * line.size
    return offset > 1.5 * line.size


def _continues_item(block: RawBlock, line: Line, previous: Line, ev: Evidence) -> bool:
    first = block.lines[0]
    hanging = line.x0 > first.x0 + 0.3 * line.size
    if len(block.lines) > 1:
        hanging = hanging or abs(line.x0 - block.lines[-1].x0) < 1
    close = previous.page != line.page or previous.y - line.y < 1.6 * max(
        line.size, ev.pitch / 1.2)
    return hanging and close and abs(line.size - first.size) < 0.6


def _new_paragraph(line: Line, previous: Line | None, ev: Evidence, frame: Frame,
                   block: RawBlock) -> bool:
    if previous is None:
        return True
    if abs(line.size - previous.size) > 0.6:
        return True
    same_column = previous.page == line.page and previous.column == line.column
    if same_column and previous.y - line.y > 1.45 * max(ev.pitch, line.size * 1.15):
        return True
    if block.kind == "quote":
        base = min(ln.x0 for ln in block.lines)
        return line.x0 > base + 0.3 * line.size
    if frame.indent_paragraphs:
        return frame.indented(line)
    if ev.spaced_paragraphs and same_column:
        return False  # the space between paragraphs, checked above, is the only signal
    return frame.short(previous) and previous.text.rstrip().endswith(TERMINAL)


# ------------------------------------------------------------------ parts
def split_parts(lines: list[Line], ev: Evidence, style: HouseStyle
                ) -> tuple[list[Line], list[list[Line]]]:
    """Front-matter lines, then one line list per part (each starting with its title). A
    contents page titled like a part is front matter, and so is a title page."""
    if ev.part_style is None:
        return [], [lines]
    starts = []
    for index, line in enumerate(lines):
        if style_of(line) != ev.part_style or plain(line.text).lower() in (
                style.contents_headings):
            continue
        prior = lines[index - 1] if index else None
        page_opener = prior is None or prior.page != line.page
        if page_opener:
            starts.append(index)
    # a cover or title page set in the part style, with no running text, is front matter
    while len(starts) > 1 and not any(style_of(ln)[:3] == ev.body_style[:3]
                                      for ln in lines[starts[0]:starts[1]]):
        starts.pop(0)
    if not starts:
        return [], [lines]
    parts = [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)], strict=True)]
    return lines[:starts[0]], parts


def _back_cover(lines: list[Line], ev: Evidence) -> list[Line]:
    """Closing pages without a line of running text (an address, a back cover) belong to
    the publication, not to its last part; they are kept with the front matter. A closing
    page whose first line is set like the last line before it (a reference list running
    on), or which opens with a heading (the references), still belongs to the part."""
    last_text = max((ln.page for ln in lines if style_of(ln)[:3] == ev.body_style[:3]),
                    default=None)
    if last_text is None:
        return []
    first: dict[int, Line] = {}
    last: dict[int, Line] = {}
    for line in lines:
        first.setdefault(line.page, line)
        last[line.page] = line
    page = last_text
    while page + 1 in first and (style_of(first[page + 1])[:3] == style_of(last[page])[:3]
                                 or _is_heading(first[page + 1], ev)):
        page += 1
    return [ln for ln in lines if ln.page > page]


def _split_at_title(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """A single article: its title is the largest type on its first page; what stands
    above it (journal name, DOI, section label) is front matter."""
    first_page = [ln for ln in lines if ln.page == lines[0].page]
    biggest = max(ln.size for ln in first_page)
    start = next(i for i, ln in enumerate(lines) if ln.size == biggest)
    return lines[:start], [lines[start:]]


def parse_part(lines: list[Line], notes: list[Line], ev: Evidence, style: HouseStyle,
               index: int) -> Part:
    title_lines = [lines[0]]
    position = 1
    while position < len(lines) and style_of(lines[position]) == style_of(lines[0]) \
            and lines[position].page == lines[0].page:
        title_lines.append(lines[position])
        position += 1
    title = rich_text(title_lines, ev)
    part = Part("essay", title, box_of(title_lines), id=f"part{index}")
    subtitle_lines = []
    while position < len(lines) and lines[position].size == lines[0].size and \
            lines[position].page == lines[0].page:
        subtitle_lines.append(lines[position])  # the title again, in another language
        position += 1
    part.subtitle = rich_text(subtitle_lines, ev) if subtitle_lines else []
    rest = lines[position:]
    lead = _subtitle_before_byline(rest, ev, style)
    if lead and not part.subtitle:
        part.subtitle = rich_text(lead, ev)
    rest = rest[len(lead):]
    byline_marks = {s.text.strip() for ln in rest[:8] for s in ln.spans if s.raised}
    byline, rest = _byline(rest, ev, style)
    part.contributors = [Contributor(name) for name in split_names(byline)]
    if part.contributors:
        part.affiliations, rest = _affiliations(rest, ev, style)
    # a dateline or labelled line ("March 2024") between the byline and the summary box
    # waits until after the box, where the front matter picks it up
    publication: list[Line] = []
    while rest and _publication_line(rest[0]) and any(
            is_abstract_heading(ln, style) for ln in rest[1:4]):
        publication.append(rest.pop(0))
    boxes, rest, translated_title = _abstract_boxes(rest, style)
    rest = publication + rest
    if translated_title and not part.subtitle:
        part.subtitle = rich_text(translated_title, ev)
    for number, box in enumerate(boxes):
        sections, keywords = _abstract_sections(box, ev, style)
        if number == 0:
            part.abstract = sections
        else:
            part.trans_abstracts.append(sections)
        if keywords:
            part.keywords.append(keywords)
    bio_lines, rest = _bios(rest, ev, part.contributors)
    _attach_bios(part, bio_lines, ev)
    signature, rest = _signature(rest)
    part.signature = signature
    if signature and not part.contributors:
        part.contributors = [Contributor(signature[0], role=", ".join(signature[1:]))]
    name = plain(text_of(title)).lower()
    if not part.abstract and name in style.opening_parts:
        part.kind = style.opening_parts[name]  # type: ignore[assignment]
    raw = cut_blocks(rest, ev, style)
    part.blocks, reference_blocks = _nest(raw, ev, style)
    for entry in split_references([ln for b in reference_blocks for ln in b.lines], ev):
        if _publication_line(entry[0]):  # "RECEIVED: …" after the list is no reference
            part.publication_notes.append(plain(text_of(rich_text(entry, ev))))
        else:
            part.references.append(Reference(link_urls(rich_text(entry, ev)), box_of(entry)))
    part.notes = [Note(label, note_text(label, nl, ev), box_of(nl))
                  for label, nl in parse_notes(notes)]
    confirm_callouts(part)
    _notes_of_the_byline(part, byline_marks)
    return part


def _notes_of_the_byline(part: Part, byline_marks: set[str]) -> None:
    """Notes called only from the authors' names are affiliations, not footnotes."""
    cited = {i.target for p in iter_paragraphs(part) for i in p.content if i.kind == "callout"}
    cited |= {i.target for s in iter_sections(part.blocks) for i in s.title
              if i.kind == "callout"}
    keep: list[Note] = []
    for note in part.notes:
        if note.label in byline_marks and note.label not in cited:
            part.affiliations.append(plain(text_of(note.content)))
        else:
            note.cited = note.label in cited
            keep.append(note)
    part.notes = keep


NAME_PARTICLES = {"and", "y", "e", "et", "und", "de", "da", "do", "dos", "das", "del", "la",
                  "van", "von", "der", "den", "di", "le", "bin", "al"}


def _looks_like_names(text: str) -> bool:
    """Names are short capitalised words joined by commas and 'and'; a sentence is not."""
    words = [w.strip(",;") for w in text.split() if w.strip(",;")]
    sentence_end = text.rstrip().endswith((".", ":")) and not re.search(
        r"\b[A-Z]\.$", text.rstrip())
    if re.search(r"\d", text) or not 2 <= len(words) <= 40 or sentence_end:
        return False
    capitals = sum(1 for w in words if w[0].isupper() or w.lower() in NAME_PARTICLES)
    names = [[w for w in chunk.split() if w.lower() not in NAME_PARTICLES]
             for chunk in re.split(r",|;|\band\b|&", text)]
    if any(len(name) > 5 for name in names):
        return False  # one person's name has a few words; a title-case phrase runs on
    return capitals >= 0.85 * len(words)


def _byline(lines: list[Line], ev: Evidence, style: HouseStyle) -> tuple[str, list[Line]]:
    """Author names set under a part title, one line or several; raised affiliation marks,
    footnote symbols and identifiers set apart in their own cell (ORCID) are not names. A
    line that stops inside a name (a lone first name) wraps into the next; otherwise each
    line holds whole names."""
    taken: list[Line] = []
    names = ""
    for line in lines[:8]:
        text = re.sub(r"[*†‡]", "", _unraised(line).split("\t")[0]).strip()
        for prefix in style.byline_prefixes:
            if text.lower().startswith(prefix):
                text = text[len(prefix):]
        if is_abstract_heading(line, style) or line.size < 0.85 * ev.body_size:
            break
        if taken and _is_heading(line, ev) and style_of(line) != style_of(taken[0]):
            break  # the first heading of the text, under the byline
        if not (_looks_like_names(text) or taken and _looks_like_names("A " + text)):
            break
        if taken:
            last_name = re.split(r",|\band\b|&", names)[-1].split()
            names += " " if len(last_name) <= 1 else ", "
        names += text
        taken.append(line)
    return names, lines[len(taken):]


def _subtitle_before_byline(lines: list[Line], ev: Evidence, style: HouseStyle
                            ) -> list[Line]:
    """Lines set larger than the text between a title and a "By …" line: a subtitle."""
    for index, line in enumerate(lines[:4]):
        if plain(line.text).lower().startswith(style.byline_prefixes):
            lead = lines[:index]
            return lead if all(ln.size > ev.body_size for ln in lead) else []
    return []


def _unraised(line: Line) -> str:
    return "".join(s.text for s in line.spans if not s.raised)


def _affiliations(lines: list[Line], ev: Evidence, style: HouseStyle
                  ) -> tuple[list[str], list[Line]]:
    """Small lines between the byline and the text: affiliations and author notes, kept
    for the front matter rather than read as body text."""
    taken: list[Line] = []
    for line in lines:
        if line.size >= 0.95 * ev.body_size or plain(line.text).lower() in \
                style.abstract_headings:
            break
        taken.append(line)
    if not taken or len(taken) > 12:
        return [], lines
    text = plain(text_of(rich_text(taken, ev)))
    # Entries open with their mark: "1 Institute …, 2 Department …".
    entries = re.split(r"(?:^|\s)(?=(?:\d{1,2}|[*†‡])\s+[A-ZÀ-Þ])", text)
    return [e.strip() for e in entries if e.strip()], lines[len(taken):]


def split_names(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    pieces = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [p.strip() for p in pieces if p.strip()]


def is_abstract_heading(line: Line, style: HouseStyle) -> bool:
    return plain(line.text).lower().rstrip(":") in style.abstract_headings


def _text_style(line: Line) -> tuple[float, bool]:
    return round(line.size * 2) / 2, line.italic


def is_keywords(line: Line, style: HouseStyle) -> bool:
    return plain(line.text).lower().startswith(style.keyword_labels)


def _abstract_boxes(lines: list[Line], style: HouseStyle
                    ) -> tuple[list[list[Line]], list[Line], list[Line]]:
    """Summary boxes at the head of a part. A box runs from an abstract heading while its
    text keeps one style; further headings in that box are its sections. A heading whose
    text changes style opens the next box: the summary again, in another language, which
    may come with the title translated just above it (returned third)."""
    boxes: list[list[Line]] = []
    translated_title: list[Line] = []
    i = 0
    while i < len(lines):
        if not is_abstract_heading(lines[i], style):
            ahead = next((j for j in range(i, min(i + 4, len(lines)))
                          if is_abstract_heading(lines[j], style)), None)
            if not boxes or ahead is None or translated_title or not all(
                    ln.size > lines[ahead].size * 0.99 or ln.bold for ln in lines[i:ahead]):
                break
            translated_title = lines[i:ahead]
            i = ahead
        heading_style = style_of(lines[i])
        box = [lines[i]]
        i += 1
        box_style = None
        while i < len(lines):
            line = lines[i]
            if style_of(line) == heading_style and is_abstract_heading(line, style):
                following = lines[i + 1] if i + 1 < len(lines) else None
                if box_style is not None and following is not None and \
                        _text_style(following) != box_style:
                    break
                box.append(line)
                i += 1
                continue
            if box_style is None:
                box_style = _text_style(line)
            if _text_style(line) != box_style and not is_keywords(line, style):
                break
            box.append(line)
            i += 1
        boxes.append(box)
    return boxes, lines[i:], translated_title


def _bios(lines: list[Line], ev: Evidence, contributors: list[Contributor]
          ) -> tuple[list[Line], list[Line]]:
    """Author notes set apart in their own small style after the summary, before the text:
    they open with an author's name or carry an e-mail address."""
    bios: list[Line] = []
    rest = list(lines)
    names = [c.name.lower() for c in contributors]
    while rest and style_of(rest[0]) != ev.body_style and rest[0].size < ev.body_size and (
            bios or any(rest[0].text.lower().lstrip().startswith(n) for n in names)
            or EMAIL.search(rest[0].text)):
        bios.append(rest.pop(0))
    return bios, rest


def _abstract_sections(lines: list[Line], ev: Evidence, style: HouseStyle
                       ) -> tuple[list[AbstractSection], list[str]]:
    """A box's sections (one per heading) and the keywords listed at its end."""
    sections: list[AbstractSection] = []
    body: list[Line] = []
    keywords: list[str] = []

    def flush() -> None:
        if sections and body:
            raw = cut_blocks(body, ev, style)
            blocks, _ = _nest(raw, ev, style)
            sections[-1].blocks.extend(blocks)
        body.clear()

    for index, line in enumerate(lines):
        if is_abstract_heading(line, style):
            flush()
            sections.append(AbstractSection(title_case(plain(line.text).rstrip(":"))))
        elif is_keywords(line, style):
            rest = " ".join(plain(ln.text) for ln in lines[index:])
            listed = rest.split(":", 1)[-1]
            keywords = [k.strip(" .") for k in re.split(r"[;.,]\s", listed) if k.strip(" .")]
            break
        else:
            body.append(line)
    flush()
    return sections, keywords


def _attach_bios(part: Part, lines: list[Line], ev: Evidence) -> None:
    """One bio per contributor: a bio starts where a contributor's name opens a line."""
    if not lines:
        return
    groups: list[list[Line]] = []
    names = [c.name.lower() for c in part.contributors]
    for line in lines:
        opens = any(line.text.lower().lstrip().startswith(n) for n in names)
        if opens or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    for group in groups:
        text = rich_text(group, ev)
        flat = plain(text_of(text)).lower()
        owner = next((c for c in part.contributors if flat.startswith(c.name.lower())), None)
        if owner is None:
            owner = next((c for c in part.contributors if not c.bio), None)
        if owner is None:
            continue
        owner.bio = link_urls(text)
        found = EMAIL.search(text_of(text))
        if found:
            owner.email = found.group(0).rstrip(".")


def _signature(lines: list[Line]) -> tuple[list[str], list[Line]]:
    """Right-aligned short lines closing a part sign it (a foreword's author and role)."""
    frame = Frame(lines)
    signature: list[Line] = []
    for line in reversed(lines):
        width = frame.right(line) - frame.margin(line)
        right_aligned = line.x1 >= frame.right(line) - 0.5 * line.size
        set_in = line.x0 - frame.margin(line) > max(2 * line.size, 0.15 * width)
        if right_aligned and set_in and len(line.text.split()) <= 20:
            signature.append(line)
        else:
            break
    if not signature:
        return [], lines
    signature.reverse()
    return [plain(ln.text) for ln in signature], lines[:len(lines) - len(signature)]


def _nest(raw: list[RawBlock], ev: Evidence, style: HouseStyle
          ) -> tuple[list[Block], list[RawBlock]]:
    """Turn the flat block list into nested sections by heading level; a references
    heading sends what follows it to the reference list."""
    root: list[Block] = []
    stack: list[Section] = []
    references: list[RawBlock] = []
    in_references = False
    shallowest = _shallowest_numbers(raw, ev)
    for block in raw:
        if block.kind == "heading":
            title = rich_text(block.lines, ev)
            if plain(text_of(title)).lower() in style.reference_headings:
                in_references = True
                continue
            in_references = False
            label, title = split_label(title)
            level = block.level
            if label and style_of(block.lines[0]) in shallowest:
                # one style for several depths: "2.1" sits under "2"
                level += _number_depth(label) - shallowest[style_of(block.lines[0])]
            section = Section(title, level, box_of(block.lines), label=label)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].blocks if stack else root).append(section)
            stack.append(section)
            continue
        if in_references and block.kind not in FLOATS:
            references.append(block)  # tables and figures set among them stay in the body
            continue
        target = stack[-1].blocks if stack else root
        if block.kind == "figure":
            target.append(Figure(rich_text(block.lines, ev), box_of(block.lines),
                                 source_image=_image_beside(block.lines, ev)))
        elif block.kind == "figure-text":
            figure = target[-1] if target and isinstance(target[-1], Figure) else None
            if figure is None:  # a chart without a caption
                figure = Figure([], box_of(block.lines))
                target.append(figure)
            figure.text.extend(plain(ln.text) for ln in block.lines)
        elif block.kind == "table":
            target.append(Table(rich_text(block.lines, ev), [], box_of(block.lines)))
        elif block.kind == "cells":
            table = next((b for b in reversed(target) if isinstance(b, Table)), None)
            rows = [[cell.strip() for cell in ln.text.split("\t") if cell.strip()]
                    for ln in block.lines]
            if table is not None:
                table.rows.extend(r for r in rows if r)
        elif block.kind == "item":
            spans_lines = [replace(ln, spans=strip_marker(ln.spans)) if i == 0 else ln
                           for i, ln in enumerate(block.lines)]
            item = Paragraph(link_urls(rich_text(spans_lines, ev)), box_of(block.lines))
            if target and isinstance(target[-1], ListBlock) and target[-1].ordered == \
                    block.ordered:
                target[-1].items.append(item)
            else:
                target.append(ListBlock([item], block.ordered))
        else:
            content = link_urls(rich_text(block.lines, ev))
            if content:
                target.append(Paragraph(content, box_of(block.lines), quote=block.kind == "quote"))
    return _drop_empty_notes_headings(root, style), references


def _drop_empty_notes_headings(blocks: list[Block], style: HouseStyle) -> list[Block]:
    """A "Notes" heading whose notes were all taken to the part's notes has nothing left."""
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            block.blocks = _drop_empty_notes_headings(block.blocks, style)
            if not block.blocks and plain(text_of(block.title)).lower() in (
                    style.notes_headings):
                continue
        kept.append(block)
    return kept


REFERENCE_LABEL = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.\s|\(\d{1,3}\)\s)")


def split_references(lines: list[Line], ev: Evidence) -> list[list[Line]]:
    """Cut a reference list into entries by the signal its typesetter used: a label
    ("[3]", "3."), a hanging indent (an entry starts at the margin, its other lines set in)
    or extra space between entries. Without any, an entry ends at a short line closing a
    sentence. An entry runs on across columns and pages until the next entry starts."""
    if not lines:
        return []
    labelled = [bool(REFERENCE_LABEL.match(ln.text)) for ln in lines]
    margins: dict[tuple, float] = {}
    for line in lines:
        key = (line.page, line.column)
        margins[key] = min(margins.get(key, line.x0), line.x0, ev.frame.margin(line)
                           if ev.frame else line.x0)
    set_in = [ln.x0 - margins[(ln.page, ln.column)] > 0.3 * ln.size for ln in lines]
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False)
            if a.page == b.page and a.column == b.column and a.y > b.y]
    tight = statistics.median(gaps) if gaps else 0.0
    spaced = sum(1 for g in gaps if g > 1.2 * tight) >= 2
    by_label = sum(labelled) >= 2 and labelled[0]
    hanging = not by_label and sum(set_in) >= 0.2 * len(lines) and sum(not s for s in set_in) >= 2
    entries: list[list[Line]] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        if previous is None:
            starts = True
        elif by_label:
            starts = labelled[index]
        elif hanging:
            starts = not set_in[index]
        elif spaced and previous.page == line.page and previous.column == line.column:
            starts = previous.y - line.y > 1.2 * tight
        else:
            starts = previous.text.rstrip().endswith(".") and (
                ev.frame.short(previous) if ev.frame else True)
        if starts:
            entries.append([line])
        else:
            entries[-1].append(line)
    return entries


SECTION_NUMBER = re.compile(r"^\s*((?:\d+\.)*\d+\.?|[IVXLC]+\.)\s+(?=\S)")


def _number_depth(label: str) -> int:
    """'2' → 1, '2.1' → 2, '2.1.3' → 3; roman numerals count as one level."""
    return len([p for p in label.split(".") if p])


def _shallowest_numbers(raw: list[RawBlock], ev: Evidence) -> dict:
    """Per heading style, the depth of its shallowest section number, for the styles
    whose numbers go deeper than that (a house that sets every level alike)."""
    depths: dict = defaultdict(set)
    for block in raw:
        if block.kind == "heading":
            label, _ = split_label(rich_text(block.lines[:1], ev))
            if label:
                depths[style_of(block.lines[0])].add(_number_depth(label))
    return {style: min(found) for style, found in depths.items() if len(found) > 1}


def split_label(title: RichText) -> tuple[str, RichText]:
    """'2.3 Summary' → label '2.3' and title 'Summary': JATS keeps numbers in `label`."""
    if not title or title[0].kind not in ("text", "bold", "italic"):
        return "", title
    match = SECTION_NUMBER.match(title[0].text)
    if not match or len(text_of(title)) <= match.end():
        return "", title
    rest = [Inline(title[0].kind, title[0].text[match.end():], title[0].target), *title[1:]]
    return match.group(1).rstrip("."), rest


def _image_beside(caption: list[Line], ev: Evidence) -> str:
    """The image nearest above or below a figure caption on its page, each used once."""
    page = caption[0].page
    top, bottom = caption[0].y + caption[0].size, caption[-1].y
    candidates = ev.images.get(page, [])
    if not candidates:
        return ""

    def distance(image: ImageBox) -> float:
        return min(abs(image.y - top), abs(bottom - (image.y + image.height)))

    image = min(candidates, key=distance)
    candidates.remove(image)
    return f"{page}/{image.name}"


def confirm_callouts(part: Part) -> None:
    """A superscript number is a callout when this part has a note with that label."""
    labels = {n.label for n in part.notes}

    def fix(rich: RichText) -> None:
        for inline in rich:
            if inline.kind == "sup" and inline.text in labels:
                inline.kind = "callout"
                inline.target = inline.text

    for paragraph in iter_paragraphs(part):
        fix(paragraph.content)
    for section in iter_sections(part.blocks):
        fix(section.title)






# ------------------------------------------------------------------ front matter
def parse_front(lines: list[Line], parts: list[Part], ev: Evidence, style: HouseStyle
                ) -> FrontMatter:
    """Title, byline, series, date, publisher and copyright from the pages before the first
    part; everything else there (board lists, the publisher's blurb) is kept as notes."""
    front = FrontMatter()
    if not lines:
        return front
    first_page = [ln for ln in lines if ln.page == lines[0].page]
    biggest = max(first_page, key=lambda ln: ln.size)
    title_lines = [ln for ln in first_page if ln.size == biggest.size]
    front.title = plain(" ".join(ln.text for ln in title_lines))
    after = [ln for ln in first_page if ln.y < title_lines[-1].y]
    if after and after[0].size > ev.body_size and not after[0].text.lower().startswith(
            style.byline_prefixes) and not series_of(plain(after[0].text), style):
        front.subtitle = plain(after[0].text)
    contents_pages = _contents_pages(lines, style)
    for line in lines:
        lower = plain(line.text).lower()
        if not front.authors and lower.startswith(style.byline_prefixes):
            prefix = next(p for p in style.byline_prefixes if lower.startswith(p))
            front.authors = split_names(plain(line.text)[len(prefix):])
    read_front_fields(lines, front, style)
    if not front.authors:
        front.authors = [c.name for p in parts for c in p.contributors]
    front.publisher, front.publisher_loc = _publisher(first_page, front)
    # Everything else is kept, paragraph by paragraph.
    kept = [ln for ln in lines if ln.page not in contents_pages and ln.page != lines[0].page]
    front.notes = [text for text in (plain(text_of(rich_text(block.lines, ev)))
                                     for block in cut_blocks(kept, ev, style)) if text]
    front.contents = [plain(ln.text) for ln in lines if ln.page in contents_pages]
    return front


def article_front(part: Part, lines: list[Line], asides: list[Line], ev: Evidence,
                  style: HouseStyle) -> FrontMatter:
    """A single article names itself: title and authors come from its head; the lines above
    the title and any sidebar (journal, DOI, dates, licence) are kept as notes."""
    # (beside a translated abstract, the second title is the title translated)
    subtitle = "" if part.trans_abstracts else plain(text_of(part.subtitle))
    front = FrontMatter(title=plain(text_of(part.title)), subtitle=subtitle,
                        authors=[c.name for c in part.contributors])
    read_front_fields(lines + asides, front, style)
    front.notes = [text for text in (plain(text_of(rich_text(block.lines, ev)))
                                     for block in cut_blocks(lines + asides, ev, style)) if text]
    for printed in _head_notes(part) + part.publication_notes:
        front.notes.append(printed)  # kept as printed, beside the fields read from them
        date = DATELINE.match(printed.lower())
        if date and not front.year:
            front.month = str(MONTHS.index(date.group("month")) + 1)
            front.year = date.group("year")
    return front


DATELINE = re.compile(r"^(?:[a-z ]+:\s*)?(?:\d{1,2}\s+)?(?P<month>" + "|".join(MONTHS)
                      + r")(?:\s+\d{1,2},)?\s+(?P<year>\d{4})\.?$")
LABELLED_NOTE = re.compile(r"^[A-Z][A-Z .-]{1,30}:\s")  # "CITE AS: …", "RECEIVED: …"


def _publication_line(line: Line) -> bool:
    text = plain(line.text)
    return bool(DATELINE.match(text.lower()) or LABELLED_NOTE.match(text))


def _head_notes(part: Part) -> list[str]:
    """Paragraphs standing before an article's first section that are only a date ("March
    2024") or a capitalised label and its value ("CITE AS: …"): publication data, which
    belongs in the front matter, not in the body."""
    moved: list[str] = []
    for block in list(part.blocks):
        if not isinstance(block, Paragraph):
            break
        printed = plain(text_of(block.content))
        if DATELINE.match(printed.lower()) or LABELLED_NOTE.match(printed):
            part.blocks.remove(block)
            moved.append(printed)
    return moved


def series_of(text: str, style: HouseStyle) -> re.Match | None:
    """A series name and number: "… Report #79", "… No. 12", "NBR Special Report 79"."""
    return re.match(r"^(?P<series>[^|#]*?)\s*(?:#|no\.?\s*|number\s+)(?P<num>\d+)\b",
                    text, re.I) or re.search(
        r"(?P<series>[^|#—–]*\b(?:" + "|".join(style.series_words) + r"))\s+(?P<num>\d+)\b",
        text, re.I)


def read_front_fields(lines: list[Line], front: FrontMatter, style: HouseStyle) -> None:
    """Series and number, date, copyright: patterns any publisher's front matter uses."""
    for line in lines:
        text = plain(line.text)
        lower = text.lower()
        series = series_of(text, style)
        if series and not front.number and len(text) < 80:
            front.series = series.group("series").strip(" ,|")
            front.number = series.group("num")
        date = re.search(r"\b(" + "|".join(MONTHS) + r")\s+(\d{4})\b", lower)
        if date and not front.year and len(text) < 80:
            front.month = str(MONTHS.index(date.group(1)) + 1)
            front.year = date.group(2)
        if ("©" in text or lower.startswith("copyright")) and not front.copyright_statement:
            front.copyright_statement = text.rstrip(".")
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
            front.copyright_year = year.group(1) if year else ""
            holder = re.sub(r"^(copyright\b)?\s*(\(c\)|c?©)?\s*(\d{4}([–-]\d{2,4})?[,\s]*)*"
                            r"(by\s+)?", "", text, flags=re.I)
            front.copyright_holder = holder.strip(" .")
    if not front.year and front.copyright_year:
        front.year = front.copyright_year


def _contents_pages(lines: list[Line], style: HouseStyle) -> set[int]:
    pages: set[int] = set()
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for page, page_lines in by_page.items():
        named = any(plain(ln.text).lower() in style.contents_headings for ln in page_lines)
        numbered = sum(1 for ln in page_lines if re.match(r"^(\d+|[ivxl]+)\s+\S", ln.text.strip())
                       or re.search(r"\s(\d+|[ivxl]+)$", ln.text.strip()))
        if named or numbered >= max(3, 0.5 * len(page_lines)):
            pages.add(page)
    return pages


def _publisher(first_page: list[Line], front: FrontMatter) -> tuple[str, str]:
    """The publisher is the copyright holder when it is named on the cover too; the line
    under it on the cover is its place."""
    holder = front.copyright_holder.lower()
    for index, line in enumerate(first_page):
        text = plain(line.text)
        if holder and (text.lower() == holder or collapse_letterspacing(line.text).lower() ==
                       holder) and index + 1 < len(first_page):
            place = plain(first_page[index + 1].text)
            if first_page[index + 1].size <= line.size and len(place.split()) < 8:
                return text, place
            return text, ""
    return front.copyright_holder, ""


# ------------------------------------------------------------------ entry point
def segment(layout: Layout, source: SourceInfo, style: HouseStyle = DEFAULT_STYLE) -> Document:
    ev = gather_evidence(layout, style.language)
    ev.part_style = find_part_style(layout, ev)
    ev.heading_levels = rank_heading_styles(layout, ev, ev.part_style)
    ev.images = {page.number: list(page.images) for page in layout.pages if page.images}
    body_lines = list(layout.lines(Role.BODY))
    note_lines = list(layout.lines(Role.NOTE))
    front_lines, part_lines = split_parts(body_lines, ev, style)
    if ev.part_style is None and body_lines:
        front_lines, part_lines = _split_at_title(body_lines)
    back_cover = _back_cover(part_lines[-1], ev) if part_lines and part_lines[-1] else []
    if back_cover:
        part_lines[-1] = part_lines[-1][:len(part_lines[-1]) - len(back_cover)]
    if ev.part_style is not None:
        front_lines = _with_asides(front_lines, layout, before=min(
            (lns[0].page for lns in part_lines if lns), default=10 ** 9))
    parts: list[Part] = []
    for index, lines in enumerate(part_lines, start=1):
        if not lines:
            continue
        first, last = lines[0].page, lines[-1].page
        nxt = part_lines[index][0].page if index < len(part_lines) else 10 ** 9
        notes = [ln for ln in note_lines if first <= ln.page < max(nxt, last + 1)]
        parts.append(parse_part(lines, notes, ev, style, index))
    aside_lines = list(layout.lines(Role.ASIDE))
    for part, lines in zip(parts, [lns for lns in part_lines if lns], strict=True):
        _place_uncaptioned_images(part, lines[0].page, lines[-1].page, ev)
        if ev.part_style is not None:  # (a single article keeps its sidebar as front matter)
            _place_sidebars(part, [ln for ln in aside_lines
                                   if lines[0].page <= ln.page <= lines[-1].page], ev, style)
    if ev.part_style is None and parts:
        parts[0].kind = "article"
        front = article_front(parts[0], front_lines, list(layout.lines(Role.ASIDE)), ev, style)
    else:
        front = parse_front(front_lines, parts, ev, style)
        front.notes += [note for part in parts for note in part.publication_notes]
    if not front.year and source.created:
        front.year, _, month = source.created.partition("-")
        front.month = month.lstrip("0")
        document_warnings = ["no publication date in the text; used the PDF's creation date"]
    else:
        document_warnings = []
    front.notes += [text for text in (plain(text_of(rich_text(block.lines, ev)))
                                      for block in cut_blocks(back_cover, ev, style)) if text]
    document = Document(front, parts, source, style.language, document_warnings)
    assign_ids(document)
    return document


def assign_ids(document: Document) -> None:
    """Stable ids that are unique across parts, so notes restarting at 1 never collide."""
    for index, part in enumerate(document.parts, start=1):
        part.id = prefix = f"p{index}"
        counters: Counter = Counter()

        def next_id(kind: str, prefix: str = prefix, counters: Counter = counters) -> str:
            counters[kind] += 1
            return f"{prefix}-{kind}{counters[kind]}"

        labels: Counter = Counter(note.label for note in part.notes)
        for note in part.notes:
            # A repeated label (a typesetting slip) still gets an id of its own.
            note.id = f"{prefix}-fn{note.label}" if labels[note.label] == 1 else next_id("fn")
        for section in iter_sections(part.blocks):
            section.id = next_id("s")
        for paragraph in iter_paragraphs(part):
            paragraph.id = next_id("para")
        for reference in part.references:
            reference.id = next_id("ref")
        abstract_blocks = [b for section in part.abstract for b in section.blocks]
        for block in walk_blocks(abstract_blocks + part.blocks):
            if isinstance(block, ListBlock):
                block.id = next_id("list")
            elif isinstance(block, Figure):
                block.id = next_id("fig")
            elif isinstance(block, Table):
                block.id = next_id("table")
            elif isinstance(block, Sidebar):
                block.id = next_id("box")


def _with_asides(lines: list[Line], layout: Layout, before: int) -> list[Line]:
    """The front matter's lines with the margin columns of its pages (a board list set in
    two columns, say), in reading order: nothing on those pages is left out."""
    asides = {id(ln) for ln in layout.lines(Role.ASIDE) if ln.page < before}
    if not asides:
        return lines
    kept = {id(ln) for ln in lines} | asides
    return [ln for page in layout.pages for ln in page.lines if id(ln) in kept]


def _place_sidebars(part: Part, asides: list[Line], ev: Evidence, style: HouseStyle) -> None:
    """Text set apart in a margin column on the part's pages: a boxed-text where it stands
    (before the first block below it), one per column and page."""
    groups: dict[tuple, list[Line]] = defaultdict(list)
    for line in asides:
        groups[(line.page, line.column)].append(line)
    for (page, _), lines in sorted(groups.items(), key=lambda item: item[0][0]):
        paragraphs = [Paragraph(link_urls(rich_text(b.lines, ev)), box_of(b.lines))
                      for b in cut_blocks(lines, ev, style)]
        paragraphs = [p for p in paragraphs if p.content]
        if not paragraphs:
            continue
        box = box_of(lines)
        container, index = _position_of(part.blocks, page, box.bbox[3], box.bbox[0],
                                        box.bbox[2])
        container.insert(index, Sidebar(paragraphs, box))


def _place_uncaptioned_images(part: Part, first_page: int, last_page: int,
                              ev: Evidence) -> None:
    """An image on the part's pages that no caption claimed is still a figure of the text:
    it goes in before the first block that starts below it on its page (or after the last
    block before it), so that it keeps its place in the reading order."""
    for page in range(first_page, last_page + 1):
        for image in ev.images.pop(page, []):
            figure = Figure([], Box([page], (image.x, image.y, image.x + image.width,
                                             image.y + image.height)),
                            source_image=f"{page}/{image.name}")
            container, index = _position_of(part.blocks, page, image.y, image.x,
                                             image.x + image.width)
            container.insert(index, figure)


def _position_of(blocks: list[Block], page: int, bottom: float, left: float, right: float
                 ) -> tuple[list[Block], int]:
    """The container and index where content found at (page, bottom) belongs: before the
    first block on that page that starts below it and shares its width, else after the last
    block that comes before it."""
    after: tuple[list[Block], int] = (blocks, 0)
    for container, index, block in _walk_with_place(blocks):
        source = getattr(block, "source", None)
        if source is None or not source.pages:
            continue
        start = source.pages[0]
        x0, _, x1, top = source.bbox
        overlaps = x0 < right and left < x1
        if start > page or (start == page and top <= bottom + 1 and overlaps):
            return container, index
        after = (container, index + 1)
    return after


def _walk_with_place(blocks: list[Block]):
    for index, block in enumerate(blocks):
        yield blocks, index, block
        if isinstance(block, Section):
            yield from _walk_with_place(block.blocks)
