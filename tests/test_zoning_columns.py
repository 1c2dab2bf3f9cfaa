"""Columns and reading order on kinds of journal page: a full-width title block over the
two columns of page 1, a small-type metadata sidebar on the left of an abstract."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.layout_model import Role

LEFT, GUTTER, RIGHT = 50.0, 310.0, 550.0
COLUMN_WIDTH = 230.0


def _run(text: str, x: float, y: float, width: float, size: float = 10.0) -> Run:
    return Run(text, x, y, width, size, "Serif", False, False)


def _two_columns(prefix: str, top: float, count: int) -> list[Run]:
    """`count` lines in each column from `top` down, words numbered in reading order."""
    runs = [_run(f"{prefix}L{i} water boards weigh tariffs", LEFT, top - 12 * i, COLUMN_WIDTH)
            for i in range(count)]
    runs += [_run(f"{prefix}R{i} councils argue about meters", GUTTER, top - 12 * i,
                  COLUMN_WIDTH) for i in range(count)]
    return runs


def _text_pages() -> list[Page]:
    return [Page(n, 595, 842, _two_columns(f"p{n}", 780, 55)) for n in (2, 3, 4)]


def _order(layout, page: int) -> list[str]:
    return [ln.text.split()[0] for ln in layout.pages[page - 1].lines if ln.role is Role.BODY]


def test_columns_below_a_full_width_title_block_are_read_one_after_the_other() -> None:
    first = [_run("A Study of Water Tariffs in Three Cities", LEFT, 780, 400, 18)]
    first += [_run(f"abstract{i} the water boards of three cities weigh their tariffs "
                   f"against maintenance backlogs every year", LEFT, 720 - 12 * i, 500)
              for i in range(30)]
    first += _two_columns("intro", 150, 3)  # too few lines to show the columns alone
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [Page(1, 595, 842, first),
                                                                   *_text_pages()]))
    order = _order(layout, 1)
    intro = [w for w in order if w.startswith("intro")]
    assert intro == [f"introL{i}" for i in range(3)] + [f"introR{i}" for i in range(3)]
    # the full-width abstract stays whole lines, read before the columns
    assert order.index("abstract29") < order.index("introL0")


def test_a_full_width_page_keeps_its_lines_whole() -> None:
    # a one-column page (a wide table's notes, an appendix) in a two-column article
    wide = [_run(f"wide{i} the water boards of three cities weigh their tariffs against "
                 f"maintenance backlogs every year", LEFT, 780 - 12 * i, 500) for i in range(50)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(5, 595, 842, wide)]))
    assert _order(layout, 4) == [f"wide{i}" for i in range(50)]


def test_a_metadata_sidebar_left_of_the_abstract_is_set_aside() -> None:
    first = [_run(f"{i}Department of Water, University of Cities,", LEFT, 600 - 9 * i, 125, 7)
             for i in range(24)]
    first += [_run("Abstract", 200, 612, 40)]
    first += [_run(f"abs{i} the water boards of three cities weigh tariffs against", 200,
                   600 - 12 * i, 345) for i in range(12)]
    first += [_run("abs12 in court.", 200, 600 - 12 * 12, 60)]
    first += _two_columns("intro", 150, 3)
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [Page(1, 595, 842, first),
                                                                   *_text_pages()]))
    page = layout.pages[0]
    assert all(ln.role is Role.ASIDE for ln in page.lines if ln.size == 7)
    order = _order(layout, 1)
    assert order[:14] == ["Abstract", *(f"abs{i}" for i in range(13))]
    assert order[14:] == [f"introL{i}" for i in range(3)] + [f"introR{i}" for i in range(3)]


def test_a_page_set_wholly_in_small_type_keeps_the_document_columns() -> None:
    # the closing page: back matter on the left, the reference list on the right, all in
    # 7.5 pt against 10 pt text; too small to count as prose at the text's size
    small = [_run(f"backL{i} the authors thank the field crews of the", LEFT, 700 - 9 * i,
                  COLUMN_WIDTH, 7.5) for i in range(20)]
    small += [_run(f"refR{i}. Author A, Author B. A title of an article", GUTTER + 5,
                   700 - 9 * i, COLUMN_WIDTH - 5, 7.5) for i in range(20)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(5, 595, 842, small)]))
    order = _order(layout, 4)
    assert order == [f"backL{i}" for i in range(20)] + [f"refR{i}." for i in range(20)]


def test_a_small_type_page_without_a_gutter_stays_whole() -> None:
    # a full-width table page in small type: its lines cross the grid edge, no column
    wide = [_run(f"row{i} the water boards of three cities weigh their tariffs against "
                 f"maintenance backlogs every year", LEFT, 700 - 9 * i, 500, 7.5)
            for i in range(30)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [*_text_pages(),
                                                                   Page(5, 595, 842, wide)]))
    assert _order(layout, 4) == [f"row{i}" for i in range(30)]
