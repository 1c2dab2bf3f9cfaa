"""Front matter of single articles, one kind of layout per test, on PDFs made here with
WeasyPrint: run-in and translated abstracts with keyword lists, structured abstracts with
run-in part labels, a title block under a journal's name and an article-type label beside a
small-type sidebar, and an abstract set across the page without a heading."""

from __future__ import annotations

import pytest
from conftest import flat, segmented

from flows.jats import build_jats
from flows.model import Paragraph, iter_paragraphs

SENTENCE = ("Coastal wetlands store carbon in their soils for centuries when the tides keep "
            "them wet. ")
FRASE = "As zonas húmidas costeiras guardam carbono nos seus solos durante séculos. "
BODY = ("Field plots were sampled twice a year along the tidal gradient of the estuary. "
        * 6)
PAGE = "@page { size: A4; margin: 20mm 18mm 24mm }"


def paragraphs(document) -> list[str]:
    return [flat(p.content) for p in iter_paragraphs(document.parts[0])]


def body_text(document) -> str:
    part = document.parts[0]
    abstract = {id(p) for s in part.abstract for p in s.blocks}
    return " ".join(flat(p.content) for p in iter_paragraphs(part) if id(p) not in abstract)


def abstract_text(sections) -> str:
    return " ".join(flat(b.content) for s in sections for b in s.blocks
                    if isinstance(b, Paragraph))


def run_in_html() -> str:
    css = f"""{PAGE} body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }}
    h1 {{ font-size: 18pt; margin: 0 0 8pt }} .by {{ font-size: 11pt }}
    .abs {{ font-size: 9pt; margin: 10pt 0 0 }} .kw {{ font-size: 9pt; margin: 4pt 0 0 }}
    h2 {{ font-size: 12pt; font-weight: bold; margin: 18pt 0 4pt }} p {{ margin: 0 0 4pt }}"""
    return f"""<html lang="en"><head><style>{css}</style></head><body>
<h1>Carbon in Tidal Marshes</h1><p class="by">Ana Souza and Wei Chen</p>
<p class="abs"><b>ABSTRACT –</b> {SENTENCE * 4}</p>
<p class="kw">Keywords: blue carbon; tidal marsh; soil organic matter</p>
<p class="abs"><b>RESUMO –</b> {FRASE * 5}</p>
<p class="kw">Palavras-chave: carbono azul; sapal; matéria orgânica</p>
<h2>Introduction</h2><p>{BODY}</p><p>{BODY}</p><h2>Methods</h2><p>{BODY}</p></body></html>"""


@pytest.fixture(scope="module")
def run_in(tmp_path_factory):
    return segmented(run_in_html(), tmp_path_factory.mktemp("runin") / "runin.pdf")


def test_run_in_abstract_and_its_translation_leave_the_body(run_in) -> None:
    part = run_in.parts[0]
    assert abstract_text(part.abstract).startswith("Coastal wetlands store carbon")
    assert "ABSTRACT" not in abstract_text(part.abstract)
    assert len(part.trans_abstracts) == 1
    assert abstract_text(part.trans_abstracts[0]).startswith("As zonas húmidas")
    assert part.keywords == [["blue carbon", "tidal marsh", "soil organic matter"],
                             ["carbono azul", "sapal", "matéria orgânica"]]
    body = body_text(run_in)
    assert "Coastal wetlands" not in body and "zonas húmidas" not in body
    assert "Keywords" not in body and "Field plots were sampled" in body


def test_article_abstracts_are_written_as_abstract_and_trans_abstract(run_in) -> None:
    meta = build_jats(run_in).getroot().find("front/article-meta")
    abstract = meta.find("abstract")
    assert abstract is not None and abstract.get("abstract-type") is None
    assert meta.find("trans-abstract") is not None
    assert [k.text for k in meta.iterfind("kwd-group/kwd")][:1] == ["blue carbon"]
    assert "Coastal wetlands" in "".join(abstract.itertext())
    body = "".join(build_jats(run_in).getroot().find("body").itertext())
    assert "Coastal wetlands" not in body


