"""Abstracts that end where a line-by-line run would not: an abstract in the left column of
a two-column page broken off mid-sentence by the correspondence notes at the column's foot
goes on at the head of the right column; one that ends with a full stop does not; a
figure's caption set after an abstract (on the next page, under the figure) ends it; an
abstract headed "Summary" run in is found, a section headed "Summary" is not."""

from __future__ import annotations

import pytest
from segment_lines import LEFT, PITCH, filler, line

from flows.profile import DEFAULT_STYLE
from flows.segment.abstract_sections import heading_language
from flows.segment.abstracts import find_abstracts
from flows.segment.params import DEFAULT_PARAMS

COLUMN = 240.0  # a column's width
RIGHT_COLUMN = LEFT + COLUMN + 20


def _left(count: int, top: float, last: str) -> list:
    lines = [line(("We ask. " if i == 0 else "") + filler(7, i), top - PITCH * i,
                  x1=LEFT + COLUMN) for i in range(count - 1)]
    return [*lines, line(last, top - PITCH * (count - 1), x1=LEFT + COLUMN)]


def _notes(top: float) -> list:
    return [line("Correspondence to: " + filler(4), top, size=8.0, x1=LEFT + COLUMN),
            line(filler(6, 2), top - 10, size=8.0, x1=LEFT + COLUMN)]


def _right(top: float) -> tuple[list, list]:
    rest = [line(filler(7, 3), top, x0=RIGHT_COLUMN, x1=RIGHT_COLUMN + COLUMN),
            line(filler(4, 4) + " in the end.", top - PITCH, x0=RIGHT_COLUMN,
                 x1=RIGHT_COLUMN + 150)]
    body = [line("Introduction", top - 3 * PITCH, x0=RIGHT_COLUMN, x1=RIGHT_COLUMN + 60,
                 bold=True),
            line(filler(7, 5), top - 4 * PITCH, x0=RIGHT_COLUMN, x1=RIGHT_COLUMN + COLUMN)]
    return rest, body


@pytest.mark.parametrize(("last_words", "runs_on"), [
    (" and the", True),       # broken off mid-sentence: goes on in the next column
    (" at the end.", False),  # a sentence ended at the notes: the abstract stops there
])
def test_an_abstract_at_a_column_foot_goes_on_only_mid_sentence(last_words: str,
                                                                runs_on: bool) -> None:
    heading = line("Abstract", 700, bold=True, x1=LEFT + 50)
    text = _left(5, 688, filler(6, 1) + last_words)
    rest, body = _right(700)
    found = find_abstracts([heading, *text, *_notes(200), *rest, *body], DEFAULT_STYLE,
                           DEFAULT_PARAMS)
    assert len(found) == 1
    assert list(found[0].lines) == ([heading, *text, *rest] if runs_on else [heading, *text])


def test_a_caption_after_the_abstract_ends_it() -> None:
    heading = line("Abstract", 700, bold=True, x1=LEFT + 50)
    text = _left(4, 688, filler(6, 1) + " at the end.")
    caption = [line("Figure 1. " + filler(6, 2), 260, page=2, x1=LEFT + COLUMN),
               line(filler(7, 3), 260 - PITCH, page=2, x1=LEFT + COLUMN)]
    found = find_abstracts([heading, *text, *caption], DEFAULT_STYLE, DEFAULT_PARAMS)
    assert len(found) == 1 and list(found[0].lines) == [heading, *text]


def test_a_summary_run_in_opens_an_english_abstract() -> None:
    text = [line("Summary: " + filler(7), 700, x1=LEFT + COLUMN), *_left(3, 700 - PITCH,
                                                                       "at the end.")]
    found = find_abstracts(text, DEFAULT_STYLE, DEFAULT_PARAMS)
    assert len(found) == 1 and found[0].run_in and found[0].heading == "Summary"
    assert heading_language(found[0].heading, DEFAULT_STYLE) == "en"


def test_summary_on_a_line_of_its_own_is_a_section_heading_not_an_abstract() -> None:
    heading = line("Summary", 700, bold=True, x1=LEFT + 60)
    found = find_abstracts([heading, *_left(3, 688, "at the end.")], DEFAULT_STYLE,
                           DEFAULT_PARAMS)
    assert found == []
