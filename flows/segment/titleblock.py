"""Stage 2b — a single article's title block: which lines of its first page are its title.

The title is the largest type near the top of the first page that reads as a title: a few
lines set in one size one under another (a word in italic, a species name, does not end
it). What is set larger but is not the title is left out by kind of layout:
- a journal's name or logo, which the journal repeats on its other pages (a running head,
  a footer citation), or a word or two standing alone;
- an article-type label ("Research Article") set in the title's size but another style
  just above it;
- the small-type lines of a metadata sidebar set beside the title, which the reading order
  interleaves with the title lines.

A subscript or superscript the layout set apart as a line of its own, standing between
two runs of a title line on its baseline (the "2" of CO₂), goes back into that line.

Input: the split of a single article and the page layout. Output: a new split whose part
begins with the title lines, everything above or beside them moved to the front matter.
Invariant: lines are only moved between the front matter and the part, never added or
dropped (a script set apart is merged into its title line); the order of the lines that
are not moved is kept.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flows.layout_model import Layout, Line
from flows.segment.common import plain
from flows.segment.params import SegmentParams
from flows.segment.parts import PartLines, Split

# The thresholds are `SegmentParams`: runs set smaller than `title_span_size` × their
# line's size are not the title's words; lines within `same_size` points of the title's
# size are set in it; successive title lines stand at most `title_leading` × their size
# apart. A run of fewer than TITLE_MIN_WORDS words is a logo or a label when a run of more,
# set at least `title_run_ratio` × its size, stands on the page too (a one-word title set
# far larger than anything else is still the title).
TITLE_MIN_WORDS = 3
# A leading line of at most this many words, set in the title's size but in another
# style, is an article-type label above the title.
LABEL_WORDS = 3
# A candidate of at most this many words found on another page followed by a number (a
# volume or a year: "Journal 12 (2020)", "Journal 2020, 22") is the journal's name in
# its running heads and footer citations, not the title (a running head that repeats the
# title is followed by the authors' names, a footer citing the article by more words).
JOURNAL_NAME_WORDS = 8


def _style(line: Line) -> tuple[bool, bool, str]:
    return line.bold, line.italic, line.font


def _runs(lines: list[Line], size: float, params: SegmentParams) -> list[list[Line]]:
    """The lines set in `size`, grouped into runs standing one under another."""
    sized = sorted((ln for ln in lines if abs(ln.size - size) <= params.same_size),
                   key=lambda ln: -ln.y)
    runs: list[list[Line]] = []
    for line in sized:
        if runs and 0 <= runs[-1][-1].y - line.y <= params.title_leading * size:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _aligned(line: Line, other: Line, params: SegmentParams) -> bool:
    """The two lines share a left edge, a right edge or a centre."""
    tolerance = params.title_align * line.size
    return min(abs(line.x0 - other.x0), abs(line.x1 - other.x1),
               abs(line.x0 + line.x1 - other.x0 - other.x1) / 2) <= tolerance


def _without_label(run: list[Line], params: SegmentParams) -> list[Line]:
    """The run without an article-type label above the title: a line of a few words set
    in another style, or in the title's style but aligned with none of its edges (flush
    left over a centred title)."""
    if len(run) > 1 and len(plain(run[0].text).split()) <= LABEL_WORDS and (
            _style(run[0]) != _style(run[1]) or not _aligned(run[0], run[1], params)):
        return run[1:]
    return run


# A journal's name abbreviated in its running heads ("Iran J Basic Med Sci" for "Iranian
# Journal of Basic Medical Sciences") keeps at least this many of its capitalised words.
ABBREVIATED_WORDS = 3


def _abbreviation(text: str) -> str:
    """A pattern for the name abbreviated word by word: each capitalised word cut to a
    prefix (with or without its full stop), its lowercase words left out; "" for a name
    of fewer than ABBREVIATED_WORDS capitalised words."""
    capitals = [word for word in re.findall(r"[^\W\d_]+", text) if word[:1].isupper()]
    if len(capitals) < ABBREVIATED_WORDS:
        return ""
    prefixes = ["(?:" + "|".join(re.escape(word[:k].lower()) for k in range(len(word), 0, -1))
                + r")\.?" for word in capitals]
    return r"\b" + r"\s+".join(prefixes) + r"(?![^\W\d_])"


def title_run(first_page: list[Line], elsewhere: str, body_size: float,
              params: SegmentParams) -> list[Line]:
    """The title lines of a first page, top to bottom; [] when no run reads as a title.
    `elsewhere` is the text of the other pages, lowercased, to tell a journal's name."""
    sizes = sorted({round(ln.size * 2) / 2 for ln in first_page if ln.size > body_size},
                   reverse=True)
    runs = [(size, _without_label(run, params)) for size in sizes
            for run in _runs(first_page, size, params)]

    def words(run: list[Line]) -> int:
        return len(plain(" ".join(ln.text for ln in run)).split())

    def journal(run: list[Line]) -> bool:
        text = plain(" ".join(ln.text for ln in run))
        if words(run) > JOURNAL_NAME_WORDS:
            return False
        if re.search(re.escape(text.lower()) + r",?\s+\(?\d", elsewhere):
            return True
        abbreviated = _abbreviation(text)
        return bool(abbreviated) and re.search(abbreviated + r"\s*[,;]?\s+\(?\d|"
                                               + abbreviated + r"\s*,", elsewhere) is not None

    for size, run in runs:
        if journal(run):
            continue
        if words(run) < TITLE_MIN_WORDS and any(
                other_size >= params.title_run_ratio * size and words(other) >= TITLE_MIN_WORDS
                and not journal(other) for other_size, other in runs if other is not run):
            continue  # a logo or a label: a title in nearly its size stands elsewhere
        return run
    return []


