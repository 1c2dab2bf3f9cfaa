"""The glyph layer (flows/glyphs.py) on small hand-written content streams: each test sets
one part of the text state and checks where the glyphs land, against positions computed
here from Helvetica's published widths (the standard-14 metrics)."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from flows.fonts import FontCache
from flows.glyph_words import lines_of, rider_cuts, runs_of, words_of
from flows.glyphs import page_glyphs

# Helvetica advance widths (Adobe AFM, per 1000 units of size)
W_H, W_e, W_l, W_o, W_SPACE = 722, 556, 222, 556, 278


def pdf(content: str, form: str = "", form_dict: str = "", crop: str = "") -> PdfReader:
    """A one-page PDF with Helvetica as /F1 and, if given, a Form XObject /X1."""
    return PdfReader(BytesIO(pdf_bytes(content, form, form_dict, crop)))


def pdf_bytes(content: str, form: str = "", form_dict: str = "", crop: str = "") -> bytes:
    """The bytes of ``pdf``'s file."""
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] "
        + (f"/CropBox [{crop}] " if crop else "")
        + "/Resources << /Font << /F1 4 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< /Type /XObject /Subtype /Form {form_dict or '/BBox [0 0 600 800]'} "
        f"/Resources << /Font << /F1 4 0 R >> >> /Length {len(form)} >>\n"
        f"stream\n{form}\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def glyphs(content: str, **kwargs):
    reader = pdf(content, **kwargs)
    return page_glyphs(reader.pages[0], reader, FontCache()).glyphs


def words(content: str, **kwargs) -> list[str]:
    return [w.text for line in lines_of(glyphs(content, **kwargs)) for w in words_of(line)]


def test_glyphs_advance_by_the_font_widths_and_the_text_matrix() -> None:
    shown = glyphs("BT /F1 10 Tf 1 0 0 1 100 700 Tm (Hello) Tj ET")
    assert [g.text for g in shown] == list("Hello")
    x = 100.0
    for glyph, width in zip(shown, (W_H, W_e, W_l, W_l, W_o), strict=True):
        assert abs(glyph.x0 - x) < 1e-6 and abs(glyph.x1 - (x + width / 100)) < 1e-6
        assert glyph.y == 700 and glyph.size == 10
        x += width / 100


def test_word_spacing_applies_to_the_single_byte_space_only() -> None:
    # Tw widens the space (code 32) only; Tc widens every glyph
    shown = glyphs("BT /F1 10 Tf 5 Tw 1 Tc 100 700 Td (H H) Tj ET")
    second = shown[2]
    assert abs(second.x0 - (100 + W_H / 100 + 1 + W_SPACE / 100 + 1 + 5)) < 1e-6


def test_character_spacing_follows_a_strings_last_glyph_too() -> None:
    # PDF 32000 9.4.4: every glyph shown moves the pen by its width plus Tc, the last glyph
    # of a string too, so the next string starts Tc further. pdfminer adds Tc only between
    # the glyphs of one string: where a producer sets Tc and shows a line in several
    # strings (corpus/PMC6093152's captions, "FIGURE 1" then its text), each later string
    # stands Tc to the left in its reading: the table of tests/glyph_agreement.py counts
    # those words apart (its "tc" column, tests/test_glyph_agreement.py)
    shown = glyphs("BT /F1 10 Tf 1 Tc 100 700 Td (H) Tj (E) Tj ET")
    assert abs(shown[1].x0 - (100 + W_H / 100 + 1)) < 1e-6
    shown = glyphs("BT /F1 10 Tf 1 Tc 100 700 Td [(H) (E)] TJ ET")
    assert abs(shown[1].x0 - (100 + W_H / 100 + 1)) < 1e-6


def test_horizontal_scaling_rise_and_tj_numbers() -> None:
    shown = glyphs("BT /F1 10 Tf 50 Tz 3 Ts 100 700 Td [(H) -1000 (E)] TJ ET")
    assert abs(shown[0].x1 - (100 + W_H / 100 * 0.5)) < 1e-6
    # the TJ number moves by a thousandth of the size, scaled horizontally as well
    assert abs(shown[1].x0 - (100 + (W_H / 100 + 10) * 0.5)) < 1e-6
    assert shown[0].y == 703  # the rise lifts the baseline


