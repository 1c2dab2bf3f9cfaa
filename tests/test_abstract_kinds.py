"""Abstracts of kinds the heading rules miss, and board lists in a report's front matter,
each on the few lines (or the small PDF) that show it: a structured abstract whose parts
run on in one paragraph, an abstract set in bold without a heading between the byline and
the text, and a board of people listed one a line."""

from __future__ import annotations

import pytest
from conftest import flat, segmented
from segment_lines import BODY, LEFT, PITCH, filler, line

from flows.model import Inline, Paragraph
from flows.profile import DEFAULT_STYLE
from flows.segment.abstract_sections import _split_paragraph
from flows.segment.abstracts import emphasised_abstract, find_abstracts
from flows.segment.front import list_entries
from flows.segment.params import DEFAULT_PARAMS

SENTENCE = "Tidal marshes keep carbon in their soils for centuries when they stay wet. "
BODY_TEXT = "Field plots were sampled twice a year along the tidal gradient. " * 8


def _paragraph(text: str) -> Paragraph:
    return Paragraph([Inline("text", text)], None)  # type: ignore[arg-type]


def test_structured_parts_run_on_in_one_paragraph_are_cut_at_their_labels() -> None:
    text = ("Aims/Background: We asked how much carbon marshes keep. Material and Methods: "
            "Cores were taken. Results: Stocks doubled. Conclusions: Marshes matter.")
    pieces = [flat(p.content) for p in _split_paragraph(_paragraph(text), DEFAULT_STYLE)]
    assert pieces == ["Aims/Background: We asked how much carbon marshes keep.",
                      "Material and Methods: Cores were taken.", "Results: Stocks doubled.",
                      "Conclusions: Marshes matter."]


def test_a_colon_after_a_word_that_names_no_part_does_not_cut() -> None:
    text = "We sampled three sites. Note: one site flooded. The Elbe site: a lagoon."
    assert len(_split_paragraph(_paragraph(text), DEFAULT_STYLE)) == 1


def test_a_part_word_inside_a_sentence_does_not_cut() -> None:
    text = "We compared the methods: coring and remote sensing. Both agreed."
    assert len(_split_paragraph(_paragraph(text), DEFAULT_STYLE)) == 1


def _title_block(y: float) -> list:
    return [line("Carbon in Tidal Marshes of the North Sea", y, size=22.0, bold=True,
                 x1=LEFT + 400),
            line("Ana Souza and Wei Chen", y - 30, size=11.0, bold=True, x1=LEFT + 150)]


def test_a_bold_paragraph_between_byline_and_text_is_the_abstract() -> None:
    abstract = [line(("We ask. " if i == 0 else "") + filler(11, i), 640 - PITCH * i, bold=True)
                for i in range(5)]
    abstract.append(line(filler(5, 9) + " the end.", 640 - PITCH * 5, bold=True,
                         x1=LEFT + 200))
    text = [line(filler(11, i), 540 - PITCH * i) for i in range(6)]
    found = emphasised_abstract(_title_block(700) + abstract + text, BODY, DEFAULT_PARAMS)
    assert found is not None
    assert list(found.lines) == abstract


def test_a_short_bold_lead_or_plain_text_after_the_byline_is_no_abstract() -> None:
    lead = [line("We ask. " + filler(11), 640, bold=True), line("the end.", 640 - PITCH, bold=True,
                                                     x1=LEFT + 60)]
    text = [line(filler(11, i), 600 - PITCH * i) for i in range(6)]
    assert emphasised_abstract(_title_block(700) + lead + text, BODY, DEFAULT_PARAMS) is None
    assert emphasised_abstract(_title_block(700) + text, BODY, DEFAULT_PARAMS) is None


def test_a_board_listed_one_a_line_keeps_its_entries_apart() -> None:
    board = [line("Ann Lee Chair · Harbour Trust", 700, x1=LEFT + 140),
             line("Bo Kim Treasurer · City Water Board · Northern Region", 690, x1=LEFT + 260),
             line("Cy Doe Professor · University of the Coast", 680, x1=LEFT + 180),
             line("Di Fox Director · Marsh Institute", 670, x1=LEFT + 150)]
    assert list_entries(board, DEFAULT_PARAMS) == [[ln] for ln in board]


def test_a_wrapped_paragraph_stays_one_block() -> None:
    wrapped = [line(filler(11, i), 700 - PITCH * i) for i in range(4)]
    wrapped.append(line("the end.", 700 - PITCH * 4, x1=LEFT + 60))
    assert list_entries(wrapped, DEFAULT_PARAMS) == [wrapped]


def structured_html() -> str:
    css = """@page { size: A4; margin: 20mm } body { font-family: 'DejaVu Serif';
    font-size: 10pt; line-height: 1.35 } h1 { font-size: 18pt } .by { font-size: 11pt }
    .h { font-size: 11pt; font-weight: bold; margin: 12pt 0 2pt } h2 { font-size: 12pt }"""
    return f"""<html lang="en"><head><style>{css}</style></head><body>
<h1>Carbon in Tidal Marshes</h1><p class="by">Ana Souza and Wei Chen</p>
<p class="h">Abstract</p>
<p>Background: {SENTENCE * 2}Methods: {SENTENCE * 2}Results: {SENTENCE * 2}Conclusions:
{SENTENCE}</p>
<h2>Introduction</h2><p>{BODY_TEXT}</p><h2>Discussion</h2><p>{BODY_TEXT}</p></body></html>"""


