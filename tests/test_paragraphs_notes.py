"""A note line the typesetter could not break (a long web address) runs on past its column's
edge into the gutter and the next column: it stays a line of its note, read in its place,
not a line of body text across the page."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.layout_model import Role

LEFT, GUTTER, WIDTH = 50.0, 310.0, 230.0
TOP, PITCH, NOTE_PITCH = 780.0, 12.0, 9.5


def _run(text: str, x: float, y: float, width: float, size: float = 10.0) -> Run:
    return Run(text, x, y, width, size, "Serif", False, False)


def _text_page(number: int) -> Page:
    runs = [_run(f"p{number}L{i} water boards weigh tariffs", LEFT, TOP - PITCH * i, WIDTH)
            for i in range(55)]
    runs += [_run(f"p{number}R{i} councils argue about meters", GUTTER, TOP - PITCH * i, WIDTH)
             for i in range(55)]
    return Page(number, 595, 842, runs)


def _page(called: bool) -> tuple[list[Run], list[tuple[str, float]]]:
    runs = [_run(f"L{i} water boards weigh tariffs", LEFT, TOP - PITCH * i, WIDTH)
            for i in range(45)]
    if called:
        runs.append(_run("7", LEFT + WIDTH + 1, TOP - PITCH * 44 + 3, 3, 6.0))  # the callout
    runs += [_run(f"R{i} councils argue about the meters", GUTTER, TOP - PITCH * i, WIDTH)
             for i in range(55)]
    foot = TOP - PITCH * 44 - 22
    note = [("Ministry of Water, Annual Report on meters and", WIDTH - 10),
            ("tariffs in three cities, https://water.example.org/", WIDTH),
            ("reports/annual/2019/tariffs?city=all&year=2019&format=full&lang=en", 2 * WIDTH),
            ("meters-and-pumps; and Council of the Three Cities,", WIDTH),
            ("Minutes, 2019.", 60)]
    runs.append(_run("7", LEFT + 8, foot + 3, 3, 6.0))
    for i, (text, width) in enumerate(note):
        x = LEFT + 12 if i == 0 else LEFT
        runs.append(_run(text, x, foot - NOTE_PITCH * i, width, 8.0))
    return runs, note


def test_an_overfull_note_line_stays_in_its_note() -> None:
    runs, note = _page(called=True)
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [
        Page(1, 595, 842, runs), *(_text_page(n) for n in (2, 3, 4))]))
    notes = [ln for ln in layout.pages[0].lines if ln.role is Role.NOTE]
    assert [ln.text.lstrip(" 7").split()[0] for ln in notes] == [
        text.split()[0] for text, _ in note]
    overfull = notes[2]
    assert overfull.column == notes[1].column
    order = layout.pages[0].lines
    assert order.index(overfull) == order.index(notes[1]) + 1


def test_an_overfull_line_of_small_type_that_is_no_note_is_left_where_it_was() -> None:
    # nothing calls the "7": the small lines are no notes, and the layout's reading stands
    runs, _ = _page(called=False)
    layout = analyse_layout(ExtractedPdf(Path("report.pdf"), "", [
        Page(1, 595, 842, runs), *(_text_page(n) for n in (2, 3, 4))]))
    lines = layout.pages[0].lines
    assert not any(ln.role is Role.NOTE for ln in lines)
    overfull = next(ln for ln in lines if ln.text.startswith("reports/annual"))
    above = next(ln for ln in lines if ln.text.startswith("tariffs in three"))
    assert overfull.column != above.column
    assert lines.index(overfull) != lines.index(above) + 1