def test_leading_and_next_line_operators() -> None:
    shown = glyphs("BT /F1 10 Tf 12 TL 100 700 Td (H) Tj T* (E) Tj (L) ' 2 0 (O) \" ET")
    assert [(g.text, g.y) for g in shown] == [("H", 700), ("E", 688), ("L", 676), ("O", 664)]
    assert all(g.x0 == 100 for g in shown)


def test_graphics_state_stack_and_cm() -> None:
    shown = glyphs("q 2 0 0 2 10 20 cm BT /F1 10 Tf 0 0 Td (H) Tj ET Q "
                   "BT /F1 10 Tf 0 0 Td (E) Tj ET")
    assert (shown[0].x0, shown[0].y, shown[0].size) == (10, 20, 20)
    assert (shown[1].x0, shown[1].y, shown[1].size) == (0, 0, 10)


def test_form_xobjects_are_placed_by_their_matrix_and_the_ctm_and_clipped_to_their_bbox() -> None:
    form = "BT /F1 10 Tf 10 10 Td (H) Tj ET BT /F1 10 Tf 200 10 Td (E) Tj ET"
    shown = glyphs("q 1 0 0 1 100 300 cm /X1 Do Q", form=form,
                   form_dict="/BBox [0 0 100 100] /Matrix [2 0 0 2 5 5]")
    # H: (10, 10) in form space → ×2 + 5 → (25, 25) → + CTM (100, 300); E lies outside the BBox
    assert [g.text for g in shown] == ["H"]
    assert (shown[0].x0, shown[0].y, shown[0].size) == (125, 325, 20)


def test_clipping_paths_and_the_crop_box_drop_text() -> None:
    clipped = glyphs("q 0 0 100 100 re W n BT /F1 10 Tf 50 50 Td (H) Tj 200 0 Td (E) Tj ET Q")
    assert [g.text for g in clipped] == ["H"]
    cropped = glyphs("BT /F1 10 Tf 50 50 Td (H) Tj 400 0 Td (E) Tj ET", crop="0 0 300 800")
    assert [g.text for g in cropped] == ["H"]


def test_invisible_text_is_marked() -> None:
    shown = glyphs("BT /F1 10 Tf 3 Tr 50 50 Td (H) Tj 0 Tr (E) Tj ET")
    assert [(g.text, g.invisible) for g in shown] == [("H", True), ("E", False)]


def test_rotated_text_is_kept_apart_from_horizontal_lines() -> None:
    shown = glyphs("BT /F1 10 Tf 0 1 -1 0 100 700 Tm (HE) Tj ET "
                   "BT /F1 10 Tf 1 0 0 1 90 700 Tm (LO) Tj ET")
    assert [g.upright for g in shown] == [False, False, True, True]
    assert [[g.text for g in line] for line in lines_of(shown)] == [["L", "O"]]


def test_actual_text_replaces_the_glyphs_it_marks() -> None:
    shown = glyphs("BT /F1 10 Tf 50 50 Td /Span << /ActualText (fi) >> BDC (H) Tj EMC "
                   "(E) Tj ET")
    assert [g.text for g in shown] == ["fi", "E"]
    assert abs(shown[0].x1 - (50 + W_H / 100)) < 1e-6


@pytest.mark.parametrize("name,letters", [("/fi", "fi"), ("/f_i", "fi"), ("/f_f_l", "ffl"),
                                          ("/ffi", "ffi")])
def test_ligature_glyphs_read_as_letters(name: str, letters: str) -> None:
    # WinAnsi has no ligatures; a /Differences entry names the glyph as Type 1 fonts do,
    # by its Adobe Glyph List name or by the AGL's components joined with "_"
    reader = pdf("BT /F1 10 Tf 50 50 Td (\\001) Tj ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/Encoding")] = DictionaryObject({
        NameObject("/Differences"): ArrayObject([NumberObject(1), NameObject(name)])})
    shown = page_glyphs(reader.pages[0], reader, FontCache()).glyphs
    assert [g.text for g in shown] == [letters]


