"""Stage 3b — a single article's abstracts: the article's lines → its abstract, the
abstracts in other languages (`trans-abstract`) and the keywords listed under each.

An abstract opens with one of the house style's abstract headings, set on a line of its own
("ABSTRACT") or run in before the text ("Abstract: …", "RESUMO – …"). It runs on while its
lines keep the size of its text and the spacing between them, and ends at its keyword list,
at the next abstract heading, or where the type or the spacing changes (the first heading
of the text, the metadata below the box).

Input: the article's lines in reading order, the evidence, the house style. Output: the
abstracts found (their lines and keyword lines) and the article's lines without them.
Invariant: lines are only taken out, never added or reordered; a line taken goes to
exactly one abstract or keyword list.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from statistics import median

from flows.layout_model import Line, Span
from flows.profile import HouseStyle
from flows.segment.blocks import caption_kind
from flows.segment.common import plain
from flows.segment.paragraphs import paragraphs_of
from flows.segment.params import SegmentParams
from flows.segment.parts import PartLines, Split
from flows.segment.titleblock import title_lines_of

# An abstract opens on the article's first pages; a heading word later on is body text.
ABSTRACT_PAGES = 2
# Lines of an abstract keep its text size within `SegmentParams.same_size` points (sub- and
# superscript fragments set apart by the layout are shorter than FRAGMENT_CHARS and ride
# along); a gap above a line of more than `abstract_gap` × its usual spacing ends it.
FRAGMENT_CHARS = 3
# A run-in heading is followed by one of these before the text.
RUN_IN = re.compile(r"^\s*[:.–—-]\s*(?=\S)")
# Between two abstracts, up to this many lines set larger than the text or bold are the
# title translated into the second abstract's language.
TRANSLATED_TITLE_LINES = 4
# A structured abstract's part opens with a label of at most this many words and a colon
# ("Background: …"): the label becomes the part's title. A label closed by a full stop
# ("Background. …") is a run-in heading of the paragraph and stays in its text.
LABEL_WORDS = 4
LABEL = re.compile(r"^(?P<label>[A-Z][^:.;,]{0,60}?)\s*:\s+(?=\S)")
# Under a heading set in a cell beside another ("ARTICLE INFO ⇥ ABSTRACT"), the text is
# the first line starting `tab_offset` × the size right of the line's start.
# An abstract without a heading: the last paragraph, of at least UNHEADED_MIN_WORDS words,
# of the lines set across the page before the first text line (`abstract_full_line` of its
# column) set in a column narrower than `abstract_column_share` × the first page's measure.
UNHEADED_MIN_WORDS = 50
# An abstract interrupted mid-sentence at a column's foot (its last line ends in none of
# these) by lines set in another size (the correspondence and licence notes below it in a
# two-column layout) runs on at the head of the next column or page.
SENTENCE_END = (".", "!", "?", ".)", ".]", ".\u201d", ".\"", "\u3002")
# A box's heading line naming its two cells is followed within this many lines by the
# first line holding both cells.
CELL_LOOKAHEAD = 3
# The lines after the abstracts read to tell the script of the article's text.
SCRIPT_SAMPLE_LINES = 20
# A keyword list takes at most this many lines.
KEYWORD_LINES = 4


@dataclass(frozen=True)
class FoundAbstract:
    """One abstract: the heading as printed, whether its text runs in after it, its lines
    (heading line first) and the lines of the keyword list under it."""

    heading: str
    run_in: bool
    lines: tuple[Line, ...]
    keywords: tuple[Line, ...]
    title: tuple[Line, ...] = ()  # the article's title translated, set just above


def abstract_opening(line: Line, style: HouseStyle, labels: bool = False
                     ) -> tuple[str, bool] | None:
    """(the heading as printed, True when the text runs in after it) when the line opens
    an abstract; None otherwise. With `labels`, a structured abstract's first part label
    run in before its text opens one too, its heading "" (the label stays in the text)."""
    text = plain(line.text)
    lower = text.lower()
    if labels:
        for word in sorted(style.abstract_part_labels, key=len, reverse=True):
            rest = text[len(word):]
            if lower.startswith(word) and (re.match(r"\s*[:.]\s*(?=\S)", rest)
                                           or _set_apart(line, word) and rest.strip()):
                return "", True
    for cell in line.text.split("\t") if "\t" in line.text else []:
        if plain(cell).lower().rstrip(" :") in style.abstract_headings:
            return plain(cell).rstrip(" :"), False  # a heading set beside another cell
    headings = style.abstract_headings | style.run_in_abstract_headings
    for word in sorted(headings, key=len, reverse=True):
        if not lower.startswith(word):
            continue
        rest = text[len(word):]
        if not rest.strip(" :.–—-"):
            if word in style.abstract_headings:
                return text[:len(word)], False
            continue  # a section's heading on a line of its own
        if RUN_IN.match(rest) or _set_apart(line, word):
            return text[:len(word)], True
    return None


def _set_apart(line: Line, word: str) -> bool:
    """The heading word is the line's first span, set in another weight, slant or font
    than the text running on after it ("**Abstract** The …")."""
    spans = [s for s in line.spans if s.text.strip()]
    if len(spans) < 2 or plain(spans[0].text).lower() != word:
        return False
    first, second = spans[0], spans[1]
    return (first.bold, first.italic, first.font) != (second.bold, second.italic, second.font)


def is_keyword_line(line: Line, style: HouseStyle) -> bool:
    lower = plain(line.text).lower()
    return any(lower.startswith(label) and re.match(r"\s*[:.–—-]|\s|$", lower[len(label):])
               for label in style.keyword_labels)


def _run(lines: list[Line], start: int, size: float, style: HouseStyle,
         stop_at_keywords: bool, spacing: list[float], params: SegmentParams
         ) -> tuple[int, list[Line]]:
    """The end (exclusive) of the run of lines from `start` set in `size` with even
    spacing (measured on the run, or given by the lines before it), and the run's lines:
    those of a sidebar set beside it are passed over and left out. It stops at a keyword
    list (when asked), at the next abstract heading or at a caption; an abstract's text
    broken off mid-sentence by the notes at a column's foot goes on at the head of the
    next column (`_continuation`)."""
    gaps = list(spacing)
    left, right = lines[start].x0, lines[start].x1
    taken = [lines[start]]
    index = start + 1
    while index < len(lines):
        line = lines[index]
        fragment = len(line.text.strip()) <= FRAGMENT_CHARS and line.size < size
        if line.x1 <= left or line.x0 >= right:  # a sidebar's line, set beside the run
            index += 1
            continue
        if not fragment:
            if abs(line.size - size) > params.same_size and not abstract_opening(line, style):
                # (a keyword list, run without `stop_at_keywords`, ends without a stop)
                resume = _continuation(lines, index, taken[-1], size, style, params) \
                    if stop_at_keywords else None
                if resume is None:
                    break
                index = resume  # the text goes on in the next column: follow it there
                left, right = lines[index].x0, lines[index].x1
                taken.append(lines[index])
                index += 1
                continue
            if abstract_opening(line, style) or caption_kind(line, style):
                break  # the next abstract, or a float's caption set after the text
            if stop_at_keywords and is_keyword_line(line, style):
                break
            # the spacing from the run's last line: a sidebar's lines interleaved in the
            # reading order make the layout's gap_above smaller than the run's own
            previous = taken[-1]
            gap = previous.y - line.y if previous.page == line.page and \
                previous.y > line.y and previous.x0 < line.x1 and line.x0 < previous.x1 \
                else line.gap_above
            if gaps and gap > params.abstract_gap * median(gaps) and not opens_part(line, style):
                break
            if gap > 0:
                gaps.append(gap)
        taken.append(line)
        index += 1
    while index > start + 1 and lines[index - 1] is not taken[-1]:
        index -= 1  # sidebar lines after the run's last line are not passed over
    return index, taken


def _continuation(lines: list[Line], index: int, last: Line, size: float, style: HouseStyle,
                  params: SegmentParams) -> int | None:
    """Where a run that stops at `index`, on a line set in another size, goes on: when its
    `last` line breaks off mid-sentence, or that line says the text is continued on the
    next page ("(Continued on next page)", however the house style words it), the first
    line after `index` set in the run's size, standing in another column (right of the
    last line) or on a later page of the article's first pages, and not a heading of its
    own; None otherwise."""
    marker = plain(lines[index].text).lower().strip("()[]. ")
    if plain(last.text).endswith(SENTENCE_END) and not marker.startswith(
            style.continued_markers):
        return None
    for at in range(index, len(lines)):
        line = lines[at]
        if line.page > last.page + ABSTRACT_PAGES - 1:
            return None
        if abs(line.size - size) > params.same_size:
            continue
        elsewhere = line.page > last.page or (line.page == last.page and line.x0 >= last.x1)
        if not elsewhere or abstract_opening(line, style) or is_keyword_line(line, style) \
                or caption_kind(line, style) or line.bold != last.bold:
            return None
        return at
    return None


def _with_stragglers(text: list[Line], later: list[Line], style: HouseStyle,
                     params: SegmentParams, heading: Line | None = None) -> list[Line]:
    """The run's lines and those the reading order put after it that stand inside its
    box on its last page (a part's short last line the layout gave to a column, the other
    piece of a line it cut in two): set in its size, starting within its measure (as
    widened by the lines found), under its heading (or its first line) and no lower than
    one wide line space under its last line."""
    spacing = [a.y - b.y for a, b in zip(text, text[1:], strict=False)
               if a.page == b.page and a.y > b.y]
    if not spacing:
        return text
    page, size = text[-1].page, text[0].size
    # the box is the run's last column: a run that went on into the next column keeps
    # the lines it left in the one before out of it
    box = [ln for ln in text if ln.page == page and ln.x0 < text[-1].x1
           and text[-1].x0 < ln.x1]
    top, bottom = max(ln.y for ln in box), min(ln.y for ln in box)
    if heading is not None and heading.page == page:
        top = max(top, heading.y - params.same_size)
    bottom -= params.abstract_gap * median(spacing)
    candidates = [ln for ln in later if ln.page == page and bottom <= ln.y <= top
                  and abs(ln.size - size) <= params.same_size
                  and not is_keyword_line(ln, style) and not abstract_opening(ln, style)]
    taken: list[Line] = []
    while True:
        left, right = min(ln.x0 for ln in box), max(ln.x1 for ln in box)
        more = [ln for ln in candidates if left - params.same_size <= ln.x0 < right
                and all(ln is not t for t in taken)]
        if not more:
            break
        taken += more
        box += more
    if not taken:
        return text
    # a line the layout cut in two pieces at one baseline reads left to right
    return sorted([*text, *taken], key=lambda ln: (ln.page, -round(ln.y), ln.x0))


def _script(lines: list[Line]) -> str:
    """The writing system most of the lines' letters belong to ("LATIN", "ARABIC", …)."""
    counts = Counter(unicodedata.name(char, "").split(" ")[0]
                     for line in lines for char in line.text if char.isalpha())
    return counts.most_common(1)[0][0] if counts else ""


