"""Stage 4 — JATS: the document model → JATS 1.3 Archiving XML, the archival hub.

The shape follows DESIGN.md: report metadata in `front`, opening parts (a foreword) as
typed sections of the main `body`, each essay a `sub-article` with its own `front-stub`,
`body` and `back/fn-group`. Element order follows the DTD (see schemas/README.md). Every
element that came from the page carries the id the layout sidecar uses, so an archivist
can trace it back to its page.

Whatever the segmenter hands over, the writer emits valid JATS: it never writes an element
the DTD or the project's rules require to have content without content (a paragraph, a
title, a note, a name, a list), ids are XML names and unique, links that are not absolute
URIs stay text, and characters XML cannot carry are left out. What that drops (a list
marker with no item text, a note with no words) carried nothing a reader could use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from flows import __version__
from flows.model import (
    AbstractSection,
    BackSection,
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
    note_targets,
)
from flows.rules import is_absolute_uri

XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN"
SYSTEM_ID = "https://jats.nlm.nih.gov/archiving/1.3/JATS-archivearticle1-3.dtd"
DOCTYPE = f'<!DOCTYPE article PUBLIC "{PUBLIC_ID}" "{SYSTEM_ID}">'
TOOL = "jatsflow"
# An abstract headed by one of these is a plain abstract; any other box is a summary of the
# executive kind (Main Argument, Policy Implications…).
PLAIN_ABSTRACT_TITLES = {"abstract", "resumo", "resumen", "résumé", "zusammenfassung"}
# xml:lang when the segmenter names no language: BCP 47's "undetermined".
UNDETERMINED_LANGUAGE = "und"
# Characters XML 1.0 cannot carry (C0 controls but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF); a PDF's text layer can hold any of them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What an id may hold: a letter, digit, '.', '-' or '_' (an XML NCName in plain ASCII).
NOT_ID_CHAR = re.compile(r"[^A-Za-z0-9._-]")
# Back-matter zones as JATS 1.3 holds them: acknowledgements in `ack`, abbreviations in a
# `glossary`, the statements in a `sec` whose sec-type names them (the JATS4R values).
BACK_SEC_TYPES = {"funding": "funding-information", "contributions": "author-contributions",
                  "conflict": "COI-statement", "data": "data-availability",
                  "disclaimer": "disclaimer"}


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def blank(text: str) -> bool:
    return not xml_text(text).strip()


def blank_rich(rich: RichText) -> bool:
    return all(blank(inline.text) for inline in rich)


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str
        ) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text:
        element.text = xml_text(text)
    return element


def xml_id(raw: str) -> str:
    """An id as an XML name: a character an id cannot hold becomes its code point
    ("fn*" → "fn_2a_"), and a name cannot start with a digit, '-' or '.'."""
    name = NOT_ID_CHAR.sub(lambda match: f"_{ord(match.group()):x}_", raw)
    return name if re.match(r"[A-Za-z_]", name) else f"x{name}"


def _id_holders(doc: Document) -> Iterator[tuple[object, list[str]]]:
    """Every model object that carries an id, in document order, with the suffixes of the
    ids the writer derives from it (list items, affiliations)."""
    def blocks(items: list[Block]) -> Iterator[tuple[object, list[str]]]:
        for block in items:
            if isinstance(block, ListBlock):
                yield block, [f"-item{n}" for n in range(1, len(block.items) + 1)]
                yield from blocks(list(block.items))
            elif isinstance(block, Section | Sidebar):
                yield block, []
                yield from blocks(list(block.blocks))
            else:
                yield block, []

    for part in doc.parts:
        yield part, [f"-aff{n}" for n in range(1, len(part.affiliations) + 1)]
        abstracts = [part.abstract, *part.trans_abstracts]
        yield from blocks([b for sections in abstracts for s in sections for b in s.blocks])
        yield from blocks(part.blocks)
        for back in part.back:
            yield back, []
            yield from blocks(back.blocks)
        for item in [*part.notes, *part.references]:
            yield item, []


def settle_ids(doc: Document) -> None:
    """Make every id in the model an XML name, unique with the ids derived from it; the
    first holder keeps its id, a later one gets a numbered suffix. Done on the model, not
    the XML, so the layout sidecar, written from the same model, names the same ids."""
    taken: set[str] = set()
    for holder, derived in _id_holders(doc):
        if not holder.id:  # the writer leaves the id out
            continue
        base = xml_id(holder.id)
        name, number = base, 1
        while {name, *(name + suffix for suffix in derived)} & taken:
            number += 1
            name = f"{base}-{number}"
        holder.id = name
        taken.update([name, *(name + suffix for suffix in derived)])


def write_inline(parent: etree._Element, rich: RichText, note_ids: dict[str, str]) -> None:
    """Append rich text to an element: italics, links, callouts as xref → fn."""
    last: etree._Element | None = None

    def put_text(text: str) -> None:
        if last is None:
            parent.text = (parent.text or "") + xml_text(text)
        else:
            last.tail = (last.tail or "") + xml_text(text)

    for inline in rich:
        # an empty wrapper says nothing; a link that is not an absolute URI would send the
        # reader nowhere, so it stays text
        if inline.kind == "text" or blank(inline.text) or (
                inline.kind == "link" and not is_absolute_uri(xml_text(inline.target))):
            put_text(inline.text)
            continue
        if inline.kind == "callout" and inline.target in note_ids:
            last = sub(parent, "xref", inline.text, ref_type="fn", rid=note_ids[inline.target])
        elif inline.kind in ("callout", "sup"):
            last = sub(parent, "sup", inline.text)
        elif inline.kind == "link":
            last = sub(parent, "ext-link", inline.text, ext_link_type="uri")
            last.set(f"{{{XLINK}}}href", xml_text(inline.target))
        else:
            last = sub(parent, inline.kind, inline.text)


def ided(parent: etree._Element, tag: str, element_id: str, **attrs: str) -> etree._Element:
    """An element with its id first, or without one when the model gave it none."""
    return sub(parent, tag, id=element_id, **attrs) if element_id else sub(parent, tag, **attrs)


def write_blocks(parent: etree._Element, blocks: list[Block], note_ids: dict[str, str]) -> None:
    """Paragraph-level blocks first, then sections, as the DTD requires; segmentation
    already puts text that follows a subsection inside it, so nothing is reordered."""
    ordered = [b for b in blocks if not isinstance(b, Section)] + [
        b for b in blocks if isinstance(b, Section)]
    for block in ordered:
        if isinstance(block, Paragraph):
            if blank_rich(block.content):
                continue
            if block.quote:
                quote = sub(parent, "disp-quote")
                write_paragraph(quote, block, note_ids)
            else:
                write_paragraph(parent, block, note_ids)
        elif isinstance(block, ListBlock):
            write_list(parent, block, note_ids)
        elif isinstance(block, Figure):
            write_figure(parent, block, note_ids)
        elif isinstance(block, Table):
            write_table(parent, block, note_ids)
        elif isinstance(block, Sidebar):
            box = ided(parent, "boxed-text", block.id)
            box.set("content-type", "sidebar")
            write_blocks(box, list(block.blocks), note_ids)
            if not len(box):
                parent.remove(box)
        elif isinstance(block, Section):
            write_section(parent, block, note_ids)


def write_section(parent: etree._Element, section: Section, note_ids: dict[str, str]) -> None:
    """A heading that lost its words keeps its section (the DTD makes the title optional);
    a section with nothing at all is left out."""
    sec = ided(parent, "sec", section.id)
    if not blank(section.label):
        sub(sec, "label", section.label)
    if not blank_rich(section.title):
        write_inline(sub(sec, "title"), section.title, note_ids)
    write_blocks(sec, section.blocks, note_ids)
    if not len(sec):
        parent.remove(sec)


def write_list(parent: etree._Element, block: ListBlock, note_ids: dict[str, str]) -> None:
    """A list of the items that have words: a marker set on a line of its own (a bullet
    or number whose text the layout put elsewhere, a degree sign read as a bullet) leaves
    an item with nothing in it. Items keep their numbers, which the layout sidecar uses."""
    items = [(n, item) for n, item in enumerate(block.items, start=1)
             if not blank_rich(item.content)]
    if not items:
        return
    lst = sub(parent, "list", list_type="order" if block.ordered else "bullet")
    if block.id:
        lst.set("id", block.id)
    for index, item in items:
        write_paragraph(ided(lst, "list-item", f"{block.id}-item{index}" if block.id else ""),
                        item, note_ids)


def write_figure(parent: etree._Element, figure: Figure, note_ids: dict[str, str]) -> None:
    fig = ided(parent, "fig", figure.id)
    if not blank_rich(figure.caption):  # an uncaptioned image stays a figure; rules flag it
        write_inline(sub(sub(fig, "caption"), "p"), figure.caption, note_ids)
    if figure.image:
        graphic = sub(fig, "graphic")
        graphic.set(f"{{{XLINK}}}href", xml_text(figure.image))
    for line in figure.text:  # the words printed in the figure, one line each
        if not blank(line):
            sub(fig, "p", line, content_type="figure-text")


def write_table(parent: etree._Element, table: Table, note_ids: dict[str, str]) -> None:
    """Rows as recovered from the page; the first row is not promoted to a header, since
    the PDF does not say which rows are headers. A table with neither caption nor cells
    is not written."""
    rows = [[cell for cell in row if not blank(cell)] for row in table.rows]
    rows = [row for row in rows if row]
    if blank_rich(table.caption) and not rows:
        return
    wrap = ided(parent, "table-wrap", table.id)
    if not blank_rich(table.caption):
        write_inline(sub(sub(wrap, "caption"), "p"), table.caption, note_ids)
    if not rows:
        return
    body = sub(sub(wrap, "table"), "tbody")
    width = max(len(row) for row in rows)
    for row in rows:
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


def named(people: list[Contributor]) -> list[Contributor]:
    """The contributors with a name to write: a JATS name needs a surname."""
    return [person for person in people if not blank(person.name)]


def write_contrib(group: etree._Element, person: Contributor, note_ids: dict[str, str]) -> None:
    contrib = sub(group, "contrib", contrib_type="author")
    given, surname, suffix = name_parts(xml_text(person.name))
    name = sub(contrib, "name")
    sub(name, "surname", surname)
    if given:
        sub(name, "given-names", given)
    if suffix:
        sub(name, "suffix", suffix)
    if not blank(person.role):
        sub(contrib, "role", person.role)
    if not blank(person.email):
        sub(contrib, "email", person.email)
    if not blank_rich(person.bio):
        write_inline(sub(sub(contrib, "bio"), "p"), person.bio, note_ids)


def write_affiliations(group: etree._Element, part: Part) -> None:
    for index, text in enumerate(part.affiliations, start=1):
        if not blank(text):
            ided(group, "aff", f"{part.id}-aff{index}" if part.id else "").text = xml_text(text)


def write_abstracts(parent: etree._Element, part: Part) -> None:
    """The summary, its translations, then the keywords, in the DTD's order."""
    note_ids = note_ids_of(part)
    # a single article's abstract is its abstract, not an essay's executive summary
    write_abstract(parent, part.abstract, note_ids, "abstract", summary=part.kind != "article")
    for sections in part.trans_abstracts:
        write_abstract(parent, sections, note_ids, "trans-abstract")
    for keywords in part.keywords:
        words = [keyword for keyword in keywords if not blank(keyword)]
        if not words:  # a kwd-group needs a kwd
            continue
        group = sub(parent, "kwd-group")
        for keyword in words:
            sub(group, "kwd", keyword)


