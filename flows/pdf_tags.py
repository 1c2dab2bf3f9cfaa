"""Repairs to WeasyPrint's structure tree that a screen reader needs, done with pikepdf.

- WeasyPrint opens a ``Part`` per page and restarts every element cut by a page break, so a
  paragraph that runs over a page is two ``P`` and a section is as many ``Sect`` as pages.
  :func:`join_pages` drops the per-page parts and joins the pieces again. Which pieces belong
  together is not guessed from the tree: the print copy marks where each HTML block starts and
  ends (:func:`mark_blocks`), WeasyPrint reports the page of each mark, and only the blocks
  open across a page break are joined.
- The contents list becomes ``TOC``/``TOCI`` (:func:`tag_contents`).
- Each link annotation's ``/Contents`` is the link's words, not the id it points at
  (:func:`describe_links`).
- Page furniture is typed: running heads and folios ``/Pagination``, rules ``/Layout``
  (:func:`type_artifacts`).
- Passages in another language than the document's carry ``/Lang`` (:func:`tag_languages`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
import pydyf
from lxml import etree
from weasyprint.pdf import tags as weasyprint_tags

from flows.html_tree import XHTML

# HTML blocks and the structure type WeasyPrint gives each.
BLOCK_TYPES = {"section": "/Sect", "div": "/Div", "p": "/P", "blockquote": "/BlockQuote",
               "ul": "/L", "ol": "/L", "li": "/LI", "nav": "/NonStruct", "aside": "/Aside",
               "figure": "/Figure", "table": "/Table", "dl": "/L", "pre": "/P",
               "header": "/NonStruct"}
# Wrappers without an HTML element of their own, joined when their parent is.
WRAPPERS = frozenset({"/LBody"})
START, END = "jf-start-", "jf-end-"
# Children a mark may descend into, to reach the text of a block's first or last line.
LEAF_PARENTS = frozenset({*BLOCK_TYPES, "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                          "thead", "tbody", "tr", "th", "td", "caption", "figcaption"})


def _x(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


# --- marks in the print copy ------------------------------------------------------------------


def mark_blocks(page: etree._Element) -> list[tuple[str, str]]:
    """Put an empty start and end mark in each block; return (block number, HTML tag) in
    document order. The marks go into the block's first and last text-holding descendant, so
    they add no box of their own. Footnotes float to page feet and are left out."""
    blocks = []
    body = page.find(_x("body"))
    for el in list(body.iter()) if body is not None else []:
        name = _local(el)
        if name not in BLOCK_TYPES or any("footnote" in a.get("class", "")
                                          for a in (el, *el.iterancestors())):
            continue
        key = str(len(blocks))
        blocks.append((key, name))
        first, last = _edge_leaf(el, 0), _edge_leaf(el, -1)
        start = etree.Element(_x("span"), {"id": START + key})
        start.tail, first.text = first.text, None
        first.insert(0, start)
        last.append(etree.Element(_x("span"), {"id": END + key}))
    return blocks


def _edge_leaf(el: etree._Element, end: int) -> etree._Element:
    """The first (``end`` 0) or last (-1) descendant block that holds no other block."""
    while True:
        blocks = [c for c in el if _local(c) in LEAF_PARENTS]
        if not blocks:
            return el
        el = blocks[end]


def open_across(blocks: list[tuple[str, str]], anchors: list[dict]) -> list[list[str]]:
    """For each page break (after page i), the HTML tags of the blocks open across it,
    outermost first (document order is nesting order for blocks open at one point)."""
    page_of = {}
    for number, found in enumerate(anchors):
        for name in found:
            page_of.setdefault(name, number)
    seams: list[list[str]] = [[] for _ in range(max(len(anchors) - 1, 0))]
    for key, name in blocks:
        first, last = page_of.get(START + key), page_of.get(END + key)
        if first is None or last is None:
            continue
        for seam in range(first, last):
            seams[seam].append(BLOCK_TYPES[name])
    return seams


# --- structure tree ---------------------------------------------------------------------------


def _kids(elem) -> list:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _struct_kids(elem) -> list:
    return [k for k in _kids(elem) if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _walk(elem) -> Iterator[pikepdf.Dictionary]:
    yield elem
    for kid in _struct_kids(elem):
        yield from _walk(kid)


def _page_of(elem, pages: dict) -> int | None:
    for node in _walk(elem):
        if "/Pg" in node:
            return pages.get(node.Pg.objgen)
    return None


def join_pages(pdf: pikepdf.Pdf, seams: list[list[str]]) -> None:
    """Lift the per-page Parts into the Document, then join the pieces of each block that
    is open across a page break (tags outermost first, from :func:`open_across`)."""
    document = pdf.Root.StructTreeRoot.K[0]
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    kids = []
    for kid in _kids(document):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == pikepdf.Name.Part:
            for inner in _kids(kid):
                if isinstance(inner, pikepdf.Dictionary) and "/S" in inner:
                    inner.P = document
                kids.append(inner)
        else:
            kids.append(kid)
    document.K = pikepdf.Array(kids)
    for seam, tags in enumerate(seams):
        if tags:
            _join_seam(document, seam, tags, pages)


def _join_seam(parent, seam: int, tags: list[str], pages: dict) -> None:
    """Join the last piece before page break ``seam`` with the first after it, level by
    level: each level's piece is the last (first) child of the wanted type, so the footnote
    area WeasyPrint puts at a page's foot does not get in the way."""
    if not tags:
        return
    wanted = {tags[0], *WRAPPERS}
    kids = [k for k in _struct_kids(parent) if str(k.S) in wanted]
    before = [k for k in kids if (_page_of(k, pages) or 0) <= seam]
    after = [k for k in kids if _page_of(k, pages) == seam + 1]
    if not before or not after or before[-1].S != after[0].S:
        return
    first, second = before[-1], after[0]
    rest = tags if str(first.S) in WRAPPERS else tags[1:]
    moved = _kids(second)
    for kid in moved:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            kid.P = first
    first.K = pikepdf.Array(_kids(first) + moved)
    parent.K = pikepdf.Array([k for k in _kids(parent) if not _same(k, second)])
    _join_seam(first, seam, rest, pages)


