"""A two-column article unlike the pairs: a subtitle above a "By …" line, a boxed abstract,
headings in small capitals made by shrinking capitals and numbered in roman numerals, dashed
lists, an indented quote and notes across the foot of the page."""

from __future__ import annotations

import pytest
from conftest import flat, segmented

from flows.model import ListBlock, Paragraph, Section, iter_paragraphs, walk_blocks

SENTENCE = ("Fisheries agreements set quotas that coastal states then enforce with patrols "
            "and licences. ")
CSS = """@page { size: A4; margin: 20mm 18mm 24mm }
body { font-family: 'DejaVu Sans'; font-size: 9.5pt; line-height: 1.3 }
.head { column-span: all } h1 { font-size: 19pt; margin: 0 0 4pt }
.sub { font-size: 12pt; margin: 0 0 6pt } .by { font-size: 10pt; font-style: italic }
.abstract { border: 0.6pt solid #333; padding: 6pt; margin: 8pt 0 10pt; font-size: 9pt }
.cols { columns: 2; column-gap: 7mm; text-align: justify }
h2 { font-size: 10.5pt; font-variant: small-caps; letter-spacing: 0.5pt; margin: 8pt 0 3pt }
p { margin: 0 0 4pt } blockquote { margin: 4pt 6mm; font-style: italic; font-size: 9pt }
ul { padding-left: 4mm; margin: 2pt 0 } li { list-style: '– ' }
.fn { float: footnote; font-size: 7.5pt }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 6pt }
.fn::footnote-marker { content: counter(footnote) " " }"""


def para(sentences: int, note: str = "") -> str:
    call = f'<span class="fn">{note}</span>' if note else ""
    return f"<p>{SENTENCE * sentences}{call} {SENTENCE * 2}</p>"


def article_html() -> str:
    return f"""<html lang="en"><head><style>{CSS}</style></head><body>
<div class="head"><h1>Quotas at Sea</h1>
<p class="sub">How Coastal States Enforce Fisheries Agreements</p>
<p class="by">By Ana Souza and Wei Chen</p><p>March 2024</p>
<div class="abstract"><b>Abstract</b><p>{SENTENCE * 3}</p></div></div>
<div class="cols"><h2>I. Background</h2>{para(5, "See the 2019 agreement.")}{para(4)}
<blockquote><p>{SENTENCE * 2}</p></blockquote>{para(6, "Patrol records.")}
<h2>II. Enforcement</h2>{para(7)}<ul><li>{SENTENCE}</li><li>Licences are checked at port.</li>
<li>{SENTENCE}</li></ul>{para(8, "Fees vary by vessel length.")}{para(6)}
<h2>III. Conclusion</h2>{para(9, "On the limits of patrols.")}{para(5)}</div></body></html>"""


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return segmented(article_html(), tmp_path_factory.mktemp("article") / "quotas.pdf")


def test_title_subtitle_byline_and_abstract(document) -> None:
    front = document.front
    assert (front.title, front.subtitle) == ("Quotas at Sea",
                                             "How Coastal States Enforce Fisheries Agreements")
    assert front.authors == ["Ana Souza", "Wei Chen"]
    assert (front.year, front.month) == ("2024", "3")
    assert [s.title for s in document.parts[0].abstract] == ["Abstract"]


def test_small_capital_roman_headings_lists_quotes_and_notes(document) -> None:
    part = document.parts[0]
    sections = [b for b in walk_blocks(part.blocks) if isinstance(b, Section)]
    # (the printed numbers stay in the titles: HouseStyle.section_numbers)
    assert [(s.label, flat(s.title)) for s in sections] == [
        ("", "I. Background"), ("", "II. Enforcement"), ("", "III. Conclusion")]
    lists = [b for b in walk_blocks(part.blocks) if isinstance(b, ListBlock)]
    assert [len(b.items) for b in lists] == [3] and not lists[0].ordered
    quotes = [b for b in walk_blocks(part.blocks) if isinstance(b, Paragraph) and b.quote]
    assert len(quotes) == 1
    assert [n.label for n in part.notes] == ["1", "2", "3", "4"]
    callouts = [i.target for p in iter_paragraphs(part) for i in p.content
                if i.kind == "callout"]
    assert callouts == ["1", "2", "3", "4"]
