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

import re
from importlib import resources
from pathlib import Path

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MATHML = "http://www.w3.org/1998/Math/MathML"
EPUB_TYPE = f"{{{OPS}}}type"
CSS_NAME = "jatsflow.css"
PAGED_MARKER = "/* == paged media =="

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


def render_html(jats: etree._ElementTree, css_href: str = CSS_NAME) -> str:
    """Render a JATS document as a standalone XHTML5 page (EPUB-ready, PDF-ready)."""
    return _HtmlBuilder(jats.getroot(), css_href).build()


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


# --- JATS reading helpers, shared with the text renderer -------------------------------------


def local(el: etree._Element) -> str:
    """Element name without namespace ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def jats_language(jats_root: etree._Element) -> str:
    """Document language; the JATS DTD defaults ``xml:lang`` to English."""
    return jats_root.get(XML_LANG) or "en"


def clean(text: str | None) -> str:
    """Collapse XML source whitespace to single spaces."""
    return " ".join((text or "").split())


def plain_text(el: etree._Element | None) -> str:
    """All text below an element, whitespace collapsed."""
    return "" if el is None else clean("".join(el.itertext()))


def person_name(contrib: etree._Element) -> str:
    """A contributor's display name: given names first unless the name is eastern-style."""
    name = contrib if local(contrib) == "name" else contrib.find("name")
    if name is None:
        alternative = contrib.find("collab")
        if alternative is None:
            alternative = contrib.find("string-name")
        return plain_text(alternative)
    parts = [plain_text(name.find(tag)) for tag in ("prefix", "given-names", "surname", "suffix")]
    if name.get("name-style") == "eastern":
        parts[1], parts[2] = parts[2], parts[1]
    return " ".join(p for p in parts if p)


def part_meta(part: etree._Element) -> etree._Element | None:
    """The metadata block of an article or sub-article (``article-meta`` or ``front-stub``)."""
    for path in ("front/article-meta", "front-stub", "front"):
        found = part.find(path)
        if found is not None:
            return found
    return None


def sub_parts(part: etree._Element) -> list[etree._Element]:
    """Sub-articles (essays) directly inside a part, in document order."""
    return [child for child in part if local(child) == "sub-article"]


def contributors(meta: etree._Element | None) -> list[etree._Element]:
    """``contrib`` elements of a part, whether or not they sit in a ``contrib-group``."""
    if meta is None:
        return []
    return meta.findall("contrib-group/contrib") + meta.findall("contrib")


def part_notes(part: etree._Element) -> list[etree._Element]:
    """Notes of one part: its back-matter fn-groups, in order."""
    return part.findall("back/fn-group/fn")


# --- HTML building ----------------------------------------------------------------------------


def _h(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, _h(tag), {k.rstrip("_").replace("_", "-"): v
                                            for k, v in attrs.items()})
    if text:
        el.text = text
    return el


