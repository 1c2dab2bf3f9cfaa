"""A foreword signed at its close by lines set like its text (flush left, the text's size):
the name and the role are its signature, not two paragraphs; lines that only look alike
(a sentence run on, a closing heading, a closing sentence) are left to the text."""

from __future__ import annotations

from segment_lines import LEFT, line, paragraph

from flows.segment.head import flush_signature

ROLE = "Director of Water Policy, The Institute of Three Cities"


def test_a_name_and_role_after_a_closed_sentence_sign_the_part() -> None:
    text = paragraph(740, 4)
    lines = [*text, line("Ana Souza", 680, x1=LEFT + 60), line(ROLE, 668, x1=LEFT + 300)]
    signature, rest = flush_signature(lines)
    assert signature == ["Ana Souza", ROLE]
    assert rest == text


def test_lines_that_only_look_like_a_signature_stay_text() -> None:
    text = paragraph(740, 4, last="and so the councils")  # the sentence runs on
    run_on = [*text, line("Ana Souza", 680, x1=LEFT + 60), line(ROLE, 668, x1=LEFT + 300)]
    assert flush_signature(run_on) == ([], run_on)
    closed = paragraph(740, 4)
    heading = [*closed, line("Conflict of Interest", 680, x1=LEFT + 90),
               line("None declared", 668, x1=LEFT + 60)]
    assert flush_signature(heading) == ([], heading)
    sentence = [*closed, line("Ana Souza", 680, x1=LEFT + 60),
                line("She chairs the board.", 668, x1=LEFT + 100)]
    assert flush_signature(sentence) == ([], sentence)
