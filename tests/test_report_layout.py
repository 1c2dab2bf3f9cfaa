"""A report laid out unlike the first one: a cover set in the part-title style, part titles as
running heads (a short part shows its own only once), boxed key findings, a pull quote, a
table followed by an indented paragraph, a sidebar in a margin column, numbered headings,
notes restarting in each part."""

from __future__ import annotations

import pytest
from conftest import flat, segmented

from flows.jats import build_jats
from flows.model import Paragraph, Section, Sidebar, Table, iter_paragraphs, walk_blocks
from flows.render_text import jats_words, render_text, text_words
from flows.validate import validate_jats

SENTENCE = ("Regional grids link producers and buyers across borders, "
            "and prices follow the weather. ")
SIDEBAR = ("In numbers: the northern zone exported power on 300 days of the year, "
           "the southern zone on 41. ") * 3
CSS = """@page { size: letter; margin: 22mm 20mm;
  @bottom-right { content: counter(page); font-size: 8pt }
  @top-left { content: string(part); font-size: 7.5pt; font-style: italic } }
body { font-family: 'Liberation Serif'; font-size: 11pt; line-height: 1.35 }
h1 { font-family: 'Liberation Sans'; font-size: 22pt; string-set: part content();
     page-break-before: always }
.cover h1 { page-break-before: avoid }
h2 { font-family: 'Liberation Sans'; font-size: 14pt }
h3 { font-family: 'Liberation Sans'; font-size: 11.5pt; font-style: italic }
p { margin: 0; text-indent: 1.2em } h2 + p, h3 + p, .box p { text-indent: 0 }
.by { font-size: 12pt; font-weight: bold; text-indent: 0 }
.box { background: #eee; padding: 8pt; margin: 8pt 0 } .box h2 { margin-top: 0 }
.pull { font-size: 15pt; font-style: italic; margin: 10pt 2em; text-indent: 0 }
table { font-size: 9pt; border-collapse: collapse; margin: 6pt 0 }
td, th { border: 0.5pt solid #999; padding: 2pt 6pt }
.cap { font-size: 9pt; text-indent: 0 }
.wrap { display: flex } .main { width: 120mm }
.side { width: 40mm; margin-left: 8mm; font-size: 7.5pt; font-family: 'Liberation Sans' }
.side p { text-indent: 0 }
.fn { float: footnote; font-size: 8.5pt; text-indent: 0 }
.fn::footnote-call { content: counter(footnote); vertical-align: super; font-size: 7pt }
.fn::footnote-marker { content: counter(footnote) ". " }
section { counter-reset: footnote }"""


def para(sentences: int, note: str = "") -> str:
    call = f'<span class="fn">{note}</span>' if note else ""
    return f"<p>{SENTENCE * sentences}{call} {SENTENCE * 2}</p>"


def report_html() -> str:
    return f"""<html lang="en"><head><style>{CSS}</style></head><body>
<div class="cover"><h1>Power Across Borders</h1><p class="by">Energy Policy Papers No. 12</p>
<p class="by">October 2023</p><p class="by">The Grid Institute, Oslo</p>
<p class="by">© 2023 The Grid Institute</p></div>
<section><h1>Interconnectors and Prices</h1><p class="by">Kari Nordmann and Lars Hansen</p>
<div class="box"><h2>Key Findings</h2><p>{SENTENCE * 3}</p><ul>
<li>Prices converge where links are strong.</li><li>Storage matters more in winter.</li></ul></div>
<h2>1. Introduction</h2>{para(6, "First note of the first essay.")}{para(5)}
<p class="pull">“Prices follow the weather more than the markets.”</p>
{para(7, "Second note.")}
<h3>1.1 A short history</h3>{para(8)}
<p class="cap">Table 1. Average prices by zone.</p>
<table><tr><th>Zone</th><th>2021</th><th>2022</th></tr><tr><td>North</td><td>41</td>
<td>102</td></tr><tr><td>South</td><td>55</td><td>130</td></tr></table>
<p>After the table, {SENTENCE * 6}</p>
<h2>2. Outlook</h2><div class="wrap"><div class="main">{para(9)}</div>
<div class="side"><p>{SIDEBAR}</p></div></div>{para(3)}</section>
<section><h1>Storage and Security</h1><p class="by">Ingrid Berg</p>
<div class="box"><h2>Key Findings</h2><p>{SENTENCE * 2}</p></div>
<h2>1. Context</h2>{para(10, "Note one of the second essay.")}
{para(6, "Note two of the second essay.")}</section></body></html>"""


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return segmented(report_html(), tmp_path_factory.mktemp("layout") / "grid.pdf")


def test_cover_is_front_matter_and_parts_are_found(document) -> None:
    front = document.front
    assert front.title == "Power Across Borders" and not front.subtitle
    assert (front.series, front.number, front.year, front.month) == (
        "Energy Policy Papers", "12", "2023", "10")
    assert [flat(p.title) for p in document.parts] == ["Interconnectors and Prices",
                                                       "Storage and Security"]
    assert [[c.name for c in p.contributors] for p in document.parts] == [
        ["Kari Nordmann", "Lars Hansen"], ["Ingrid Berg"]]
    assert [[s.title for s in p.abstract] for p in document.parts] == [["Key Findings"]] * 2


def test_running_heads_pull_quote_and_table_do_not_disturb_the_text(document) -> None:
    first = document.parts[0]
    texts = [flat(p.content) for part in document.parts for p in iter_paragraphs(part)]
    assert not any(t.strip() in ("Storage and Security", "Interconnectors and Prices")
                   for t in texts)
    headings = [flat(b.title) for b in walk_blocks(first.blocks) if isinstance(b, Section)]
    # the default house style keeps printed section numbers in the titles
    assert headings == ["1. Introduction", "1.1 A short history", "2. Outlook"]
    quotes = [b for b in walk_blocks(first.blocks) if isinstance(b, Paragraph) and b.quote]
    assert [flat(q.content) for q in quotes] == [
        "“Prices follow the weather more than the markets.”"]
    table = next(b for b in walk_blocks(first.blocks) if isinstance(b, Table))
    assert all("After the table" not in " ".join(row) for row in table.rows)
    assert any(t.startswith("After the table, Regional grids") for t in texts)


def test_notes_restart_per_part_and_the_jats_is_valid(document) -> None:
    assert [[n.label for n in p.notes] for p in document.parts] == [["1", "2"], ["1", "2"]]
    verdict = validate_jats(build_jats(document))
    assert verdict.passed and not verdict.findings, verdict.findings


def test_a_margin_sidebar_becomes_boxed_text_beside_its_section(document) -> None:
    first = document.parts[0]
    boxes = [b for b in walk_blocks(first.blocks) if isinstance(b, Sidebar)]
    assert len(boxes) == 1
    assert " ".join(flat(p.content) for p in boxes[0].blocks).startswith("In numbers:")
    outlook = next(b for b in walk_blocks(first.blocks)
                   if isinstance(b, Section) and flat(b.title) == "2. Outlook")
    assert boxes[0] in outlook.blocks
    running = [flat(p.content) for b in outlook.blocks if isinstance(b, Paragraph)
               for p in [b]]
    assert not any("In numbers" in text for text in running)
    jats = build_jats(document)
    assert jats.getroot().find(".//boxed-text/p") is not None
    assert jats_words(jats) == text_words(render_text(jats))
