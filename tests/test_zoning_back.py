"""Back matter whose headings the heading rules do not take: a zone's name on a line of
its own, set in the text's size but apart from it by weight or face, still opens its zone
(acknowledgements, competing interests, the reference list), and what follows leaves the
body."""

from __future__ import annotations

from segment_lines import evidence_of, filler, line, paragraph

from flows.profile import DEFAULT_STYLE
from flows.segment.back import REFERENCES, _zone_names_apart, split_back, zone_names
from flows.segment.blocks import RawBlock


def _block(lines) -> RawBlock:
    return RawBlock("p", list(lines))


def test_a_name_line_in_a_face_of_its_own_opens_its_zone() -> None:
    text = paragraph(740, 4)
    name = line("Competing interests", 680, x1=180, font="Sans-Semibold")
    statement = line("The authors declare that they have no competing interests.", 668,
                     x1=380)
    refs_name = line("References", 644, x1=140, font="Sans-Semibold")
    entries = [line(f"{n}. Author A. {filler(8, n)} J Ex. 2001;{n}:1-9.", 632 - 12 * n)
               for n in range(3)]
    # the layout read the names into the paragraphs around them
    raw = [_block(text), _block([name, statement]), _block([refs_name, entries[0]]),
           _block(entries[1:2]), _block(entries[2:])]
    lines = [*text, name, statement, refs_name, *entries]
    body, zones = split_back(raw, evidence_of(lines), DEFAULT_STYLE)
    assert [b.lines for b in body] == [text]
    assert [z.kind for z in zones] == ["conflict", REFERENCES]
    assert [ln.text for b in zones[0].blocks for ln in b.lines] == [statement.text]
    assert [ln.text for b in zones[1].blocks for ln in b.lines] == [e.text for e in entries]


def test_a_bold_name_line_alone_opens_its_zone_and_a_heading_ends_it() -> None:
    name = line("Acknowledgements", 700, x1=170, bold=True)
    thanks = paragraph(688, 3)
    heading = RawBlock("heading", [line("Appendix", 640, x1=140, size=12, bold=True)], 1)
    after = paragraph(620, 3)
    raw = [_block(paragraph(760, 4)), _block([name]), _block(thanks), heading, _block(after)]
    lines = [ln for b in raw for ln in b.lines]
    body, zones = split_back(raw, evidence_of(lines), DEFAULT_STYLE)
    assert [z.kind for z in zones] == ["ack"]
    assert [b.lines for b in zones[0].blocks] == [thanks]
    assert heading in body and body[-1].lines == after


def test_the_name_set_like_the_text_around_it_stays_text() -> None:
    # the word closing a paragraph's line in the text's own face is no heading
    before = line(filler(11), 700)
    name = line("Funding", 688, x1=120)
    after = line(filler(11, 3), 676)
    raw = [_block([before, name, after])]
    body, zones = split_back(raw, evidence_of([before, name, after]), DEFAULT_STYLE)
    assert zones == []
    assert [b.lines for b in body] == [[before, name, after]]


def test_a_name_closing_a_sentence_stays_text() -> None:
    name = line("Funding.", 688, x1=120, bold=True)
    raw = [_block([line(filler(11), 700), name])]
    body, zones = split_back(raw, evidence_of(raw[0].lines), DEFAULT_STYLE)
    assert zones == [] and len(body) == 1


def test_two_headings_stacked_in_one_face_come_apart_at_a_zones_name() -> None:
    stacked = RawBlock("heading", [line("Conflicts of interest", 700, bold=True, x1=200),
                                   line("References", 688, bold=True, x1=150)], 2)
    apart = _zone_names_apart(stacked, zone_names(DEFAULT_STYLE))
    assert [[ln.text for ln in b.lines] for b in apart] == [["Conflicts of interest"],
                                                             ["References"]]
    assert all(b.kind == "heading" and b.level == 2 for b in apart)
    wrapped = RawBlock("heading", [line("Effects of the tariff reform on", 700, bold=True),
                                   line("household water use", 688, bold=True, x1=200)], 2)
    assert _zone_names_apart(wrapped, zone_names(DEFAULT_STYLE)) == [wrapped]
