"""A reference list set in note-sized type, which the layout took for notes: under a
reference heading with no text of its own, the numbered note lines after it (down the page
and on into the next column) are the list; footnotes set before the heading stay notes,
and a heading followed by its own entries keeps them."""

from __future__ import annotations

from segment_lines import evidence_of, filler, line, paragraph

from flows.layout_model import Role
from flows.profile import DEFAULT_STYLE
from flows.segment.back import REFERENCES, split_back
from flows.segment.blocks import RawBlock


def _note(text: str, y: float, page: int = 2) -> object:
    return line(text, y, page=page, size=8.0, role=Role.NOTE)


def test_numbered_note_lines_under_a_reference_heading_are_its_list() -> None:
    text = paragraph(700, 3)
    footnote = _note("1 A footnote on the first page.", 80, page=1)
    heading = line("REFERÊNCIAS", 700, page=2, x1=160)
    entries = [_note(f"{n}. Author A. {filler(6, n)}. J Ex. 2001;{n}:1-9.", 680 - 20 * n)
               for n in range(1, 4)]
    raw = [RawBlock("p", text), RawBlock("heading", [heading], 1)]
    body, zones = split_back(raw, evidence_of([*text, heading]), DEFAULT_STYLE,
                             [footnote, *entries])
    assert [b.lines for b in body] == [text]
    assert [z.kind for z in zones] == [REFERENCES]
    assert [ln for b in zones[0].blocks for ln in b.lines] == entries


def test_a_heading_with_entries_of_its_own_or_unnumbered_notes_takes_no_notes() -> None:
    heading = line("References", 700, page=2, x1=160)
    own = [line(f"{n}. Author B. {filler(6, n)}.", 688 - 12 * n, page=2) for n in range(1, 3)]
    notes = [_note(f"{n}. Author A. {filler(6, n)}.", 80 - 10 * n) for n in range(1, 3)]
    raw = [RawBlock("heading", [heading], 1), RawBlock("p", own)]
    _, zones = split_back(raw, evidence_of([heading, *own]), DEFAULT_STYLE, notes)
    assert [ln for b in zones[0].blocks for ln in b.lines] == own
    plain_notes = [_note("* Corresponding author.", 80)]
    _, zones = split_back(raw[:1], evidence_of([heading]), DEFAULT_STYLE, plain_notes)
    assert zones[0].blocks == []
