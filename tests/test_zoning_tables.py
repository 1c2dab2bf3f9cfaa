"""Tables as rows and cells: a cell's text wrapped onto a second line stays in its row."""

from __future__ import annotations

from flows.layout_model import Line, Span
from flows.segment.nesting import table_rows


def _row(y: float, *cells: tuple[float, str]) -> Line:
    spans = [Span(("\t" if i else "") + text, False, False, False, 8.0, "Sans", x)
             for i, (x, text) in enumerate(cells)]
    return Line(1, spans, cells[0][0], cells[-1][0] + 40, y, 8.0, (72, 540))


def test_a_wrapped_cell_stays_in_its_row_and_column() -> None:
    lines = [_row(700, (72, "Plant"), (180, "Design"), (400, "Score")),
             _row(690, (72, "Aloe vera"), (180, "Randomized trial in 45"), (400, "3")),
             _row(680, (180, "subjects with gingivitis")),
             _row(670, (72, "Green tea"), (180, "Controlled trial"), (400, "5"))]
    assert table_rows(lines, 8.0) == [
        ["Plant", "Design", "Score"],
        ["Aloe vera", "Randomized trial in 45 subjects with gingivitis", "3"],
        ["Green tea", "Controlled trial", "5"]]


def test_a_row_with_an_empty_first_cell_is_a_row_of_its_own() -> None:
    lines = [_row(700, (72, "Group"), (180, "Week 1"), (300, "Week 2")),
             _row(690, (72, "Normal"), (180, "12.5"), (300, "13.0")),
             _row(680, (180, "11.9"), (300, "12.2"))]
    assert table_rows(lines, 8.0) == [["Group", "Week 1", "Week 2"],
                                      ["Normal", "12.5", "13.0"], ["11.9", "12.2"]]
