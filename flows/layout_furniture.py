"""Stage 2, furniture — what on a page is not the document's text: running heads and folios
that recur across pages, the title echoed in running heads, DOI and identifier lines at a
page's foot, small-type sidebars set beside the text, and images that decorate every page.

Each function marks lines' roles (or drops images) in the pages `analyse_layout` passes it,
with the ratios of `LayoutParams`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flows.layout_model import Line, PageLayout, Role
from flows.layout_params import DEFAULT_LAYOUT, LayoutParams

# a folio: a page number, arabic or roman, perhaps after "Page"
FOLIO = re.compile(r"^(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})$", re.I)


def _furniture_key(text: str) -> str:
    text = re.sub(r"\s+", " ", text.strip().lower())
    return re.sub(r"\d+|\b[ivxlc]+\b", "#", text)


def mark_furniture(pages: list[PageLayout], p: LayoutParams = DEFAULT_LAYOUT) -> None:
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
        is_folio = bool(FOLIO.match(line.text.strip())) and _outermost(page, line, p)
        recurring = any(
            len({n for n, y in positions[key] if abs(y - line.y) < 6}) >= threshold
            for key in _furniture_keys(line, _outermost(page, line, p)))
        if is_folio or recurring:
            line.role = Role.FURNITURE


def mark_title_echoes(pages: list[PageLayout], size: float, p: LayoutParams) -> None:
    """A page's top or bottom line in small type that repeats a title printed large in the
    document is a running head, even on a part too short for it to recur three times."""
    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    titles: set[str] = set()
    for page in pages:
        large = [ln for ln in page.lines if ln.size >= p.title_size * size]
        for index, line in enumerate(large):
            titles.add(norm(line.text))
            if index and _style_key(large[index - 1]) == _style_key(line):
                titles.add(norm(large[index - 1].text + " " + line.text))
    for page in pages:
        body = sorted((ln for ln in page.lines if ln.role is Role.BODY), key=lambda ln: -ln.y)
        for line in body[:1] + body[-1:]:
            if line.size < size and len(line.text.split()) >= 2 and norm(line.text) in titles:
                line.role = Role.FURNITURE


# a DOI: how a journal's first page names the article at its head or foot
IDENTIFIER = re.compile(r"\bdoi\s*:?\s*10\.\d{4,}|\bdoi\.org/10\.|\b10\.\d{4,}/\S", re.I)


NOTE_LABEL = re.compile(r"\s*[(\[]?[\d*†‡§¶]")


def mark_identifier_lines(pages: list[PageLayout], size: float, p: LayoutParams) -> None:
    """The lines at the very top or foot of the first page, in small type, that carry a DOI
    are page furniture though they do not recur (the journal, volume and DOI printed once
    on an article's first page), and so is a small line beside or beyond them there. Later
    pages name the article in running heads, which recur (mark_furniture)."""
    for page in pages[:1]:
        for edge in (1, -1):  # the top, then the foot
            while True:
                rest = [ln for ln in page.lines if ln.role is Role.BODY]
                if not rest:
                    break
                outer = max(ln.y * edge for ln in rest)
                lines = [ln for ln in rest if abs(ln.y * edge - outer) <= p.baseline_points]
                inner = [ln for ln in rest if ln not in lines]
                # set apart from the lines inside it, and no note: a note's last line,
                # whose web address it cites, follows the note closely or opens with a label
                apart = not inner or min(abs(ln.y - lines[0].y) for ln in inner) >= (
                    p.note_space * max(ln.size for ln in lines))
                if not apart or any(NOTE_LABEL.match(ln.text) for ln in lines) or \
                        not all(ln.size < p.small_type * size for ln in lines) or \
                        not any(IDENTIFIER.search(ln.text) for ln in lines):
                    break
                for line in lines:
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
    # one character says too little to recur by chance, unless it is a mark with no letter
    # or digit (a rule or ornament the page design repeats beside the running head)
    keys = [_furniture_key(c) for c in cells
            if len(_furniture_key(c)) > 1 or (c.strip() and not any(ch.isalnum() for ch in c))]
    tokens = text.split()
    raised = any(s.raised for s in line.spans)
    if outermost and not raised and 1 < len(tokens) <= 14 and line.size <= 12:
        if FOLIO.match(tokens[0]):
            keys.append(f"<folio> … @{round(line.size)}")
            words = tokens[1:]
        elif FOLIO.match(tokens[-1]):
            keys.append(f"… <folio> @{round(line.size)}")
            words = tokens[:-1]
        else:
            words = []
        if any(ch.isalpha() for ch in "".join(words)):
            # facing pages mirror the running head, the page number at the outer edge
            # ("2 Journal of X" on the left, "Journal of X 3" on the right): its words,
            # whichever side the number stands, recur as one head (words, not a row of
            # numbers: a chart's axis ticks stand at one height on many pages)
            keys.append(f"<folio> ± {_furniture_key(' '.join(words))}")
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


def _outermost(page: PageLayout, line: Line, p: LayoutParams) -> bool:
    """The page's top or bottom line, or on its baseline (a folio beside the footer text)."""
    others = [ln for ln in page.lines if ln is not line and ln.role is not Role.FURNITURE]
    return not others or line.y >= max(o.y for o in others) - p.baseline_points or \
        line.y <= min(o.y for o in others) + p.baseline_points


def mark_asides(pages: list[PageLayout], size: float, p: LayoutParams) -> None:
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
            narrow = column[1] - column[0] < p.aside_width_share * widest
            small = sum(1 for ln in lines if ln.size < p.small_type * size) >= (
                p.aside_small_share * len(lines))
            if narrow and small:
                # its small type, and what stands between (a heading of its own); not a
                # text line that only starts at its edge below it (the next section's head)
                set_small = [ln.y for ln in lines if ln.size < p.small_type * size]
                for line in lines:
                    if min(set_small) <= line.y <= max(set_small):
                        line.role = Role.ASIDE


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
