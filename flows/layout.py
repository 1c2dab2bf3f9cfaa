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
from dataclasses import dataclass, field, replace
from enum import Enum

from flows.extract import ExtractedPdf, ImageBox, Run

ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
SMALL_CAPS = re.compile(r"small-?caps|[-+]sc$|smcp", re.I)
CLOSING = tuple(",.;:)]!?’”")  # punctuation that never follows a space
FOLIO = re.compile(r"^(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})$", re.I)


class Role(Enum):
    BODY = "body"
    NOTE = "note"
    FURNITURE = "furniture"
    ASIDE = "aside"  # a margin column beside the text: metadata sidebars, pull quotes


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a line's text with its style; `raised` marks superscripts."""

    text: str
    bold: bool
    italic: bool
    raised: bool = False
    size: float = 0.0
    font: str = ""


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
    soft_hyphen: bool = False  # ends in the typesetter's own hyphen (U+2010), not the text's

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

    @property
    def font(self) -> str:
        """The font most of the line's text is set in."""
        weights: Counter = Counter()
        for span in self.spans:
            if not span.raised:
                weights[span.font] += len(span.text.strip())
        return weights.most_common(1)[0][0] if weights else ""


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
    """A superscript group: a few characters, smaller than the line below, raised above it
    by under 0.6 em, and within its horizontal extent."""
    size = max(r.size for r in group)
    line_size = max(r.size for r in line)
    rise = min(r.y for r in group) - max(r.y for r in line)
    if size >= 0.85 * line_size or not 0 < rise <= 0.6 * line_size:
        return False
    if max(len(r.text.strip()) for r in group) > 8:
        return False  # callouts are marks; a run of small words is a line of its own
    # Line ends are measured without justification's extra spacing: allow for it.
    x0 = min(r.x for r in line) - 2 * line_size
    x1 = max(r.x1 for r in line) + 4 * line_size
    return all(x0 <= r.x <= x1 for r in group)


