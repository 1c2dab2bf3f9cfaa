"""Inline content of the HTML renderer: sections and headings, links, note callouts, ids.

A mixin of the builder in :mod:`flows.render_html`. It never changes the JATS it reads: ids it
has to invent (a note written inline without one) are kept in the builder, not set on the
source element.
"""

from __future__ import annotations

import re

from lxml import etree

from flows.html_tree import (
    BLOCK_TAGS,
    EPUB_TYPE,
    INLINE_MAP,
    LABELS,
    append_text,
    figure_alt,
    heading_tag,
    mathml_copy,
    sub,
)
from flows.jats_parts import MATHML, XLINK_HREF, XML_LANG, clean, local, plain_text


class InlineRenderer:
    """Sections, headings and inline handlers, plus the id and language bookkeeping."""

    # -- sections and headings --

    def _section(self, container, source, kind: str, level: int, title, label: str = ""):
        """A section with its heading; ``label`` names a generated heading when JATS has none."""
        section = sub(container, "section", class_=kind)
        if source is not None:
            self._copy_id(section, source)
            self._set_lang(section, source)
        if title is not None and clean("".join(title.itertext())):
            heading = self._heading(section, title, level,
                                    source.find("label") if source is not None else None)
        elif label:
            heading = sub(section, heading_tag(level), LABELS[label])
            self._mark_label(heading)
        else:
            return section
        heading.set("id", self.new_id((section.get("id") or kind) + "-title"))
        if level == 2:  # parts are landmarks; deeper sections would only add noise
            section.set("aria-labelledby", heading.get("id"))
        return section

    def _heading(self, container, title: etree._Element, level: int,
                 label: etree._Element | None = None) -> etree._Element:
        heading = sub(container, heading_tag(level))
        if label is not None and plain_text(label):  # a section's number: "2.1 Naming"
            self._content_into(sub(heading, "span", class_="label"), label)
            append_text(heading, " ")
        self._content_into(heading, title)
        return heading

    # -- inline content --

    def _content_into(self, target, source, *, children=None, sep: str = "") -> None:
        """Render the inline content of ``source`` (or of a given list of elements)."""
        if source is not None:
            append_text(target, source.text)
        items = children if children is not None else ([] if source is None else list(source))
        for index, child in enumerate(items):
            append_text(target, sep if index and sep else None)
            if children is None:
                self.inline(target, child)
            else:
                self._render_element(target, child)

    def inline(self, target: etree._Element, el: etree._Element) -> None:
        """Render one inline element, then its tail text."""
        self._render_element(target, el)
        append_text(target, el.tail)

    def _render_element(self, target: etree._Element, el: etree._Element) -> None:
        name = local(el)
        if not name:
            return
        if etree.QName(el).namespace == MATHML:
            target.append(mathml_copy(el))
            return
        handler = getattr(self, "_inline_" + name.replace("-", "_"), None)
        if handler is not None:
            handler(target, el)
            return
        if name in BLOCK_TAGS:  # a block in a phrasing context keeps its words
            span = sub(target, "span", class_=name)
            self._content_into(span, el)
            return
        span = sub(target, INLINE_MAP.get(name, "span"))
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
        link = sub(target, "a", href="#" + rid)
        self._content_into(link, el)

    def _callout(self, target, el, rid: str) -> None:
        callout_id = self.new_id(rid + "-ref")
        self.callouts.setdefault(rid, callout_id)
        link = sub(target, "a", href="#" + rid, id=callout_id, role="doc-noteref",
                    class_="noteref")
        link.set(EPUB_TYPE, "noteref")
        link.text = plain_text(el)
        # a bare "3" says nothing to a screen reader: name it "Note 3" (the visible number
        # stays part of the name, WCAG 2.5.3)
        link.set("aria-label", LABELS["noteref"].format(link.text))

    def _inline_fn(self, target, el) -> None:
        """A note written inline in the text: leave a callout; the note joins the part's notes."""
        label = plain_text(el.find("label")) or "*"
        rid = el.get("id")
        if not rid:  # an id of our own, remembered by the note's place, never written back
            path = el.getroottree().getpath(el)
            rid = self.inline_note_ids.get(path) or self.new_id("fn")
            self.inline_note_ids[path] = rid
        self._callout(target, etree.Element("xref", rid=rid), rid)
        target[-1].text = label
        target[-1].set("aria-label", LABELS["noteref"].format(label))

    def _inline_ext_link(self, target, el) -> None:
        # a URL holds no white space (RFC 3986 writes a space as %20): any in the JATS is a
        # line break the text was set with, and a reading system rejects the link with it
        href = "".join((el.get(XLINK_HREF) or plain_text(el)).split())
        link = sub(target, "a", href=href, class_="ext-link")
        self._content_into(link, el)
        if not len(link) and not link.text:
            link.text = href

    _inline_uri = _inline_ext_link

    def _inline_email(self, target, el) -> None:
        address = plain_text(el)
        sub(target, "a", address, href="mailto:" + address, class_="email")

    def _inline_break(self, target, el) -> None:
        sub(target, "br")

    def _inline_inline_graphic(self, target, el) -> None:
        sub(target, "img", src=el.get(XLINK_HREF, ""), alt=figure_alt(el) or "",
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