def _other_script(lines: list[Line], end: int, text: list[Line], style: HouseStyle,
                  params: SegmentParams) -> tuple[int, list[Line]]:
    """The end and the lines of a second abstract set right under an abstract's text in
    its column, in another size and another script (no heading of its own), of at least
    UNHEADED_MIN_WORDS words; (end, []) when there is none."""
    if end >= len(lines):
        return end, []
    first, last = lines[end], text[-1]
    if first.page != last.page or not (first.x0 < last.x1 and last.x0 < first.x1) or \
            first.bold or abstract_opening(first, style):
        return end, []
    other_end, other = _run(lines, end, first.size, style, True, [], params)
    if _script(other) == _script(text) or \
            sum(len(ln.text.split()) for ln in other) < UNHEADED_MIN_WORDS:
        return end, []
    return other_end, other


def find_abstracts(lines: list[Line], style: HouseStyle, params: SegmentParams,
                   loose: tuple[Line, ...] = ()) -> list[FoundAbstract]:
    """Every abstract opening on the article's first pages, in reading order. `loose`
    lines (those the layout took for notes) may be an abstract's stragglers."""
    if not lines:
        return []
    last_page = lines[0].page + ABSTRACT_PAGES - 1
    found: list[FoundAbstract] = []
    index = 0
    after_last = None  # where the lines after the last abstract found begin
    while index < len(lines) and lines[index].page <= last_page:
        line = lines[index]
        opening = abstract_opening(line, style, labels=not found and line.page == lines[0].page)
        if opening is None:
            index += 1
            continue
        heading, run_in = opening
        text_start = index if run_in else index + 1
        if "\t" in line.text and not run_in:  # the text stands under the heading's cell
            offset = params.tab_offset * line.size
            text_start = next((i for i in range(index + 1, len(lines))
                               if lines[i].x0 > line.x0 + offset), len(lines))
        elif not run_in:  # the text stands under its heading, not in a sidebar beside it
            text_start = next((i for i in range(index + 1, len(lines))
                               if lines[i].x0 < line.x1 and line.x0 < lines[i].x1),
                              len(lines))
        if text_start >= len(lines):
            break
        end, text = _run(lines, text_start, lines[text_start].size, style, True, [], params)
        text = _with_stragglers(text, [*lines[end:], *loose], style, params,
                                None if run_in else line)
        keywords: list[Line] = []
        next_index = end
        if end < len(lines) and is_keyword_line(lines[end], style):
            spacing = [ln.gap_above for ln in text[1:] if ln.gap_above > 0]
            _, keywords = _run(lines, end, lines[end].size, style, False, spacing, params)
            # a keyword list does not go on into another column or page
            keywords = keywords[:KEYWORD_LINES]
            keywords = keywords[:next((i for i, ln in enumerate(keywords) if i and (
                ln.gap_above <= 0 or ln.page != keywords[0].page)), len(keywords))]
            next_index = lines.index(keywords[-1], end) + 1
        between = lines[after_last:index] if after_last is not None else []
        size = lines[text_start].size
        title = tuple(between) if between and len(between) <= TRANSLATED_TITLE_LINES and all(
            ln.bold or ln.size > size + params.same_size for ln in between) else ()
        head = [] if run_in else [line]
        other_end, other = (end, []) if keywords else _other_script(lines, end, text, style,
                                                                    params)
        if other and not run_in:
            # one heading over the abstract set in two scripts, one after the other: the
            # one in the script of the article's text is its abstract, the other its
            # translation
            next_index = other_end
            text_script = _script(lines[other_end:other_end + SCRIPT_SAMPLE_LINES])
            if _script(text) != text_script and _script(other) == text_script:
                text, other = other, text
            found.append(FoundAbstract(heading, run_in, tuple(head + text), (), title))
            found.append(FoundAbstract("", True, tuple(other), ()))
        else:
            found.append(FoundAbstract(heading, run_in, tuple(head + text), tuple(keywords),
                                       title))
        after_last = next_index
        index = max(next_index, index + 1)
    return found


