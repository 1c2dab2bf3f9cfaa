"""The images of the document as a pool, and the ledger of which are taken.

The pool (page → images, in the evidence) never changes. Figures claim images from it in
reading order: a caption the nearest free image on its page (stage 6, nesting); the images
left on a part's pages are placed as uncaptioned figures (stage 9, placement).
Invariant: an image is claimed at most once; the pool is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.extract import ImageBox
from flows.layout_model import Line


class ImageClaims:
    """The ledger of which images in the evidence's pool are taken. The pool itself never
    changes; captions claim images in reading order, and what is left is placed as
    uncaptioned figures, so that each image is used once."""

    def __init__(self, pool: Mapping[int, tuple[ImageBox, ...]]) -> None:
        self.pool = pool
        self.taken: set[tuple[int, int]] = set()  # (page, position in the page's pool)

    def free(self, page: int) -> list[tuple[int, ImageBox]]:
        return [(i, image) for i, image in enumerate(self.pool.get(page, ()))
                if (page, i) not in self.taken]

    def beside(self, caption: list[Line]) -> str:
        """The free image nearest above or below a figure caption on its page, claimed."""
        page = caption[0].page
        top, bottom = caption[0].y + caption[0].size, caption[-1].y
        candidates = self.free(page)
        if not candidates:
            return ""

        def distance(candidate: tuple[int, ImageBox]) -> float:
            image = candidate[1]
            return min(abs(image.y - top), abs(bottom - (image.y + image.height)))

        index, image = min(candidates, key=distance)
        self.taken.add((page, index))
        return f"{page}/{image.name}"

    def rest(self, page: int) -> list[ImageBox]:
        """The page's free images, all claimed."""
        free = self.free(page)
        self.taken.update((page, i) for i, _ in free)
        return [image for _, image in free]
