"""Each project rule fires on a small failing sample and stays quiet on the matching passing one."""

import re
from pathlib import Path

import pytest

from flows.rules import RULES, check_rules
from flows.xmlsafe import parse_xml

TITLE = "<title-group><article-title>T</article-title></title-group>"
DATE = "<pub-date><year>2024</year></pub-date>"
CITED_NOTE = (
    '<body><p>x<xref ref-type="fn" rid="n1">1</xref></p></body>'
    '<back><fn-group><fn id="n1"><label>1</label><p>n</p></fn></fn-group></back>'
)


def _doc(inner: str = "", meta: str = TITLE + DATE, lang: str = ' xml:lang="en"') -> str:
    return (
        f'<article xmlns:xlink="http://www.w3.org/1999/xlink"{lang}>'
        f"<front><article-meta>{meta}</article-meta></front>{inner}</article>"
    )


def _sub(inner: str = "", stub: str | None = None, **attrs: str) -> str:
    """A sub-article with a title and a contributor unless ``stub`` replaces its front-stub."""
    if stub is None:
        stub = (
            "<title-group><article-title>Essay</article-title></title-group>"
            "<contrib-group><contrib><name><surname>Roe</surname></name></contrib></contrib-group>"
        )
    attributes = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attrs.items())
    return f"<sub-article{attributes}><front-stub>{stub}</front-stub>{inner}</sub-article>"


def _notes(labels: list[str], prefix: str) -> str:
    """A body citing each note and a back/fn-group holding them, with the given labels."""
    calls = "".join(f'<xref ref-type="fn" rid="{prefix}{i}">{i}</xref>' for i in range(len(labels)))
    notes = "".join(
        f'<fn id="{prefix}{i}"><label>{text}</label><p>n</p></fn>' for i, text in enumerate(labels)
    )
    return f"<body><p>x{calls}</p></body><back><fn-group>{notes}</fn-group></back>"


def _body(inner: str) -> str:
    return _doc(f"<body>{inner}</body>")


def _rule_ids(document: str) -> set[str]:
    return {finding.rule for finding in check_rules(parse_xml(document.encode()))}


ESSAY_TITLE = "<title-group><article-title>E</article-title></title-group>"
IMAGE = "<graphic><alt-text>A</alt-text></graphic>"
CASES = [
    ("xref-target", _body('<p>x<xref ref-type="fn" rid="n9">1</xref></p>'), _doc(CITED_NOTE)),
    ("xref-target", _body('<p id="a">x<xref ref-type="fig" rid="a b">1</xref></p>'),
     _body('<p id="a">x<xref ref-type="fig" rid="a">1</xref></p>')),
    ("fn-referenced", _doc(CITED_NOTE.replace('"n1">1', '"p1">1').replace("<p>x", '<p id="p1">x')),
     _doc(CITED_NOTE)),
    ("fn-referenced", _doc("<back><fn-group><fn><p>orphan</p></fn></fn-group></back>"),
     _doc('<back><fn-group><fn fn-type="other" id="c"><p>Cite as</p></fn></fn-group></back>')),
    ("id-unique", _doc('<body><p id="a">x</p></body>' + _sub('<body><p id="a">y</p></body>')),
     _doc('<body><p id="a">x</p></body>' + _sub('<body><p id="b">y</p></body>'))),
    ("fn-label-sequence", _doc(_notes(["1", "3"], "a")), _doc(_notes(["1", "2"], "a"))),
    ("fn-label-sequence", _doc(_notes(["1", "1"], "a")), _doc(_notes(["*", "a"], "a"))),
    ("fn-label-sequence", _doc(_notes(["1", "2"], "a") + _sub(_notes(["2", "3"], "b"))),
     _doc(_notes(["1", "2"], "a") + _sub(_notes(["1", "2"], "b")))),
    ("no-empty", _body("<p> </p>"), _body("<p><graphic/></p>")),
    ("sec-content", _body("<sec><title>Heading only</title></sec>"),
     _body("<sec><title>H</title><sec><title>S</title><p>x</p></sec></sec>")),
    ("no-empty", _body("<sec><title/><p>x</p></sec>"),
     _body("<sec><title>H</title><p>x</p></sec>")),
    ("sub-article-title", _doc(_sub(stub=ESSAY_TITLE.replace(">E<", "> <"))), _doc(_sub())),
    ("sub-article-contrib", _doc(_sub(stub=ESSAY_TITLE)),
     _doc(_sub(stub=ESSAY_TITLE, article_type="translation"))),
    ("root-lang", _doc(lang=""), _doc()),
    ("article-title", _doc(meta=DATE), _doc()),
    ("pub-date", _doc(meta=TITLE), _doc()),
    ("fig-caption", _body(f'<fig id="f">{IMAGE}</fig>'),
     _body(f'<fig id="f"><caption><p>C</p></caption>{IMAGE}</fig>')),
    ("graphic-alt", _body("<p><inline-graphic/></p>"),
     _body("<p><inline-graphic><alt-text>A</alt-text></inline-graphic></p>")),
]
BAD_LINKS = ["www.example.org", "/relative/path", "https:// www.r-project.org/", "http:x", "c:x"]
GOOD_LINKS = ["https://example.org/a?b=c", "mailto:roe@example.org", "doi:10.1000/xyz"]
CASES += [
    ("ext-link-absolute",
     _body(f'<p><ext-link xlink:href="{bad}">x</ext-link></p>'),
     _body(f'<p><ext-link xlink:href="{good}">x</ext-link></p>'))
    for bad, good in zip(BAD_LINKS, GOOD_LINKS * 2, strict=False)
]


@pytest.mark.parametrize(
    "rule_id, failing, passing", CASES, ids=[f"{case[0]}-{n}" for n, case in enumerate(CASES)]
)
def test_rule_fails_and_passes(rule_id: str, failing: str, passing: str) -> None:
    assert rule_id in _rule_ids(failing)
    assert rule_id not in _rule_ids(passing)


def test_finding_carries_line_severity_and_element_id() -> None:
    document = _doc('<body>\n<fig id="f1"/>\n<p>x<xref rid="gone">1</xref></p></body>')
    findings = {f.rule: f for f in check_rules(parse_xml(document.encode()))}
    assert findings["fig-caption"].severity == "warning"
    assert (findings["fig-caption"].line, findings["fig-caption"].element_id) == (2, "f1")
    assert findings["xref-target"].severity == "error" and findings["xref-target"].line == 3
    assert "'gone'" in findings["xref-target"].message


def test_label_messages_name_the_gap_and_the_repeat() -> None:
    findings = check_rules(parse_xml(_doc(_notes(["2", "2", "5"], "a")).encode()))
    messages = [f.message for f in findings if f.rule == "fn-label-sequence"]
    assert messages == [
        "first note label is 2, expected 1",
        "note label 2 repeats",
        "note label 5 follows 2, expected 3",
    ]


def test_every_rule_is_documented_and_tested() -> None:
    readme = (Path(__file__).resolve().parent.parent / "schemas" / "README.md").read_text()
    documented = set(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning) \|", readme, re.MULTILINE))
    registered = {r.id for r in RULES}
    assert documented == registered
    assert {case[0] for case in CASES} == registered
    assert all(r.check.__doc__ for r in RULES)


def test_a_part_the_source_prints_untitled_is_a_warning() -> None:
    """What the source may lack is named, not withheld: a sub-article without a title."""
    findings = check_rules(parse_xml(_doc(_sub(stub="")).encode()))
    severities = {f.rule: f.severity for f in findings}
    assert severities["sub-article-title"] == "warning"
    assert all(f.severity == "warning" for f in findings)
