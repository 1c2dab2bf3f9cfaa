"""Back matter leaves the body: acknowledgements, funding, author contributions, competing
interests, data availability, abbreviations and reference lists headed in other languages
become JATS `back` (`ack`, `sec` with its sec-type, `glossary`, `ref-list` with one `ref`
per entry), whether each zone has a heading of its own or is run in ("Funding: …").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import flat, segmented

from flows.jats import build_jats, serialize
from flows.model import Document, Section, iter_paragraphs
from flows.profile import DEFAULT_STYLE
from flows.segment.back import zone_names
from flows.segment.common import normal_name
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml

BODY = " ".join(f"Sentence {i} of the running text explains the study in plain words."
                for i in range(40))
AUTHORS = ["Abbott", "Baker", "Carver", "Dalton", "Ellis", "Foster"]
# zone heading, its text, the JATS element and sec-type it becomes
ZONES = [
    ("Acknowledgements", "We thank the field crews for their patience.", "ack", None),
    ("Funding", "This work was paid for by a grant of the water fund.", "sec",
     "funding-information"),
    ("Author contributions", "Both authors wrote and revised the text.", "sec",
     "author-contributions"),
    ("Conflicts of interest", "The authors declare no competing interests.", "sec",
     "COI-statement"),
    ("Data availability", "The measurements are kept in the open archive.", "sec",
     "data-availability"),
    ("Publisher’s Note", "The publisher stays neutral on claims in published maps.", "sec",
     "disclaimer"),
    ("Abbreviations", "GST, glutathione transferase; PNP, nitrophenol.", "glossary", None),
]


def references_html(numbered: bool) -> str:
    style = ("p.ref { margin: 0 }" if numbered else
             "p.ref { margin: 0; padding-left: 1.5em; text-indent: -1.5em }")
    entries = "".join(
        f'<p class="ref">{f"{n}. " if numbered else ""}{name}, A. B.; Other, C. {2000 + n}. '
        f"A title long enough to wrap onto a second line of the reference list in this "
        f"layout. Journal of Examples, {n}: {10 * n}-{10 * n + 9}.</p>"
        for n, name in enumerate(AUTHORS, start=1))
    return f"<style>{style}</style>{entries}"


def article_html(run_in: bool, references_heading: str, numbered: bool) -> str:
    if run_in:
        zones = "".join(f"<p><b>{title}:</b> {text}</p>" for title, text, _, _ in ZONES)
    else:
        # set apart as back matter usually is: in smaller type than the body
        zones = "".join(f'<h2>{title}</h2><p class="back">{text}</p>'
                        for title, text, _, _ in ZONES)
    return (
        "<html><head><style>@page { size: A4; margin: 20mm } "
        "body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.3 } "
        "h1 { font-size: 20pt } h2 { font-size: 13pt } p { margin: 0 0 6pt 0 } "
        "p.back { font-size: 8.5pt }"
        "</style></head><body><h1>Measuring Water Tariffs</h1>"
        f"<h2>Introduction</h2><p>{BODY}</p><h2>Methods</h2><p>{BODY}</p>"
        f"{zones}<h2>{references_heading}</h2>{references_html(numbered)}</body></html>")


CASES = {
    "headed-numbered": (False, "Referências", True),
    "headed-author-year": (False, "Literatura citada", False),
    "run-in-numbered": (True, "Bibliografía", True),
    "run-in-author-year": (True, "5. Literatur", False),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def article(request, tmp_path_factory) -> tuple[str, Document]:
    run_in, heading, numbered = CASES[request.param]
    path = tmp_path_factory.mktemp("back") / f"{request.param}.pdf"
    return request.param, segmented(article_html(run_in, heading, numbered), path)


def body_text(document: Document) -> str:
    return " ".join(i.text for part in document.parts for p in iter_paragraphs(part)
                    for i in p.content)


def test_back_matter_leaves_the_body(article) -> None:
    _, document = article
    text = body_text(document)
    assert "Sentence 39 of the running text" in text
    for title, zone_text, _, _ in ZONES:
        assert zone_text not in text, title
    assert not any(name in text for name in AUTHORS)


def test_each_zone_is_its_kind_with_its_text(article) -> None:
    _, document = article
    back = [section for part in document.parts for section in part.back]
    assert [s.kind for s in back] == ["ack", "funding", "contributions", "conflict", "data",
                                      "disclaimer", "abbreviations"]
    for section, (title, zone_text, _, _) in zip(back, ZONES, strict=True):
        assert " ".join("".join(i.text for i in section.title).split()) == title
        text = " ".join(i.text for b in section.blocks for i in b.content).strip()
        assert text == zone_text  # a run-in name and its colon are the title, not the text


def test_one_reference_per_entry(article) -> None:
    _, document = article
    references = [r for part in document.parts for r in part.references]
    texts = ["".join(i.text for i in r.content) for r in references]
    assert len(texts) == len(AUTHORS), texts
    for text, name in zip(texts, AUTHORS, strict=True):
        assert name in text.split(",")[0]


def test_jats_back_holds_the_zones_and_is_valid(article, tmp_path: Path) -> None:
    _, document = article
    xml = tmp_path / "article.xml"
    xml.write_bytes(serialize(build_jats(document)))
    root = parse_xml(xml).getroot()
    back = root.find("back")
    assert back is not None
    for title, zone_text, tag, sec_type in ZONES:
        found = [el for el in back.findall(tag)
                 if sec_type is None or el.get("sec-type") == sec_type]
        assert len(found) == 1, title
        assert " ".join("".join(found[0].find("title").itertext()).split()) == title
        assert zone_text in " ".join(" ".join(p.itertext()) for p in found[0].findall("p"))
    assert len(back.findall("ref-list/ref")) == len(AUTHORS)
    body_words = " ".join(root.find("body").itertext())
    assert "competing interests" not in body_words
    assert validate_jats(parse_xml(xml)).passed


def test_zone_names_are_matched_without_numbers_case_or_colons() -> None:
    names = zone_names(DEFAULT_STYLE)
    for heading, kind in [("ACKNOWLEDGMENTS", "ack"), ("6. Conflict of Interest:", "conflict"),
                          ("Authors’ contributions", "contributions"),
                          ("IV. Referencias bibliográficas", "references"),
                          ("Agradecimentos", "ack"), ("Notes", "notes"),
                          ("Publisher's Note:", "disclaimer")]:
        assert names.get(normal_name(heading)) == kind, heading
    for heading in ("Funding of water utilities", "Results", "Data collection"):
        assert normal_name(heading) not in names, heading


def test_a_sentence_that_starts_with_a_zone_name_stays_in_the_body(tmp_path: Path) -> None:
    html = article_html(False, "References", True).replace(
        "<h2>Methods</h2>",
        "<h2>Methods</h2><p>Funding cuts forced the councils to defer repairs, and the "
        "backlog grew every year.</p>")
    document = segmented(html, tmp_path / "sentence.pdf")
    assert "Funding cuts forced" in body_text(document)


def ack_as_a_section_html(numbered: bool) -> str:
    """Acknowledgements under a heading like the body's own, over text of the body's size,
    before the references; the body's sections numbered or not."""
    number = (lambda n: f"{n}. ") if numbered else (lambda n: "")
    ack_title, ack_text, _, _ = ZONES[0]
    return (
        "<html><head><style>@page { size: A4; margin: 20mm } "
        "body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.3 } "
        "h1 { font-size: 20pt } h2 { font-size: 13pt } p { margin: 0 0 6pt 0 }"
        "</style></head><body><h1>Measuring Water Tariffs</h1>"
        f"<h2>{number(1)}Summary</h2><p>{BODY}</p><h2>{number(2)}Statement of need</h2>"
        f"<p>{BODY}</p><h2>{ack_title}</h2><p>{ack_text}</p>"
        f"<h2>References</h2>{references_html(False)}</body></html>")


