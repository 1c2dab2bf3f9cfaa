"""Features of one line among its neighbours, for the learned line classifier.

Shared by inference (flows/line_model.py, called where the rules take a line for a heading)
and training (tests/train_lines.py), so both measure a line the same way. Every feature is
a plain number computed from the evidence the segmenter already has: the line's style
against the body style, its place in its column and the lines just before and after it in
the run being cut into blocks. Distances are in line pitches or em, widths in shares of the
column, so that documents set in any size compare.
"""

from __future__ import annotations

import re
from collections import Counter

from flows.layout_model import Line
from flows.segment.common import TERMINAL, style_of
from flows.segment.evidence import Evidence, Frame, is_heading

# "2", "2.1", "2.1.3" or "2.1." opening a line, then a word: a section number
SECTION_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
# "II.", "IV " or "A." opening a line: a roman or letter section number
LETTER_NUMBER = re.compile(r"^\s*(?:[IVXLC]{1,5}|[A-H])[.)]?\s+[A-Z]")
# what a reference entry shows: a year, initials, "et al"
YEAR = re.compile(r"\b(?:1[89]|20)\d\d[a-z]?\b")
INITIALS = re.compile(r"\b[A-Z]\.(?:\s?[A-Z]\.)*(?=[\s,;]|$)")
ET_AL = re.compile(r"\bet al\b", re.I)
NO_LINE = -1.0  # a gap to a neighbour that is on another page or column, or absent
FAR = 6.0  # pitches: gaps are capped here, a wider one says no more

FEATURES = (
    "size_ratio", "bold", "italic", "bold_share", "caps", "title_words", "level_share",
    "heading_font", "other_font", "style_share", "same_style_before", "same_style_after",
    "before_size_ratio", "after_size_ratio", "after_body_style", "before_body_style",
    "gap_above", "gap_below", "indent", "width_share", "centred", "ends_period",
    "ends_colon", "ends_comma", "section_number", "number_depth", "letter_number", "words",
    "chars", "digit_share", "commas", "year", "initials", "et_al", "after_lower",
    "before_closed", "after_indent", "first_on_page", "last_on_page", "after_bold",
    "before_bold",
)


def _gap(upper: Line | None, lower: Line | None, pitch: float) -> float:
    """Baseline distance between two lines read one after the other, in pitches."""
    if upper is None or lower is None or upper.page != lower.page or \
            upper.column != lower.column or upper.y <= lower.y:
        return NO_LINE
    return min((upper.y - lower.y) / pitch, FAR)


def _letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha()]


def heading_candidates(lines: list[Line], ev: Evidence, frame: Frame
                       ) -> list[tuple[int, list[float]]]:
    """The lines the rules take for headings, by index, each with its features: what the
    model is asked about, in training as at run time."""
    styles = Counter(style_of(ln) for ln in lines)
    return [(index, line_features(lines, index, ev, frame, styles))
            for index, line in enumerate(lines) if line.text.strip() and is_heading(line, ev)]


def line_features(lines: list[Line], index: int, ev: Evidence, frame: Frame,
                  styles: Counter | None = None) -> list[float]:
    """The features of `lines[index]`, in the order of FEATURES; `styles` counts the styles
    of `lines` when the caller has counted them already."""
    if styles is None:
        styles = Counter(style_of(ln) for ln in lines)
    line = lines[index]
    before = lines[index - 1] if index > 0 else None
    after = lines[index + 1] if index + 1 < len(lines) else None
    text = line.text.strip()
    words = text.split()
    letters = _letters(text)
    body = ev.body_size or line.size or 1.0
    pitch = ev.pitch or body * ev.params.leading
    style = style_of(line)
    styled = [s for s in line.spans if not s.raised and s.text.strip()]
    chars = sum(len(s.text.strip()) for s in styled) or 1
    width = max(frame.right(line) - frame.margin(line), line.size)
    centre = (frame.right(line) + frame.margin(line)) / 2
    number = SECTION_NUMBER.match(text)
    levels = len(ev.heading_ranks) or 1
    return [
        line.size / body,
        float(line.bold),
        float(line.italic),
        sum(len(s.text.strip()) for s in styled if s.bold) / chars,
        float(bool(letters) and len(letters) > 1 and all(c.isupper() for c in letters)),
        sum(1 for w in words if w[:1].isupper()) / len(words) if words else 0.0,
        ev.heading_ranks.get(style, levels + 1) / levels,
        float(line.font in ev.heading_fonts),
        float(line.font != ev.body_style[3]),
        styles[style] / len(lines),
        float(before is not None and style_of(before) == style),
        float(after is not None and style_of(after) == style),
        before.size / body if before is not None else 0.0,
        after.size / body if after is not None else 0.0,
        float(after is not None and style_of(after) == ev.body_style),
        float(before is not None and style_of(before) == ev.body_style),
        _gap(before, line, pitch),
        _gap(line, after, pitch),
        (line.x0 - frame.margin(line)) / max(line.size, 1.0),
        (line.x1 - line.x0) / width,
        abs((line.x0 + line.x1) / 2 - centre) / width,
        float(text.endswith(".")),
        float(text.endswith(":")),
        float(text.endswith((",", ";"))),
        float(number is not None),
        float(number.group(1).count(".") + 1) if number else 0.0,
        float(bool(LETTER_NUMBER.match(text))),
        float(len(words)),
        float(len(text)),
        sum(c.isdigit() for c in text) / len(text) if text else 0.0,
        float(text.count(",")),
        float(bool(YEAR.search(text))),
        float(len(INITIALS.findall(text))),
        float(bool(ET_AL.search(text))),
        float(after is not None and after.text.strip()[:1].islower()),
        float(before is None or before.text.rstrip().endswith(TERMINAL)),
        (after.x0 - frame.margin(after)) / max(after.size, 1.0) if after is not None else 0.0,
        float(before is None or before.page != line.page),
        float(after is None or after.page != line.page),
        float(after is not None and after.bold),
        float(before is not None and before.bold),
    ]
