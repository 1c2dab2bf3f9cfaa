"""An abstract set in the right cell of a two-cell box ("ARTICLE INFO | ABSTRACT",
letter-spaced) that the layout read into lines holding both cells: the right cell's text
is the abstract, the left cell's words (article type, dates, keywords) stay where they
were, and the text below the box is not taken."""

from __future__ import annotations

from segment_lines import LEFT, filler, line

from flows.layout_model import Line, Span
from flows.profile import DEFAULT_STYLE
from flows.segment.abstracts import cell_abstract
from flows.segment.params import DEFAULT_PARAMS

CELL = LEFT + 120  # where the right cell starts
SIZE = 8.0


def _two_cells(left: str, right: str, y: float) -> Line:
    return Line(1, [Span(left, False, False, False, SIZE, "Serif", LEFT),
                    Span("\t" + right, False, False, False, SIZE, "Serif", CELL)],
                LEFT, LEFT + 480, y, SIZE, (LEFT, LEFT + 480))


def test_the_right_cell_of_a_box_read_as_one_line_with_the_left_is_the_abstract() -> None:
    heading = line("A R T I C L E I N F O A B S T R A C T", 600, size=SIZE, bold=True,
                   x1=LEFT + 300)
    both = [_two_cells("Article type:", "Objective(s): " + filler(8), 586),
            _two_cells("Review article", filler(9, 2), 577)]
    alone = [line(filler(9, 3), 568 - 9 * i, size=SIZE, x0=CELL, x1=LEFT + 480)
             for i in range(3)]
    sidebar = line("Received: May 18", 570, size=SIZE, x1=LEFT + 90)
    body = [line("Introduction", 500, bold=True, x1=LEFT + 60),
            line(filler(7), 488, x0=CELL + 100)]
    found = cell_abstract([heading, *both, sidebar, *alone, *body], DEFAULT_STYLE,
                          DEFAULT_PARAMS)
    assert found is not None
    abstract, left = found
    assert abstract.heading == "ABSTRACT" and abstract.lines[0] is heading
    assert [ln.text for ln in abstract.lines[1:]] == [
        "Objective(s): " + filler(8), filler(9, 2), *(ln.text for ln in alone)]
    assert [left[id(ln)].text for ln in both] == ["Article type:", "Review article"]
    assert all(left[id(ln)] is None for ln in alone) and id(sidebar) not in left


def test_a_heading_without_lines_of_two_cells_under_it_is_no_box() -> None:
    heading = line("A R T I C L E I N F O A B S T R A C T", 600, size=SIZE, x1=LEFT + 300)
    text = [line(filler(9, i), 586 - 9 * i, size=SIZE) for i in range(4)]
    assert cell_abstract([heading, *text], DEFAULT_STYLE, DEFAULT_PARAMS) is None
