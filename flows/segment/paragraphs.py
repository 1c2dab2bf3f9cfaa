"""Paragraphs of a summary box or an abstract, cut by the lines' own geometry: the cut the
body's evidence cannot make on a few lines set apart in their own size.

Input: a run of lines in reading order. Output: the same lines in groups, one per
paragraph or part. Invariant: every line goes to exactly one group, in order.
"""

from __future__ import annotations

from statistics import median

from flows.layout_model import Line
from flows.segment.common import plain
from flows.segment.params import SegmentParams

# Within an abstract, a line that stops short (the next line's first word, at `char_width`
# × the size a character, would have fitted after it, and it leaves more than `short_share`
# of the measure empty), or a gap above the next line of more than `abstract_paragraph_gap`
# × the usual spacing, ends a paragraph (the `SegmentParams` fields).


def paragraphs_of(lines: list[Line], params: SegmentParams, by_measure: bool = True
                  ) -> list[list[Line]]:
    """An abstract's lines cut where a line stops short of the measure and the next opens
    with a capital, or where the spacing opens up: a structured abstract's parts
    ("Background: …", "Methods: …") and the paragraphs of a plain one. Without
    `by_measure`, only where the spacing opens up."""
    if not lines:
        return []
    # the measure of each column the lines are set in: a summary box set across two
    # columns is measured per column, or every line of the first would stop short; but a
    # column that a wider one of these lines spans holds short lines the layout seated in
    # it (a date line, a paragraph's last line), measured by the wider one
    columns: dict[tuple[float, float], list[Line]] = {}
    for ln in lines:
        columns.setdefault(ln.column, []).append(ln)
    measure: dict[tuple[float, float], tuple[float, float]] = {}
    for column in columns:
        wider = [c for c in columns if c[0] <= column[0] and c[1] >= column[1]]
        held = [ln for c in wider for ln in columns[c]]
        measure[column] = (min(ln.x0 for ln in held), max(ln.x1 for ln in held))
    gaps = [ln.gap_above for ln in lines[1:] if ln.gap_above > 0]
    usual = median(gaps) if gaps else 0
    groups: list[list[Line]] = [[lines[0]]]
    for line in lines[1:]:
        previous = groups[-1][-1]
        text = plain(line.text)
        # the line before stopped short when the next line's first word would have fitted
        word = text.split()[0] if text else ""
        left, right = measure[previous.column]
        room = right - previous.x1
        short = by_measure and room > (len(word) + 1) * params.char_width * previous.size and \
            room > params.short_share * (right - left)
        spaced = usual > 0 and line.gap_above > params.abstract_paragraph_gap * usual
        opens = bool(text) and text[0].isupper()
        below = line.y < previous.y - params.line_below * line.size  # not a piece of the same line
        if opens and below and (short or spaced) and line.page == previous.page:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups
