"""Stage 7 — references: the lines of a reference list → one line list per entry.

Input: lines in reading order and the evidence. Output: new lists of the same lines.
Invariant: every line goes to exactly one entry, in order; nothing is added or dropped.
"""

from __future__ import annotations

import re
import statistics

from flows.layout_model import Line
from flows.model import Reference
from flows.segment.blocks import RawBlock
from flows.segment.common import box_of, plain, publication_line
from flows.segment.evidence import Evidence
from flows.segment.richtext import link_urls, rich_text, text_of

REFERENCE_LABEL = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\.\s|\(\d{1,3}\)\s)")


def split_references(lines: list[Line], ev: Evidence) -> list[list[Line]]:
    """Cut a reference list into entries by the signal its typesetter used: a label
    ("[3]", "3."), a hanging indent (an entry starts at the margin, its other lines set in)
    or extra space between entries. Without any, an entry ends at a short line closing a
    sentence. An entry runs on across columns and pages until the next entry starts."""
    if not lines:
        return []
    labelled = [bool(REFERENCE_LABEL.match(ln.text)) for ln in lines]
    margins: dict[tuple, float] = {}
    for line in lines:
        key = (line.page, line.column)
        margins[key] = min(margins.get(key, line.x0), line.x0, ev.frame.margin(line))
    p = ev.params
    set_in = [ln.x0 - margins[(ln.page, ln.column)] > p.indent * ln.size for ln in lines]
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False)
            if a.page == b.page and a.column == b.column and a.y > b.y]
    tight = statistics.median(gaps) if gaps else 0
    spaced = sum(1 for g in gaps if g > p.reference_space * tight) >= 2
    by_label = sum(labelled) >= 2 and labelled[0]
    hanging = not by_label and sum(set_in) >= p.hanging_share * len(lines) and sum(
        not s for s in set_in) >= 2
    entries: list[list[Line]] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        if previous is None:
            starts = True
        elif by_label:
            starts = labelled[index]
        elif hanging:
            starts = not set_in[index]
        elif spaced and previous.page == line.page and previous.column == line.column:
            starts = previous.y - line.y > p.reference_space * tight
        else:
            starts = previous.text.rstrip().endswith(".") and ev.frame.short(previous)
        if starts:
            entries.append([line])
        else:
            entries[-1].append(line)
    return entries


def read_references(blocks: list[RawBlock], ev: Evidence) -> tuple[list[Reference], list[str]]:
    """The entries of a reference list, and the publication lines printed after it
    ("RECEIVED: …"), which are no references."""
    references: list[Reference] = []
    publication: list[str] = []
    for entry in split_references([ln for b in blocks for ln in b.lines], ev):
        if publication_line(entry[0]):
            publication.append(plain(text_of(rich_text(entry, ev))))
        else:
            references.append(Reference(link_urls(rich_text(entry, ev)), box_of(entry, ev.params)))
    return references, publication
