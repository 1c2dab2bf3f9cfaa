"""Text that goes on across a two-column page's second column: a block quote set in within
that column is read in its place, not as a third column after it; and a note's raised label,
set in from the column edge on the baseline of the first column's last text line, stays on
its note."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.layout_model import Role

LEFT, GUTTER, WIDTH = 50.0, 310.0, 230.0
TOP, PITCH = 780.0, 12.0


def _run(text: str, x: float, y: float, width: float, size: float = 10.0) -> Run:
    return Run(text, x, y, width, size, "Serif", False, False)


def _left_column(prefix: str, count: int) -> list[Run]:
    return [_run(f"{prefix}L{i} water boards weigh tariffs", LEFT, TOP - PITCH * i, WIDTH)
            for i in range(count)]


def _text_page(number: int) -> Page:
    runs = _left_column(f"p{number}", 55)
    runs += [_run(f"p{number}R{i} councils argue about meters", GUTTER, TOP - PITCH * i, WIDTH)
             for i in range(55)]
    return Page(number, 595, 842, runs)


def _body(layout, page: int) -> list:
    return [ln for ln in layout.pages[page - 1].lines if ln.role is Role.BODY]


def test_a_quote_set_in_within_the_second_column_is_read_in_its_place() -> None:
    # a short page: the quote's eight lines are as many as a column edge needs
    runs = _left_column("", 30)
    right = [f"above{i}" for i in range(10)] + [f"quote{i}" for i in range(8)] + \
        [f"below{i}" for i in range(12)]
    for i, word in enumerate(right):
        inset = 20.0 if word.startswith("quote") else 0.0
        runs.append(_run(f"{word} councils argue about the meters", GUTTER + inset,
                         TOP - PITCH * i, WIDTH - 2 * inset))
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [
        Page(1, 595, 842, runs), *(_text_page(n) for n in (2, 3, 4))]))
    order = [ln.text.split()[0] for ln in _body(layout, 1)]
    assert order[30:] == right
    quote = [ln for ln in _body(layout, 1) if ln.text.startswith("quote")]
    above = next(ln for ln in _body(layout, 1) if ln.text.startswith("above0"))
    assert {ln.column for ln in quote} == {above.column}


def test_a_notes_raised_label_stays_on_its_note_beside_the_other_columns_line() -> None:
    runs = _left_column("", 50)
    runs += [_run(f"R{i} councils argue about the meters", GUTTER, TOP - PITCH * i, WIDTH)
             for i in range(40)]
    # the note's label is raised by a little over the note's baseline, which sits just
    # under the baseline of the first column's last line
    last = TOP - PITCH * 49
    runs += [_run("7", GUTTER + 10, last + 0.5, 4, 6.0),
             _run("Water Board, Annual Report on the meters, 2019.", GUTTER + 14, last - 2.5,
                  200, 8.0)]
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [
        Page(1, 595, 842, runs), *(_text_page(n) for n in (2, 3, 4))]))
    lines = layout.pages[0].lines
    left_last = next(ln for ln in lines if ln.text.startswith("L49"))
    note = next(ln for ln in lines if "Annual Report" in ln.text)
    assert "7" not in left_last.text.split()[-1]
    assert note.text.lstrip().startswith("7")

