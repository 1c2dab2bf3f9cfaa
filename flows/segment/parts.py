"""Stage 3 — parts: the body lines → front-matter lines, one line list per part and the
back cover; and one part's lines → its `Part` (head, blocks, references, notes).

Input: body lines in reading order, the evidence, the house style. Output: new lists of
the same line objects, and new `Part`s.
Invariant: splitting only cuts the line stream: every line goes to exactly one of front
matter, a part or the back cover, and their order is kept.
"""

from __future__ import annotations

from flows.layout import Line
from flows.model import (
    Contributor,
    Note,
    Part,
    Reference,
)
from flows.profile import HouseStyle
from flows.segment.blocks import cut_blocks
from flows.segment.common import box_of, plain, style_of
from flows.segment.evidence import Evidence, is_heading
from flows.segment.front import publication_line
from flows.segment.head import (
    abstract_boxes,
    abstract_sections,
    attach_bios,
    is_abstract_heading,
    read_affiliations,
    read_byline,
    read_signature,
    split_names,
    subtitle_before_byline,
    take_bios,
)
from flows.segment.nesting import nest_blocks
from flows.segment.notes import confirm_callouts, note_text, notes_of_the_byline, parse_notes
from flows.segment.references import split_references
from flows.segment.richtext import link_urls, rich_text, text_of


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


def find_back_cover(lines: list[Line], ev: Evidence) -> list[Line]:
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
                                 or is_heading(first[page + 1], ev)):
        page += 1
    return [ln for ln in lines if ln.page > page]


def split_at_title(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
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
    lead = subtitle_before_byline(rest, ev, style)
    if lead and not part.subtitle:
        part.subtitle = rich_text(lead, ev)
    rest = rest[len(lead):]
    byline_marks = {s.text.strip() for ln in rest[:8] for s in ln.spans if s.raised}
    byline, rest = read_byline(rest, ev, style)
    part.contributors = [Contributor(name) for name in split_names(byline)]
    if part.contributors:
        part.affiliations, rest = read_affiliations(rest, ev, style)
    # a dateline or labelled line ("March 2024") between the byline and the summary box
    # waits until after the box, where the front matter picks it up
    publication: list[Line] = []
    while rest and publication_line(rest[0]) and any(
            is_abstract_heading(ln, style) for ln in rest[1:4]):
        publication.append(rest.pop(0))
    boxes, rest, translated_title = abstract_boxes(rest, style)
    rest = publication + rest
    if translated_title and not part.subtitle:
        part.subtitle = rich_text(translated_title, ev)
    for number, box in enumerate(boxes):
        sections, keywords = abstract_sections(box, ev, style)
        if number == 0:
            part.abstract = sections
        else:
            part.trans_abstracts.append(sections)
        if keywords:
            part.keywords.append(keywords)
    bio_lines, rest = take_bios(rest, ev, part.contributors)
    attach_bios(part, bio_lines, ev)
    signature, rest = read_signature(rest)
    part.signature = signature
    if signature and not part.contributors:
        part.contributors = [Contributor(signature[0], role=", ".join(signature[1:]))]
    name = plain(text_of(title)).lower()
    if not part.abstract and name in style.opening_parts:
        part.kind = style.opening_parts[name]  # type: ignore[assignment]
    raw = cut_blocks(rest, ev, style)
    part.blocks, reference_blocks = nest_blocks(raw, ev, style)
    for entry in split_references([ln for b in reference_blocks for ln in b.lines], ev):
        if publication_line(entry[0]):  # "RECEIVED: …" after the list is no reference
            part.publication_notes.append(plain(text_of(rich_text(entry, ev))))
        else:
            part.references.append(Reference(link_urls(rich_text(entry, ev)), box_of(entry)))
    part.notes = [Note(label, note_text(label, nl, ev), box_of(nl))
                  for label, nl in parse_notes(notes)]
    confirm_callouts(part)
    notes_of_the_byline(part, byline_marks)
    return part
