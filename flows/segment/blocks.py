"""Stage 5 — blocks: a run of lines → flat `RawBlock`s (headings, paragraphs, quotes, list
items, captions, table rows, chart labels).

Input: lines in reading order, the evidence, the house style. Output: a new list of blocks.
Invariant: every non-empty line lands in exactly one block, in reading order, except that
chart labels read just before their caption follow it; a lone callout line joins the line
before it (a new line value: the layout's lines are never changed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flows import line_model  # (a module: it imports this package's evidence in turn)
from flows.layout_model import Line, Span
from flows.profile import HouseStyle
from flows.segment.common import TERMINAL, plain, style_of
from flows.segment.evidence import Evidence, Frame, is_heading
from flows.segment.params import SegmentParams

BULLETS = "•■▪●◦‣○□–—-*·➢►▶✓"


ORDERED_ITEM = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]+\))(\s+|$)")


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
    if ORDERED_ITEM.match(text) and not text[:4].isdigit() and ORDERED_ITEM.sub(
            "", text, count=1).strip():
        return True, True  # an enumerator alone on its line is a panel label, not an item
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
    frame = Frame([ln for ln in lines if not is_heading(ln, ev)], ev.params, ev.frame,
                  ev.body_size)
    set_in = _set_in_runs(lines, frame)
    # the candidates the learned check rejects
    vetoed = line_model.heading_vetoes(lines, ev, frame, style)
    p = ev.params
    blocks: list[RawBlock] = []
    previous: Line | None = None
    for line in lines:
        if not line.text.strip():
            continue
        if _lone_callout(line, ev) and blocks and _beside(line, blocks[-1].lines[-1], ev):
            # the callout joins the line before it, as a new line: the layout's stays as it is
            called = blocks[-1].lines[-1]
            blocks[-1].lines[-1] = replace(called, spans=[
                *called.spans, *(Span(s.text, s.bold, s.italic, True, s.size)
                                 for s in line.spans)])
            previous = blocks[-1].lines[-1] if previous is called else previous
            continue
        last = blocks[-1] if blocks else None
        # (once the text has gone on after the table, the table is closed)
        if last and last.kind in ("table", "cells") and previous is last.lines[-1] and \
                not _bare_label(last, style) and _in_table(line, frame, ev):
            _add_to_float(blocks, "cells", line)
            previous = line
            continue
        caption = caption_kind(line, style, ev.body_style[3])
        if caption and last and last.kind in ("p", "quote") and previous is last.lines[-1] and \
                _wrapped_reference(line, previous, ev, frame):
            caption = ""
        # a line opening a caption ("Table 1: …") is the caption, in whatever face it is set
        if is_heading(line, ev) and id(line) not in vetoed and not caption:
            if (blocks and blocks[-1].kind == "heading" and previous is not None
                    and _same_heading_face(previous, line, p) and previous.page == line.page
                    and previous.y - line.y < p.heading_join * line.size):
                blocks[-1].lines.append(line)
            else:
                blocks.append(RawBlock("heading", [line], ev.heading_levels[style_of(line)]))
            previous = line
            continue
        last = blocks[-1] if blocks else None
        if caption:
            if caption == "figure":
                above, content = _chart_lines_before(blocks, frame, ev), "figure-text"
            else:
                above, content = _rows_before(blocks, line, ev), "cells"
            blocks.append(RawBlock(caption, [line]))
            if above:  # the chart or the table stood above its caption
                blocks.append(RawBlock(content, above))
            previous = line
            continue
        caption_block = _open_caption(blocks)
        # the caption runs on from its own last line or the float's only: once a line has
        # gone into another block (the paragraph the float interrupted goes on), it is
        # closed, or the lines set close below that one would join it
        if caption_block and any(previous is b.lines[-1] for b in (caption_block, blocks[-1])) \
                and _continues_caption(
                caption_block, line, previous, frame, p):
            caption_block.lines.append(line)
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


def _same_heading_face(previous: Line, line: Line, p: SegmentParams) -> bool:
    """May `line` carry on the heading whose line `previous` is? One style, or one size with
    the faces of its words shared: a heading mixing bold and bold italic words (a species
    name) changes its dominant font from line to line; a new numbered heading never
    carries on."""
    if style_of(previous) == style_of(line):
        return True
    faces = {(s.bold, s.italic) for s in previous.spans if s.text.strip() and not s.raised}
    own = {(s.bold, s.italic) for s in line.spans if s.text.strip() and not s.raised}
    # (two headings stacked in one face but two fonts stay two: only a heading mixing
    # faces has a reason to change its dominant font)
    return (abs(previous.size - line.size) < p.same_size and bool(faces & own)
            and len(faces | own) > 1
            and not line_model.line_features.SECTION_NUMBER.match(line.text))


def _open_caption(blocks: list[RawBlock]) -> RawBlock | None:
    """The caption the next line may continue: the last block, or the one before the chart
    labels taken in just after it (they were read above the caption)."""
    if blocks and blocks[-1].kind in ("figure", "table"):
        return blocks[-1]
    if len(blocks) > 1 and blocks[-1].kind == "figure-text" and blocks[-2].kind == "figure":
        return blocks[-2]
    if len(blocks) > 1 and blocks[-1].kind == "cells" and blocks[-2].kind == "table" and \
            _stood_above(blocks[-1].lines, blocks[-2].lines[0]):
        return blocks[-2]
    return None


def _stood_above(lines: list[Line], caption: Line) -> bool:
    return all(ln.page == caption.page and ln.y > caption.y for ln in lines)


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
    """Text set inside a chart: small, short (a label, a value, an axis title) or a row of
    tick labels however wide ("0 1 2 3 4 5 6"), and no list item. Such lines next to a
    figure caption belong to the figure, not the text."""
    width = frame.right(line) - frame.margin(line)
    ticks = all(len(token) <= ev.params.tick_chars for token in line.text.split())
    return (line.size < ev.params.small_type * ev.body_size
            and (line.x1 - line.x0 < ev.params.chart_width * width or ticks)
            and not starts_item(line)[0])


def _chart_lines_before(blocks: list[RawBlock], frame: Frame, ev: Evidence) -> list[Line]:
    """Chart labels read just before a caption set below its chart: the blocks at the end of
    the list made of chart lines only (a legend's lines can gather into one block). They are
    taken off the list."""
    taken: list[Line] = []

    def labels(block: RawBlock) -> bool:
        return block.kind in ("p", "quote", "item") and all(
            _spread_label(line, frame, ev) for line in block.lines)

    # an axis title just above the caption, wider than a label, heads the chart's labels
    if len(blocks) > 1 and _axis_title(blocks[-1], ev) and labels(blocks[-2]):
        taken = blocks.pop().lines
    while blocks and labels(blocks[-1]):
        taken[:0] = blocks.pop().lines
    return taken


def _spread_label(line: Line, frame: Frame, ev: Evidence) -> bool:
    """Just above a figure's caption, a chart's labels: chart lines, and small-type lines
    of labels spread across the chart with wide gaps between them ("24 hours", a marker
    over a bar), whatever marks a list item would otherwise show."""
    if line.size >= ev.params.small_type * ev.body_size:
        return False
    return "\t" in line.text.strip() or _chart_line(replace(line, spans=[
        replace(s, text=s.text.lstrip("*•")) for s in line.spans]), frame, ev)


def _axis_title(block: RawBlock, ev: Evidence) -> bool:
    """A chart's axis title: a block of one line in small type that is no sentence (it
    does not end as one; a unit in brackets may close it)."""
    return block.kind in ("p", "quote") and len(block.lines) == 1 and \
        block.lines[0].size < ev.params.small_type * ev.body_size and \
        not block.lines[0].text.rstrip(" )]\"”’").endswith((".", "?", "!", ":"))


def _rows_before(blocks: list[RawBlock], caption: Line, ev: Evidence) -> list[Line]:
    """The rows of a table set above its caption: the blocks at the end of the list made
    only of small-type lines standing above the caption on its page (a table's header row
    in small bold type may have been cut as a heading). Taken off the list when there are
    at least `SegmentParams.rows_above` of them; a lone small line is no table."""
    p = ev.params
    count = 0
    while count < len(blocks) and blocks[-1 - count].kind in ("p", "quote", "heading") and \
            _stood_above(blocks[-1 - count].lines, caption) and all(
            ln.size < p.small_type * ev.body_size for ln in blocks[-1 - count].lines):
        count += 1
    taken = [ln for b in blocks[len(blocks) - count:] for ln in b.lines]
    if len(taken) < p.rows_above:
        return []
    del blocks[len(blocks) - count:]
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


# "Table 5", "Table-5", "Table -1"
CAPTION_NUMBER = re.compile(r"\s*-?\s*[a-z]?(\d+|[ivx]+)(\.\d+)?")


def caption_kind(line: Line, style: HouseStyle, body_font: str = "") -> str:
    """'figure' or 'table' when the line opens a caption: a label word, a number (perhaps
    with a series letter: "S1", "A2"), then a separator ("Figure 2:", "Table S1."), so that
    "Figure 2 shows" stays running text. Without a separator, a label and number set apart
    open a caption too (running text does not set its cross-references apart that way):
    in bold or italic, in a face of their own before the caption text ("**Fig. 2** Key
    merits"), or the whole line in a face other than the running text's `body_font`."""
    text = plain(line.text).lower()
    for kind, labels in (("figure", style.figure_labels), ("table", style.table_labels)):
        # an abbreviated label may drop its full stop ("Fig 2.", as some journals set it)
        for label in [*labels, *(a[:-1] for a in labels if a.endswith(".") and a[:-1] not in
                                 labels)]:
            if not text.startswith(label):
                continue
            number = CAPTION_NUMBER.match(text, len(label))
            if number is None:
                continue
            if re.match(r"\s*[.:—–|-]", text[number.end():]):
                return kind
            if text[number.end():number.end() + 1].isspace() and _label_set_apart(
                    line, number.end(), body_font):
                return kind
            # the label alone on its line, set apart, the caption's text on the next
            if not text[number.end():].strip() and _label_set_apart(
                    line, number.end(), body_font):
                return kind
    return ""


def _label_set_apart(line: Line, length: int, body_font: str) -> bool:
    """The spans holding the first `length` characters of the line's text are all bold or
    all italic, or set in a face unlike the rest of the line (or, when they are the whole
    line, unlike the running text)."""
    label: list[Span] = []
    read = ""
    spans = [s for s in line.spans if s.text.strip()]
    for span in spans:
        if len(plain(read)) >= length:
            break
        read += span.text
        label.append(span)
    if not label:
        return False
    if all(s.bold for s in label) or all(s.italic for s in label):
        return True
    faces = {s.font for s in label}
    rest = {s.font for s in spans[len(label):]}
    if not rest:  # the whole line in one face
        return bool(body_font) and body_font not in faces
    # a face of the label's own: only when its spans hold the label and nothing more
    return len(plain(read)) <= length + 1 and not faces & rest
# A caption's own notes after its title ("Notes: …", "Abbreviations: …"): a word or two
# and a colon open the line, in the caption's size, set close below it.
RUN_IN_LABEL = re.compile(r"\s*[A-Z][\w-]*(?: [\w-]+)?:\s")


def _continues_caption(block: RawBlock, line: Line, previous: Line, frame: Frame,
                       p: SegmentParams) -> bool:
    """A caption runs on over lines of its own size set close below it, until a line that
    stops short after a full stop (unless a run-in label opens the next line: the caption's
    notes): a caption set like the text would otherwise swallow the paragraph after it."""
    first = block.lines[0]
    return (block.kind != "cells" and abs(line.size - first.size) < p.caption_same_size
            and previous.page == line.page
            and 0 < previous.y - line.y < p.block_leading * line.size
            and line.italic == first.italic and "\t" not in line.text
            and (not (frame.short(previous) and previous.text.rstrip().endswith(TERMINAL))
                 or bool(RUN_IN_LABEL.match(line.text))))


def _wrapped_reference(line: Line, previous: Line, ev: Evidence, frame: Frame) -> bool:
    """A line opening like a caption ("Table 2. Among …") that carries a paragraph on: set
    in the paragraph's size at its own line pitch right under a line that runs to the
    column's edge without ending its sentence. A caption stands apart from the text above
    it (a float is set off by space) or follows a finished line; a cross-reference the
    line break left at the head of a line does neither. A line of cells (split by wide
    gaps, or in other than the text's size) is a table's row above its caption, no text."""
    p = ev.params
    if previous.page != line.page or previous.column != line.column:
        return False
    if "\t" in previous.text.strip() or abs(previous.size - ev.body_size) > p.same_size:
        return False
    pitch = max(ev.pitch, line.size * p.min_leading)
    return (0 < previous.y - line.y <= p.wrapped_label_pitch * pitch
            and abs(line.size - previous.size) <= p.same_size
            and not frame.short(previous)
            and not previous.text.rstrip().endswith((*TERMINAL, ":")))


def _in_table(line: Line, frame: Frame, ev: Evidence) -> bool:
    """Table rows: smaller type, cells split by wide gaps, or text set in from the margin."""
    p = ev.params
    if line.size > p.larger_than_text * ev.body_size:
        return False  # a heading after the table
    if frame.indent_paragraphs and abs(line.x0 - frame.margin(line) - frame.indent) < (
            p.indent * line.size) and "\t" not in line.text.strip() and abs(
            line.size - ev.body_size) < p.row_size_points and line.x1 - line.x0 > p.full_line * (
            frame.right(line) - frame.margin(line)):
        return False  # the indented first line of the paragraph after the table
    # type smaller than the text by a measurable step, however slight, sets a row apart
    smaller = ev.body_size - line.size >= p.row_size_points
    return (line.size < p.small_type * ev.body_size or smaller or "\t" in line.text.strip()
            or line.x0 - frame.margin(line) > p.table_inset * line.size or line.bold)


def _bare_label(block: RawBlock, style: HouseStyle) -> bool:
    """A caption that is so far only its label on a line of its own ("Table 4"): the next
    line is its text, whatever its size, not the table's first row."""
    if block.kind != "table" or len(block.lines) != 1:
        return False
    text = plain(block.lines[0].text).lower().rstrip(" .:")
    return any(text.startswith(label) and CAPTION_NUMBER.fullmatch(text, len(label))
               for label in style.table_labels)


def _lone_callout(line: Line, ev: Evidence) -> bool:
    return line.size < ev.params.callout_size * ev.body_size and bool(
        re.fullmatch(r"\s*\d{1,3}\s*", line.text))


def _beside(callout: Line, called: Line, ev: Evidence) -> bool:
    """A callout on a line of its own stands next to the line it belongs to: on its page,
    within `callout_reach` pitches of it."""
    return callout.page == called.page and abs(called.y - callout.y) <= (
        ev.params.callout_reach * ev.pitch)


def _set_in_runs(lines: list[Line], frame: Frame) -> set[int]:
    """Lines in runs of three or more set in to the same x: a block set apart (a quote),
    whatever the paragraph indent, since a first-line indent never repeats."""
    found: set[int] = set()
    run: list[Line] = []
    for line in [*lines, None]:
        inset = line is not None and frame.indented(line)
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
        return offset > frame.indent + frame.p.quote_beyond_indent * line.size
    return offset > frame.p.quote_inset * line.size


def _continues_item(block: RawBlock, line: Line, previous: Line, ev: Evidence) -> bool:
    p = ev.params
    first = block.lines[0]
    hanging = line.x0 > first.x0 + p.indent * line.size
    if len(block.lines) > 1:
        hanging = hanging or abs(line.x0 - block.lines[-1].x0) < 1
    close = previous.page != line.page or previous.y - line.y < p.block_leading * max(
        line.size, ev.pitch / p.leading)
    return hanging and close and abs(line.size - first.size) < p.same_size


def _new_paragraph(line: Line, previous: Line | None, ev: Evidence, frame: Frame,
                   block: RawBlock) -> bool:
    p = ev.params
    if previous is None:
        return True
    if abs(line.size - previous.size) > p.same_size:
        return True
    same_column = previous.page == line.page and previous.column == line.column
    pitch = max(ev.pitch, line.size * p.min_leading)
    if same_column and previous.y - line.y > p.paragraph_gap * pitch:
        return True
    # Where the typesetter sets paragraphs apart by space, the space it adds may be less
    # than `paragraph_gap` (6 pt on a 15 pt pitch); the gap that made the document count
    # as spaced (`close_pitch`) is then the cut.
    if same_column and ev.spaced_paragraphs and previous.y - line.y > p.close_pitch * pitch:
        return True
    if block.kind == "quote":
        base = min(ln.x0 for ln in block.lines)
        return line.x0 > base + p.indent * line.size
    closed = frame.short(previous) and previous.text.rstrip().endswith(TERMINAL)
    if frame.indent_paragraphs:
        # across a page or column a spaced document shows no space: a line stopping short
        # after a sentence closes its paragraph there, indent or none
        return frame.indented(line) or (ev.spaced_paragraphs and not same_column and closed)
    if ev.spaced_paragraphs and same_column:
        return False  # the space between paragraphs, checked above, is the only signal
    return closed
