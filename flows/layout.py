"""Stage 2 — layout: runs → lines in reading order, each tagged with its role on the page.

Every decision here rests on evidence gathered over the whole document rather than on fixed
numbers: the body size is the most common size; running heads and folios are text that
repeats at the same place on many pages; columns are vertical strips that no run crosses;
notes are the smaller lines at the foot of a column that start with a label; callouts are
runs raised above their line's baseline in a smaller size.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum

from flows.extract import ExtractedPdf, ImageBox, Run

ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
CLOSING = tuple(",.;:)]!?’”")  # punctuation that never follows a space
FOLIO = re.compile(r"^(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})$", re.I)


class Role(Enum):
    BODY = "body"
    NOTE = "note"
    FURNITURE = "furniture"


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a line's text with its style; `raised` marks superscripts."""

    text: str
    bold: bool
    italic: bool
    raised: bool = False
    size: float = 0.0


@dataclass(slots=True)
class Line:
    page: int
    spans: list[Span]
    x0: float
    x1: float
    y: float
    size: float  # dominant size of the line's unraised text
    column: tuple[float, float]  # left and right edge of the column the line sits in
    role: Role = Role.BODY
    gap_above: float = 0.0  # baseline distance to the previous line in the same column

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def bold(self) -> bool:
        letters = [s for s in self.spans if not s.raised and s.text.strip()]
        return bool(letters) and all(s.bold for s in letters)

    @property
    def italic(self) -> bool:
        letters = [s for s in self.spans if not s.raised and s.text.strip()]
        return bool(letters) and all(s.italic for s in letters)


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)  # reading order
    images: list[ImageBox] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """The whole document's lines plus the statistics later stages reason with."""

    pages: list[PageLayout]
    body_size: float
    line_pitch: float  # most common baseline distance of body lines

    def lines(self, role: Role | None = None):
        for page in self.pages:
            for line in page.lines:
                if role is None or line.role is role:
                    yield line


def _weighted_mode(values: Counter) -> float:
    return values.most_common(1)[0][0] if values else 10.0


def body_size(doc: ExtractedPdf) -> float:
    """The size most characters are set in."""
    sizes: Counter = Counter()
    for page in doc.pages:
        for run in page.runs:
            sizes[round(run.size, 1)] += len(run.text.strip())
    return _weighted_mode(sizes)


# ------------------------------------------------------------------ lines from runs
def _baseline_groups(runs: list[Run]) -> list[list[Run]]:
    """Runs sharing a baseline; a raised, smaller group joins the line just below it."""
    ordered = sorted(runs, key=lambda r: (-r.y, r.x))
    groups: list[list[Run]] = []
    for run in ordered:
        if groups and abs(groups[-1][0].y - run.y) <= max(0.6, 0.12 * run.size):
            groups[-1].append(run)
        else:
            groups.append([run])
    merged: list[list[Run]] = []
    pending: list[Run] = []
    for index, group in enumerate(groups):
        group = pending + group
        pending = []
        below = groups[index + 1] if index + 1 < len(groups) else None
        if below is not None and _rides_on(group, below):
            pending = group
        else:
            merged.append(group)
    return merged


def _rides_on(group: list[Run], line: list[Run]) -> bool:
    """A superscript group: smaller than the line below, raised above it by under 0.6 em, and
    within its horizontal extent."""
    size = max(r.size for r in group)
    line_size = max(r.size for r in line)
    rise = min(r.y for r in group) - max(r.y for r in line)
    if size >= 0.85 * line_size or not 0 < rise <= 0.6 * line_size:
        return False
    x0 = min(r.x for r in line) - 2 * line_size
    x1 = max(r.x1 for r in line) + line_size
    return all(x0 <= r.x <= x1 for r in group)


def _gutters(groups: list[list[Run]], width: float, size: float) -> list[tuple[float, float]]:
    """Vertical strips of white space that separate columns on this page.

    A strip counts when many lines end on its left and start on its right, and no body run
    crosses it; narrow gaps between words never qualify because words are not runs.
    """
    body = [r for g in groups for r in g if r.size >= 0.9 * size and len(r.text) > 3]
    if len(body) < 8:
        return []
    resolution = 2.0
    bins = int(width / resolution) + 1
    cover = [0] * bins
    for run in body:
        for b in range(max(0, int(run.x / resolution)), min(bins, int(run.x1 / resolution) + 1)):
            cover[b] += 1
    left_edge = min(r.x for r in body)
    right_edge = max(r.x1 for r in body)
    gutters: list[tuple[float, float]] = []
    start = None
    span = right_edge - left_edge
    for b in range(bins):
        x = b * resolution
        empty = cover[b] == 0 and left_edge + 0.2 * span < x < right_edge - 0.2 * span
        if empty and start is None:
            start = x
        elif not empty and start is not None:
            if x - start >= 0.6 * size:
                lefts = sum(1 for r in body if abs(r.x1 - start) < 2 * size)
                rights = sum(1 for r in body if abs(r.x - x) < 1.5 * size)
                if lefts >= 4 and rights >= 4:
                    gutters.append((start, x))
            start = None
    return gutters


