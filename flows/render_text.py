"""JATS → plain UTF-8 text, 78 columns, for screen readers, grep and diff.

The text is a serialization of the same structure the HTML renderer builds (so the reading
order is defined once), with plain-text conventions: headings underlined, one blank line
between paragraphs, note callouts as ``[n]`` and each part's notes after it as ``[n] text``
below a short rule. Every word comes from the JATS: labels the HTML adds (Contents, Notes,
Abstract) are left out, which is what lets :func:`jats_words` check the round trip.
"""

from __future__ import annotations

import re
import textwrap

from lxml import etree

from flows.html_tree import XHTML
from flows.jats_parts import citation_parts, local, part_meta, person_name, pub_date, sub_parts
from flows.render_html import render_html

WIDTH = 78
UNDERLINES = {1: "=", 2: "=", 3: "-"}  # deeper headings: "~"
NOTE_RULE = "-" * 10
BLOCKS = frozenset({"p", "dt", "dd", "figcaption", "caption", "pre"})
CONTAINERS = frozenset({"header", "main", "section", "div", "figure", "dl", "blockquote",
                        "aside", "body", "li", "td", "th"})
MARKER = re.compile(r"\[[^\]\s]*\]")
ENUMERATOR = re.compile(r"(\A|\n\n)( *  )\w{1,4}\. ")  # "  1. " opening a list item


def render_text(jats: etree._ElementTree) -> str:
    """Render JATS as wrapped plain text (see the module docstring for the conventions)."""
    html = etree.fromstring(render_html(jats).encode("utf-8"))
    writer = _TextWriter()
    writer.container(html.find(_x("body")), indent="")
    return writer.result()


def text_words(text: str) -> list[str]:
    """Words of a rendered text: no list numbers, ``[n]`` markers, rules or edge punctuation
    (the separators the layout adds)."""
    return _words(ENUMERATOR.sub(r"\1\2", text))


def _words(text: str) -> list[str]:
    words = (re.sub(r"^\W+|\W+$", "", word) for word in MARKER.sub("", text).split())
    return [word for word in words if word]


def jats_words(jats: etree._ElementTree) -> list[str]:
    """The words a reader of the JATS sees, in reading order, straight from the XML.

    Independent of the renderers, so comparing it with ``text_words(render_text(jats))``
    catches dropped or invented text. Reading order: title page (series, title, subtitle,
    authors, date), imprint (publisher, affiliations, author notes, permissions, custom
    metadata, front notes), then each part: title, authors, bios, abstracts, keywords, body,
    back matter, notes. Names read given name first and dates as ISO 8601, as printed;
    note labels and callouts are ``[n]`` markers in the text, so they are left out here.
    """
    root = jats.getroot()
    meta = part_meta(root)
    texts = [_words_of(root.find("front/journal-meta/journal-title-group/journal-title"))]
    texts += [_words_of(meta, path) for path in ("title-group/article-title",
                                                 "title-group/subtitle")]
    texts += [person_name(c) for c in _contribs(meta)]
    texts.append(pub_date(meta))
    texts += [_words_of(root, "front/journal-meta/publisher")]
    for path in ("aff", "contrib-group/aff", "author-notes", "permissions", "custom-meta-group"):
        texts += [_words_of(meta, path)]
    texts += [_words_of(root, "front/notes")]
    texts += _part_words(root, meta, with_header=False)
    return _words(" ".join(texts))


def _part_words(part: etree._Element, meta, *, with_header: bool) -> list[str]:
    texts = []
    if with_header:
        texts += [_words_of(meta, "title-group/article-title"),
                  _words_of(meta, "title-group/subtitle")]
        texts += [person_name(c) for c in _contribs(meta)]
        texts += [_words_of(c, "bio") + " " + _words_of(c, ".//email") for c in _contribs(meta)]
    texts += [_words_of(meta, path) for path in ("abstract", "trans-abstract", "kwd-group")]
    texts += [_words_of(part, "body")]
    back = part.find("back")
    for child in back if back is not None else []:
        if local(child) != "fn-group":
            texts.append(_words_of(child))
    texts += [_words_of(part, "back/fn-group[1]/title")]
    texts += [_words_of(fn) for fn in part.findall("back/fn-group/fn")]
    for essay in sub_parts(part):
        texts += _part_words(essay, part_meta(essay), with_header=True)
    return texts


def _contribs(meta) -> list[etree._Element]:
    return [] if meta is None else meta.findall("contrib-group/contrib") + meta.findall("contrib")


SKIPPED = frozenset({"alt-text", "long-desc", "object-id", "copyright-year", "copyright-holder",
                     "graphic", "inline-graphic", "col", "colgroup"})
BREAKS = frozenset({"p", "title", "list-item", "sec", "td", "th", "tr", "label", "caption",
                    "fn", "meta-name", "meta-value", "kwd", "ref", "mixed-citation", "aff",
                    "license-p", "copyright-statement", "corresp", "attrib", "def", "term",
                    "institution", "addr-line", "country", "publisher-name", "publisher-loc",
                    "disp-quote", "list", "table-wrap-foot", "bio", "email", "break"})


def _words_of(base: etree._Element | None, path: str | None = None) -> str:
    """Reader-visible text of the elements at ``path`` (or of ``base``), words kept apart."""
    if base is None:
        return ""
    targets = [base] if path is None else base.findall(path)
    return " ".join(_reading_text(_prepared(target)) for target in targets)


