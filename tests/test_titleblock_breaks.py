"""Where a title's lines break: inside a compound or a bracket the next line runs on
without a space ("non-" / "human", "(" / "Snap25)"); elsewhere the lines are joined by one
space."""

from __future__ import annotations

from segment_lines import line

from flows.segment.params import DEFAULT_PARAMS
from flows.segment.titleblock import title_text


def test_a_break_after_an_opening_bracket_runs_on() -> None:
    lines = [line("Protein of 25 kDa (", 700, size=16.0, x1=300),
             line("Snap25) Polymorphisms in Patients", 680, size=16.0, x1=380)]
    assert title_text(lines, DEFAULT_PARAMS) == \
        "Protein of 25 kDa (Snap25) Polymorphisms in Patients"


def test_a_break_after_a_word_takes_a_space() -> None:
    lines = [line("Protein of 25 kDa", 700, size=16.0, x1=300),
             line("(Snap25) in Patients", 680, size=16.0, x1=380)]
    assert title_text(lines, DEFAULT_PARAMS) == "Protein of 25 kDa (Snap25) in Patients"