def column_starts(groups: list[list[Run]], size: float, sidebar: bool = False) -> list[float]:
    """Left edges of the columns after the first, from where lines of prose start.

    A column edge is an x where many prose lines start, and where the prose lines starting
    further left end before it: a sidebar, or the second column of a two-column page. Short
    runs (table cells, labels) and small type (notes) are left out of the evidence, and font
    metrics can overshoot a line's end by a little, hence the tolerance. With ``sidebar``,
    the column looked for is one set in small type only, beside the text.
    """
    floor = 0.6 if sidebar else 0.8
    prose = [r for g in groups for r in g if len(r.text.strip()) >= 20 and r.size >= floor * size]
    starts: Counter = Counter(round(r.x) for r in prose
                              if not sidebar or r.size < 0.93 * size)
    needed = max(4, len(prose) // 12)
    edges: list[float] = []
    for x, count in sorted(starts.items()):
        if count < 2 or any(abs(x - e) < 2 * size for e in edges):
            continue
        # a column's lines start at its edge or a little in (indents, hanging indents)
        if sum(n for start, n in starts.items() if x <= start < x + 2 * size) < needed:
            continue
        at_x = [r.y for r in prose if abs(r.x - x) < 1]
        low, high = min(at_x) - size, max(at_x) + size
        # only the stretch of page where this column runs: full-width bands above or below
        # (a title, a summary box) say nothing about it
        left_runs = [r for r in prose if r.x < x - size and low <= r.y <= high
                     and (not sidebar or r.size >= 0.93 * size)]  # beside running text
        if len(left_runs) < needed:
            continue
        inside = sum(1 for r in left_runs if r.x1 <= x + 0.5 * size)
        if inside >= 0.85 * len(left_runs):
            edges.append(float(x))
    return edges


def _seat_stray_superscripts(pieces: list[list[Run]], size: float) -> list[list[Run]]:
    """A superscript that landed on another column's baseline joins the line it rides on:
    the nearest line just below it that reaches its x."""
    seated: list[list[Run]] = []
    strays: list[list[Run]] = []
    for piece in pieces:
        stray = all(r.size < 0.8 * size and r.text.strip().isdigit() for r in piece)
        (strays if stray else seated).append(piece)
    for stray in strays:
        hosts = [p for p in seated if _rides_on(stray, p)]
        if hosts:
            host = max(hosts, key=lambda p: p[0].y)
            host.extend(stray)
            host.sort(key=lambda r: r.x)
        else:
            seated.append(stray)
    return seated


def _split_margin_numbers(group: list[Run], size: float) -> list[list[Run]]:
    """A page number printed in the margin on a text line's baseline is its own piece."""
    ordered = sorted(group, key=lambda r: r.x)
    pieces = [ordered]
    if len(ordered) > 1 and FOLIO.match(ordered[0].text.strip()) and \
            ordered[1].x - ordered[0].x1 > 2 * size:
        pieces = [[ordered[0]], ordered[1:]]
    last = pieces[-1]
    if len(last) > 1 and FOLIO.match(last[-1].text.strip()) and \
            last[-1].x - last[-2].x1 > 2 * size:
        pieces[-1:] = [last[:-1], [last[-1]]]
    return pieces


def _split_at_columns(group: list[Run], edges: list[float], size: float) -> list[list[Run]]:
    """One baseline group becomes one piece per column. A run starts a new column's piece
    where white space separates it from the run before, or where prose-sized text starts
    exactly at the column's edge (measured line ends can overshoot); text running on across
    an edge (a full-width title or note) stays one line."""
    ordered = sorted(group, key=lambda r: r.x)
    if not edges:
        return [ordered]
    pieces: list[list[Run]] = [[ordered[0]]]
    for run in ordered[1:]:
        previous = pieces[-1][-1]
        # the white space before the run spans a column edge (a wide justified space
        # beyond the edge, in a line running across it, is no gutter)
        crossed = any(previous.x < e - 1.5 <= run.x + 1.5 and previous.x1 <= e + 0.5 * size
                      for e in edges)
        at_edge = any(abs(run.x - e) <= 1.5 for e in edges) and run.size >= 0.8 * size \
            and not run.text.lstrip().startswith(CLOSING)  # no column line opens with ","
        if crossed and (run.x - previous.x1 > 0.25 * size or at_edge):
            pieces.append([run])
        else:
            pieces[-1].append(run)
    return pieces


def _column_of(x0: float, x1: float, bounds: list[tuple[float, float]], size: float
               ) -> tuple[float, float]:
    for left, right in reversed(bounds):  # the rightmost column the line starts in
        if left - 1.5 <= x0 and x1 <= right + 2 * size:
            return left, right
    return bounds[0][0], bounds[-1][1]  # spans columns


def _spans(runs: list[Run], size: float, baseline: float) -> list[Span]:
    """Join runs into spans, inserting spaces where the gap between runs is a word space."""
    spans: list[Span] = []
    previous: Run | None = None
    small_caps = [r.size for r in runs if SMALL_CAPS.search(r.font)]
    # Small capitals made by shrinking capitals: the full-size letters are real capitals.
    shrunk = bool(small_caps) and min(small_caps) < 0.95 * max(small_caps)
    for run in runs:
        raised = run.size < 0.85 * size and run.y - baseline > 0.15 * size
        text = run.text
        if previous is not None:
            gap = run.x - previous.x1
            joined = spans[-1].text
            if gap > 1.2 * size and not raised:
                text = "\t" + text.lstrip()  # a gap wider than any word space: a cell break
            elif gap > 0.15 * min(run.size, previous.size) and not joined.endswith(" ") \
                    and not text.startswith((" ", *CLOSING)) and not raised:
                text = " " + text
        if SMALL_CAPS.search(run.font):
            # small-caps fonts map glyphs to letters of either case; where the small
            # capitals are shrunk capitals, the full-size letters are the capitals
            full_size = shrunk and run.size >= 0.95 * max(small_caps)
            text = text.upper() if full_size else text.lower()
        spans.append(Span(text, run.bold, run.italic, raised, run.size, run.font))
        previous = run
    return spans


SOFT_BREAK = "\u2010"  # HYPHEN: read as "-", remembered when it ends a line


def _make_line(page: int, runs: list[Run], bounds: list[tuple[float, float]],
               size: float) -> Line:
    sizes: Counter = Counter()
    for run in runs:
        sizes[run.size] += len(run.text)
    main = max(sizes, key=lambda s: (sizes[s], s))
    if all(SMALL_CAPS.search(r.font) for r in runs):
        main = max(sizes)  # a line in small capitals is as large as its capitals
    unraised = [r for r in runs if r.size >= 0.85 * main]
    baseline = statistics.median(r.y for r in unraised) if unraised else runs[0].y
    x0, x1 = min(r.x for r in runs), max(r.x1 for r in runs)
    spans = _spans(runs, main, baseline)
    soft_hyphen = bool(spans) and spans[-1].text.rstrip().endswith(SOFT_BREAK)
    spans = [replace(s, text=s.text.replace(SOFT_BREAK, "-")) if SOFT_BREAK in s.text else s
             for s in spans]
    return Line(page, spans, x0, x1, baseline, main, _column_of(x0, x1, bounds, size),
                soft_hyphen=soft_hyphen)


def _reading_order(lines: list[Line], bounds: list[tuple[float, float]]) -> list[Line]:
    """Top to bottom; on multi-column pages, each band between full-width lines column by
    column."""
    if len(bounds) < 2:
        return sorted(lines, key=lambda ln: (-ln.y, ln.x0))
    full_width = (bounds[0][0], bounds[-1][1])
    ordered: list[Line] = []
    band: list[Line] = []
    for line in sorted(lines, key=lambda ln: (-ln.y, ln.x0)):
        if line.column == full_width:
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
            # a page without columns may still have a sidebar set in smaller type
            edges = column_starts(groups, size) or column_starts(groups, size, sidebar=True)
            pieces = [piece for g in groups for part in _split_margin_numbers(g, size)
                      for piece in _split_at_columns(part, edges, size)]
            pieces = _seat_stray_superscripts(pieces, size)
            left = min(r.x for p in pieces for r in p)
            right = max(r.x1 for p in pieces for r in p)
            cuts = [left, *edges, right]
            bounds = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
            lines = [_make_line(page.number, piece, bounds, size) for piece in pieces]
            layout.lines = _reading_order(lines, bounds)
        pages.append(layout)
    return pages


# ------------------------------------------------------------------ furniture
def _furniture_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", text)


def mark_furniture(pages: list[PageLayout]) -> None:
    """Running heads and folios: text at a page's top or foot that recurs across pages.

    A line qualifies when it is among the first or last lines of its page and either the
    same text (numbers masked) stands at about the same height on at least three pages, or
    it pairs a page number with a running title in a shape that recurs there (the title
    changing from part to part); a lone number at a page's top or foot is a folio.
    """
    positions: dict[str, list[tuple[int, float]]] = defaultdict(list)
    edges: list[tuple[PageLayout, Line]] = []
    for page in pages:
        by_height = sorted(page.lines, key=lambda ln: -ln.y)
        candidates = list({id(c): c for c in by_height[:3] + by_height[-3:]}.values())
        for line in candidates:
            edges.append((page, line))
            for key in _furniture_keys(line, line is by_height[0] or line is by_height[-1]):
                positions[key].append((page.number, line.y))
    _mark_margin_folios(pages)
    threshold = 3  # per-part running heads recur on fewer pages than the whole document
    for page, line in edges:
        is_folio = bool(FOLIO.match(line.text.strip())) and _outermost(page, line)
        recurring = any(
            len({n for n, y in positions[key] if abs(y - line.y) < 6}) >= threshold
            for key in _furniture_keys(line, _outermost(page, line)))
        if is_folio or recurring:
            line.role = Role.FURNITURE


def mark_title_echoes(pages: list[PageLayout], size: float) -> None:
    """A page's top or bottom line in small type that repeats a title printed large in the
    document is a running head, even on a part too short for it to recur three times."""
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    titles: set[str] = set()
    for page in pages:
        large = [ln for ln in page.lines if ln.size >= 1.3 * size]
        for index, line in enumerate(large):
            titles.add(norm(line.text))
            if index and _style_key(large[index - 1]) == _style_key(line):
                titles.add(norm(large[index - 1].text + " " + line.text))
    for page in pages:
        body = sorted((ln for ln in page.lines if ln.role is Role.BODY), key=lambda ln: -ln.y)
        for line in body[:1] + body[-1:]:
            if line.size < size and len(line.text.split()) >= 2 and norm(line.text) in titles:
                line.role = Role.FURNITURE


def _style_key(line: Line) -> tuple[float, bool, bool]:
    return round(line.size, 1), line.bold, line.italic


def _furniture_keys(line: Line, outermost: bool) -> list[str]:
    """The text (and each of its cells) with numbers masked; and, for the page's top or
    bottom line when a page number (not raised) leads or closes it, the shape 'number +
    words' without the words."""
    text = line.text.strip()
    # each cell of a head or foot too: on a two-column page the line breaks at the gutter
    cells = [text, *(c for c in text.split("\t") if len(c.strip()) > 8)] if "\t" in text \
        else [text]
    keys = [_furniture_key(c) for c in cells if len(_furniture_key(c)) > 1]
    tokens = text.split()
    raised = any(s.raised for s in line.spans)
    if outermost and not raised and 1 < len(tokens) <= 14 and line.size <= 12:
        if FOLIO.match(tokens[0]):
            keys.append(f"<folio> … @{round(line.size)}")
        elif FOLIO.match(tokens[-1]):
            keys.append(f"… <folio> @{round(line.size)}")
    return keys


def _mark_margin_folios(pages: list[PageLayout]) -> None:
    """A lone number standing outside the text block, left or right of every text line."""
    for page in pages:
        lines = [ln for ln in page.lines if len(ln.text.strip()) > 3]
        if len(lines) < 3:
            continue
        starts = sorted(ln.x0 for ln in lines)
        ends = sorted(ln.x1 for ln in lines)
        left, right = starts[len(starts) // 20], ends[-1 - len(ends) // 20]
        for line in page.lines:
            if FOLIO.match(line.text.strip()) and (line.x1 < left - line.size
                                                   or line.x0 > right + line.size):
                line.role = Role.FURNITURE


def _outermost(page: PageLayout, line: Line) -> bool:
    others = [ln for ln in page.lines if ln is not line and ln.role is not Role.FURNITURE]
    return not others or line.y >= max(o.y for o in others) or line.y <= min(o.y for o in others)


def mark_asides(pages: list[PageLayout], size: float) -> None:
    """A narrow column set only in small type beside the text column is a sidebar, not text
    to be read in line with it. Narrow is measured against the columns set beside it, at the
    same height: a column as wide as its neighbour is one of a page's columns, however small
    its type (references, say)."""
    for page in pages:
        columns: dict[tuple[float, float], list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role is Role.BODY:
                columns[line.column].append(line)
        for column, lines in columns.items():
            top, bottom = max(ln.y for ln in lines), min(ln.y for ln in lines)
            beside = [other for other, others in columns.items()
                      if (other[1] <= column[0] + size or other[0] >= column[1] - size)
                      and any(bottom - size <= ln.y <= top + size for ln in others)]
            if not beside:
                continue
            widest = max(c[1] - c[0] for c in beside)
            narrow = column[1] - column[0] < 0.5 * widest
            small = sum(1 for ln in lines if ln.size < 0.93 * size) >= 0.6 * len(lines)
            if narrow and small:
                for line in lines:
                    line.role = Role.ASIDE


# ------------------------------------------------------------------ notes
NOTE_ENDINGS = tuple('.?!"”’)')
NOTE_LABEL = re.compile(r"^\s*(\d{1,3}|[*†‡§¶])[.)]?\s")


def note_label(line: Line) -> str | None:
    """The label a note line starts with: a raised number, or a number set off by a space."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None or not re.search(r"[^\W\d_]{2}", line.text):
        return None  # a note says something in words; a row of figures is a table's
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
        if not any(ln.size >= 0.93 * size for c in columns.values() for ln in c):
            carrying = False
            continue  # a page of only small text (a board list, a colophon) has no notes
        for column in sorted(columns, key=lambda c: c[0]):
            lines = sorted(columns[column], key=lambda ln: -ln.y)
            area: list[Line] = []
            for line in reversed(lines):
                if line.size < 0.93 * size:
                    area.append(line)
                else:
                    break
            area.reverse()
            if not area:
                area = _separated_foot(lines)
            if not area:
                continue
            start = next((i for i, ln in enumerate(area) if note_label(ln)), None)
            # Where the notes begin: at the top of the small type when a note runs on from
            # the previous page, else at the first label.
            options = ([0] if carrying else []) + ([start] if start is not None else [])
            first = next((i for i in dict.fromkeys(options)
                          if _opens_note_area(area, i, start, lines, columns, column, size)),
                         None)
            if first is None:
                continue
            for line in area[first:]:
                line.role = Role.NOTE
            # the last note runs on into the next column or page unless it closes a sentence
            carrying = not area[-1].text.rstrip().endswith(NOTE_ENDINGS)
        _join_note_strays(page, size)


def unmark_uncalled_notes(pages: list[PageLayout]) -> None:
    """A note area most of whose labels are never raised in the text is not notes: it is a
    numbered list or table that happens to end a column in small type (a stray exponent
    may share a label or two)."""
    called = {s.text.strip() for page in pages for line in page.lines
              if line.role is not Role.NOTE for s in line.spans if s.raised}
    for page in pages:
        areas: dict[tuple[float, float], list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role is Role.NOTE:
                areas[line.column].append(line)
        for area in areas.values():
            labels = {label for ln in area if (label := note_label(ln))}
            if len(labels & called) < 0.5 * len(labels):
                for line in area:
                    line.role = Role.BODY


def _join_note_strays(page: PageLayout, size: float) -> None:
    """A short note line that fits in one column belongs to the notes set across the page
    when it stands among them."""
    notes = [ln for ln in page.lines if ln.role is Role.NOTE]
    if not notes:
        return
    top = max(ln.y for ln in notes)
    left, right = min(ln.x0 for ln in notes), max(ln.x1 for ln in notes)
    for line in page.lines:
        if line.role is Role.BODY and line.size < 0.93 * size and line.y <= top and \
                left - 1 <= line.x0 and line.x1 <= right + 1:
            line.role = Role.NOTE


def _opens_note_area(area: list[Line], first: int, start: int | None, lines: list[Line],
                     columns: dict, column: tuple[float, float], size: float) -> bool:
    """Notes hang below running text, set off from it; a continued note starts at the
    column's edge (set-in small lines — a signature, a caption — are not notes); a box of
    small type opening a part, with no running text above it, is not notes."""
    line = area[first]
    text_above = any(abs(ln.size - size) < 0.6 and ln.y > line.y
                     for c in columns.values() for ln in c)
    if not text_above:
        return False
    if first != start and line.x0 - column[0] > 3 * line.size:
        return False
    return _note_area_separated(lines, line)


def _separated_foot(lines: list[Line]) -> list[Line]:
    """Notes set as large as the text: the lines below the column's widest gap, when that gap
    is well over the line spacing and the first line below it opens with a raised label."""
    if len(lines) < 4:
        return []
    gaps = [lines[i - 1].y - lines[i].y for i in range(1, len(lines))]
    pitch = statistics.median(gaps)
    index = max(range(len(gaps)), key=lambda i: (gaps[i], i))
    below = lines[index + 1:]
    first = next((s for s in below[0].spans if s.text.strip()), None)
    if gaps[index] < 2 * pitch or first is None or not first.raised or not note_label(below[0]):
        return []
    return below


def _note_area_separated(lines: list[Line], first: Line) -> bool:
    """The note area is set off from the text above it by extra space (and usually a rule)."""
    index = lines.index(first)
    if index == 0:
        return True
    above = lines[index - 1]
    return above.y - first.y > 1.2 * first.size


# ------------------------------------------------------------------ entry point
def drop_decorations(pages: list[PageLayout]) -> None:
    """Images that repeat at the same place on three or more pages (logos, rules) or are
    icon-sized are furniture, not figures."""
    seen: Counter = Counter()
    for page in pages:
        for image in page.images:
            seen[(round(image.x), round(image.y), round(image.width), round(image.height))] += 1
    for page in pages:
        page.images = [i for i in page.images if min(i.width, i.height) >= 36 and seen[
            (round(i.x), round(i.y), round(i.width), round(i.height))] < 3]


def analyse_layout(doc: ExtractedPdf) -> Layout:
    size = body_size(doc)
    pages = page_lines(doc, size)
    drop_decorations(pages)
    mark_furniture(pages)
    mark_title_echoes(pages, size)
    mark_asides(pages, size)
    mark_notes(pages, size)
    unmark_uncalled_notes(pages)
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
