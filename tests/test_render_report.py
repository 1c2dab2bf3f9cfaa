"""The bars of the accessible outputs, measured on the report as `jatsflow publish` writes it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pikepdf
from lxml import etree

from flows.check_pdf import ID_LIKE, walk
from flows.xmlsafe import parse_xml

NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
PARAGRAPH_SHARE = 0.02  # the bar: PDF P elements within 2 % of the JATS paragraphs
PROVENANCE = re.compile(r"sha256|page-count", re.I)


def checks(published: Path) -> dict[str, dict]:
    report = json.loads((published / "accessibility.json").read_text(encoding="utf-8"))
    return {f"{kind}:{c['id']}": c for kind, output in report["outputs"].items()
            for c in output["checks"]}


def test_html_reflows_and_axe_finds_nothing(published: Path) -> None:
    found = checks(published)
    assert found["html:reflow"]["status"] == "pass"
    width = int(re.search(r"page width (\d+) px", found["html:reflow"]["title"]).group(1))
    assert width <= 320
    violations = [key for key, c in found.items()
                  if key.startswith("html:axe-") and key != "html:axe-needs-review"
                  and c["status"] == "fail"]
    assert violations == []


def test_ace_and_epubcheck_are_clean(published: Path) -> None:
    found = checks(published)
    for key in ("epub:ace", "epub:epubcheck-errors", "epub:epubcheck-warnings"):
        assert found[key]["status"] == "pass" and found[key]["problem_count"] == 0, key


def test_page_list_has_one_entry_per_source_page_with_its_printed_label(published: Path):
    sidecar = json.loads((published / "nbr79.layout.json").read_text(encoding="utf-8"))
    labels = [page["label"] for page in sidecar["page_labels"]]
    assert len(labels) == json.loads((published / "report.json").read_text())["pages"]
    with zipfile.ZipFile(published / "nbr79.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        package = archive.read("EPUB/package.opf").decode()
    entries = nav.xpath("//h:nav[@epub:type='page-list']//h:a/text()", namespaces=NS)
    assert entries == labels
    assert "pageBreakSource" in package and "<dc:creator>" in package
    # printed folios: roman front matter then arabic from 1, not sheet numbers
    assert labels[0] == "i" and "1" in labels and labels.index("1") > 0


def test_pdf_has_page_labels_paragraphs_and_link_words(published: Path) -> None:
    root = parse_xml(published / "nbr79.xml").getroot()
    # a board of names in the front matter is a list whose entries the PDF tags as list
    # items (LI), not paragraphs
    jats_paragraphs = len(root.findall(".//p")) - len(root.findall("front/notes/list//p"))
    with pikepdf.open(published / "nbr79.pdf") as pdf:
        assert "/PageLabels" in pdf.Root
        elements = list(walk(pdf.Root.StructTreeRoot.K[0]))
        paragraphs = sum(e.S == pikepdf.Name.P for e in elements)
        descriptions = [str(a.get("/Contents", "")) for page in pdf.pages
                        for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        size = [round(float(v)) for v in pdf.pages[0].MediaBox]
    assert abs(paragraphs - jats_paragraphs) <= PARAGRAPH_SHARE * jats_paragraphs
    assert descriptions and not [d for d in descriptions if ID_LIKE.match(d)]
    assert size == [0, 0, 612, 792]  # the source is US Letter


def test_no_provenance_in_reader_facing_text(published: Path) -> None:
    html = etree.parse(str(published / "nbr79.html")).getroot()
    assert not PROVENANCE.search("".join(html.find("h:body", NS).itertext()))
    assert not PROVENANCE.search((published / "nbr79.txt").read_text(encoding="utf-8"))
    with zipfile.ZipFile(published / "nbr79.epub") as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                assert not PROVENANCE.search(archive.read(name).decode()), name
    meta = parse_xml(published / "nbr79.xml").getroot().xpath("//custom-meta/meta-name/text()")
    assert "source-sha256" in meta  # kept for archivists, in the JATS


# the kinds of sidecar element whose start page a page-break marker is placed by
ANCHORS = {"part", "heading", "paragraph", "quote", "list", "list-item", "reference"}


def test_page_breaks_sit_where_each_source_page_begins(published: Path) -> None:
    """One marker per source page, in page order, labelled with its folio; every element the
    sidecar places begins on the page of the marker before it. The EPUB's page list leads to
    the same markers."""
    sidecar = json.loads((published / "nbr79.layout.json").read_text(encoding="utf-8"))
    labels = [page["label"] for page in sidecar["page_labels"]]
    starts = {key: min(entry["pages"]) for key, entry in sidecar["elements"].items()
              if entry.get("kind") in ANCHORS and entry.get("pages")}
    html = etree.parse(str(published / "nbr79.html")).getroot()
    markers, misplaced, placed, page = [], [], 0, None
    for el in html.find("h:body", NS).iter():
        if el.get("role") == "doc-pagebreak":
            assert el.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
            markers.append(el)
            page = len(markers)
        elif el.get("id") in starts:
            placed += 1
            if starts[el.get("id")] != page:
                misplaced.append((el.get("id"), starts[el.get("id")], page))
    assert [m.get("aria-label") for m in markers] == labels
    assert placed > len(labels) and misplaced == []
    with zipfile.ZipFile(published / "nbr79.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    hrefs = nav.xpath("//h:nav[@epub:type='page-list']//h:a/@href", namespaces=NS)
    assert [href.split("#")[1] for href in hrefs] == [m.get("id") for m in markers]


def test_pdf_quotes_are_whole_and_contents_tagged(published: Path) -> None:
    """One BlockQuote per JATS quote however the pages fall; the printed contents is a TOC
    (one per list, nested) with a TOCI per entry."""
    from flows.render_pdf import print_footnotes

    quotes = len(parse_xml(published / "nbr79.xml").getroot().findall(".//disp-quote"))
    html = etree.parse(str(published / "nbr79.html")).getroot()
    print_footnotes(html)  # the print copy, whose contents the PDF sets
    entries = html.xpath("//h:nav[@role='doc-toc']//h:li", namespaces=NS)
    lists = html.xpath("//h:nav[@role='doc-toc']//h:ol | //h:nav[@role='doc-toc']//h:ul",
                       namespaces=NS)  # a part's sections are a contents within its entry
    with pikepdf.open(published / "nbr79.pdf") as pdf:
        found = [str(e.S)[1:] for e in walk(pdf.Root.StructTreeRoot.K[0])]
    assert quotes and found.count("BlockQuote") == quotes
    assert found.count("TOC") == len(lists) and found.count("TOCI") == len(entries) > 0


def test_conformance_is_claimed_because_every_check_passed(published: Path) -> None:
    """The EPUB claims EPUB Accessibility 1.1 / WCAG 2.1 AA, and the report backs it with
    every HTML and EPUB check passed."""
    report = json.loads((published / "accessibility.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(published / "nbr79.epub") as archive:
        package = etree.fromstring(archive.read("EPUB/package.opf"))
    claims = package.xpath("//opf:meta[@property='dcterms:conformsTo']/text()",
                           namespaces={"opf": "http://www.idpf.org/2007/opf"})
    assert report["conformance"]["backed"] and claims == [report["conformance"]["claim"]]
    for kind in ("html", "epub"):
        assert {c["status"] for c in report["outputs"][kind]["checks"]} == {"pass"}, kind
    assert report["outputs"]["pdf"]["verdict"] == (
        "structure checks passed (no PDF/UA validator available)")


def test_epub_names_its_people_and_says_what_the_book_has(published: Path) -> None:
    """Creators and publisher from the JATS; a summary that counts the print pages it keeps
    and claims no text alternatives for images the report does not have."""
    opf = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    root = parse_xml(published / "nbr79.xml").getroot()
    with zipfile.ZipFile(published / "nbr79.epub") as archive:
        package = etree.fromstring(archive.read("EPUB/package.opf"))
    creators = package.xpath("//dc:creator/text()", namespaces=opf)
    authors = {f"{c.findtext('.//given-names')} {c.findtext('.//surname')}"
               for c in root.iter("contrib") if c.get("contrib-type") == "author"}
    assert creators and set(creators) <= authors
    assert package.xpath("//dc:publisher/text()", namespaces=opf)
    summary = package.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()",
                            namespaces=opf)[0]
    pages = json.loads((published / "report.json").read_text())["pages"]
    assert f"{pages} pages of the print edition" in summary
    assert not root.findall(".//graphic") and "text alternatives" not in summary
