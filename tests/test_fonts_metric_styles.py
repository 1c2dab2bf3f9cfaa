"""A face whose name and descriptor say nothing of its style ("TT2474o00", as Word's fonts are
embedded by some Distiller set-ups) still shows it in its advance widths, when it is one of
the metric-compatible standard faces (Times New Roman ~ Times, Arial ~ Helvetica)."""

from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from flows.fonts import metric_styles, read_font

# Lower-case advances in 1/1000 em, as Adobe's Times and Helvetica metrics give them.
TIMES_ROMAN = dict(zip("abcdefghijklmnopqrstuvwxyz",
                       (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
                        500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444), strict=True))
TIMES_BOLD = dict(zip("abcdefghijklmnopqrstuvwxyz",
                      (500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556,
                       500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444), strict=True))
TIMES_ITALIC = dict(zip("abcdefghijklmnopqrstuvwxyz",
                        (500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500,
                         500, 500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389),
                        strict=True))
HELVETICA = dict(zip("abcdefghijklmnopqrstuvwxyz",
                     (556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
                      556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500), strict=True))


def embedded(widths: dict[str, int], noise: int = 2) -> dict[str, float]:
    """Widths as a TrueType embedding rounds them: a unit or two off the metrics."""
    return {c: w + (noise if i % 2 else -noise) for i, (c, w) in enumerate(widths.items())}


def test_the_widths_tell_bold_and_italic_of_a_face_named_in_code() -> None:
    assert metric_styles(embedded(TIMES_BOLD)) == (True, False)
    assert metric_styles(embedded(TIMES_ITALIC)) == (False, True)
    assert metric_styles(embedded(TIMES_ROMAN)) == (False, False)


def test_widths_that_match_no_standard_face_or_too_few_letters_say_nothing() -> None:
    # another family: every width 30 units off
    assert metric_styles({c: w + 30 for c, w in TIMES_BOLD.items()}) == (False, False)
    # a subset holding four letters, the others left out (width 0)
    few = {c: (w if c in "abcd" else 0) for c, w in TIMES_BOLD.items()}
    assert metric_styles(few) == (False, False)


def test_an_upright_and_an_oblique_that_share_widths_say_nothing_of_the_slant() -> None:
    # Helvetica and Helvetica-Oblique have one set of widths: neither is claimed
    assert metric_styles(embedded(HELVETICA)) == (False, False)


def test_a_font_resource_named_in_code_reads_as_bold_from_its_widths() -> None:
    widths = [0] * 224  # codes 32…255, WinAnsi: a letter's code is its ASCII code
    for char, width in embedded(TIMES_BOLD).items():
        widths[ord(char) - 32] = width
    resource = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/IIGJCH+TT2478o00"),
        NameObject("/FirstChar"): NumberObject(32), NameObject("/LastChar"): NumberObject(255),
        NameObject("/Widths"): ArrayObject(NumberObject(w) for w in widths),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    info = read_font(resource)
    assert (info.name, info.bold, info.italic) == ("TT2478o00", True, False)
