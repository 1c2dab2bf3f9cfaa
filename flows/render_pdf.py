"""XHTML → tagged PDF (PDF/UA-1) with WeasyPrint, then a pikepdf pass over the structure tree.

The HTML keeps each part's notes together after the part (right for screens and EPUB). For
print, notes belong at the foot of the page that cites them, so the print copy moves each
note next to its callout and the stylesheet floats it there (``float: footnote``).

WeasyPrint tags a footnote as a plain Span inside an untyped NonStruct at the end of the page,
far from the text that cites it. :func:`fix_structure` makes it what PDF/UA expects: a
``Note`` with an ``ID``, placed in the structure right after its callout, and the callout a
``Reference`` wrapping the ``Link`` to the note (with ``/Ref`` pointing at it). It also marks
running heads and folios as artifacts, fixes the dates for reproducible output, and writes the
file with a deterministic ``/ID``, so two runs over the same HTML give identical bytes.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from lxml import etree
from weasyprint import HTML

from flows.folios import folio_number
from flows.html_tree import XHTML
from flows.pdf_tags import (
    describe_links,
    drop_empty_elements,
    join_pages,
    link_words,
    mark_blocks,
    open_across,
    tag_contents,
    tag_languages,
    type_artifacts,
)

tag_languages()  # structure elements of passages in another language get /Lang
NOTE_REF = "doc-noteref"
NOTE = "doc-footnote"


def render_pdf(html_path: Path, pdf_path: Path, *, source_date_epoch: int | None = None,
               page_size: str | None = None) -> None:
    """Render the HTML (and the stylesheet it links) as a PDF/UA-1 file.

    ``page_size`` is a CSS page size ("A4", "letter", "612pt 792pt"); without it the
    stylesheet's. Where the HTML carries the print edition's page breaks, each PDF page is
    labelled (``/PageLabels``, and the folio at its foot) with the printed page it begins
    with. ``source_date_epoch`` (else the ``SOURCE_DATE_EPOCH`` environment variable) sets the
    creation and modification dates; without either the PDF carries no dates at all, so the
    output is reproducible by default.
    """
    html_path, pdf_path = Path(html_path), Path(pdf_path)
    page = etree.parse(str(html_path)).getroot()
    notes = print_footnotes(page)
    parts = start_parts_on_new_pages(page)
    words = link_words(page)
    contents = {a.get("href", "")[1:] for nav in page.iter(_x("nav"))
                if nav.get("role") == "doc-toc" for a in nav.iter(_x("a"))}
    breaks = [(el.get("id"), el.get("title", "")) for el in page.iter(_x("hr"))
              if el.get("role") == "doc-pagebreak" and el.get("id")]
    blocks = mark_blocks(page)
    # author rules after the linked stylesheet, so they win over its A4 and page counter
    rules = (f"@page {{ size: {page_size}; }}\n" if page_size else "") + \
        (PRINTED_FOLIO if breaks else "") + (PART_STARTS if parts else "")
    if rules:
        etree.SubElement(page.find(_x("head")), _x("style")).text = rules
    markup = etree.tostring(page, encoding="unicode")
    document = HTML(string=markup, base_url=html_path.resolve().parent.as_uri() + "/").render()
    anchors = [set(rendered.anchors) for rendered in document.pages]
    document.write_pdf(str(pdf_path), pdf_variant="pdf/ua-1")
    epoch = source_date_epoch
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH"):
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        join_pages(pdf, open_across(blocks, anchors))
        fix_structure(pdf, notes)
        drop_empty_elements(pdf)
        tag_contents(pdf, contents)
        describe_links(pdf, words)
        type_artifacts(pdf)
        if breaks:
            set_page_labels(pdf, page_labels(breaks, anchors))
        if epoch is not None:
            set_dates(pdf, epoch)
        pdf.save(pdf_path, deterministic_id=True)


# The folio at each page's foot is the printed page the PDF page begins with (the page-break
# markers set it), so what a reader sees matches the page labels and the print edition.
PRINTED_FOLIO = """
hr.pagebreak { string-set: folio attr(title); }
@page { @bottom-center { content: string(folio, first); } }
"""


# A part that began a page of the print edition begins a PDF page, its page-break marker
# first (so the page's label is that page's), instead of starting at the foot of the page
# before; the section's own forced break would then leave that marker alone on a page.
PART_STARTS = """
hr.starts-part { break-before: page; }
section.after-part-start { break-before: auto; }
"""


def start_parts_on_new_pages(page: etree._Element) -> int:
    """Mark each top-level section that the print edition began on a new page (page-break
    markers right before it) for :data:`PART_STARTS`; returns how many were marked."""
    marked = 0
    for main in page.iter(_x("main")):
        for section in main.iterchildren(_x("section")):
            first, before = None, section.getprevious()
            while before is not None and before.tag == _x("hr") and \
                    before.get("role") == "doc-pagebreak":
                first, before = before, before.getprevious()
            if first is None or before is None:  # first in main: it stays with the title page
                continue
            first.set("class", f"{first.get('class', '')} starts-part".strip())
            section.set("class", f"{section.get('class', '')} after-part-start".strip())
            marked += 1
    return marked


def page_labels(breaks: list[tuple[str, str]], anchors: list[set[str]]) -> list[str]:
    """Each PDF page's label: the first print page that begins on it, else the print page
    it continues."""
    labels, current = [], ""
    for found in anchors:
        on_page = [label for marker, label in breaks if marker in found]
        labels.append(on_page[0] if on_page else current)
        current = on_page[-1] if on_page else current
    return labels


def set_page_labels(pdf: pikepdf.Pdf, labels: list[str]) -> None:
    """/PageLabels: a run of consecutive arabic or lower-case roman numbers is one range with
    a numbering style; any other label is a range of its own, given as a prefix."""
    nums: list = []
    previous: tuple[str, int] | None = None
    for index, label in enumerate(labels):
        number = _label_number(label)
        if number and previous and number[0] == previous[0] and number[1] == previous[1] + 1:
            previous = number
            continue
        if number:
            style = pikepdf.Name.D if number[0] == "arabic" else pikepdf.Name.r
            nums += [index, pikepdf.Dictionary(S=style, St=number[1])]
        else:
            nums += [index, pikepdf.Dictionary(P=pikepdf.String(label))]
        previous = number
    pdf.Root.PageLabels = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))


def _label_number(label: str) -> tuple[str, int] | None:
    """A label /PageLabels can number: arabic from 1, or lower-case roman (an upper-case or
    other label is written as a prefix of its own)."""
    number = folio_number(label)
    if number and number[1] > 0 and (number[0] == "arabic" or label.islower()):
        return number
    return None


# --- print copy of the HTML -------------------------------------------------------------------


def _x(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def print_footnotes(page: etree._Element) -> dict[str, str]:
    """Move every cited note into the text right after its first callout.

    The note becomes a ``span.footnote`` (phrasing content, so it may sit inside a paragraph)
    that the print stylesheet floats to the page foot. Returns note id → callout id.
    """
    callouts = {}
    for link in page.iter(_x("a")):
        if link.get("role") == NOTE_REF and link.get("id"):
            callouts.setdefault(link.get("href", "")[1:], link)
    moved = {}
    for aside in list(page.iter(_x("aside"))):
        callout = callouts.get(aside.get("id"))
        if aside.get("role") != NOTE or callout is None:
            continue
        span = _note_as_span(aside)
        span.tail, callout.tail = callout.tail, None
        callout.addnext(span)
        moved[aside.get("id")] = callout.get("id")
        section = aside.getparent()
        section.remove(aside)
        if not any(child.tag == _x("aside") for child in section):
            _drop_contents_entries(page, {el.get("id") for el in section.iter() if el.get("id")})
            section.getparent().remove(section)
    return moved


def _drop_contents_entries(page: etree._Element, ids: set[str]) -> None:
    """A notes section emptied for print leaves the contents: its entry would lead nowhere."""
    for link in list(page.iter(_x("a"))):
        entry = link.getparent()
        if link.get("href", "")[1:] in ids and entry is not None and entry.tag == _x("li") \
                and any(nav.get("role") == "doc-toc" for nav in link.iterancestors(_x("nav"))):
            listing = entry.getparent()
            listing.remove(entry)
            if not len(listing):
                listing.getparent().remove(listing)


def _note_as_span(aside: etree._Element) -> etree._Element:
    span = etree.Element(_x("span"), {"class": "footnote", "id": aside.get("id")})
    for block in aside:
        block.tag = _x("span")
        block.set("class", (block.get("class", "") + " footnote-p").strip())
        block.tail = None
        span.append(block)
    return span


# --- structure tree repair --------------------------------------------------------------------


def fix_structure(pdf: pikepdf.Pdf, notes: dict[str, str]) -> None:
    """Tag footnotes as Note (with ID) after a Reference to them; running heads as artifacts."""
    root = pdf.Root.StructTreeRoot
    links = list(_links(root))
    backlinks = {dest: elem for elem, dest in links if dest in set(notes.values())}
    callout_links = {dest: elem for elem, dest in links if dest in notes}
    ids = []
    for note_id, callout_id in notes.items():
        backlink, callout = backlinks.get(callout_id), callout_links.get(note_id)
        if backlink is None or callout is None:
            continue
        note = _footnote_element(backlink)
        _detach(note)
        note.S = pikepdf.Name.Note
        note.ID = pikepdf.String(note_id)
        for paragraph in _kids(note):  # the note's paragraphs, printed as spans
            if _is_struct(paragraph) and paragraph.S == pikepdf.Name.Span and _kids(paragraph):
                paragraph.S = pikepdf.Name.P
        reference = _wrap(pdf, callout, pikepdf.Name.Reference)
        reference.Ref = pikepdf.Array([note])
        _insert_after(reference, note)
        ids += [pikepdf.String(note_id), note]
    if ids:
        root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(ids)))
    _drop_empty_groups(root.K[0])
    mark_artifacts(pdf)


def _kids(elem: pikepdf.Dictionary) -> list:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_struct(obj) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def walk(elem: pikepdf.Dictionary):
    """Structure elements below ``elem`` in document (reading) order, ``elem`` first."""
    yield elem
    for kid in _kids(elem):
        if _is_struct(kid):
            yield from walk(kid)


def _links(root: pikepdf.Dictionary):
    """(Link element, named destination) pairs for every internal link in the tree."""
    for elem in walk(root.K[0]):
        if elem.S != pikepdf.Name.Link:
            continue
        for kid in _kids(elem):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
                dest = kid.Obj.get("/Dest")
                if isinstance(dest, pikepdf.String):
                    yield elem, str(dest)


def _footnote_element(inner: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The footnote box around ``inner``: the ancestor whose parent is the footnote area."""
    elem = inner
    while elem.P.get("/P") is not None and elem.P.P.get("/S") != pikepdf.Name.Document:
        elem = elem.P
    return elem


