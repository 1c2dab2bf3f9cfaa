"""Stage 2 — layout: runs → lines in reading order, each tagged with its role on the page.

Every decision here rests on evidence gathered over the whole document rather than on fixed
numbers: the body size is the most common size; running heads and folios are text that
repeats at the same place on many pages (layout_furniture); columns are vertical strips that
no run crosses; notes are the smaller lines at the foot of a column that start with a label
(layout_notes); callouts are runs raised above their line's baseline in a smaller size. The
ratios these judgements use are the fields of `LayoutParams` (layout_params), passed down
from `analyse_layout`.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import replace

from flows.extract import ExtractedPdf, Run
from flows.layout_furniture import (
    FOLIO,
    drop_decorations,
    mark_asides,
    mark_furniture,
    mark_identifier_lines,
    mark_title_echoes,
)
from flows.layout_model import Layout, Line, PageLayout, Role, Span
from flows.layout_notes import mark_notes, unmark_uncalled_notes
from flows.layout_params import DEFAULT_LAYOUT, LayoutParams

SMALL_CAPS = re.compile(r"small-?caps|[-+]sc$|smcp", re.I)
CLOSING = tuple(",.;:)]!?’”")  # punctuation that never follows a space
# a raised list of citation numbers ("2,4,7,40,41", "23–25,55"): a callout however long
CITATION_MARKS = re.compile(r"[\d,;–—-]{1,40}")


def _weighted_mode(values: Counter, fallback: float) -> float:
    return values.most_common(1)[0][0] if values else fallback


def body_size(doc: ExtractedPdf, p: LayoutParams) -> float:
    """The size most characters are set in, on the document's leading pages.

    An article's reference list, appendices and the tables gathered at its end are often set
    a size smaller than its running text and, in a review with a long bibliography, outweigh
    it over the whole document; the first pages are mostly running text. Counted over the
    leading share of the pages (never fewer than a few, so a short document counts whole).
    """
    leading = max(p.body_pages_min, math.ceil(p.body_pages_share * len(doc.pages)))
    sizes: Counter = Counter()
    for page in doc.pages[:leading]:
        for run in page.runs:
            sizes[round(run.size, 1)] += len(run.text.strip())
    return _weighted_mode(sizes, p.fallback_size)


# ------------------------------------------------------------------ lines from runs
def _baseline_groups(runs: list[Run], p: LayoutParams) -> list[list[Run]]:
    """Runs sharing a baseline; a raised, smaller group joins the line just below it."""
    ordered = sorted(runs, key=lambda r: (-r.y, r.x))
    groups: list[list[Run]] = []
    for run in ordered:
        if groups and abs(groups[-1][0].y - run.y) <= max(p.baseline_points,
                                                          p.baseline_em * run.size):
            groups[-1].append(run)
        else:
            groups.append([run])
    merged: list[list[Run]] = []
    pending: list[Run] = []
    for index, group in enumerate(groups):
        group = pending + group
        pending = []
        below = groups[index + 1] if index + 1 < len(groups) else None
        if below is not None and _rides_on(group, below, p):
            pending = group
        elif merged and _hangs_from(group, merged[-1], p):
            merged[-1].extend(group)
        else:
            merged.append(group)
    return merged


def _hangs_from(group: list[Run], line: list[Run], p: LayoutParams) -> bool:
    """A subscript group: a few characters, smaller than the line above, lowered below its
    baseline by a little, each set against one of the line's runs (right after it or under
    it), as typesetters set chemical formulas and indices ("CO" + lowered "2")."""
    size = max(r.size for r in group)
    line_size = max(r.size for r in line)
    drop = min(r.y for r in line) - max(r.y for r in group)
    if size >= p.small_type * line_size or not 0 < drop <= p.max_drop * line_size:
        return False
    if max(len(r.text.strip()) for r in group) > p.subscript_chars:
        return False  # a run of small words below a line is a line of its own
    reach = p.subscript_gap * line_size
    return all(any(other.x - reach <= run.x <= other.x1 + reach for other in line)
               for run in group)


def _rides_on(group: list[Run], line: list[Run], p: LayoutParams) -> bool:
    """A superscript group: a few characters, smaller than the line below, raised above it
    by a little, and within its horizontal extent."""
    size = max(r.size for r in group)
    line_size = max(r.size for r in line)
    rise = min(r.y for r in group) - max(r.y for r in line)
    if size >= p.raised_size * line_size or not 0 < rise <= p.max_rise * line_size:
        return False
    if max(len(r.text.strip()) for r in group) > p.subscript_chars and not all(
            CITATION_MARKS.fullmatch(r.text.strip()) for r in group):
        return False  # callouts are marks; a run of small words is a line of its own
    # Line ends are measured without justification's extra spacing: allow for it.
    x0 = min(r.x for r in line) - 2 * line_size
    x1 = max(r.x1 for r in line) + 4 * line_size
    return all(x0 <= r.x <= x1 for r in group)


def column_starts(groups: list[list[Run]], size: float, p: LayoutParams,
                  sidebar: str = "") -> list[float]:
    """Left edges of the columns after the first, from where lines of prose start.

    A column edge is an x where many prose lines start, and where the prose lines starting
    further left end before it: a sidebar, or the second column of a two-column page. Short
    runs (table cells, labels) and small type (notes) are left out of the evidence, and font
    metrics can overshoot a line's end by a little, hence the tolerance. With ``sidebar``
    "right", the column looked for is one set in small type only, beside the text on its
    right; with "left", the text's own column beside a small-type sidebar on its left (the
    metadata column beside an article's abstract).
    """
    floor = p.sidebar_prose_size if sidebar else p.prose_size
    prose = [r for g in groups for r in g if len(r.text.strip()) >= 20 and r.size >= floor * size]

    def small(run: Run) -> bool:
        return run.size < p.small_type * size

    starts: Counter = Counter(round(r.x) for r in prose
                              if sidebar != "right" or small(r))
    needed = max(4, len(prose) // 12)
    edges: list[float] = []
    for x, count in sorted(starts.items()):
        if count < 2 or any(abs(x - e) < 2 * size for e in edges):
            continue
        # a column's lines start at its edge or a little in (indents, hanging indents)
        if sum(n for start, n in starts.items() if x <= start < x + 2 * size) < needed:
            continue
        at_x = [r for r in prose if abs(r.x - x) < 1]
        if sidebar == "left" and sum(1 for r in at_x if small(r)) * 2 > len(at_x):
            continue  # the column beside a left sidebar is the text's, not small type
        low, high = min(r.y for r in at_x) - size, max(r.y for r in at_x) + size
        # its own stretch of page, and there the column just left of it (not a quote's)
        here = [e for e in edges if any(abs(r.x - e) < 1 and low - 2 * size <= r.y <= high
                                        + 2 * size for r in prose)]
        left_runs = [r for r in prose if (here[-1] - size if here else r.x) <= r.x < x - size
                     and low <= r.y <= high and (not sidebar or small(r) == (sidebar == "left"))]
        if len(left_runs) < needed:
            continue
        inside = sum(1 for r in left_runs if r.x1 <= x + p.overshoot * size)
        if inside >= p.column_inside_share * len(left_runs):
            edges.append(float(x))
    return edges


def _seat_stray_superscripts(pieces: list[list[Run]], edges: list[float], size: float,
                             p: LayoutParams) -> list[list[Run]]:
    """A superscript that landed on another column's baseline joins the line it rides on:
    the nearest line just below it that reaches its x, in the same column (a small number
    beyond a column edge, past a line's end, is a chart's axis label beside the text)."""
    seated: list[list[Run]] = []
    strays: list[list[Run]] = []
    for piece in pieces:
        stray = all(r.size < p.stray_size * size and r.text.strip().isdigit() for r in piece)
        (strays if stray else seated).append(piece)

    def column(x: float) -> int:
        return sum(1 for e in edges if e - p.edge_points <= x)

    for stray in strays:
        where = column(stray[0].x)
        hosts = [piece for piece in seated if _rides_on(stray, piece, p) and any(
            column(r.x) <= where <= column(r.x1) for r in piece)]
        if hosts:
            # the closest across, then nearest below: a note's label stays on its note
            host = min(hosts, key=lambda h: (  # (a piece's runs are in order across)
                max(0.0, h[0].x - stray[-1].x1, stray[0].x - h[-1].x1), -h[0].y))
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


def _split_at_columns(group: list[Run], edges: list[float], size: float, p: LayoutParams
                      ) -> list[list[Run]]:
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
        edge = p.edge_points
        crossed = any(previous.x < e - edge <= run.x + edge
                      and previous.x1 <= e + p.overshoot * size for e in edges)
        at_edge = any(abs(run.x - e) <= edge for e in edges) and run.size >= p.prose_size * size \
            and not run.text.lstrip().startswith(CLOSING)  # no column line opens with ","
        if crossed and (run.x - previous.x1 > p.gutter * size or at_edge):
            pieces.append([run])
        else:
            pieces[-1].append(run)
    return pieces


def _column_of(x0: float, x1: float, bounds: list[tuple[float, float]], size: float,
               p: LayoutParams) -> tuple[float, float]:
    """The column a line sits in: from the left edge of the column it starts in to the right
    edge of the column it ends in; a line running across all of them spans the page."""
    starts = [i for i, (left, _) in enumerate(bounds) if left - p.edge_points <= x0]
    first = starts[-1] if starts else 0  # the rightmost column the line starts in
    last = next((i for i in range(first, len(bounds)) if x1 <= bounds[i][1] + 2 * size),
                len(bounds) - 1)
    return bounds[first][0], bounds[last][1]


def _spans(runs: list[Run], size: float, baseline: float, p: LayoutParams) -> list[Span]:
    """Join runs into spans, inserting spaces where the gap between runs is a word space."""
    spans: list[Span] = []
    previous: Run | None = None
    small_caps = [r.size for r in runs if SMALL_CAPS.search(r.font)]
    # Small capitals made by shrinking capitals: the full-size letters are real capitals.
    shrunk = bool(small_caps) and min(small_caps) < p.shrunk_caps * max(small_caps)
    for run in runs:
        raised = run.size < p.raised_size * size and run.y - baseline > p.min_rise * size
        text = run.text
        if previous is not None:
            gap = run.x - previous.x1
            joined = spans[-1].text
            if gap > p.cell_gap * size and not raised:
                text = "\t" + text.lstrip()  # a gap wider than any word space: a cell break
            elif gap > p.word_space * min(run.size, previous.size) and not joined.endswith(" ") \
                    and not text.startswith((" ", *CLOSING)) and not raised:
                text = " " + text
        if SMALL_CAPS.search(run.font):
            # small-caps fonts map glyphs to letters of either case; where the small
            # capitals are shrunk capitals, the full-size letters are the capitals
            full_size = shrunk and run.size >= p.shrunk_caps * max(small_caps)
            text = text.upper() if full_size else text.lower()
        spans.append(Span(text, run.bold, run.italic, raised, run.size, run.font, run.x))
        previous = run
    return spans


SOFT_BREAK = "\u2010"  # HYPHEN: read as "-", remembered when it ends a line


def _make_line(page: int, runs: list[Run], bounds: list[tuple[float, float]],
               size: float, p: LayoutParams) -> Line:
    sizes: Counter = Counter()
    for run in runs:
        sizes[run.size] += len(run.text)
    main = max(sizes, key=lambda s: (sizes[s], s))
    if all(SMALL_CAPS.search(r.font) for r in runs):
        main = max(sizes)  # a line in small capitals is as large as its capitals
    unraised = [r for r in runs if r.size >= p.raised_size * main]
    baseline = statistics.median(r.y for r in unraised) if unraised else runs[0].y
    x0, x1 = min(r.x for r in runs), max(r.x1 for r in runs)
    spans = _spans(runs, main, baseline, p)
    soft_hyphen = bool(spans) and spans[-1].text.rstrip().endswith(SOFT_BREAK)
    spans = [replace(s, text=s.text.replace(SOFT_BREAK, "-")) if SOFT_BREAK in s.text else s
             for s in spans]
    return Line(page, spans, x0, x1, baseline, main, _column_of(x0, x1, bounds, size, p),
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
            ordered.extend(_band_order(band))
            band = []
            ordered.append(line)
        else:
            band.append(line)
    ordered.extend(_band_order(band))
    return ordered


def _band_order(band: list[Line]) -> list[Line]:
    """A band's columns left to right, each top to bottom; but a column that stands wholly
    above another one it shares width with comes first (an abstract set across the second
    and third columns of a page, above the text's second column)."""
    _widen_short_lines(band)
    columns: dict[tuple[float, float], list[Line]] = defaultdict(list)
    for line in band:
        columns[line.column].append(line)

    def above(a: tuple[float, float], b: tuple[float, float]) -> bool:
        overlap = min(a[1], b[1]) - max(a[0], b[0]) > 0
        return overlap and min(ln.y for ln in columns[a]) > max(ln.y for ln in columns[b])

    waiting = sorted(columns)
    ordered: list[Line] = []
    while waiting:
        ready = [c for c in waiting if not any(above(o, c) for o in waiting if o != c)]
        column = (ready or waiting)[0]
        waiting.remove(column)
        ordered.extend(sorted(columns[column], key=lambda ln: -ln.y))
    return ordered


def _widen_short_lines(band: list[Line]) -> None:
    """A short line of a block set across several columns (its heading, a paragraph's last
    line) ends inside the first of them; among that block's lines, from the same left edge,
    it belongs to the block's wider column."""
    columns = {line.column for line in band}
    for line in band:
        wider = [c for c in columns if c[0] == line.column[0] and c[1] > line.column[1]]
        for column in sorted(wider, key=lambda c: c[1]):
            ys = [ln.y for ln in band if ln.column == column]
            if min(ys) - 2 * line.size <= line.y <= max(ys) + 2 * line.size:
                line.column = column
                break


def page_lines(doc: ExtractedPdf, size: float, p: LayoutParams) -> list[PageLayout]:
    pages = []
    grouped = [_baseline_groups(page.runs, p) for page in doc.pages]
    # a page without columns may still have a sidebar set in smaller type
    found = [_page_edges(groups, size, p) if groups else [] for groups in grouped]
    grid = _document_grid(found, size, p)
    measures = _column_measures(grouped, grid, size, p)
    for index, page in enumerate(doc.pages):
        cut = _cut_at_gutters(page.runs, measures, p)
        if cut is not None:  # the page's lines ran across the gutter: read it again
            grouped[index] = _baseline_groups(cut, p)
            found[index] = _page_edges(grouped[index], size, p)
    for page, groups, edges in zip(doc.pages, grouped, found, strict=True):
        layout = PageLayout(page.number, page.width, page.height, images=list(page.images))
        if groups:
            # a page set wholly in smaller type (a reference list in two columns) shows the
            # grid in its own size: prose there is prose for that size
            local = min(size, _page_size(groups, size, p))
            edges = sorted([*edges, *(e for e in grid if not any(
                abs(e - own) < 2 * size for own in edges) and _edge_holds(groups, e, local, p))])
            pieces = [piece for g in groups for part in _split_margin_numbers(g, size)
                      for piece in _split_at_columns(part, edges, size, p)]
            pieces = _seat_stray_superscripts(pieces, edges, size, p)
            left = min(r.x for p in pieces for r in p)
            right = max(r.x1 for p in pieces for r in p)
            cuts = [left, *edges, right]
            bounds = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]
            lines = [_make_line(page.number, piece, bounds, size, p) for piece in pieces]
            layout.lines = _reading_order(lines, bounds)
        pages.append(layout)
    return pages


