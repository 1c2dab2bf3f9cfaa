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
