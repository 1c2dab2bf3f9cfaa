"""The project's rules beyond the DTD: what an archivist or a reader relies on and a DTD cannot say.

A DTD checks that a ``fn`` sits in a ``fn-group``; it cannot tell that no callout points to it, that
note 4 is missing, or that a link is relative. Each rule is one small function registered in
``RULES`` with the ``@rule`` decorator; its docstring is the rule's documentation (schemas/README.md
lists them, and a test keeps that list in step with ``RULES``). A rule yields ``(element, message)``
pairs; ``check_rules`` turns them into ``Finding`` records with the rule's id and severity.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from lxml import etree

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PART_TAGS = ("article", "sub-article", "response")

Severity = Literal["error", "warning"]
Check = Callable[[etree._Element], Iterator[tuple[etree._Element, str]]]


@dataclass(frozen=True)
class Finding:
    """One rule violation; ``line`` is the element's source line (None for built trees)."""

    rule: str
    severity: Severity
    line: int | None
    message: str
    element_id: str | None = None


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, its severity and the function that finds violations."""

    id: str
    severity: Severity
    check: Check


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity = "error") -> Callable[[Check], Check]:
    """Register a check under ``rule_id`` so check_rules runs it and the docs can list it."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, severity, check))
        return check

    return register


def check_rules(tree: etree._ElementTree) -> list[Finding]:
    """Run every rule in RULES over the document; findings come back in source-line order."""
    root = tree.getroot()
    findings = [
        Finding(r.id, r.severity, element.sourceline, message, element.get("id"))
        for r in RULES
        for element, message in r.check(root)
    ]
    return sorted(findings, key=lambda finding: finding.line or 0)


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _has_child_elements(element: etree._Element) -> bool:
    return any(isinstance(child.tag, str) for child in element)


def _part(element: etree._Element) -> etree._Element:
    """The article or sub-article an element belongs to (note numbering restarts per part)."""
    return next(element.iterancestors(*PART_TAGS), element.getroottree().getroot())


def _is_callout_note(fn: etree._Element) -> bool:
    """A footnote reached from a callout, as opposed to metadata notes (author notes, table notes,
    or any ``@fn-type`` such as conflict, edited-by, other) that are shown where they stand."""
    return fn.get("fn-type") is None and next(
        fn.iterancestors("author-notes", "table-wrap-foot"), None
    ) is None


def _rids(root: etree._Element) -> set[str]:
    return {rid for xref in root.iter("xref") for rid in xref.get("rid", "").split()}


