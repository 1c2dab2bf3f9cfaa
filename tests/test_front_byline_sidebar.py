"""Bylines and sidebars beside a single article's title: a sidebar of small lines (licence,
DOI) read between the title and its byline does not hide the byline and stays in the text
after the head; names set one a line in the margin column beside the text, below the
title and at least as large as the text, are the byline the title lacks, while the small
notes of such a column (editor, correspondence) are not."""

from __future__ import annotations

from segment_lines import evidence_of, line, paragraph

from flows.layout_model import Role
from flows.profile import DEFAULT_STYLE
from flows.segment.head import read_head, sidebar_byline
from flows.segment.images import ImageClaims

TEXT = paragraph(400, 12, start=5)  # sets the body size (10 pt)
TITLE = [line("A Study of Water Near", 700, size=18.0, x1=300),
         line("Hydrophilic Surfaces", 680, size=18.0, x1=260)]


def aside(text: str, y: float, size: float) -> object:
    return line(text, y, size=size, x0=20, x1=120, role=Role.ASIDE, column=(20, 120))


def test_a_sidebar_between_title_and_byline_is_set_aside() -> None:
    sidebar = [line("The Author(s) 2018", 698, size=7.0, x0=440, x1=540),
               line("DOI: 10.1000/xyz123", 690, size=7.0, x0=440, x1=540)]
    byline = line("Ana Souza1, Wei Chen1 and Rui Lopes2", 650, size=12.0, x1=330)
    lines = [*TITLE, *sidebar, byline, *TEXT]
    part, rest, _ = read_head(lines, 1, evidence_of(lines), DEFAULT_STYLE,
                              ImageClaims({}))
    assert [c.name for c in part.contributors] == ["Ana Souza", "Wei Chen", "Rui Lopes"]
    assert rest[:2] == sidebar and byline not in rest


def test_a_sidebar_stays_in_place_when_no_byline_follows() -> None:
    sidebar = [line("The Author(s) 2018", 698, size=7.0, x0=440, x1=540)]
    lines = [*TITLE, *sidebar, *TEXT]
    part, rest, _ = read_head(lines, 1, evidence_of(lines), DEFAULT_STYLE,
                              ImageClaims({}))
    assert part.contributors == [] and rest[0] is sidebar[0]


def test_names_one_a_line_in_the_margin_column_are_the_byline() -> None:
    column = [aside("Open Access Full Text Article", 705, 6.0),
              aside("Ana Souza1", 600, 11.0), aside("Wei Chen2", 586, 11.0),
              aside("Rui M Lopes2,3", 572, 11.0),
              aside("1Department of Botany, University of Porto", 556, 8.0)]
    evidence = evidence_of([*TITLE, *column, *TEXT])
    people = sidebar_byline(column, TITLE, evidence, DEFAULT_STYLE)
    assert [p.name for p in people] == ["Ana Souza", "Wei Chen", "Rui M Lopes"]


def test_small_names_in_the_margin_column_are_no_byline() -> None:
    column = [aside("Academic editor", 300, 9.0), aside("Ulla Berg", 290, 9.0),
              aside("Corresponding author", 270, 9.0), aside("Ana Souza,", 260, 9.0)]
    evidence = evidence_of([*TITLE, *column, *TEXT])
    assert sidebar_byline(column, TITLE, evidence, DEFAULT_STYLE) == []


def test_names_above_the_title_are_no_byline() -> None:
    column = [aside("Ana Souza", 760, 11.0), aside("Wei Chen", 746, 11.0)]
    evidence = evidence_of([*TITLE, *column, *TEXT])
    assert sidebar_byline(column, TITLE, evidence, DEFAULT_STYLE) == []


def test_a_lone_label_in_the_margin_column_is_no_byline() -> None:
    column = [aside("Original Research", 600, 11.0),
              aside("Text set beside the title in the column.", 560, 11.0)]
    evidence = evidence_of([*TITLE, *column, *TEXT])
    assert sidebar_byline(column, TITLE, evidence, DEFAULT_STYLE) == []