def write_abstract(parent: etree._Element, sections: list[AbstractSection],
                   note_ids: dict[str, str], tag: str, summary: bool = False) -> None:
    if not sections:
        return
    abstract = sub(parent, tag)
    if tag == "trans-abstract" and not blank(sections[0].language):
        abstract.set(XML_LANG, sections[0].language)
    if summary and sections[0].title.lower() not in PLAIN_ABSTRACT_TITLES:
        abstract.set("abstract-type", "executive-summary")
    for section in sections:
        sec = sub(abstract, "sec")
        if not blank(section.title):
            sub(sec, "title", section.title)
        write_blocks(sec, section.blocks, note_ids)
        if not len(sec):
            abstract.remove(sec)
    if not len(abstract):
        parent.remove(abstract)


def written_notes(part: Part) -> list:
    """The notes with words in them: a fn needs a paragraph, and a callout to a note
    that says nothing stays a plain superscript."""
    return [note for note in part.notes if not blank_rich(note.content)]


def write_notes(parent: etree._Element, part: Part) -> None:
    notes = written_notes(part)
    if not notes:
        return
    group = sub(parent, "fn-group")
    ids = note_ids_of(part)
    for note in notes:
        fn = ided(group, "fn", note.id)
        if not note.cited:
            fn.set("fn-type", "other")  # kept, but nothing in the text calls it
        if not blank(note.label):
            sub(fn, "label", note.label)
        write_inline(sub(fn, "p"), note.content, ids)


