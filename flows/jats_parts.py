"""Reading a JATS document: its parts, names, dates and citations, the way a reader sees them.

Shared by every renderer (HTML, text, EPUB metadata), so a contributor's name or a part's
metadata block is found one way only, whoever wrote the JATS.
"""

from __future__ import annotations

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
MATHML = "http://www.w3.org/1998/Math/MathML"
# The custom-meta names jatsflow's JATS writer (flows/jats.py) gives its provenance: data for
# archivists and machines, kept in the JATS, report.json and the bag, never shown to readers.
PROVENANCE_META = frozenset({"source-file", "source-sha256", "source-page-count"})


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


def document_title(root: etree._Element) -> str:
    """Plain-text title (and subtitle) of the whole document, for <title> and PDF metadata."""
    meta = part_meta(root)
    title = plain_text(title_element(meta))
    subtitle = plain_text(meta.find("title-group/subtitle")) if meta is not None else ""
    return f"{title}: {subtitle}" if subtitle else (title or "Untitled")


def title_element(meta: etree._Element | None) -> etree._Element | None:
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


def citation_parts(citation: etree._Element) -> list[etree._Element]:
    """The parts of an element-citation worth reading, in the usual citation order."""
    wanted = ("person-group", "year", "article-title", "chapter-title", "source", "edition",
              "publisher-name", "volume", "issue", "fpage", "pub-id", "ext-link", "uri")
    parts = []
    for tag in wanted:
        for child in citation.findall(tag):
            parts.append(person_group(child) if tag == "person-group" else child)
    return parts


def person_group(group: etree._Element) -> etree._Element:
    span = etree.Element("person-group")
    span.text = ", ".join(person_name(n) for n in group if local(n) in ("name", "collab"))
    return span



def reader_custom_meta(meta: etree._Element | None) -> list[etree._Element]:
    """``custom-meta`` items a reader should see (a board list, say): all but provenance."""
    if meta is None:
        return []
    return [item for item in meta.findall("custom-meta-group/custom-meta")
            if plain_text(item.find("meta-name")) not in PROVENANCE_META]