def _split_at_gutters(group: list[Run], gutters: list[tuple[float, float]]) -> list[list[Run]]:
    if not gutters:
        return [sorted(group, key=lambda r: r.x)]
    pieces: dict[int, list[Run]] = defaultdict(list)
    for run in sorted(group, key=lambda r: r.x):
        column = sum(1 for g0, _ in gutters if run.x >= g0)
        crosses = any(run.x < g0 and run.x1 > g1 for g0, g1 in gutters)
        pieces[-1 if crosses else column].append(run)
    if -1 in pieces:  # a run spans the gutter: the whole line is full width
        return [sorted(group, key=lambda r: r.x)]
    return [pieces[k] for k in sorted(pieces)]


def _spans(runs: list[Run], size: float, baseline: float) -> list[Span]:
    """Join runs into spans, inserting spaces where the gap between runs is a word space."""
    spans: list[Span] = []
    previous: Run | None = None
    for run in runs:
        raised = run.size < 0.85 * size and run.y - baseline > 0.15 * size
        text = run.text
        if previous is not None:
            gap = run.x - previous.x1
            joined = spans[-1].text
            if gap > 0.15 * min(run.size, previous.size) and not joined.endswith(" ") \
                    and not text.startswith((" ", *CLOSING)) and not raised:
                text = " " + text
        spans.append(Span(text, run.bold, run.italic, raised, run.size))
        previous = run
    return spans


def _make_line(page: int, runs: list[Run], columns: list[tuple[float, float]]) -> Line:
    sizes: Counter = Counter()
    for run in runs:
        sizes[run.size] += len(run.text)
    main = max(sizes, key=lambda s: (sizes[s], s))
    unraised = [r for r in runs if r.size >= 0.85 * main]
    baseline = statistics.median(r.y for r in unraised) if unraised else runs[0].y
    x0, x1 = min(r.x for r in runs), max(r.x1 for r in runs)
    column = next(((c0, c1) for c0, c1 in columns if c0 - 2 <= x0 and x1 <= c1 + 2),
                  (min(c[0] for c in columns), max(c[1] for c in columns)))
    return Line(page, _spans(runs, main, baseline), x0, x1, baseline, main, column)


