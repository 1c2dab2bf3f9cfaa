"""The JATS writer: DTD-valid, rule-clean, ids unique across parts, provenance recorded."""

from __future__ import annotations

from lxml import etree

from flows.jats import build_jats, serialize
from flows.model import (
    AbstractSection,
    Box,
    Contributor,
    Document,
    FrontMatter,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Part,
    Section,
    SourceInfo,
)
from flows.segment.ids import assign_ids
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml

BOX = Box([1], (10.0, 10.0, 100.0, 20.0))


def para(*inlines: Inline, quote: bool = False) -> Paragraph:
    return Paragraph(list(inlines), BOX, quote=quote)


def essay(title: str) -> Part:
    return Part(
        "essay", [Inline("text", title)], BOX,
        contributors=[Contributor("Ada Example", [Inline("text", "ADA EXAMPLE writes.")],
                                  "ada@example.org")],
        abstract=[AbstractSection("Main Argument", [para(Inline("text", "Argued."))])],
        blocks=[para(Inline("text", "Intro"), Inline("callout", "1", "1")),
                Section([Inline("text", "Findings")], 1, BOX, [
                    para(Inline("italic", "Quoted"), Inline("text", " words."), quote=True),
                    ListBlock([para(Inline("text", "one")), para(Inline("text", "two"))]),
                    para(Inline("text", "See "), Inline("link", "example.org",
                                                        "http://example.org"),
                         Inline("callout", "2", "2"))])],
        notes=[Note("1", [Inline("text", "First note.")], BOX),
               Note("2", [Inline("text", "Second note.")], BOX)])


def sample_document() -> Document:
    front = FrontMatter(title="A Report", subtitle="On Things", authors=["Ada Example"],
                        series="Occasional Papers", number="7", year="2024", month="3",
                        publisher="An Institute", publisher_loc="Somewhere",
                        copyright_statement="© 2024 by An Institute", copyright_year="2024",
                        copyright_holder="An Institute", notes=["The institute's blurb."])
    foreword = Part("foreword", [Inline("text", "Foreword")], BOX,
                    blocks=[para(Inline("text", "Hello"), Inline("callout", "1", "1"))],
                    notes=[Note("1", [Inline("text", "A foreword note.")], BOX)],
                    signature=["Jo Editor", "Director"],
                    contributors=[Contributor("Jo Editor", role="Director")])
    document = Document(front, [foreword, essay("First Essay"), essay("Second Essay")],
                        SourceInfo("report.pdf", "ab" * 32, 12))
    assign_ids(document)
    return document


def test_valid_against_the_dtd_and_rules() -> None:
    data = serialize(build_jats(sample_document()))
    result = validate_jats(parse_xml(data))
    assert result.valid, result.errors[:3]
    assert not result.rule_errors, result.rule_errors


def test_shape_follows_the_design() -> None:
    root = build_jats(sample_document()).getroot()
    assert root.get("dtd-version") == "1.3"
    assert root.find("body/sec[@sec-type='foreword']/title").text == "Foreword"
    subs = root.findall("sub-article")
    assert [s.findtext("front-stub/title-group/article-title") for s in subs] == [
        "First Essay", "Second Essay"]
    assert subs[0].find("front-stub/abstract[@abstract-type='executive-summary']/sec/title"
                        ).text == "Main Argument"
    assert subs[0].findtext("front-stub/contrib-group/contrib/email") == "ada@example.org"
    assert root.find(".//disp-quote/p/italic").text == "Quoted"
    link = root.find(".//ext-link")
    assert link.get("{http://www.w3.org/1999/xlink}href") == "http://example.org"


def test_callouts_link_to_notes_of_their_own_part() -> None:
    root = build_jats(sample_document()).getroot()
    ids = [fn.get("id") for fn in root.iter("fn")]
    assert len(ids) == len(set(ids)) == 5
    for sub in root.findall("sub-article"):
        local = {fn.get("id") for fn in sub.iter("fn")}
        rids = {x.get("rid") for x in sub.iter("xref")}
        assert rids == local


def test_provenance() -> None:
    root = build_jats(sample_document()).getroot()
    assert root[0].tag == "processing-meta"
    meta = {m.findtext("meta-name"): m.findtext("meta-value")
            for m in root.iter("custom-meta")}
    assert meta["source-sha256"] == "ab" * 32
    assert meta["source-page-count"] == "12"
    assert meta["jatsflow"]


def test_serialisation_is_deterministic() -> None:
    assert serialize(build_jats(sample_document())) == serialize(build_jats(sample_document()))
    parsed = etree.fromstring(serialize(build_jats(sample_document())))
    assert parsed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_name_parts_keep_capitalised_surnames_and_suffixes() -> None:
    from flows.jats import name_parts

    assert name_parts("Igor DO VALE") == ("Igor", "DO VALE", "")
    assert name_parts("Salustiano Vilar COSTA NETO") == ("Salustiano Vilar", "COSTA", "NETO")
    assert name_parts("George F. Russell Jr.") == ("George F.", "Russell", "Jr.")
    assert name_parts("Ma Bin") == ("Ma", "Bin", "")