def structured_html() -> str:
    css = f"""{PAGE} body {{ font-family: 'DejaVu Sans'; font-size: 10pt; line-height: 1.35 }}
    h1 {{ font-size: 17pt }} .box {{ font-size: 9pt; margin: 10pt 0 }} .box p {{ margin: 0 }}
    .box h3 {{ font-size: 10pt; margin: 0 0 2pt }}
    h2 {{ font-size: 12pt; margin: 16pt 0 4pt }} p {{ margin: 0 0 4pt }}"""
    parts = "".join(f"<p><b>{label}:</b> {SENTENCE * n}</p>" for label, n in (
        ("Background", 2), ("Methods", 3), ("Results", 2), ("Conclusions", 1)))
    return f"""<html lang="en"><head><style>{css}</style></head><body>
<h1>Wetland Soils Under Rising Seas</h1><p>Ana Souza and Wei Chen</p>
<div class="box"><h3>Abstract</h3>{parts}</div>
<h2>Introduction</h2><p>{BODY}</p><p>{BODY}</p></body></html>"""


def test_structured_abstract_keeps_its_parts(tmp_path) -> None:
    document = segmented(structured_html(), tmp_path / "structured.pdf")
    sections = document.parts[0].abstract
    assert [s.title for s in sections] == ["Background", "Methods", "Results", "Conclusions"]
    assert all(abstract_text([s]).startswith("Coastal wetlands") for s in sections)
    assert "Coastal wetlands" not in body_text(document)


def title_block_html() -> str:
    css = """@page { size: A4; margin: 20mm 18mm 24mm;
      @bottom-left { content: "Estuary Letters 12 (2020) 1–9"; font-size: 8pt } }
    body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }
    .journal { font-size: 26pt; margin: 0 0 12pt }
    .head { display: flex; gap: 8mm } .title { width: 120mm }
    .kind { font-size: 16pt; font-style: italic; margin: 0 }
    h1 { font-size: 16pt; margin: 0 0 8pt; font-weight: bold }
    .side { width: 40mm; font-size: 6.5pt; line-height: 1.2 } .side p { margin: 0 }
    h2 { font-size: 12pt; margin: 16pt 0 4pt } p { margin: 0 0 4pt }"""
    side = "".join(f"<p>{t}</p>" for t in (
        "Edited by Maria Lopes", "Received 3 March 2020", "Accepted 9 June 2020",
        "Funding: none declared", "Published 1 July 2020"))
    return f"""<html lang="en"><head><style>{css}</style></head><body>
<p class="journal">Estuary Letters</p>
<div class="head"><div class="title"><p class="kind">Research Article</p>
<h1>Sediment Supply and the Fate of <i>Spartina alterniflora</i> Meadows on Eroding
Coasts</h1></div><div class="side">{side}</div></div>
<p>Ana Souza and Wei Chen</p>
<h2>Introduction</h2><p>{BODY}</p><p>{BODY}</p><p style="break-before: page">{BODY}</p>
</body></html>"""


def test_title_is_not_the_journal_name_label_or_sidebar(tmp_path) -> None:
    document = segmented(title_block_html(), tmp_path / "titleblock.pdf")
    title = document.front.title
    assert title.startswith("Sediment Supply and the Fate of Spartina alterniflora")
    assert title.endswith("Eroding Coasts")
    for stray in ("Estuary Letters", "Research Article", "Edited by", "Received"):
        assert stray not in title


def unheaded_html() -> str:
    css = f"""{PAGE} body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }}
    h1 {{ font-size: 18pt }} .meta {{ font-size: 9pt; margin: 0 0 6pt }}
    .cols {{ columns: 2; column-gap: 7mm }} h2 {{ font-size: 12pt; margin: 0 0 4pt }}
    p {{ margin: 0 0 4pt }}"""
    return f"""<html lang="en"><head><style>{css}</style></head><body>
<h1>Tides and Carbon Burial</h1><p>Ana Souza and Wei Chen</p>
<p class="meta">Received 3 March 2020; Accepted 9 June 2020</p>
<p class="meta">{SENTENCE * 6}</p>
<div class="cols"><h2>1. Introduction</h2><p>{BODY}</p><p>{BODY}</p><p>{BODY}</p></div>
</body></html>"""


