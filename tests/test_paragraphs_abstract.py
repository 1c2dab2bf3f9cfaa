"""A summary's paragraphs cut by the lines' own measure: where the summary runs on across
two columns, each column is its own measure, so that a full line of the narrower first
column is no line stopping short."""

from __future__ import annotations

from segment_lines import filler, line

from flows.segment.paragraphs import paragraphs_of
from flows.segment.params import DEFAULT_PARAMS

FIRST, SECOND = (62.0, 311.0), (311.0, 550.0)


def column(texts: list[str], top: float, bounds: tuple[float, float], short: int = -1
           ) -> list:
    """Lines filling a column's measure, the one at index `short` stopping half-way."""
    left, right = bounds[0], bounds[1] - 10
    return [line(text, top - 12 * i, x0=left, x1=left + (right - left) / 2 if i == short
                 else right, column=bounds) for i, text in enumerate(texts)]


def test_full_lines_of_the_first_column_do_not_stop_short() -> None:
    # every line opens with a capital, as names and countries do
    first = column([f"Russia {filler(6, i)}" for i in range(8)], 700, FIRST)
    second = column([f"China {filler(8, i)}" for i in range(5)], 700, SECOND, short=4)
    groups = paragraphs_of(first + second, DEFAULT_PARAMS)
    assert [len(g) for g in groups] == [13]


def test_a_line_stopping_short_in_either_column_still_ends_a_paragraph() -> None:
    first = column([f"Russia {filler(6, i)}" for i in range(8)], 700, FIRST, short=3)
    second = column([f"China {filler(8, i)}" for i in range(6)], 700, SECOND, short=2)
    groups = paragraphs_of(first + second, DEFAULT_PARAMS)
    assert [len(g) for g in groups] == [4, 7, 3]
