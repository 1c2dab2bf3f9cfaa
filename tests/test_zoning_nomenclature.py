"""A nomenclature (a list of symbols, each then its meaning and unit) set under its own name
before or after the text is no running text: like a list of abbreviations it leaves the
body for a glossary in back matter, in the languages the house style names it in, and the
next heading ends it."""

from __future__ import annotations

import pytest
from segment_lines import evidence_of, line, paragraph

from flows.profile import DEFAULT_STYLE
from flows.segment.back import split_back
from flows.segment.blocks import RawBlock


@pytest.mark.parametrize("name", ["Nomenclature", "List of symbols", "Nomenclatura"])
def test_a_nomenclature_leaves_the_body_until_the_next_heading(name: str) -> None:
    title = line(name, 720, x1=160, bold=True)
    symbols = [line(f"{symbol} {meaning}", 706 - 12 * n, x1=260) for n, (symbol, meaning) in
               enumerate((("Q", "Heat transfer rate, kJ/s"), ("T", "Temperature, °C"),
                          ("k", "Thermal conductivity, W/m.K")))]
    heading = RawBlock("heading", [line("1. Introduction", 650, x1=170, size=12,
                                        bold=True)], 1)
    text = paragraph(630, 4)
    raw = [RawBlock("p", [title]), RawBlock("p", symbols), heading, RawBlock("p", text)]
    body, zones = split_back(raw, evidence_of([ln for b in raw for ln in b.lines]),
                             DEFAULT_STYLE)
    assert [z.kind for z in zones] == ["abbreviations"]
    assert [ln.text for b in zones[0].blocks for ln in b.lines] == [s.text for s in symbols]
    assert heading in body and body[-1].lines == text


def test_the_word_inside_a_sentence_stays_text() -> None:
    sentence = line("The nomenclature of the pipes follows the norm.", 700, x1=400)
    raw = [RawBlock("p", [sentence])]
    body, zones = split_back(raw, evidence_of([sentence]), DEFAULT_STYLE)
    assert zones == [] and [b.lines for b in body] == [[sentence]]