def _prepared(el: etree._Element) -> etree._Element:
    """A copy with element-citations in reading order and note labels/callouts removed."""
    copy = etree.fromstring(etree.tostring(el, with_tail=False))
    unread = ".//element-citation[../mixed-citation] | descendant-or-self::aff/label"
    for duplicate in copy.xpath(unread):
        duplicate.getparent().remove(duplicate)
    for citation in copy.xpath(".//element-citation"):
        holder = etree.Element("mixed-citation")
        for part in citation_parts(citation):
            holder.append(part)
            part.tail = " "
        citation.getparent().replace(citation, holder)
    for meta in copy.xpath(".//sec/sec-meta | self::sec/sec-meta"):
        title = meta.getparent().find("title")
        if title is not None:  # read as rendered: the heading, then who signs the section
            title.addnext(meta)
    for name in copy.xpath(".//name[not(ancestor::element-citation)]"):
        name.text, name.tail = person_name(name), " " + (name.tail or "")
        del name[:]
    for callout in copy.xpath(".//xref[@ref-type='fn'] | self::fn/label | .//fn-group/fn/label"):
        callout.text = ""
        del callout[:]
    return copy


def _reading_text(el: etree._Element) -> str:
    """itertext with a space at block boundaries, none inside a word split by inline markup."""
    for node in el.iter():
        if local(node) in SKIPPED:
            node.text = ""
            del node[:]
        elif local(node) in BREAKS:
            node.text = " " + (node.text or "")
            node.tail = " " + (node.tail or "")
    return "".join(el.itertext())


# --- HTML → text ------------------------------------------------------------------------------


def _x(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


class _TextWriter:
    """Accumulates blocks (lists of lines) and joins them with single blank lines."""

    def __init__(self):
        self.blocks: list[str] = []

    def result(self) -> str:
        return "\n\n".join(self.blocks).rstrip() + "\n"

    def container(self, el: etree._Element, indent: str) -> None:
        for child in el:
            self.element(child, indent)

    def element(self, el: etree._Element, indent: str) -> None:
        name = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if not name or name == "nav" or "generated" in el.get("class", ""):
            if "notes" in (el.getparent().get("class") or "") and name[:1] == "h":
                self.blocks.append(indent + NOTE_RULE)
            return
        if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(el, int(name[1]))
        elif name in ("ul", "ol"):
            self.listing(el, indent)
        elif name == "table":
            self.table(el, indent)
        elif name == "blockquote":
            self.container(el, indent + "    ")
        elif name == "pre":
            self.blocks.append("\n".join(indent + line for line in "".join(el.itertext())
                                         .splitlines()))
        elif name in BLOCKS:
            self.paragraph(inline_text(el), indent)
        elif name in CONTAINERS:
            self.container(el, indent)
        else:
            self.paragraph(inline_text(el), indent)

    def heading(self, el: etree._Element, level: int) -> None:
        title = inline_text(el)
        lines = textwrap.wrap(title, WIDTH, break_long_words=False, break_on_hyphens=False)
        rule = UNDERLINES.get(level, "~") * min(WIDTH, max(map(len, lines), default=0))
        self.blocks.append("\n".join(lines + [rule]))

    def paragraph(self, text: str, indent: str, first: str | None = None) -> None:
        if text:
            self.blocks.append(_wrap(text, first if first is not None else indent, indent))

    def listing(self, el: etree._Element, indent: str) -> None:
        for number, item in enumerate(el.iterchildren(_x("li")), start=1):
            bullet = f"{number}. " if etree.QName(el).localname == "ol" else "* "
            nested = [c for c in item if etree.QName(c).localname in
                      BLOCKS | CONTAINERS | {"ul", "ol", "table"}]
            inner = indent + " " * (len(bullet) + 2)
            if nested:
                before = len(self.blocks)
                self.container(item, inner)
                if len(self.blocks) > before:
                    self.blocks[before] = indent + "  " + bullet + self.blocks[before][
                        len(inner):]
            else:
                self.paragraph(inline_text(item), inner, first=indent + "  " + bullet)

    def table(self, el: etree._Element, indent: str) -> None:
        caption = el.find(_x("caption"))
        if caption is not None:
            self.paragraph(inline_text(caption), indent)
        for row in el.iter(_x("tr")):
            cells = [inline_text(cell) for cell in row if isinstance(cell.tag, str)]
            self.paragraph(" | ".join(cells), indent + "  ", first=indent)


def inline_text(el: etree._Element) -> str:
    """Text of an HTML element on one line: callouts and note labels as ``[n]``."""
    return " ".join(_inline_parts(el, with_tail=False).split())


def _inline_parts(el: etree._Element, *, with_tail: bool = True) -> str:
    tail = (el.tail or "") if with_tail else ""
    classes = el.get("class", "")
    if "generated" in classes:
        return tail
    name = etree.QName(el).localname
    if name == "br":
        return " " + tail
    inner = (el.text or "") + "".join(_inline_parts(child) for child in el
                                       if isinstance(child.tag, str))
    if "noteref" in classes or ("note-label" in classes and _in_footnote(el)):
        inner = f"[{''.join(inner.split())}]"
    return inner + tail


def _in_footnote(el: etree._Element) -> bool:
    return any("footnote" in (a.get("class") or "") for a in el.iterancestors())


def _wrap(text: str, first: str, rest: str) -> str:
    return "\n".join(textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False))
