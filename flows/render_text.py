"""JATS → plain UTF-8 text, 78 columns, for screen readers, grep and diff.

The text is a serialization of the same structure the HTML renderer builds (so the reading
order is defined once), with plain-text conventions: headings underlined, one blank line
between paragraphs, note callouts as ``[n]`` and each part's notes after it as ``[n] text``
below a short rule. Every word comes from the JATS: labels the HTML adds (Contents, Notes,
Abstract) are left out, which is what lets :func:`jats_words` check the round trip.
"""

from __future__ import annotations

import textwrap

from lxml import etree

from flows.html_tree import XHTML
from flows.render_html import render_html
from flows.text_words import WIDTH, jats_words, text_words

__all__ = ["WIDTH", "jats_words", "render_text", "text_words"]

UNDERLINES = {1: "=", 2: "=", 3: "-"}  # deeper headings: "~"
NOTE_RULE = "-" * 10
BLOCKS = frozenset({"p", "dt", "dd", "figcaption", "caption", "pre"})
CONTAINERS = frozenset({"header", "main", "section", "div", "figure", "dl", "blockquote",
                        "aside", "body", "li", "td", "th"})


def render_text(jats: etree._ElementTree) -> str:
    """Render JATS as wrapped plain text (see the module docstring for the conventions)."""
    html = etree.fromstring(render_html(jats).encode("utf-8"))
    writer = _TextWriter()
    writer.container(html.find(_x("body")), indent="")
    return writer.result()


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
