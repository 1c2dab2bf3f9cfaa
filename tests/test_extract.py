"""Extraction keeps geometry and style, and refuses inputs it cannot read with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_pdf
from pypdf import PdfWriter

from flows.extract import Limits, PdfInputError, extract_pdf


def test_runs_carry_position_size_and_style(small_report: Path) -> None:
    doc = extract_pdf(small_report)
    assert doc.page_count >= 3
    assert len(doc.sha256) == 64
    runs = [r for p in doc.pages for r in p.runs]
    title = next(r for r in runs if r.text.strip() == "Preface")
    body = next(r for r in runs if "Municipal" in r.text)
    assert title.bold and not body.bold
    assert title.size == pytest.approx(20, abs=0.1) and body.size == pytest.approx(10, abs=0.1)
    first_page = doc.pages[0]
    assert 0 < title.x < first_page.width and title.y > body.y  # title above the text
    assert body.width > 50  # measured from the font's widths, not guessed from the length


def test_callouts_are_small_and_raised(small_report: Path) -> None:
    doc = extract_pdf(small_report)
    page = doc.pages[0]
    callouts = [r for r in page.runs if r.text.strip() == "1" and r.size < 8]
    assert callouts, "the footnote callout is a separate, smaller run"
    line = min((r for r in page.runs if r.size == pytest.approx(10, abs=0.1)),
               key=lambda r: abs(r.y - callouts[0].y))
    assert 0 < callouts[0].y - line.y < 10 or callouts[0].y > line.y


def test_italic_is_detected(tmp_path: Path) -> None:
    pdf = build_pdf("<p style='font-family:DejaVu Serif'>plain <i>slanted words</i></p>",
                    tmp_path / "i.pdf")
    runs = extract_pdf(pdf).pages[0].runs
    assert any(r.italic and "slanted" in r.text for r in runs)
    assert any(not r.italic and "plain" in r.text for r in runs)


def test_not_a_pdf(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_text("just some text")
    with pytest.raises(PdfInputError, match="not a PDF"):
        extract_pdf(bad)


def test_truncated_pdf(small_report: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(small_report.read_bytes()[:800])
    with pytest.raises(PdfInputError):
        extract_pdf(cut)


def test_no_text_layer_needs_ocr(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(PdfInputError, match="OCR"):
        extract_pdf(path)


def test_page_limit(small_report: Path) -> None:
    with pytest.raises(PdfInputError, match="over the limit"):
        extract_pdf(small_report, Limits(max_pages=1))


# ------------------------------------------------------------- runs from the glyph layer
def _runs(tmp_path: Path, content: str, **kwargs) -> list[tuple[str, float, float]]:
    from test_glyph_layer import pdf_bytes

    path = tmp_path / "t.pdf"
    path.write_bytes(pdf_bytes(content, **kwargs))
    page = extract_pdf(path).pages[0]
    return [(r.text, r.x, r.y) for r in sorted(page.runs, key=lambda r: (-r.y, r.x))]


def test_words_come_from_measured_gaps(tmp_path: Path) -> None:
    # a TeX-like line: no space glyphs, word spaces by position, kerns inside words
    runs = _runs(tmp_path, "BT /F1 10 Tf 100 700 Td [(Tight) 30 (ly) -250 (set) -180 "
                           "(justi) 20 (fied) -260 (line)] TJ ET")
    assert [text for text, _x, _y in runs] == ["Tightly set justified line"]


def test_form_text_is_placed_by_the_form_matrix_and_the_ctm(tmp_path: Path) -> None:
    # a chart embedded as a form: its labels land where the form is drawn, scaled with it,
    # and a label outside the form's /BBox is not on the page
    runs = _runs(tmp_path, "BT /F1 10 Tf 72 700 Td (Body text) Tj ET q 0.5 0 0 0.5 72 400 cm "
                           "/X1 Do Q",
                 form="BT /F1 10 Tf 10 10 Td (Label) Tj ET BT /F1 10 Tf 10 900 Td (Gone) Tj ET",
                 form_dict="/BBox [0 0 300 300] /Matrix [1 0 0 1 20 0]")
    assert runs[0][0] == "Body text"
    assert runs[1] == ("Label", 72 + (20 + 10) * 0.5, 400 + 10 * 0.5)
    assert len(runs) == 2


def test_an_invisible_ocr_layer_is_the_text_only_where_nothing_else_is(tmp_path: Path) -> None:
    only_invisible = _runs(tmp_path, "BT /F1 10 Tf 3 Tr 72 700 Td (Scanned words) Tj ET")
    assert [r[0] for r in only_invisible] == ["Scanned words"]
    hidden = _runs(tmp_path, "BT /F1 10 Tf 72 700 Td (Printed words) Tj ET "
                             "BT /F1 10 Tf 3 Tr 72 600 Td (Hidden words) Tj ET")
    assert [r[0] for r in hidden] == ["Printed words"]


def _with_unmapped_font(tmp_path: Path, glyph_count: int) -> Path:
    """A page of readable Helvetica text and a CID font without any Unicode map (no
    ToUnicode, Identity-H) drawing ``glyph_count`` glyphs: a main font with an empty map."""
    from test_glyph_layer import pdf_bytes

    codes = "".join(f"{code:04X}" for code in range(1, glyph_count + 1))
    data = pdf_bytes("BT /F1 10 Tf 72 700 Td (Readable words on the page) Tj ET "
                     f"BT /F2 10 Tf 72 600 Td <{codes}> Tj ET")
    data = data.replace(b"/Font << /F1 4 0 R >> /XObject",
                        b"/Font << /F1 4 0 R /F2 << /Type /Font /Subtype /Type0 /BaseFont "
                        b"/Mystery /Encoding /Identity-H >> >> /XObject", 1)
    path = tmp_path / f"unmapped-{glyph_count}.pdf"
    path.write_bytes(data)
    return path


def test_a_font_without_a_unicode_map_is_named_and_the_rest_is_read(tmp_path: Path) -> None:
    # issue 14: where a map is missing, say so per font and go on with what can be read;
    # 15 unreadable glyphs beside 26 readable characters: most of the text can be read
    doc = extract_pdf(_with_unmapped_font(tmp_path, 15))
    assert doc.unmapped_fonts == {"Mystery": 15}
    assert "".join(r.text for r in doc.pages[0].runs) == "Readable words on the page"


def test_a_document_mostly_in_unreadable_fonts_is_refused(tmp_path: Path) -> None:
    # 40 unreadable glyphs beside 26 readable characters: most of the document would be lost
    with pytest.raises(PdfInputError, match="no usable Unicode mapping"):
        extract_pdf(_with_unmapped_font(tmp_path, 40))


def test_a_callout_splits_the_line_where_it_sits(tmp_path: Path) -> None:
    runs = _runs(tmp_path, "BT /F1 10 Tf 72 700 Td (Said so. Then more) Tj ET "
                           "BT /F1 6 Tf 108.2 704 Td (12) Tj ET")  # after "so."
    assert [r[0] for r in runs] == ["12", "Said so.", " Then more"]


def test_fonts_without_unicode_are_named(tmp_path: Path) -> None:
    from test_glyph_layer import pdf_bytes

    data = pdf_bytes("BT /F1 10 Tf 72 700 Td (Readable words on the page) Tj ET "
                     "BT /F2 10 Tf 72 600 Td <01> Tj ET")
    # a second font, a CID font without a ToUnicode map, drawing one glyph
    data = data.replace(b"/Font << /F1 4 0 R >> /XObject",
                        b"/Font << /F1 4 0 R /F2 << /Type /Font /Subtype /Type0 /BaseFont "
                        b"/Mystery /Encoding /Identity-H >> >> /XObject", 1)
    data = data.replace(b"<01> Tj", b"<0102> Tj")
    path = tmp_path / "u.pdf"
    path.write_bytes(data)
    doc = extract_pdf(path)
    assert doc.unmapped_fonts == {"Mystery": 1}
    assert "".join(r.text for r in doc.pages[0].runs) == "Readable words on the page"
