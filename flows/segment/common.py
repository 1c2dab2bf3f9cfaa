"""Shared helpers of the segmentation stages: text normalised for comparison, a line's
style, where a run of lines stands on its page. Not a stage: pure functions of their
arguments, reading lines and never changing them.
"""

from __future__ import annotations

import re

from flows.layout_model import Line
from flows.model import Box
from flows.segment.params import SegmentParams

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.I)
URL_START = re.compile(r"(?:https?://|www\.)", re.I)
TERMINAL = tuple('.?!:"”’)')
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DATELINE = re.compile(r"^(?:[a-z ]+:\s*)?(?:\d{1,2}\s+)?(?P<month>" + "|".join(MONTHS)
                      + r")(?:\s+\d{1,2},)?\s+(?P<year>\d{4})\.?$")
LABELLED_NOTE = re.compile(r"^[A-Z][A-Z .-]{1,30}:\s")  # "CITE AS: …", "RECEIVED: …"
# A section number before a heading ("5.", "V.", "5") is not part of its name.
HEADING_NUMBER = re.compile(r"^\s*(?:(?:\d+\.)*\d+\.?|[IVXLC]+\.)\s+")


def collapse_letterspacing(text: str) -> str:
    """'E X E C U T I V E  S U M M A R Y' → 'EXECUTIVE SUMMARY'."""
    words = re.split(r"\s{2,}", text.strip())
    if all(re.fullmatch(r"(\S )+\S", w) for w in words if w):
        return " ".join(w.replace(" ", "") for w in words)
    return text.strip()


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", collapse_letterspacing(text)).strip()


def normal_name(text: str) -> str:
    """A heading as compared with the house style's names: lower case, one kind of
    apostrophe, no section number, no closing colon or stop."""
    text = HEADING_NUMBER.sub("", plain(text)).lower().replace("’", "'")
    return text.rstrip(" :.").strip()


# "Corbel-Bold" and "Corbel-Bold2": one font embedded twice, the copy named with a number
EMBEDDED_COPY = re.compile(r"(.*[^\d\W])\d{1,2}")


def embedded_copy_of(font: str) -> str:
    """The name a numbered copy of a font was embedded under ("Corbel-Bold2" → "Corbel-Bold");
    the name itself for any other font."""
    copy = EMBEDDED_COPY.fullmatch(font)
    return copy.group(1) if copy else font


def style_of(line: Line) -> tuple[float, bool, bool, str]:
    """Size, weight, slant and font: what sets a heading apart from the text around it."""
    return (round(line.size * 2) / 2, line.bold, line.italic, line.font)


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def title_case(text: str) -> str:
    """Caps titles read badly in HTML and text; keep mixed-case titles as set."""
    if not is_caps(text):
        return text
    small = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "from"}
    words = text.lower().split()
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def box_of(lines: list[Line], params: SegmentParams) -> Box:
    pages = sorted({ln.page for ln in lines})
    first = [ln for ln in lines if ln.page == pages[0]]
    return Box(pages, (round(min(ln.x0 for ln in first), 1),
                       round(min(ln.y for ln in first) - first[-1].size * params.box_descent, 1),
                       round(max(ln.x1 for ln in first), 1),
                       round(max(ln.y for ln in first) + first[0].size * params.box_ascent, 1)))


def publication_line(line: Line) -> bool:
    text = plain(line.text)
    return bool(DATELINE.match(text.lower()) or LABELLED_NOTE.match(text))
