"""Paragraphs of a summary box or an abstract, cut by the lines' own geometry: the cut the
body's evidence cannot make on a few lines set apart in their own size.

Input: a run of lines in reading order. Output: the same lines in groups, one per
paragraph or part. Invariant: every line goes to exactly one group, in order.
"""

from __future__ import annotations

from statistics import median

from flows.layout_model import Line
from flows.segment.common import plain

# Within an abstract, a line that stops short (the next line's first word, at CHAR_WIDTH
# × the size a character, would have fitted after it, and it leaves more than SHORT_SHARE
# of the measure empty), or a gap above the next line of more than PARAGRAPH_GAP × the
# usual spacing, ends a paragraph.
CHAR_WIDTH = 0.5
SHORT_SHARE = 0.15
PARAGRAPH_GAP = 1.15
BELOW = 0.5  # × size: a line this far under the last one is a new line, not a piece of it


def paragraphs_of(lines: list[Line], by_measure: bool = True) -> list[list[Line]]:
    """An abstract's lines cut where a line stops short of the measure and the next opens
    with a capital, or where the spacing opens up: a structured abstract's parts
    ("Background: …", "Methods: …") and the paragraphs of a plain one. Without
    `by_measure`, only where the spacing opens up."""
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    gaps = [ln.gap_above for ln in lines[1:] if ln.gap_above > 0]
    usual = median(gaps) if gaps else 0.0
    groups: list[list[Line]] = [[lines[0]]]
    for line in lines[1:]:
        previous = groups[-1][-1]
        text = plain(line.text)
        # the line before stopped short when the next line's first word would have fitted
        word = text.split()[0] if text else ""
        room = right - previous.x1
        short = by_measure and room > (len(word) + 1) * CHAR_WIDTH * previous.size and \
            room > SHORT_SHARE * (right - left)
        spaced = usual > 0 and line.gap_above > PARAGRAPH_GAP * usual
        opens = bool(text) and text[0].isupper()
        below = line.y < previous.y - BELOW * line.size  # not a piece of the same line
        if opens and below and (short or spaced) and line.page == previous.page:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups
