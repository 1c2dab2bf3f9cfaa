"""Stage 6a — back matter: the flat blocks of a part → its body blocks and its back-matter
zones (acknowledgements, funding, author contributions, competing interests, data
availability, abbreviations, the reference list, endnotes).

A zone opens at a heading the house style names for it and runs to the next heading of the
same or a higher level; a paragraph that opens with such a name and a colon or a stop
("Conflict of interest: none declared.") is a zone of its own, run in. Tables and figures
set inside a zone stay in the body, where the floats are placed.

Input: raw blocks in reading order and the house style. Output: new lists of the same
blocks. Invariant: every block goes to exactly one of the body or one zone, in order; a
zone's heading is its title and is not dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from flows.layout_model import Line
from flows.layout_notes import note_label
from flows.model import BackKind, BackSection, Block, Inline, Paragraph, RichText
from flows.profile import HouseStyle
from flows.segment.blocks import FLOATS, RawBlock
from flows.segment.common import HEADING_NUMBER, normal_name, plain, style_of
from flows.segment.evidence import Evidence
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks, split_label
from flows.segment.references import REFERENCE_LABEL
from flows.segment.richtext import rich_text

ZoneKind = BackKind | str  # a back-matter kind, "references" or "notes"
REFERENCES = "references"
NOTES = "notes"  # endnotes: a part's notes set at its end under a heading
# What may set a run-in zone name off from its text: a colon, a stop or a dash.
RUN_IN_STOP = re.compile(r"\s*(?:[:.]|[–—-](?=\s))\s*")
# Acknowledgements set like a body section stay in the body: their heading has the style and
# level of at least this many of the body's own section headings before it...
ACK_PEER_SECTIONS = 2
# ...and their text is the body's size, within `SegmentParams.ack_size_points` (type
# smaller than the body's sets a back-matter block apart).
# The zones some publishers keep in the body as one more section when they set them so
# (acknowledgements, a disclaimer): set apart from the body's sections, they are back matter.
SECTION_LIKE = frozenset({"ack", "disclaimer"})


@dataclass
class BackZone:
    kind: ZoneKind
    title: RichText
    level: int  # the heading's level; 0 for a run-in zone, which ends at its paragraph
    blocks: list[RawBlock] = field(default_factory=list)


def zone_names(style: HouseStyle) -> dict[str, ZoneKind]:
    """Every name of a zone the house style knows, to its kind."""
    names: dict[str, ZoneKind] = {}
    for kind, words in (("ack", style.ack_headings), ("funding", style.funding_headings),
                        ("contributions", style.contributions_headings),
                        ("conflict", style.conflict_headings), ("data", style.data_headings),
                        ("disclaimer", style.disclaimer_headings),
                        ("abbreviations", style.abbreviation_headings),
                        (REFERENCES, style.reference_headings),
                        (NOTES, style.notes_headings)):
        names.update({normal_name(w): kind for w in words})
    return names


def split_back(raw: list[RawBlock], ev: Evidence, style: HouseStyle,
               note_lines: Sequence[Line] = ()) -> tuple[list[RawBlock], list[BackZone]]:
    """The body's blocks, and the back-matter zones in reading order. `note_lines` are the
    part's lines the layout already took for notes."""
    names = zone_names(style)
    raw = _name_lines_as_headings(raw, names)
    body: list[RawBlock] = []
    zones: list[BackZone] = []
    zone: BackZone | None = None
    for index, block in enumerate(raw):
        if block.kind == "heading":
            kind = names.get(normal_name(" ".join(ln.text for ln in block.lines)))
            if kind == NOTES and not _opens_notes(block, raw[index + 1:index + 2], note_lines):
                kind = None  # a notes heading over text that is no list of notes
            if kind in SECTION_LIKE and _set_like_a_section(block, raw[:index], raw[index + 1:],
                                                            names, ev, zones):
                kind = None
            if kind is not None:
                _, title = split_label(rich_text(block.lines, ev))
                zone = BackZone(kind, title, block.level)
                zones.append(zone)
                if kind == REFERENCES:
                    zone.blocks.extend(_list_in_notes(block, raw[index + 1:index + 2],
                                                      note_lines))
                continue
            if zone is not None and block.level > zone.level:
                zone.blocks.append(block)  # a heading inside the zone
                continue
            zone = None
        elif zone is not None and block.kind not in FLOATS:
            zone.blocks.append(block)
            continue
        elif block.kind == "p" and (run_in := _run_in(block, names, ev)) is not None:
            zones.append(run_in)
            continue
        body.append(block)
    return body, zones