@rule("xref-target")
def xref_target(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every ``xref/@rid`` (each space-separated id) names an element ``@id`` in the document."""
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    for xref in root.iter("xref"):
        for rid in xref.get("rid", "").split():
            if rid not in ids:
                yield xref, f"xref points to id {rid!r}, which no element has"


@rule("fn-referenced", "warning")
def fn_referenced(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every footnote is the target of an xref; a note nobody cites has lost its place in the text.

    Author notes, table-foot notes and notes with an ``@fn-type`` are metadata and exempt.
    """
    cited = _rids(root)
    for fn in root.iter("fn"):
        if not _is_callout_note(fn):
            continue
        if fn.get("id") is None:
            yield fn, "fn has no @id, so no xref can point to it"
        elif fn.get("id") not in cited:
            yield fn, f"fn {fn.get('id')!r} is not referenced by any xref"


@rule("id-unique")
def id_unique(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every ``@id`` is unique across the whole document, sub-articles included."""
    first_line: dict[str, int | None] = {}
    for element in root.iter():
        element_id = element.get("id")
        if element_id is None:
            continue
        if element_id in first_line:
            yield element, f"id {element_id!r} is already used (line {first_line[element_id]})"
        else:
            first_line[element_id] = element.sourceline


@rule("fn-label-sequence", "warning")
def fn_label_sequence(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """In each part (the article's own body/back, each sub-article) numeric note labels run 1..n.

    A gap or a repeat means a note was lost or attached to the wrong part. Non-numeric labels
    (*, a, i) are not counted.
    """
    for part in (root, *root.iter("sub-article", "response")):
        expected, previous = 1, None
        for fn in part.iter("fn"):
            label = _text(fn.find("label")).rstrip(".")
            if _part(fn) is not part or not _is_callout_note(fn) or not label.isdigit():
                continue
            number = int(label)
            if number == previous:
                yield fn, f"note label {number} repeats"
            elif previous is None and number != 1:
                yield fn, f"first note label is {number}, expected 1"
            elif number != expected:
                yield fn, f"note label {number} follows {previous}, expected {expected}"
            expected, previous = number + 1, number


@rule("no-empty")
def no_empty(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """No ``p`` or ``title`` is empty."""
    for element in root.iter("p", "title"):
        if not _has_child_elements(element) and not _text(element):
            yield element, f"empty <{element.tag}>"


@rule("sec-content", "warning")
def sec_content(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """A ``sec`` holds more than its heading (a lone heading may be a misread line)."""
    for sec in root.iter("sec"):
        if not any(
            isinstance(child.tag, str) and child.tag not in ("sec-meta", "label", "title")
            for child in sec
        ):
            yield sec, "sec has no content besides its heading"


def _stub_path(sub: etree._Element, path: str) -> list[etree._Element]:
    return sub.xpath(f"front-stub/{path} | front/article-meta/{path}")


@rule("sub-article-title", "warning")
def sub_article_title(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every ``sub-article`` has a non-empty ``article-title`` in its front-stub (or front).

    A part whose title the source does not print, or that was misread, is named, not withheld.
    """
    for sub in root.iter("sub-article"):
        if not any(_text(title) for title in _stub_path(sub, "title-group/article-title")):
            yield sub, "sub-article has no article-title"


@rule("sub-article-contrib", "warning")
def sub_article_contrib(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every ``sub-article`` names a ``contrib``; translations are exempt (they inherit authors)."""
    for sub in root.iter("sub-article"):
        if sub.get("article-type") == "translation":
            continue
        if not _stub_path(sub, "contrib-group/contrib"):
            yield sub, "sub-article has no contributor (front-stub/contrib-group/contrib)"


@rule("root-lang")
def root_lang(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The root element carries ``xml:lang``: readers, screen readers and hyphenation need it."""
    if not root.get(XML_LANG, "").strip():
        yield root, f"<{root.tag}> has no xml:lang"


@rule("article-title")
def article_title(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """``front/article-meta/title-group/article-title`` is present and not empty."""
    if not _text(root.find("front/article-meta/title-group/article-title")):
        yield root, "no front/article-meta/title-group/article-title"


@rule("pub-date", "warning")
def pub_date(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """``front/article-meta/pub-date`` is present: an archive record needs a date."""
    if root.find("front/article-meta/pub-date") is None:
        yield root, "no front/article-meta/pub-date"


def is_absolute_uri(href: str) -> bool:
    """A scheme, a host for http/https/ftp, no whitespace; the JATS writer asks the same."""
    parts = urlsplit(href)
    return (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]+", parts.scheme) is not None
        and re.search(r"\s", href) is None
        and (bool(parts.netloc) or parts.scheme.lower() not in ("http", "https", "ftp"))
    )


@rule("ext-link-absolute")
def ext_link_absolute(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Every ``ext-link/@xlink:href`` is an absolute URI (scheme, host for http, no spaces).

    A relative or mangled link resolves against wherever the file happens to be read.
    """
    for link in root.iter("ext-link"):
        href = link.get(XLINK_HREF)
        if href is None:
            yield link, "ext-link has no xlink:href"
        elif not is_absolute_uri(href):
            yield link, f"ext-link href {href!r} is not an absolute URI"


@rule("fig-caption", "warning")
def fig_caption(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """A ``fig`` without a ``caption`` needs one: the caption is what a reader without it gets."""
    for fig in root.iter("fig"):
        if fig.find("caption") is None:
            yield fig, "fig needs a caption"


@rule("graphic-alt", "warning")
def graphic_alt(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """A ``graphic``/``inline-graphic`` without ``alt-text`` or ``long-desc`` needs alt text."""
    for graphic in root.iter("graphic", "inline-graphic"):
        if graphic.find("alt-text") is None and graphic.find("long-desc") is None:
            yield graphic, f"{graphic.tag} needs alt text (alt-text)"
