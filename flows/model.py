"""The document model between segmentation and JATS: small explicit types, no behaviour.

Segmentation fills these from the layout; the JATS writer turns them into XML. Renderers
never see them: they read the JATS, so anything we can render from our JATS we can render
from anyone's. The walks at the end read the model in reading order, for every stage that
needs them (segmentation, provenance, the flow, the tests).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

InlineKind = Literal["text", "italic", "bold", "callout", "sup", "link"]


@dataclass(slots=True)
class Inline:
    """A run of rich text. `target` is the note label of a callout or the URI of a link."""

    kind: InlineKind
    text: str
    target: str = ""


RichText = list[Inline]


@dataclass(slots=True)
class Box:
    """Where an element came from: 1-based page numbers and its box on the first page
    (x0, y0, x1, y1 in PDF points, origin bottom-left)."""

    pages: list[int]
    bbox: tuple[float, float, float, float]


@dataclass(slots=True)
class Paragraph:
    content: RichText
    source: Box
    quote: bool = False
    id: str = ""


@dataclass(slots=True)
class ListBlock:
    items: list[Paragraph]
    ordered: bool = False
    id: str = ""


@dataclass(slots=True)
class Figure:
    """A figure: its caption, and the image drawn near it (exported next to the outputs)."""

    caption: RichText
    source: Box
    image: str = ""  # file name of the exported image, "" when the figure is vector art
    id: str = ""
    source_image: str = ""  # "page/XObject name" of the image drawn beside the caption
    text: list[str] = field(default_factory=list)  # words set inside it (a chart's labels)


@dataclass(slots=True)
class Table:
    """A table recovered as rows of cell texts (cells split where the PDF leaves wide gaps)."""

    caption: RichText
    rows: list[list[str]]
    source: Box
    id: str = ""


@dataclass(slots=True)
class Section:
    title: RichText
    level: int
    source: Box
    blocks: list[Block] = field(default_factory=list)
    id: str = ""
    label: str = ""  # the section's printed number, if any


@dataclass(slots=True)
class Sidebar:
    """Text set apart beside the running text (a margin column, a box): JATS boxed-text."""

    blocks: list[Paragraph]
    source: Box
    id: str = ""


Block = Paragraph | ListBlock | Figure | Table | Section | Sidebar


@dataclass(slots=True)
class Note:
    label: str
    content: RichText
    source: Box
    id: str = ""
    cited: bool = True  # False: no callout for it was found in the text


@dataclass(slots=True)
class Contributor:
    name: str
    bio: RichText = field(default_factory=list)
    email: str = ""
    role: str = ""


@dataclass(slots=True)
class AbstractSection:
    title: str
    blocks: list[Block] = field(default_factory=list)
    language: str = ""  # the abstract's language when its heading names it ("Resumo": pt)


@dataclass(slots=True)
class Reference:
    content: RichText
    source: Box
    id: str = ""


BackKind = Literal["ack", "funding", "contributions", "conflict", "data", "disclaimer",
                   "abbreviations"]


@dataclass(slots=True)
class BackSection:
    """A zone of back matter under its own heading (acknowledgements, funding, author
    contributions, competing interests, data availability, abbreviations)."""

    kind: BackKind
    title: RichText
    blocks: list[Block] = field(default_factory=list)
    id: str = ""


PartKind = Literal["foreword", "preface", "introduction", "essay", "article"]


@dataclass(slots=True)
class Part:
    """One unit of the report: a foreword, or an essay with its own authors and notes."""

    kind: PartKind
    title: RichText
    source: Box
    contributors: list[Contributor] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    abstract: list[AbstractSection] = field(default_factory=list)
    trans_abstracts: list[list[AbstractSection]] = field(default_factory=list)
    keywords: list[list[str]] = field(default_factory=list)
    subtitle: RichText = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    back: list[BackSection] = field(default_factory=list)  # back matter other than notes, refs
    signature: list[str] = field(default_factory=list)
    id: str = ""
    # publication data printed in the part ("RECEIVED: …", "March 2024"): front matter
    publication_notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    series: str = ""
    number: str = ""
    year: str = ""
    month: str = ""
    publisher: str = ""
    publisher_loc: str = ""
    copyright_statement: str = ""
    copyright_year: str = ""
    copyright_holder: str = ""
    # publisher blurb, board lists: kept; a list set one entry a line (a board of people)
    # is kept as its entries
    notes: list[str | list[str]] = field(default_factory=list)
    contents: list[str] = field(default_factory=list)  # table of contents entries


@dataclass(slots=True)
class SourceInfo:
    file_name: str
    sha256: str
    page_count: int
    created: str = ""  # YYYY-MM the PDF was made, used only when the text names no date


@dataclass(slots=True)
class Document:
    front: FrontMatter
    parts: list[Part]
    source: SourceInfo
    language: str = "en"
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ walks (reading order)
def walk_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Every block, sections and sidebars before their contents, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Section | Sidebar):
            yield from walk_blocks(block.blocks)


def iter_paragraphs(part: Part) -> Iterator[Paragraph]:
    """The part's paragraphs and list items: its abstract's first, then its body's."""
    def walk(blocks: list[Block]) -> Iterator[Paragraph]:
        for block in blocks:
            if isinstance(block, Paragraph):
                yield block
            elif isinstance(block, ListBlock):
                yield from block.items
            elif isinstance(block, Section | Sidebar):
                yield from walk(block.blocks)

    for section in part.abstract:
        yield from walk(section.blocks)
    yield from walk(part.blocks)


def iter_sections(blocks: list[Block]) -> Iterator[Section]:
    """Sections, each before the sections nested in it (not those inside sidebars)."""
    for block in blocks:
        if isinstance(block, Section):
            yield block
            yield from iter_sections(block.blocks)


def iter_figures(document: Document) -> Iterator[Figure]:
    """The figures of the parts' bodies, in reading order."""
    for part in document.parts:
        for block in walk_blocks(part.blocks):
            if isinstance(block, Figure):
                yield block


# A callout names its note by the note's label; where numbering starts again (on each page)
# and a label repeats in a part, by the label and which of its notes it is: "1#2".
OCCURRENCE = "#"


def note_targets(labels: list[str]) -> list[str]:
    """The callout target of each of a part's notes, given their labels in order."""
    counts = Counter(labels)
    seen: Counter = Counter()
    targets = []
    for label in labels:
        seen[label] += 1
        targets.append(label if counts[label] == 1 else f"{label}{OCCURRENCE}{seen[label]}")
    return targets


def target_label(target: str) -> str:
    """The note label a callout target names."""
    return target.split(OCCURRENCE, 1)[0]
