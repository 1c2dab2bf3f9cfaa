"""Layout analysis: furniture, notes, reading order and columns found from evidence."""

from __future__ import annotations

from pathlib import Path

from conftest import build_pdf

from flows.extract import extract_pdf
from flows.layout import Role, analyse_layout


def test_running_heads_and_folios_are_furniture(small_report: Path) -> None:
    layout = analyse_layout(extract_pdf(small_report))
    furniture = [ln.text.strip() for ln in layout.lines(Role.FURNITURE)]
    assert furniture.count("Test Series Occasional Paper") == len(layout.pages)
    assert all(not ln.text.strip().isdigit() for ln in layout.lines(Role.BODY))
    assert layout.body_size == 10.0


def test_notes_are_found_at_the_page_foot(small_report: Path) -> None:
    layout = analyse_layout(extract_pdf(small_report))
    notes = [ln.text for ln in layout.lines(Role.NOTE)]
    assert any("Preface note one" in n for n in notes)
    assert any("Essay note two" in n for n in notes)
    assert not any("Municipal" in n for n in notes)


def test_superscript_callout_joins_its_line(small_report: Path) -> None:
    layout = analyse_layout(extract_pdf(small_report))
    line = next(ln for ln in layout.lines(Role.BODY) if "Second paragraph" in ln.text)
    raised = [s.text for s in line.spans if s.raised]
    assert raised == ["2"]


def test_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    left = " ".join(f"left{i}" for i in range(300))
    right = " ".join(f"right{i}" for i in range(300))
    html = (f"<html><head><style>@page {{ size: A4; margin: 20mm }} body {{ columns: 2; "
            f"column-gap: 12mm; font-family: 'DejaVu Serif'; font-size: 10pt }}"
            f"</style></head><body><p>{left}</p><p>{right}</p></body></html>")
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "two.pdf")))
    first_page = layout.pages[0]
    columns = {ln.column for ln in first_page.lines}
    assert len(columns) == 2
    text = " ".join(ln.text for ln in first_page.lines)
    words = text.split()
    # Reading order: the left column runs to its foot before the right column starts.
    assert words.index("left10") < words.index("left60")
    order = [int(w[4:]) for w in words if w.startswith("left") and w[4:].isdigit()]
    assert order == sorted(order)
