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

from flows.layout import Layout, Role
from flows.model import Document, Part, SourceInfo
from flows.profile import DEFAULT_STYLE, HouseStyle
from flows.segment.blocks import cut_blocks
from flows.segment.common import plain
from flows.segment.evidence import find_part_style, gather_evidence, rank_heading_styles
from flows.segment.front import article_front, parse_front, with_asides
from flows.segment.ids import assign_ids
from flows.segment.parts import find_back_cover, parse_part, split_at_title, split_parts
from flows.segment.placement import place_sidebars, place_uncaptioned_images
from flows.segment.richtext import rich_text, text_of


def segment(layout: Layout, source: SourceInfo, style: HouseStyle = DEFAULT_STYLE) -> Document:
    ev = gather_evidence(layout, style.language)
    ev.part_style = find_part_style(layout, ev)
    ev.heading_levels = rank_heading_styles(layout, ev, ev.part_style)
    ev.images = {page.number: list(page.images) for page in layout.pages if page.images}
    body_lines = list(layout.lines(Role.BODY))
    note_lines = list(layout.lines(Role.NOTE))
    front_lines, part_lines = split_parts(body_lines, ev, style)
    if ev.part_style is None and body_lines:
        front_lines, part_lines = split_at_title(body_lines)
    back_cover = find_back_cover(part_lines[-1], ev) if part_lines and part_lines[-1] else []
    if back_cover:
        part_lines[-1] = part_lines[-1][:len(part_lines[-1]) - len(back_cover)]
    if ev.part_style is not None:
        front_lines = with_asides(front_lines, layout, before=min(
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
        place_uncaptioned_images(part, lines[0].page, lines[-1].page, ev)
        if ev.part_style is not None:  # (a single article keeps its sidebar as front matter)
            place_sidebars(part, [ln for ln in aside_lines
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
