"""Headings known by their section number where their face says nothing (the text's own
face, or an italic the text also sets), and run-in headings wrapped over two lines."""

from __future__ import annotations

from dataclasses import replace

from segment_lines import BODY, LEFT, evidence_of, line, paragraph

from flows.layout_model import Span
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import RawBlock
from flows.segment.nesting import outline_headings, split_run_in_headings


def _article() -> tuple[list[RawBlock], object]:
    results = line("3. Results", 760, size=12, bold=True, x1=160)
    text = paragraph(740, 4)
    sub = line("3.1. Effect of volatiles", 680, x1=200)  # the text's own face
    more = paragraph(666, 4, start=3)
    evidence = evidence_of([results, *text, sub, *more])
    return [RawBlock("heading", [results], 1), RawBlock("p", text), RawBlock("p", [sub]),
            RawBlock("p", more)], evidence


def test_a_short_paragraph_opening_with_the_next_number_is_a_heading() -> None:
    raw, evidence = _article()
    out = outline_headings(raw, evidence, DEFAULT_STYLE)
    assert [(b.kind, b.level) for b in out] == [("heading", 1), ("p", 0), ("heading", 2),
                                                 ("p", 0)]
    assert out[2].lines == raw[2].lines


def test_numbers_the_headings_do_not_lead_to_stay_text() -> None:
    raw, evidence = _article()
    for number in ("3.2. Effect of volatiles", "5. Effect of volatiles",
                   "3.1. Effect of volatiles on the fungi in the field."):
        raw[2] = RawBlock("p", [line(number, 680, x1=300)])
        assert [b.kind for b in outline_headings(raw, evidence, DEFAULT_STYLE)] == \
            ["heading", "p", "p", "p"], number
    # a next number of one part is a heading only in the face of the headings numbered so
    raw[2] = RawBlock("p", [line("4. Effect of volatiles", 680, x1=200)])
    assert outline_headings(raw, evidence, DEFAULT_STYLE)[2].kind == "p"
    raw[2] = RawBlock("p", [line("4. Discussion", 680, size=12, bold=True, x1=200)])
    assert [(b.kind, b.level) for b in outline_headings(raw, evidence, DEFAULT_STYLE)][2] == \
        ("heading", 1)


def test_a_numbered_heading_at_the_top_of_a_page_leaves_the_paragraph_above() -> None:
    raw, evidence = _article()
    top = line("3.2. Effect of oils", 760, page=2, x1=200)
    raw[3] = RawBlock("p", [*raw[3].lines, top])
    out = outline_headings(raw, evidence, DEFAULT_STYLE)
    assert [b.kind for b in out] == ["heading", "p", "heading", "p", "heading"]
    assert out[3].lines == raw[3].lines[:-1] and out[4].lines == [top]
    # on the same page, after the sentence ends, it is the paragraph's own last line
    raw[3] = RawBlock("p", [*raw[3].lines[:-1], replace(top, page=1, y=600)])
    assert [b.kind for b in outline_headings(raw, evidence, DEFAULT_STYLE)][-1] == "p"


def test_reference_entries_after_the_references_heading_stay_entries() -> None:
    raw, evidence = _article()
    raw[2:] = [RawBlock("heading", [line("References", 680, size=12, bold=True, x1=160)], 1),
               RawBlock("p", [line("3.1. Smith J", 660, x1=200)])]
    assert outline_headings(raw, evidence, DEFAULT_STYLE)[-1].kind == "p"


def _run_in(text: str, heading: str, y: float) -> list:
    """A paragraph opening with an italic run-in heading."""
    first = line(f"{heading} {text}", y, x0=LEFT)
    first = replace(first, spans=[Span(heading, False, True, False, BODY, "Serif-Italic"),
                                  Span(f" {text}", False, False, False, BODY, "Serif")])
    return [first, *paragraph(y - 12, 3, indent=0, start=int(y) % 5)]


def test_a_run_in_heading_wrapped_after_a_line_set_whole_in_its_face_is_one_heading() -> None:
    """"2.5. Reverse Transcriptase Polymerase Chain Reaction (RT-" fills its line in
    italic, "PCR Analysis)." opens the next line and the text runs on: one heading."""
    one = _run_in("Cells were grown in the usual medium.", "2.4. Culture.", 760)
    full = line("2.5. Reverse Transcriptase Polymerase Chain Reaction (RT-", 700,
                italic=True, font="Serif-Italic")
    rest = _run_in("Total RNA was taken from the cells.", "PCR Analysis).", 688)
    two = _run_in("Means were compared by the usual test.", "2.6. Statistics.", 620)
    evidence = evidence_of([*one, full, *rest, *two])
    raw = [RawBlock("p", one), RawBlock("heading", [full], 2), RawBlock("p", rest),
           RawBlock("p", two)]
    out = split_run_in_headings(raw, evidence, DEFAULT_STYLE)
    headings = [" ".join(ln.text.strip() for ln in b.lines) for b in out
                if b.kind == "heading"]
    assert headings == ["2.4. Culture", "2.5. Reverse Transcriptase Polymerase Chain "
                        "Reaction (RT- PCR Analysis)", "2.6. Statistics"]