def _column_measures(grouped: list[list[list[Run]]], grid: list[float], size: float,
                     p: LayoutParams) -> dict[float, float]:
    """For each edge of the grid, where the prose of the column on its left ends: the most
    common end of the prose runs that stop short of the edge, near it (justified lines end
    there; ragged ones before)."""
    measures: dict[float, float] = {}
    for edge in grid:
        ends: Counter = Counter(
            round(r.x1) for groups in grouped for g in groups for r in g
            if len(r.text.strip()) >= p.grid_run_chars and r.x < edge - size
            and edge - p.widest_gutter * size <= r.x1 <= edge + p.overshoot * size)
        if ends:
            measures[edge] = float(ends.most_common(1)[0][0])
    return measures


def _cut_at_gutters(runs: list[Run], measures: dict[float, float], p: LayoutParams
                    ) -> list[Run] | None:
    """The runs of a page cut where a wide gap inside one run is the gutter at a column edge
    of the document's grid, or None where no run has one.

    Some producers draw a line of the left column and the line of the right column on the
    same baseline as one text object (a reference list in two columns, set in one pass);
    extraction keeps it one run and notes where its wide gaps lie. The gutter opens where
    the left column's lines end (its measure, or before: a line stopping short) and closes
    at the edge (or a hanging indent in), with a line's worth of prose on one side of it at
    least. A gap between a wide table's cells opens wherever a cell ends, between short
    cells, one of several in the row: such rows stay whole.
    """
    if not measures or not any(r.gaps for r in runs):
        return None
    out: list[Run] = []
    changed = False
    for run in runs:
        pieces = [run]
        if len(run.gaps) > p.gutter_run_gaps:
            out.append(run)  # a row of cells
            continue
        stops = [0, *(at for at, _, _ in run.gaps), len(run.text)]
        for index in range(len(run.gaps) - 1, -1, -1):  # from the right: offsets hold
            at, x0, x1 = run.gaps[index]
            before = run.text[stops[index]:at].strip()
            after = run.text[at:stops[index + 2]].strip()
            if max(len(before), len(after)) < p.grid_run_chars or not any(
                    x0 <= measure + p.edge_points and -p.edge_points <= x1 - e
                    < p.gutter_reach * run.size for e, measure in measures.items()):
                continue
            head = pieces[0]
            left_gaps = tuple(g for g in head.gaps if g[0] < at)
            right_gaps = tuple((g[0] - at, g[1], g[2]) for g in head.gaps if g[0] > at)
            pieces[0:1] = [replace(head, text=head.text[:at].rstrip(), width=x0 - head.x,
                                   gaps=left_gaps),
                           replace(head, text=head.text[at:], x=x1, width=head.x1 - x1,
                                   gaps=right_gaps)]
            changed = True
        out.extend(piece for piece in pieces if piece.text.strip())
    return out if changed else None