def unheaded_abstract(lines: list[Line], body_size: float, style: HouseStyle,
                      params: SegmentParams) -> FoundAbstract | None:
    """An abstract set without a heading across the page above a text set in columns:
    the last paragraph of the full-width lines under the title block, when it runs to
    UNHEADED_MIN_WORDS words (the lines above it are the byline, the affiliations, the
    dates and the licence, each a short paragraph of its own)."""
    if not lines:
        return None
    page = lines[0].page
    first_page = [ln for ln in lines if ln.page == page]
    widest = max(ln.x1 for ln in first_page) - min(ln.x0 for ln in first_page)
    start = next((i for i, ln in enumerate(first_page) if i and (
        abs(ln.size - body_size) <= params.same_size and not ln.bold
        and ln.column[1] - ln.column[0] < params.abstract_column_share * widest
        and ln.x1 - ln.x0 >= params.abstract_full_line * (ln.column[1] - ln.column[0]))), None)
    if start is None:
        return None
    zone = first_page[len(title_lines_of(tuple(first_page), params)):start]
    while zone and (zone[-1].bold or zone[-1].size > body_size + params.same_size):
        zone.pop()  # the first heading of the text ("1. Introduction")
    label = next((i for i, ln in enumerate(zone) if is_keyword_line(ln, style)), len(zone))
    zone, keywords = zone[:label], zone[label:label + KEYWORD_LINES]
    if not zone:
        return None
    last = paragraphs_of(zone, params)[-1]
    words = sum(len(ln.text.split()) for ln in last)
    if words < UNHEADED_MIN_WORDS or not plain(last[0].text)[:1].isupper() or any(
            ln.size != last[0].size for ln in last):
        return None
    return FoundAbstract("", True, tuple(last), tuple(keywords))


