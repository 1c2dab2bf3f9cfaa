"""XHTML → PDF/UA-1: tags (Note/Reference, headings, lists), metadata, reproducibility."""

import hashlib

import pikepdf
import pytest
from lxml import etree
from sample_jats import XML_LANG, sample_jats, truth

from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf, walk

EPOCH = 1_557_000_000  # 2019-05-04


def build(folder, jats, stem="doc", **kwargs):
    write_css(folder)
    html = folder / f"{stem}.html"
    html.write_text(render_html(jats), encoding="utf-8")
    pdf = folder / f"{stem}.pdf"
    render_pdf(html, pdf, **kwargs)
    return pdf


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory):
    return build(tmp_path_factory.mktemp("sample"), sample_jats(), source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def jose_pdf(tmp_path_factory):
    return build(tmp_path_factory.mktemp("jose"), truth("jose.00292"))


def elements(pdf: pikepdf.Pdf) -> list:
    return list(walk(pdf.Root.StructTreeRoot.K[0]))


def tags(pdf: pikepdf.Pdf) -> list[str]:
    return [str(e.S)[1:] for e in elements(pdf)]


def test_pdf_ua_identification_language_and_title(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.docinfo.Title) == "Rivers and Borders: Perspectives from Three Capitals"
        assert 'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes().decode()
        assert len(pdf.Root.Outlines.First.keys()) > 0  # bookmarks from the headings


def test_every_footnote_is_a_note_with_id_after_a_reference_to_it(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        notes = [e for e in elements(pdf) if e.S == pikepdf.Name.Note]
        assert sorted(str(n.ID) for n in notes) == sorted(
            f"{part}-fn{n}" for part in ("fw", "e1", "e2") for n in (1, 2))
        id_tree = dict(zip(*[iter(pdf.Root.StructTreeRoot.IDTree.Names)] * 2, strict=True))
        for note in notes:
            assert id_tree[str(note.ID)].objgen == note.objgen
            siblings = list(note.P.K)
            reference = siblings[[s.objgen for s in siblings].index(note.objgen) - 1]
            assert reference.S == pikepdf.Name.Reference
            assert reference.Ref[0].objgen == note.objgen
            link = reference.K[0]
            assert link.S == pikepdf.Name.Link
            assert str(link.K[0].Obj.Dest) == str(note.ID)
            assert note.P.S == pikepdf.Name.P  # the note sits in the citing paragraph
        assert not [e for e in elements(pdf) if e.S == pikepdf.Name.NonStruct and not e.get("/K")]


def test_headings_lists_and_quotes_are_tagged(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        found = tags(pdf)
    assert found.count("H1") == 1 and "H2" in found and "H3" in found and "H4" in found
    for tag in ("L", "LI", "Lbl", "LBody", "BlockQuote"):
        assert tag in found


def test_figures_have_alt_text(jose_pdf):
    with pikepdf.open(jose_pdf) as pdf:
        figures = [e for e in elements(pdf) if e.S == pikepdf.Name.Figure]
        assert figures and all(str(f.Alt).startswith("Course timeline") for f in figures)
        notes = [e for e in elements(pdf) if e.S == pikepdf.Name.Note]
        assert [str(n.ID) for n in notes] == ["fn1", "fn2"]


def test_page_furniture_is_artifact_and_all_content_is_tagged(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        owned = {(e.Pg.objgen, int(k)) for e in elements(pdf) if "/Pg" in e
                 for k in (e.K if isinstance(e.K, pikepdf.Array) else [e.K])
                 if isinstance(k, int)}
        artifacts = 0
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and "/MCID" in operands[1]:
                    assert (page.obj.objgen, int(operands[1].MCID)) in owned
                artifacts += (str(operator) == "BDC" and operands[0] == pikepdf.Name.Artifact
                              and operands[1].get("/Type") == pikepdf.Name.Pagination)
        assert artifacts >= len(pdf.pages)  # a folio on every page, typed as pagination


def test_dates_come_from_source_date_epoch(sample_pdf):
    with pikepdf.open(sample_pdf) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20190504200000Z"
        assert "2019-05-04T20:00:00Z" in pdf.Root.Metadata.read_bytes().decode()


def test_two_runs_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
    first, second = (build(tmp_path / run, sample_jats()) for run in ("a", "b"))
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)]
    assert digest[0] == digest[1]
    with pikepdf.open(first) as pdf:
        assert str(pdf.docinfo.ModDate) == "D:20190504200000Z"


@pytest.fixture(scope="module")
def paged_pdf(tmp_path_factory):
    """The sample with the print edition's pages known (the layout sidecar), on Letter."""
    from test_render_epub import sample_sidecar

    folder = tmp_path_factory.mktemp("paged")
    write_css(folder)
    html = folder / "doc.html"
    html.write_text(render_html(sample_jats(), sidecar=sample_sidecar()), encoding="utf-8")
    render_pdf(html, folder / "doc.pdf", page_size="letter")
    return folder / "doc.pdf", html


def test_page_labels_follow_the_print_edition(paged_pdf):
    from test_render_epub import LABELS

    with pikepdf.open(paged_pdf[0]) as pdf:
        assert "/PageLabels" in pdf.Root
        labels = [page.label for page in pdf.pages]
    assert labels[0] == LABELS[0]  # the title page carries the first print page
    positions = [LABELS.index(label) for label in labels]
    assert positions == sorted(positions)  # never back to an earlier print page


def test_page_size_is_chosen(paged_pdf, sample_pdf):
    with pikepdf.open(paged_pdf[0]) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
    with pikepdf.open(sample_pdf) as pdf:  # the stylesheet's A4
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


@pytest.mark.parametrize("name", ["jose", "tinf"])
def test_one_element_per_paragraph_and_quote_across_page_breaks(tmp_path, name):
    from lxml import etree

    pdf_path = build(tmp_path, truth({"jose": "jose.00292",
                                      "tinf": "2318-0889-tinf-33-e200057"}[name]))
    html = etree.parse(str(tmp_path / "doc.html")).getroot()
    count = {tag: len(html.findall(f".//{{http://www.w3.org/1999/xhtml}}{tag}"))
             for tag in ("p", "blockquote")}
    with pikepdf.open(pdf_path) as pdf:
        assert len(pdf.pages) > 3  # page breaks to cut at
        found = tags(pdf)
    assert "Part" not in found
    assert found.count("P") == count["p"]
    assert found.count("BlockQuote") == count["blockquote"]


def test_contents_links_and_artifacts(paged_pdf):
    from lxml import etree

    from flows.render_pdf import print_footnotes

    html = etree.parse(str(paged_pdf[1])).getroot()
    print_footnotes(html)  # the print copy: its contents lose the emptied notes sections
    entries = html.xpath("//h:nav[@role='doc-toc']//h:li",
                         namespaces={"h": "http://www.w3.org/1999/xhtml"})
    with pikepdf.open(paged_pdf[0]) as pdf:
        found = tags(pdf)
        assert found.count("TOC") >= 1 and found.count("TOCI") == len(entries)
        descriptions = [str(a.get("/Contents", "")) for page in pdf.pages
                        for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        untyped = [ops for page in pdf.pages
                   for ops, op in pikepdf.parse_content_stream(page, "BMC BDC")
                   if ops and ops[0] == pikepdf.Name.Artifact and len(ops) < 2]
    ids = {el.get("id") for el in html.iter() if el.get("id")}
    assert descriptions and all(d.strip() for d in descriptions)
    assert not ids & set(descriptions)  # words, never the id a link points at
    assert "Note 1" in descriptions
    assert untyped == []


def test_print_contents_lead_only_to_what_is_printed():
    from lxml import etree

    from flows.render_pdf import print_footnotes

    page = etree.fromstring(render_html(sample_jats()).encode("utf-8"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    before = page.xpath("//h:nav[@role='doc-toc']//h:a/@href", namespaces=ns)
    print_footnotes(page)
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    after = page.xpath("//h:nav[@role='doc-toc']//h:a/@href", namespaces=ns)
    assert len(after) < len(before)  # the sample's notes sections are gone from print
    assert all(href[1:] in ids for href in after)


def test_passages_in_other_languages_carry_lang(tmp_path):
    """JATS xml:lang on a paragraph and on a phrase: their structure elements get /Lang, the
    rest inherits the document's, and the PDF check sees it (and fails without it)."""
    from flows.check_pdf import check_pdf

    jats = sample_jats()
    paragraphs = jats.getroot().findall(".//body//p")
    paragraphs[0].set(XML_LANG, "fr")
    phrase = etree.SubElement(paragraphs[1], "italic")
    phrase.text, phrase.tail = "Weltanschauung", paragraphs[1].text
    phrase.set(XML_LANG, "de")
    pdf = build(tmp_path, jats)
    with pikepdf.open(pdf) as opened:
        marked = [(str(e.S), str(e.Lang)) for e in elements(opened)[1:] if "/Lang" in e]
    assert ("/P", "fr") in marked and any(lang == "de" for _, lang in marked), marked
    assert {lang for _, lang in marked} == {"fr", "de"}
    checks = {c["id"]: c for c in check_pdf(pdf, tmp_path / "doc.html")[0]}
    assert checks["pdf-languages"]["status"] == "pass" and checks["pdf-languages"]["checked"] == 2
    with pikepdf.open(pdf, allow_overwriting_input=True) as opened:
        for element in elements(opened):
            if "/Lang" in element:
                del element["/Lang"]
        opened.save(pdf)
    checks = {c["id"]: c for c in check_pdf(pdf, tmp_path / "doc.html")[0]}
    assert checks["pdf-languages"]["status"] == "fail"


def test_a_part_the_print_edition_began_on_a_page_of_its_own_begins_a_pdf_page(tmp_path):
    """The foreword began a page of the print edition (the sidecar says so): in the PDF it
    starts at the top of a page, not at the foot of the page before, and that page is
    labelled with the print page the foreword began on."""
    from test_render_epub import LABELS, STARTS, sample_sidecar

    write_css(tmp_path)
    html = tmp_path / "doc.html"
    html.write_text(render_html(sample_jats(), sidecar=sample_sidecar()), encoding="utf-8")
    render_pdf(html, tmp_path / "doc.pdf")
    with pikepdf.open(tmp_path / "doc.pdf") as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            found = {}
            items = list(outline.root)
            while items:
                item = items.pop(0)
                found.setdefault(str(item.title), (pages[item.destination[0].objgen],
                                                   float(item.destination[3])))
                items = list(item.children) + items
        labels = pdf.Root.PageLabels.Nums
        starts = {int(labels[i]): labels[i + 1] for i in range(0, len(labels), 2)}
    foreword_page, foreword_top = found["Foreword"]
    essay_page, essay_top = found["Upstream Views"]  # a part, always on a page of its own
    assert foreword_top == essay_top and foreword_page > found["About this publication"][0]
    label = starts[foreword_page]  # the labels restart at the foreword's page
    assert str(label.get("/P", "")) == LABELS[STARTS["foreword"] - 1] or \
        int(label.St) == int(LABELS[STARTS["foreword"] - 1])


def test_reading_order_check_reads_a_links_words_and_its_styled_words_in_turn(tmp_path):
    """A link "Lind et al. 2019" with "et al." in italics is tagged Link[mark, Span, mark]:
    the order check reads the marks and the child in turn and passes; a paragraph whose
    words are put in the wrong order fails it."""
    from sample_jats import XLINK, el

    from flows.check_pdf import check_pdf

    jats = sample_jats()
    anchor = el("ext-link", "Lind ", el("italic", "et al."), " 2019", ext_link_type="uri")
    anchor.set(f"{{{XLINK}}}href", "https://example.org/lind")
    paragraph = jats.getroot().find(".//body//p")
    paragraph.append(anchor)
    pdf_path = build(tmp_path, jats)

    def order() -> dict:
        return {c["id"]: c for c in check_pdf(pdf_path, tmp_path / "doc.html")[0]}["pdf-order"]

    def interleaved(link) -> bool:
        kinds = ["mark" if isinstance(k, int) else "elem" for k in link.K
                 if isinstance(k, int) or "/S" in k]
        return "mark" in kinds[kinds.index("elem"):] if "elem" in kinds else False

    with pikepdf.open(pdf_path) as pdf:
        assert any(interleaved(e) for e in elements(pdf) if e.S == pikepdf.Name.Link)
    assert order()["status"] == "pass"
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        paragraph = next(e for e in elements(pdf) if e.S == pikepdf.Name.P
                         and isinstance(e.K, pikepdf.Array) and len(e.K) > 2)
        paragraph.K = pikepdf.Array(list(reversed(list(paragraph.K))))
        pdf.save(pdf_path)
    assert order()["status"] == "fail"
