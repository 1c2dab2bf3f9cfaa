"""Stage 6 — nesting: flat `RawBlock`s → nested sections of model blocks (paragraphs, lists,
figures, tables), and the blocks under a references heading set aside for the ref-list.

Input: raw blocks, the evidence, the house style, the image claims. Output: new model
blocks and the reference blocks.
Invariant: block order is kept; only a notes heading emptied of its notes is dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from flows.layout_model import Line, Span
from flows.model import Block, Figure, ListBlock, Paragraph, RichText, Section, Table
from flows.profile import HouseStyle
from flows.segment.blocks import FLOATS, RawBlock, strip_marker
from flows.segment.common import box_of, normal_name, plain, style_of
from flows.segment.evidence import Evidence
from flows.segment.images import ImageClaims
from flows.segment.params import SegmentParams
from flows.segment.richtext import link_urls, rich_text, text_of


def nest_blocks(raw: list[RawBlock], ev: Evidence, style: HouseStyle, claims: ImageClaims,
                run_in: bool = False) -> tuple[list[Block], list[RawBlock]]:
    """Turn the flat block list into nested sections by heading level; a references
    heading sends what follows it to the reference list. With `run_in` (a part's body),
    headings run into their paragraph's first line are split out first."""
    if run_in:
        raw = split_run_in_headings(outline_headings(raw, ev, style), ev, style)
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
            label, numberless = split_label(title)
            level = block.level
            if label and style_of(block.lines[0]) in shallowest:
                # one style for several depths: "2.1" sits under "2"
                level += _number_depth(label) - shallowest[style_of(block.lines[0])]
            if style.section_numbers == "label" or _set_off(title):
                # a number set off by a glyph ("1 | Introduction") is a label printed
                # beside the title, not words of it, whatever the house does otherwise
                title = numberless
            else:
                label = ""  # the number stays in the title, as printed
            section = Section(title, level, box_of(block.lines, ev.params), label=label)
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
            target.append(Figure(rich_text(block.lines, ev), box_of(block.lines, ev.params),
                                 source_image=claims.beside(block.lines)))
        elif block.kind == "figure-text":
            figure = target[-1] if target and isinstance(target[-1], Figure) else None
            if figure is None:  # a chart without a caption
                figure = Figure([], box_of(block.lines, ev.params))
                target.append(figure)
            figure.text.extend(plain(ln.text) for ln in block.lines)
        elif block.kind == "table":
            target.append(Table(rich_text(block.lines, ev), [], box_of(block.lines, ev.params)))
        elif block.kind == "cells":
            table = next((b for b in reversed(target) if isinstance(b, Table)), None)
            if table is not None:
                table.rows.extend(table_rows(block.lines, ev.body_size))
        elif block.kind == "item":
            spans_lines = [replace(ln, spans=strip_marker(ln.spans)) if i == 0 else ln
                           for i, ln in enumerate(block.lines)]
            item = Paragraph(link_urls(rich_text(spans_lines, ev)), box_of(block.lines, ev.params))
            if target and isinstance(target[-1], ListBlock) and target[-1].ordered == \
                    block.ordered:
                target[-1].items.append(item)
            else:
                target.append(ListBlock([item], block.ordered))
        else:
            content = link_urls(rich_text(block.lines, ev))
            if content:
                target.append(Paragraph(content, box_of(block.lines, ev.params),
                                        quote=block.kind == "quote"))
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


# How many words a heading run into its paragraph may hold: a phrase, not a sentence.
RUN_IN_WORDS = 15
# Run-in headings a body must show before any is split out: a house habit of the layout,
# not one emphasised phrase that happens to end in a full stop.
RUN_IN_LEAST = 2
# Lines a run-in heading may wrap over before its paragraph's text starts.
RUN_IN_LINES = 3
# "Figure 3.", "Table S2.", "Supplemental Figure-1.": a float's label opening a caption set
# like a paragraph, not a heading
FLOAT_LABEL = re.compile(r"^\W*(?:[A-Za-z]+\.?\s+)?[A-Za-z]+[\s.-]*[A-Z]?\d")
YEAR = re.compile(r"\b(?:1[89]|20)\d\d[a-z]?\b")


def split_run_in_headings(raw: list[RawBlock], ev: Evidence, style: HouseStyle
                          ) -> list[RawBlock]:
    """Paragraphs that open with a phrase in bold or italic ending in a full stop, the text
    running on in the body face after it ("2.1. Study Design. Patients were..."), are a
    run-in heading and its section's first paragraph: publishers' JATS keeps the phrase as
    the section's title. (Measured on the development corpus: such phrases are section
    titles in their truth JATS about nine times in ten once float labels and "Label:"
    openers are left out; those stay in the paragraph.) Each becomes a heading one level
    below the last heading set apart on its own line. A body with fewer than
    `RUN_IN_LEAST` of them is left as it is; reference lists are never split."""
    if ev.body_style[1] or ev.body_style[2]:
        return raw  # emphasis is told from the text by weight or slant: here it cannot be
    found: dict[int, tuple[list[Line], list[Line]]] = {}
    in_references = False
    references = {normal_name(name) for name in style.reference_headings}
    for block in raw:
        if block.kind == "heading":
            # ("5. References:" names the reference list as well as "References" does)
            in_references = normal_name(text_of(rich_text(block.lines, ev))) in references
        if block.kind in ("p", "heading") and not in_references:
            # (a heading the rules took whole, its line running on into the text after
            # the stop, is a run-in heading too)
            split = run_in_heading(block.lines)
            if split is not None:
                found[id(block)] = split
    if len(found) < RUN_IN_LEAST:
        return raw
    # bold run-in headings rank above italic ones where a body has both
    faces = {face: rank for rank, face in enumerate(sorted(
        {_face(title) for title, _ in found.values()}, reverse=True))}
    sizes = {round(_title_size(title) * 2) / 2 for title, _ in found.values()}
    out: list[RawBlock] = []
    level = 0  # the level of the last heading on a line of its own
    carry: list[Line] = []  # the text a heading block ran on into, for the paragraph after
    wrapped = False  # was the block before a run-in heading's first line, set alone?
    for index, block in enumerate(raw):
        if carry:
            if block.kind == "p" and id(block) not in found:
                block = RawBlock("p", [*carry, *block.lines])
            else:
                out.append(RawBlock("p", carry))
            carry = []
        wrapped_above = wrapped
        wrapped = False
        if block.kind == "heading" and id(raw[index]) not in found:
            wrapped = _wrapped_run_in(block, raw[index + 1:index + 2], faces, sizes, ev)
            if wrapped:
                block = replace(block, level=level + 1 + faces[_face(block.lines)])
            else:
                level = block.level
        split = found.get(id(raw[index]))
        if split is None:
            out.append(block)
            continue
        title, text = split
        if title[0].text.lstrip()[:1].islower() or wrapped_above:
            # the end of a heading wrapped from the line above, set alone as a heading
            # ("... Blood Glucose, and Gly-" / "cated Hemoglobin. Body weight ..."; or,
            # under a run-in heading's first line, "(RT-" / "PCR Analysis). The ..."): it
            # finishes that heading; without one above it is no heading's start
            if not out or out[-1].kind != "heading":
                out.append(block)
                continue
            out[-1] = replace(out[-1], lines=[*out[-1].lines, *title])
        else:
            out.append(RawBlock("heading", title, level + 1 + faces[_face(title)]))
        if block.kind == "heading":
            carry = text
        else:
            out.append(RawBlock("p", text))
    if carry:
        out.append(RawBlock("p", carry))
    return out


# "3.1.2." opening a line: an arabic section number of any depth, then a capital
OUTLINE_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?=[A-Z])")