def emphasised_abstract(lines: list[Line], body_size: float, params: SegmentParams
                        ) -> FoundAbstract | None:
    """An abstract set without a heading in the text's size but in another weight or slant
    (all bold, all italic) between the title block and the text: the last paragraph of the
    emphasised lines standing just before the first line set like the text, when it runs
    to UNHEADED_MIN_WORDS words (a byline in the same weight is set larger, or is one
    short paragraph of its own)."""
    if not lines:
        return None
    first_page = [ln for ln in lines if ln.page == lines[0].page]

    def body_sized(line: Line) -> bool:
        return abs(line.size - body_size) <= params.same_size

    title = len(title_lines_of(tuple(first_page), params))
    start = next((i for i in range(title, len(first_page)) if body_sized(first_page[i])
                  and not first_page[i].bold and not first_page[i].italic), None)
    if start is None or start == title:
        return None
    last = first_page[start - 1]
    if not (last.bold or last.italic):
        return None
    run: list[Line] = []
    for line in reversed(first_page[title:start]):
        if not body_sized(line) or (line.bold, line.italic) != (last.bold, last.italic):
            break
        run.insert(0, line)
    if not run:
        return None
    paragraph = paragraphs_of(run, params)[-1]
    words = sum(len(ln.text.split()) for ln in paragraph)
    if words < UNHEADED_MIN_WORDS or not plain(paragraph[0].text)[:1].isupper():
        return None
    return FoundAbstract("", True, tuple(paragraph), ())


