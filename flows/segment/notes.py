"""Stage 8 — notes: note lines → labelled notes; raised numbers → callouts where the part
has a note with that label; notes called only from the byline → affiliations.

Input: a part's note lines; then the part built so far. Output: the part's notes and
callouts.
Invariant: every note line belongs to exactly one note, in order; a superscript only
changes kind (sup → callout) and is never dropped.
"""

from __future__ import annotations

from collections import Counter

from flows.layout_model import Line, Span
from flows.layout_notes import called_mark, note_label, without_label
from flows.model import (
    ListBlock,
    Note,
    Paragraph,
    Part,
    RichText,
    Section,
    iter_paragraphs,
    iter_sections,
    note_targets,
    target_label,
    walk_blocks,
)
from flows.segment.common import box_of, plain
from flows.segment.evidence import Evidence
from flows.segment.richtext import TextBuilder, link_urls, text_of


def parse_notes(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Group note lines into notes; a line without a label continues the note before it,
    including across pages. A number opening a line is a label only when set raised or when
    it is the next in the sequence ("10 (2017): 22" inside note 9 is text) or numbering
    starts again at 1 on a new page; a letter ("a)", "(b)") set in the text of a note that
    is not labelled with letters is an item of that note's list."""
    notes: list[tuple[str, list[Line]]] = []
    for line in lines:
        label = note_label(line)
        first = next((s for s in line.spans if s.text.strip()), None)
        raised = first is not None and first.raised
        if label is not None and label.isdigit() and notes and notes[-1][0].isdigit() and \
                not raised and int(label) != int(notes[-1][0]) + 1 and \
                not (int(label) == 1 and line.page != notes[-1][1][-1].page):
            label = None
        if label is not None and label.isalpha() and notes and \
                not notes[-1][0].isalpha() and not raised:
            label = None
        if label is not None:
            notes.append((label, [line]))
        elif notes:
            notes[-1][1].append(line)
    return notes


def note_text(label: str, lines: list[Line], ev: Evidence) -> RichText:
    first = lines[0]
    spans = list(first.spans)
    head = next(i for i, s in enumerate(spans) if s.text.strip())
    if spans[head].raised:
        spans = spans[head + 1:]
    else:
        text = without_label(spans[head].text)
        spans = [Span(text, spans[head].bold, spans[head].italic)] + spans[head + 1:]
    builder = TextBuilder(ev)
    builder.add_line(spans, first.soft_hyphen)
    for line in lines[1:]:
        builder.add_line(line.spans, line.soft_hyphen)
    return link_urls(builder.result())


def notes_of_the_byline(part: Part, byline_marks: set[str]) -> None:
    """Notes called only from the authors' names are affiliations, not footnotes."""
    cited = {target_label(i.target) for p in iter_paragraphs(part) for i in p.content
             if i.kind == "callout"}
    cited |= {target_label(i.target) for s in iter_sections(part.blocks) for i in s.title
              if i.kind == "callout"}
    keep: list[Note] = []
    for note in part.notes:
        if note.label in byline_marks and note.label not in cited:
            part.affiliations.append(plain(text_of(note.content)))
        else:
            note.cited = note.label in cited
            keep.append(note)
    part.notes = keep


def confirm_callouts(part: Part) -> None:
    """A superscript number is a callout when this part has a note with that label. Where
    a label repeats (numbering starts again on each page), the n-th callout with it, in
    reading order, calls the n-th note with it. A superscript in parentheses ("(1)", as
    word processors set callouts) calls the note too, unless the part calls its notes with
    bare marks: then it is something else."""
    labels = [n.label for n in part.notes]
    targets: dict[str, list[str]] = {}
    for label, target in zip(labels, note_targets(labels), strict=True):
        targets.setdefault(label, []).append(target)
    sups = [i for rich in _rich_texts(part) for i in rich if i.kind == "sup"]
    bare = any(i.text.strip() in targets for i in sups)
    called: Counter = Counter()
    for inline in sups:
        mark = inline.text.strip() if bare else called_mark(inline.text)
        if mark in targets:
            options = targets[mark]
            inline.kind = "callout"
            inline.target = options[min(called[mark], len(options) - 1)]
            called[mark] += 1


def _rich_texts(part: Part) -> list[RichText]:
    """The texts of a part that call notes, in reading order: its abstract's and body's
    headings, paragraphs and list items."""
    texts: list[RichText] = []
    abstract = [b for section in part.abstract for b in section.blocks]
    for block in walk_blocks(abstract + part.blocks):
        if isinstance(block, Section):
            texts.append(block.title)
        elif isinstance(block, Paragraph):
            texts.append(block.content)
        elif isinstance(block, ListBlock):
            texts.extend(item.content for item in block.items)
    return texts


def read_notes(lines: list[Line], ev: Evidence) -> list[Note]:
    """A part's notes, from the note lines on its pages."""
    return [Note(label, note_text(label, group, ev), box_of(group, ev.params))
            for label, group in parse_notes(lines)]
