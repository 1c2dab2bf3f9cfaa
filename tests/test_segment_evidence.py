"""Stage 1, evidence, on hand-built lines: what the document's own text says about it."""

from __future__ import annotations

import dataclasses

import pytest
from segment_lines import BODY, LEFT, PITCH, RIGHT, evidence_of, line, paragraph

from flows.layout_model import Line, Span
from flows.segment.common import style_of
from flows.segment.evidence import Frame, is_heading
from flows.segment.params import DEFAULT_PARAMS


def page_with_headings() -> list:
    lines = [line("Water in Three Cities", 740, size=14, bold=True, x1=300)]
    lines += paragraph(716, 4)
    lines.append(line("Tariffs", 660, bold=True, x1=120))
    lines += paragraph(640, 4, start=3)
    lines.append(line("Maintenance", 580, bold=True, x1=150))
    lines += paragraph(560, 4, start=5)
    return lines


def test_the_body_style_is_the_style_most_text_is_set_in() -> None:
    evidence = evidence_of(page_with_headings())
    assert evidence.body_style == (BODY, False, False, "Serif")
    assert evidence.body_size == BODY and evidence.pitch == PITCH


def test_heading_styles_rank_by_prominence() -> None:
    lines = page_with_headings()
    evidence = evidence_of(lines)
    assert evidence.heading_levels == {style_of(lines[0]): 1, style_of(lines[5]): 2}
    assert is_heading(lines[5], evidence) and not is_heading(lines[1], evidence)


def test_a_pull_quote_set_large_is_no_heading() -> None:
    lines = page_with_headings() + [line("“Pipes outlast politicians”", 500, size=14,
                                         bold=True, x1=300)]
    evidence = evidence_of(lines)
    assert not is_heading(lines[-1], evidence)


def test_a_style_opening_two_pages_is_the_part_style() -> None:
    first = [line("Foreword", 740, size=18, bold=True, x1=200), *paragraph(716, 5)]
    second = [line("Water Policy", 740, page=2, size=18, bold=True, x1=200),
              *paragraph(716, 5, page=2, start=2)]
    assert evidence_of(first + second).part_style == (18.0, True, False, "Serif")
    assert evidence_of(first).part_style is None  # once is no habit


def test_the_evidence_is_complete_and_frozen() -> None:
    evidence = evidence_of(page_with_headings())
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.part_style = None  # type: ignore[misc]
    assert evidence.params is DEFAULT_PARAMS and evidence.frame is not None
    assert evidence.images == {}


def test_the_frame_finds_the_first_line_indent() -> None:
    lines = paragraph(716, 4) + paragraph(660, 4, start=2)
    frame = Frame(lines, DEFAULT_PARAMS)
    assert frame.indent_paragraphs and frame.indent == 12.0
    assert frame.margin(lines[1]) == LEFT
    assert frame.indented(lines[0]) and not frame.indented(lines[1])
    assert frame.short(lines[3]) and not frame.short(lines[2])


def test_a_short_named_italic_face_with_roman_words_after_it_is_no_heading_font() -> None:
    """Run-in headings in "MinionPro-It" whose lines go on in roman: the face sets short
    phrases that never follow each other, but its lines are paragraphs' first lines."""
    from dataclasses import replace

    from flows.layout_model import Span

    lines = []
    for n, y in enumerate((740, 680, 620)):
        first = line(f"2.{n + 1}. Study Part Number {n + 1}. The", y, x0=LEFT + 12)
        first = replace(first, spans=[
            Span(f"2.{n + 1}. Study Part Number {n + 1}.", False, False, False, BODY,
                 "MinionPro-It"), Span(" The", False, False, False, BODY, "Serif")])
        lines += [first, *paragraph(y - PITCH, 4, indent=0, start=n)]
    evidence = evidence_of(lines)
    assert "MinionPro-It" not in evidence.heading_fonts
    assert not any(is_heading(ln, evidence) for ln in lines)