def _cell_x(line: Line) -> float | None:
    """Where the second cell of a line holding two cells starts: the place of its first
    span opening with a tab."""
    return next((span.x for span in line.spans if span.text.startswith("\t") and span.x),
                None)


def _piece(line: Line, spans: list[Span], x1: float) -> Line:
    """The part of a line the spans make up, ending at `x1`, its tab dropped."""
    spans = [replace(span, text=span.text.replace("\t", "")) for span in spans]
    x0 = next((span.x for span in spans if span.text.strip() and span.x), line.x0)
    return replace(line, spans=spans, x0=x0, x1=x1)


def cell_abstract(lines: list[Line], style: HouseStyle, params: SegmentParams
                  ) -> tuple[FoundAbstract, dict[int, Line | None]] | None:
    """An abstract set in the right cell of a two-cell box on the first page under a
    heading line naming both cells ("A R T I C L E  I N F O   A B S T R A C T"), which the
    layout read into lines holding both cells ("Article type: ⇥ Objective(s): …"): the
    cell's text line by line, from where the first such line below the heading starts its
    second cell, down to where its size or its spacing changes (`abstract_gap`). Returns
    the abstract and, for each line it takes from, what is left of it (its first cell, or
    None); None when the first page has no such box."""
    if not lines:
        return None
    page = min(ln.page for ln in lines)
    on_page = sorted((ln for ln in lines if ln.page == page), key=lambda ln: -ln.y)
    for index, line in enumerate(on_page):
        # letter-spaced words run together when the space between them is no wider
        text = plain(line.text).lower().replace(" ", "")
        word = next((w for w in sorted(style.abstract_headings, key=len, reverse=True)
                     if text.endswith(w.replace(" ", "")) and len(text) > len(w)), None)
        below = next((o for o in on_page[index + 1:index + 1 + CELL_LOOKAHEAD]
                      if "\t" in o.text), None)
        x = _cell_x(below) if word and below else None
        if x is None or line.x1 <= x:
            continue
        left: dict[int, Line | None] = {id(line): None}
        taken: list[Line] = []
        gaps: list[float] = []
        for other in on_page[index + 1:]:
            if other.x0 >= x - params.same_size:
                at = 0
            elif "\t" in other.text and _cell_x(other) is not None and \
                    abs(_cell_x(other) - x) <= params.same_size:  # type: ignore[operator]
                at = next(i for i, span in enumerate(other.spans) if span.text.startswith("\t"))
            else:
                continue  # the first cell's line
            piece = _piece(other, other.spans[at:], other.x1)
            if taken:
                gap = taken[-1].y - piece.y
                if abs(piece.size - taken[0].size) > params.same_size or abstract_opening(
                        piece, style) or (gaps and gap > params.abstract_gap * median(gaps)):
                    break
                if gap > 0:
                    gaps.append(gap)
            taken.append(piece)
            left[id(other)] = _piece(other, other.spans[:at], x) if at else None
        if len(taken) < 2:
            return None
        heading = word.upper()  # type: ignore[union-attr]
        return FoundAbstract(heading, False, (line, *taken), ()), left
    return None