def outline_headings(raw: list[RawBlock], ev: Evidence, style: HouseStyle
                     ) -> list[RawBlock]:
    """Short paragraphs that open with the very section number the headings before them
    lead to next ("3.1.1" or "3.1.2" after "3.1.1", "3.2" or "4" after "3.1"), on at most
    `SegmentParams.outline_heading_lines` lines, with no closing stop, are headings set in
    a face the rules do not take for one (the text's own face, or an italic the text also
    uses): the numbering says what they are. Its level follows from the heading it comes
    after. A number of one part ("2") must also be set in the style of the headings
    numbered so, as a numbered list's items may run on from a section's number."""
    p = ev.params
    levels: dict[str, int] = {}  # the labels of the headings so far, to their levels
    faces: set = set()  # the styles of the headings numbered with one part
    last = ""
    out: list[RawBlock] = []
    references = {normal_name(name) for name in style.reference_headings}
    for index, block in enumerate(raw):
        if block.kind == "heading":
            text = plain(" ".join(ln.text for ln in block.lines))
            if normal_name(text) in references:
                return [*out, *raw[index:]]  # reference entries are numbered too
            if match := OUTLINE_NUMBER.match(text):
                last = match.group(1)
                levels[last] = block.level
                if "." not in last:
                    faces.add(style_of(block.lines[0]))
            out.append(block)
            continue
        start = _column_top_start(block, p.outline_heading_lines)
        for lines in ([block.lines, block.lines[start:]] if start else [block.lines]):
            found = _outline_heading(block.kind, lines, last, levels, faces, p)
            if found is None:
                continue
            if len(lines) < len(block.lines):
                # set at the top of a page or column, read as the paragraph above going on
                out.append(RawBlock("p", block.lines[:start]))
            last, level = found
            levels[last] = level
            block = RawBlock("heading", lines, level)
            break
        out.append(block)
    return out


