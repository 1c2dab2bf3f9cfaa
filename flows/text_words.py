"""The words a reader sees, counted two ways: in the plain text, and straight from the JATS.

The text renderer and the accessibility check both use this module; comparing the two lists
catches a renderer that drops or invents text. Neither side renders anything.
"""

from __future__ import annotations

import re

from lxml import etree

from flows.jats_parts import (
    citation_parts,
    local,
    part_meta,
    person_name,
    pub_date,
    reader_custom_meta,
    sub_parts,
)

WIDTH = 78  # columns of the plain text
MARKER = re.compile(r"\[[^\]\s]*\]")
ENUMERATOR = re.compile(r"(\A|\n\n)( *  )\w{1,4}\. ")  # "  1. " opening a list item


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
    metadata but not provenance, front notes), then each part: title,
    authors, bios, abstracts, keywords, body, back matter, notes. Names read given name first
    and dates as ISO 8601, as printed; note labels and callouts are ``[n]`` markers in the
    text, so they are left out here.
    """
    root = jats.getroot()
    meta = part_meta(root)
    texts = [_words_of(root.find("front/journal-meta/journal-title-group/journal-title"))]
    texts += [_words_of(meta, path) for path in ("title-group/article-title",
                                                 "title-group/subtitle")]
    texts += [person_name(c) for c in _contribs(meta)]
    texts.append(pub_date(meta))
    texts += [_words_of(root, "front/journal-meta/publisher")]
    for path in ("aff", "contrib-group/aff", "author-notes", "permissions"):
        texts += [_words_of(meta, path)]
    texts += [_words_of(item) for item in reader_custom_meta(meta)]
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
