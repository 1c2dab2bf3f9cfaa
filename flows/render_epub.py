"""XHTML → EPUB 3: the HTML becomes the one content document, with a navigation document,
accessibility metadata and, when the HTML carries the print edition's page breaks, a page list.

The zip is written by hand (``zipfile``): ``mimetype`` first and stored, then every entry with
a fixed timestamp and in a fixed order, so the same inputs give the same bytes.
"""

from __future__ import annotations

import mimetypes
import warnings
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from flows.html_tree import EPUB_TYPE, LABELS, OPS, XHTML
from flows.jats_parts import (
    MATHML,
    XML_LANG,
    contributors,
    document_title,
    jats_language,
    part_meta,
    person_name,
    plain_text,
)
from flows.render_html import CSS_NAME, stylesheet

OPF = "http://www.idpf.org/2007/opf"
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def epub_metadata(jats: etree._ElementTree) -> dict[str, Any]:
    """Title, language, creators and publisher for the package, read from the JATS: the
    report's own authors, else every part's authors in order."""
    root = jats.getroot()
    meta = part_meta(root)
    people = contributors(meta) or [c for part in root.iter("sub-article")
                                     for c in contributors(part_meta(part))]
    creators = list(dict.fromkeys(filter(None, (person_name(c) for c in people))))
    publisher = plain_text(root.find("front/journal-meta/publisher/publisher-name"))
    return {"title": document_title(root), "language": jats_language(root),
            "creators": creators, "publisher": publisher}


def render_epub(html_path: Path, epub_path: Path, *, title: str, language: str,
                identifier: str, modified: str, creators: list[str] | None = None,
                publisher: str = "", source: str = "", conforms: bool = False) -> None:
    """Package the HTML (and its stylesheet and images) as an EPUB 3 file.

    ``modified`` is the ``dcterms:modified`` value (``CCYY-MM-DDThh:mm:ssZ``) and also the
    timestamp of every zip entry. The page list is made from the HTML's page-break markers,
    one entry per source page; ``source`` identifies the print edition they come from.
    ``conforms`` adds the EPUB Accessibility 1.1 / WCAG 2.1 AA claim: pass it only when the
    checks behind it passed.
    """
    html_path = Path(html_path)
    page = etree.parse(str(html_path)).getroot()
    content_name = html_path.stem + ".xhtml"
    images = _embed_images(page, html_path.parent)
    pages = page_breaks(page) if source else []  # a page list must name its edition
    files = {
        content_name: _serialize(page),
        "nav.xhtml": _nav_document(page, content_name, pages, title, language),
        CSS_NAME: stylesheet(paged=False).encode("utf-8"),
        **images,
    }
    facts = {"mathml": page.find(f".//{{{MATHML}}}math") is not None,
             "images": bool(images), "pages": len(pages),
             "notes": len(page.findall(f".//{{{XHTML}}}aside"))}
    package = _package(files, content_name, title=title, language=language,
                       identifier=identifier, modified=modified, creators=creators or [],
                       publisher=publisher, source=source, conforms=conforms, facts=facts)
    _write_zip(Path(epub_path), {"package.opf": package, **files}, modified)


def page_breaks(page: etree._Element) -> list[tuple[str, str]]:
    """(id, printed label) of every page-break marker, in reading order."""
    return [(el.get("id"), el.get("aria-label") or el.get("title") or "")
            for el in page.iter() if el.get(EPUB_TYPE) == "pagebreak" and el.get("id")]


def summary(facts: dict[str, Any], conforms: bool) -> str:
    """The accessibility summary, said from what this book has (never a stock sentence)."""
    parts = ["Reflowable text with a table of contents and headings in reading order."]
    if facts["notes"]:
        parts.append(f"{facts['notes']} notes, each linked to and from its reference.")
    if facts["pages"]:
        parts.append(f"Page breaks and a page list for the {facts['pages']} pages of the "
                     "print edition.")
    if facts["images"]:
        parts.append("Images have text alternatives.")
    if facts["mathml"]:
        parts.append("Equations are in MathML.")
    parts.append("No known hazards.")
    parts.append(f"Meets {CONFORMANCE} by automated checks (axe-core, DAISY Ace, EPUBCheck); "
                 "not certified by a third party." if conforms else
                 "Not claimed to meet an accessibility standard.")
    return " ".join(parts)


def _embed_images(page: etree._Element, folder: Path) -> dict[str, bytes]:
    """Images the HTML uses, read from beside it. A missing file would break the EPUB, so its
    ``img`` becomes a text placeholder carrying the alt text (and a warning is raised)."""
    found = {}
    for img in list(page.iter(f"{{{XHTML}}}img")):
        src = img.get("src", "")
        source = folder / src
        if src and "://" not in src and source.is_file():
            found[src] = source.read_bytes()
            continue
        warnings.warn(f"image {src!r} not found next to the HTML; using its alt text",
                      stacklevel=3)
        placeholder = etree.Element(f"{{{XHTML}}}span", {
            "class": "missing-graphic", "role": "img", "aria-label": img.get("alt", "")})
        placeholder.text = f"[{img.get('alt', '')}]"
        placeholder.tail = img.tail
        img.getparent().replace(img, placeholder)
    return found


