"""The layout stage's output: pages of lines in reading order, each with its role.

Spans and lines are what segmentation reads; it never changes them (a new line value is
made where a stage needs a different one).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from flows.extract import ImageBox


class Role(Enum):
    BODY = "body"
    NOTE = "note"
    FURNITURE = "furniture"
    ASIDE = "aside"  # a margin column beside the text: metadata sidebars, pull quotes


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a line's text with its style; `raised` marks superscripts."""

    text: str
    bold: bool
    italic: bool
    raised: bool = False
    size: float = 0
    font: str = ""
    x: float = 0  # where the span starts on the page (a table cell's column)


@dataclass(slots=True)
class Line:
    page: int
    spans: list[Span]
    x0: float
    x1: float
    y: float
    size: float  # dominant size of the line's unraised text
    column: tuple[float, float]  # left and right edge of the column the line sits in
    role: Role = Role.BODY
    gap_above: float = 0  # baseline distance to the previous line in the same column
    soft_hyphen: bool = False  # ends in the typesetter's own hyphen (U+2010), not the text's

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def bold(self) -> bool:
        letters = [s for s in self.spans if not s.raised and s.text.strip()]
        return bool(letters) and all(s.bold for s in letters)

    @property
    def italic(self) -> bool:
        letters = [s for s in self.spans if not s.raised and s.text.strip()]
        return bool(letters) and all(s.italic for s in letters)

    @property
    def font(self) -> str:
        """The font most of the line's text is set in."""
        weights: Counter = Counter()
        for span in self.spans:
            if not span.raised:
                weights[span.font] += len(span.text.strip())
        return weights.most_common(1)[0][0] if weights else ""


@dataclass(slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)  # reading order
    images: list[ImageBox] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """The whole document's lines plus the statistics later stages reason with."""

    pages: list[PageLayout]
    body_size: float
    line_pitch: float  # most common baseline distance of body lines

    def lines(self, role: Role | None = None):
        for page in self.pages:
            for line in page.lines:
                if role is None or line.role is role:
                    yield line