def take_abstracts(split: Split, style: HouseStyle, body_size: float, params: SegmentParams
                   ) -> tuple[Split, list[FoundAbstract]]:
    """A single article's abstracts taken out of its lines (the split is unchanged for a
    document of several parts, or when the article has none)."""
    if not split.single_article or not split.parts:
        return split, []
    first = split.parts[0]
    cells = cell_abstract([*first.lines, *first.notes], style, params)
    if cells is not None:
        abstract, lefts = cells
        kept = tuple(lefts.get(id(ln), ln) for ln in first.lines if lefts.get(id(ln), ln))
        notes = tuple(lefts.get(id(ln), ln) for ln in first.notes if lefts.get(id(ln), ln))
        return replace(split, parts=(PartLines(first.index, kept, notes, first.asides),
                                     *split.parts[1:])), [abstract]
    found = find_abstracts(list(first.lines), style, params, first.notes)
    if not found:
        unheaded = unheaded_abstract(list(first.lines), body_size, style, params) or \
            emphasised_abstract(list(first.lines), body_size, params)
        found = [unheaded] if unheaded else []
    if not found and first.lines:
        # An abstract set in a box or under a rule at the first page's foot can be taken
        # for its notes by the layout: its heading says what it is.
        last_page = first.lines[0].page + ABSTRACT_PAGES - 1
        found = find_abstracts([ln for ln in first.notes if ln.page <= last_page], style,
                               params)
    if not found:
        return split, []
    taken = {id(ln) for abstract in found
             for ln in abstract.title + abstract.lines + abstract.keywords}
    kept = tuple(ln for ln in first.lines if id(ln) not in taken)
    notes = tuple(ln for ln in first.notes if id(ln) not in taken)
    return replace(split, parts=(PartLines(first.index, kept, notes, first.asides),
                                 *split.parts[1:])), found


def opens_part(line: Line, style: HouseStyle) -> bool:
    """The line opens a part of a structured abstract with its run-in label ("Results:
    …"): the space set above such a part does not end the abstract."""
    label = LABEL.match(plain(line.text))
    return label is not None and part_label(label.group("label"), style)


def part_label(label: str, style: HouseStyle) -> bool:
    """A label naming a part of a structured abstract: a few words, one of them a word
    the house style gives for such parts ("Material and Methods", "Aims/Background")."""
    words = label.split()
    return len(words) <= LABEL_WORDS and words[0][:1].isupper() and any(
        word in style.abstract_section_words
        for word in re.split(r"[\s/&]+", label.lower()) if word)
