"""Printed page numbers (folios): what number a folio stands for, and a number as roman.

Shared by the layout sidecar, which infers the label of every source page, and the PDF
renderer, which writes those labels as /PageLabels ranges.
"""

from __future__ import annotations

import re

# A well-formed roman numeral only ("iiii" or "ic" are not page numbers).
ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_NUMERALS = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
             (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def folio_number(folio: str) -> tuple[str, int] | None:
    """('arabic' | 'roman', value) of a printed folio, or None if it is not a number."""
    if folio.isdigit():
        return "arabic", int(folio)
    if folio and ROMAN.match(folio):
        digits = [_VALUES[c] for c in folio.lower()]
        # a numeral smaller than the one after it is subtracted (the i of "iv")
        return "roman", sum(-d if n + 1 < len(digits) and d < digits[n + 1] else d
                            for n, d in enumerate(digits))
    return None


def roman(value: int) -> str:
    """`value` in lower-case roman numerals."""
    text = ""
    for amount, letters in _NUMERALS:
        while value >= amount:
            text, value = text + letters, value - amount
    return text