def write_references(parent: etree._Element, part: Part) -> None:
    references = [r for r in part.references if not blank_rich(r.content)]
    if not references:
        return
    ref_list = sub(parent, "ref-list")
    for reference in references:
        ref = ided(ref_list, "ref", reference.id)
        write_inline(sub(ref, "mixed-citation"), reference.content, {})


def note_ids_of(part: Part) -> dict[str, str]:
    ids: dict[str, str] = {}
    notes = written_notes(part)
    for note, target in zip(notes, note_targets([n.label for n in notes]), strict=True):
        if note.id:
            ids.setdefault(target, note.id)
    return ids


def write_part_body(parent: etree._Element, part: Part) -> None:
    write_blocks(parent, part.blocks, note_ids_of(part))


def write_back_section(parent: etree._Element, section: BackSection,
                       note_ids: dict[str, str]) -> None:
    """One back-matter zone; one without words is left out (its heading alone says
    nothing). A glossary holds only paragraphs and lists, so abbreviations set with more
    than that are a section."""
    if all(isinstance(b, Paragraph) and blank_rich(b.content) for b in section.blocks):
        return
    flat = all(isinstance(b, Paragraph | ListBlock) for b in section.blocks)
    if section.kind == "ack":
        element = ided(parent, "ack", section.id)
    elif section.kind == "abbreviations" and flat:
        element = ided(parent, "glossary", section.id)
    else:
        element = ided(parent, "sec", section.id,
                       sec_type=BACK_SEC_TYPES.get(section.kind, section.kind))
    if not blank_rich(section.title):
        write_inline(sub(element, "title"), section.title, {})
    write_blocks(element, section.blocks, note_ids)


