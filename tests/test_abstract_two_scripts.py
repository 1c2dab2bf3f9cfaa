"""One abstract heading over the abstract set twice, in two scripts one after the other
(an Arabic text in one size, then the English in another): the one in the script of the
article's text is its abstract, the other a translation; a second text in the same script
is no translation. A line the layout cut in two pieces on one baseline is one line of
the abstract again."""

from __future__ import annotations

from segment_lines import LEFT, PITCH, filler, line

from flows.profile import DEFAULT_STYLE
from flows.segment.abstract_sections import _joined_pieces
from flows.segment.abstracts import find_abstracts
from flows.segment.params import DEFAULT_PARAMS

ARABIC = "النباتات الطبية تستخدم في علاج الأسنان منذ زمن طويل جدا"


def _block(top: float, text: str, size: float, count: int) -> list:
    return [line(text, top - (size + 2) * i, size=size, x1=LEFT + 240) for i in range(count)]


def test_the_abstract_in_the_texts_script_comes_first_the_other_is_its_translation() -> None:
    heading = line("ABSTRACT", 720, bold=True, x1=LEFT + 60)
    arabic = _block(706, ARABIC, 12.0, 6)
    english = _block(620, "We review " + filler(7), 10.0, 7)
    body = [line("Introduction", 520, bold=True, size=12.0, x1=LEFT + 80),
            *(line(filler(9, i), 505 - PITCH * i, x1=LEFT + 240) for i in range(5))]
    found = find_abstracts([heading, *arabic, *english, *body], DEFAULT_STYLE, DEFAULT_PARAMS)
    assert [list(f.lines) for f in found] == [[heading, *english], arabic]
    assert found[1].heading == ""


def test_a_second_text_in_the_same_script_is_no_translation() -> None:
    heading = line("ABSTRACT", 720, bold=True, x1=LEFT + 60)
    first = _block(706, "We review " + filler(7), 12.0, 6)
    second = _block(620, "Field work " + filler(7, 2), 10.0, 7)
    found = find_abstracts([heading, *first, *second], DEFAULT_STYLE, DEFAULT_PARAMS)
    assert [list(f.lines) for f in found] == [[heading, *first]]


def test_a_line_cut_in_two_pieces_on_its_baseline_is_joined_again() -> None:
    left = line("Conclusion: the oils have some potential but", 440, x1=LEFT + 250)
    right = line("one had the greatest", 440, x0=LEFT + 260, x1=LEFT + 400)
    below = line("effect on larvae.", 428, x1=LEFT + 90)
    joined = _joined_pieces([left, right, below], DEFAULT_PARAMS)
    assert [ln.text for ln in joined] == [
        "Conclusion: the oils have some potential but one had the greatest",
        "effect on larvae."]
    assert joined[0].x1 == right.x1 and joined[1] is below
