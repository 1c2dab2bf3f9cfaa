"""Stage 3 — segment: lines in reading order → the document model.

The line stream from the layout stage is cut into parts (a foreword, essays), and each
part into its title, contributors, executive summary, sections, paragraphs, lists, quotes
and notes. Every cut is justified by evidence measured on this document:

- the body style is the style most text is set in; headings are other, shorter lines in a
  bold or larger style, and their levels follow the ranking of those styles;
- a part begins where a page opens with the document's largest recurring title style;
- a paragraph begins with a first-line indent or extra space above, or after a line that
  stops short — whichever the document itself uses;
- a raised number is a footnote callout only when the same part has a note with that
  label; otherwise it stays a superscript.

The package holds one module per stage, each saying its input, its output and what it never
adds, drops or reorders: evidence → parts → (per part) head, blocks, nesting, references,
notes → placement → front matter → ids, with richtext joining lines wherever text is read.
The thresholds are `SegmentParams` (params.py), the publisher's words `HouseStyle`.
"""

from __future__ import annotations

from flows.layout_model import Layout
from flows.model import Document, SourceInfo
from flows.profile import DEFAULT_STYLE, HouseStyle
from flows.segment.abstract_sections import give_abstracts
from flows.segment.abstracts import take_abstracts
from flows.segment.evidence import gather_evidence
from flows.segment.front import as_article, front_matter
from flows.segment.ids import assign_ids
from flows.segment.images import ImageClaims
from flows.segment.params import DEFAULT_PARAMS, SegmentParams
from flows.segment.parts import parse_part, split_document
from flows.segment.placement import place_floats
from flows.segment.titleblock import arrange_title

__all__ = ["segment"]


def segment(layout: Layout, source: SourceInfo, style: HouseStyle = DEFAULT_STYLE,
            params: SegmentParams = DEFAULT_PARAMS) -> Document:
    """The stages in order; each module of this package says what its stage keeps."""
    ev = gather_evidence(layout, style.language, params)
    split = arrange_title(split_document(layout, ev, style), layout, ev.body_size, ev.params)
    split, abstracts = take_abstracts(split, style, ev.body_size, ev.params)
    claims = ImageClaims(ev.images)
    parts = [parse_part(lines, ev, style, claims) for lines in split.parts]
    if abstracts:
        give_abstracts(parts[0], abstracts, ev, style, claims)
    parts = [place_floats(part, lines, ev, style, claims)
             for part, lines in zip(parts, split.parts, strict=True)]
    parts = as_article(parts, split, ev.params)
    front, warnings = front_matter(split, parts, ev, style, source)
    document = Document(front, parts, source, style.language, warnings)
    assign_ids(document)
    return document
