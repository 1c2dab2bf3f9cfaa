"""An abstract box broken by a page that says so at its foot ("(Continued on next page)",
set smaller) goes on at the head of the next page even though its last line there closes
a sentence; without the marker, a sentence closed at a page's foot ends the abstract."""

from __future__ import annotations

import pytest
from segment_lines import LEFT, PITCH, filler, line

from flows.profile import DEFAULT_STYLE
from flows.segment.abstracts import find_abstracts
from flows.segment.params import DEFAULT_PARAMS


@pytest.mark.parametrize(("marker", "runs_on"), [
    ("(Continued on next page)", True),
    ("Correspondence: someone at a university", False),
])
def test_an_abstract_continued_on_the_next_page_goes_on(marker: str, runs_on: bool) -> None:
    heading = line("Abstract", 700, bold=True, x1=LEFT + 50)
    text = [line(filler(9, i), 688 - PITCH * i) for i in range(4)]
    text.append(line(filler(4, 4) + " is highlighted.", 688 - PITCH * 4, x1=LEFT + 200))
    foot = line(marker, 600, size=8.0, x1=LEFT + 150)
    head = line("(Continued from previous page)", 720, page=2, size=8.0, x1=LEFT + 150)
    more = [line("Conclusion: " + filler(8, 5), 708, page=2),
            line(filler(5, 6) + " in the end.", 708 - PITCH, page=2, x1=LEFT + 250)]
    body = [line("Introduction", 660, page=2, bold=True, x1=LEFT + 60),
            line(filler(9, 7), 648, page=2)]
    found = find_abstracts([heading, *text, foot, head, *more, *body], DEFAULT_STYLE,
                           DEFAULT_PARAMS)
    assert len(found) == 1
    assert list(found[0].lines) == ([heading, *text, *more] if runs_on else [heading, *text])
