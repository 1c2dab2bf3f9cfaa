"""JATS → XHTML5, the accessible reading copy every other output starts from.

The HTML is well-formed XML so the same file serves the browser, the EPUB (as its one content
document) and WeasyPrint (PDF/UA). It is built from JATS alone, never from the extraction model,
so any publisher's JATS (PMC, JOSE, SciELO) renders the same way as ours.

Structure follows the JATS nesting: the report title is the only h1; the foreword, every
essay (``sub-article``) and every back-matter block is a ``section`` one level down; nested
``sec`` elements go one level deeper each. Footnotes stay with the part that cites them, as
DPUB-ARIA ``doc-footnote`` asides reached from ``doc-noteref`` callouts.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from lxml import etree

from flows.html_blocks import BlockRenderer
from flows.html_inline import InlineRenderer
from flows.html_pages import insert_page_breaks
from flows.html_tree import (
    EPUB_TYPE,
    LABELS,
    OPS,
    XHTML,
    append_text,
    h,
    open_empty_elements,
    prefix_label,
    section_heading,
    sub,
    toc_entries,
    unlink_dangling,
)
from flows.jats_parts import (
    XML_LANG,
    contributors,
    document_title,
    jats_language,
    local,
    part_meta,
    part_notes,
    person_name,
    pub_date,
    reader_custom_meta,
    sub_parts,
    title_element,
)

CSS_NAME = "jatsflow.css"
PAGED_MARKER = "/* == paged media =="


def render_html(jats: etree._ElementTree, css_href: str = CSS_NAME,
                sidecar: dict[str, Any] | None = None) -> str:
    """Render a JATS document as a standalone XHTML5 page (EPUB-ready, PDF-ready).

    With the layout sidecar of the PDF the JATS was made from, the page carries a page-break
    marker where each source page begins (:mod:`flows.html_pages`)."""
    return _HtmlBuilder(jats.getroot(), css_href, sidecar).build()


def write_css(folder: Path) -> Path:
    """Copy the package stylesheet next to the HTML, so the folder is self-contained."""
    target = Path(folder) / CSS_NAME
    target.write_text(stylesheet(), encoding="utf-8")
    return target


def stylesheet(*, paged: bool = True) -> str:
    """The jatsflow stylesheet; ``paged=False`` leaves out the page-layout rules (margin boxes,
    footnote floats) that reflowable EPUB does not use and EPUBCheck's CSS parser rejects."""
    css = resources.files("flows").joinpath(CSS_NAME).read_text(encoding="utf-8")
    return css if paged else css.split(PAGED_MARKER)[0].rstrip() + "\n"