def test_words_follow_the_measured_gaps_not_the_drawing_operators() -> None:
    # a TeX-like line without space glyphs: kerns inside words, word spaces by position
    assert words("BT /F1 10 Tf 100 700 Td [(He) 30 (llo) -300 (world) -20 (s)] TJ ET") == \
        ["Hello", "worlds"]
    # letter-spaced capitals (Tc) are one word until a real space
    assert words("BT /F1 10 Tf 2 Tc 100 700 Td (HELLO WORLD) Tj ET") == ["HELLO", "WORLD"]
    # a word split over two Tj operators stays one word
    assert words("BT /F1 10 Tf 100 700 Td (Hel) Tj (lo) Tj ET") == ["Hello"]


def _runs(content: str) -> list[tuple[str, bool]]:
    lines = lines_of(glyphs(content))
    body = next(line for line in lines if line[0].size == 10)
    cuts = rider_cuts(lines)[lines.index(body)]
    return [(r.text, r.space_before) for r in runs_of(body, cuts)]


def test_a_callout_between_words_cuts_the_run_where_it_sits() -> None:
    # "Hello" ends at 100 + 22.78; the callout follows it, then a word space
    assert _runs("BT /F1 10 Tf 100 700 Td (Hello world) Tj ET "
                 "BT /F1 6 Tf 123 704 Td (1) Tj ET") == [("Hello", False), ("world", True)]
    # a callout set tight between two words: its width is no word space ("approach"¹—Abe)
    assert _runs("BT /F1 10 Tf 100 700 Td [(Hello) -400 (world)] TJ ET "
                 "BT /F1 6 Tf 122.9 704 Td (1) Tj ET") == [("Hello", False), ("world", False)]


def test_a_font_without_unicode_is_counted_not_guessed() -> None:
    reader = pdf("BT /F1 10 Tf 50 50 Td <0102> Tj ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/Subtype")] = NameObject("/Type0")
    font[NameObject("/Encoding")] = NameObject("/Identity-H")
    fonts = FontCache()
    drawn = page_glyphs(reader.pages[0], reader, fonts)
    assert drawn.glyphs == [] and drawn.unmapped == 1
    assert fonts.unmapped() == {"Helvetica": 1}


def test_an_implausibly_wide_space_glyph_does_not_hide_word_spaces() -> None:
    # a subset font listing a placeholder width (an em) for its unused space glyph: word
    # spaces of a fifth of an em, set by position, are still word spaces
    reader = pdf("BT /F1 10 Tf 100 700 Td [(Hello) -200 (world)] TJ ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/FirstChar")] = NumberObject(32)
    font[NameObject("/Widths")] = ArrayObject([NumberObject(1000)] + [NumberObject(556)] * 94)
    drawn = page_glyphs(reader.pages[0], reader, FontCache()).glyphs
    assert [w.text for line in lines_of(drawn) for w in words_of(line)] == ["Hello", "world"]


def test_a_space_glyph_hidden_under_the_letters_is_no_word_space() -> None:
    # a producer drawing a space after a ligature, then moving back over it: the letters
    # touch, and readers see one word ("científica")
    assert words("BT /F1 10 Tf 100 700 Td [(Hel) ( ) 278 (lo)] TJ ET") == ["Hello"]
    assert words("BT /F1 10 Tf 100 700 Td [(Hel) ( ) (lo)] TJ ET") == ["Hel", "lo"]


def test_accents_drawn_over_letters_join_them() -> None:
    # TeX sets "ü" as "u" with a dieresis glyph centred over it, and "í" over a dotless i
    # TJ numbers move the pen back over the letter, centre the accent, and move on
    reader = pdf("BT /F1 10 Tf 100 700 Td [(Mu) 444.5 (\\250) -111.5 (ller q) "
                 "(\\001) 305.5 (\\264) -27.5 (mica)] TJ ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    font[NameObject("/Encoding")] = DictionaryObject({
        NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
        NameObject("/Differences"): ArrayObject([NumberObject(1), NameObject("/dotlessi")])})
    drawn = page_glyphs(reader.pages[0], reader, FontCache()).glyphs
    assert [w.text for line in lines_of(drawn) for w in words_of(line)] == ["Müller", "qímica"]
    # a grave accent standing apart from any letter is a character of its own
    assert words("BT /F1 10 Tf 100 700 Td (a ` b) Tj ET") == ["a", "`", "b"]