def test_acknowledgements_set_like_a_body_section_stay_in_the_body(tmp_path: Path) -> None:
    document = segmented(ack_as_a_section_html(False), tmp_path / "ack-section.pdf")
    ack_title, ack_text, _, _ = ZONES[0]
    assert ack_text in body_text(document)
    titles = [" ".join(flat(s.title).split()) for part in document.parts
              for s in part.blocks if isinstance(s, Section)]
    assert titles == ["Summary", "Statement of need", ack_title]
    assert not [s for part in document.parts for s in part.back]
    assert len([r for part in document.parts for r in part.references]) == len(AUTHORS)


def test_acknowledgements_outside_numbered_sections_leave_the_body(tmp_path: Path) -> None:
    document = segmented(ack_as_a_section_html(True), tmp_path / "ack-numbered.pdf")
    _, ack_text, _, _ = ZONES[0]
    assert ack_text not in body_text(document)
    assert [s.kind for part in document.parts for s in part.back] == ["ack"]


def test_back_matter_round_trips_through_the_reader(article, tmp_path: Path) -> None:
    """The JATS holds everything the writer put in the back: read back and written again,
    it is the same bytes."""
    from flows.jats_reader import read_jats

    _, document = article
    data = serialize(build_jats(document))
    xml = tmp_path / "article.xml"
    xml.write_bytes(data)
    again = serialize(build_jats(read_jats(parse_xml(xml))))
    assert again == data
