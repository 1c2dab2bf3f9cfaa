"""Kinds of layout the sweep of never-seen PDFs (tests/sweep.py) found the converter failing on.

Each test is a tiny PDF made here, of the kind of layout that crashed or made invalid JATS, run
through extract → layout → segment → JATS and checked against the real DTD and the rules.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from conftest import build_pdf, segmented
from lxml import etree
from pikepdf import Array, Dictionary, Name

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


JAPANESE = ["水道料金と維持管理の課題", "三つの都市の水道事業は毎年料金と修繕の遅れを比べる。",
            "本文の段落はここに続き、読者はその内容を検索できる。"]


def _cjk_without_tounicode(path: Path) -> Path:
    """Japanese set in a CID font of Adobe's Japan1 collection, coded Identity-H (each code a
    CID) with no ToUnicode map, as some Japanese TeX and DTP output is: poppler reads it
    through the collection's CID → Unicode table."""
    table = (Path("/usr/share/poppler/cidToUnicode/Adobe-Japan1")
             .read_text(encoding="ascii").split())
    cid_of: dict[str, int] = {}
    for cid, code in enumerate(table):
        if int(code, 16):
            cid_of.setdefault(chr(int(code, 16)), cid)
    pdf = pikepdf.new()
    descendant = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType0, BaseFont=Name("/KozMinPr6N-Regular"),
        CIDSystemInfo=Dictionary(Registry=pikepdf.String("Adobe"),
                                 Ordering=pikepdf.String("Japan1"), Supplement=6),
        FontDescriptor=pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/KozMinPr6N-Regular"), Flags=4,
            FontBBox=Array([0, -120, 1000, 880]), ItalicAngle=0, Ascent=880, Descent=-120,
            CapHeight=740, StemV=80)),
        DW=1000))
    font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/KozMinPr6N-Regular-Identity-H"),
        Encoding=Name("/Identity-H"), DescendantFonts=Array([descendant])))
    shown = [b"<" + "".join(f"{cid_of[c]:04X}" for c in line).encode() + b"> Tj"
             for line in JAPANESE]
    content = (b"BT /F1 18 Tf 72 740 Td " + shown[0] + b" /F1 10 Tf 0 -30 Td 14 TL "
               + b" T* ".join(shown[1:] * 6) + b" ET")
    pdf.pages.append(pikepdf.Page(Dictionary(
        Type=Name.Page, MediaBox=Array([0, 0, 595, 842]),
        Resources=Dictionary(Font=Dictionary(F1=font)), Contents=pdf.make_stream(content))))
    pdf.save(path)
    return path


def test_cjk_cid_fonts_without_tounicode_are_read_through_their_collection(
        tmp_path: Path) -> None:
    extracted = extract_pdf(_cjk_without_tounicode(tmp_path / "japan1.pdf"))
    text = "".join(r.text for p in extracted.pages for r in p.runs)
    assert all(line in text for line in JAPANESE) and not extracted.unmapped_fonts