def _columns(lines_runs: list[list[Run]], gutters: list[tuple[float, float]]):
    xs0 = [r.x for g in lines_runs for r in g]
    xs1 = [r.x1 for g in lines_runs for r in g]
    left, right = min(xs0), max(xs1)
    edges = [left] + [v for g in gutters for v in g] + [right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _reading_order(lines: list[Line], columns: list[tuple[float, float]]) -> list[Line]:
    """Top to bottom; on multi-column pages, each band between full-width lines column by
    column."""
    if len(columns) < 2:
        return sorted(lines, key=lambda ln: (-ln.y, ln.x0))
    ordered: list[Line] = []
    band: list[Line] = []
    for line in sorted(lines, key=lambda ln: (-ln.y, ln.x0)):
        full = line.column == (columns[0][0], columns[-1][1]) and len(columns) > 1 and not any(
            c0 - 2 <= line.x0 and line.x1 <= c1 + 2 for c0, c1 in columns)
        if full:
            ordered.extend(sorted(band, key=lambda ln: (ln.column[0], -ln.y)))
            band = []
            ordered.append(line)
        else:
            band.append(line)
    ordered.extend(sorted(band, key=lambda ln: (ln.column[0], -ln.y)))
    return ordered


def page_lines(doc: ExtractedPdf, size: float) -> list[PageLayout]:
    pages = []
    for page in doc.pages:
        groups = _baseline_groups(page.runs)
        layout = PageLayout(page.number, page.width, page.height, images=list(page.images))
        if groups:
            gutters = _gutters(groups, page.width, size)
            pieces = [piece for g in groups for piece in _split_at_gutters(g, gutters)]
            columns = _columns(pieces, gutters)
            lines = [_make_line(page.number, piece, columns) for piece in pieces]
            layout.lines = _reading_order(lines, columns)
        pages.append(layout)
    return pages


# ------------------------------------------------------------------ furniture
def _furniture_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", text)


def mark_furniture(pages: list[PageLayout]) -> None:
    """Running heads and folios: text at a page's top or foot that recurs across pages.

    A line qualifies when it is among the first or last lines of its page and the same text
    (numbers masked) stands at about the same height on at least three pages (or on a fifth
    of them); a lone number or roman numeral at a page's top or foot is a folio.
    """
    positions: dict[str, list[tuple[int, float]]] = defaultdict(list)
    edges: list[tuple[PageLayout, Line]] = []
    for page in pages:
        by_height = sorted(page.lines, key=lambda ln: -ln.y)
        candidates = by_height[:3] + by_height[-3:]
        for line in dict.fromkeys(id(c) for c in candidates):
            ln = next(c for c in candidates if id(c) == line)
            edges.append((page, ln))
            positions[_furniture_key(ln.text)].append((page.number, ln.y))
    threshold = max(3, len(pages) // 5)
    for page, line in edges:
        key = _furniture_key(line.text)
        ys = [y for _, y in positions[key]]
        same_place = sum(1 for y in ys if abs(y - line.y) < 6)
        pages_with = len({n for n, _ in positions[key]})
        is_folio = bool(FOLIO.match(line.text.strip())) and _outermost(page, line)
        if is_folio or (pages_with >= threshold and same_place >= threshold and len(key) > 1):
            line.role = Role.FURNITURE


def _outermost(page: PageLayout, line: Line) -> bool:
    others = [ln for ln in page.lines if ln is not line and ln.role is not Role.FURNITURE]
    return not others or line.y >= max(o.y for o in others) or line.y <= min(o.y for o in others)


# ------------------------------------------------------------------ notes
NOTE_LABEL = re.compile(r"^\s*(\d{1,3}|[*†‡§¶])[.)]?\s")


def note_label(line: Line) -> str | None:
    """The label a note line starts with: a raised number, or a number set off by a space."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None:
        return None
    if first.raised and re.fullmatch(r"\s*(\d{1,3}|[*†‡§¶])\s*", first.text):
        return first.text.strip()
    match = NOTE_LABEL.match(line.text)
    return match.group(1) if match else None


def mark_notes(pages: list[PageLayout], size: float) -> None:
    """Notes sit at the foot of a column in a smaller size and begin with a label.

    Walk each column's lines from the bottom up while they are smaller than the body; the
    run of them is a note area when it begins with a label, or continues a note area of the
    previous column or page.
    """
    carrying = False
    for page in pages:
        columns: dict[tuple[float, float], list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role is Role.BODY:
                columns[line.column].append(line)
        for column in sorted(columns, key=lambda c: c[0]):
            lines = sorted(columns[column], key=lambda ln: -ln.y)
            area: list[Line] = []
            for line in reversed(lines):
                if line.size < 0.93 * size:
                    area.append(line)
                else:
                    break
            area.reverse()
            if not area or len(area) == len(lines) and not carrying:
                # a page of only small text (a board list, a colophon) has no note area
                if not area:
                    carrying = False
                continue
            start = next((i for i, ln in enumerate(area) if note_label(ln)), None)
            if start is None and not carrying:
                continue
            first = 0 if carrying else start
            gap_ok = _note_area_separated(lines, area[first])
            if not gap_ok:
                continue
            for line in area[first:]:
                line.role = Role.NOTE
            carrying = True


def _note_area_separated(lines: list[Line], first: Line) -> bool:
    """The note area is set off from the text above it by extra space (and usually a rule)."""
    index = lines.index(first)
    if index == 0:
        return True
    above = lines[index - 1]
    return above.y - first.y > 1.2 * first.size


# ------------------------------------------------------------------ entry point
def analyse_layout(doc: ExtractedPdf) -> Layout:
    size = body_size(doc)
    pages = page_lines(doc, size)
    mark_furniture(pages)
    mark_notes(pages, size)
    pitches: Counter = Counter()
    for page in pages:
        previous: Line | None = None
        for line in page.lines:
            if line.role is not Role.BODY:
                continue
            if previous is not None and previous.column == line.column and previous.y > line.y:
                line.gap_above = round(previous.y - line.y, 1)
                if abs(line.size - size) < 0.3 and abs(previous.size - size) < 0.3:
                    pitches[line.gap_above] += 1
            previous = line
    pitch = _weighted_mode(pitches) if pitches else size * 1.2
    return Layout(pages, size, pitch)