def _reading_place(line: Line) -> tuple[int, float, float]:
    return line.page, line.column[0], -line.y


def _list_in_notes(heading: RawBlock, following: list[RawBlock], note_lines: Sequence[Line]
                   ) -> list[RawBlock]:
    """A reference list set in note-sized type, which the layout took for notes: under a
    reference heading followed by no text of its own (the next block is another heading,
    or none), the note lines standing after the heading and before that block in reading
    order, when the first of them opens with an entry's number ("1.", "[1]"). [] when
    the list is set as text."""
    if following and following[0].kind != "heading":
        return []
    start = _reading_place(heading.lines[-1])
    end = _reading_place(following[0].lines[0]) if following else None
    listed = sorted((ln for ln in note_lines if start < _reading_place(ln)
                     and (end is None or _reading_place(ln) < end)), key=_reading_place)
    if not listed or not REFERENCE_LABEL.match(listed[0].text):
        return []
    return [RawBlock("p", listed)]


def _name_lines_as_headings(raw: list[RawBlock], names: dict[str, ZoneKind]
                            ) -> list[RawBlock]:
    """A zone's name on a line of its own, set apart from the text beside it, inside a
    paragraph or as one: the zone's heading, though its style was not told apart from the
    text's (a heading face the size of the text, or the back matter's own small size). It
    becomes a heading at the level of the part's lowest headings, so that any heading ends
    the zone (nothing says where such a zone would nest); the paragraph's lines before and
    after it stay paragraphs."""
    level = max((b.level for b in raw if b.kind == "heading"), default=1)
    result: list[RawBlock] = []
    for block in raw:
        if block.kind == "heading":
            result.extend(_zone_names_apart(block, names))
            continue
        if block.kind != "p":
            result.append(block)
            continue
        start = 0
        for index, line in enumerate(block.lines):
            neighbours = block.lines[index - 1:index] + block.lines[index + 1:index + 2]
            if _names_a_zone(line, names) and all(_set_apart(line, n) for n in neighbours):
                if index > start:
                    result.append(RawBlock("p", block.lines[start:index]))
                result.append(RawBlock("heading", [line], level))
                start = index + 1
        if start < len(block.lines):
            result.append(RawBlock("p", block.lines[start:]) if start else block)
    return result


def _zone_names_apart(heading: RawBlock, names: dict[str, ZoneKind]) -> list[RawBlock]:
    """Two headings stacked close in one face were read as one heading's lines ("Conflicts of
    interest" over "References"); a line that is a zone's name whole is a heading of its own,
    at the same level, and so is what follows it."""
    cuts = [index for index, line in enumerate(heading.lines)
            if index and (_names_a_zone(line, names)
                          or _names_a_zone(heading.lines[index - 1], names))]
    if not cuts:
        return [heading]
    bounds = [0, *cuts, len(heading.lines)]
    return [replace(heading, lines=heading.lines[start:end])
            for start, end in zip(bounds, bounds[1:], strict=False)]


def _names_a_zone(line: Line, names: dict[str, ZoneKind]) -> bool:
    """The whole line is a zone's name, opening with a capital as headings do."""
    text = plain(line.text)
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper() and normal_name(text) in names and not text.endswith(".")


def _set_apart(line: Line, other: Line) -> bool:
    """Another weight or another face than the line beside it."""
    faces = {s.font for s in line.spans if s.text.strip()}
    other_faces = {s.font for s in other.spans if s.text.strip()}
    return line.bold != other.bold or not faces & other_faces