def test_abstract_set_across_the_page_without_a_heading(tmp_path) -> None:
    document = segmented(unheaded_html(), tmp_path / "unheaded.pdf")
    part = document.parts[0]
    assert abstract_text(part.abstract).startswith("Coastal wetlands store carbon")
    assert "Received" not in abstract_text(part.abstract)
    assert "Coastal wetlands" not in body_text(document)
    assert "Field plots were sampled" in body_text(document)


def test_one_column_text_has_no_unheaded_abstract(tmp_path) -> None:
    """Without columns below it, a long paragraph under the byline is not taken for an
    abstract: nothing in the layout sets it apart from the text."""
    html = unheaded_html().replace("columns: 2", "columns: 1")
    document = segmented(html, tmp_path / "onecol.pdf")
    assert document.parts[0].abstract == []
    assert "Field plots were sampled" in " ".join(paragraphs(document))


def test_translated_abstract_names_its_language(run_in) -> None:
    meta = build_jats(run_in).getroot().find("front/article-meta")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert meta.find("trans-abstract").get(lang) == "pt"


def summary_box_report_html() -> str:
    """Two essays, each opening a page with its title, a summary box whose parts are set
    in 9 pt but whose last part, a list, in the text's 10 pt."""
    css = f"""{PAGE} body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }}
    h1 {{ font-size: 20pt; break-before: page }} .box h3 {{ font-size: 10pt; margin: 6pt 0 2pt }}
    .box p {{ font-size: 9pt; margin: 0 }} .box li {{ font-size: 10pt }}
    h2 {{ font-size: 12pt; margin: 14pt 0 4pt }} p {{ margin: 0 0 4pt }}"""

    def essay(title: str) -> str:
        return f"""<h1>{title}</h1><p>Ana Souza</p><div class="box">
        <h3>Executive Summary</h3><p>{SENTENCE * 2}</p><h3>Main Argument</h3>
        <p>{SENTENCE * 3}</p><h3>Policy Implications</h3><ul>
        <li>Protect the marshes that still accrete sediment along the coast.</li>
        <li>Restore tidal flow where dikes cut the marsh from the sea.</li></ul></div>
        <h2>Introduction</h2><p>{BODY}</p><p>{BODY}</p>"""

    return f"""<html lang="en"><head><style>{css}</style></head><body>
{essay("Marshes of the North")}{essay("Marshes of the South")}</body></html>"""


def test_summary_part_set_in_another_size_stays_in_the_box(tmp_path) -> None:
    document = segmented(summary_box_report_html(), tmp_path / "boxes.pdf")
    essays = [p for p in document.parts if p.abstract]
    assert len(essays) == 2
    for part in essays:
        assert [s.title for s in part.abstract] == [
            "Executive Summary", "Main Argument", "Policy Implications"]
        body = " ".join(flat(p.content) for p in iter_paragraphs(part)
                        if not any(p is b or p in getattr(b, "items", [])
                                   for s in part.abstract for b in s.blocks))
        assert "Restore tidal flow" not in body


def test_heading_in_a_cell_beside_a_sidebar_heading_opens_an_abstract() -> None:
    """"ARTICLE INFO ⇥ ABSTRACT", letter-spaced, on one line: the second cell opens it."""
    from flows.layout_model import Line, Span
    from flows.profile import DEFAULT_STYLE
    from flows.segment.abstracts import abstract_opening

    def line(text: str) -> Line:
        return Line(1, [Span(text, False, False, False, 7.0, "Sans")], 38, 260, 600, 7.0,
                    (38, 560))

    assert abstract_opening(line("A R T I C L E  I N F O\tA B S T R A C T"),
                            DEFAULT_STYLE) == ("ABSTRACT", False)
    assert abstract_opening(line("A R T I C L E  I N F O\tK E Y W O R D S"),
                            DEFAULT_STYLE) is None


def test_only_names_of_people_are_an_articles_contributors() -> None:
    from flows.segment.front import personal_name

    for name in ("Ana Souza", "R. Kumar", "Mohammed Ali", "Lísley P. Lemos",
                 "Carl-Fredrik Lindberg", "Naveed Ur Rehman"):
        assert personal_name(name), name
    for stray in ("19", "********", "frontiersin.org", "Souza", "Ana Souza ; Wei Chen ;"):
        assert not personal_name(stray), stray
