"""Stage 11 — ids: the document → the same document with stable ids on every part, section,
paragraph, list, figure, table, sidebar, note and reference.

Input: the `Document`. Output: the same `Document`, its ids written.
Invariant: only the `id` fields are written; no element is added, dropped or reordered.
"""

from __future__ import annotations

from collections import Counter

from flows.model import (
    Document,
    Figure,
    ListBlock,
    Sidebar,
    Table,
    iter_paragraphs,
    iter_sections,
    walk_blocks,
)


def assign_ids(document: Document) -> None:
    """Stable ids that are unique across parts, so notes restarting at 1 never collide."""
    for index, part in enumerate(document.parts, start=1):
        part.id = prefix = f"p{index}"
        counters: Counter = Counter()

        def next_id(kind: str, prefix: str = prefix, counters: Counter = counters) -> str:
            counters[kind] += 1
            return f"{prefix}-{kind}{counters[kind]}"

        labels: Counter = Counter(note.label for note in part.notes)
        for note in part.notes:
            # A repeated label (a typesetting slip) still gets an id of its own.
            note.id = f"{prefix}-fn{note.label}" if labels[note.label] == 1 else next_id("fn")
        for section in iter_sections(part.blocks):
            section.id = next_id("s")
        for paragraph in iter_paragraphs(part):
            paragraph.id = next_id("para")
        for reference in part.references:
            reference.id = next_id("ref")
        for back in part.back:
            back.id = next_id("back")
        abstract_blocks = [b for section in part.abstract for b in section.blocks]
        for block in walk_blocks(abstract_blocks + part.blocks):
            if isinstance(block, ListBlock):
                block.id = next_id("list")
            elif isinstance(block, Figure):
                block.id = next_id("fig")
            elif isinstance(block, Table):
                block.id = next_id("table")
            elif isinstance(block, Sidebar):
                block.id = next_id("box")