def _append_text(parent: etree._Element, text: str | None) -> None:
    """Append character data after the last child (lxml keeps it in .text or a child's .tail)."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _HtmlBuilder:
    """One rendering pass: keeps the ids already used and the callouts met so far."""

    def __init__(self, root: etree._Element, css_href: str):
        self.root = root
        self.css_href = css_href
        self.lang = jats_language(root)
        self.ids: set[str] = set()
        self.reserved = {el.get("id") for el in root.iter() if isinstance(el.tag, str)} - {None}
        self.callouts: dict[str, str] = {}  # note id → id of its first callout
        self.notes_seen: set[str] = set()

    # -- page skeleton --

    def build(self) -> str:
        html = etree.Element(_h("html"), nsmap={None: XHTML, "epub": OPS})
        html.set("lang", self.lang)
        html.set(XML_LANG, self.lang)
        head = _sub(html, "head")
        _sub(head, "meta", charset="utf-8")
        _sub(head, "title", document_title(self.root))
        _sub(head, "link", rel="stylesheet", href=self.css_href)
        body = _sub(html, "body")
        self._title_page(_sub(body, "header", class_="title-page"))
        nav = _sub(body, "nav", role="doc-toc", id="toc", aria_labelledby="toc-title")
        nav.set(EPUB_TYPE, "toc")
        main = _sub(body, "main", id="main")
        self._article(main)
        self._fill_toc(nav, main)
        _unlink_dangling(html, self.ids)
        _open_empty_elements(html)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
                + etree.tostring(html, encoding="unicode") + "\n")

    def _title_page(self, header: etree._Element) -> None:
        meta = part_meta(self.root)
        journal = self.root.find("front/journal-meta/journal-title-group/journal-title")
        if journal is not None:
            self._content_into(_sub(header, "p", class_="series"), journal)
        title = _sub(header, "h1", id=self.new_id("title"))
        self._content_into(title, _title_el(meta))
        self._subtitles(header, meta)
        self._contribs(header, meta, with_bios=False)
        date = pub_date(meta)
        if date:
            _sub(_sub(header, "p", class_="date"), "time", date, datetime=date)

    def _fill_toc(self, nav: etree._Element, main: etree._Element) -> None:
        heading = _sub(nav, "h2", LABELS["contents"], id=self.new_id("toc-title"))
        self._mark_label(heading)
        entries = _toc_entries(main)
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
        section = self._section(container, part, "part", level, _title_el(meta))
        self._subtitles(section, meta)
        self._contribs(section, meta, with_bios=True)
        self._abstracts(section, meta, level + 1)
        self._part_content(section, part, level + 1)

    def _front_matter(self, main: etree._Element, meta: etree._Element | None) -> None:
        """Everything on the cover and imprint pages that is not the title: kept, not dropped."""
        front = self.root.find("front")
        section = self._section(main, None, "front-matter", 2, None, label="about")
        for publisher in self.root.findall("front/journal-meta/publisher"):
            self._content_into(_sub(section, "p", class_="publisher"), publisher, sep=", ")
        if meta is not None:
            for tag in ("aff", "contrib-group/aff", "author-notes", "permissions"):
                for el in meta.findall(tag):
                    self.block(section, el, 3)
            for group in meta.findall("custom-meta-group"):
                self._custom_meta(section, group)
        for notes in (front.findall("notes") if front is not None else []):
            self.block(section, notes, 3)
        if len(section) == 1:  # only the heading: nothing to say
            main.remove(section)

    def _custom_meta(self, container: etree._Element, group: etree._Element) -> None:
        dl = _sub(container, "dl", class_="custom-meta")
        for item in group.findall("custom-meta"):
            self._content_into(_sub(dl, "dt"), item.find("meta-name"))
            self._content_into(_sub(dl, "dd"), item.find("meta-value"))

    def _subtitles(self, container: etree._Element, meta: etree._Element | None) -> None:
        for subtitle in (meta.findall("title-group/subtitle") if meta is not None else []):
            self._content_into(_sub(container, "p", class_="subtitle"), subtitle)

    def _contribs(self, container, meta, *, with_bios: bool) -> None:
        people = contributors(meta)
        if not people:
            return
        names = _sub(container, "p", class_="contribs")
        for index, contrib in enumerate(people):
            _append_text(names, ", " if index else None)
            _sub(names, "span", person_name(contrib), class_="contrib")
        if with_bios:
            for contrib in people:
                self._bio(container, contrib)

    def _bio(self, container: etree._Element, contrib: etree._Element) -> None:
        bios, emails = contrib.findall("bio"), contrib.findall(".//email")
        if not (bios or emails):
            return
        div = _sub(container, "div", class_="bio")
        for bio in bios:
            self.blocks(div, bio, 6)
        for email in emails:
            self._content_into(_sub(div, "p", class_="email"), None, children=[email])

    def _abstracts(self, container, meta, level: int) -> None:
        if meta is None:
            return
        for abstract in meta.findall("abstract") + meta.findall("trans-abstract"):
            section = self._section(container, abstract, "abstract", level,
                                    abstract.find("title"), label=local(abstract))
            section.set("role", "doc-abstract")
            # "Abstract" alone would name several landmarks alike: add the part's title.
            names = [section_heading(s).get("id") for s in (section, container)
                     if s.tag == _h("section") and section_heading(s) is not None]
            section.set("aria-labelledby", " ".join(names))
            self.blocks(section, abstract, level + 1)
        for keywords in meta.findall("kwd-group"):
            self._keywords(container, keywords)

    def _keywords(self, container: etree._Element, group: etree._Element) -> None:
        p = _sub(container, "p", class_="keywords")
        self._set_lang(p, group)
        label = _sub(p, "span", class_="keywords-label")
        title = group.find("title")
        if title is not None:
            self._content_into(label, title)
        else:
            label.text = LABELS["keywords"]
            self._mark_label(label)
        _append_text(label, ": ")
        for index, kwd in enumerate(group.findall("kwd")):
            _append_text(p, "; " if index else None)
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
        aside = _sub(container, "aside", id=note_id, role="doc-footnote", class_="footnote")
        aside.set(EPUB_TYPE, "footnote")
        self.blocks(aside, fn, 6)
        callout = self.callouts.get(fn.get("id"))
        marker = _prefix_label(aside, fn, "a" if callout else "span")
        if marker is not None and callout:
            marker.set("href", "#" + callout)
            marker.set("role", "doc-backlink")

    def _block_fn(self, container, el, level) -> None:
        """A note outside the notes list (author notes, table feet): label and paragraphs."""
        div = _sub(container, "div", class_="fn")
        self._copy_id(div, el)
        self.blocks(div, el, level)
        _prefix_label(div, el, "span")

    def _block_permissions(self, container, el, level) -> None:
        div = _sub(container, "div", class_="permissions")
        if el.find("copyright-statement") is None:
            year, holder = el.find("copyright-year"), el.find("copyright-holder")
            if year is not None or holder is not None:
                _sub(div, "p", " ".join(["©", plain_text(year), plain_text(holder)]).strip())
        for child in el:
            if local(child) in ("copyright-statement", "license"):
                self.block(div, child, level)

    # -- block content --

    def blocks(self, container: etree._Element, source: etree._Element, level: int) -> None:
        """Render the block children of ``source``; loose inline content becomes paragraphs."""
        loose: list[etree._Element] = []
        if clean(source.text):
            loose.append(None)
        for child in source:
            name = local(child)
            if name in OWNED_TAGS or not name:
                continue
            if name in BLOCK_TAGS or name in NOTE_TAGS or name == "sub-article":
                self._flush_loose(container, source, loose)
                self.block(container, child, level)
            else:
                loose.append(child)
        self._flush_loose(container, source, loose)

    def _flush_loose(self, container, source, loose: list) -> None:
        if not loose:
            return
        p = _sub(container, "p")
        if loose[0] is None:
            _append_text(p, clean(source.text))
            loose = loose[1:]
        for child in loose:
            self.inline(p, child)
        loose.clear()

    def block(self, container: etree._Element, el: etree._Element, level: int) -> None:
        handler = getattr(self, "_block_" + local(el).replace("-", "_"), None)
        if handler is not None:
            handler(container, el, level)
        else:
            self._block_generic(container, el, level)

    def _block_generic(self, container, el, level) -> None:
        """Unknown blocks keep their text: a titled section, or a div of their children."""
        if el.find("title") is not None:
            section = self._section(container, el, local(el), level, el.find("title"))
            self.blocks(section, el, level + 1)
        else:
            div = _sub(container, "div", class_=local(el))
            self._copy_id(div, el)
            self.blocks(div, el, level)

    def _block_sec(self, container, el, level) -> None:
        section = self._section(container, el, el.get("sec-type") or "sec", level,
                                el.find("title"))
        self._signers(section, el.find("sec-meta"))
        self.blocks(section, el, level + 1)

    def _signers(self, container, meta: etree._Element | None) -> None:
        """Who signs a section (a foreword's author and role), under its heading."""
        for contrib in contributors(meta):
            line = _sub(container, "p", class_="signature")
            _sub(line, "span", person_name(contrib), class_="contrib")
            for role in contrib.findall("role"):
                _append_text(line, ", ")
                self._content_into(_sub(line, "span", class_="role"), role)

    _block_ack = _block_app = _block_glossary = _block_notes = _block_sec

    def _block_ref_list(self, container, el, level) -> None:
        section = self._section(container, el, "ref-list", level, el.find("title"),
                                label="references")
        section.set("role", "doc-bibliography")
        listing = _sub(section, "ol", class_="references")
        for ref in el.findall("ref"):
            li = _sub(listing, "li")
            self._copy_id(li, ref)
            self._citation(li, ref)
        for nested in el.findall("ref-list"):
            self._block_ref_list(section, nested, level + 1)

    def _citation(self, li: etree._Element, ref: etree._Element) -> None:
        label = ref.find("label")
        if label is not None:
            _sub(li, "span", plain_text(label) + " ", class_="ref-label")
        mixed = ref.find("mixed-citation")
        if mixed is not None:
            self._content_into(li, mixed)
            return
        structured = ref.find("element-citation")
        if structured is None:
            structured = ref.find("nlm-citation")
        if structured is not None:
            self._content_into(li, None, children=citation_parts(structured), sep=". ")

    def _block_p(self, container, el, level) -> None:
        """A JATS paragraph may hold lists, quotes and figures; HTML's may not, so split it."""
        p = _sub(container, "p")
        self._copy_id(p, el)
        self._set_lang(p, el)
        _append_text(p, el.text)
        for child in el:
            if local(child) in BLOCK_TAGS:  # notes inside a paragraph stay inline: callouts
                self.block(container, child, level)
                p = _sub(container, "p", class_="continued")
                _append_text(p, child.tail)
            else:
                self.inline(p, child)
        for empty in container.findall(_h("p")):
            if not clean("".join(empty.itertext())) and not len(empty):
                container.remove(empty)

    _block_copyright_statement = _block_license_p = _block_p

    def _block_list(self, container, el, level) -> None:
        if el.find("title") is not None:
            self._content_into(_sub(container, "p", class_="list-title"), el.find("title"))
        order = ORDERED_LIST_TYPES.get(el.get("list-type", ""))
        listing = _sub(container, "ol" if order else "ul", class_=el.get("list-type", "bullet"))
        if order and order != "1":
            listing.set("type", order)
        self._copy_id(listing, el)
        for item in el.findall("list-item"):
            self._list_item(_sub(listing, "li"), item, level)

    def _list_item(self, li: etree._Element, item: etree._Element, level: int) -> None:
        self._copy_id(li, item)
        label = item.find("label")
        if label is not None:
            _sub(li, "span", plain_text(label) + " ", class_="item-label")
        paragraphs = [c for c in item if local(c) not in OWNED_TAGS and local(c)]
        if len(paragraphs) == 1 and local(paragraphs[0]) == "p" and not any(
                local(c) in BLOCK_TAGS for c in paragraphs[0]):
            self._content_into(li, paragraphs[0])
        else:
            self.blocks(li, item, level)

    def _block_def_list(self, container, el, level) -> None:
        dl = _sub(container, "dl")
        self._copy_id(dl, el)
        for item in el.findall("def-item"):
            self._content_into(_sub(dl, "dt"), item.find("term"))
            for definition in item.findall("def"):
                self.blocks(_sub(dl, "dd"), definition, level)

    def _block_disp_quote(self, container, el, level) -> None:
        quote = _sub(container, "blockquote")
        self._copy_id(quote, el)
        self.blocks(quote, el, level)
        for attrib in el.findall("attrib"):
            self._content_into(_sub(quote, "p", class_="attrib"), attrib)

    def _block_boxed_text(self, container, el, level) -> None:
        box = _sub(container, "div", class_="boxed-text")
        self._copy_id(box, el)
        if el.find("caption/title") is not None or el.find("title") is not None:
            heading = el.find("caption/title")
            self._heading(box, heading if heading is not None else el.find("title"), level)
            level += 1
        self.blocks(box, el, level)

    def _block_fig(self, container, el, level) -> None:
        figure = _sub(container, "figure")
        self._copy_id(figure, el)
        alt = _figure_alt(el)
        graphics = [el] if local(el) == "graphic" else el.findall(".//graphic")
        texts = el.findall("p")  # words printed in the figure (a chart's labels)
        captioned = el.find("caption") is not None or el.find("label") is not None
        if captioned and texts:  # read the caption before the labels, as the JATS has it
            self._caption(_sub(figure, "figcaption"), el)
        for graphic in graphics:
            _sub(figure, "img", src=graphic.get(XLINK_HREF, ""), alt=alt)
        for text in texts:
            self._content_into(_sub(figure, "p", class_="figure-text"), text)
        if captioned and not texts:
            self._caption(_sub(figure, "figcaption"), el)

    _block_graphic = _block_fig

    def _caption(self, target: etree._Element, el: etree._Element) -> None:
        label, caption = el.find("label"), el.find("caption")
        if label is not None:
            self._content_into(_sub(target, "span", class_="label"), label)
            _append_text(target, " ")
        if caption is None:
            return
        for part in caption:
            if local(part) in ("title", "p"):
                self._content_into(_sub(target, "span", class_="caption-" + local(part)), part)
                _append_text(target, " ")

    def _block_table_wrap(self, container, el, level) -> None:
        div = _sub(container, "div", class_="table-wrap")
        self._copy_id(div, el)
        tables = el.findall("table") + el.findall("alternatives/table")
        if not tables:
            self._block_fig(div, el, level)
        for table in tables[:1]:
            html_table = _sub(div, "table")
            self._caption(_sub(html_table, "caption"), el)
            self._table_rows(html_table, table, level)
        for foot in el.findall("table-wrap-foot"):
            self.blocks(_sub(div, "div", class_="table-foot"), foot, level)

    def _block_table(self, container, el, level) -> None:
        self._table_rows(_sub(container, "table"), el, level)

    def _table_rows(self, target: etree._Element, table: etree._Element, level: int) -> None:
        for child in table:
            name = local(child)
            if name not in TABLE_TAGS:
                continue
            if name == "th" and not clean("".join(child.itertext())):
                name = "td"  # an empty header cell heads nothing
            copy = _sub(target, name)
            for attr in CELL_ATTRS:
                if child.get(attr):
                    copy.set(attr, child.get(attr))
            if child.get("align"):
                copy.set("class", "align-" + child.get("align"))
            if name in ("th", "td"):
                self._cell(copy, child, level)
            else:
                self._table_rows(copy, child, level)

    def _cell(self, cell: etree._Element, source: etree._Element, level: int) -> None:
        if any(local(c) in BLOCK_TAGS for c in source):
            self.blocks(cell, source, level)
        else:
            self._content_into(cell, source)

    def _block_disp_formula(self, container, el, level) -> None:
        div = _sub(container, "div", class_="disp-formula")
        self._copy_id(div, el)
        self._content_into(div, el)

    def _block_preformat(self, container, el, level) -> None:
        pre = _sub(container, "pre")
        self._copy_id(pre, el)
        pre.text = "".join(el.itertext())

    _block_code = _block_preformat

    def _block_sub_article(self, container, el, level) -> None:
        self._sub_article(container, el, level)

    # -- sections and headings --

    def _section(self, container, source, kind: str, level: int, title, label: str = ""):
        """A section with its heading; ``label`` names a generated heading when JATS has none."""
        section = _sub(container, "section", class_=kind)
        if source is not None:
            self._copy_id(section, source)
            self._set_lang(section, source)
        if title is not None and clean("".join(title.itertext())):
            heading = self._heading(section, title, level,
                                    source.find("label") if source is not None else None)
        elif label:
            heading = _sub(section, _heading_tag(level), LABELS[label])
            self._mark_label(heading)
        else:
            return section
        heading.set("id", self.new_id((section.get("id") or kind) + "-title"))
        if level == 2:  # parts are landmarks; deeper sections would only add noise
            section.set("aria-labelledby", heading.get("id"))
        return section

    def _heading(self, container, title: etree._Element, level: int,
                 label: etree._Element | None = None) -> etree._Element:
        heading = _sub(container, _heading_tag(level))
        if label is not None and plain_text(label):  # a section's number: "2.1 Naming"
            self._content_into(_sub(heading, "span", class_="label"), label)
            _append_text(heading, " ")
        self._content_into(heading, title)
        return heading

    # -- inline content --

    def _content_into(self, target, source, *, children=None, sep: str = "") -> None:
        """Render the inline content of ``source`` (or of a given list of elements)."""
        if source is not None:
            _append_text(target, source.text)
        items = children if children is not None else ([] if source is None else list(source))
        for index, child in enumerate(items):
            _append_text(target, sep if index and sep else None)
            if children is None:
                self.inline(target, child)
            else:
                self._render_element(target, child)

    def inline(self, target: etree._Element, el: etree._Element) -> None:
        """Render one inline element, then its tail text."""
        self._render_element(target, el)
        _append_text(target, el.tail)

    def _render_element(self, target: etree._Element, el: etree._Element) -> None:
        name = local(el)
        if not name:
            return
        if etree.QName(el).namespace == MATHML:
            target.append(_mathml_copy(el))
            return
        handler = getattr(self, "_inline_" + name.replace("-", "_"), None)
        if handler is not None:
            handler(target, el)
            return
        if name in BLOCK_TAGS:  # a block in a phrasing context keeps its words
            span = _sub(target, "span", class_=name)
            self._content_into(span, el)
            return
        span = _sub(target, INLINE_MAP.get(name, "span"))
        if INLINE_MAP.get(name, "span") == "span":
            span.set("class", name)
        self._set_lang(span, el)
        self._content_into(span, el)

    def _inline_xref(self, target, el) -> None:
        rid = (el.get("rid") or "").split(" ")[0]
        if not clean("".join(el.itertext())):
            return
        if el.get("ref-type") == "fn":
            self._callout(target, el, rid)
            return
        link = _sub(target, "a", href="#" + rid)
        self._content_into(link, el)

    def _callout(self, target, el, rid: str) -> None:
        callout_id = self.new_id(rid + "-ref")
        self.callouts.setdefault(rid, callout_id)
        link = _sub(target, "a", href="#" + rid, id=callout_id, role="doc-noteref",
                    class_="noteref")
        link.set(EPUB_TYPE, "noteref")
        link.text = plain_text(el)

    def _inline_fn(self, target, el) -> None:
        """A note written inline in the text: leave a callout; the note joins the part's notes."""
        label = plain_text(el.find("label")) or "*"
        rid = el.get("id") or self.new_id("fn")
        el.set("id", rid)
        self._callout(target, etree.Element("xref", rid=rid), rid)
        target[-1].text = label

    def _inline_ext_link(self, target, el) -> None:
        href = el.get(XLINK_HREF) or plain_text(el)
        link = _sub(target, "a", href=href, class_="ext-link")
        self._content_into(link, el)
        if not len(link) and not link.text:
            link.text = href

    _inline_uri = _inline_ext_link

    def _inline_email(self, target, el) -> None:
        address = plain_text(el)
        _sub(target, "a", address, href="mailto:" + address, class_="email")

    def _inline_break(self, target, el) -> None:
        _sub(target, "br")

    def _inline_inline_graphic(self, target, el) -> None:
        _sub(target, "img", src=el.get(XLINK_HREF, ""), alt=_figure_alt(el) or "",
             class_="inline-graphic")

    def _inline_alternatives(self, target, el) -> None:
        preferred = [c for c in el if etree.QName(c).namespace == MATHML] or list(el)[:1]
        for child in preferred:
            self._render_element(target, child)

    # -- ids and language --

    def new_id(self, wanted: str, *, from_jats: bool = False) -> str:
        """A document-unique id; JATS ids are kept as they are, generated ones avoid them."""
        taken = self.ids if from_jats else self.ids | self.reserved
        if not from_jats:  # sec-type values such as "materials|methods" are not URL-safe
            wanted = re.sub(r"[^A-Za-z0-9_.-]+", "-", wanted)
        candidate, counter = wanted, 1
        while candidate in taken:
            counter += 1
            candidate = f"{wanted}-{counter}"
        self.ids.add(candidate)
        return candidate

    def _copy_id(self, target: etree._Element, source: etree._Element) -> None:
        if source.get("id"):
            target.set("id", self.new_id(source.get("id"), from_jats=True))

    def _set_lang(self, target: etree._Element, source: etree._Element) -> None:
        lang = source.get(XML_LANG)
        if lang and lang != self.lang:
            target.set("lang", lang)
            target.set(XML_LANG, lang)

    def _mark_label(self, el: etree._Element) -> None:
        """Flag words we added (plain text leaves them out) and give them their language."""
        el.set("class", (el.get("class", "") + " generated").strip())
        if not self.lang.startswith("en"):
            el.set("lang", "en")
            el.set(XML_LANG, "en")


def document_title(root: etree._Element) -> str:
    """Plain-text title (and subtitle) of the whole document, for <title> and PDF metadata."""
    meta = part_meta(root)
    title = plain_text(_title_el(meta))
    subtitle = plain_text(meta.find("title-group/subtitle")) if meta is not None else ""
    return f"{title}: {subtitle}" if subtitle else (title or "Untitled")


def _title_el(meta: etree._Element | None) -> etree._Element | None:
    return None if meta is None else meta.find("title-group/article-title")


def pub_date(meta: etree._Element | None) -> str:
    """The publication date as ISO 8601 (year, year-month or full date)."""
    if meta is None or meta.find("pub-date") is None:
        return ""
    date = meta.find("pub-date")
    if date.get("iso-8601-date"):
        return date.get("iso-8601-date")
    parts = [plain_text(date.find(tag)) for tag in ("year", "month", "day")]
    year, month, day = parts
    return "-".join(p.zfill(2) for p in (year, month, day) if p) if year else ""


def _prefix_label(container: etree._Element, note: etree._Element, tag: str):
    """Put a note's label at the start of its first paragraph; return the label element."""
    label = plain_text(note.find("label"))
    if not label:
        return None
    first = container.find(_h("p"))
    if first is None:
        first = _sub(container, "p")
    marker = etree.Element(_h(tag), {"class": "note-label"})
    marker.text = label
    marker.tail = " " + (first.text or "").lstrip()
    first.text = None
    first.insert(0, marker)
    return marker


def _heading_tag(level: int) -> str:
    return f"h{min(max(level, 1), 6)}"


def _figure_alt(el: etree._Element) -> str:
    """Alt text: the JATS alt-text, else the caption title or text, else the label."""
    for path in (".//alt-text", "caption/title", "caption", "label"):
        text = plain_text(el.find(path))
        if text:
            return text
    return LABELS["figure"]


def citation_parts(citation: etree._Element) -> list[etree._Element]:
    """The parts of an element-citation worth reading, in the usual citation order."""
    wanted = ("person-group", "year", "article-title", "chapter-title", "source", "edition",
              "publisher-name", "volume", "issue", "fpage", "pub-id", "ext-link", "uri")
    parts = []
    for tag in wanted:
        for child in citation.findall(tag):
            parts.append(_person_group(child) if tag == "person-group" else child)
    return parts


def _person_group(group: etree._Element) -> etree._Element:
    span = etree.Element("person-group")
    span.text = ", ".join(person_name(n) for n in group if local(n) in ("name", "collab"))
    return span


def _mathml_copy(el: etree._Element) -> etree._Element:
    """MathML passes through unchanged, minus namespace noise from the JATS root."""
    copy = etree.fromstring(etree.tostring(el, with_tail=False))
    etree.cleanup_namespaces(copy)
    return copy


def _toc_entries(container: etree._Element) -> etree._Element | None:
    """Nested ``ol`` linking to every titled section, two levels below the report title."""
    listing = etree.Element(_h("ol"))
    for section in container.iterchildren(_h("section")):
        heading = section_heading(section)
        if heading is None or int(etree.QName(heading).localname[1:]) > 3:
            continue
        heading_id = heading.get("id")
        item = _sub(listing, "li")
        _sub(item, "a", "".join(heading.itertext()), href="#" + heading_id)
        nested = _toc_entries(section)
        if nested is not None:
            item.append(nested)
    return listing if len(listing) else None


def section_heading(section: etree._Element) -> etree._Element | None:
    """The heading that opens an HTML section (None for untitled sections)."""
    first = next(iter(section), None)
    if first is None or not re.fullmatch(r"h[1-6]", etree.QName(first).localname):
        return None
    return first


def _unlink_dangling(html: etree._Element, ids: set[str]) -> None:
    """Links to ids the HTML does not have (affiliations, omitted parts) become plain spans."""
    for link in html.iter(_h("a")):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            link.tag = _h("span")
            for attr in ("href", "role", EPUB_TYPE):
                link.attrib.pop(attr, None)


def _open_empty_elements(html: etree._Element) -> None:
    """Write ``<td></td>``, not ``<td/>``: browsers read .html files with the HTML parser."""
    for el in html.iter():
        if el.text is None and not len(el) and etree.QName(el).localname not in VOID_TAGS:
            el.text = ""