def test_an_accent_raised_over_a_letter_joins_it() -> None:
    # a formula's dot over a capital ("Q̇", a rate), drawn before the letter on a baseline of
    # its own 2.2 pt (0.22 em) higher and centred over it (Helvetica: Q 778, dotaccent 333)
    def drawn(rise: float) -> list[str]:
        reader = pdf(f"BT /F1 10 Tf 102.225 {700 + rise} Td (\\002) Tj ET "
                     "BT /F1 10 Tf 100 700 Td (Q = 1) Tj ET")
        font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
        font[NameObject("/Encoding")] = DictionaryObject({
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): ArrayObject([NumberObject(2),
                                                     NameObject("/dotaccent")])})
        shown = page_glyphs(reader.pages[0], reader, FontCache()).glyphs
        return [w.text for line in lines_of(shown) for w in words_of(line)]

    assert drawn(2.2) == ["Q\u0307", "=", "1"]
    # a mark a whole line higher is no accent of this letter
    assert drawn(8.0) == ["\u02d9", "Q", "=", "1"]


def test_actual_text_that_repeats_the_shown_letters_keeps_each_word_box() -> None:
    # tagged PDFs mark a whole name with the text it shows: the words stay words with their
    # own boxes (an engine that reads no /ActualText finds the same words)
    shown = glyphs("BT /F1 10 Tf 50 50 Td /Span << /ActualText (He Hel) >> BDC (He Hel) Tj EMC "
                   "ET")
    assert [w.text for line in lines_of(shown) for w in words_of(line)] == ["He", "Hel"]
    first, second = (w for line in lines_of(shown) for w in words_of(line))
    assert abs(first.x1 - (50 + (W_H + W_e) / 100)) < 1e-6
    assert abs(second.x0 - (50 + (W_H + W_e + W_SPACE) / 100)) < 1e-6


def test_control_characters_in_actual_text_are_no_text() -> None:
    shown = glyphs("BT /F1 10 Tf 50 50 Td /Span << /ActualText (H\\b) >> BDC (H) Tj EMC ET")
    assert [g.text for g in shown] == ["H"]
    assert abs(shown[0].x1 - (50 + W_H / 100)) < 1e-6


def test_a_no_break_space_glyph_separates_words() -> None:
    # WinAnsi code 240 (octal) is U+00A0: set between a given name and a surname, it is a
    # word space to a reader and to pdftotext, though the line may not break there
    assert words("BT /F1 10 Tf 100 700 Td (Sean\\240M.\\240Sultaire) Tj ET") == [
        "Sean", "M.", "Sultaire"]