def _same(a, b) -> bool:
    return isinstance(a, pikepdf.Dictionary) and "/S" in a and a.objgen == b.objgen


def drop_empty_elements(pdf: pikepdf.Pdf) -> None:
    """Spans and paragraphs that hold nothing (the start and end marks, the footnote marker
    the stylesheet turns off) would be read as empty: remove them. A Span that only groups
    other elements (the marks make WeasyPrint wrap a line's content in one) and carries no
    language or text of its own is replaced by what it holds."""
    document = pdf.Root.StructTreeRoot.K[0]
    for elem in list(_walk(document))[1:]:
        kids = _kids(elem)
        if elem.S in (pikepdf.Name.Span, pikepdf.Name.P) and not kids:
            _replace(elem, [])
        elif elem.S == pikepdf.Name.Span and kids and all(
                isinstance(k, pikepdf.Dictionary) and "/S" in k for k in kids) and not any(
                key in elem for key in ("/Lang", "/Alt", "/ActualText", "/E")):
            _replace(elem, kids)


def _replace(elem, kids: list) -> None:
    """Put ``kids`` where ``elem`` was in its parent."""
    parent = elem.P
    for kid in kids:
        kid.P = parent
    replaced = []
    for kid in _kids(parent):
        replaced += kids if _same(kid, elem) else [kid]
    parent.K = pikepdf.Array(replaced)


def tag_contents(pdf: pikepdf.Pdf, targets: set[str]) -> None:
    """The list whose links go to the contents entries' targets becomes TOC/TOCI."""
    document = pdf.Root.StructTreeRoot.K[0]
    for elem in _walk(document):
        if elem.S == pikepdf.Name.L and _links_into(elem, targets):
            _as_toc(elem)
            return


def _links_into(elem, targets: set[str]) -> bool:
    dests = {str(kid.Obj.get("/Dest", "")) for node in _walk(elem)
             if node.S == pikepdf.Name.Link for kid in _kids(node)
             if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid}
    return bool(dests) and dests <= targets


def _as_toc(elem) -> None:
    for node in list(_walk(elem)):
        if node.S == pikepdf.Name.L:
            node.S = pikepdf.Name.TOC
        elif node.S == pikepdf.Name.LI:
            node.S = pikepdf.Name.TOCI
        elif node.S == pikepdf.Name.LBody:
            node.S = pikepdf.Name.Reference  # TOCI holds Reference, not LBody


def describe_links(pdf: pikepdf.Pdf, words: dict[str, str]) -> None:
    """Set each link's /Contents to its words (``words``: target id or URL → text)."""
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            target = str(annot.get("/Dest", "")) or str(annot.get("/A", {}).get("/URI", ""))
            text = words.get(target)
            if text:
                annot.Contents = pikepdf.String(text)


def link_words(page: etree._Element) -> dict[str, str]:
    """Target (id or URL) → what the link says: its accessible name or its text."""
    words: dict[str, str] = {}
    for link in page.iter(_x("a")):
        href = link.get("href", "")
        text = link.get("aria-label") or " ".join("".join(link.itertext()).split())
        target = href[1:] if href.startswith("#") else href
        if target and text:
            words.setdefault(target, text if text != href else f"Link to {href}")
    return words


def type_artifacts(pdf: pikepdf.Pdf) -> None:
    """Untyped artifacts: text in the margins is pagination (running heads, folios); the rest
    (rules, borders) is layout."""
    for page in pdf.pages:
        instructions = pikepdf.parse_content_stream(page)
        changed = False
        for index, (operands, operator) in enumerate(instructions):
            if str(operator) == "BMC" and operands and operands[0] == pikepdf.Name.Artifact:
                kind = "/Pagination" if _draws_text(instructions, index) else "/Layout"
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name(kind))],
                    pikepdf.Operator("BDC"))
                changed = True
        if changed:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _draws_text(instructions, start: int) -> bool:
    depth = 0
    for _operands, operator in instructions[start:]:
        name = str(operator)
        if name in ("BMC", "BDC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
            if depth == 0:
                return False
        elif name in ("Tj", "TJ", "'", '"'):
            return True
    return False


# --- languages --------------------------------------------------------------------------------


def tag_languages() -> None:
    """Make WeasyPrint give the structure elements of an HTML element that sets its own
    language (``lang``, which the HTML sets from JATS ``xml:lang`` where a passage is not in
    the document's language) that language as /Lang.

    WeasyPrint sets the catalog's /Lang only, and its structure elements carry nothing that
    names their HTML element, so this cannot be repaired afterwards: its tree builder (a
    generator that yields the elements made for one box, and calls itself through the module
    for the children) is wrapped once per process. Documents whose elements set no language
    below the root are unaffected."""
    build = weasyprint_tags._build_box_tree
    if getattr(build, "jatsflow_languages", False):
        return

    def build_with_languages(box, parent, pdf, *args):
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and getattr(
            box, "element_tag", None) not in (None, "html", "body") else None
        for made in build(box, parent, pdf, *args):
            if lang and made.get("P") == parent.reference and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    build_with_languages.jatsflow_languages = True
    weasyprint_tags._build_box_tree = build_with_languages
