"""XHTML building blocks: names, element helpers and whole-tree passes of the HTML renderer.

The words the renderer adds itself (``LABELS``), how JATS tags map to HTML, and the passes
that run once the tree is built (contents list, dangling links, empty elements).
"""

from __future__ import annotations

import re

from lxml import etree

from flows.jats_parts import plain_text

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"

# Words the renderer adds itself. English only for now; on documents in another language the
# element carrying a label gets lang="en" so screen readers pronounce it correctly.
LABELS = {
    "contents": "Contents",
    "about": "About this publication",
    "abstract": "Abstract",
    "trans-abstract": "Abstract, translated",
    "notes": "Notes",
    "references": "References",
    "keywords": "Keywords",
    "figure": "Figure",
    "landmarks": "Landmarks",
    "pages": "Pages",
    "skip": "Skip to the text",
    "noteref": "Note {}",
    "backlink": "Back to note {} reference",
}

# JATS elements that are blocks (they become HTML flow content, never phrasing content).
BLOCK_TAGS = frozenset({
    "p", "sec", "list", "disp-quote", "fig", "fig-group", "table-wrap", "table-wrap-group",
    "boxed-text", "def-list", "disp-formula", "disp-formula-group", "preformat", "code",
    "graphic", "media", "speech", "statement", "verse-group", "ref-list", "fn-group", "app",
    "app-group", "ack", "glossary", "notes", "supplementary-material", "array",
    "chem-struct-wrap", "address", "table", "license", "license-p", "copyright-statement",
    "permissions",
})
# Notes are blocks in note groups and table feet, but callouts when written inside a paragraph.
NOTE_TAGS = frozenset({"fn"})
# Children handled by their parent (headings, captions, labels) rather than by the walk.
OWNED_TAGS = frozenset({"title", "label", "caption", "attrib", "alt-text",
                        "long-desc", "object-id", "sec-meta"})
INLINE_MAP = {
    "italic": "i", "bold": "b", "monospace": "code", "sup": "sup", "sub": "sub",
    "underline": "u", "strike": "s", "abbrev": "abbr", "sc": "span", "roman": "span",
    "sans-serif": "span", "overline": "span", "named-content": "span",
    "styled-content": "span", "inline-formula": "span", "tex-math": "code", "source": "cite",
}
ORDERED_LIST_TYPES = {"order": "1", "alpha-lower": "a", "alpha-upper": "A",
                      "roman-lower": "i", "roman-upper": "I"}
VOID_TAGS = frozenset({"br", "img", "meta", "link", "hr", "col", "wbr"})
# col/colgroup only carry print widths (and a bare JATS col is invalid in HTML): dropped.
TABLE_TAGS = frozenset({"thead", "tbody", "tfoot", "tr", "th", "td"})
CELL_ATTRS = ("colspan", "rowspan", "scope", "span")


def h(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, h(tag), {k.rstrip("_").replace("_", "-"): v
                                            for k, v in attrs.items()})
    if text:
        el.text = text
    return el


def append_text(parent: etree._Element, text: str | None) -> None:
    """Append character data after the last child (lxml keeps it in .text or a child's .tail)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text



def prefix_label(container: etree._Element, note: etree._Element, tag: str):
    """Put a note's label at the start of its first paragraph; return the label element."""
    label = plain_text(note.find("label"))
    if not label:
        return None
    first = container.find(h("p"))
    if first is None:
        first = sub(container, "p")
    marker = etree.Element(h(tag), {"class": "note-label"})
    marker.text = label
    marker.tail = " " + (first.text or "").lstrip()
    first.text = None
    first.insert(0, marker)
    return marker


def heading_tag(level: int) -> str:
    return f"h{min(max(level, 1), 6)}"


def figure_alt(el: etree._Element) -> str:
    """Alt text: the JATS alt-text, else the caption title or text, else the label."""
    for path in (".//alt-text", "caption/title", "caption", "label"):
        text = plain_text(el.find(path))
        if text:
            return text
    return LABELS["figure"]



def mathml_copy(el: etree._Element) -> etree._Element:
    """MathML passes through unchanged, minus namespace noise from the JATS root."""
    copy = etree.fromstring(etree.tostring(el, with_tail=False))
    etree.cleanup_namespaces(copy)
    return copy


def toc_entries(container: etree._Element) -> etree._Element | None:
    """Nested ``ol`` linking to every titled section, two levels below the report title."""
    listing = etree.Element(h("ol"))
    for section in container.iterchildren(h("section")):
        heading = section_heading(section)
        if heading is None or int(etree.QName(heading).localname[1:]) > 3:
            continue
        heading_id = heading.get("id")
        item = sub(listing, "li")
        sub(item, "a", "".join(heading.itertext()), href="#" + heading_id)
        nested = toc_entries(section)
        if nested is not None:
            item.append(nested)
    return listing if len(listing) else None


def section_heading(section: etree._Element) -> etree._Element | None:
    """The heading that opens an HTML section (None for untitled sections)."""
    first = next(iter(section), None)
    if first is None or not re.fullmatch(r"h[1-6]", etree.QName(first).localname):
        return None
    return first


def unlink_dangling(html: etree._Element, ids: set[str]) -> None:
    """Links to ids the HTML does not have (affiliations, omitted parts) become plain spans."""
    for link in html.iter(h("a")):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            link.tag = h("span")
            for attr in ("href", "role", EPUB_TYPE):
                link.attrib.pop(attr, None)


def open_empty_elements(html: etree._Element) -> None:
    """Write ``<td></td>``, not ``<td/>``: browsers read .html files with the HTML parser."""
    for el in html.iter():
        if el.text is None and not len(el) and etree.QName(el).localname not in VOID_TAGS:
            el.text = ""
