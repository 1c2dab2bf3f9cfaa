"""Stage 4 — JATS: the document model → JATS 1.3 Archiving XML, the archival hub.

The shape follows DESIGN.md: report metadata in `front`, opening parts (a foreword) as
typed sections of the main `body`, each essay a `sub-article` with its own `front-stub`,
`body` and `back/fn-group`. Element order follows the DTD (see schemas/README.md). Every
element that came from the page carries the id the layout sidecar uses, so an archivist
can trace it back to its page.
"""

from __future__ import annotations

from lxml import etree

from flows import __version__
from flows.model import (
    AbstractSection,
    Block,
    Contributor,
    Document,
    Figure,
    ListBlock,
    Paragraph,
    Part,
    RichText,
    Section,
    Sidebar,
    Table,
)

XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN"
SYSTEM_ID = "https://jats.nlm.nih.gov/archiving/1.3/JATS-archivearticle1-3.dtd"
DOCTYPE = f'<!DOCTYPE article PUBLIC "{PUBLIC_ID}" "{SYSTEM_ID}">'
TOOL = "jatsflow"
# An abstract headed by one of these is a plain abstract; any other box is a summary of the
# executive kind (Main Argument, Policy Implications…).
PLAIN_ABSTRACT_TITLES = {"abstract", "resumo", "resumen", "résumé", "zusammenfassung"}


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
        ) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text:
        element.text = text
    return element


def write_inline(parent: etree._Element, rich: RichText, note_ids: dict[str, str]) -> None:
    """Append rich text to an element: italics, links, callouts as xref → fn."""
    last: etree._Element | None = None

    def put_text(text: str) -> None:
        if last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for inline in rich:
        if inline.kind == "text":
            put_text(inline.text)
            continue
        if inline.kind == "callout" and inline.target in note_ids:
            last = sub(parent, "xref", inline.text, ref_type="fn", rid=note_ids[inline.target])
        elif inline.kind in ("callout", "sup"):
            last = sub(parent, "sup", inline.text)
        elif inline.kind == "link":
            last = sub(parent, "ext-link", inline.text, ext_link_type="uri")
            last.set(f"{{{XLINK}}}href", inline.target)
        else:
            last = sub(parent, inline.kind, inline.text)


def write_blocks(parent: etree._Element, blocks: list[Block], note_ids: dict[str, str]) -> None:
    """Paragraph-level blocks first, then sections, as the DTD requires; segmentation
    already puts text that follows a subsection inside it, so nothing is reordered."""
    ordered = [b for b in blocks if not isinstance(b, Section)] + [
        b for b in blocks if isinstance(b, Section)]
    for block in ordered:
        if isinstance(block, Paragraph):
            if block.quote:
                quote = sub(parent, "disp-quote")
                write_paragraph(quote, block, note_ids)
            else:
                write_paragraph(parent, block, note_ids)
        elif isinstance(block, ListBlock):
            lst = sub(parent, "list", list_type="order" if block.ordered else "bullet")
            if block.id:
                lst.set("id", block.id)
            for index, item in enumerate(block.items, start=1):
                write_paragraph(sub(lst, "list-item", id=f"{block.id}-item{index}"), item,
                                note_ids)
        elif isinstance(block, Figure):
            fig = sub(parent, "fig", id=block.id)
            if block.caption:  # an uncaptioned image stays a figure; the rules flag it
                write_inline(sub(sub(fig, "caption"), "p"), block.caption, note_ids)
            if block.image:
                graphic = sub(fig, "graphic")
                graphic.set(f"{{{XLINK}}}href", block.image)
            for line in block.text:  # the words printed in the figure, one line each
                sub(fig, "p", line, content_type="figure-text")
        elif isinstance(block, Table):
            write_table(parent, block, note_ids)
        elif isinstance(block, Sidebar):
            box = sub(parent, "boxed-text", id=block.id) if block.id else sub(parent, "boxed-text")
            box.set("content-type", "sidebar")
            for paragraph in block.blocks:
                write_paragraph(box, paragraph, note_ids)
        elif isinstance(block, Section):
            sec = sub(parent, "sec", id=block.id) if block.id else sub(parent, "sec")
            if block.label:
                sub(sec, "label", block.label)
            write_inline(sub(sec, "title"), block.title, note_ids)
            write_blocks(sec, block.blocks, note_ids)


