"""Affiliations under a byline, in type a little smaller than the text and labelled with the
byline's raised marks, look like notes called from the text above them; but the abstract
and the text set larger below them are no notes. Word-processor notes as large as the text,
labelled and called the same way at the foot of a page, still are."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.layout_model import Role

LEFT = 72.0


def _run(text: str, x: float, y: float, width: float, size: float = 10.0) -> Run:
    return Run(text, x, y, width, size, "Serif", False, False)


def _text(prefix: str, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} the water boards of three cities weigh their tariffs against "
                 f"the backlog", LEFT, top - 13.5 * i, 440) for i in range(count)]


def _more_pages() -> list[Page]:
    return [Page(n, 595, 842, _text(f"p{n}x", 780, 50)) for n in (2, 3)]


def test_affiliations_under_the_byline_do_not_turn_the_text_below_into_notes() -> None:
    runs = [_run("A Study of Water Tariffs", LEFT, 760, 300, 18),
            _run("Ann Author", LEFT, 730, 50), _run("1", LEFT + 50, 734, 4, 6),
            _run(", Bob Writer", LEFT + 54, 730, 60), _run("2", LEFT + 114, 734, 4, 6),
            _run("1", LEFT, 716, 4, 6), _run("Department of Water, University of Cities",
                                              LEFT + 6, 712, 250, 9),
            _run("2", LEFT, 704, 4, 6), _run("Institute of Tariffs, Town", LEFT + 6, 700, 200,
                                             9)]
    runs += _text("abs", 676, 12)
    runs += _text("intro", 490, 30)
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [Page(1, 595, 842, runs),
                                                                   *_more_pages()]))
    page = layout.pages[0]
    assert all(ln.role is Role.BODY for ln in page.lines if ln.size == 10)


def test_notes_as_large_as_the_text_at_a_pages_foot_are_notes() -> None:
    runs = _text("body", 780, 40)
    runs += [_run("1", LEFT + 440, 780 - 13.5 * 5 + 4, 4, 6),
             _run("2", LEFT + 440, 780 - 13.5 * 20 + 4, 4, 6)]
    runs += [_run("1", LEFT, 200 + 4, 4, 6), _run("A note on the first tariff.", LEFT + 6, 200,
                                                  200),
             _run("2", LEFT, 186 + 4, 4, 6), _run("A note on the second tariff.", LEFT + 6, 186,
                                                  200)]
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [Page(1, 595, 842, runs),
                                                                  *_more_pages()]))
    notes = [ln.text for ln in layout.pages[0].lines if ln.role is Role.NOTE]
    assert len(notes) == 2
    assert notes[0].endswith("A note on the first tariff.")
    assert notes[1].endswith("A note on the second tariff.")
