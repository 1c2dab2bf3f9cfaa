"""Paragraphs set apart by a little space and no first-line indent (word processors, browsers,
Typst): the space the typesetter adds can be less than the gap that breaks a paragraph
anywhere (6 pt on a 15 pt pitch), and it must still cut; the same gap in a document whose
paragraphs are indented, or a smaller one inside a spaced document, must not."""

from __future__ import annotations

from dataclasses import replace

from segment_lines import LEFT, PITCH, evidence_of, filler, line, paragraph

from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import cut_blocks

SPACE = 0.35 * PITCH  # the extra space between paragraphs: under `paragraph_gap`


def spaced(count: int, lines: int = 4, top: float = 760, extra: float = SPACE,
           inside: float = 0.0) -> list:
    """`count` paragraphs at the margin, `extra` points apart; `inside` adds space above the
    second line of each paragraph (a line raised by a superscript or a taller glyph)."""
    out, y = [], top
    for n in range(count):
        for i in range(lines):
            last = i == lines - 1
            out.append(line(filler(4, n + i) + " the end." if last else filler(11, n + i), y,
                            x1=LEFT + 200 if last else None))
            y -= PITCH + (inside if i == 0 else 0)
        y -= extra
    return out


def sizes(blocks) -> list[int]:
    return [len(b.lines) for b in blocks if b.kind == "p"]


def test_a_small_space_between_unindented_paragraphs_cuts_them() -> None:
    lines = spaced(8)
    ev = evidence_of(lines)
    assert ev.spaced_paragraphs
    blocks = cut_blocks(lines, ev, DEFAULT_STYLE)
    assert sizes(blocks) == [4] * 8


def test_a_smaller_step_inside_a_spaced_paragraph_does_not_cut_it() -> None:
    # a superscript or an accent opens a line's leading by a tenth of the pitch
    lines = spaced(8, inside=0.12 * PITCH)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert sizes(blocks) == [4] * 8


def test_the_same_step_in_an_indented_document_does_not_cut_a_paragraph() -> None:
    # paragraphs shown by indents; once, mid-paragraph, a line stands that little further
    # down (a taller glyph): the document is not spaced, and the step is no cut
    lines = []
    for n in range(8):
        lines += paragraph(760 - 5 * PITCH * n, 5, start=n)
    moved = 5 * 3 + 2  # the third line of the fourth paragraph, and the lines after it
    lines = lines[:moved] + [replace(ln, y=ln.y - SPACE) for ln in lines[moved:]]
    ev = evidence_of(lines)
    assert not ev.spaced_paragraphs
    blocks = cut_blocks(lines, ev, DEFAULT_STYLE)
    assert sizes(blocks) == [5] * 8


def test_across_a_page_a_closed_short_line_ends_a_spaced_paragraph_indent_or_none() -> None:
    # spaced paragraphs, most also indented; the page turns after a paragraph's short
    # closing line, and the next opens at the margin: no space shows it, the short line does
    lines = []
    for n in range(8):
        lines += paragraph(760 - (4 * PITCH + SPACE) * n, 4, start=n)
    turn = [line(filler(11, 90), 760, page=2), line(filler(11, 91), 748, page=2),
            line(filler(4, 92) + " the end.", 736, page=2, x1=LEFT + 200)]
    run_on = [replace(ln, page=3) for ln in turn]
    ev = evidence_of(lines + turn)
    assert ev.spaced_paragraphs and ev.frame.indent_paragraphs
    blocks = cut_blocks(lines + turn, ev, DEFAULT_STYLE)
    assert sizes(blocks) == [4] * 8 + [3]
    # a page that turns mid-sentence, on a full line, runs the paragraph on
    open_end = lines[:-1] + [replace(lines[-1], spans=lines[-2].spans, x1=lines[-2].x1)]
    blocks = cut_blocks(open_end + run_on, evidence_of(open_end + run_on), DEFAULT_STYLE)
    assert sizes(blocks) == [4] * 7 + [7]