def _page_size(groups: list[list[Run]], size: float, p: LayoutParams) -> float:
    """The size most of a page's characters are set in."""
    sizes: Counter = Counter()
    for run in (r for g in groups for r in g):
        sizes[round(run.size, 1)] += len(run.text.strip())
    return _weighted_mode(sizes, size)


def _page_edges(groups: list[list[Run]], size: float, p: LayoutParams) -> list[float]:
    """A page's column edges: its columns, or else a small-type sidebar on the right of
    the text; and, on either kind of page, a small-type sidebar on the left of a column."""
    edges = column_starts(groups, size, p) or column_starts(groups, size, p, "right")
    beside = [e for e in column_starts(groups, size, p, "left")
              if not any(abs(e - own) < 2 * size for own in edges)]
    return sorted(edges + beside)


def _document_grid(found: list[list[float]], size: float, p: LayoutParams) -> list[float]:
    """The column edges the document's pages share: an edge found on at least two pages and
    on a good share of the pages that have columns at all. A page where the columns run
    only part of the way (below a full-width title block, above a full-width table) holds
    too little evidence to find them alone; the grid says where to look."""
    with_columns = [edges for edges in found if edges]
    grid: list[float] = []
    for edge in sorted(e for edges in with_columns for e in edges):
        if any(abs(edge - g) < 2 * size for g in grid):
            continue
        pages = sum(1 for edges in with_columns if any(abs(e - edge) < 2 * size for e in edges))
        if pages >= max(2, p.grid_share * len(with_columns)):
            grid.append(edge)
    return grid