# A line of at most this many characters set smaller than a title line, between two of
# its runs and with its baseline within `SegmentParams.script_shift` em of the title
# line's, is a sub- or superscript of the title the layout set apart.
SCRIPT_CHARS = 3


def _with_scripts(run: list[Line], first_page: list[Line], params: SegmentParams
                  ) -> tuple[list[Line], list[Line]]:
    """The title lines with the scripts set apart from them merged in (each as a raised
    run at its place between the line's runs), and the script lines so merged."""
    merged: list[Line] = []
    absorbed: list[Line] = []
    for title in run:
        spans = list(title.spans)
        for line in first_page:
            text = line.text.strip()
            if line in run or not text or len(text) > SCRIPT_CHARS or \
                    line.size >= title.size - params.same_size or line.page != title.page or \
                    abs(line.y - title.y) > params.script_shift * title.size or \
                    not any(span.x and span.x < line.x0 for span in spans) or \
                    not any(span.x >= line.x1 - params.same_size for span in spans):
                continue
            at = next(i for i, span in enumerate(spans) if span.x >= line.x1 - params.same_size)
            spans[at:at] = [replace(span, raised=True) for span in line.spans]
            absorbed.append(line)
        merged.append(replace(title, spans=spans) if spans != title.spans else title)
    return merged, absorbed


def arrange_title(split: Split, layout: Layout, body_size: float, params: SegmentParams
                  ) -> Split:
    """A single article's split with its title lines first in its part; the lines before
    the last title line in reading order (journal furniture, labels, a sidebar beside the
    title) go to the front matter. Unchanged when no title run is found."""
    if not split.single_article or not split.parts:
        return split
    part = split.parts[0]
    page = part.lines[0].page
    # a title's last line can fall in the margin column the layout gives the sidebar
    first_page = [ln for ln in (*split.front, *part.lines, *split.asides) if ln.page == page]
    elsewhere = "\n".join(plain(ln.text).lower() for p in layout.pages if p.number != page
                          for ln in p.lines)
    run = title_run(first_page, elsewhere, body_size, params)
    if not run:
        return split
    in_run = {id(ln) for ln in run}
    ordered = [*split.front, *part.lines]
    last = max((index for index, ln in enumerate(ordered) if id(ln) in in_run), default=-1)
    if last < 0:
        return split
    run, scripts = _with_scripts(run, first_page, params)
    gone = in_run | {id(ln) for ln in scripts}
    front = [ln for ln in ordered[:last] if id(ln) not in gone]
    rest = [ln for ln in ordered[last + 1:] if id(ln) not in gone]
    return replace(split, front=tuple(front),
                   asides=tuple(ln for ln in split.asides if id(ln) not in gone),
                   parts=(PartLines(part.index, tuple(run + rest), part.notes, part.asides),
                          *split.parts[1:]))


def title_lines_of(lines: tuple[Line, ...], params: SegmentParams) -> list[Line]:
    """The title at the head of an arranged part: its first lines set in one size, one
    under another, on its first page."""
    if not lines:
        return []
    run = [lines[0]]
    for line in lines[1:]:
        previous = run[-1]
        if line.page != previous.page or abs(line.size - previous.size) > params.same_size or \
                not 0 <= previous.y - line.y <= params.title_leading * line.size:
            break
        run.append(line)
    return run


def title_text(lines: list[Line], params: SegmentParams) -> str:
    """The title's words: a line's runs set much smaller than it on its baseline (a
    sidebar's words the layout met there) are not the title's; raised or lowered runs
    (CO₂, a note mark) are. A line ending in
    a hyphen, a dash or a slash runs on into the next (titles break at compounds), and so
    does one ending in an opening bracket (a break inside "(Snap25)")."""
    text = ""
    for line in lines:
        piece = plain("".join(span.text for span in line.spans if span.raised
                              or not 0 < span.size < params.title_span_size * line.size))
        text += piece if text.endswith(("-", "‐", "–", "—", "/", "(", "[")) or not text \
            else " " + piece
    return plain(text)
