"""Layout, notes: which lines at the foot of a column are notes, and a note line's label.

Notes sit at the foot of a column in a smaller size (or set off by a wide gap) and begin
with a label; a note area whose labels are never called from the text is not notes.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

from flows.layout_model import Line, PageLayout, Role
from flows.layout_params import LayoutParams

NOTE_ENDINGS = tuple('.?!"”’)')
# The marks a note can be labelled with: a number or one of the traditional symbols
# (doubled symbols — "**", "††" — count as their own labels).
_MARK = r"(?:\d{1,3}|\*{1,3}|†{1,2}|‡{1,2}|[§¶])"
# Notes labelled with letters (a, b, c: often where the references are numbered) set the
# letter raised or in brackets, "a)", "(a)", "[a]": a bare "a" opening a line is a word.
_LETTER = r"[a-z]"
# A note's label as typesetters set it: "1", "1.", "1)", "(1)", "[1]", then a space or the
# note's first word set against it ("1Challenges", "(1)\"Title\"", "*Corresponding"). A
# bracketed label may be followed by anything; a bare one by a letter or an opening quote.
NOTE_LABEL = re.compile(
    rf"^\s*(?:(?:\((?P<paren>{_MARK}|{_LETTER})\)|\[(?P<bracket>{_MARK}|{_LETTER})\]"
    rf"|(?P<closed>{_LETTER})\))\s*(?=\S)"
    rf"|(?P<bare>{_MARK})[.)]?(?:\s+|(?=[^\W\d_]|[\"“‘'«(\[])))")
RAISED_LABEL = re.compile(rf"\s*[(\[]?({_MARK}|{_LETTER})[)\]]?[.)]?\s*")
# A callout set raised in parentheses, as word processors set them ("(1)"); a raised "[1]"
# is how many journals cite their references, never a note's call.
PAREN_CALL = re.compile(rf"\s*\((?P<mark>{_MARK}|{_LETTER})\)\s*")
# The label at the head of a line known to open a note, with what sets it off.
LABEL_PREFIX = re.compile(
    rf"^\s*(?:\((?:{_MARK}|{_LETTER})\)|\[(?:{_MARK}|{_LETTER})\]|{_LETTER}\)|{_MARK}[.)]?)\s*")


def label_match(text: str) -> re.Match[str] | None:
    """The label opening a note line set in text (not raised).

    A bare number set against a word ("1Challenges") is a label only in a note area, which
    is where this is asked; a bracketed one ("(1)Challenges") always is."""
    return NOTE_LABEL.match(text)


def label_of(match: re.Match[str]) -> str:
    """The label itself, without the brackets or stop it is set with: notes are called by
    that ("(1)" at the foot is called by a raised "1")."""
    return (match.group("paren") or match.group("bracket") or match.group("closed")
            or match.group("bare"))


def without_label(text: str) -> str:
    """A note's first line without its label and the space after it."""
    return LABEL_PREFIX.sub("", text, count=1)


def called_mark(text: str) -> str:
    """The mark a raised callout calls: "(1)" calls the note labelled 1."""
    match = PAREN_CALL.fullmatch(text)
    return match.group("mark") if match else text.strip()


