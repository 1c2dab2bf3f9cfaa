"""Our glyph layer agrees with an independent engine (pdfminer.six) on words and their
boxes: a fixed small set of pages here, every PDF in tests/glyph_agreement.py's table.

Where the engines differ by design, a test of its own in tests/test_glyph_layer.py says
what we do and why: text clipped away (clipping paths, a form's /BBox) and white text over
other text are dropped here and kept by pdfminer (counted apart as hidden, as a test below
shows for white text); a raised callout keeps its own baseline (pdfminer folds it into the line,
the comparison splits pdfminer's words where the baseline changes); a ligature glyph reads
as its letters (the comparison normalises both sides with NFKC); character spacing follows
a string's last glyph too (pdfminer sets none there: the words after such a string are
counted apart, as a test below shows).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from glyph_agreement import TARGET, compare
from test_glyph_layer import pdf_bytes

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

SAMPLE = [  # (PDF, pages): one per kind of producer, kept small for the suite's time
    (ROOT / "source" / "nbr79.pdf", 6),  # LibreOffice-style TrueType subsets, callouts
    (SHARED / "pairs" / "jose.00090" / "paper.pdf", 2),  # Type 0 Identity-H, no space glyph
    (SHARED / "pairs" / "2318-0889-tinf-33-e200057" / "paper.pdf", 2),  # InDesign
]


@pytest.mark.parametrize("pdf,pages", SAMPLE, ids=lambda v: getattr(v, "parent", v).name
                         if isinstance(v, Path) else str(v))
def test_words_and_boxes_agree_with_pdfminer(pdf: Path, pages: int) -> None:
    assert pdf.is_file(), f"missing test data: {pdf}"
    result = compare(pdf, pages)
    assert result.ours > 100 and result.theirs > 100
    assert result.share >= TARGET, (result.share, result.unmatched_ours[:10],
                                    result.unmatched_theirs[:10])


@pytest.mark.parametrize("spacing", [0.0, 1.5])
def test_words_after_a_string_set_with_character_spacing_are_counted_apart(
        tmp_path: Path, spacing: float) -> None:
    # one line in two strings, with 1.5 pt of character spacing: after "Hello" we move on
    # by it, pdfminer does not, so "world again" stands 1.5 pt further left in its reading
    pdf = tmp_path / "spaced.pdf"
    pdf.write_bytes(pdf_bytes(f"BT /F1 20 Tf {spacing} Tc 100 700 Td (Hello) Tj "
                              "( world again) Tj ET"))
    result = compare(pdf)
    assert result.ours == result.theirs == 3
    assert result.share == 1.0, (result.unmatched_ours, result.unmatched_theirs)
    # both engines' "world" and "again" (4 words) when the spacing moves them, none if not
    assert result.char_spacing == (4 if spacing else 0)
    assert result.matched == 3 - result.char_spacing // 2


def test_white_strings_stacked_on_one_spot_are_counted_as_hidden(tmp_path: Path) -> None:
    # journal metadata set in white, string over string at one spot: extract drops it (a
    # reader cannot see it, tests/test_glyph_layer.py); pdfminer reads each string apart
    pdf = tmp_path / "stacked.pdf"
    pdf.write_bytes(pdf_bytes(
        "BT /F1 20 Tf 100 700 Td (Visible title here) Tj ET "
        "q 1 g BT /F1 10 Tf 100 600 Td (Original Article) Tj ET "
        "BT /F1 10 Tf 100 600 Td (Journal of Nutrition) Tj ET Q"))
    result = compare(pdf)
    assert result.ours == result.matched == 3
    assert result.theirs > 3 and result.hidden == result.theirs - 3
    assert result.share == 1.0, (result.unmatched_ours, result.unmatched_theirs)
