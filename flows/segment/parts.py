"""Stage 3 — parts: the body lines → front-matter lines, one line list per part and the
back cover; and one part's lines → its `Part` (head, blocks, references, notes).

Input: body lines in reading order, the evidence, the house style. Output: new lists of
the same line objects, and new `Part`s.
Invariant: splitting only cuts the line stream: every body line goes to exactly one of
front matter, a part or the back cover, in order (a report's front matter also takes the
margin columns of its pages, so that nothing there is left out).
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.layout_model import Layout, Line, Role
from flows.layout_notes import note_label
from flows.model import Part
from flows.profile import HouseStyle
from flows.segment.back import read_back, split_back
from flows.segment.blocks import cut_blocks
from flows.segment.common import plain, style_of
from flows.segment.evidence import Evidence, is_heading
from flows.segment.head import read_head
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks
from flows.segment.notes import confirm_callouts, notes_of_the_byline, read_notes
from flows.segment.references import read_references

NO_PAGE = 10 ** 9  # a page after every page


@dataclass(frozen=True)
class PartLines:
    """The lines of one part: its body lines (title first), its notes and the margin
    columns set beside it."""

    index: int  # 1-based, counting the parts found
    lines: tuple[Line, ...]
    notes: tuple[Line, ...]
    asides: tuple[Line, ...]


@dataclass(frozen=True)
class Split:
    """The document's lines cut into front matter, parts and back cover."""

    front: tuple[Line, ...]
    parts: tuple[PartLines, ...]  # parts with at least one line
    back_cover: tuple[Line, ...]
    asides: tuple[Line, ...]  # every margin-column line of the document
    single_article: bool  # no part style: one article, its title the largest type


def split_document(layout: Layout, ev: Evidence, style: HouseStyle) -> Split:
    """Parts begin at their title style; without one the document is a single article.
    A part's notes are those on its pages (up to the next part's first page); its margin
    columns become sidebars, except in a single article, whose sidebar is front matter."""
    body = list(layout.lines(Role.BODY))
    note_lines = list(layout.lines(Role.NOTE))
    aside_lines = list(layout.lines(Role.ASIDE))
    single = ev.part_style is None
    front, part_lines = split_parts(body, ev, style)
    if single and body:
        front, part_lines = split_at_title(body)
    back_cover = find_back_cover(part_lines[-1], ev, note_lines, style) \
        if part_lines and part_lines[-1] else []
    if back_cover:
        part_lines[-1] = part_lines[-1][:len(part_lines[-1]) - len(back_cover)]
    if not single:
        front = with_asides(front, layout, before=min(
            (lns[0].page for lns in part_lines if lns), default=NO_PAGE))
    parts: list[PartLines] = []
    for index, lines in enumerate(part_lines, start=1):
        if not lines:
            continue
        first, last = lines[0].page, lines[-1].page
        following = part_lines[index][0].page if index < len(part_lines) else NO_PAGE
        notes = [ln for ln in note_lines if first <= ln.page < max(following, last + 1)]
        asides = [] if single else [ln for ln in aside_lines if first <= ln.page <= last]
        parts.append(PartLines(index, tuple(lines), tuple(notes), tuple(asides)))
    return Split(tuple(front), tuple(parts), tuple(back_cover), tuple(aside_lines), single)


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


def find_back_cover(lines: list[Line], ev: Evidence, notes: list[Line] | None = None,
                    style: HouseStyle | None = None) -> list[Line]:
    """Closing pages without a line of running text (an address, a back cover) belong to
    the publication, not to its last part; they are kept with the front matter. A closing
    page whose first line is set like the last line before it (a reference list running
    on), which opens with a heading (the references) or — in a part with a notes heading —
    with the next note after the previous page's notes (endnotes running on), still
    belongs to the part."""
    last_text = max((ln.page for ln in lines if style_of(ln)[:3] == ev.body_style[:3]),
                    default=None)
    if last_text is None:
        return []
    first: dict[int, Line] = {}
    last: dict[int, Line] = {}
    for line in lines:
        first.setdefault(line.page, line)
        last[line.page] = line
    last_note: dict[int, str] = {}
    endnotes = style is not None and any(
        plain(ln.text).lower() in style.notes_headings for ln in lines)
    for line in notes if endnotes and notes else []:
        label = note_label(line)
        if label is not None and label.isdigit():
            last_note[line.page] = label
    page = last_text
    while page + 1 in first and (style_of(first[page + 1])[:3] == style_of(last[page])[:3]
                                 or is_heading(first[page + 1], ev)
                                 or _next_note(first[page + 1], last_note.get(page))):
        page += 1
    return [ln for ln in lines if ln.page > page]


def _next_note(line: Line, previous: str | None) -> bool:
    """The line opens the note numbered after `previous`."""
    label = note_label(line)
    return previous is not None and label is not None and label.isdigit() and \
        int(label) == int(previous) + 1


def split_at_title(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """A single article: its title is the largest type on its first page; what stands
    above it (journal name, DOI, section label) is front matter."""
    first_page = [ln for ln in lines if ln.page == lines[0].page]
    biggest = max(ln.size for ln in first_page)
    start = next(i for i, ln in enumerate(lines) if ln.size == biggest)
    return lines[:start], [lines[start:]]


def parse_part(lines: PartLines, ev: Evidence, style: HouseStyle, claims: ImageClaims
               ) -> Part:
    """One part: its head, its body cut into blocks and nested, its back matter and
    references, its notes and their callouts."""
    part, rest, byline_marks = read_head(list(lines.lines), lines.index, ev, style, claims)
    body, zones = split_back(cut_blocks(rest, ev, style), ev, style, lines.notes)
    part.blocks, reference_blocks = nest_blocks(body, ev, style, claims, run_in=True)
    part.back, back_references, endnotes = read_back(zones, ev, style, claims)
    part.references, publication = read_references(reference_blocks + back_references, ev)
    part.publication_notes.extend(publication)
    note_lines = in_reading_order([*lines.notes, *endnotes]) if endnotes else list(lines.notes)
    listed = {id(ln) for block in back_references for ln in block.lines}  # a list in notes
    note_lines = [ln for ln in note_lines if id(ln) not in listed]
    part.notes = read_notes(note_lines, ev)
    confirm_callouts(part)
    notes_of_the_byline(part, byline_marks)
    return part


def in_reading_order(lines: list[Line]) -> list[Line]:
    """Footnotes and endnotes together, page by page, each column top down: endnotes
    running into a page's foot continue there."""
    return sorted(lines, key=lambda ln: (ln.page, ln.column[0], -ln.y))


def with_asides(lines: list[Line], layout: Layout, before: int) -> list[Line]:
    """The front matter's lines with the margin columns of its pages (a board list set in
    two columns, say), in reading order: nothing on those pages is left out."""
    asides = {id(ln) for ln in layout.lines(Role.ASIDE) if ln.page < before}
    if not asides:
        return lines
    kept = {id(ln) for ln in lines} | asides
    return [ln for page in layout.pages for ln in page.lines if id(ln) in kept]
