"""A two-column page whose producer draws the left and the right column's lines on one
baseline as one text object (a reference list set in one pass): extraction gives one run per
baseline across both columns, with the wide gap inside it noted (Run.gaps). Layout cuts such
a run where the gap spans a column edge of the document's grid, and nowhere else."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.layout_model import Role

LEFT, GUTTER, COLUMN_WIDTH = 50.0, 310.0, 230.0


def _run(text: str, x: float, y: float, width: float, size: float = 10.0,
         gaps: tuple[tuple[int, float, float], ...] = ()) -> Run:
    return Run(text, x, y, width, size, "Serif", False, False, gaps)


def _text_pages() -> list[Page]:
    """Body pages in two separate columns: they set the document's grid."""
    pages = []
    for n in (1, 2, 3):
        runs = [_run(f"p{n}L{i} water boards weigh tariffs", LEFT, 780 - 12 * i, COLUMN_WIDTH)
                for i in range(55)]
        runs += [_run(f"p{n}R{i} councils argue about meters", GUTTER, 780 - 12 * i,
                      COLUMN_WIDTH) for i in range(55)]
        pages.append(Page(n, 595, 842, runs))
    return pages


def _joined(left: str, right: str, y: float, right_x: float, size: float = 7.5) -> Run:
    """One run holding a left-column line, a wide gap, and a right-column line."""
    text = f"{left} {right}"
    left_end = LEFT + COLUMN_WIDTH - 5
    return _run(text, LEFT, y, right_x + 200 - LEFT, size,
                gaps=((len(left) + 1, left_end, right_x),))


def _order(layout, page: int) -> list[str]:
    return [ln.text for ln in layout.pages[page - 1].lines if ln.role is Role.BODY]


def test_a_run_across_the_gutter_is_cut_into_the_two_columns_lines() -> None:
    # entries start at the column edge, their second lines a hanging indent in
    runs = [_joined(f"{i}. Author A, Author B. A title of an article",
                    f"{i + 20}. Author C. Another title in a journal",
                    700 - 9 * i, GUTTER + (0 if i % 2 == 0 else 14)) for i in range(20)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(4, 595, 842, runs)]))
    order = _order(layout, 4)
    assert order == ([f"{i}. Author A, Author B. A title of an article" for i in range(20)]
                     + [f"{i + 20}. Author C. Another title in a journal" for i in range(20)])


def test_a_wide_gap_away_from_the_gutter_stays_inside_its_line() -> None:
    # a label set off from its text by a tab, inside the left column: no column edge there
    runs = [_run(f"({i}) the water boards of three cities weigh tariffs", LEFT, 700 - 9 * i,
                 COLUMN_WIDTH, 7.5, gaps=((len(f"({i}) "), LEFT + 14, LEFT + 40),))
            for i in range(20)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(4, 595, 842, runs)]))
    assert _order(layout, 4) == [f"({i}) the water boards of three cities weigh tariffs"
                                 for i in range(20)]


def test_without_a_grid_a_run_with_a_wide_gap_is_left_whole() -> None:
    # a one-column document: a wide gap in a line (a tab before a right-aligned number)
    runs = [_run(f"line{i} the water boards of three cities weigh their tariffs against "
                 f"maintenance backlogs every year {i}", LEFT, 780 - 12 * i, 500,
                 gaps=((len(f"line{i} the water boards of three cities weigh their tariffs "
                            "against maintenance backlogs every year "), 480, 530),))
            for i in range(50)]
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [Page(1, 595, 842, runs)]))
    assert len(layout.pages[0].lines) == 50
    assert layout.pages[0].lines[0].text.startswith("line0 ")


def test_a_wide_tables_rows_stay_whole_where_a_cell_gap_spans_the_edge() -> None:
    # a table across both columns, each row one text object: short cells apart by wide gaps,
    # one of them across the column edge, opening where a cell ends (past the measure or not)
    cells = ["1976", "-", "yes", "-", "no", "-", "yes"]
    starts = [LEFT, 120, 190, 260, GUTTER + 6, 380, 450]
    rows = []
    for i in range(20):
        text, gaps = "", []
        for j, (cell, x) in enumerate(zip(cells, starts, strict=True)):
            if j:
                text += " "
                gaps.append((len(text), starts[j - 1] + 20, x))
            text += cell
        rows.append(_run(f"{text}", LEFT, 700 - 9 * i, 470, 7.5, gaps=tuple(gaps)))
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(4, 595, 842, rows)]))
    assert _order(layout, 4) == ["1976 - yes - no - yes"] * 20
