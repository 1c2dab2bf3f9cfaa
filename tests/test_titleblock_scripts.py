"""A title whose subscript the layout set apart as a line of its own (the "2" of "CO2",
set smaller just under the title line's baseline between two of its runs) gets it back;
a note mark set after a title line's end stays out of the title."""

from __future__ import annotations

from segment_lines import LEFT, line

from flows.layout_model import Line, Span
from flows.segment.params import DEFAULT_PARAMS
from flows.segment.titleblock import _with_scripts, title_text

TITLE = 16.0


def _title_line(y: float) -> Line:
    return Line(1, [Span("of CO", True, False, False, TITLE, "Sans", LEFT),
                    Span(" emissions in pipes", True, False, False, TITLE, "Sans", LEFT + 48)],
                LEFT, LEFT + 200, y, TITLE, (LEFT, LEFT + 400))


def test_a_subscript_set_apart_goes_back_between_its_title_runs() -> None:
    first = line("Reducing the losses", 530, size=TITLE, bold=True, x1=LEFT + 160)
    second = _title_line(512)
    script = line("2", 509.5, size=10.7, x0=LEFT + 45, x1=LEFT + 47)
    run, absorbed = _with_scripts([first, second], [first, script, second], DEFAULT_PARAMS)
    assert absorbed == [script]
    assert title_text(run, DEFAULT_PARAMS) == "Reducing the losses of CO2 emissions in pipes"


def test_a_mark_after_the_line_end_or_a_small_line_elsewhere_stays_out() -> None:
    title = _title_line(512)
    mark = line("*", 516, size=8.0, x0=LEFT + 202, x1=LEFT + 206)
    far = line("2", 480, size=10.7, x0=LEFT + 45, x1=LEFT + 47)
    run, absorbed = _with_scripts([title], [title, mark, far], DEFAULT_PARAMS)
    assert absorbed == [] and run == [title]
