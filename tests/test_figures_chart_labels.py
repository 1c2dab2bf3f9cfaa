"""A chart drawn as live text in a two-column article: its axis values stand beside the left
column's lines across the gutter, its labels are spread over the chart with wide gaps, an
axis title sits just above the caption, and the caption's notes follow it under a run-in
label ("Notes: …"). None of that is running text; and a figure label abbreviated without
its full stop ("Fig 2.") opens a caption as "Fig. 2." does."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.model import Paragraph, SourceInfo, iter_figures, iter_paragraphs
from flows.profile import DEFAULT_STYLE
from flows.segment import segment
from flows.segment.blocks import caption_kind

LEFT, GUTTER, WIDTH = 50.0, 310.0, 235.0
WORDS = "the water boards of three cities weigh tariffs"


def _run(text: str, x: float, y: float, width: float, size: float = 10.0,
         bold: bool = False) -> Run:
    # the text in a serif, the chart and its caption in a sans (as journals set them)
    return Run(text, x, y, width, size, "Serif" if size == 10.0 else "Sans", bold, False)


def _column(prefix: str, x: float, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} {WORDS}", x, top - 12 * i, WIDTH) for i in range(count)]


def _document() -> ExtractedPdf:
    pages = [Page(n, 595, 842, _column(f"a{n}x", LEFT, 780, 55)
                  + _column(f"b{n}x", GUTTER, 780, 55)) for n in (1, 2)]
    chart = _column("left", LEFT, 780, 55)  # the left column runs the page's height
    chart += _column("right", GUTTER, 780, 20)
    # the chart below the right column's text: axis values at its left edge, on (or just
    # above) the baselines of the left column's lines
    top = 780 - 12 * 22
    for i, value in enumerate(("120", "100", "80", "60", "40", "20")):
        chart.append(_run(value, GUTTER + 4, top - 12 * i + 1.5, 10, 7))
    chart.append(_run("24 hours", GUTTER + 50, top - 12 * 6, 30, 7))
    chart.append(_run("**", GUTTER + 200, top - 12 * 6, 6, 7))
    chart.append(_run("*", GUTTER + 120, top - 12 * 7, 3, 7))
    chart.append(_run("0 3.12 6.24 12.5", GUTTER + 40, top - 12 * 8, 60, 7))
    chart.append(_run("25 50 100 150", GUTTER + 140, top - 12 * 8, 60, 7))
    chart.append(_run("Concentration of the compound (µM)", GUTTER + 60, top - 12 * 9, 140, 9,
                      bold=True))
    cap = top - 12 * 9 - 17
    chart.append(_run("Figure 1 Cell viability after treatment.", GUTTER, cap, 140, 7))
    chart.append(_run("Notes: the cells were treated with the compound for 24 and 48", GUTTER,
                      cap - 9, WIDTH, 7))
    chart.append(_run("hours at each concentration shown.", GUTTER, cap - 18, 120, 7))
    return ExtractedPdf(Path("article.pdf"), "", [*pages, Page(3, 595, 842, chart)])


def _text(paragraph: Paragraph) -> str:
    return "".join(inline.text for inline in paragraph.content)


def test_a_charts_live_text_stays_out_of_the_running_text() -> None:
    document = segment(analyse_layout(_document()), SourceInfo("article.pdf", "", 3))
    body = " ".join(_text(p) for part in document.parts for p in iter_paragraphs(part))
    for words in ("120", "24 hours", "3.12", "Concentration", "Notes:", "hours at each"):
        assert words not in body
    # the left column's lines beside the axis values keep their own words only
    assert f"left22 {WORDS}" in body and f"left23 {WORDS} left24" in body
    figures = list(iter_figures(document))
    assert len(figures) == 1
    caption = "".join(inline.text for inline in figures[0].caption)
    assert caption.startswith("Figure 1 Cell viability") and "hours at each" in caption
    assert "Concentration of the compound (µM)" in " ".join(figures[0].text)


def test_a_label_abbreviated_without_its_stop_opens_a_caption() -> None:
    from flows.layout_model import Line, Span

    def line(text: str) -> Line:
        return Line(1, [Span(text, False, False)], 50, 300, 700, 8, (50, 300))

    assert caption_kind(line("Fig 2. Molecular relationships of the accessions"),
                        DEFAULT_STYLE) == "figure"
    assert caption_kind(line("Fig. 2. Molecular relationships"), DEFAULT_STYLE) == "figure"
    # a cross-reference in running text is none
    assert caption_kind(line("Fig 2 shows the molecular relationships"), DEFAULT_STYLE) == ""
    assert caption_kind(line("Fight 2. Not a label"), DEFAULT_STYLE) == ""
