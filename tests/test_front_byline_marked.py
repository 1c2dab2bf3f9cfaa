"""A byline set in small type under the title: names carrying affiliation marks
("Souza1, Chen2") are the byline even well below the text's size, and the marks set apart
as a line of their own above the names belong to it; small names without marks stay out
(they may be a note). The affiliations under the byline stop at the text's first heading,
even one set smaller than the text."""

from __future__ import annotations

from dataclasses import replace

from segment_lines import evidence_of, filler, line, paragraph

from flows.layout_model import Span
from flows.profile import DEFAULT_STYLE
from flows.segment.head import read_affiliations, read_byline

TEXT = paragraph(500, 12)  # sets the body size


def test_small_names_with_marks_are_the_byline() -> None:
    names = line("Ana Souza1, Wei Chen2 and Rui Lopes1", 700, size=8.0, x1=300)
    affiliation = line("1. Department of Botany, University of Porto, Portugal", 690, size=8.0)
    evidence = evidence_of([names, affiliation, *TEXT])
    byline, rest = read_byline([names, affiliation, *TEXT], evidence, DEFAULT_STYLE)
    assert byline == "Ana Souza, Wei Chen and Rui Lopes"
    assert rest[0] is affiliation


def test_marks_set_apart_above_the_names_belong_to_the_byline() -> None:
    marks = line("1,2\t3\t1", 706, size=5.0, x1=300)
    names = line("Ana Souza, Wei Chen and Rui Lopes", 700, size=10.0, x1=300)
    evidence = evidence_of([marks, names, *TEXT])
    byline, rest = read_byline([marks, names, *TEXT], evidence, DEFAULT_STYLE)
    assert byline == "Ana Souza, Wei Chen and Rui Lopes" and rest[0] is TEXT[0]


def test_small_names_without_marks_are_no_byline() -> None:
    names = line("Ana Souza, Wei Chen and Rui Lopes", 700, size=8.0, x1=300)
    evidence = evidence_of([names, *TEXT])
    byline, rest = read_byline([names, *TEXT], evidence, DEFAULT_STYLE)
    assert byline == "" and rest[0] is names


def test_affiliations_stop_at_a_small_heading() -> None:
    affiliation = line("1 Department of Botany, University of Porto, Portugal", 690, size=8.0)
    heading = line("Introduction", 670, size=9.0, bold=True, x1=150, font="Sans-Bold")
    lines = [affiliation, heading, *paragraph(655, 12, start=3)]
    evidence = evidence_of([*lines, line(filler(3), 400, size=9.0, bold=True, x1=150,
                                         font="Sans-Bold"), *TEXT])
    affiliations, rest = read_affiliations(lines, evidence, DEFAULT_STYLE)
    assert affiliations == ["1 Department of Botany, University of Porto, Portugal"]
    assert rest[0] is heading


def test_a_bold_byline_goes_on_though_a_symbol_in_a_regular_font_makes_its_first_line_regular(
        ) -> None:
    first = line("Ana Souza, Wei Chen", 700, size=11.0, bold=True, x1=400)
    # the corresponding-author star, set in a symbol font of its own, not bold
    first = replace(first, spans=[*first.spans, Span("*", False, False, False, 11.0, "Symbol"),
                                  Span(", Rui Lopes,", True, False, False, 11.0, "Serif")])
    second = line("Marta Dias and Tiago Reis", 686, size=11.0, bold=True, x1=300)
    lines = [first, second, *TEXT]
    byline, rest = read_byline(lines, evidence_of(lines), DEFAULT_STYLE)
    assert byline == "Ana Souza, Wei Chen, Rui Lopes, Marta Dias and Tiago Reis"
    assert rest[0] is TEXT[0]
