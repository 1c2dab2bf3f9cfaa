"""Reading our own JATS back into the document model.

The archive keeps the JATS, not the model. Reading it back and writing it again must give the
same bytes: that proves the JATS holds everything the writer put in, and lets a corrected
JATS be the start of a new rendering. Where a page box is needed (the model keeps one for the
layout sidecar), the JATS does not carry it, so an empty box stands in.
"""

from __future__ import annotations

from lxml import etree

from flows.jats import BACK_SEC_TYPES, XLINK, XML_LANG
from flows.model import (
    AbstractSection,
    BackSection,
    Block,
    Box,
    Contributor,
    Document,
    Figure,
    FrontMatter,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Part,
    Reference,
    RichText,
    Section,
    Sidebar,
    SourceInfo,
    Table,
    note_targets,
)

NOWHERE = Box([0], (0.0, 0.0, 0.0, 0.0))


def _text(node: str | None) -> str:
    """Text of a node; the pretty-printer's indentation (a newline) is not content."""
    return "" if node is None or ("\n" in node and not node.strip()) else node


def read_inline(element: etree._Element | None, labels: dict[str, str]) -> RichText:
    """Rich text of a mixed-content element; `labels` maps note ids to their labels."""
    if element is None:
        return []
    rich: RichText = []
    if _text(element.text):
        rich.append(Inline("text", element.text))
    for child in element:
        tag = child.tag
        if tag == "xref" and child.get("ref-type") == "fn":
            rich.append(Inline("callout", child.text or "", labels.get(child.get("rid"), "")))
        elif tag == "ext-link":
            rich.append(Inline("link", child.text or "", child.get(f"{{{XLINK}}}href", "")))
        elif tag in ("italic", "bold", "sup"):
            rich.append(Inline(tag, child.text or ""))  # type: ignore[arg-type]
        if _text(child.tail):
            rich.append(Inline("text", child.tail))
    return rich


def _paragraph(p: etree._Element, labels: dict[str, str], quote: bool = False) -> Paragraph:
    return Paragraph(read_inline(p, labels), NOWHERE, quote=quote, id=p.get("id", ""))


def read_blocks(parent: etree._Element, labels: dict[str, str]) -> list[Block]:
    blocks: list[Block] = []
    for child in parent:
        if child.tag == "p":
            blocks.append(_paragraph(child, labels))
        elif child.tag == "disp-quote":
            blocks.append(_paragraph(child.find("p"), labels, quote=True))
        elif child.tag == "list":
            items = [_paragraph(item.find("p"), labels) for item in child.findall("list-item")]
            blocks.append(ListBlock(items, child.get("list-type") == "order", child.get("id", "")))
        elif child.tag == "fig":
            graphic = child.find("graphic")
            blocks.append(Figure(read_inline(child.find("caption/p"), labels), NOWHERE,
                                 graphic.get(f"{{{XLINK}}}href", "") if graphic is not None
                                 else "", child.get("id", ""),
                                 text=[p.text or "" for p in child.findall("p")]))
        elif child.tag == "boxed-text":
            blocks.append(Sidebar([_paragraph(p, labels) for p in child.findall("p")], NOWHERE,
                                  child.get("id", "")))
        elif child.tag == "table-wrap":
            rows = [[td.text or "" for td in tr.findall("td")]
                    for tr in child.findall("table/tbody/tr")]
            blocks.append(Table(read_inline(child.find("caption/p"), labels), rows, NOWHERE,
                                child.get("id", "")))
        elif child.tag == "sec":
            blocks.append(Section(read_inline(child.find("title"), labels), 0, NOWHERE,
                                  read_blocks(child, labels), child.get("id", ""),
                                  child.findtext("label") or ""))
    return blocks


def _contributor(contrib: etree._Element, labels: dict[str, str]) -> Contributor:
    parts = [contrib.findtext(f"name/{tag}") or "" for tag in ("given-names", "surname",
                                                                "suffix")]
    return Contributor(" ".join(p for p in parts if p), read_inline(contrib.find("bio/p"), labels),
                       contrib.findtext("email") or "", contrib.findtext("role") or "")


def _notes(back: etree._Element | None, prefix: str) -> list[Note]:
    notes: list[Note] = []
    for fn in back.findall("fn-group/fn") if back is not None else []:
        if fn.get("id", "").startswith(prefix + "-"):
            notes.append(Note(fn.findtext("label") or "", [], NOWHERE, fn.get("id", ""),
                              fn.get("fn-type") != "other"))
    labels = _labels(notes)
    for note, fn in zip(notes, [f for f in back.findall("fn-group/fn")
                                if f.get("id", "").startswith(prefix + "-")]
                        if back is not None else [], strict=True):
        note.content = read_inline(fn.find("p"), labels)
    return notes


def _references(back: etree._Element | None, prefix: str) -> list[Reference]:
    return [Reference(read_inline(ref.find("mixed-citation"), {}), NOWHERE, ref.get("id", ""))
            for ref in (back.findall("ref-list/ref") if back is not None else [])
            if ref.get("id", "").startswith(prefix + "-")]


