"""Stage 3b, second half — an abstract found → its JATS form: the abstract's lines cut into
paragraphs, a structured abstract's parts (run-in labels, "Methods: …") made sections, the
heading's language, the keyword list, and the abstracts given to the part they open.

Input: the abstracts `abstracts.find_abstracts` found, the evidence, the house style.
Output: `AbstractSection`s on the part (its abstract and `trans-abstract`s) and its keywords.
Invariant: every line of a found abstract ends in exactly one paragraph of one section; no
text is added but the part labels, which move from the text to the section's title.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flows.layout_model import Line, Span
from flows.model import AbstractSection, Inline, Paragraph, Part
from flows.profile import HouseStyle
from flows.segment.abstracts import LABEL, LABEL_WORDS, FoundAbstract, part_label
from flows.segment.blocks import cut_blocks
from flows.segment.common import plain
from flows.segment.evidence import Evidence
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks
from flows.segment.paragraphs import paragraphs_of
from flows.segment.params import SegmentParams
from flows.segment.richtext import rich_text, text_of

# The same label run in after a sentence's end inside a paragraph ("… in rats. Methods: PHF
# was …"): it opens the next part when one of its words names a part of a structured
# abstract (`HouseStyle.abstract_section_words`).
RUN_IN_LABEL = re.compile(r"(?<=[.!?)\]])\s+(?P<label>[^\W\d_][^:.;,]{0,60}?)\s*:\s+(?=\S)")
# Separators of a keyword list.
KEYWORD_SEPARATORS = re.compile(r"\s*[;,·•]\s*|\s{2,}")


def keywords_of(lines: tuple[Line, ...], style: HouseStyle) -> list[str]:
    """The keywords listed after their label."""
    text = " ".join(plain(ln.text) for ln in lines)
    lower = text.lower()
    label = max((lab for lab in style.keyword_labels if lower.startswith(lab)), key=len,
                default="")
    listed = re.sub(r"^\s*[:.–—-]?\s*", "", text[len(label):])
    return [word.strip(" .") for word in KEYWORD_SEPARATORS.split(listed) if word.strip(" .")]


def _strip_heading(blocks: list, heading: str) -> None:
    """Drop a run-in heading (and its separator) from the start of the first paragraph."""
    first = next((b for b in blocks if isinstance(b, Paragraph)), None)
    if first is None:
        return
    remaining = len(heading)
    while first.content and remaining > 0:
        inline = first.content[0]
        stripped = inline.text.lstrip()
        if len(stripped) <= remaining:
            remaining -= len(stripped)
            first.content.pop(0)
            continue
        first.content[0] = Inline(inline.kind, stripped[remaining:], inline.target)
        remaining = 0
    while first.content:  # the separator, and whatever run it leaves empty
        head = first.content[0]
        text = re.sub(r"^\s*[:.–—-]?\s*", "", head.text)
        if text:
            first.content[0] = Inline(head.kind, text, head.target)
            break
        first.content.pop(0)


def _split_paragraph(paragraph: Paragraph, style: HouseStyle) -> list[Paragraph]:
    """A paragraph holding the parts of a structured abstract run on one after another,
    cut before each part's run-in label (the label stays at the head of its piece)."""
    text = "".join(inline.text for inline in paragraph.content)
    cuts = [m.start("label") for m in RUN_IN_LABEL.finditer(text)
            if part_label(m.group("label"), style)]
    if not cuts:
        return [paragraph]
    pieces: list[Paragraph] = []
    start = 0
    for end in [*cuts, len(text)]:
        pieces.append(Paragraph(_slice(paragraph.content, start, end), paragraph.source,
                                paragraph.quote))
        start = end
    for piece in pieces:  # the spaces left at a cut
        if piece.content:
            last = piece.content[-1]
            piece.content[-1] = Inline(last.kind, last.text.rstrip(), last.target)
    return [piece for piece in pieces if plain(text_of(piece.content))]


def _slice(content: list[Inline], start: int, end: int) -> list[Inline]:
    """The inlines covering characters `start` to `end` of the content's text."""
    out: list[Inline] = []
    position = 0
    for inline in content:
        low, high = max(start - position, 0), min(end - position, len(inline.text))
        if low < high:
            text = inline.text[low:high] if inline.kind != "callout" else inline.text
            out.append(Inline(inline.kind, text, inline.target))
        position += len(inline.text)
    return out