def _set_like_a_section(heading: RawBlock, before: list[RawBlock], after: list[RawBlock],
                        names: dict[str, ZoneKind], ev: Evidence, zones: list[BackZone]
                        ) -> bool:
    """An acknowledgements (or disclaimer) heading the page sets exactly like the body's
    section headings: their style and level, numbered as they are, over text of the body's
    size, before the reference list. Journals that keep such zones in back matter set them
    apart (smaller type, after the references, outside the section numbering); where nothing
    on the page sets them apart they are one more section of the body."""
    if any(zone.kind == REFERENCES for zone in zones):
        return False
    style = style_of(heading.lines[0])
    peers = [b for b in before if b.kind == "heading" and b.level == heading.level
             and style_of(b.lines[0]) == style
             and normal_name(" ".join(ln.text for ln in b.lines)) not in names]
    if len(peers) < ACK_PEER_SECTIONS:
        return False
    numbered = [HEADING_NUMBER.match(plain(b.lines[0].text)) is not None for b in peers]
    if HEADING_NUMBER.match(plain(heading.lines[0].text)) is None and any(numbered):
        return False  # the body's sections are numbered and this heading stands outside
    text = next((b for b in after if b.kind != "heading"), None)
    return text is not None and text.kind == "p" and all(
        abs(ln.size - ev.body_size) <= ev.params.ack_size_points for ln in text.lines)


def _run_in(block: RawBlock, names: dict[str, ZoneKind], ev: Evidence) -> BackZone | None:
    """A paragraph opening with a zone's name and a colon or stop: that zone, its name the
    title and the rest of the paragraph its text (a reference list is never run in)."""
    text = plain(block.lines[0].text)
    for name, kind in sorted(names.items(), key=lambda item: -len(item[0])):
        if kind in (REFERENCES, NOTES) or text[:len(name)].lower().replace("’", "'") != name:
            continue
        stop = RUN_IN_STOP.match(text, len(name))
        if stop is None or stop.end() == len(name) or stop.end() >= len(text):
            continue
        return BackZone(kind, [Inline("text", text[:len(name)])], 0, [block])
    return None


def _opens_notes(heading: RawBlock, following: list[RawBlock], note_lines: Sequence[Line]
                 ) -> bool:
    """Endnotes begin with a labelled note right under their heading, or the layout took
    the first of them for notes (small type at a page's foot) and what follows on the next
    pages runs on from them."""
    if not following or following[0].kind == "heading":
        return False
    if note_label(following[0].lines[0]) is not None:
        return True
    last = heading.lines[-1]
    return any(ln.page == last.page and ln.y < last.y for ln in note_lines)


def read_back(zones: list[BackZone], ev: Evidence, style: HouseStyle, claims: ImageClaims
              ) -> tuple[list[BackSection], list[RawBlock], list[Line]]:
    """The back-matter sections, the blocks of the reference lists (for the references
    stage) and the lines of the endnotes (for the notes stage)."""
    sections: list[BackSection] = []
    references: list[RawBlock] = []
    notes: list[Line] = []
    for zone in zones:
        if zone.kind == REFERENCES:
            references.extend(b for b in zone.blocks if b.kind != "heading")
            continue
        if zone.kind == NOTES:
            notes.extend(ln for b in zone.blocks for ln in b.lines)
            continue
        blocks, _ = nest_blocks(zone.blocks, ev, style, claims)
        if zone.level == 0:  # run in: the zone's name leaves the paragraph for the title
            blocks = [_without_name(b, len(text_of_title(zone.title))) if i == 0 else b
                      for i, b in enumerate(blocks)]
        sections.append(BackSection(zone.kind, zone.title, blocks))  # type: ignore[arg-type]
    return sections, references, notes


def text_of_title(title: RichText) -> str:
    return "".join(i.text for i in title)


def _without_name(block: Block, length: int) -> Block:
    """The paragraph of a run-in zone without its name and the stop after it."""
    if not isinstance(block, Paragraph):
        return block
    content: RichText = []
    skip = length
    stop_done = False
    for inline in block.content:
        text = inline.text
        if skip:
            cut = min(skip, len(text))
            text, skip = text[cut:], skip - cut
        if not skip and not stop_done and inline.kind != "callout":
            stripped = RUN_IN_STOP.sub("", text, count=1) if RUN_IN_STOP.match(text) else text
            if text:
                stop_done = True
            text = stripped
        if text or inline.kind == "callout":
            content.append(Inline(inline.kind, text, inline.target))
    return Paragraph(content, block.source, block.quote, block.id)
