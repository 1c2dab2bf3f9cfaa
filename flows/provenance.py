"""Traceability: the page and box every JATS element came from (`<stem>.layout.json`).

Each entry is keyed by the same id the element carries in the JATS, so an archivist who
doubts a paragraph can open the source PDF at the right page and place.
"""

from __future__ import annotations

from typing import Any

from flows.model import Box, Document, ListBlock, iter_paragraphs, iter_sections, walk_blocks


def _entry(kind: str, box: Box) -> dict[str, Any]:
    return {"kind": kind, "pages": box.pages, "bbox": list(box.bbox)}


def layout_sidecar(document: Document) -> dict[str, Any]:
    """Ids → {kind, pages, bbox}; the PDF's coordinates (points, origin bottom-left)."""
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
        "elements": elements,
    }