def write_table(parent: etree._Element, table: Table, note_ids: dict[str, str]) -> None:
    """Rows as recovered from the page; the first row is not promoted to a header, since
    the PDF does not say which rows are headers."""
    wrap = sub(parent, "table-wrap", id=table.id)
    write_inline(sub(sub(wrap, "caption"), "p"), table.caption, note_ids)
    if not table.rows:
        return
    body = sub(sub(wrap, "table"), "tbody")
    width = max(len(row) for row in table.rows)
    for row in table.rows:
        tr = sub(body, "tr")
        for index, cell in enumerate(row):
            td = sub(tr, "td", cell)
            if index == len(row) - 1 and len(row) < width:
                td.set("colspan", str(width - len(row) + 1))


def write_paragraph(parent: etree._Element, paragraph: Paragraph, note_ids: dict[str, str]
                    ) -> None:
    p = sub(parent, "p")
    if paragraph.id:
        p.set("id", paragraph.id)
    write_inline(p, paragraph.content, note_ids)


# Generational and family suffixes printed after a surname ("Jr.", Portuguese "Neto").
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "neto", "filho", "júnior",
                 "junior", "sobrinho"}


def name_parts(name: str) -> tuple[str, str, str]:
    """(given names, surname, suffix) of a printed name. A surname set in capitals after
    given names in lower case ("Igor DO VALE") is all the capitals; otherwise the last word."""
    tokens = name.split()
    suffix = ""
    if len(tokens) > 2 and tokens[-1].lower().rstrip(",") in NAME_SUFFIXES:
        suffix = tokens.pop()
    capitals = [t.isupper() and sum(c.isalpha() for c in t) > 1 for t in tokens]
    split = len(tokens) - 1
    if any(capitals) and not all(capitals) and capitals[-1]:
        while split > 1 and capitals[split - 1]:
            split -= 1
    return " ".join(tokens[:split]), " ".join(tokens[split:]), suffix


def write_contrib(group: etree._Element, person: Contributor, note_ids: dict[str, str]) -> None:
    contrib = sub(group, "contrib", contrib_type="author")
    given, surname, suffix = name_parts(person.name)
    name = sub(contrib, "name")
    sub(name, "surname", surname)
    if given:
        sub(name, "given-names", given)
    if suffix:
        sub(name, "suffix", suffix)
    if person.role:
        sub(contrib, "role", person.role)
    if person.email:
        sub(contrib, "email", person.email)
    if person.bio:
        write_inline(sub(sub(contrib, "bio"), "p"), person.bio, note_ids)


def write_affiliations(group: etree._Element, part: Part) -> None:
    for index, text in enumerate(part.affiliations, start=1):
        sub(group, "aff", text, id=f"{part.id}-aff{index}")


def write_abstracts(parent: etree._Element, part: Part) -> None:
    """The summary, its translations, then the keywords, in the DTD's order."""
    note_ids = note_ids_of(part)
    write_abstract(parent, part.abstract, note_ids, "abstract")
    for sections in part.trans_abstracts:
        write_abstract(parent, sections, note_ids, "trans-abstract")
    for keywords in part.keywords:
        group = sub(parent, "kwd-group")
        for keyword in keywords:
            sub(group, "kwd", keyword)


def write_abstract(parent: etree._Element, sections: list[AbstractSection],
                   note_ids: dict[str, str], tag: str) -> None:
    if not sections:
        return
    abstract = sub(parent, tag)
    if tag == "abstract" and sections[0].title.lower() not in PLAIN_ABSTRACT_TITLES:
        abstract.set("abstract-type", "executive-summary")
    for section in sections:
        sec = sub(abstract, "sec")
        sub(sec, "title", section.title)
        write_blocks(sec, section.blocks, note_ids)


def write_notes(parent: etree._Element, part: Part) -> None:
    if not part.notes:
        return
    group = sub(parent, "fn-group")
    ids = {n.label: n.id for n in part.notes}
    for note in part.notes:
        fn = sub(group, "fn", id=note.id)
        if not note.cited:
            fn.set("fn-type", "other")  # kept, but nothing in the text calls it
        sub(fn, "label", note.label)
        write_inline(sub(fn, "p"), note.content, ids)


def write_references(parent: etree._Element, part: Part) -> None:
    if not part.references:
        return
    ref_list = sub(parent, "ref-list")
    for reference in part.references:
        ref = sub(ref_list, "ref", id=reference.id)
        write_inline(sub(ref, "mixed-citation"), reference.content, {})


def note_ids_of(part: Part) -> dict[str, str]:
    ids: dict[str, str] = {}
    for note in part.notes:
        ids.setdefault(note.label, note.id)
    return ids


def write_part_body(parent: etree._Element, part: Part) -> None:
    write_blocks(parent, part.blocks, note_ids_of(part))


