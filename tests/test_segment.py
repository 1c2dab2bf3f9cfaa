"""Segmentation: parts, contributors, summaries, sections, paragraphs, lists, quotes, notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract import extract_pdf
from flows.layout import analyse_layout
from flows.model import ListBlock, Paragraph, Section, SourceInfo, iter_paragraphs
from flows.segment import segment
from flows.segment.common import collapse_letterspacing
from flows.segment.head import split_names


@pytest.fixture(scope="module")
def document(small_report: Path):
    extracted = extract_pdf(small_report)
    layout = analyse_layout(extracted)
    return segment(layout, SourceInfo("small.pdf", extracted.sha256, extracted.page_count))


def flat(rich) -> str:
    return "".join(i.text for i in rich)


def test_parts_and_kinds(document) -> None:
    assert [p.kind for p in document.parts] == ["preface", "essay"]
    assert flat(document.parts[1].title) == "Water Policy in Three Cities"
    assert [c.name for c in document.parts[1].contributors] == ["Ada Example", "Ben Sample"]


def test_summary_becomes_abstract(document) -> None:
    essay = document.parts[1]
    assert [s.title for s in essay.abstract] == ["Executive Summary"]
    first = essay.abstract[0].blocks[0]
    assert isinstance(first, Paragraph)
    assert flat(first.content) == "This essay compares tariffs in three cities."


def test_sections_lists_and_quotes(document) -> None:
    essay = document.parts[1]
    section = essay.blocks[0]
    assert isinstance(section, Section) and flat(section.title) == "Tariffs and Maintenance"
    lists = [b for b in section.blocks if isinstance(b, ListBlock)]
    assert [flat(i.content) for i in lists[0].items] == [
        "First point about pipes and pumps.", "Second point about meters."]
    quotes = [b for b in section.blocks if isinstance(b, Paragraph) and b.quote]
    assert len(quotes) == 1 and flat(quotes[0].content).count("council report") == 4


def test_paragraph_joined_across_pages(document) -> None:
    preface = document.parts[0]
    paragraphs = [flat(p.content) for p in iter_paragraphs(preface)]
    assert len(paragraphs) == 2
    assert paragraphs[0].count("Municipal water boards") == 16
    assert paragraphs[1].startswith("Second paragraph of the preface.")


def test_notes_restart_per_part_and_link(document) -> None:
    preface, essay = document.parts
    assert [n.label for n in preface.notes] == ["1", "2"]
    assert [n.label for n in essay.notes] == ["1", "2"]
    assert len({n.id for n in preface.notes + essay.notes}) == 4
    callouts = [i.target for p in iter_paragraphs(essay) for i in p.content
                if i.kind == "callout"]
    assert callouts == ["1", "2"]
    link = next(i for i in preface.notes[0].content if i.kind == "link")
    assert link.target == "https://example.org/water."[:-1]


def test_helpers() -> None:
    assert collapse_letterspacing("E X E C U T I V E  S U M M A R Y") == "EXECUTIVE SUMMARY"
    assert collapse_letterspacing("Main Argument") == "Main Argument"
    assert split_names("Ma Bin and Zhang Jian") == ["Ma Bin", "Zhang Jian"]
    assert split_names("A. One, B. Two, and C. Three") == ["A. One", "B. Two", "C. Three"]


def test_typesetter_marked_hyphens_decide_line_end_joins(small_report: Path) -> None:
    """Where the typesetter sets its own line-end hyphens as U+2010, a plain "-" at a line
    end is the text's (kept, also inside URL slugs) and a U+2010 is a break (dropped)."""
    from dataclasses import replace

    from flows.layout import Line, Span
    from flows.segment.evidence import gather_evidence
    from flows.segment.richtext import rich_text

    evidence = replace(gather_evidence(analyse_layout(extract_pdf(small_report)), "en"),
                       marks_breaks=True)

    def line(text: str, soft: bool = False) -> Line:
        return Line(1, [Span(text, False, False)], 0, 100, 700, 10, (0, 400), soft_hyphen=soft)

    joined = flat(rich_text([line("see https://example.org/global-"), line("processes now"),
                             line("a well-mean-", soft=True), line("ing reader")], evidence))
    assert joined == "see https://example.org/global-processes now a well-meaning reader"


def test_contents_page_set_like_a_part_title_is_front_matter(tmp_path: Path) -> None:
    from conftest import build_pdf, small_report_html

    contents = ('<section class="part"><h1>Contents</h1><p class="first">Preface 1</p>'
                '<p class="first">Water Policy in Three Cities 3</p></section>')
    html = small_report_html().replace("<body>\n", "<body>\n" + contents, 1)
    pdf = build_pdf(html, tmp_path / "contents.pdf")
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted), SourceInfo(pdf.name, extracted.sha256, 5))
    assert [flat(p.title) for p in document.parts] == ["Preface", "Water Policy in Three Cities"]
    assert "Water Policy in Three Cities 3" in document.front.contents


def test_notes_set_at_the_end_under_a_heading(tmp_path: Path) -> None:
    from conftest import segmented

    text = "Cities plan transit years ahead, and budgets rarely follow the plans. " * 8
    html = f"""<html lang="en"><head><style>@page {{ size: A4; margin: 25mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt }} h1 {{ font-size: 20pt }}
      h2 {{ font-size: 13pt }} sup {{ font-size: 6.5pt }} .notes p {{ font-size: 9pt }}
      </style></head><body><h1>Transit Budgets</h1><p>By Mara Quist</p>
      <h2>Plans</h2><p>{text}<sup>1</sup> {text}</p><h2>Budgets</h2><p>{text}<sup>2</sup></p>
      <h2>Notes</h2><div class="notes"><p>1. City plan of 2015, chapter 3.</p>
      <p>2. Interview with the transit authority, May 2021.</p></div></body></html>"""
    part = segmented(html, tmp_path / "endnotes.pdf").parts[0]
    assert [n.label for n in part.notes] == ["1", "2"]
    assert [flat(s.title) for s in part.blocks if isinstance(s, Section)] == ["Plans", "Budgets"]
    callouts = [i.target for p in iter_paragraphs(part) for i in p.content
                if i.kind == "callout"]
    assert callouts == ["1", "2"]


def test_numbered_headings_in_one_style_nest_by_their_numbers(tmp_path: Path) -> None:
    from conftest import segmented

    text = "Cities plan transit years ahead, and budgets rarely follow the plans. " * 6
    heads = [("h2", "1. Plans"), ("h3", "1.1 Early plans"), ("h3", "1.2 Later plans"),
             ("h2", "2. Budgets"), ("h3", "2.1 Capital")]
    html = f"""<html lang="en"><head><style>@page {{ size: A4; margin: 25mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt }} h1 {{ font-size: 20pt }}
      h2, h3 {{ font-size: 11pt; font-weight: bold }}</style></head><body>
      <h1>Transit</h1><p>By Mara Quist</p>
      {"".join(f"<{tag}>{title}</{tag}><p>{text}</p>" for tag, title in heads)}</body></html>"""
    part = segmented(html, tmp_path / "numbered.pdf").parts[0]
    # (the printed numbers stay in the titles: HouseStyle.section_numbers)
    def number(section: Section) -> str:
        return flat(section.title).split()[0]

    tree = [(number(s), [number(c) for c in s.blocks if isinstance(c, Section)])
            for s in part.blocks if isinstance(s, Section)]
    assert tree == [("1.", ["1.1", "1.2"]), ("2.", ["2.1"])]