def _outline_heading(kind: str, lines: list[Line], last: str, levels: dict[str, int],
                     faces: set, p: SegmentParams) -> tuple[str, int] | None:
    """(number, level) where `lines` are a heading by their number (see
    `outline_headings`), else None."""
    text = plain(" ".join(ln.text for ln in lines))
    match = OUTLINE_NUMBER.match(text)
    if not (match and last and kind in ("p", "item") and len(lines) <= p.outline_heading_lines
            and len(text.split()) <= p.outline_heading_words and not text.endswith(".")
            and ("." in match.group(1) or style_of(lines[0]) in faces)):
        return None
    level = _next_level(match.group(1), last, levels)
    return None if level is None else (match.group(1), level)


def _column_top_start(block: RawBlock, most: int) -> int:
    """Where, among a paragraph's last `most` lines, a line opens a new page or column
    after a line ending a sentence; 0 for none."""
    if block.kind != "p":
        return 0
    for index in range(max(1, len(block.lines) - most), len(block.lines)):
        above, line = block.lines[index - 1], block.lines[index]
        if (above.page, above.column) != (line.page, line.column) and \
                above.text.rstrip().endswith("."):
            return index
    return 0


def _next_level(label: str, last: str, levels: dict[str, int]) -> int | None:
    """The level of a heading numbered `label` right after the one numbered `last`: its
    first child ("3.1" → "3.1.1"), the next of it or of one of its parents ("3.1.2" →
    "3.1.3", "3.2", "4"); None for any other number."""
    parts = last.split(".")
    if label == f"{last}.1":
        return levels[last] + 1
    for depth in range(len(parts), 0, -1):
        head = parts[:depth - 1]
        if label == ".".join([*head, str(int(parts[depth - 1]) + 1)]):
            sibling = ".".join(parts[:depth])
            return levels.get(sibling, levels[last] - (len(parts) - depth))
    return None


def _face(lines: list[Line]) -> bool | None:
    """The emphasis `lines` open with: True bold (any slant), False italic, None neither."""
    first = next(s for ln in lines for s in ln.spans if s.text.strip() and not s.raised)
    return True if first.bold else False if first.italic else None


def _in_face(span: Span, bold: bool) -> bool:
    """Does the span carry on an emphasis opened in bold (any slant: a species name set
    bold italic in a bold heading) or in italic?"""
    return span.bold if bold else span.italic and not span.bold


def _title_size(lines: list[Line]) -> float:
    """The size of a heading's first letters (a run-in heading's line is mostly text, so
    the line's own dominant size is the text's)."""
    first = next(s for ln in lines for s in ln.spans if s.text.strip() and not s.raised)
    return first.size or lines[0].size


def _wrapped_run_in(block: RawBlock, after: list[RawBlock], faces: dict, sizes: set[float],
                    ev: Evidence) -> bool:
    """A heading the rules found on lines of its own, in the run-in headings' face and the
    text's size or the run-in headings' own (`sizes`: a house may set them a point above
    the text), filling the measure, a paragraph straight after it: a run-in heading too
    long for one line, whose first line was all heading. It takes the run-in level."""
    last = block.lines[-1]
    size = ev.params.same_size
    return (_face(block.lines) in faces
            and any(abs(last.size - s) < size for s in {ev.body_size, *sizes})
            and not ev.frame.short(last) and bool(after) and after[0].kind == "p")


def run_in_heading(lines: list[Line]) -> tuple[list[Line], list[Line]] | None:
    """(the heading's lines, the paragraph's lines) where `lines` open with a run-in
    heading: one emphasis (bold in any slant, or italic) from the first letter, over at most
    `RUN_IN_LINES` lines, ending in a full stop, and the text going on in another face
    with a capital. New line values hold each side's spans; the lines are not changed."""
    letters = [s for s in lines[0].spans if s.text.strip() and not s.raised]
    if not letters:
        return None
    bold = letters[0].bold
    if not (bold or letters[0].italic):
        return None
    title: list[Line] = []
    for index, line in enumerate(lines[:RUN_IN_LINES + 1]):
        cut = next((i for i, s in enumerate(line.spans) if s.text.strip() and not s.raised
                    and not _in_face(s, bold)), None)
        if cut is None:
            title.append(line)  # the heading fills the line: it goes on below
            continue
        head, rest = line.spans[:cut], line.spans[cut:]
        if head:
            title.append(replace(line, spans=head))
        text = [replace(line, spans=rest), *lines[index + 1:]] if cut else lines[index:]
        return _checked(title, text)
    return None