def _edge_holds(groups: list[list[Run]], edge: float, size: float, p: LayoutParams) -> bool:
    """The document's column edge on a page of its own: a few prose lines start at it (or a
    little in), and the prose lines beside them on the left end before it."""
    prose = [r for g in groups for r in g
             if len(r.text.strip()) >= p.grid_run_chars and r.size >= p.prose_size * size]
    at_edge = [r for r in prose if -p.edge_points <= r.x - edge < 2 * size]
    if len(at_edge) < p.grid_lines:
        return False
    low, high = min(r.y for r in at_edge) - size, max(r.y for r in at_edge) + size
    left = [r for r in prose if r.x < edge - size and low <= r.y <= high]
    if len(left) < p.grid_lines:
        return False
    inside = sum(1 for r in left if r.x1 <= edge + p.overshoot * size)
    return inside >= p.column_inside_share * len(left)


# ------------------------------------------------------------------ entry point
def analyse_layout(doc: ExtractedPdf, p: LayoutParams = DEFAULT_LAYOUT) -> Layout:
    size = body_size(doc, p)
    pages = page_lines(doc, size, p)
    drop_decorations(pages)
    mark_furniture(pages, p)
    mark_title_echoes(pages, size, p)
    mark_identifier_lines(pages, size, p)
    mark_asides(pages, size, p)
    mark_notes(pages, size, p)
    unmark_uncalled_notes(pages, p, size)
    pitches: Counter = Counter()
    for page in pages:
        previous: Line | None = None
        for line in page.lines:
            if line.role is not Role.BODY:
                continue
            if previous is not None and previous.column == line.column and previous.y > line.y:
                line.gap_above = round(previous.y - line.y, 1)
                if abs(line.size - size) < p.same_size and abs(previous.size - size) < p.same_size:
                    pitches[line.gap_above] += 1
            previous = line
    pitch = _weighted_mode(pitches, size) if pitches else size * p.leading
    return Layout(pages, size, pitch)
