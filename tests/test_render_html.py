"""JATS → XHTML: structure, notes, ids and language, on the sample report and truth files."""

import re

import pytest
from lxml import etree
from sample_jats import sample_jats, truth

from flows.render_html import render_html, stylesheet, write_css

NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VOID = {"br", "img", "meta", "link", "hr", "col", "wbr"}


@pytest.fixture(scope="module")
def pages():
    docs = {"sample": sample_jats(), "jose": truth("jose.00292"),
            "tinf": truth("2318-0889-tinf-33-e200057")}
    return {name: render_html(jats) for name, jats in docs.items()}


def tree(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode("utf-8"))


@pytest.mark.parametrize("name", ["sample", "jose", "tinf"])
def test_well_formed_xhtml_with_title_and_language(pages, name):
    html = tree(pages[name])
    assert html.tag == "{http://www.w3.org/1999/xhtml}html"
    assert html.get("lang") == html.get(XML_LANG)
    assert html.xpath("string(h:head/h:title)", namespaces=NS).strip()
    assert html.xpath("h:head/h:link/@href", namespaces=NS) == ["jatsflow.css"]


def test_language_comes_from_jats(pages):
    assert tree(pages["tinf"]).get("lang") == "pt"
    assert tree(pages["jose"]).get("lang") == "en"  # the JATS DTD default


@pytest.mark.parametrize("name", ["sample", "jose", "tinf"])
def test_ids_unique_and_internal_links_resolve(pages, name):
    html = tree(pages[name])
    ids = html.xpath("//@id")
    assert len(ids) == len(set(ids))
    targets = [href[1:] for href in html.xpath("//h:a/@href", namespaces=NS)
               if href.startswith("#")]
    assert targets and set(targets) <= set(ids)