@pytest.fixture(scope="module")
def structured(tmp_path_factory):
    return segmented(structured_html(), tmp_path_factory.mktemp("struct") / "struct.pdf")


def test_a_structured_abstract_run_on_becomes_one_section_a_part(structured) -> None:
    sections = structured.parts[0].abstract
    assert [s.title for s in sections if s.title != "Abstract"] == [
        "Background", "Methods", "Results", "Conclusions"]
    for section in sections:
        text = " ".join(flat(b.content) for b in section.blocks)
        assert text.startswith("Tidal marshes keep carbon")
        assert ":" not in text


def _abstract_lines(top: float, x0: float = LEFT, x1: float = LEFT + 300) -> list:
    return [line(("We ask. " if i == 0 else "") + filler(9, i), top - PITCH * i, x0=x0, x1=x1)
            for i in range(4)]


def test_the_text_under_a_heading_is_found_past_a_sidebar_set_beside_it() -> None:
    heading = line("ABSTRACT", 700, bold=True, x1=LEFT + 50)
    sidebar = line("ARTICLE HISTORY", 699, x0=LEFT + 380, x1=LEFT + 460)
    text = _abstract_lines(688)
    found = find_abstracts([heading, sidebar, *text], DEFAULT_STYLE, DEFAULT_PARAMS)
    assert len(found) == 1 and list(found[0].lines) == [heading, *text]


def test_a_structured_part_set_after_a_space_goes_on_but_a_spaced_paragraph_ends_it() -> None:
    first = [line("Background: " + filler(9), 700), line(filler(9, 3) + " end.", 690)]
    part = [line("Results: " + filler(9, 5), 670), line(filler(9, 6) + " end.", 660)]
    body = [line("Field work began in spring " + filler(6, 7), 640)]
    found = find_abstracts([line("Abstract", 712, bold=True, x1=LEFT + 50), *first, *part,
                            *body], DEFAULT_STYLE, DEFAULT_PARAMS)
    assert [ln.text for ln in found[0].lines[1:]] == [ln.text for ln in first + part]


def test_a_short_last_line_the_layout_put_among_notes_rejoins_its_abstract() -> None:
    text = _abstract_lines(688)
    straggler = line("the end of the abstract.", 688 - PITCH * 4, x1=LEFT + 120)
    far = line("A note at the page foot.", 80, x1=LEFT + 120)
    found = find_abstracts([line("Abstract", 700, bold=True, x1=LEFT + 50), *text],
                           DEFAULT_STYLE, DEFAULT_PARAMS, (straggler, far))
    assert found[0].lines[-1] is straggler and far not in found[0].lines


def test_a_board_kept_as_entries_is_a_jats_list_of_one_item_an_entry() -> None:
    from flows.jats import build_jats
    from flows.model import Document, FrontMatter, SourceInfo
    front = FrontMatter(title="Board Report", notes=[
        "Board of Directors", ["Ann Lee Chair · Harbour Trust", "Bo Kim Treasurer · Water Board"],
        "Printed in the harbour town."])
    root = build_jats(Document(front, [], SourceInfo("r.pdf", "0" * 64, 1), "en", [])).getroot()
    notes = root.find(".//front/notes")
    assert [child.tag for child in notes] == ["p", "list", "p"]
    assert ["".join(item.itertext()).strip() for item in notes.iter("list-item")] == [
        "Ann Lee Chair · Harbour Trust", "Bo Kim Treasurer · Water Board"]


def _sections(heading: str, run_in: bool, texts: list[str]) -> list:
    from segment_lines import evidence_of

    from flows.segment.abstract_sections import sections_of
    from flows.segment.abstracts import FoundAbstract
    from flows.segment.images import ImageClaims
    lines = [line(text, 700 - PITCH * i, x1=LEFT + 300 if i == len(texts) - 1 else None)
             for i, text in enumerate(texts)]
    ev = evidence_of(lines + [line(filler(11, i), 500 - PITCH * i) for i in range(8)])
    return sections_of(FoundAbstract(heading, run_in, tuple(lines), ()), ev, DEFAULT_STYLE,
                       ImageClaims(ev.images))


def test_parts_after_a_run_in_heading_stay_one_paragraph_with_their_labels() -> None:
    sections = _sections("Abstract", True, [
        "Abstract: Background: Marshes keep carbon. Methods: Cores were taken from",
        "twelve sites. Results: Stocks doubled. Conclusions: Marshes matter."])
    assert len(sections) == 1 and len(sections[0].blocks) == 1
    assert "Methods: Cores" in flat(sections[0].blocks[0].content)


def test_parts_under_a_heading_set_apart_become_sections() -> None:
    sections = _sections("Abstract", False, [
        "Abstract",
        "Background: Marshes keep carbon. Methods: Cores were taken from",
        "twelve sites. Results: Stocks doubled. Conclusions: Marshes matter."])
    assert [s.title for s in sections] == ["Background", "Methods", "Results", "Conclusions"]
