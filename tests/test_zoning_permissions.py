"""A single article's licence and copyright notice, left in the body by the page they were
set on, go to the front matter; text that only mentions such words stays."""

from __future__ import annotations

from flows.model import Box, Inline, Paragraph, Part, Section
from flows.segment.front import as_article
from flows.segment.params import DEFAULT_PARAMS
from flows.segment.parts import Split

BOX = Box([1], (72.0, 100.0, 540.0, 700.0))


def _p(text: str) -> Paragraph:
    return Paragraph([Inline("text", text)], BOX)


def _article(blocks: list) -> Part:
    return as_article([Part("essay", [Inline("text", "Tariffs")], BOX, blocks=blocks)],
                      Split((), (), (), (), True), DEFAULT_PARAMS)[0]


def _texts(blocks: list) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Section):
            out += _texts(block.blocks)
        else:
            out.append(block.content[0].text)
    return out


def test_licence_and_copyright_notices_leave_the_body() -> None:
    body = ["Water boards weigh tariffs against maintenance backlogs every year.",
            "The councils argue about meters while the boards weigh tariffs."]
    licence = "This is an Open Access article distributed under the terms of the Creative"
    going_on = "format, as long as you link to the Creative Commons licence."
    notice = "© 2021 The Author(s). Published by a press."
    lost_mark = "2021 The Author(s). Published by a press."
    section = Section([Inline("text", "Results")], 1, BOX,
                      [_p(body[1]), _p(licence), _p(going_on), _p(lost_mark)])
    article = _article([_p(body[0]), _p(notice), section])
    assert _texts(article.blocks) == body
    assert [licence, going_on, lost_mark] == [n for n in article.publication_notes
                                              if n != notice][-3:]
    assert notice in article.publication_notes


def test_text_about_distribution_or_a_long_paragraph_after_a_year_stays() -> None:
    kept = ["The species is distributed under the canopy of the wet forest, where the water "
            "boards weigh tariffs.",
            "2021 the authors of the survey went back to the forest, and " + "water boards "
            "weigh tariffs against maintenance backlogs every year " * 3]
    assert _texts(_article([_p(text) for text in kept]).blocks) == kept


def test_the_paragraph_going_on_after_a_notice_stays() -> None:
    # the body's paragraph broken by the notice set at the page's foot goes on below it
    notice = "© 2021 The Author(s). This article is licensed under a Creative Commons licence,"
    going_on = "and the councils argue about meters while the boards weigh tariffs."
    article = _article([_p("Water boards weigh tariffs against"), _p(notice), _p(going_on)])
    assert _texts(article.blocks) == ["Water boards weigh tariffs against", going_on]
    assert notice in article.publication_notes