def note_label(line: Line) -> str | None:
    """The label a note line starts with: a raised mark, or a mark set off as a label."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None or not re.search(r"[^\W\d_]{2}", line.text):
        return None  # a note says something in words; a row of figures is a table's
    if first.raised and (raised := RAISED_LABEL.fullmatch(first.text)):
        return raised.group(1)
    match = label_match(line.text)
    return label_of(match) if match else None


def mark_notes(pages: list[PageLayout], size: float, p: LayoutParams) -> None:
    """Notes sit at the foot of a column in a smaller size and begin with a label.

    Walk each column's lines from the bottom up while they are smaller than the body; the
    run of them is a note area when it begins with a label, or continues a note area of the
    previous column or page.
    """
    carrying = False
    raised_before: set[str] = set()  # raised marks of the previous page
    for page in pages:
        raised_here = {called_mark(s.text) for ln in page.lines for s in ln.spans if s.raised}
        called_before, raised_before = raised_before, raised_here
        columns: dict[tuple[float, float], list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role is Role.BODY:
                columns[line.column].append(line)
        if not any(ln.size >= p.small_type * size for c in columns.values() for ln in c):
            carrying = False
            continue  # a page of only small text (a board list, a colophon) has no notes
        for column in sorted(columns, key=lambda c: c[0]):
            lines = sorted(columns[column], key=lambda ln: -ln.y)
            area: list[Line] = []
            for line in reversed(lines):
                if line.size < p.small_type * size:
                    area.append(line)
                else:
                    break
            area.reverse()
            if not area:
                area = _separated_foot(lines) or _called_foot(lines, called_before, p)
            if not area:
                continue
            labelled = [(i, label) for i, ln in enumerate(area) if (label := note_label(ln))]
            # letters open the notes only where no number or symbol does (a legend's "(a)"
            # may stand above numbered notes)
            marked = [i for i, label in labelled if not label.isalpha()]
            start = marked[0] if marked else labelled[0][0] if labelled else None
            # Where the notes begin: at the top of the small type when a note runs on from
            # the previous page, else at the first label.
            options = ([0] if carrying else []) + ([start] if start is not None else [])
            first = next((i for i in dict.fromkeys(options)
                          if _opens_note_area(area, i, start, lines, columns, column, size, p)),
                         None)
            if first is None:
                continue
            for line in area[first:]:
                line.role = Role.NOTE
            # the last note runs on into the next column or page unless it closes a sentence
            carrying = not area[-1].text.rstrip().endswith(NOTE_ENDINGS)
        _join_note_strays(page, size, p)


def unmark_uncalled_notes(pages: list[PageLayout], p: LayoutParams, size: float) -> None:
    """A note area most of whose labels are never raised in the text is not notes: it is a
    numbered list or table that happens to end a column in small type (a stray exponent
    may share a label or two). Labels in square brackets are how most reference lists are
    numbered, so an area of them is notes only when every label is raised in the text of
    its page or the page before. Letters raised in a table's cells call the table's own
    notes, so an area labelled with letters is notes only when every label is raised in
    running text (body-size lines) of its page or the page before."""
    raised = {page.number: {called_mark(s.text) for line in page.lines
                            if line.role is not Role.NOTE for s in line.spans if s.raised}
              for page in pages}
    in_text = {page.number: {called_mark(s.text) for line in page.lines
                             if line.role is not Role.NOTE
                             and abs(line.size - size) < p.body_size_points
                             for s in line.spans if s.raised}
               for page in pages}
    called = set().union(*raised.values()) if raised else set()
    for page in pages:
        areas: dict[tuple[float, float], list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role is Role.NOTE:
                areas[line.column].append(line)
        near = raised[page.number] | raised.get(page.number - 1, set())
        for area in areas.values():
            labels = {label for ln in area if (label := note_label(ln))}
            # a line of a numbered note may open "a)": letters are the area's labels only
            # when it has no others
            marks = {label for label in labels if not label.isalpha()}
            if labels and not marks:
                uncalled = not labels <= in_text[page.number] | in_text.get(
                    page.number - 1, set())
            elif any(_bracketed(ln) for ln in area):
                uncalled = not marks <= near
            else:
                uncalled = len(marks & called) < p.called_share * len(marks)
            if uncalled:
                for line in area:
                    line.role = Role.BODY
        _seat_overfull_note_lines(page, size, p)  # the notes known, their overfull lines


def _bracketed(line: Line) -> bool:
    """The line opens with a label in square brackets ("[3]")."""
    match = label_match(line.text)
    return match is not None and match.group("bracket") is not None


def _join_note_strays(page: PageLayout, size: float, p: LayoutParams) -> None:
    """A short note line that fits in one column belongs to the notes set across the page
    when it stands among them."""
    notes = [ln for ln in page.lines if ln.role is Role.NOTE]
    if not notes:
        return
    top = max(ln.y for ln in notes)
    left, right = min(ln.x0 for ln in notes), max(ln.x1 for ln in notes)
    for line in page.lines:
        if line.role is Role.BODY and line.size < p.small_type * size and line.y <= top and \
                left - 1 <= line.x0 and line.x1 <= right + 1:
            line.role = Role.NOTE


def _seat_overfull_note_lines(page: PageLayout, size: float, p: LayoutParams) -> None:
    """A note line the typesetter could not break (a long web address) runs on past its
    column's edge, across the gutter, and the layout reads it as a line of the whole page:
    standing closely between two lines of one column's notes and starting at their edge,
    it is one of them, read in its place after the note line above it."""
    for line in list(page.lines):
        if line.role is not Role.BODY or line.size >= p.small_type * size:
            continue
        reach = p.note_run_on * line.size
        notes = [n for n in page.lines if n.role is Role.NOTE and n.column != line.column
                 and n.column[0] - 1 <= line.x0 < n.column[1] < line.x1]
        above = [n for n in notes if 0 < n.y - line.y <= reach]
        below = [n for n in notes if 0 < line.y - n.y <= reach]
        if not above or not below or above[0].column != below[0].column:
            continue
        host = min(above, key=lambda n: n.y)
        page.lines.remove(line)
        page.lines.insert(page.lines.index(host) + 1, line)
        line.role, line.column = Role.NOTE, host.column


def _opens_note_area(area: list[Line], first: int, start: int | None, lines: list[Line],
                     columns: dict, column: tuple[float, float], size: float,
                     p: LayoutParams) -> bool:
    """Notes hang below running text, set off from it; a continued note starts at the
    column's edge (set-in small lines — a signature, a caption — are not notes); a box of
    small type opening a part, with no running text above it, is not notes."""
    line = area[first]
    text_above = any(abs(ln.size - size) < p.body_size_points and ln.y > line.y
                     for c in columns.values() for ln in c)
    if not text_above:
        return False
    if first != start and line.x0 - column[0] > 3 * line.size:
        return False
    return _note_area_separated(lines, line, p)


def _separated_foot(lines: list[Line]) -> list[Line]:
    """Notes set as large as the text: the lines below the column's widest gap, when that gap
    is well over the line spacing and the first line below it opens with a raised label."""
    if len(lines) < 4:
        return []
    gaps = [lines[i - 1].y - lines[i].y for i in range(1, len(lines))]
    pitch = statistics.median(gaps)
    index = max(range(len(gaps)), key=lambda i: (gaps[i], i))
    below = lines[index + 1:]
    first = next((s for s in below[0].spans if s.text.strip()), None)
    if gaps[index] < 2 * pitch or first is None or not first.raised or not note_label(below[0]):
        return []
    return below


def _called_foot(lines: list[Line], called_before: set[str], p: LayoutParams) -> list[Line]:
    """Notes set as large as the text and spaced like its paragraphs (a word processor's):
    the lines from the first that opens with a label (raised, or "(1)" in the text: a bare
    "1." opens numbered headings and reference lists as well), set off by more than a
    line's space, down to the column's foot, when the labels there run on one by one and
    each is raised in the text above them (the first may be called at the previous page's
    foot, where its note did not fit), and nothing below is set larger than the first of
    them (affiliations in smaller type under a byline, above the text, are no notes)."""
    if len(lines) < 4:
        return []
    pitch = statistics.median(lines[i - 1].y - lines[i].y for i in range(1, len(lines)))
    for index in range(1, len(lines)):
        line = lines[index]
        if not _foot_label(line) or lines[index - 1].y - line.y <= p.note_space * pitch:
            continue
        if any(ln.size > line.size + p.same_size for ln in lines[index:]):
            continue  # type larger than the first note's below it: text, not its notes
        labels = [label for ln in lines[index:] if (label := _foot_label(ln))]
        if not all(a.isdigit() for a in labels) or any(
                int(b) != int(a) + 1 for a, b in zip(labels, labels[1:], strict=False)):
            continue
        called = {called_mark(s.text) for ln in lines[:index] for s in ln.spans if s.raised}
        if set(labels[1:]) <= called and labels[0] in called | called_before:
            return lines[index:]
    return []


def _foot_label(line: Line) -> str | None:
    """The label of a line that opens with a raised label or one in parentheses."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is not None and first.raised:
        return note_label(line)
    match = label_match(line.text)
    return match.group("paren") if match else None


def _note_area_separated(lines: list[Line], first: Line, p: LayoutParams) -> bool:
    """The note area is set off from the text above it by extra space (and usually a rule)."""
    index = lines.index(first)
    if index == 0:
        return True
    above = lines[index - 1]
    return above.y - first.y > p.note_space * first.size
