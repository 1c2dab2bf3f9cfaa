"""Pages of the print edition in the HTML: a page-break marker where each source page begins.

Scholars cite the printed page, so the reading copy keeps it: an
``hr[role=doc-pagebreak][epub:type=pagebreak]`` labelled with the page's printed folio (an
``hr``, because a named empty ``span`` reads to axe-core as an element without a role),
placed before the first element (paragraph, heading, list item, quote, reference) that begins
on that page. Where a page begins inside a paragraph, the marker comes before the next element
that begins there (the layout sidecar records pages per element, not per word). Notes are not
used as anchors: the HTML reads them after their part, not where the page sets them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from flows.html_tree import EPUB_TYPE, h

# Sidecar kinds whose place in the HTML follows the source page order.
ANCHOR_KINDS = frozenset({"part", "heading", "paragraph", "quote", "list", "list-item",
                          "reference"})
# HTML elements that may not hold a span directly: the marker goes inside their first item.
LIST_TAGS = frozenset({h("ul"), h("ol"), h("dl")})


def insert_page_breaks(body: etree._Element, sidecar: dict[str, Any],
                       new_id: Callable[[str], str]) -> list[tuple[str, str]]:
    """Put one marker per source page into ``body``; return (marker id, label) in order.

    ``sidecar`` is the layout sidecar (``page_labels`` and ``elements``); ``new_id`` makes a
    document-unique id. Pages before the first anchored element (the cover, the imprint) are
    marked at the start of the title page; pages after the last one at the end of ``main``.
    """
    labels = [entry["label"] for entry in sidecar.get("page_labels", [])]
    if not labels:
        return []
    starts = {key: min(entry["pages"]) for key, entry in sidecar.get("elements", {}).items()
              if entry.get("kind") in ANCHOR_KINDS and entry.get("pages")}
    anchors = [el for el in body.iter() if el.get("id") in starts]
    placed: list[tuple[str, str]] = []
    next_page, on_title_page = 1, 0
    for anchor in anchors:
        start = starts[anchor.get("id")]
        while next_page <= min(start, len(labels)):
            before_text = anchor is anchors[0] and next_page < start
            target = _title_page(body) if before_text else anchor
            placed.append(_insert(target, next_page, labels[next_page - 1], new_id,
                                  at_start=_after_skip_link(target) + on_title_page
                                  if before_text else None))
            on_title_page += before_text
            next_page += 1
    main = body.find(h("main"))
    while next_page <= len(labels):
        placed.append(_insert(main if main is not None else body, next_page,
                              labels[next_page - 1], new_id, at_end=True))
        next_page += 1
    return placed


def _title_page(body: etree._Element) -> etree._Element:
    header = body.find(h("header"))
    return header if header is not None else body


def _after_skip_link(container: etree._Element) -> int:
    """The skip link stays the first thing on the page: markers go after it."""
    return int(len(container) > 0 and "skip-link" in container[0].get("class", ""))


def _insert(target: etree._Element, page: int, label: str, new_id: Callable[[str], str],
            *, at_start: int | None = None, at_end: bool = False) -> tuple[str, str]:
    """One marker: at index ``at_start`` of ``target``, at its end, or just before it (inside
    the first item when ``target`` is a list)."""
    marker = etree.Element(h("hr"), {
        "id": new_id(f"page-{page}"), "role": "doc-pagebreak", "aria-label": label,
        "title": label, "class": "pagebreak"})
    marker.set(EPUB_TYPE, "pagebreak")
    if at_end:
        target.append(marker)
    elif at_start is not None:
        target.insert(at_start, marker)
    elif target.tag in LIST_TAGS or target.tag == h("li"):
        host = target
        while host.tag in LIST_TAGS and len(host):  # into the first item of a list
            host = host[0]
        marker.tail, host.text = host.text, None
        host.insert(0, marker)
    else:
        target.addprevious(marker)
    return marker.get("id"), label
