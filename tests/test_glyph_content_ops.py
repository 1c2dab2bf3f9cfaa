"""flows/content_ops.py reads a content stream into the same operations as pypdf's own parser
(strings as their bytes), and leaves what it does not read to pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject

from flows.content_ops import _parse, _Unusual, operations

ROOT = Path(__file__).resolve().parents[1]


def _plain(value):
    """pypdf's objects as plain values: a text string as the bytes it was read from."""
    if hasattr(value, "original_bytes"):
        return bytes(value.original_bytes)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, DictionaryObject):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, NameObject):
        return ("name", str(value))
    if isinstance(value, (int, float)):
        return float(value)
    return value


def _both(data: bytes) -> tuple[list, list]:
    def stream() -> ContentStream:
        raw = DecodedStreamObject()
        raw.set_data(data)
        return ContentStream(raw, None)

    ours = [([_plain(o) for o in operands], op) for operands, op in operations(stream())]
    theirs = [([_plain(o) for o in operands], op) for operands, op in stream().operations]
    return ours, theirs


TRICKY = [
    rb"BT /F1 9.5 Tf 1 0 0 1 72 700 Tm (Hello) Tj ET",
    rb"[(a\(b\)c) -250 <48 65 6c6C 6> 3.5 (x\\y\n\r\t\101\0611\777)] TJ",
    b"(nested (paren) string) Tj (line\\\ncontinued) ' 1 2 (q) \" % a comment (no string)"
    b"\n+.5 -3. T* ",
    rb"/Span << /ActualText <FEFF00660069> /MCID 3 /K [1 2 /N] >> BDC EMC",
    rb"q 0.5 0 0 .5 -10 +20 cm /Im1 Do Q /P <</MCID 0>>BDC(a)Tj EMC",
]


@pytest.mark.parametrize("data", TRICKY)
def test_the_same_operations_as_pypdf(data: bytes) -> None:
    ours, theirs = _both(data)
    assert ours == theirs and ours
    _parse(data)  # read here, not handed to pypdf


@pytest.mark.parametrize("data", [b"BI /W 1 ID \x00 EI", b"/Na#6De Tf", b"(unclosed Tj"])
def test_what_it_does_not_read_goes_to_pypdf(data: bytes) -> None:
    with pytest.raises(_Unusual):
        _parse(data)


def test_an_inline_image_is_left_to_pypdf() -> None:
    ours, theirs = _both(b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q (a) Tj")
    assert ours == theirs
    assert [op for _, op in ours] == [b"q", b"INLINE IMAGE", b"Q", b"Tj"]


def test_every_page_of_the_report_reads_alike() -> None:
    reader = PdfReader(ROOT / "source" / "nbr79.pdf")
    for page in reader.pages[:8]:
        ours = [([_plain(o) for o in ops], op) for ops, op in operations(page.get_contents())]
        theirs = [([_plain(o) for o in ops], op) for ops, op in page.get_contents().operations]
        assert ours == theirs
