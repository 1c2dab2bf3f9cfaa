"""Traceability: the page and box every JATS element came from (`<stem>.layout.json`).

Each entry is keyed by the same id the element carries in the JATS, so an archivist who
doubts a paragraph can open the source PDF at the right page and place.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flows.folios import folio_number, roman
from flows.layout import FOLIO
from flows.layout_model import Layout, Role
from flows.model import Box, Document, ListBlock, iter_paragraphs, iter_sections, walk_blocks


def _entry(kind: str, box: Box) -> dict[str, Any]:
    return {"kind": kind, "pages": box.pages, "bbox": list(box.bbox)}


def layout_sidecar(document: Document, layout: Layout | None = None) -> dict[str, Any]:
    """Ids → {kind, pages, bbox}; the PDF's coordinates (points, origin bottom-left); with the
    layout, each source page's size and printed label (``page_labels``)."""
    elements: dict[str, Any] = {}
    for part in document.parts:
        elements[part.id] = _entry("part", part.source)
        for section in iter_sections(part.blocks):
            elements[section.id] = _entry("heading", section.source)
        for paragraph in iter_paragraphs(part):
            kind = "quote" if paragraph.quote else "paragraph"
            elements[paragraph.id] = _entry(kind, paragraph.source)
        abstract_blocks = [b for section in part.abstract for b in section.blocks]
        lists = [b for b in walk_blocks(abstract_blocks + part.blocks)
                 if isinstance(b, ListBlock)]
        for block in lists:
            elements[block.id] = _entry("list", block.items[0].source)
            for index, item in enumerate(block.items, start=1):
                elements[f"{block.id}-item{index}"] = _entry("list-item", item.source)
        for note in part.notes:
            elements[note.id] = _entry("note", note.source)
        for reference in part.references:
            elements[reference.id] = _entry("reference", reference.source)
    return {
        "source": document.source.file_name,
        "sha256": document.source.sha256,
        "pages": document.source.page_count,
        "units": "PDF points, origin at the page's bottom left",
        "page_labels": page_labels(layout) if layout is not None else [],
        "elements": elements,
    }


def page_labels(layout: Layout) -> list[dict[str, Any]]:
    """Each source page: its number, size in points, the folio printed on it (the running
    head or foot the layout stage marked as furniture) and the label readers cite it by.

    An unnumbered page (a cover, a blank, a part title) takes its label from the numbered
    pages around it: one more than the previous folio in the same numbering, else one less
    than the next (so i–iv before a printed v); with no folio in reach, its sheet number.
    """
    candidates = [_folio_candidates(page.lines) for page in layout.pages]
    # a number a running head repeats on every page (a year, a report number) is not a folio
    repeated = Counter(n for _, edge in candidates for n in set(edge))
    folios = [(lone or [n for n in edge if repeated[n] == 1] or [""])[0]
              for lone, edge in candidates]
    labels = _infer_labels(folios)
    return [{"page": page.number, "width": round(page.width, 2),
             "height": round(page.height, 2), "folio": folio, "label": label}
            for page, folio, label in zip(layout.pages, folios, labels, strict=True)]


def _folio_candidates(lines) -> tuple[list[str], list[str]]:
    """The page's lone numbers among its furniture, and the numbers opening or closing a
    running head or foot."""
    furniture = [ln.text.strip() for ln in lines if ln.role is Role.FURNITURE]
    lone = [_bare(text) for text in furniture if FOLIO.match(text)]
    edge = [_bare(token) for text in furniture if not FOLIO.match(text)
            for token in dict.fromkeys([text.split()[0], text.split()[-1]])
            if FOLIO.match(token)]
    return lone, edge


def _bare(folio: str) -> str:
    return re.sub(r"(?i)^page\s+", "", folio)


def _format(kind: str, value: int, like: str) -> str:
    if kind == "arabic":
        return str(value)
    text = roman(value)
    return text.upper() if like.isupper() else text


def _infer_labels(folios: list[str]) -> list[str]:
    numbered = [(index, folio, folio_number(folio)) for index, folio in enumerate(folios)
                if folio_number(folio)]
    labels = []
    for index, folio in enumerate(folios):
        if folio_number(folio):
            labels.append(folio)
            continue
        before = [n for n in numbered if n[0] < index][-1:]
        after = [n for n in numbered if n[0] > index][:1]
        label = None
        if before:
            at, like, (kind, value) = before[0]
            clash = after and after[0][2][0] == kind and after[0][2][1] <= value + index - at
            if not clash:
                label = _format(kind, value + index - at, like)
        if label is None and after:
            at, like, (kind, value) = after[0]
            if value - (at - index) >= 1:
                label = _format(kind, value - (at - index), like)
        labels.append(label or str(index + 1))
    return labels


def source_page_size(sidecar: dict[str, Any]) -> str | None:
    """The source's most common page size as a CSS page size ("612pt 792pt"), if known."""
    sizes = Counter((entry["width"], entry["height"]) for entry in sidecar.get("page_labels", []))
    if not sizes:
        return None
    width, height = sizes.most_common(1)[0][0]
    return f"{width:g}pt {height:g}pt"
