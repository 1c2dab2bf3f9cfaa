"""XHTML → EPUB 3: package layout, accessibility metadata, page list, EPUBCheck clean."""

import hashlib
import zipfile

import pytest
from lxml import etree
from sample_jats import sample_jats, truth

from flows.checkers import EPUBCHECK
from flows.render_epub import CONFORMANCE, epub_metadata, render_epub
from flows.render_html import render_html, write_css

META = {"identifier": "urn:uuid:0b7e3c52-5f1e-4c8e-9a51-2d6f7c1b9e11",
        "modified": "2019-05-04T20:00:00Z"}
SOURCE = "urn:sha256:" + "ab" * 32
# Where each part of the sample begins in an imagined print edition of 12 pages: two roman
# front pages, then 1-10; no element starts on pages 2, 5-6, 8 or 12.
LABELS = ["i", "ii", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
STARTS = {"foreword": 3, "e1": 4, "e1-s2": 7, "e2": 9, "no-such-id": 11}
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


def sample_sidecar() -> dict:
    return {"page_labels": [{"page": n, "label": label, "folio": label, "width": 612,
                             "height": 792} for n, label in enumerate(LABELS, 1)],
            "elements": {key: {"kind": "part", "pages": [page], "bbox": [0, 0, 1, 1]}
                         for key, page in STARTS.items()}}


def build(folder, jats, sidecar=None, language="en", conforms=False):
    write_css(folder)
    html = folder / "doc.html"
    html.write_text(render_html(jats, sidecar=sidecar), encoding="utf-8")
    epub = folder / "doc.epub"
    metadata = {**epub_metadata(jats), "language": language}
    render_epub(html, epub, **metadata, source=SOURCE if sidecar else "", conforms=conforms,
                **META)
    return epub


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sample"), sample_jats(), sample_sidecar())


@pytest.fixture(scope="module")
def jose_epub(tmp_path_factory):
    with pytest.warns(UserWarning, match="agenda.png"):
        return build(tmp_path_factory.mktemp("jose"), truth("jose.00292"))


def opf(epub) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/package.opf"))


@pytest.mark.parametrize("name", ["sample_epub", "jose_epub"])
def test_epubcheck_finds_no_errors_and_no_warnings(request, name):
    # the flow's own EPUBCheck: one JVM for the session, not one per book
    result = EPUBCHECK.check(request.getfixturevalue(name))
    messages = [(m["ID"], m["message"]) for m in result["messages"]]
    checker = result["checker"]
    assert checker["nFatal"] == checker["nError"] == checker["nWarning"] == 0, messages


def test_mimetype_first_and_stored_with_fixed_timestamps(sample_epub):
    with zipfile.ZipFile(sample_epub) as archive:
        entries = archive.infolist()
        assert entries[0].filename == "mimetype"
        assert entries[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {e.date_time for e in entries} == {(2019, 5, 4, 20, 0, 0)}
        assert "EPUB/jatsflow.css" in archive.namelist()


def test_accessibility_metadata(sample_epub):
    package = opf(sample_epub)
    values = {}
    for meta in package.iter("{http://www.idpf.org/2007/opf}meta"):
        values.setdefault(meta.get("property"), []).append(meta.text)
    assert values["schema:accessMode"] == ["textual"]
    assert values["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "pageNavigation"} <= set(
        values["schema:accessibilityFeature"])
    assert values["schema:accessibilityHazard"] == ["none"]
    assert values["schema:accessibilitySummary"][0]
    assert values["dcterms:modified"] == [META["modified"]]


def test_page_list_has_one_entry_per_source_page_at_its_page_break(sample_epub):
    with zipfile.ZipFile(sample_epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        content = etree.fromstring(archive.read("EPUB/doc.xhtml"))
    ns = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    page_list = nav.xpath("//h:nav[@epub:type='page-list']//h:a", namespaces=ns)
    assert [a.text for a in page_list] == LABELS
    markers = content.xpath("//*[@epub:type='pagebreak']", namespaces=ns)
    assert [a.get("href") for a in page_list] == [f"doc.xhtml#{m.get('id')}" for m in markers]
    assert {m.get("role") for m in markers} == {"doc-pagebreak"}
    assert [m.get("aria-label") for m in markers] == LABELS
    order = [el.get("id") for el in content.iter() if el.get("id")]
    for key, page in STARTS.items():  # the page a part begins on is marked just before it
        if key in order:
            assert order[order.index(key) - 1] == markers[page - 1].get("id")
    toc = nav.xpath("//h:nav[@epub:type='toc']//h:a/@href", namespaces=ns)
    assert "doc.xhtml#e1-title" in toc


def test_print_edition_creators_and_publisher_are_declared(sample_epub):
    package = opf(sample_epub)
    assert package.findtext(f".//{DC}source") == SOURCE
    assert [m.text for m in package.iter(f"{OPF}meta")
            if m.get("property") == "pageBreakSource"] == [SOURCE]
    assert [c.text for c in package.iter(f"{DC}creator")] == ["Mara Lind", "Kenji Sato"]
    assert package.findtext(f".//{DC}publisher")


def test_conformance_claimed_only_when_asked(sample_epub, tmp_path):
    def claims(epub):
        return [m.text for m in opf(epub).iter(f"{OPF}meta")
                if m.get("property") == "dcterms:conformsTo"]

    assert claims(sample_epub) == []
    claimed = build(tmp_path, sample_jats(), sample_sidecar(), conforms=True)
    assert claims(claimed) == [CONFORMANCE]


def test_summary_says_what_the_book_has(sample_epub, tmp_path):
    def summary(epub):
        return next(m.text for m in opf(epub).iter(f"{OPF}meta")
                    if m.get("property") == "schema:accessibilitySummary")

    with_pages = summary(sample_epub)
    assert f"{len(LABELS)} pages of the print edition" in with_pages
    assert "text alternatives" not in with_pages  # the sample has no images
    assert "print edition" not in summary(build(tmp_path, sample_jats()))


def test_missing_images_become_text_placeholders(jose_epub):
    with zipfile.ZipFile(jose_epub) as archive:
        content = archive.read("EPUB/doc.xhtml").decode()
    assert "<img" not in content
    assert 'role="img" aria-label="Course timeline' in content


def test_same_inputs_same_bytes(tmp_path):
    digests = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        digests.append(hashlib.sha256(build(tmp_path / run, sample_jats()).read_bytes())
                       .hexdigest())
    assert digests[0] == digests[1]
