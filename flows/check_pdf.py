"""PDF/UA essentials a screen reader relies on, read from the PDF's structure tree (pikepdf).

These are structure checks, not a PDF/UA validator: they cannot judge whether alternative
text is meaningful, whether a table's headers are right, or every Matterhorn Protocol point.
The report says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from lxml import etree

from flows.check_report import WARN, check, problem

# A link description that is an element id ("p1-fn1", "front-matter-title") is what a screen
# reader would speak: words have a space, ids have none and a hyphen, digit or underscore.
ID_LIKE = re.compile(r"^[A-Za-z][\w.:-]*[-_\d][\w.:-]*$")
# P elements may differ from the HTML's paragraph count by this share: WeasyPrint tags a
# paragraph cut by a page break twice, and the pikepdf pass joins the pieces again.
PARAGRAPH_TOLERANCE = 0.02


def _kids(elem: pikepdf.Dictionary) -> list:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def walk(elem: pikepdf.Dictionary):
    """Structure elements below ``elem`` in document (reading) order, ``elem`` first."""
    yield elem
    for kid in _kids(elem):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from walk(kid)


def check_pdf(path: Path, html_path: Path | None = None) -> tuple[list[dict], str]:
    """PDF/UA essentials a screen reader relies on, read from the structure tree; the HTML it
    was made from says what it should hold."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        tree = root.get("/StructTreeRoot")
        elements = list(walk(tree.K[0])) if tree is not None and "/K" in tree else []
        html = _html_facts(html_path)
        marks = _marked_content(pdf)
        checks = [
            check("pdf-structure", "Tagged: structure tree with a Document element",
                   [] if elements else [problem("catalog", "render with pdf_variant pdf/ua-1")],
                   len(elements)),
            _catalog_check(root, "pdf-marked", "MarkInfo /Marked is true",
                           bool(root.get("/MarkInfo", {}).get("/Marked"))),
            _catalog_check(root, "pdf-lang", "Document language (/Lang) set",
                           bool(str(root.get("/Lang", "")))),
            _catalog_check(root, "pdf-title", "Title shown in the window (DisplayDocTitle)",
                           bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"))
                           and bool(str(pdf.docinfo.get("/Title", "")))),
            _headings_check(elements, pages, html.get("headings")),
            _notes_check(tree, elements, pages),
            _lists_check(elements, pages),
            _count_check(elements, "BlockQuote", html.get("blockquote")),
            _paragraphs_check(elements, html.get("p")),
            _contents_check(elements, html.get("toc")),
            _links_check(pdf),
            _page_labels_check(root, len(pdf.pages), html.get("pagebreaks")),
            _figures_check(elements, pages, html.get("img")),
            _order_check(elements, pages),
            _artifacts_check(marks, elements),
            _pagination_check(marks),
            _languages_check(elements, html.get("languages")),
        ]
    return checks, f"pikepdf {pikepdf.__version__}"


def _html_facts(html_path: Path | None) -> dict:
    """What the PDF should contain, counted in the HTML it was made from."""
    if html_path is None or not html_path.is_file():
        return {}
    html = etree.parse(str(html_path)).getroot()
    tags = [etree.QName(el).localname for el in html.iter() if isinstance(el.tag, str)]
    toc = html.xpath("//*[local-name()='nav'][@role='doc-toc']//*[local-name()='li']")
    return {"headings": [t.upper() for t in tags if re.fullmatch(r"h[1-6]", t)],
            "blockquote": tags.count("blockquote"), "img": tags.count("img"),
            "p": tags.count("p"),
            "toc": len(toc),
            "pagebreaks": len(html.xpath("//*[@role='doc-pagebreak']")),
            "languages": {el.get("lang") for el in html.iter() if isinstance(el.tag, str)
                          and el.get("lang") and el.get("lang") != html.get("lang")}}


def _languages_check(elements: list, languages: set[str] | None) -> dict:
    """Every other language the HTML marks (from JATS xml:lang) is marked in the structure
    too, so a screen reader switches its voice for those passages."""
    marked = {str(el.Lang) for el in elements[1:] if "/Lang" in el}
    problems = [problem(f"passages in {lang}", f"give their structure elements /Lang ({lang})")
                for lang in sorted((languages or set()) - marked)]
    return check("pdf-languages", "Passages in other languages carry /Lang", problems,
                 len(languages or ()))


def _catalog_check(root, check_id: str, title: str, ok: bool) -> dict:
    return check(check_id, title, [] if ok else [problem("document catalog",
                                                            f"set: {title}")], 1)


def _where(elem, pages: dict, label: str = "") -> str:
    page = pages.get(elem.Pg.objgen) if "/Pg" in elem else None
    name = f"{str(elem.S)[1:]}{f' {label}' if label else ''}"
    return f"{name} on page {page}" if page else name


