"""Whatever the segmenter produces serialises to valid JATS: the DTD and the project's rules.

Each test turns a kind of layout that once made the converter publish nothing into a model
(or a tiny PDF) and checks the JATS against the real DTD in schemas/. A random campaign over
awkward models stands for the layouts nobody has met yet.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from conftest import segmented
from lxml import etree

from flows.jats import build_jats, serialize
from flows.model import (
    AbstractSection,
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
    Section,
    SourceInfo,
    Table,
)
from flows.model import Sidebar as SidebarBlock
from flows.provenance import layout_sidecar
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml

BOX = Box([1], (10.0, 10.0, 100.0, 20.0))
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def words(text: str) -> list[Inline]:
    return [Inline("text", text)]


def para(text: str, pid: str = "") -> Paragraph:
    return Paragraph(words(text), BOX, id=pid)


def article(blocks: list[Block], notes: list[Note] | None = None, **part: object) -> Document:
    body = Part("article", words("A Title"), BOX, blocks=blocks, notes=notes or [], id="p1",
                **part)
    return Document(FrontMatter(title="A Title", year="2024"), [body],
                    SourceInfo("a.pdf", "ab" * 32, 3))


def checked(doc: Document) -> etree._Element:
    """The JATS of a model, parsed back from its bytes, after asserting it is valid."""
    data = serialize(build_jats(doc))
    tree = parse_xml(data)
    result = validate_jats(tree)
    assert result.valid, result.errors[:3]
    assert not result.rule_errors, result.rule_errors[:3]
    return tree.getroot()


# --- list markers with no words: a bullet or number set on a line of its own -------------------

def test_a_list_marker_alone_on_its_line_leaves_no_empty_item() -> None:
    lst = ListBlock([para("", "p1-para2"), para("Second point.", "p1-para3"),
                     Paragraph([Inline("text", " "), Inline("italic", "")], BOX, id="p1-para4")],
                    ordered=True, id="p1-list1")
    lone = ListBlock([para("", "p1-para5")], id="p1-list2")
    root = checked(article([para("Before.", "p1-para1"), lst, lone, para("After.", "p1-para6")]))
    items = root.findall(".//list-item")
    assert [item.get("id") for item in items] == ["p1-list1-item2"]  # numbers kept for the sidecar
    assert root.find(".//list[@id='p1-list2']") is None
    assert not root.xpath("//italic")


def test_blank_paragraphs_quotes_and_sidebars_are_left_out() -> None:
    blocks: list[Block] = [para("Kept.", "p1-para1"), para("  \u00a0", "p1-para2"),
                           Paragraph(words("\t"), BOX, quote=True, id="p1-para3"),
                           SidebarBlock([para(" ")], BOX, id="p1-box1")]
    root = checked(article(blocks))
    assert [p.get("id") for p in root.iter("p") if p.get("id")] == ["p1-para1"]
    assert root.find(".//disp-quote") is None and root.find(".//boxed-text") is None


# --- note labels that are not names: *, †, (1), 1), [1] -----------------------------------------

@pytest.mark.parametrize("label", ["*", "†", "(1)", "1)", "[1]", "a.", "**", "1"])
def test_notes_of_every_label_style_get_valid_linked_ids(label: str) -> None:
    note = Note(label, words("A note."), BOX, id=f"p1-fn{label}")
    text = Paragraph([Inline("text", "Cited"), Inline("callout", label, label)], BOX, id="p1-para1")
    root = checked(article([text], [note]))
    fn = root.find(".//fn")
    assert NCNAME.fullmatch(fn.get("id"))
    assert root.find(".//xref").get("rid") == fn.get("id")
    assert fn.findtext("label") == label


def test_labels_that_map_to_one_name_stay_apart() -> None:
    notes = [Note("*", words("Star."), BOX, id="p1-fn*"),
             Note("**", words("Two stars."), BOX, id="p1-fn**"),
             Note("x", words("Collides."), BOX, id="p1-fn_2a_")]
    calls = [Inline("callout", n.label, n.label) for n in notes]
    root = checked(article([Paragraph([Inline("text", "Cited"), *calls], BOX, id="p1-para1")],
                           notes))
    ids = [fn.get("id") for fn in root.iter("fn")]
    assert len(set(ids)) == 3
    assert [x.get("rid") for x in root.iter("xref")] == ids


# --- ids the segmenter repeated, left empty or built so they collide ---------------------------

def test_repeated_and_colliding_ids_become_unique() -> None:
    lst = ListBlock([para("one", "p1-para9"), para("two", "p1-para8")], id="p1-list1")
    blocks: list[Block] = [para("a", "p1-para1"), para("b", "p1-para1"),
                           para("c", "p1-list1-item2"), lst,
                           Section(words("Heading"), 1, BOX, [para("d", "1st")], id="p1-s1"),
                           Figure(words("Figure 1."), BOX, id=""),
                           Table(words("Table 1."), [["a", "b"]], BOX, id="")]
    doc = article(blocks)
    root = checked(doc)
    ids = [element.get("id") for element in root.iter() if element.get("id") is not None]
    assert len(ids) == len(set(ids)) and all(NCNAME.fullmatch(i) for i in ids)
    # the ids are settled in the model, so the layout sidecar names the same ones
    sidecar = layout_sidecar(doc)["elements"]
    traced = [e.get("id") for e in root.iter("p", "sec", "list-item", "fn") if e.get("id")]
    assert traced and all(i in sidecar for i in traced)


def test_valid_unique_ids_are_left_as_they_are() -> None:
    lst = ListBlock([para("one", "p1-para2")], id="p1-list1")
    doc = article([para("a", "p1-para1"), lst], [Note("1", words("n"), BOX, id="p1-fn1")])
    build_jats(doc)
    assert [doc.parts[0].id, doc.parts[0].blocks[0].id, lst.id, lst.items[0].id,
            doc.parts[0].notes[0].id] == ["p1", "p1-para1", "p1-list1", "p1-para2", "p1-fn1"]


# --- required elements the source left empty ----------------------------------------------------

def _essay(**fields: object) -> Part:
    base: dict[str, object] = {
        "contributors": [Contributor("Ada Example")], "id": "p2",
        "blocks": [para("Essay text.", "p2-para1")]}
    base.update(fields)
    return Part("essay", words(str(base.pop("title", "An Essay"))), BOX, **base)


BLANKS: dict[str, Document] = {
    "section title": article([Section(words(" "), 1, BOX, [para("x", "p1-para1")], id="p1-s1"),
                              Section([], 1, BOX, [], id="p1-s2")]),
    "note text": article([Paragraph([Inline("text", "x"), Inline("callout", "1", "1")], BOX)],
                         [Note("1", words(" "), BOX, id="p1-fn1"), Note("", words("n"), BOX)]),
    "contributor name": article([para("x")], contributors=[Contributor(" ", bio=words(""))],
                                affiliations=["", "An Institute"]),
    "keywords and abstract titles": article(
        [para("x")], keywords=[["", " "], ["water", ""]],
        abstract=[AbstractSection("", [para("Summary.")]), AbstractSection(" ", [])],
        trans_abstracts=[[AbstractSection("Resumo", [para(" ")])]]),
    "figure and table": article([Figure(words(" "), BOX, id="p1-fig1", text=["", "axis"]),
                                 Table(words(""), [["", " "], []], BOX, id="p1-table1"),
                                 Table(words(" "), [["a", ""], ["b", "c", "d"]], BOX, id="t")]),
    "front matter": Document(FrontMatter(title=" ", subtitle=" ", series=" ", publisher=" ",
                                         year="2024", month=" ", notes=["", "Blurb."]),
                             [Part("article", [], BOX, blocks=[para("x")], id="p1")],
                             SourceInfo("a.pdf", "ab" * 32, 1), language=""),
    "essay title and people": Document(
        FrontMatter(title="A Report", authors=["", "Jo Roe"]),
        [Part("foreword", words(" "), BOX, blocks=[para("Hello.")], id="p1",
              contributors=[Contributor("")]),
         _essay(title=" ", subtitle=words("A subtitle")),
         _essay(id="p3", contributors=[Contributor("\t")], notes=[Note("1", [], BOX)],
                references=[Reference(words(" "), BOX, id="p3-ref1")])],
        SourceInfo("r.pdf", "ab" * 32, 9)),
    "characters XML cannot carry": article(
        [para("bell\x07 and form\x0c feed \ufffe", "p1-para1")],
        [Note("1", words("\x00note"), BOX, id="p1-fn1")]),
    "links that are not absolute": article([Paragraph(
        [Inline("link", "www.example.org", "www example.org"),
         Inline("link", "see", "/relative"), Inline("link", "", "https://example.org")], BOX)]),
}


@pytest.mark.parametrize("kind", list(BLANKS))
def test_what_the_source_left_empty_never_makes_invalid_jats(kind: str) -> None:
    root = checked(BLANKS[kind])
    for element in root.iter("p", "title", "label", "article-title", "surname", "kwd", "aff",
                             "td", "caption", "list", "fn-group", "contrib-group", "kwd-group"):
        assert len(element) or "".join(element.itertext()).strip(), element.tag


# --- random models: the guarantee over layouts nobody has met ----------------------------------

AWKWARD_TEXT = ["", " ", "\u00a0", "\t\n", "Words.", "x\x01y", "(1)", "*", "†", "Ünïcödé",
                "a < b & c", "]]>", "\ud7ff\ue000"]
AWKWARD_IDS = ["", "p1-para1", "p1-para1", "p1-fn*", "1", "a b", "p1-list1-item1", "x:y",
               "p1-aff1", "-x", "é"]
KINDS = ["text", "italic", "bold", "callout", "sup", "link"]
TARGETS = ["", "1", "*", "http://example.org", "example.org", "mailto:a@b.c", "a b"]


def _random_rich(rng: random.Random) -> list[Inline]:
    return [Inline(rng.choice(KINDS), rng.choice(AWKWARD_TEXT), rng.choice(TARGETS))
            for _ in range(rng.randint(0, 3))]


def _random_para(rng: random.Random) -> Paragraph:
    return Paragraph(_random_rich(rng), BOX, quote=rng.random() < 0.2, id=rng.choice(AWKWARD_IDS))


def _random_blocks(rng: random.Random, depth: int) -> list[Block]:
    blocks: list[Block] = []
    for _ in range(rng.randint(0, 4)):
        kind = rng.randrange(6)
        pid = rng.choice(AWKWARD_IDS)
        if kind == 0:
            blocks.append(_random_para(rng))
        elif kind == 1:
            blocks.append(ListBlock([_random_para(rng) for _ in range(rng.randint(0, 3))],
                                    rng.random() < 0.5, pid))
        elif kind == 2:
            blocks.append(Figure(_random_rich(rng), BOX, rng.choice(["", "f.png"]), pid,
                                 text=[rng.choice(AWKWARD_TEXT) for _ in range(2)]))
        elif kind == 3:
            rows = [[rng.choice(AWKWARD_TEXT) for _ in range(rng.randint(0, 3))]
                    for _ in range(rng.randint(0, 3))]
            blocks.append(Table(_random_rich(rng), rows, BOX, pid))
        elif kind == 4:
            blocks.append(SidebarBlock([_random_para(rng) for _ in range(2)], BOX, pid))
        elif depth < 3:
            blocks.append(Section(_random_rich(rng), depth + 1, BOX,
                                  _random_blocks(rng, depth + 1), pid,
                                  rng.choice(["", " ", "2.1"])))
    return blocks


def _random_part(rng: random.Random, kind: str) -> Part:
    return Part(
        kind, _random_rich(rng), BOX,
        contributors=[Contributor(rng.choice(AWKWARD_TEXT), _random_rich(rng),
                                  rng.choice(["", " ", "a@b.c"]), rng.choice(AWKWARD_TEXT))
                      for _ in range(rng.randint(0, 2))],
        affiliations=[rng.choice(AWKWARD_TEXT) for _ in range(rng.randint(0, 2))],
        abstract=[AbstractSection(rng.choice(["", "Abstract", " "]), _random_blocks(rng, 1))
                  for _ in range(rng.randint(0, 2))],
        trans_abstracts=[[AbstractSection(rng.choice(["", "Resumo"]), _random_blocks(rng, 1))]
                         for _ in range(rng.randint(0, 1))],
        keywords=[[rng.choice(AWKWARD_TEXT) for _ in range(2)] for _ in range(rng.randint(0, 1))],
        subtitle=_random_rich(rng), blocks=_random_blocks(rng, 0),
        notes=[Note(rng.choice(["1", "2", "*", "(1)", "", " "]), _random_rich(rng), BOX,
                    rng.choice(AWKWARD_IDS), rng.random() < 0.7)
               for _ in range(rng.randint(0, 3))],
        references=[Reference(_random_rich(rng), BOX, rng.choice(AWKWARD_IDS))
                    for _ in range(rng.randint(0, 2))],
        id=rng.choice(AWKWARD_IDS))


def random_document(seed: int) -> Document:
    rng = random.Random(seed)
    kinds = rng.choice([["article"], ["foreword", "essay"], ["essay", "essay"],
                        ["introduction", "essay", "preface"], ["foreword", "article"],
                        ["article", "article", "essay"]])
    front = FrontMatter(title=rng.choice(AWKWARD_TEXT), subtitle=rng.choice(AWKWARD_TEXT),
                        authors=[rng.choice(AWKWARD_TEXT)], series=rng.choice(AWKWARD_TEXT),
                        number=rng.choice(["", " ", "7"]), year=rng.choice(["", " ", "2024"]),
                        month=rng.choice(["", " ", "3"]), publisher=rng.choice(AWKWARD_TEXT),
                        publisher_loc=rng.choice(AWKWARD_TEXT),
                        copyright_statement=rng.choice(AWKWARD_TEXT),
                        copyright_year=rng.choice(["", "2024"]),
                        copyright_holder=rng.choice(AWKWARD_TEXT),
                        notes=[rng.choice(AWKWARD_TEXT)])
    return Document(front, [_random_part(rng, kind) for kind in kinds],
                    SourceInfo("r.pdf", "ab" * 32, 5), language=rng.choice(["", "en", "pt"]))


RANDOM_DOCUMENTS = 300


def test_random_models_always_serialise_to_valid_jats() -> None:
    failures = []
    for seed in range(RANDOM_DOCUMENTS):
        tree = parse_xml(serialize(build_jats(random_document(seed))))
        result = validate_jats(tree)
        if not result.passed:
            failures.append((seed, (result.errors + [(0, f.message) for f in
                                                     result.rule_errors])[:2]))
    assert not failures, f"{len(failures)} of {RANDOM_DOCUMENTS}: {failures[:5]}"


# --- the same kinds of layout typeset, through extract → layout → segment ---------------------

PAGE_CSS = """@page { size: A5; margin: 20mm 16mm 22mm 16mm; }
body { font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.4; }
h1 { font-family: 'DejaVu Sans'; font-size: 18pt; }
h2 { font-family: 'DejaVu Sans'; font-size: 13pt; font-weight: bold; }
@counter-style marks { system: symbolic; symbols: "*" "†" "‡"; }
.fn { float: footnote; font-size: 7.5pt; }
.fn::footnote-call { content: counter(footnote, marks); vertical-align: super; font-size: 6pt; }
.fn::footnote-marker { content: counter(footnote, marks) " "; }
"""
FILL = "Municipal water boards weigh tariffs against maintenance backlogs every year. " * 6


def _page(body: str) -> str:
    return (f"<html lang='en'><head><style>{PAGE_CSS}</style></head><body>"
            f"<h1>Water Policy</h1><h2>Introduction</h2>{body}</body></html>")


def _published_jats(html: str, path: Path) -> etree._Element:
    data = serialize(build_jats(segmented(html, path)))
    tree = parse_xml(data)
    result = validate_jats(tree)
    assert result.valid, result.errors[:3]
    assert not result.rule_errors, result.rule_errors[:3]
    return tree.getroot()


def test_notes_labelled_with_symbols_publish_linked(tmp_path: Path) -> None:
    """Notes at the page foot labelled *, † (a corresponding author, equal contribution)."""
    html = _page(f"<p>{FILL}<span class='fn'>Corresponding author: a person at an institute."
                 f"</span> {FILL}</p><p>{FILL}<span class='fn'>These authors contributed "
                 f"equally.</span> {FILL}</p>")
    root = _published_jats(html, tmp_path / "symbols.pdf")
    notes = {fn.get("id") for fn in root.iter("fn")}
    assert len(notes) == 2 and {x.get("rid") for x in root.iter("xref")} == notes


def test_list_markers_alone_on_a_line_publish(tmp_path: Path) -> None:
    """A bullet and a number each set on a line of their own between paragraphs."""
    html = _page(f"<p>{FILL}</p><p>•</p><p>{FILL}</p><h2>Methods</h2><p>{FILL}</p><p>3.</p>"
                 f"<p>{FILL}</p>")
    root = _published_jats(html, tmp_path / "markers.pdf")
    assert all(len(item) and "".join(item.itertext()).strip() for item in root.iter("list-item"))

