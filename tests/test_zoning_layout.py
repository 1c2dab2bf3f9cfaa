"""Zoning rules for kinds of journal layout: the body size where a long reference list in
smaller type outweighs the text, subscripts set by lowering the baseline, running-head
ornaments, captions with a run-in bold label."""

from __future__ import annotations

from pathlib import Path

from conftest import build_pdf

from flows.extract import ExtractedPdf, Page, Run, extract_pdf
from flows.layout import analyse_layout, body_size
from flows.layout_furniture import mark_furniture, mark_identifier_lines
from flows.layout_model import Line, PageLayout, Role, Span
from flows.layout_params import DEFAULT_LAYOUT
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import caption_kind

WORDS = "water boards weigh tariffs against maintenance backlogs every year".split()


def _prose(count: int, start: int = 0) -> str:
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(count))


def _page(number: int, size: float, lines: int) -> Page:
    runs = [Run(_prose(12, i), 72, 750 - i * size * 1.2, 400, size, "Serif", False, False)
            for i in range(lines)]
    return Page(number, 595, 842, runs)


def test_body_size_is_the_texts_not_the_longer_reference_lists() -> None:
    # A review: four pages of 10 pt text, then six pages of 8 pt references holding more
    # characters than the text does.
    pages = [_page(n, 10.0, 50) for n in range(1, 5)] + [
        _page(n, 8.0, 70) for n in range(5, 11)]
    doc = ExtractedPdf(Path("review.pdf"), "", pages)
    assert sum(len(r.text) for p in pages[4:] for r in p.runs) > sum(
        len(r.text) for p in pages[:4] for r in p.runs)
    assert body_size(doc, DEFAULT_LAYOUT) == 10.0


def test_body_size_of_a_short_document_counts_every_page() -> None:
    # two pages: the leading half would be the first page only, a title page in 12 pt
    pages = [_page(1, 12.0, 20), _page(2, 9.0, 60)]
    assert body_size(ExtractedPdf(Path("short.pdf"), "", pages), DEFAULT_LAYOUT) == 9.0


def test_body_paragraphs_of_a_review_are_no_headings(tmp_path: Path) -> None:
    # six pages of text, then a reference list with more characters over fewer pages
    text = " ".join(f"<p>{_prose(60, i)}.</p>" for i in range(30))
    refs = " ".join(f"<p class='ref'>{i}. Author A, Author B. {_prose(40, i)}. Journal "
                    f"{i}:1-9.</p>" for i in range(1, 121))
    html = (f"<html><head><style>@page {{ size: A5; margin: 15mm }} body {{ font-family: "
            f"'DejaVu Serif'; font-size: 10pt }} .ref {{ font-size: 7pt; margin: 0 }}"
            f"</style></head><body>{text}<h2>References</h2>{refs}</body></html>")
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "review.pdf")))
    sizes = [ln.size for ln in layout.lines()]
    assert sizes.count(7.0) > sizes.count(10.0)
    assert layout.body_size == 10.0


def test_lowered_subscripts_stay_on_their_line() -> None:
    # "released CO₂ and E_loss rose": each subscript its own run, smaller and lowered, set
    # right after the run it belongs to, as typesetters write chemical formulas and indices
    runs = [Run("The plant released CO", 72, 700, 100, 10, "Serif", False, False),
            Run("2", 172, 697.5, 4, 7, "Serif", False, False),
            Run(" and E", 176, 700, 30, 10, "Serif", False, False),
            Run("loss", 206, 697.5, 14, 7, "Serif", False, False),
            Run(" rose over the year.", 220, 700, 90, 10, "Serif", False, False)]
    runs += [Run(_prose(12, i), 72, 688 - 12 * i, 400, 10, "Serif", False, False)
             for i in range(30)]
    layout = analyse_layout(ExtractedPdf(Path("sub.pdf"), "", [Page(1, 595, 842, runs)]))
    texts = [ln.text for ln in layout.lines()]
    assert texts[0] == "The plant released CO2 and Eloss rose over the year."
    assert len(texts) == 31


def test_small_words_below_a_line_are_a_line_of_their_own() -> None:
    # a note set in small type a little below the text's last line is not a subscript
    runs = [Run(_prose(12, i), 72, 700 - 12 * i, 400, 10, "Serif", False, False)
            for i in range(30)]
    runs.append(Run("Source: water boards", 72, 700 - 12 * 29 - 4, 80, 7, "Serif", False,
                    False))
    layout = analyse_layout(ExtractedPdf(Path("small.pdf"), "", [Page(1, 595, 842, runs)]))
    assert "Source: water boards" in [ln.text for ln in layout.lines()]