def _checked(title: list[Line], text: list[Line]) -> tuple[list[Line], list[Line]] | None:
    """The split, its heading's full stop moved out of it, if the heading reads as one."""
    if not title or len(title) > RUN_IN_LINES:
        return None
    heading = " ".join(ln.text.strip() for ln in title)
    opening = text[0].text.lstrip()
    if opening.startswith(".") and not heading.endswith("."):
        first = text[0].spans
        lead = next(i for i, s in enumerate(first) if s.text.strip())
        text = [replace(text[0], spans=[*first[:lead], replace(
            first[lead], text=first[lead].text.lstrip()[1:])] + first[lead + 1:]),
            *text[1:]]
        opening = text[0].text.lstrip()
    elif heading.endswith("."):
        last = title[-1].spans
        end = max(i for i, s in enumerate(last) if s.text.strip())
        title[-1] = replace(title[-1], spans=[*last[:end], replace(
            last[end], text=last[end].text.rstrip()[:-1])])
    else:
        return None
    heading = heading.rstrip(". ")
    if not opening[:1].isupper() or not any(c.isalpha() for c in heading) or \
            len(heading.split()) > RUN_IN_WORDS or FLOAT_LABEL.match(heading) or \
            YEAR.search(heading):
        return None
    return title, text


# glyphs a house sets between a section number and its title as a visible divider
NUMBER_SEPARATORS = "|│┃•·▪■"
SECTION_NUMBER = re.compile(r"^\s*((?:\d+\.)*\d+\.?|[IVXLC]+\.)"
                            r"(?:\s*[" + re.escape(NUMBER_SEPARATORS) + r"])?\s+(?=\S)")


def _set_off(title: RichText) -> bool:
    """Is the title's section number followed by a separator glyph?"""
    match = _number_match(title)
    return bool(match) and any(c in NUMBER_SEPARATORS for c in match.group(0))


# inline kinds whose text may hold a section number: a number and its divider are often set
# in different faces ("<bold>2</bold> | <bold>METHODS</bold>")
NUMBER_KINDS = frozenset({"text", "bold", "italic"})


def _number_match(title: RichText) -> re.Match[str] | None:
    """The section number opening the title, matched over its leading text inlines taken
    together; None where there is none or nothing would be left of the title after it."""
    head = ""
    for inline in title:
        if inline.kind not in NUMBER_KINDS:
            break
        head += inline.text
    match = SECTION_NUMBER.match(head)
    if not match or len(text_of(title)) <= match.end():
        return None
    return match


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
    """'2.3 Summary' → label '2.3' and title 'Summary' (where the number goes is the house
    style's `section_numbers`)."""
    match = _number_match(title)
    if match is None:
        return "", title
    rest: RichText = []
    cut = match.end()  # characters still to drop from the title's opening inlines
    for inline in title:
        if cut >= len(inline.text) and cut:
            cut -= len(inline.text)
            continue
        rest.append(replace(inline, text=inline.text[cut:]) if cut else inline)
        cut = 0
    return match.group(1).rstrip("."), rest


# how the second line of a wrapped cell opens (a new row's cell opens with a capital, a digit)
WRAPPED_START = frozenset("abcdefghijklmnopqrstuvwxyz([")


def _cells(line: Line) -> list[tuple[float, str]]:
    """A table line's cells with where each starts: a cell begins at the line's start and
    at each span opened by a cell break (a gap wider than any word space, layout.py)."""
    cells: list[tuple[float, str]] = []
    for span in line.spans:
        if not cells or span.text.startswith("\t"):
            cells.append((span.x, span.text.lstrip("\t")))
        else:
            cells[-1] = (cells[-1][0], cells[-1][1] + span.text)
    return [(x, " ".join(text.split())) for x, text in cells if text.strip()]


def table_rows(lines: list[Line], size: float) -> list[list[str]]:
    """Rows of cells from a table's lines, by the columns the cells line up in. A line whose
    first cell stands right of the table's first column carries on the row above (a cell's
    text wrapped onto a second line): its cells join that row's cells in their columns.
    The columns start where the cells of the table's fullest line start (a cell set centred
    or right in its column starts at or after its column's start); a wrapped line opens in
    lower case, where a new row's first cell opens with a capital or a
    digit."""
    found = [_cells(line) for line in lines]
    columns = [x for x, _ in max(found, key=len)] if found else []

    def column(x: float) -> int:
        return max((i for i, left in enumerate(columns) if left <= x + size), default=0)

    rows: list[list[str]] = []
    for cells in found:
        if not cells:
            continue
        if rows and column(cells[0][0]) > 0 and cells[0][1][:1] in WRAPPED_START:
            row = rows[-1]
        else:
            row = [""] * len(columns)
            rows.append(row)
        for x, text in cells:
            index = column(x)
            row[index] = f"{row[index]} {text}".strip()
    return [[cell for cell in row if cell] for row in rows]