def _headings_check(elements, pages, html_headings) -> dict:
    headings = [e for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    problems, previous = [], 0
    for heading in headings:
        level = int(str(heading.S)[2])
        if level > previous + 1:
            problems.append(problem(_where(heading, pages),
                                     f"H{level} follows H{previous}: a level is skipped"))
        previous = level
    found = [str(h.S)[1:] for h in headings]
    if html_headings is not None and _merged(found) != _merged(html_headings):
        problems.append(problem("structure tree", "heading levels differ from the HTML "
                                 f"({len(found)} in the PDF, {len(html_headings)} in the HTML)"))
    return check("pdf-headings", "Headings H1–H6 nest without gaps and match the HTML",
                  problems, len(headings))


def _merged(levels: list[str]) -> list[str]:
    """A heading split across a page break is two elements of the same level: count it once."""
    return [level for n, level in enumerate(levels) if n == 0 or level != levels[n - 1]]


def _notes_check(tree, elements, pages) -> dict:
    notes = [e for e in elements if e.S == pikepdf.Name.Note]
    id_tree = _id_tree(tree)
    cited = {str(kid.Obj.get("/Dest", "")) for e in elements if e.S == pikepdf.Name.Link
             for kid in (e.K if isinstance(e.K, pikepdf.Array) else [e.K])
             if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid}
    referenced = {r.objgen for e in elements for r in e.get("/Ref", [])}
    problems = []
    for note in notes:
        note_id = str(note.get("/ID", ""))
        where = _where(note, pages, note_id)
        if not note_id or id_tree.get(note_id) != note.objgen:
            problems.append(problem(where, "give the Note an /ID listed in the IDTree"))
        if note_id not in cited and note.objgen not in referenced:
            problems.append(problem(where, "add a Reference/Link from the callout to the note"))
    spans = [e for e in elements if e.S == pikepdf.Name.NonStruct and _is_footnote_area(e)]
    problems += [problem(_where(e, pages), "footnote left untagged: tag it as Note")
                 for e in spans]
    return check("pdf-notes", "Footnotes tagged Note (with ID) and cited by Reference/Link",
                  problems, len(notes))


def _id_tree(tree) -> dict:
    names = list(tree.get("/IDTree", {}).get("/Names", [])) if tree is not None else []
    return {str(key): value.objgen for key, value in zip(names[::2], names[1::2], strict=True)}


def _is_footnote_area(elem) -> bool:
    kids = _struct_kids(elem)
    return elem.P.get("/S") == pikepdf.Name.Document and bool(kids) and all(
        k.S == pikepdf.Name.Span for k in kids)


def _struct_kids(elem) -> list:
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _mcids(elem) -> list[int]:
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [int(k) for k in kids if isinstance(k, int)]


def _lists_check(elements, pages) -> dict:
    problems = []
    lists = [e for e in elements if e.S == pikepdf.Name.L]
    allowed = {"/L": {"/LI", "/L", "/Caption"}, "/LI": {"/Lbl", "/LBody"}}
    for elem in elements:
        kids = {str(k.S) for k in _struct_kids(elem)}
        wrong = kids - allowed.get(str(elem.S), kids)
        if wrong:
            problems.append(problem(_where(elem, pages),
                                     f"{str(elem.S)[1:]} holds {', '.join(sorted(wrong))}"))
    items = [e for e in elements if e.S == pikepdf.Name.LI]
    labelled = sum(any(k.S == pikepdf.Name.Lbl for k in _struct_kids(e)) for e in items)
    return check("pdf-lists", f"Lists tagged L/LI/Lbl/LBody ({len(lists)} lists, "
                  f"{labelled} of {len(items)} items with a Lbl)", problems, len(lists))


def _count_check(elements, tag: str, expected: int | None) -> dict:
    found = sum(e.S == pikepdf.Name(f"/{tag}") for e in elements)
    problems = [] if expected is None or found == expected else [problem(
        "structure tree", f"the HTML has {expected} {tag.lower()}s, the PDF tags {found}: "
        "one element each, not cut at page breaks")]
    return check(f"pdf-{tag.lower()}", f"{tag} elements match the HTML", problems, found)


def _figures_check(elements, pages, expected: int | None) -> dict:
    figures = [e for e in elements if e.S == pikepdf.Name.Figure]
    problems = [problem(_where(f, pages), "add alternative text (/Alt)")
                for f in figures if not str(f.get("/Alt", "")).strip()]
    if expected is not None and len(figures) < expected:
        problems.append(problem("structure tree",
                                 f"the HTML has {expected} images, the PDF tags {len(figures)}"))
    return check("pdf-figures", "Figures have alternative text", problems, len(figures))


def _order_check(elements, pages) -> dict:
    """Reading order: on each page, text met in structure order was also drawn in that order.

    Notes are read at their callouts, list labels beside their items, and images are drawn
    in a pass of their own after the text, so those three are left out. An element's marked
    content and its child elements are read in the order of its /K, interleaved: a link
    whose words are "Name <i>et al.</i> 2019" holds a mark, a child element, then a mark.
    """
    skip = {pikepdf.Name.Note, pikepdf.Name.Lbl, pikepdf.Name.Figure}
    last: dict = {}
    problems = []
    for elem, mcid in _marks_in_order(elements[0], skip) if elements else ():
        page = elem.Pg.objgen
        if mcid < last.get(page, -1):
            problems.append(problem(_where(elem, pages), "move this element so the "
                                     "structure follows the reading order"))
        last[page] = mcid
    return check("pdf-order", "Structure order equals reading order", problems,
                  len(elements))


def _marks_in_order(elem, skip: set):
    """(element, MCID) for every marked-content reference below ``elem``, in /K order, leaving
    out the subtrees of ``skip`` elements."""
    if elem.get("/S") in skip:
        return
    for kid in _kids(elem):
        if isinstance(kid, int) and "/Pg" in elem:
            yield elem, int(kid)
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _marks_in_order(kid, skip)


def _marked_content(pdf: pikepdf.Pdf) -> list[tuple[int, tuple[int, int], list]]:
    """(page number, page object, operands) of every BMC/BDC operator. Parsing the page
    content streams is most of this module's time on a long document, so it is done once
    for the checks that read marked content."""
    return [(number, page.obj.objgen, list(operands))
            for number, page in enumerate(pdf.pages, start=1)
            for operands, _operator in pikepdf.parse_content_stream(page, "BMC BDC")]


def _artifacts_check(marks: list, elements) -> dict:
    owned = {(e.Pg.objgen, mcid) for e in elements if "/Pg" in e for mcid in _mcids(e)}
    problems = []
    for number, page, operands in marks:
        props = operands[1] if len(operands) > 1 else None
        if isinstance(props, pikepdf.Dictionary) and "/MCID" in props and (
                page, int(props.MCID)) not in owned:
            problems.append(problem(f"page {number}, MCID {int(props.MCID)}",
                                     "tag this content or mark it as an Artifact"))
    return check("pdf-artifacts", "All content is tagged or marked as artifact", problems,
                  len(owned))


def _paragraphs_check(elements, expected: int | None) -> dict:
    found = sum(e.S == pikepdf.Name.P for e in elements)
    problems = []
    if expected and abs(found - expected) > PARAGRAPH_TOLERANCE * expected:
        problems.append(problem("structure tree", f"{found} P elements for {expected} HTML "
                                "paragraphs: a paragraph cut at a page break is two"))
    return check("pdf-paragraphs", "One P per paragraph (within "
                 f"{PARAGRAPH_TOLERANCE:.0%} of the HTML's)", problems, found)


def _contents_check(elements, entries: int | None) -> dict:
    tocs = [e for e in elements if e.S == pikepdf.Name.TOC]
    items = [e for e in elements if e.S == pikepdf.Name.TOCI]
    problems = []
    if entries and not tocs:
        problems.append(problem("structure tree", "tag the contents list TOC, its entries TOCI"))
    elif entries and not 0 < len(items) <= entries:  # print drops emptied notes sections
        problems.append(problem("structure tree", f"{len(items)} TOCI for {entries} contents "
                                "entries"))
    return check("pdf-toc", "Contents tagged TOC/TOCI", problems, len(items))


def _links_check(pdf: pikepdf.Pdf) -> dict:
    problems, links = [], 0
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            links += 1
            text = str(annot.get("/Contents", "")).strip()
            if not text or ID_LIKE.match(text):
                problems.append(problem(f"page {number}", f"link described as “{text}”: "
                                        "describe it in words"))
    return check("pdf-link-text", "Links described in words (/Contents)", problems, links)


def _page_labels_check(root, page_count: int, print_pages: int | None) -> dict:
    """Required when the HTML knows the print edition's pages (a JATS without its layout
    sidecar has none to give)."""
    if not print_pages:
        return check("pdf-page-labels", "Page labels: not needed, the print edition's pages "
                     "are not known", [], None)
    labels = root.get("/PageLabels")
    problems = [] if labels is not None and "/Nums" in labels else [problem(
        "document catalog", "add /PageLabels with the print edition's page numbers")]
    return check("pdf-page-labels", "Page labels (/PageLabels) give the printed page numbers",
                 problems, page_count)


def _pagination_check(marks: list) -> dict:
    """Running heads and folios are artifacts of /Type /Pagination."""
    untyped = 0
    for _number, _page, operands in marks:
        if operands and operands[0] == pikepdf.Name.Artifact:
            props = operands[1] if len(operands) > 1 else None
            if not isinstance(props, pikepdf.Dictionary) or "/Type" not in props:
                untyped += 1
    problems = [problem("page content", f"{untyped} artifacts without /Type: mark running "
                        "heads and folios /Pagination")] if untyped else []
    return check("pdf-pagination", "Page furniture typed as pagination artifacts", problems,
                 None, failing=WARN)
