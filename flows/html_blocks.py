"""Block content of the HTML renderer: paragraphs, lists, quotes, figures, tables, references.

A mixin of the builder in :mod:`flows.render_html`: each ``_block_<jats-tag>`` method renders
one JATS block element into its HTML container; unknown blocks keep their text.
"""

from __future__ import annotations

from lxml import etree

from flows.html_tree import (
    BLOCK_TAGS,
    CELL_ATTRS,
    NOTE_TAGS,
    ORDERED_LIST_TYPES,
    OWNED_TAGS,
    TABLE_TAGS,
    append_text,
    figure_alt,
    h,
    prefix_label,
    sub,
)
from flows.jats_parts import (
    XLINK_HREF,
    citation_parts,
    clean,
    contributors,
    local,
    person_name,
    plain_text,
)


class BlockRenderer:
    """Block handlers; the inline handlers and ids come from :class:`InlineRenderer`."""

    def _block_fn(self, container, el, level) -> None:
        """A note outside the notes list (author notes, table feet): label and paragraphs."""
        div = sub(container, "div", class_="fn")
        self._copy_id(div, el)
        self.blocks(div, el, level)
        prefix_label(div, el, "span")

    def _block_permissions(self, container, el, level) -> None:
        div = sub(container, "div", class_="permissions")
        if el.find("copyright-statement") is None:
            year, holder = el.find("copyright-year"), el.find("copyright-holder")
            if year is not None or holder is not None:
                sub(div, "p", " ".join(["©", plain_text(year), plain_text(holder)]).strip())
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
        p = sub(container, "p")
        if loose[0] is None:
            append_text(p, clean(source.text))
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
            div = sub(container, "div", class_=local(el))
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
            line = sub(container, "p", class_="signature")
            sub(line, "span", person_name(contrib), class_="contrib")
            for role in contrib.findall("role"):
                append_text(line, ", ")
                self._content_into(sub(line, "span", class_="role"), role)

    _block_ack = _block_app = _block_glossary = _block_notes = _block_sec

    def _block_ref_list(self, container, el, level) -> None:
        section = self._section(container, el, "ref-list", level, el.find("title"),
                                label="references")
        section.set("role", "doc-bibliography")
        listing = sub(section, "ol", class_="references")
        for ref in el.findall("ref"):
            li = sub(listing, "li")
            self._copy_id(li, ref)
            self._citation(li, ref)
        for nested in el.findall("ref-list"):
            self._block_ref_list(section, nested, level + 1)

    def _citation(self, li: etree._Element, ref: etree._Element) -> None:
        label = ref.find("label")
        if label is not None:
            sub(li, "span", plain_text(label) + " ", class_="ref-label")
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
        p = sub(container, "p")
        self._copy_id(p, el)
        self._set_lang(p, el)
        append_text(p, el.text)
        for child in el:
            if local(child) in BLOCK_TAGS:  # notes inside a paragraph stay inline: callouts
                self.block(container, child, level)
                p = sub(container, "p", class_="continued")
                append_text(p, child.tail)
            else:
                self.inline(p, child)
        for empty in container.findall(h("p")):
            if not clean("".join(empty.itertext())) and not len(empty):
                container.remove(empty)

    _block_copyright_statement = _block_license_p = _block_p

    def _block_list(self, container, el, level) -> None:
        if el.find("title") is not None:
            self._content_into(sub(container, "p", class_="list-title"), el.find("title"))
        order = ORDERED_LIST_TYPES.get(el.get("list-type", ""))
        listing = sub(container, "ol" if order else "ul", class_=el.get("list-type", "bullet"))
        if order and order != "1":
            listing.set("type", order)
        self._copy_id(listing, el)
        for item in el.findall("list-item"):
            self._list_item(sub(listing, "li"), item, level)

    def _list_item(self, li: etree._Element, item: etree._Element, level: int) -> None:
        self._copy_id(li, item)
        label = item.find("label")
        if label is not None:
            sub(li, "span", plain_text(label) + " ", class_="item-label")
        paragraphs = [c for c in item if local(c) not in OWNED_TAGS and local(c)]
        if len(paragraphs) == 1 and local(paragraphs[0]) == "p" and not any(
                local(c) in BLOCK_TAGS for c in paragraphs[0]):
            self._content_into(li, paragraphs[0])
        else:
            self.blocks(li, item, level)

    def _block_def_list(self, container, el, level) -> None:
        dl = sub(container, "dl")
        self._copy_id(dl, el)
        for item in el.findall("def-item"):
            self._content_into(sub(dl, "dt"), item.find("term"))
            for definition in item.findall("def"):
                self.blocks(sub(dl, "dd"), definition, level)

    def _block_disp_quote(self, container, el, level) -> None:
        quote = sub(container, "blockquote")
        self._copy_id(quote, el)
        self.blocks(quote, el, level)
        for attrib in el.findall("attrib"):
            self._content_into(sub(quote, "p", class_="attrib"), attrib)

    def _block_boxed_text(self, container, el, level) -> None:
        box = sub(container, "div", class_="boxed-text")
        self._copy_id(box, el)
        if el.find("caption/title") is not None or el.find("title") is not None:
            heading = el.find("caption/title")
            self._heading(box, heading if heading is not None else el.find("title"), level)
            level += 1
        self.blocks(box, el, level)

    def _block_fig(self, container, el, level) -> None:
        figure = sub(container, "figure")
        self._copy_id(figure, el)
        alt = figure_alt(el)
        graphics = [el] if local(el) == "graphic" else el.findall(".//graphic")
        texts = el.findall("p")  # words printed in the figure (a chart's labels)
        captioned = el.find("caption") is not None or el.find("label") is not None
        if captioned and texts:  # read the caption before the labels, as the JATS has it
            self._caption(sub(figure, "figcaption"), el)
        for graphic in graphics:
            sub(figure, "img", src=graphic.get(XLINK_HREF, ""), alt=alt)
        for text in texts:
            self._content_into(sub(figure, "p", class_="figure-text"), text)
        if captioned and not texts:
            self._caption(sub(figure, "figcaption"), el)

    _block_graphic = _block_fig

    def _caption(self, target: etree._Element, el: etree._Element) -> None:
        label, caption = el.find("label"), el.find("caption")
        if label is not None:
            self._content_into(sub(target, "span", class_="label"), label)
            append_text(target, " ")
        if caption is None:
            return
        for part in caption:
            if local(part) in ("title", "p"):
                self._content_into(sub(target, "span", class_="caption-" + local(part)), part)
                append_text(target, " ")

    def _block_table_wrap(self, container, el, level) -> None:
        div = sub(container, "div", class_="table-wrap")
        self._copy_id(div, el)
        tables = el.findall("table") + el.findall("alternatives/table")
        if not tables:
            self._block_fig(div, el, level)
        for table in tables[:1]:
            html_table = sub(div, "table")
            caption = sub(html_table, "caption")
            self._caption(caption, el)
            self._table_rows(html_table, table, level)
            # the wrapper scrolls sideways when the table is wider than the screen (the CSS):
            # a keyboard user must be able to reach it to scroll it, and hears which table it is
            div.set("tabindex", "0")
            if "".join(caption.itertext()).strip():
                caption.set("id", self.new_id((div.get("id") or "table") + "-caption"))
                div.set("role", "region")
                div.set("aria-labelledby", caption.get("id"))
        for foot in el.findall("table-wrap-foot"):
            self.blocks(sub(div, "div", class_="table-foot"), foot, level)

    def _block_table(self, container, el, level) -> None:
        self._table_rows(sub(container, "table"), el, level)

    def _table_rows(self, target: etree._Element, table: etree._Element, level: int) -> None:
        for child in table:
            name = local(child)
            if name not in TABLE_TAGS:
                continue
            if name == "th" and not clean("".join(child.itertext())):
                name = "td"  # an empty header cell heads nothing
            copy = sub(target, name)
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
        div = sub(container, "div", class_="disp-formula")
        self._copy_id(div, el)
        self._content_into(div, el)

    def _block_preformat(self, container, el, level) -> None:
        pre = sub(container, "pre")
        self._copy_id(pre, el)
        pre.text = "".join(el.itertext())

    _block_code = _block_preformat

    def _block_sub_article(self, container, el, level) -> None:
        self._sub_article(container, el, level)
