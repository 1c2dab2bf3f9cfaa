"""Reference lists: one entry per reference, whichever way the typesetter sets them apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_pdf

from flows.extract import extract_pdf
from flows.layout import Role, analyse_layout
from flows.model import SourceInfo
from flows.segment import segment

AUTHORS = ["Abbott", "Baker", "Carver", "Dalton", "Ellis", "Foster", "Garner", "Hughes"]

ENTRY_STYLES = {
    "hanging": "p.ref { margin: 0; padding-left: 1.5em; text-indent: -1.5em }",
    "spaced": "p.ref { margin: 0 0 6pt 0 }",
    "numbered": "p.ref { margin: 0 }",
}


def article_html(style: str, columns: int = 1) -> str:
    body = " ".join(
        f"Sentence {i} of the running text explains the study in plain words." for i in range(60))
    entries = "".join(
        f'<p class="ref">{f"[{n}] " if style == "numbered" else ""}{name}, A. B.; Other, C. '
        f"{2000 + n}. A title long enough to wrap onto a second line of the reference list "
        f"in this layout. Journal of Examples, {n}: {10 * n}-{10 * n + 9}.</p>"
        for n, name in enumerate(AUTHORS, start=1))
    return (
        "<html><head><style>@page { size: A4; margin: 20mm } "
        "body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.3 } "
        "h1 { font-size: 20pt } h2 { font-size: 13pt } "
        f".refs {{ font-size: 9pt; columns: {columns}; column-gap: 10mm }} "
        f"{ENTRY_STYLES[style]}</style></head><body>"
        f"<h1>Measuring Things</h1><h2>Introduction</h2><p>{body}</p>"
        f'<h2>References</h2><div class="refs">{entries}</div></body></html>')


@pytest.mark.parametrize("columns", [1, 2])
@pytest.mark.parametrize("style", sorted(ENTRY_STYLES))
def test_one_ref_per_entry(style: str, columns: int, tmp_path: Path) -> None:
    pdf = build_pdf(article_html(style, columns), tmp_path / f"{style}.pdf")
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted), SourceInfo(pdf.name, extracted.sha256, 1))
    references = [ref for part in document.parts for ref in part.references]
    texts = ["".join(i.text for i in ref.content) for ref in references]
    assert len(texts) == len(AUTHORS), texts
    for text, name in zip(texts, AUTHORS, strict=True):
        assert name in text.split(",")[0]
        assert text.rstrip().endswith(".")


def test_two_columns_of_small_references_are_read_not_set_aside(tmp_path: Path) -> None:
    pdf = build_pdf(article_html("hanging", columns=2), tmp_path / "two.pdf")
    layout = analyse_layout(extract_pdf(pdf))
    reference_lines = [ln for page in layout.pages for ln in page.lines
                       if any(name in ln.text for name in AUTHORS)]
    assert len(reference_lines) == len(AUTHORS)
    assert {ln.role for ln in reference_lines} == {Role.BODY}


def test_table_rows_at_a_column_foot_are_not_notes(tmp_path: Path) -> None:
    body = " ".join(f"Sentence {i} of the running text comes first." for i in range(40))
    rows = "".join(f"<tr><td>{n}</td><td>{n * 7}</td><td>{n * 11}</td></tr>"
                   for n in range(1, 6))
    html = ("<html><head><style>@page { size: A5; margin: 15mm } "
            "body { font-family: 'DejaVu Serif'; font-size: 10pt } "
            "table { font-size: 8pt; margin-top: 12pt } td { padding: 0 12pt }"
            f"</style></head><body><p>{body}</p><table>{rows}</table></body></html>")
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "table.pdf")))
    assert not list(layout.lines(Role.NOTE))