def _joined_pieces(lines: list[Line], params: SegmentParams) -> list[Line]:
    """The lines with the pieces the layout cut one line into (a justified line's end it
    seated in another column) joined again: a line standing right of the one before on
    its baseline (within `line_below` em) continues it."""
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if previous is None or line.page != previous.page or \
                abs(line.y - previous.y) > params.line_below * line.size or \
                line.x0 < previous.x1 - params.same_size:
            joined.append(line)
            continue
        spans = list(previous.spans)
        if not previous.text[-1:].isspace() and not line.text[:1].isspace():
            last = spans[-1]
            spans.append(Span(" ", last.bold, last.italic, False, last.size, last.font,
                              previous.x1))
        joined[-1] = replace(previous, spans=spans + list(line.spans), x1=line.x1,
                             column=(min(previous.column[0], line.column[0]),
                                     max(previous.column[1], line.column[1])),
                             soft_hyphen=line.soft_hyphen)
    return joined


def sections_of(abstract: FoundAbstract, ev: Evidence, style: HouseStyle,
                claims: ImageClaims) -> list[AbstractSection]:
    """The abstract as one section titled by its heading, its text in paragraphs; a
    structured abstract's parts, each opened by its run-in label, become sections titled
    by it."""
    lines = _joined_pieces(list(abstract.lines if abstract.run_in else abstract.lines[1:]),
                           ev.params)
    sections = [AbstractSection(abstract.heading.strip().capitalize() or "Abstract")]
    for number, group in enumerate(paragraphs_of(lines, ev.params)):
        blocks, _ = nest_blocks(cut_blocks(group, ev, style), ev, style, claims)
        if number == 0 and abstract.run_in and abstract.heading:
            _strip_heading(blocks, abstract.heading)
        # parts run on after a run-in heading ("Abstract: Background: … Methods: …") are
        # one paragraph as set, their labels its run-in emphasis; under a heading set
        # apart, or opening with their first label, they are the abstract's sections
        for block in [] if abstract.run_in and abstract.heading else [
                b for b in blocks if isinstance(b, Paragraph)]:
            at = blocks.index(block)
            blocks[at:at + 1] = _split_paragraph(block, style)
        while len([b for b in blocks if isinstance(b, Paragraph)]) > 1:
            # a paragraph's later parts each become a section of their own
            later = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)][1]
            head, blocks = blocks[:later], blocks[later:]
            _add_section(sections, head, style)
        _add_section(sections, blocks, style)
    kept = [section for section in sections if section.blocks]
    if kept:
        kept[0].language = heading_language(abstract.heading, style)
    return kept


def _add_section(sections: list[AbstractSection], blocks: list, style: HouseStyle) -> None:
    """Blocks opened by a structured abstract's label start a section titled by it; other
    blocks go on the last section."""
    first = next((b for b in blocks if isinstance(b, Paragraph)), None)
    label = LABEL.match(plain(text_of(first.content))) if first else None
    if label and len(label.group("label").split()) <= LABEL_WORDS:
        _strip_heading(blocks, label.group("label"))
        sections.append(AbstractSection(label.group("label"), blocks))
    else:
        sections[-1].blocks.extend(blocks)


def heading_language(heading: str, style: HouseStyle) -> str:
    """The language an abstract's heading names; "" for one it does not."""
    return style.abstract_languages.get(plain(heading).lower(), "")


def give_abstracts(part: Part, found: list[FoundAbstract], ev: Evidence, style: HouseStyle,
                   claims: ImageClaims) -> None:
    """The first abstract found is the article's abstract, the others its translations;
    each keyword list goes with the article's keywords."""
    for number, abstract in enumerate(found):
        sections = sections_of(abstract, ev, style, claims)
        if sections and number == 0 and not part.abstract:
            part.abstract = sections
        elif sections:
            part.trans_abstracts.append(sections)
            if abstract.title and not part.subtitle:
                part.subtitle = rich_text(list(abstract.title), ev)
        words = keywords_of(abstract.keywords, style) if abstract.keywords else []
        if words:
            part.keywords.append(words)