def _detach(elem: pikepdf.Dictionary) -> None:
    parent = elem.P
    parent.K = pikepdf.Array([k for k in _kids(parent) if not _same(k, elem)])


def _same(a, b) -> bool:
    return _is_struct(a) and a.objgen == b.objgen


def _insert_after(anchor: pikepdf.Dictionary, elem: pikepdf.Dictionary) -> None:
    parent = anchor.P
    kids = _kids(parent)
    index = next(i for i, kid in enumerate(kids) if _same(kid, anchor))
    kids.insert(index + 1, elem)
    parent.K = pikepdf.Array(kids)
    elem.P = parent


def _wrap(pdf: pikepdf.Pdf, elem: pikepdf.Dictionary, tag: pikepdf.Name) -> pikepdf.Dictionary:
    """Put a new structure element of type ``tag`` where ``elem`` was, holding ``elem``."""
    parent = elem.P
    wrapper = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.StructElem, S=tag, P=parent, K=pikepdf.Array([elem])))
    if "/Pg" in elem:
        wrapper.Pg = elem.Pg
    parent.K = pikepdf.Array([wrapper if _same(k, elem) else k for k in _kids(parent)])
    elem.P = wrapper
    return wrapper


def _drop_empty_groups(document: pikepdf.Dictionary) -> None:
    """Remove the footnote-area groups the notes have left (nothing else is empty there)."""
    for elem in list(walk(document))[1:]:
        if elem.S == pikepdf.Name.NonStruct and not _kids(elem):
            _detach(elem)