def write_front(article: etree._Element, doc: Document) -> None:
    front_matter = doc.front
    front = sub(article, "front")
    journal = sub(front, "journal-meta")
    if front_matter.series:
        sub(sub(journal, "journal-title-group"), "journal-title", front_matter.series)
    if front_matter.publisher:
        publisher = sub(journal, "publisher")
        sub(publisher, "publisher-name", front_matter.publisher)
        if front_matter.publisher_loc:
            sub(publisher, "publisher-loc", front_matter.publisher_loc)
    meta = sub(front, "article-meta")
    titles = sub(meta, "title-group")
    sub(titles, "article-title", front_matter.title or "Untitled")
    if front_matter.subtitle:
        sub(titles, "subtitle", front_matter.subtitle)
    single = [p for p in doc.parts if p.kind == "article"]
    people = single[0].contributors if single else [Contributor(n) for n in
                                                     front_matter.authors]
    if people:
        group = sub(meta, "contrib-group")
        for person in people:
            write_contrib(group, person, note_ids_of(single[0]) if single else {})
        if single:
            write_affiliations(group, single[0])
    if front_matter.year:
        date = sub(meta, "pub-date", publication_format="print", date_type="pub")
        if front_matter.month:
            sub(date, "month", front_matter.month)
        sub(date, "year", front_matter.year)
    if front_matter.number:
        sub(meta, "issue", front_matter.number)
    if front_matter.copyright_statement:
        permissions = sub(meta, "permissions")
        sub(permissions, "copyright-statement", front_matter.copyright_statement)
        if front_matter.copyright_year:
            sub(permissions, "copyright-year", front_matter.copyright_year)
        if front_matter.copyright_holder:
            sub(permissions, "copyright-holder", front_matter.copyright_holder)
    if single:
        write_abstracts(meta, single[0])
    custom = sub(meta, "custom-meta-group")
    for name, value in (("source-file", doc.source.file_name),
                        ("source-sha256", doc.source.sha256),
                        ("source-page-count", str(doc.source.page_count))):
        item = sub(custom, "custom-meta")
        sub(item, "meta-name", name)
        sub(item, "meta-value", value)
    if front_matter.notes:
        notes = sub(front, "notes", notes_type="front-matter")
        for text in front_matter.notes:
            sub(notes, "p", text)


def build_jats(doc: Document) -> etree._ElementTree:
    """The whole report as one JATS 1.3 Archiving article."""
    nsmap = {"xlink": XLINK}
    article = etree.Element("article", nsmap=nsmap)
    article.set("article-type", "report" if len(doc.parts) > 1 else "research-article")
    article.set("dtd-version", "1.3")
    article.set(XML_LANG, doc.language)
    processing = sub(article, "processing-meta", tagset_family="jats", base_tagset="archiving",
                     table_model="none")
    tool = sub(sub(processing, "custom-meta-group"), "custom-meta")
    sub(tool, "meta-name", TOOL)
    sub(tool, "meta-value", __version__)
    write_front(article, doc)
    main_parts = [p for p in doc.parts if p.kind != "essay"]
    essays = [p for p in doc.parts if p.kind == "essay"]
    body = sub(article, "body")
    for part in main_parts:
        if part.kind == "article":
            write_part_body(body, part)
            continue
        sec = sub(body, "sec", id=part.id, sec_type=part.kind)
        if part.contributors:
            group = sub(sub(sec, "sec-meta"), "contrib-group")
            for person in part.contributors:
                write_contrib(group, person, {})
        write_inline(sub(sec, "title"), part.title, {})
        write_part_body(sec, part)
    if not len(body):
        article.remove(body)
    if any(p.notes or p.references for p in main_parts):
        back = sub(article, "back")
        for part in main_parts:
            write_notes(back, part)
            write_references(back, part)
    for part in essays:
        write_sub_article(article, part)
    return etree.ElementTree(article)


def write_sub_article(article: etree._Element, part: Part) -> None:
    sub_article = sub(article, "sub-article", id=part.id, article_type="research-article")
    sub_article.set(XML_LANG, article.get(XML_LANG, "en"))
    stub = sub(sub_article, "front-stub")
    titles = sub(stub, "title-group")
    write_inline(sub(titles, "article-title"), part.title, {})
    if part.subtitle:
        write_inline(sub(titles, "subtitle"), part.subtitle, {})
    if part.contributors:
        group = sub(stub, "contrib-group")
        for person in part.contributors:
            write_contrib(group, person, note_ids_of(part))
        write_affiliations(group, part)
    write_abstracts(stub, part)
    body = sub(sub_article, "body")
    write_part_body(body, part)
    if part.notes or part.references:
        back = sub(sub_article, "back")
        write_notes(back, part)
        write_references(back, part)


def serialize(tree: etree._ElementTree) -> bytes:
    """Deterministic bytes: same model, same file."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE,
                          pretty_print=True)