def _line(text: str, y: float, *, page: int, x0: float = 72, size: float = 10.0,
          spans: list[Span] | None = None) -> Line:
    return Line(page, spans or [Span(text, False, False, False, size, "Serif")], x0,
                x0 + 6 * len(text), y, size, (72, 540))


def test_a_running_head_ornament_is_furniture() -> None:
    # a one-character rule beside the folio at the top of every page
    pages = []
    for number in range(1, 6):
        lines = [_line(f"{number} of 5", 760, page=number),
                 _line("|", 758, page=number, x0=90, size=13.5),
                 *[_line(_prose(12, i + number), 700 - 12 * i, page=number)
                       for i in range(20)]]
        pages.append(PageLayout(number, 595, 842, lines))
    mark_furniture(pages)
    ornaments = [ln for p in pages for ln in p.lines if ln.text == "|"]
    assert all(ln.role is Role.FURNITURE for ln in ornaments)
    assert all(ln.role is Role.BODY for p in pages for ln in p.lines[3:])


def test_a_single_letter_is_no_ornament() -> None:
    pages = []
    for number in range(1, 6):
        lines = [_line("A", 758, page=number, x0=90),
                 *[_line(_prose(12, i + number), 700 - 12 * i, page=number)
                       for i in range(20)]]
        pages.append(PageLayout(number, 595, 842, lines))
    mark_furniture(pages)
    assert all(ln.role is Role.BODY for p in pages for ln in p.lines)


def _spans(*parts: tuple[str, bool, bool]) -> list[Span]:
    return [Span(text, bold, italic, False, 8.0, "Sans") for text, bold, italic in parts]


def test_a_run_in_bold_label_opens_a_caption() -> None:
    fig = _line("", 300, page=1, spans=_spans(("Fig. 2", True, False),
                                             (" Key merits of the methods", False, False)))
    table = _line("", 300, page=1, spans=_spans(
        ("Table 1 Examples of particles prepared by reduction", True, False)))
    italic = _line("", 300, page=1, spans=_spans(("Figure 3", False, True),
                                                (" Tariffs by city", False, False)))
    assert caption_kind(fig, DEFAULT_STYLE) == "figure"
    assert caption_kind(table, DEFAULT_STYLE) == "table"
    assert caption_kind(italic, DEFAULT_STYLE) == "figure"


def test_a_cross_reference_opening_a_line_is_no_caption() -> None:
    plain = _line("", 300, page=1, spans=_spans(("Figure 2 shows the tariffs", False, False)))
    bold_word = _line("", 300, page=1, spans=_spans(("Table", True, False),
                                                   (" 2 lists the cities", False, False)))
    assert caption_kind(plain, DEFAULT_STYLE) == ""
    assert caption_kind(bold_word, DEFAULT_STYLE) == ""
    with_separator = _line("Figure 2: Tariffs by city", 300, page=1)
    assert caption_kind(with_separator, DEFAULT_STYLE) == "figure"


def test_a_folio_on_the_footers_baseline_is_furniture() -> None:
    # the page number at the right end of the foot, its baseline a hair above the footer's
    pages = []
    for number in range(1, 3):
        lines = [*[_line(_prose(12, i + number), 700 - 12 * i, page=number)
                   for i in range(20)],
                 _line(str(number), 18.13, page=number, x0=550),
                 _line(f"Journal of Water | ({2018 + number}) {number}:38", 18.12,
                       page=number, size=8.0)]
        pages.append(PageLayout(number, 595, 842, lines))
    mark_furniture(pages)
    assert all(ln.role is Role.FURNITURE for p in pages for ln in p.lines
               if ln.text.isdigit())


def test_a_raised_list_of_citations_rides_on_its_line() -> None:
    runs = [Run(_prose(12, i), 72, 700 - 10 * i, 400, 9, "Serif", False, False)
            for i in range(30)]
    runs.append(Run("by using disc diffusion method", 72, 400, 140, 9, "Serif", False, False))
    runs.append(Run("2,4,7,40,41", 212, 403, 25, 5.8, "Serif", False, False))
    layout = analyse_layout(ExtractedPdf(Path("cite.pdf"), "", [Page(1, 595, 842, runs)]))
    line = next(ln for ln in layout.lines() if "diffusion" in ln.text)
    assert [s.text for s in line.spans if s.raised] == ["2,4,7,40,41"]
    assert "2,4,7,40,41" not in [ln.text.strip() for ln in layout.lines()]


