"""A small multi-essay report in JATS 1.3, built in code, and a loader for the truth files.

The report has everything the renderers must handle: front matter with a board list, a
foreword with two notes, two essays (sub-articles) each with an executive summary, nested
sections, a bullet list, a block quote, an ext-link, italics and notes numbered from 1.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

XLINK = "http://www.w3.org/1999/xlink"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
PAIRS = Path(__file__).resolve().parent.parent.parent / "shared" / "pairs"


def el(tag: str, *children, **attrs) -> etree._Element:
    """Element with text and child elements given in order (strings become text)."""
    node = etree.Element(tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    for child in children:
        if isinstance(child, str):
            if len(node):
                node[-1].tail = (node[-1].tail or "") + child
            else:
                node.text = (node.text or "") + child
        else:
            node.append(child)
    return node


def name(given: str, surname: str) -> etree._Element:
    return el("name", el("surname", surname), el("given-names", given))


def note(note_id: str, label: str, *content) -> etree._Element:
    return el("fn", el("label", label), el("p", *content), id=note_id)


def callout(note_id: str, label: str) -> etree._Element:
    return el("xref", label, ref_type="fn", rid=note_id)


def link(url: str, text: str) -> etree._Element:
    anchor = el("ext-link", text, ext_link_type="uri")
    anchor.set(f"{{{XLINK}}}href", url)
    return anchor


def sec(title: str, *content, **attrs) -> etree._Element:
    return el("sec", el("title", title), *content, **attrs)


def bullets(*items: str) -> etree._Element:
    return el("list", *(el("list-item", el("p", item)) for item in items), list_type="bullet")


def front() -> etree._Element:
    board = el("custom-meta-group",
               el("custom-meta", el("meta-name", "Board of Directors"),
                  el("meta-value", "Ada Lovelace (Chair); Charles Babbage")),
               el("custom-meta", el("meta-name", "Honorary Directors"),
                  el("meta-value", "Grace Hopper")))
    meta = el(
        "article-meta",
        el("title-group", el("article-title", "Rivers and Borders"),
           el("subtitle", "Perspectives from Three Capitals")),
        el("contrib-group",
           el("contrib", name("Mara", "Lind"), contrib_type="author"),
           el("contrib", name("Kenji", "Sato"), contrib_type="author")),
        el("pub-date", el("month", "5"), el("year", "2019"), publication_format="print"),
        el("issue", "79"),
        el("permissions",
           el("copyright-statement", "© 2019 by the Example Research Bureau"),
           el("copyright-year", "2019"),
           el("copyright-holder", "Example Research Bureau")),
        board)
    journal = el("journal-meta",
                 el("journal-title-group", el("journal-title", "Example Special Report")),
                 el("publisher", el("publisher-name", "Example Research Bureau"),
                    el("publisher-loc", "Seattle")))
    return el("front", journal, meta)


def foreword() -> etree._Element:
    return sec(
        "Foreword",
        el("p", "Rivers shape borders more than treaties do.", callout("fw-fn1", "1"),
           " This report gathers three views of one long frontier."),
        el("p", "The essays were written in ", el("italic", "2018"),
           " and revised after a workshop.", callout("fw-fn2", "2")),
        el("p", "Mara Lind, Director of Studies"),
        sec_type="foreword", id="foreword")


def essay(prefix: str, title: str, author: tuple[str, str], topic: str) -> etree._Element:
    given, surname = author
    stub = el(
        "front-stub",
        el("title-group", el("article-title", title)),
        el("contrib-group", el(
            "contrib", name(given, surname),
            el("bio", el("p", f"{given} {surname} is a fellow who studies {topic}.")),
            el("email", f"{surname.lower()}@example.org"), contrib_type="author")),
        el("abstract",
           sec("Main Argument", el("p", f"The {topic} question decides the frontier.")),
           sec("Policy Implications",
               bullets(f"Watch the {topic} data.", "Talk before building dams.")),
           abstract_type="executive-summary"))
    body = el(
        "body",
        sec("Introduction",
            el("p", f"Two states share one river and its {topic}.", callout(f"{prefix}-fn1", "1"),
               " Neither can act ", el("italic", "alone"), "."),
            sec("Earlier Agreements",
                el("p", "The first accord was signed in 1991.", callout(f"{prefix}-fn2", "2")),
                el("disp-quote", el("p", "Water does not wait for ministers.")),
                id=f"{prefix}-s1-1"),
            id=f"{prefix}-s1"),
        sec("Outlook",
            el("p", "Three lessons follow:"),
            bullets("Share the gauges.", "Fund the basin commission.", "Publish the flows."),
            el("p", "None of this is new, but all of it is urgent."),
            id=f"{prefix}-s2"))
    back = el("back", el(
        "fn-group",
        note(f"{prefix}-fn1", "1", "See the basin atlas at ",
             link("https://example.org/atlas", "https://example.org/atlas"), "."),
        note(f"{prefix}-fn2", "2", "Treaty text in ", el("italic", "Accords of 1991"), ", 12.")))
    return el("sub-article", stub, body, back, article_type="research-article", id=prefix)


def sample_jats() -> etree._ElementTree:
    """The sample report as a parsed JATS tree (a fresh copy each call)."""
    article = el(
        "article", front(), el("body", foreword()),
        el("back", el("fn-group",
                      note("fw-fn1", "1", "Borders here follow the thalweg."),
                      note("fw-fn2", "2", "Workshop held in Seattle, ",
                           el("italic", "March 2018"), "."))),
        essay("e1", "Upstream Views", ("Ivan", "Petrov"), "sediment"),
        essay("e2", "Downstream Views", ("Li", "Wei"), "flood"),
        article_type="research-article", dtd_version="1.3")
    article.set(XML_LANG, "en")
    return etree.ElementTree(etree.fromstring(etree.tostring(article)))


class _LocalDtd(etree.Resolver):
    """Resolve any JATS DTD reference to the JATS 1.3 DTD in schemas/ (for named entities)."""

    def resolve(self, system_url, public_id, context):
        if system_url and system_url.endswith(".dtd") and "dtd-1.3" not in system_url:
            dtd = SCHEMAS / "dtd-1.3" / "JATS-archivearticle1-3.dtd"
            return self.resolve_filename(str(dtd), context)
        return None


def load_jats(path: Path) -> etree._ElementTree:
    """Parse a publisher's JATS file offline; entities such as &nbsp; come from our DTD copy."""
    parser = etree.XMLParser(load_dtd=True, no_network=True, resolve_entities=True)
    parser.resolvers.add(_LocalDtd())
    return etree.parse(str(path), parser)


def truth(name: str) -> etree._ElementTree:
    """One of the development pairs' truth JATS files."""
    return load_jats(PAIRS / name / "paper.jats.xml")
