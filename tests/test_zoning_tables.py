"""Tables as rows and cells: a cell's text wrapped onto a second line stays in its row."""

from __future__ import annotations

from segment_lines import evidence_of, filler, line

from flows.layout_model import Line, Span
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import cut_blocks
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


def test_rows_a_half_point_smaller_than_the_text_stay_in_the_table() -> None:
    # 10 pt text, 9.5 pt rows (no small type) whose cells are set with word spaces only
    text = [line(filler(11, i), 740 - 12 * i) for i in range(12)]
    caption = line("Table 1. Accessions used in this study", 580, x1=300, size=9.5)
    rows = [line(f"{n} NR Nilambur Kerala 11 17 N 76 19 E 49 2,600", 565 - 11 * n, size=9.5)
            for n in range(1, 5)]
    after = [line(filler(11, 5), 500 - 12 * i) for i in range(3)]
    lines = [*text, caption, *rows, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    cells = [b for b in blocks if b.kind == "cells"]
    assert [b.lines for b in cells] == [rows]
    # the text before and after the table stays text, without the rows
    assert [ln for b in blocks if b.kind == "p" for ln in b.lines] == [*text, *after]


def test_a_paragraph_in_the_text_size_after_a_table_is_no_row() -> None:
    caption = line("Table 1. Accessions used in this study", 700, x1=300, size=9.5)
    rows = [line(f"{n} NR Nilambur Kerala 11 17 N 76 19 E", 685 - 11 * n, size=9.5)
            for n in range(1, 4)]
    after = [line(filler(11, 5), 620 - 12 * i) for i in range(6)]
    lines = [caption, *rows, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert [b.kind for b in blocks] == ["table", "cells", "p"]
    assert blocks[-1].lines == after


def test_rows_set_above_their_caption_go_into_the_table() -> None:
    text = [line(filler(11, i), 740 - 12 * i) for i in range(4)]
    text[-1] = line("and the councils argue about meters.", 704, x1=300)
    head = line("Group\tMethod\tFeatures", 680, size=7, bold=True)
    rows = [line(f"{g}\tApt + {g}\t{10 * n}", 670 - 9 * n, size=7)
            for n, g in enumerate("ABCD")]
    caption = line("Table 1. Feature groups.", 620, x1=300)
    after = [line(filler(11, 6 + i), 596 - 12 * i) for i in range(3)]
    lines = [*text, head, *rows, caption, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert [b.kind for b in blocks] == ["p", "table", "cells", "p"]
    assert blocks[2].lines == [head, *rows]
    assert blocks[-1].lines == after


def test_a_small_line_alone_above_a_caption_stays_where_it_is() -> None:
    text = [line(filler(11, i), 740 - 12 * i) for i in range(4)]
    note = line("Source: the water boards.", 690, x1=200, size=7)
    caption = line("Table 2. Tariffs.", 660, x1=300)
    lines = [*text, note, caption]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert "cells" not in [b.kind for b in blocks]
    assert any(note in b.lines for b in blocks if b.kind == "p")