def test_a_label_in_a_face_of_its_own_opens_a_caption() -> None:
    # font names that do not say bold: the label is told by its face alone
    face = [Span("Figure 1", False, False, False, 8.0, "Vnxyfw.B"),
            Span(" Location of the study area", False, False, False, 8.0, "Rdksxj")]
    assert caption_kind(_line("", 300, page=1, spans=face), DEFAULT_STYLE) == "figure"
    whole = [Span("Table 1 Some data about farming", False, False, False, 9.0, "Vnxyfw.B")]
    line = _line("", 300, page=1, spans=whole)
    assert caption_kind(line, DEFAULT_STYLE, body_font="Rdksxj") == "table"
    assert caption_kind(line, DEFAULT_STYLE, body_font="Vnxyfw.B") == ""


def test_a_cross_reference_before_an_italic_word_is_no_caption() -> None:
    spans = [Span("Table 2 lists the yields of", False, False, False, 9.0, "Serif"),
             Span(" Aloe vera", False, True, False, 9.0, "Serif-Italic")]
    line = _line("", 300, page=1, spans=spans)
    assert caption_kind(line, DEFAULT_STYLE, body_font="Serif") == ""


def test_a_journal_line_with_a_doi_at_the_foot_of_page_one_is_furniture() -> None:
    lines = [*[_line(_prose(12, i), 700 - 12 * i, page=1) for i in range(20)],
             _line("as the councils argue about doi:10.1000/182 in the text", 460, page=1),
             _line("Materials 2019, 12, 2465; doi:10.3390/ma12152465", 42, page=1, size=8),
             _line("https://doi.org/10.1111/age.70005", 30, page=1, size=7)]
    page = PageLayout(1, 595, 842, lines)
    mark_identifier_lines([page], 10.0, DEFAULT_LAYOUT)
    assert [ln.role for ln in lines[-2:]] == [Role.FURNITURE, Role.FURNITURE]
    assert all(ln.role is Role.BODY for ln in lines[:-2])


def test_a_small_last_line_without_an_identifier_stays_text() -> None:
    lines = [*[_line(_prose(12, i), 700 - 12 * i, page=1) for i in range(20)],
             _line("Source: water boards of three cities", 42, page=1, size=8)]
    mark_identifier_lines([PageLayout(1, 595, 842, lines)], 10.0, DEFAULT_LAYOUT)
    assert all(ln.role is Role.BODY for ln in lines)


def test_a_notes_doi_at_the_page_foot_stays_text() -> None:
    # the last lines of a note area: a note opening with its label, a close continuation
    lines = [*[_line(_prose(12, i), 700 - 12 * i, page=1) for i in range(20)],
             _line("3 See the water boards, Water Policy 12 (2019),", 60, page=1, size=8),
             _line("https://doi.org/10.1000/182.", 51, page=1, size=8)]
    mark_identifier_lines([PageLayout(1, 595, 842, lines)], 10.0, DEFAULT_LAYOUT)
    assert all(ln.role is Role.BODY for ln in lines)
    single = [*[_line(_prose(12, i), 700 - 12 * i, page=1) for i in range(20)],
              _line("12 doi:10.1000/182.", 51, page=1, size=8)]
    mark_identifier_lines([PageLayout(1, 595, 842, single)], 10.0, DEFAULT_LAYOUT)
    assert all(ln.role is Role.BODY for ln in single)


def test_a_doi_line_at_the_foot_of_a_later_page_stays_text() -> None:
    # beyond the first page, an article's own DOI stands in running heads, which recur
    first = [_line(_prose(12, i), 700 - 12 * i, page=1) for i in range(20)]
    later = [*[_line(_prose(12, i + 3), 700 - 12 * i, page=2) for i in range(20)],
             _line("Water Policy 12 (2019); doi:10.1000/182", 30, page=2, size=7)]
    pages = [PageLayout(1, 595, 842, first), PageLayout(2, 595, 842, later)]
    mark_identifier_lines(pages, 10.0, DEFAULT_LAYOUT)
    assert all(ln.role is Role.BODY for ln in later)