def write_back(parent: etree._Element, parts: list[Part]) -> None:
    """Back-matter zones, notes and references; no back when nothing in them has words."""
    back = sub(parent, "back")
    for part in parts:
        for section in part.back:
            write_back_section(back, section, note_ids_of(part))
        write_notes(back, part)
        write_references(back, part)
    if not len(back):
        parent.remove(back)


def write_front(article: etree._Element, doc: Document) -> None:
    front_matter = doc.front
    front = sub(article, "front")
    journal = sub(front, "journal-meta")
    if not blank(front_matter.series):
        sub(sub(journal, "journal-title-group"), "journal-title", front_matter.series)
    if not blank(front_matter.publisher):
        publisher = sub(journal, "publisher")
        sub(publisher, "publisher-name", front_matter.publisher)
        if not blank(front_matter.publisher_loc):
            sub(publisher, "publisher-loc", front_matter.publisher_loc)
    meta = sub(front, "article-meta")
    titles = sub(meta, "title-group")
    title = front_matter.title if not blank(front_matter.title) else "Untitled"
    sub(titles, "article-title", title)
    if not blank(front_matter.subtitle):
        sub(titles, "subtitle", front_matter.subtitle)
    single = [p for p in doc.parts if p.kind == "article"]
    people = named(single[0].contributors if single else [Contributor(n) for n in
                                                           front_matter.authors])
    if people:
        group = sub(meta, "contrib-group")
        for person in people:
            write_contrib(group, person, note_ids_of(single[0]) if single else {})
        if single:
            write_affiliations(group, single[0])
    if not blank(front_matter.year):
        date = sub(meta, "pub-date", publication_format="print", date_type="pub")
        if not blank(front_matter.month):
            sub(date, "month", front_matter.month)
        sub(date, "year", front_matter.year)
    if not blank(front_matter.number):
        sub(meta, "issue", front_matter.number)
    if not blank(front_matter.copyright_statement):
        permissions = sub(meta, "permissions")
        sub(permissions, "copyright-statement", front_matter.copyright_statement)
        if not blank(front_matter.copyright_year):
            sub(permissions, "copyright-year", front_matter.copyright_year)
        if not blank(front_matter.copyright_holder):
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
    notes = [[e for e in note if not blank(e)] if isinstance(note, list) else note
             for note in front_matter.notes]
    notes = [note for note in notes if note and (isinstance(note, list) or not blank(note))]
    if notes:
        group = sub(front, "notes", notes_type="front-matter")
        for note in notes:
            if isinstance(note, list):  # each entry of a list stays its own element
                entries = sub(group, "list", list_type="simple")
                for entry in note:
                    sub(sub(entries, "list-item"), "p", entry)
            else:
                sub(group, "p", note)