def _serialize(page: etree._Element) -> bytes:
    return etree.tostring(page, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>")


def _nav_document(page, content_name: str, pages, title: str, language: str) -> bytes:
    """EPUB navigation document: the HTML's own contents list, landmarks, and the page list."""
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    html.set("lang", language)
    html.set(XML_LANG, language)
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    toc = _copy_with_targets(page.find(f".//{{{XHTML}}}nav"), content_name)
    body.append(toc)
    _nav_list(body, "landmarks", LABELS["landmarks"],
              [(f"{content_name}#toc", LABELS["contents"], "toc"),
               (f"{content_name}#main", title, "bodymatter")], hidden=True)
    if pages:
        _nav_list(body, "page-list", LABELS["pages"],
                  [(f"{content_name}#{eid}", label, None) for eid, label in pages], hidden=True)
    return etree.tostring(html, xml_declaration=True, encoding="UTF-8",
                          doctype="<!DOCTYPE html>")


def _copy_with_targets(nav: etree._Element, content_name: str) -> etree._Element:
    copy = etree.fromstring(etree.tostring(nav))
    for link in copy.iter(f"{{{XHTML}}}a"):
        link.set("href", content_name + link.get("href", ""))
    return copy


def _nav_list(body, kind: str, heading: str, entries, *, hidden: bool) -> None:
    nav = etree.SubElement(body, f"{{{XHTML}}}nav", {EPUB_TYPE: kind})
    if hidden:
        nav.set("hidden", "hidden")
    etree.SubElement(nav, f"{{{XHTML}}}h2").text = heading
    listing = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for href, text, landmark in entries:
        link = etree.SubElement(etree.SubElement(listing, f"{{{XHTML}}}li"), f"{{{XHTML}}}a",
                                {"href": href})
        if landmark:
            link.set(EPUB_TYPE, landmark)
        link.text = text


def _package(files: dict, content_name: str, *, title, language, identifier, modified,
             creators: list[str], publisher: str, source: str, conforms: bool,
             facts: dict[str, Any]) -> bytes:
    """The package document: metadata (with accessibility properties), manifest, spine."""
    access_modes = ["textual"] + (["visual"] if facts["images"] else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    features += ["alternativeText"] if facts["images"] else []
    features += ["pageBreakMarkers", "pageNavigation"] if facts["pages"] else []
    features += ["MathML"] if facts["mathml"] else []
    meta = [f'<dc:identifier id="pub-id">{escape(identifier)}</dc:identifier>',
            f"<dc:title>{escape(title)}</dc:title>",
            f"<dc:language>{escape(language)}</dc:language>"]
    meta += [f"<dc:creator>{escape(name)}</dc:creator>" for name in creators]
    meta += [f"<dc:publisher>{escape(publisher)}</dc:publisher>"] if publisher else []
    if facts["pages"]:  # the print edition the page numbers come from
        meta += [f"<dc:source>{escape(source)}</dc:source>",
                 f'<meta property="pageBreakSource">{escape(source)}</meta>']
    meta += [f'<meta property="dcterms:modified">{escape(modified)}</meta>']
    if conforms:
        meta += [f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>']
    meta += [f'<meta property="schema:accessMode">{mode}</meta>' for mode in access_modes]
    meta += ['<meta property="schema:accessModeSufficient">textual</meta>']
    meta += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    meta += ['<meta property="schema:accessibilityHazard">none</meta>',
             '<meta property="schema:accessibilitySummary">'
             f'{escape(summary(facts, conforms))}</meta>']
    items = []
    for number, name in enumerate(files):
        properties = {"nav.xhtml": "nav",
                      content_name: "mathml" if facts["mathml"] else ""}.get(name)
        attrs = f' properties="{properties}"' if properties else ""
        items.append(f'<item id="item{number}" href={quoteattr(name)} '
                     f'media-type="{_media_type(name)}"{attrs}/>')
    content_id = f"item{list(files).index(content_name)}"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="{OPF}" version="3.0" unique-identifier="pub-id" '
            f'xml:lang={quoteattr(language)}>\n'
            f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n  '
            + "\n  ".join(meta) + "\n</metadata>\n<manifest>\n  "
            + "\n  ".join(items) + "\n</manifest>\n"
            f'<spine>\n  <itemref idref="{content_id}"/>\n</spine>\n</package>\n'
            ).encode("utf-8")


def _media_type(name: str) -> str:
    if name.endswith(".xhtml"):
        return "application/xhtml+xml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _write_zip(epub_path: Path, files: dict, modified: str) -> None:
    stamp = datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").timetuple()[:6]
    with zipfile.ZipFile(epub_path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr(_entry("META-INF/container.xml", stamp), CONTAINER)
        for name, data in files.items():
            archive.writestr(_entry("EPUB/" + name, stamp), data)


def _entry(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info