# --- artifacts --------------------------------------------------------------------------------


def mark_artifacts(pdf: pikepdf.Pdf) -> None:
    """Turn marked content that no structure element owns (running heads, folios) into
    ``/Artifact`` sequences, as PDF/UA requires for page furniture."""
    owned = _owned_mcids(pdf.Root.StructTreeRoot)
    for page in pdf.pages:
        instructions = pikepdf.parse_content_stream(page)
        changed = False
        for index, (operands, operator) in enumerate(instructions):
            if str(operator) != "BDC" or len(operands) < 2:
                continue
            properties = operands[1]
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) \
                else None
            if mcid is not None and (page.obj.objgen, int(mcid)) not in owned:
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
                changed = True
        if changed:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _owned_mcids(root: pikepdf.Dictionary) -> set[tuple[tuple[int, int], int]]:
    """(page object, MCID) pairs reachable from the structure tree's Document element."""
    owned = set()
    for elem in walk(root.K[0]):
        for kid in _kids(elem):
            if isinstance(kid, int) and "/Pg" in elem:
                owned.add((elem.Pg.objgen, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                owned.add((kid.get("/Pg", elem.get("/Pg")).objgen, int(kid.MCID)))
    return owned


# --- metadata ---------------------------------------------------------------------------------


def set_dates(pdf: pikepdf.Pdf, epoch: int) -> None:
    """Creation and modification dates from a fixed time (reproducible builds)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    pdf.docinfo.CreationDate = pdf.docinfo.ModDate = moment.strftime("D:%Y%m%d%H%M%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        stamp = moment.isoformat().replace("+00:00", "Z")
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            xmp[key] = stamp