def test_font_names_say_weight_and_slant_in_full_or_in_short() -> None:
    from flows.fonts import name_styles

    assert name_styles("MinionPro-It") == (False, True)
    assert name_styles("FrutigerBd") == (True, False)
    assert name_styles("NimbusRomNo9L-Medi") == (True, False)
    assert name_styles("Times-BoldItalic") == (True, True)
    assert name_styles("TT2474o00") == (False, False)  # an obfuscated name says nothing
    assert name_styles("AdvOTb83ee1dd.B+fb") == (True, False)  # the bold's ligature font


def _under_a_section_head(heads: list[list[tuple[str, bool]]]) -> list[Line]:
    """A 14 pt section head, then each subhead (words, italic?) over a paragraph of its own."""
    lines = [line("Methods", 760, size=14, bold=True, x1=200)]
    y = 740.0
    for words in heads:
        lines.append(_subhead(words, y))
        lines += paragraph(y - 20, 3, start=int(y) % 7)
        y -= 70
    return lines


def _subhead(words: list[tuple[str, bool]], y: float) -> Line:
    """A bold subhead line whose runs are (text, slanted): names set against the face."""
    spans = [Span(text, True, slanted, False, BODY, "Sans-BoldIt" if slanted else "Sans-Bold")
             for text, slanted in words]
    return Line(1, spans, LEFT, LEFT + 250, y, BODY, (LEFT, RIGHT))


def test_a_subhead_with_its_names_set_upright_keeps_its_level() -> None:
    """Bold-italic subheads whose species names are set bold upright: where the name is
    the longer part, upright is the line's dominant face, but the line is still the same
    subhead and takes the same level."""
    lines = _under_a_section_head([[("Growth of larvae", True)],
                                   [("Yersinia pseudotuberculosis", False), (" uptake", True)],
                                   [("Culture conditions", True)],
                                   [("Escherichia coli", False), (" strains", True)],
                                   [("Survival of infected larvae ", True),
                                    ("G. mellonella", False)]])
    evidence = evidence_of(lines)
    levels = {evidence.heading_levels[style_of(ln)] for ln in lines[1:]
              if style_of(ln) in evidence.heading_levels}
    assert levels == {2}
    assert len({style_of(ln) for ln in lines if ln.bold and ln.size == BODY}) == 3


def test_a_bold_level_with_italic_names_stays_above_a_bold_italic_level() -> None:
    """Bold upright section heads (a slanted name in some) over bold-italic subheads: two
    levels, not one, however the names are set."""
    lines = _under_a_section_head([[("Field work", False)], [("Growth of larvae", True)],
                                   [("Strains of ", False), ("E. coli", True)],
                                   [("Culture conditions", True)],
                                   [("Laboratory work", False)], [("Survival of larvae", True)]])
    evidence = evidence_of(lines)
    assert evidence.heading_levels[style_of(lines[1])] == 2
    assert evidence.heading_levels[style_of(lines[5])] == 3


def test_a_heading_font_embedded_twice_is_one_style() -> None:
    """Section heads in "Corbel-Bold" and in its copy "Corbel-Bold2", embedded again under
    a numbered name: one level. Fonts named by a number only ("F1", "F2") stay two."""
    def heads(fonts: list[str]) -> list[Line]:
        lines, y = [], 740.0
        for n, font in enumerate(fonts):
            lines.append(line(f"Section {n}", y, size=12, bold=True, font=font, x1=200))
            lines += paragraph(y - 20, 3, start=n)
            y -= 70
        return lines

    copied = heads(["Corbel-Bold", "Corbel-Bold2", "Corbel-Bold", "Corbel-Bold2"])
    evidence = evidence_of(copied)
    assert {evidence.heading_levels[style_of(ln)] for ln in copied if ln.bold} == {1}
    numbered = heads(["F1", "F2", "F1", "F2"])
    evidence = evidence_of(numbered)
    assert {evidence.heading_levels[style_of(ln)] for ln in numbered if ln.bold} == {1, 2}