def build_jats(doc: Document) -> etree._ElementTree:
    """The whole report as one JATS 1.3 Archiving article. Settles the model's ids first
    (see settle_ids)."""
    settle_ids(doc)
    nsmap = {"xlink": XLINK}
    article = etree.Element("article", nsmap=nsmap)
    article.set("article-type", "report" if len(doc.parts) > 1 else "research-article")
    article.set("dtd-version", "1.3")
    language = xml_text(doc.language).strip()
    article.set(XML_LANG, language or UNDETERMINED_LANGUAGE)
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
        sec = ided(body, "sec", part.id, sec_type=part.kind)
        people = named(part.contributors)
        if people:
            group = sub(sub(sec, "sec-meta"), "contrib-group")
            for person in people:
                write_contrib(group, person, {})
        if not blank_rich(part.title):
            write_inline(sub(sec, "title"), part.title, {})
        write_part_body(sec, part)
    # the DTD wants the body's paragraphs before its sections, whichever part they came from
    sections = [child for child in body if child.tag == "sec"]
    for child in sections:
        body.append(child)
    if not len(body):
        article.remove(body)
    write_back(article, main_parts)
    for part in essays:
        write_sub_article(article, part)
    return etree.ElementTree(article)


def write_sub_article(article: etree._Element, part: Part) -> None:
    sub_article = ided(article, "sub-article", part.id, article_type="research-article")
    sub_article.set(XML_LANG, article.get(XML_LANG, "en"))
    stub = sub(sub_article, "front-stub")
    if not blank_rich(part.title):  # a title-group needs an article-title; rules name the gap
        titles = sub(stub, "title-group")
        write_inline(sub(titles, "article-title"), part.title, {})
        if not blank_rich(part.subtitle):
            write_inline(sub(titles, "subtitle"), part.subtitle, {})
    people = named(part.contributors)
    if people:
        group = sub(stub, "contrib-group")
        for person in people:
            write_contrib(group, person, note_ids_of(part))
        write_affiliations(group, part)
    write_abstracts(stub, part)
    body = sub(sub_article, "body")
    write_part_body(body, part)
    write_back(sub_article, [part])


def serialize(tree: etree._ElementTree) -> bytes:
    """Deterministic bytes: same model, same file."""
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE,
                          pretty_print=True)
