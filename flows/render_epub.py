"""XHTML → EPUB 3: the HTML becomes the one content document, with a navigation document,
accessibility metadata and, when the source PDF's page labels are known, a page list.

The zip is written by hand (``zipfile``): ``mimetype`` first and stored, then every entry with
a fixed timestamp and in a fixed order, so the same inputs give the same bytes.
"""

from __future__ import annotations

import mimetypes
import warnings
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from flows.html_tree import EPUB_TYPE, LABELS, OPS, XHTML
from flows.jats_parts import MATHML, XML_LANG
from flows.render_html import CSS_NAME, stylesheet

OPF = "http://www.idpf.org/2007/opf"
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
SUMMARY = ("Reflowable text with a navigable table of contents, headings in document order, "
           "linked footnotes and text alternatives for images. No known hazards. "
           "Checked with EPUBCheck and axe-core; not certified by a third party.")


def render_epub(html_path: Path, epub_path: Path, *, title: str, language: str,
                identifier: str, modified: str, page_map: dict | None = None) -> None:
    """Package the HTML (and its stylesheet and images) as an EPUB 3 file.

    ``modified`` is the ``dcterms:modified`` value (``CCYY-MM-DDThh:mm:ssZ``) and also the
    timestamp of every zip entry. ``page_map`` maps element ids to the source PDF's page
    labels, for a page-list navigation (print page numbers for citation).
    """
    html_path = Path(html_path)
    page = etree.parse(str(html_path)).getroot()
    content_name = html_path.stem + ".xhtml"
    images = _embed_images(page, html_path.parent)
    pages = _page_entries(page, page_map or {})
    files = {
        content_name: _serialize(page),
        "nav.xhtml": _nav_document(page, content_name, pages, title, language),
        CSS_NAME: stylesheet(paged=False).encode("utf-8"),
        **images,
    }
    package = _package(files, content_name, title=title, language=language,
                       identifier=identifier, modified=modified,
                       mathml=page.find(f".//{{{MATHML}}}math") is not None,
                       has_images=bool(images), has_pages=bool(pages))
    _write_zip(Path(epub_path), {"package.opf": package, **files}, modified)


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


def _page_entries(page: etree._Element, page_map: dict) -> list[tuple[str, str]]:
    """(element id, page label) pairs whose id exists, in document order."""
    order = {el.get("id"): n for n, el in enumerate(page.iter()) if el.get("id")}
    known = [(eid, str(label)) for eid, label in page_map.items() if eid in order]
    return sorted(known, key=lambda pair: order[pair[0]])


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
             mathml: bool, has_images: bool, has_pages: bool) -> bytes:
    """The package document: metadata (with accessibility properties), manifest, spine."""
    access_modes = ["textual"] + (["visual"] if has_images else [])
    features = ["structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    features += ["alternativeText"] if has_images else []
    features += ["pageNavigation"] if has_pages else []
    if mathml:
        features.append("MathML")
    meta = [f'<dc:identifier id="pub-id">{escape(identifier)}</dc:identifier>',
            f"<dc:title>{escape(title)}</dc:title>",
            f"<dc:language>{escape(language)}</dc:language>",
            f'<meta property="dcterms:modified">{escape(modified)}</meta>']
    meta += [f'<meta property="schema:accessMode">{mode}</meta>' for mode in access_modes]
    meta += ['<meta property="schema:accessModeSufficient">textual</meta>']
    meta += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    meta += ['<meta property="schema:accessibilityHazard">none</meta>',
             f'<meta property="schema:accessibilitySummary">{escape(SUMMARY)}</meta>']
    items = []
    for number, name in enumerate(files):
        properties = {"nav.xhtml": "nav", content_name: "mathml" if mathml else ""}.get(name)
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