@pytest.mark.parametrize("name", ["sample", "jose", "tinf"])
def test_headings_start_at_one_h1_and_never_skip_a_level(pages, name):
    headings = tree(pages[name]).xpath("//h:h1|//h:h2|//h:h3|//h:h4|//h:h5|//h:h6",
                                       namespaces=NS)
    levels = [int(etree.QName(h).localname[1]) for h in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("name", ["sample", "jose", "tinf"])
def test_no_self_closing_non_void_elements(pages, name):
    """Browsers parse .html with the HTML parser, where <span/> would swallow what follows."""
    tags = re.findall(r"<([a-z0-9]+)[^<>]*/>", pages[name])
    assert set(tags) <= VOID


def test_each_essay_is_a_section_with_title_author_bio_and_abstract(pages):
    html = tree(pages["sample"])
    parts = html.xpath("//h:section[@class='part']", namespaces=NS)
    assert [p.get("id") for p in parts] == ["e1", "e2"]
    first = parts[0]
    assert first.xpath("string(h:h2)", namespaces=NS) == "Upstream Views"
    assert first.xpath("string(h:p[@class='contribs'])", namespaces=NS) == "Ivan Petrov"
    assert "studies sediment" in first.xpath("string(h:div[@class='bio'])", namespaces=NS)
    assert first.xpath("h:div/h:p/h:a/@href", namespaces=NS) == ["mailto:petrov@example.org"]
    abstract = first.xpath("h:section[@role='doc-abstract']", namespaces=NS)[0]
    assert abstract.xpath("h:section/h:h4/text()", namespaces=NS) == [
        "Main Argument", "Policy Implications"]
    assert abstract.xpath("count(.//h:ul/h:li)", namespaces=NS) == 2


def test_nested_sections_follow_jats_nesting(pages):
    html = tree(pages["sample"])
    nested = html.xpath("//h:section[@id='e1-s1']/h:section[@id='e1-s1-1']/h:h4/text()",
                        namespaces=NS)
    assert nested == ["Earlier Agreements"]
    assert html.xpath("count(//h:section[@id='e1-s1-1']/h:blockquote/h:p)", namespaces=NS) == 1
    assert html.xpath("count(//h:section[@id='e1-s2']/h:ul[@class='bullet']/h:li)",
                      namespaces=NS) == 3


def test_callouts_and_notes_link_both_ways_within_each_part(pages):
    html = tree(pages["sample"])
    callouts = html.xpath("//h:a[@role='doc-noteref']", namespaces=NS)
    assert len(callouts) == 6
    for callout in callouts:
        assert callout.get("{http://www.idpf.org/2007/ops}type") == "noteref"
        note = html.xpath("//h:aside[@id=$id]", id=callout.get("href")[1:], namespaces=NS)[0]
        assert note.get("role") == "doc-footnote"
        assert note.get("{http://www.idpf.org/2007/ops}type") == "footnote"
        back = note.xpath(".//h:a[@role='doc-backlink']", namespaces=NS)[0]
        assert back.get("href") == "#" + callout.get("id") and back.text == callout.text
        part = callout.xpath("ancestor::h:section[@class='part']/@id", namespaces=NS)
        assert note.xpath("ancestor::h:section[@class='part']/@id", namespaces=NS) == part
    essay_notes = html.xpath("//h:section[@id='e2']//h:aside/@id", namespaces=NS)
    assert essay_notes == ["e2-fn1", "e2-fn2"]


def test_toc_lists_parts_and_their_sections(pages):
    nav = tree(pages["sample"]).xpath("//h:nav", namespaces=NS)[0]
    assert nav.get("role") == "doc-toc"
    assert nav.get("{http://www.idpf.org/2007/ops}type") == "toc"
    entries = nav.xpath("h:ol/h:li/h:a/text()", namespaces=NS)
    assert entries[:2] == ["About this publication", "Foreword"]
    assert "Upstream Views" in entries
    assert "Introduction" in nav.xpath("h:ol/h:li/h:ol/h:li/h:a/text()", namespaces=NS)


def test_front_matter_keeps_board_and_copyright(pages):
    html = tree(pages["sample"])
    front = html.xpath("//h:section[@class='front-matter']", namespaces=NS)[0]
    assert front.xpath("h:dl/h:dt/text()", namespaces=NS) == [
        "Board of Directors", "Honorary Directors"]
    assert "© 2019" in "".join(front.itertext())
    header = html.xpath("//h:header", namespaces=NS)[0]
    assert header.xpath("string(h:h1)", namespaces=NS) == "Rivers and Borders"
    assert header.xpath("string(h:p[@class='subtitle'])", namespaces=NS) == (
        "Perspectives from Three Capitals")


def test_inline_markup_and_external_links(pages):
    html = tree(pages["sample"])
    assert "alone" in html.xpath("//h:i/text()", namespaces=NS)
    assert html.xpath("//h:aside[@id='e1-fn1']//h:a[@class='ext-link']/@href", namespaces=NS) == [
        "https://example.org/atlas"]


def test_truth_file_figures_tables_and_references(pages):
    jose = tree(pages["jose"])
    figure = jose.xpath("//h:figure", namespaces=NS)[0]
    assert figure.xpath("h:img/@alt", namespaces=NS)[0].startswith("Course timeline")
    assert figure.xpath("string(h:figcaption)", namespaces=NS).strip()
    assert jose.xpath("count(//h:table/h:caption)", namespaces=NS) == 2
    assert jose.xpath("count(//h:section[@role='doc-bibliography']//h:li)", namespaces=NS) == 11
    assert jose.xpath("count(//h:a[@role='doc-noteref'])", namespaces=NS) == 2
    tinf = tree(pages["tinf"])
    assert tinf.xpath("count(//h:table)", namespaces=NS) == 2
    assert tinf.xpath("//h:section[@role='doc-abstract'][@lang='en']", namespaces=NS)


def test_generated_labels_are_marked_english_in_other_languages(pages):
    tinf = tree(pages["tinf"])
    toc_title = tinf.xpath("//h:nav/h:h2", namespaces=NS)[0]
    assert toc_title.get("lang") == "en" and "generated" in toc_title.get("class")


def test_write_css_puts_the_stylesheet_next_to_the_html(tmp_path):
    path = write_css(tmp_path)
    assert path == tmp_path / "jatsflow.css"
    assert path.read_text(encoding="utf-8") == stylesheet()
    assert "float: footnote" in stylesheet()


def test_skip_link_is_the_first_stop_and_leads_to_the_text(pages):
    html = tree(pages["sample"])
    first = html.xpath("(//h:body//h:a)[1]", namespaces=NS)[0]
    assert first.get("href") == "#main"
    assert html.xpath("//h:main/@id", namespaces=NS) == ["main"]


@pytest.mark.parametrize("name", ["sample", "jose"])
def test_note_links_are_named_in_words(pages, name):
    html = tree(pages[name])
    refs = html.xpath("//h:a[@role='doc-noteref']", namespaces=NS)
    assert refs
    for ref in refs:
        assert ref.get("aria-label") == f"Note {''.join(ref.itertext())}"
    for back in html.xpath("//h:a[@role='doc-backlink']", namespaces=NS):
        assert back.get("aria-label") == f"Back to note {''.join(back.itertext())} reference"


def test_provenance_stays_out_of_the_reading_copy():
    jats = sample_jats()
    meta = jats.getroot().find("front/article-meta")
    group = etree.SubElement(meta, "custom-meta-group")
    for key, value in (("source-sha256", "ab" * 32), ("source-page-count", "53")):
        item = etree.SubElement(group, "custom-meta")
        etree.SubElement(item, "meta-name").text = key
        etree.SubElement(item, "meta-value").text = value
    body = "".join(tree(render_html(jats)).find("h:body", NS).itertext())
    assert "ab" * 32 not in body and "sha256" not in body and "page-count" not in body
    assert "Board of Directors" in body  # reader-facing custom metadata stays


def test_rendering_leaves_the_jats_unchanged():
    jats = sample_jats()
    paragraph = jats.getroot().find(".//body//p")
    note = etree.SubElement(paragraph, "fn")  # an inline note without an id
    etree.SubElement(note, "p").text = "An inline note."
    before = etree.tostring(jats)
    render_html(jats)
    assert etree.tostring(jats) == before


def test_page_breaks_only_with_a_layout_sidecar(pages):
    assert not tree(pages["sample"]).xpath("//*[@role='doc-pagebreak']")


def test_a_table_that_scrolls_can_be_reached_by_keyboard_and_is_named(pages):
    """A table wider than the screen scrolls inside its wrapper (the stylesheet): the wrapper
    takes keyboard focus, and a screen reader hears the table's caption as its name."""
    html = tree(pages["jose"])
    wrappers = html.xpath("//h:div[@class='table-wrap']", namespaces=NS)
    assert wrappers
    for wrapper in wrappers:
        assert wrapper.get("tabindex") == "0"
        caption = wrapper.find("h:table/h:caption", NS)
        assert wrapper.get("role") == "region"
        assert wrapper.get("aria-labelledby") == caption.get("id")


def test_white_space_in_a_link_address_is_dropped():
    """A URL broken over two lines in the JATS ("https:// www…") is one address in the HTML:
    EPUBCheck rejects a link whose address holds a space."""
    from sample_jats import link

    jats = sample_jats()
    paragraph = jats.getroot().find(".//body//p")
    paragraph.append(link("https:// example.org/ water\n policy", "the water policy"))
    html = tree(render_html(jats))
    hrefs = html.xpath("//h:a[@class='ext-link'][. = 'the water policy']/@href", namespaces=NS)
    assert hrefs == ["https://example.org/waterpolicy"]