def _back_sections(back: etree._Element | None, prefix: str, labels: dict[str, str]
                   ) -> list[BackSection]:
    kinds = {"ack": "ack", "glossary": "abbreviations"}
    kinds.update({f"sec:{t}": kind for kind, t in BACK_SEC_TYPES.items()})
    sections: list[BackSection] = []
    for element in back if back is not None else []:
        key = element.tag if element.tag != "sec" else f"sec:{element.get('sec-type')}"
        if key in kinds and element.get("id", "").startswith(prefix + "-"):
            sections.append(BackSection(kinds[key], read_inline(element.find("title"), {}),  # type: ignore[arg-type]
                                        read_blocks(element, labels), element.get("id", "")))
    return sections


def _abstracts(meta: etree._Element, part: Part, labels: dict[str, str]) -> None:
    def sections(abstract: etree._Element) -> list[AbstractSection]:
        return [AbstractSection(sec.findtext("title") or "", read_blocks(sec, labels))
                for sec in abstract.findall("sec")]

    abstract = meta.find("abstract")
    part.abstract = sections(abstract) if abstract is not None else []
    part.trans_abstracts = [sections(a) for a in meta.findall("trans-abstract")]
    part.keywords = [[k.text or "" for k in group.findall("kwd")]
                     for group in meta.findall("kwd-group")]


def _head(part: Part, meta: etree._Element, labels: dict[str, str]) -> None:
    """Contributors, affiliations, summaries: what a part's front-stub (or the article's
    meta) says about it."""
    part.contributors = [_contributor(c, labels) for c in meta.findall("contrib-group/contrib")]
    part.affiliations = [aff.text or "" for aff in meta.findall("contrib-group/aff")]
    _abstracts(meta, part, labels)


def _labels(notes: list[Note]) -> dict[str, str]:
    """Note ids to the targets callouts name them by."""
    return dict(zip([note.id for note in notes], note_targets([n.label for n in notes]),
                    strict=True))


def _front_notes(group: etree._Element | None) -> list[str | list[str]]:
    """The front matter's notes in their order: a paragraph as its text, a list (a board of
    names) as the texts of its entries."""
    if group is None:
        return []
    return [[item.findtext("p") or "" for item in child.findall("list-item")]
            if child.tag == "list" else child.text or ""
            for child in group if child.tag in ("p", "list")]


def _front(root: etree._Element) -> tuple[FrontMatter, SourceInfo]:
    meta = root.find("front/article-meta")
    custom = {m.findtext("meta-name"): m.findtext("meta-value") or ""
              for m in meta.findall("custom-meta-group/custom-meta")}
    front = FrontMatter(
        title=meta.findtext("title-group/article-title") or "",
        subtitle=meta.findtext("title-group/subtitle") or "",
        authors=[_contributor(c, {}).name for c in meta.findall("contrib-group/contrib")],
        series=root.findtext("front/journal-meta/journal-title-group/journal-title") or "",
        number=meta.findtext("issue") or "",
        year=meta.findtext("pub-date/year") or "",
        month=meta.findtext("pub-date/month") or "",
        publisher=root.findtext("front/journal-meta/publisher/publisher-name") or "",
        publisher_loc=root.findtext("front/journal-meta/publisher/publisher-loc") or "",
        copyright_statement=meta.findtext("permissions/copyright-statement") or "",
        copyright_year=meta.findtext("permissions/copyright-year") or "",
        copyright_holder=meta.findtext("permissions/copyright-holder") or "",
        notes=_front_notes(root.find("front/notes")))
    source = SourceInfo(custom.get("source-file", ""), custom.get("source-sha256", ""),
                        int(custom.get("source-page-count") or 0))
    return front, source


def read_jats(tree: etree._ElementTree) -> Document:
    """The document model of a JATS file written by `flows.jats.build_jats`."""
    root = tree.getroot()
    front, source = _front(root)
    back = root.find("back")
    body = root.find("body")
    parts: list[Part] = []
    part_secs = [s for s in (body if body is not None else []) if s.tag == "sec"
                 and s.get("sec-type") and s.get("id", "").startswith("p")]
    if body is not None and not part_secs:
        part = Part("article", [Inline("text", front.title)], NOWHERE, id="p1")
        part.notes = _notes(back, "p1")
        labels = _labels(part.notes)
        _head(part, root.find("front/article-meta"), labels)
        part.blocks = read_blocks(body, labels)
        part.references = _references(back, "p1")
        part.back = _back_sections(back, "p1", labels)
        parts.append(part)
    for sec in part_secs:
        part = Part(sec.get("sec-type"), read_inline(sec.find("title"), {}), NOWHERE,  # type: ignore[arg-type]
                    id=sec.get("id", ""))
        part.contributors = [_contributor(c, {}) for c in
                             sec.findall("sec-meta/contrib-group/contrib")]
        part.notes = _notes(back, part.id)
        part.blocks = read_blocks(sec, _labels(part.notes))
        part.references = _references(back, part.id)
        part.back = _back_sections(back, part.id, _labels(part.notes))
        parts.append(part)
    for sub_article in root.findall("sub-article"):
        stub = sub_article.find("front-stub")
        part = Part("essay", read_inline(stub.find("title-group/article-title"), {}), NOWHERE,
                    id=sub_article.get("id", ""))
        part.subtitle = read_inline(stub.find("title-group/subtitle"), {})
        sub_back = sub_article.find("back")
        part.notes = _notes(sub_back, part.id)
        labels = _labels(part.notes)
        _head(part, stub, labels)
        part.blocks = read_blocks(sub_article.find("body"), labels)
        part.references = _references(sub_back, part.id)
        part.back = _back_sections(sub_back, part.id, labels)
        parts.append(part)
    return Document(front, parts, source, root.get(XML_LANG, "en"))
