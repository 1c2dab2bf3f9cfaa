"""Stage 9 — placement: images and sidebars → figures and boxed-text at their place in the
reading order. Images come from the evidence's pool: a caption claims the nearest
unclaimed image on its page; what no caption claims is placed as an uncaptioned figure.

Input: a part, its lines, the image claims. Output: a new part, a copy of the one given
with the figures and sidebars inserted; the part given is not changed.
Invariant: each image is placed at most once; existing blocks keep their order.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from flows.layout_model import Line
from flows.model import Block, Box, Figure, Paragraph, Part, Section, Sidebar
from flows.profile import HouseStyle
from flows.segment.blocks import cut_blocks
from flows.segment.common import box_of
from flows.segment.evidence import Evidence
from flows.segment.images import ImageClaims
from flows.segment.parts import PartLines
from flows.segment.richtext import link_urls, rich_text


def place_floats(part: Part, lines: PartLines, ev: Evidence, style: HouseStyle,
                 claims: ImageClaims) -> Part:
    """Images no caption claimed, then the sidebars, each at its place in the part."""
    placed = copy.deepcopy(part)
    place_uncaptioned_images(placed, lines.lines[0].page, lines.lines[-1].page, claims)
    place_sidebars(placed, list(lines.asides), ev, style)
    return placed


def place_sidebars(part: Part, asides: list[Line], ev: Evidence, style: HouseStyle) -> None:
    """Text set apart in a margin column on the part's pages: a boxed-text where it stands
    (before the first block below it), one per column and page."""
    groups: dict[tuple, list[Line]] = defaultdict(list)
    for line in asides:
        groups[(line.page, line.column)].append(line)
    for (page, _), lines in sorted(groups.items(), key=lambda item: item[0][0]):
        paragraphs = [Paragraph(link_urls(rich_text(b.lines, ev)), box_of(b.lines, ev.params))
                      for b in cut_blocks(lines, ev, style)]
        paragraphs = [p for p in paragraphs if p.content]
        if not paragraphs:
            continue
        box = box_of(lines, ev.params)
        container, index = _position_of(part.blocks, page, box.bbox[3], box.bbox[0],
                                        box.bbox[2])
        container.insert(index, Sidebar(paragraphs, box))


def place_uncaptioned_images(part: Part, first_page: int, last_page: int,
                             claims: ImageClaims) -> None:
    """An image on the part's pages that no caption claimed is still a figure of the text:
    it goes in before the first block that starts below it on its page (or after the last
    block before it), so that it keeps its place in the reading order."""
    for page in range(first_page, last_page + 1):
        for image in claims.rest(page):
            figure = Figure([], Box([page], (image.x, image.y, image.x + image.width,
                                             image.y + image.height)),
                            source_image=f"{page}/{image.name}")
            container, index = _position_of(part.blocks, page, image.y, image.x,
                                             image.x + image.width)
            container.insert(index, figure)


def _position_of(blocks: list[Block], page: int, bottom: float, left: float, right: float
                 ) -> tuple[list[Block], int]:
    """The container and index where content found at (page, bottom) belongs: before the
    first block on that page that starts below it and shares its width, else after the last
    block that comes before it."""
    after: tuple[list[Block], int] = (blocks, 0)
    for container, index, block in _walk_with_place(blocks):
        source = getattr(block, "source", None)
        if source is None or not source.pages:
            continue
        start = source.pages[0]
        x0, _, x1, top = source.bbox
        overlaps = x0 < right and left < x1
        if start > page or (start == page and top <= bottom + 1 and overlaps):
            return container, index
        after = (container, index + 1)
    return after


def _walk_with_place(blocks: list[Block]):
    for index, block in enumerate(blocks):
        yield blocks, index, block
        if isinstance(block, Section):
            yield from _walk_with_place(block.blocks)
