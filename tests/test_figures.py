"""Figures: an embedded image beside a caption becomes fig + graphic with the image exported;
images repeated on every page (a logo) are decoration."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from conftest import build_pdf
from PIL import Image

from flows.extract import export_images, extract_pdf
from flows.jats import build_jats, serialize
from flows.jats_reader import read_jats
from flows.layout import analyse_layout
from flows.model import SourceInfo, iter_figures
from flows.segment import segment
from flows.xmlsafe import parse_xml


def png_data_uri(color: str, size: tuple[int, int] = (240, 160)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def figure_pdf(tmp_path_factory) -> Path:
    logo = png_data_uri("navy", (60, 60))
    words = "Reservoir levels fell in every season of the decade we studied. " * 12
    html = f"""<html lang="en"><head><style>
      @page {{ size: A5; margin: 20mm; @top-left {{ content: element(logo) }} }}
      .logo {{ position: running(logo) }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt }}
      h1 {{ font-size: 18pt }} p {{ text-align: justify }}
      .cap {{ font-size: 8pt }}</style></head><body>
      <div class="logo"><img src="{logo}" width="40" height="40"></div>
      <h1>Reservoirs</h1><p>{words}</p>
      <p><img src="{png_data_uri('darkgreen')}" width="240" height="160"></p>
      <p class="cap">Figure 1: Reservoir levels by season.</p>
      {"".join("<p>" + words + "</p>" for _ in range(7))}</body></html>"""
    return build_pdf(html, tmp_path_factory.mktemp("fig") / "figure.pdf")


def test_captioned_image_becomes_a_figure(figure_pdf: Path, tmp_path: Path) -> None:
    extracted = extract_pdf(figure_pdf)
    layout = analyse_layout(extracted)
    assert len(extracted.pages) >= 3
    # the logo repeats at the same place on every page: decoration, not a figure
    assert sum(len(p.images) for p in layout.pages) == 1
    document = segment(layout, SourceInfo(figure_pdf.name, extracted.sha256,
                                          extracted.page_count))
    figures = list(iter_figures(document))
    assert len(figures) == 1 and figures[0].source_image
    names = export_images(figure_pdf, [figures[0].source_image], tmp_path, "figure")
    figures[0].image = names[figures[0].source_image]
    with Image.open(tmp_path / figures[0].image) as image:
        assert image.size == (240, 160)
    fig = build_jats(document).getroot().find(".//fig")
    assert "".join(fig.find("caption/p").itertext()).endswith("Reservoir levels by season.")
    assert fig.find("graphic").get("{http://www.w3.org/1999/xlink}href") == figures[0].image


def test_uncaptioned_image_keeps_its_place_in_the_text(tmp_path: Path) -> None:
    before = "Rainfall came late in the first year of the survey. " * 6
    after = "The second year brought floods to the lower valley. " * 6
    html = f"""<html lang="en"><head><style>@page {{ size: A5; margin: 20mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt }} h1 {{ font-size: 18pt }}
      </style></head><body><h1>Rainfall</h1><p>{before}</p>
      <p><img src="{png_data_uri('maroon')}" width="200" height="120"></p>
      <p>{after}</p></body></html>"""
    pdf = build_pdf(html, tmp_path / "uncaptioned.pdf")
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted),
                       SourceInfo(pdf.name, extracted.sha256, extracted.page_count))
    figures = list(iter_figures(document))
    assert len(figures) == 1 and figures[0].source_image and not figures[0].caption
    figures[0].image = "uncaptioned-1.png"
    body = build_jats(document).getroot().find("body")
    order = [el.tag for el in body.iter("p", "fig") if el.getparent().tag != "caption"]
    texts = ["".join(el.itertext())[:8] for el in body.iter("p")]
    assert order == ["p", "fig", "p"], (order, texts)
    assert body.find(".//fig/graphic") is not None and body.find(".//fig/caption") is None


def chart_html(caption_at: str) -> str:
    """A vector bar chart (SVG: its labels are real text in the PDF) beside its caption."""
    bars = "".join(f'<rect x="{40 + i * 60}" y="{150 - h}" width="40" height="{h}"/>'
                   f'<text x="{45 + i * 60}" y="170" font-size="9">{year}</text>'
                   f'<text x="{45 + i * 60}" y="{145 - h}" font-size="8">{h}%</text>'
                   for i, (year, h) in enumerate([(2019, 40), (2020, 80), (2021, 120)]))
    svg = (f'<svg width="300" height="200" xmlns="http://www.w3.org/2000/svg">{bars}'
           '<text x="120" y="190" font-size="8">Fiscal year</text></svg>')
    caption = '<p class="cap">Figure 1: Share of the budget spent on repairs.</p>'
    chart = {"below": f"<div>{svg}</div>{caption}", "above": f"{caption}<div>{svg}</div>",
             "none": f"<div>{svg}</div>"}[caption_at]
    words = "Repair budgets grew in every city we studied over the three years. " * 8
    return f"""<html lang="en"><head><style>@page {{ size: A4; margin: 25mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt }} h1 {{ font-size: 20pt }}
      .cap {{ font-size: 9pt }}</style></head><body><h1>Budgets</h1><p>{words}</p>
      {chart}<p>{words}</p></body></html>"""


@pytest.mark.parametrize("caption_at", ["above", "below", "none"])
def test_chart_labels_stay_in_the_figure(caption_at: str, tmp_path: Path) -> None:
    from flows.render_html import render_html
    from flows.render_text import jats_words, render_text, text_words

    pdf = build_pdf(chart_html(caption_at), tmp_path / "chart.pdf")
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted),
                       SourceInfo(pdf.name, extracted.sha256, extracted.page_count))
    figures = list(iter_figures(document))
    assert len(figures) == 1
    assert {"2019", "2021", "120%", "Fiscal year"} <= set(figures[0].text)
    jats = build_jats(document)
    body_text = " ".join(p.xpath("string()") for p in jats.getroot().iter("p")
                         if p.getparent().tag != "fig" and p.getparent().tag != "caption")
    assert "Fiscal year" not in body_text and "2019" not in body_text
    assert jats_words(jats) == text_words(render_text(jats))
    assert "figure-text" in render_html(jats)
    data = serialize(jats)
    assert serialize(build_jats(read_jats(parse_xml(data)))) == data  # labels round-trip
