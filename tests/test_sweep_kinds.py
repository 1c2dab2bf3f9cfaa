"""Kinds of layout the sweep of never-seen PDFs (tests/sweep.py) found the converter failing on.

Each test is a tiny PDF made here, of the kind of layout that crashed or made invalid JATS, run
through extract → layout → segment → JATS and checked against the real DTD and the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_pdf, segmented
from lxml import etree

from flows.extract import PdfInputError, extract_pdf
from flows.jats import build_jats, serialize
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml


def published(html: str, path: Path) -> etree._Element:
    """The JATS of the PDF built from html, parsed back, after asserting it is valid."""
    tree = parse_xml(serialize(build_jats(segmented(html, path))))
    result = validate_jats(tree)
    assert result.valid, result.errors[:3]
    assert not result.rule_errors, result.rule_errors[:3]
    return tree.getroot()


def test_a_page_whose_only_text_is_furniture_publishes(tmp_path: Path) -> None:
    """An icon or a label set as a small PDF: one letter on a tiny page, which the layout
    takes for page furniture, so there is no body text to measure a body style from."""
    html = ("<html><head><style>@page { size: 30pt 30pt; margin: 2pt }"
            " body { margin: 0; font: 24pt serif }</style></head><body><p>i</p></body></html>")
    published(html, tmp_path / "icon.pdf")


def test_a_page_of_digits_alone_is_refused_without_blaming_the_fonts(tmp_path: Path) -> None:
    """A barcode's number or a numbered placeholder image: text, but no words. It is refused in
    one line that does not call the fonts' Unicode maps broken when they are not."""
    html = "<html><body><p style='font: 14pt sans-serif'>8 006194 056290</p></body></html>"
    with pytest.raises(PdfInputError) as refused:
        extract_pdf(build_pdf(html, tmp_path / "barcode.pdf"))
    message = str(refused.value)
    assert "hardly letters" in message and "garbled" not in message and "\n" not in message