class _HtmlBuilder(BlockRenderer, InlineRenderer):
    """One rendering pass: keeps the ids already used and the callouts met so far."""

    def __init__(self, root: etree._Element, css_href: str,
                 sidecar: dict[str, Any] | None = None):
        self.sidecar = sidecar
        self.root = root
        self.css_href = css_href
        self.lang = jats_language(root)
        self.ids: set[str] = set()
        self.reserved = {el.get("id") for el in root.iter() if isinstance(el.tag, str)} - {None}
        self.callouts: dict[str, str] = {}  # note id → id of its first callout
        self.notes_seen: set[str] = set()
        self.inline_note_ids: dict[str, str] = {}  # tree path of an id-less inline fn → id

    # -- page skeleton --

    def build(self) -> str:
        html = etree.Element(h("html"), nsmap={None: XHTML, "epub": OPS})
        html.set("lang", self.lang)
        html.set(XML_LANG, self.lang)
        head = sub(html, "head")
        sub(head, "meta", charset="utf-8")
        sub(head, "title", document_title(self.root))
        sub(head, "link", rel="stylesheet", href=self.css_href)
        body = sub(html, "body")
        header = sub(body, "header", class_="title-page")
        main_id = self.new_id("main")
        # the first stop for keyboard users, inside the banner landmark (axe: region)
        self._mark_label(sub(header, "a", LABELS["skip"], href="#" + main_id,
                             class_="skip-link"))
        self._title_page(header)
        nav = sub(body, "nav", role="doc-toc", id="toc", aria_labelledby="toc-title")
        nav.set(EPUB_TYPE, "toc")
        main = sub(body, "main", id=main_id)
        self._article(main)
        self._fill_toc(nav, main)
        if self.sidecar:
            insert_page_breaks(body, self.sidecar, self.new_id)
        unlink_dangling(html, self.ids)
        open_empty_elements(html)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
                + etree.tostring(html, encoding="unicode") + "\n")

    def _title_page(self, header: etree._Element) -> None:
        meta = part_meta(self.root)
        journal = self.root.find("front/journal-meta/journal-title-group/journal-title")
        if journal is not None:
            self._content_into(sub(header, "p", class_="series"), journal)
        title = sub(header, "h1", id=self.new_id("title"))
        self._content_into(title, title_element(meta))
        self._subtitles(header, meta)
        self._contribs(header, meta, with_bios=False)
        date = pub_date(meta)
        if date:
            sub(sub(header, "p", class_="date"), "time", date, datetime=date)

    def _fill_toc(self, nav: etree._Element, main: etree._Element) -> None:
        heading = sub(nav, "h2", LABELS["contents"], id=self.new_id("toc-title"))
        self._mark_label(heading)
        entries = toc_entries(main)
        if entries is not None:
            nav.append(entries)

    # -- parts --

    def _article(self, main: etree._Element) -> None:
        meta = part_meta(self.root)
        self._front_matter(main, meta)
        self._abstracts(main, meta, level=2)
        self._part_content(main, self.root, level=2)

    def _part_content(self, container: etree._Element, part: etree._Element, level: int):
        body = part.find("body")
        if body is not None:
            self.blocks(container, body, level)
        back = part.find("back")
        if back is not None:
            self._back(container, back, level)
        self._notes(container, part, level)
        for essay in sub_parts(part):
            self._sub_article(container, essay, level)

    def _sub_article(self, container: etree._Element, part: etree._Element, level: int):
        meta = part_meta(part)
        section = self._section(container, part, "part", level, title_element(meta))
        self._subtitles(section, meta)
        self._contribs(section, meta, with_bios=True)
        self._abstracts(section, meta, level + 1)
        self._part_content(section, part, level + 1)

    def _front_matter(self, main: etree._Element, meta: etree._Element | None) -> None:
        """Everything on the cover and imprint pages that is not the title: kept, not dropped;
        but not provenance (the source's checksum and page count), which is for archivists."""
        front = self.root.find("front")
        section = self._section(main, None, "front-matter", 2, None, label="about")
        for publisher in self.root.findall("front/journal-meta/publisher"):
            self._content_into(sub(section, "p", class_="publisher"), publisher, sep=", ")
        if meta is not None:
            for tag in ("aff", "contrib-group/aff", "author-notes", "permissions"):
                for el in meta.findall(tag):
                    self.block(section, el, 3)
            items = reader_custom_meta(meta)
            if items:
                dl = sub(section, "dl", class_="custom-meta")
                for item in items:
                    self._content_into(sub(dl, "dt"), item.find("meta-name"))
                    self._content_into(sub(dl, "dd"), item.find("meta-value"))
        for notes in (front.findall("notes") if front is not None else []):
            self.block(section, notes, 3)
        if len(section) == 1:  # only the heading: nothing to say
            main.remove(section)

    def _subtitles(self, container: etree._Element, meta: etree._Element | None) -> None:
        for subtitle in (meta.findall("title-group/subtitle") if meta is not None else []):
            self._content_into(sub(container, "p", class_="subtitle"), subtitle)

    def _contribs(self, container, meta, *, with_bios: bool) -> None:
        people = contributors(meta)
        if not people:
            return
        names = sub(container, "p", class_="contribs")
        for index, contrib in enumerate(people):
            append_text(names, ", " if index else None)
            sub(names, "span", person_name(contrib), class_="contrib")
        if with_bios:
            for contrib in people:
                self._bio(container, contrib)

    def _bio(self, container: etree._Element, contrib: etree._Element) -> None:
        bios, emails = contrib.findall("bio"), contrib.findall(".//email")
        if not (bios or emails):
            return
        div = sub(container, "div", class_="bio")
        for bio in bios:
            self.blocks(div, bio, 6)
        for email in emails:
            self._content_into(sub(div, "p", class_="email"), None, children=[email])

    def _abstracts(self, container, meta, level: int) -> None:
        if meta is None:
            return
        for abstract in meta.findall("abstract") + meta.findall("trans-abstract"):
            section = self._section(container, abstract, "abstract", level,
                                    abstract.find("title"), label=local(abstract))
            section.set("role", "doc-abstract")
            # "Abstract" alone would name several landmarks alike: add the part's title.
            names = [section_heading(s).get("id") for s in (section, container)
                     if s.tag == h("section") and section_heading(s) is not None]
            section.set("aria-labelledby", " ".join(names))
            self.blocks(section, abstract, level + 1)
        for keywords in meta.findall("kwd-group"):
            self._keywords(container, keywords)

    def _keywords(self, container: etree._Element, group: etree._Element) -> None:
        p = sub(container, "p", class_="keywords")
        self._set_lang(p, group)
        label = sub(p, "span", class_="keywords-label")
        title = group.find("title")
        if title is not None:
            self._content_into(label, title)
        else:
            label.text = LABELS["keywords"]
            self._mark_label(label)
        append_text(label, ": ")
        for index, kwd in enumerate(group.findall("kwd")):
            append_text(p, "; " if index else None)
            self._content_into(p, kwd)

    def _back(self, container: etree._Element, back: etree._Element, level: int) -> None:
        for child in back:
            if local(child) != "fn-group":  # notes are rendered per part, see _notes
                self.block(container, child, level)

    def _notes(self, container: etree._Element, part: etree._Element, level: int) -> None:
        notes = [fn for fn in part_notes(part) if fn.get("id") not in self.notes_seen]
        if not notes:
            return
        group = part.find("back/fn-group")
        section = self._section(container, group, "notes", level, group.find("title"),
                                label="notes")
        for fn in notes:
            self._note(section, fn)

    def _note(self, container: etree._Element, fn: etree._Element) -> None:
        note_id = self.new_id(fn.get("id") or "fn", from_jats=bool(fn.get("id")))
        self.notes_seen.add(fn.get("id"))
        aside = sub(container, "aside", id=note_id, role="doc-footnote", class_="footnote")
        aside.set(EPUB_TYPE, "footnote")
        self.blocks(aside, fn, 6)
        callout = self.callouts.get(fn.get("id"))
        marker = prefix_label(aside, fn, "a" if callout else "span")
        if marker is not None and callout:
            marker.set("href", "#" + callout)
            marker.set("role", "doc-backlink")
            marker.set("aria-label", LABELS["backlink"].format(marker.text))