def test_a_private_use_code_point_is_counted_not_taken_for_text() -> None:
    # a ToUnicode map that sends a glyph to the private use area (a bracket piece of a
    # symbol font, a code the subset made up) names no character: pdfminer prints the code
    # point, we count the glyph as one without Unicode and keep the readable ones
    reader = pdf("BT /F1 10 Tf 50 50 Td (AH) Tj ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    cmap = DecodedStreamObject()
    cmap.set_data(b"begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n"
                  b"2 beginbfchar\n<41> <F8EB>\n<48> <0048>\nendbfchar\nendcmap\n")
    font[NameObject("/ToUnicode")] = cmap
    drawn = page_glyphs(reader.pages[0], reader, FontCache())
    assert [g.text for g in drawn.glyphs] == ["H"] and drawn.unmapped == 1


def test_zero_width_characters_in_actual_text_are_no_text() -> None:
    # a URL marked up with zero-width spaces (break opportunities) reads as one word
    shown = glyphs("BT /F1 10 Tf 50 50 Td /Span << /ActualText <FEFF0048200B0065> >> BDC "
                   "(He) Tj EMC ET")
    assert [w.text for line in lines_of(shown) for w in words_of(line)] == ["He"]


def test_a_subscript_far_from_the_one_before_it_claims_no_word_space() -> None:
    # "Ia ... Ia" with each "a" a subscript, all in one text object: on the subscripts'
    # baseline the second "a" follows the first across a wide gap, but it belongs after
    # its own "I", so the gap to the first subscript is no word space before it
    shown = glyphs("BT /F1 10 Tf 100 700 Td (I) Tj /F1 6 Tf 2.8 -2 Td (a) Tj "
                   "/F1 10 Tf 47.2 2 Td (I) Tj /F1 6 Tf 2.8 -2 Td (a) Tj ET")
    lines = lines_of(shown)
    low = next(line for line in lines if line[0].size == 6)
    assert [(r.text, r.space_before) for r in runs_of(low)] == [("a", False), ("a", False)]


@pytest.mark.parametrize("unicode", ["00AD", "002D00AD"])
def test_a_drawn_hyphen_mapped_to_the_soft_hyphen_reads_as_a_hyphen(unicode: str) -> None:
    # the glyph is drawn, so the reader sees a hyphen: "spe-" at a line end, "non-human"
    reader = pdf("BT /F1 10 Tf 50 50 Td (non-human) Tj ET")
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    cmap = DecodedStreamObject()
    cmap.set_data(b"begincmap\n1 begincodespacerange <00> <FF> endcodespacerange\n"
                  b"1 beginbfchar\n<2D> <" + unicode.encode() + b">\nendbfchar\n"
                  b"1 beginbfrange\n<61> <7A> <0061>\nendbfrange\nendcmap\n")
    font[NameObject("/ToUnicode")] = cmap
    drawn = page_glyphs(reader.pages[0], reader, FontCache()).glyphs
    assert [w.text for line in lines_of(drawn) for w in words_of(line)] == ["non-human"]


def test_a_soft_hyphen_in_actual_text_is_a_break_opportunity_not_a_space() -> None:
    # Wiley marks a space glyph after a compound's hyphen with /ActualText U+00AD: readers
    # (and pdftotext) see "non-human"; over a drawn hyphen the hyphen stays
    shown = glyphs("BT /F1 10 Tf 50 50 Td (non-) Tj /Span << /ActualText <FEFF00AD> >> BDC "
                   "( ) Tj EMC [278 (human)] TJ ET")
    assert [w.text for line in lines_of(shown) for w in words_of(line)] == ["non-human"]
    shown = glyphs("BT /F1 10 Tf 50 50 Td (spe) Tj /Span << /ActualText <FEFF00AD> >> BDC "
                   "(-) Tj EMC ET")
    assert [w.text for line in lines_of(shown) for w in words_of(line)] == ["spe-"]


def test_white_text_over_other_text_is_hidden_white_text_alone_stays() -> None:
    from flows.extract import _without_hidden_white

    # journal metadata typeset in white under a title: it cannot be seen
    hidden = glyphs("BT /F1 20 Tf 100 700 Td (Title) Tj ET "
                    "q 1 g BT /F1 8 Tf 102 704 Td (JCBN0912) Tj ET Q")
    assert [g.white for g in hidden] == [False] * 5 + [True] * 8
    assert "".join(g.text for g in _without_hidden_white(hidden)) == "Title"
    # white on a dark banner, over no other glyph; colour set as RGB and as CMYK
    banner = glyphs("0 0 1 rg 90 690 200 30 re f 1 1 1 rg BT /F1 12 Tf 100 700 Td (Open) Tj ET "
                    "0 0 0 0 k BT /F1 12 Tf 150 700 Td (Access) Tj ET")
    assert all(g.white for g in banner)
    assert "".join(g.text for g in _without_hidden_white(banner)) == "OpenAccess"
    # Q restores the black of before
    assert not any(g.white for g in glyphs("q 1 g Q BT /F1 12 Tf 100 700 Td (a) Tj ET"))


def test_text_slanted_by_a_skewed_matrix_is_upright() -> None:
    # an oblique made from a roman font by the text matrix (Word's synthetic italic): the
    # baseline is horizontal, so these are words of the line, not rotated text
    shown = glyphs("BT /F1 10 Tf 1 0 0 1 100 700 Tm (In) Tj 1 0 0.21 1 115 700 Tm (Allium) Tj "
                   "1 0 0 1 150 700 Tm (sp.) Tj ET")
    assert all(g.upright for g in shown) and {g.size for g in shown} == {10.0}
    assert [w.text for line in lines_of(shown) for w in words_of(line)] == ["In", "Allium", "sp."]
