"""Hand-built lines for the unit tests of the segmentation stages: a page of text without a
PDF, so each rule can be reached on the few lines that show it.

Geometry follows the PDF: points, origin bottom-left, a line's `y` its baseline. The text
column runs from x=72 to x=540; body type is 10 pt on a 12 pt pitch.
"""

from __future__ import annotations

from flows.layout_model import Layout, Line, PageLayout, Role, Span
from flows.segment.evidence import Evidence, gather_evidence

LEFT, RIGHT = 72.0, 540.0
BODY, PITCH = 10.0, 12.0
WORDS = ("water boards weigh tariffs against maintenance backlogs every year while the "
         "councils argue about meters pipes and pumps ").split()


def line(text: str, y: float, *, page: int = 1, x0: float = LEFT, x1: float | None = None,
         size: float = BODY, bold: bool = False, italic: bool = False, font: str = "Serif",
         role: Role = Role.BODY, column: tuple[float, float] = (LEFT, RIGHT)) -> Line:
    """One line in one style; it runs to the right edge unless `x1` says where it stops."""
    return Line(page, [Span(text, bold, italic, False, size, font)], x0,
                RIGHT if x1 is None else x1, y, size, column, role)


def filler(count: int, start: int = 0) -> str:
    """A line's worth of plain words, different from line to line."""
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(count))


def paragraph(y: float, lines: int = 3, *, page: int = 1, indent: float = 12.0,
              last: str = "the end.", start: int = 0) -> list[Line]:
    """A paragraph: an indented first line, full lines, and a short last line that closes
    a sentence."""
    out = [line(filler(10, start), y, page=page, x0=LEFT + indent)]
    out += [line(filler(11, start + i), y - PITCH * i, page=page) for i in range(1, lines - 1)]
    out.append(line(filler(4, start) + " " + last, y - PITCH * (lines - 1), page=page,
                    x1=LEFT + 200))
    return out


def layout_of(lines: list[Line]) -> Layout:
    """The layout stage's output for these lines, one page per page number they use."""
    pages = [PageLayout(number, 612.0, 792.0, [ln for ln in lines if ln.page == number])
             for number in sorted({ln.page for ln in lines})]
    return Layout(pages, BODY, PITCH)


def evidence_of(lines: list[Line], language: str = "en") -> Evidence:
    return gather_evidence(layout_of(lines), language)


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines]
