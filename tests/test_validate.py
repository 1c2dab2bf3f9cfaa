"""DTD choice, DTD validity of the DESIGN.md report shape, and the `jatsflow validate` output.

REPORT is the smallest complete report in the shape of DESIGN.md. It is the executable form of the
element-order notes in schemas/README.md: the writer's output must look like this.
"""

import io
import json
from pathlib import Path

import pytest
from conftest import SHARED

from flows.validate import load_dtd, run_validate, validate_jats
from flows.xmlsafe import choose_dtd, parse_xml

# ../shared beside the checkout (conftest.SHARED); a missing folder fails the test below.
PAIRS_DIR = SHARED / "pairs"
PAIRS = sorted(PAIRS_DIR.glob("*/paper.jats.xml"))
ARCHIVING_13 = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.3 20210610//EN"
ARCHIVING_14 = "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.4 20241031//EN"
PUBLISHING_11 = "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN"

PROCESSING_META = """<processing-meta tagset-family="jats" base-tagset="archiving">
    <custom-meta-group><custom-meta><meta-name>generator</meta-name>
      <meta-value>jatsflow 0.1.0</meta-value></custom-meta></custom-meta-group>
  </processing-meta>"""
ESSAY_ABSTRACT = """<abstract abstract-type="executive-summary">
        <sec><title>Main Argument</title><p>The argument.</p>
          <list list-type="bullet"><list-item><p>A point.</p></list-item></list></sec>
      </abstract>"""
SIG_BLOCK = "<sig-block><sig>Jane Doe, President</sig></sig-block>"
ESSAY_CONTRIBS = '<contrib-group><contrib contrib-type="author"><name><surname>Roe'
ARTICLE_META_CUSTOM = """<custom-meta-group>
        <custom-meta><meta-name>source-sha256</meta-name><meta-value>9f86d0</meta-value></custom-meta>
      </custom-meta-group>"""

REPORT = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "{ARCHIVING_13}"
  "https://jats.nlm.nih.gov/archiving/1.3/JATS-archivearticle1-3.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML"
    dtd-version="1.3" article-type="report" xml:lang="en">
  {PROCESSING_META}
  <front>
    <journal-meta>
      <journal-title-group><journal-title>Report Series</journal-title></journal-title-group>
      <publisher><publisher-name>The Bureau</publisher-name><publisher-loc>Seattle</publisher-loc>
      </publisher>
    </journal-meta>
    <article-meta>
      <title-group><article-title>The Report</article-title><subtitle>A Subtitle</subtitle>
      </title-group>
      <contrib-group><contrib contrib-type="author"><name><surname>Doe</surname>
        <given-names>Jane</given-names></name></contrib></contrib-group>
      <pub-date publication-format="print" date-type="pub"><month>3</month><year>2024</year>
      </pub-date>
      <issue>107</issue>
      <permissions><copyright-statement>© 2024 The Bureau</copyright-statement>
        <copyright-year>2024</copyright-year><copyright-holder>The Bureau</copyright-holder>
      </permissions>
      <abstract><p>What the report is about.</p></abstract>
      {ARTICLE_META_CUSTOM}
    </article-meta>
    <notes notes-type="board"><title>Board</title><p>A. Member, B. Member</p></notes>
  </front>
  <body>
    <sec sec-type="foreword" id="foreword"><title>Foreword</title>
      <p>Opening words<xref ref-type="fn" rid="fn1">1</xref>.</p>
    </sec>
    {SIG_BLOCK}
  </body>
  <back>
    <fn-group><fn id="fn1"><label>1</label><p>See <ext-link ext-link-type="uri"
      xlink:href="https://example.org/">example.org</ext-link>.</p></fn></fn-group>
  </back>
  <sub-article article-type="research-article" id="essay1" xml:lang="en">
    <front-stub>
      <title-group><article-title>An Essay</article-title></title-group>
      {ESSAY_CONTRIBS}</surname>
        <given-names>Richard</given-names></name><bio><p>Richard Roe is a fellow.</p></bio>
        <email>roe@example.org</email></contrib></contrib-group>
      {ESSAY_ABSTRACT}
    </front-stub>
    <body>
      <sec id="essay1-s1"><title>Introduction</title>
        <p>Body text<xref ref-type="fn" rid="essay1-fn1">1</xref> in <italic>italic</italic>.</p>
        <disp-quote><p>A quotation.</p></disp-quote>
        <sec id="essay1-s1-1"><title>A Subsection</title><p>More text.</p></sec>
      </sec>
    </body>
    <back><fn-group><fn id="essay1-fn1"><label>1</label><p>An essay note.</p></fn></fn-group></back>
  </sub-article>
</article>
"""


def _move(text: str, fragment: str, before: str) -> str:
    """REPORT with ``fragment`` cut out and pasted in front of the first ``before``."""
    cut = text.replace(fragment, "", 1)
    assert fragment in text and before in cut
    return cut.replace(before, fragment + before, 1)


def _doctype_doc(public_id: str = "", system_id: str = "x.dtd", version: str = "") -> str:
    doctype = f'<!DOCTYPE article PUBLIC "{public_id}" "{system_id}">' if public_id else ""
    attr = f' dtd-version="{version}"' if version else ""
    return f"{doctype}<article{attr}/>"


def test_minimal_report_document_is_valid() -> None:
    result = validate_jats(parse_xml(REPORT.encode()))
    assert result.dtd == "dtd-1.3/JATS-archivearticle1-3.dtd" and result.dtd_note == ""
    assert result.errors == [] and result.valid
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.passed


def test_minimal_report_document_is_valid_as_jats_14() -> None:
    text = REPORT.replace(ARCHIVING_13, ARCHIVING_14).replace('version="1.3"', 'version="1.4"')
    result = validate_jats(parse_xml(text.encode()))
    assert result.dtd == "dtd-1.4/JATS-archivearticle1-4.dtd"
    assert result.passed, result.errors


@pytest.mark.parametrize(
    "broken",
    [
        _move(REPORT, PROCESSING_META, "<title-group><article-title>The Report"),
        _move(REPORT, PROCESSING_META, "<body>"),
        _move(REPORT, ESSAY_ABSTRACT, ESSAY_CONTRIBS),
        _move(REPORT, ARTICLE_META_CUSTOM, "<abstract><p>What"),
        _move(REPORT, "<issue>107</issue>", '<pub-date publication-format="print"'),
        _move(REPORT, "<label>1</label>", "</fn></fn-group></back>\n  </sub-article>"),
        _move(REPORT, SIG_BLOCK, "</sec>\n    \n  </body>"),
    ],
    ids=[
        "processing-meta-in-article-meta",
        "processing-meta-after-front",
        "front-stub-abstract-before-contrib-group",
        "custom-meta-group-before-abstract",
        "issue-before-pub-date",
        "fn-label-after-p",
        "sig-block-inside-sec",
    ],
)
def test_element_order_documented_in_schemas_readme(broken: str) -> None:
    result = validate_jats(parse_xml(broken.encode()))
    assert not result.valid
    assert all(isinstance(line, int) and line > 0 for line, _ in result.errors)


@pytest.mark.parametrize(
    "document, dtd, note",
    [
        (_doctype_doc(ARCHIVING_13), "dtd-1.3/JATS-archivearticle1-3.dtd", ""),
        (_doctype_doc(ARCHIVING_14), "dtd-1.4/JATS-archivearticle1-4.dtd", ""),
        (_doctype_doc(version="1.4"), "dtd-1.4/JATS-archivearticle1-4.dtd", ""),
        (
            _doctype_doc(ARCHIVING_13.replace("DTD v1.3", "DTD with MathML3 v1.3")),
            "dtd-1.3/JATS-archivearticle1-3-mathml3.dtd",
            "",
        ),
        (
            _doctype_doc("-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.4 20241031//EN"),
            "dtd-1.4/JATS-journalpublishing1-4.dtd",
            "",
        ),
        (
            _doctype_doc(PUBLISHING_11, "JATS-journalpublishing1.dtd", "1.1"),
            "dtd-1.3/JATS-journalpublishing1-3.dtd",
            "no DTD for JATS 1.1 in schemas/; checked against 1.3",
        ),
        (
            _doctype_doc("-//NLM//DTD Journal Archiving and Interchange DTD v3.0 20080202//EN"),
            "dtd-1.3/JATS-archivearticle1-3.dtd",
            "no DTD for NLM 3.0",
        ),
        (
            _doctype_doc(version="1.5"),
            "dtd-1.4/JATS-archivearticle1-4.dtd",
            "no DTD for JATS 1.5 in schemas/; checked against 1.4",
        ),
        (_doctype_doc(), "dtd-1.3/JATS-archivearticle1-3.dtd", "no version"),
    ],
    ids=[
        "archiving-1.3",
        "archiving-1.4",
        "dtd-version-only",
        "mathml3",
        "publishing-1.4",
        "jats-1.1-falls-back",
        "nlm-3.0-falls-back",
        "jats-1.5-falls-back",
        "unversioned",
    ],
)
def test_dtd_choice(document: str, dtd: str, note: str) -> None:
    choice = choose_dtd(parse_xml(document.encode()))
    assert choice.path.relative_to(choice.path.parents[1]).as_posix() == dtd
    assert choice.path.is_file()
    assert (note in choice.note) if note else choice.note == ""


def test_loaded_dtds_are_cached() -> None:
    path = choose_dtd(parse_xml(REPORT.encode())).path
    assert load_dtd(path) is load_dtd(path)


def _run(paths: list[Path], as_json: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    return run_validate(paths, as_json, out=out), out.getvalue()


def test_cli_passes_a_valid_file_and_warnings_do_not_fail(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(REPORT.replace('<p>More text.</p>', '<p>More text.</p><fig id="f1"/>'))
    code, text = _run([path])
    assert code == 0
    verdict = f"PASS {path}: valid against JATS 1.3 Archiving; 0 rule errors, 1 warning"
    assert text.startswith(verdict)
    assert f"{path}:" in text and "[fig-caption] (warning) fig needs a caption" in text


def test_cli_lists_dtd_errors_and_rule_errors_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(REPORT.replace(' xml:lang="en">\n  <processing', ">\n  <processing").replace(
        "<issue>107</issue>", "<issue>107</issue><bogus/>"
    ))
    code, text = _run([path])
    assert code == 1
    assert text.splitlines()[0].startswith(f"FAIL {path}: 2 DTD errors against JATS 1.3 Archiving")
    line = parse_xml(path).getroot().sourceline
    assert f"{path}:{line}: [root-lang] <article> has no xml:lang" in text
    assert "[dtd] No declaration for element bogus" in text


def test_cli_reports_unsafe_and_missing_files_in_one_line(tmp_path: Path, capsys) -> None:
    unsafe = tmp_path / "xxe.xml"
    unsafe.write_text('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    code, text = _run([unsafe, tmp_path / "missing.xml"])
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and "Traceback" not in text
    assert lines[0].startswith(f"jatsflow: {unsafe}: refused: declares external entity 'x'")
    assert lines[1].startswith(f"jatsflow: {tmp_path / 'missing.xml'}: cannot read")


def test_cli_json_output(tmp_path: Path) -> None:
    good, unsafe = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(REPORT)
    unsafe.write_bytes(b"<not-xml")
    code, text = _run([good, unsafe], as_json=True)
    reports = json.loads(text)
    assert code == 1
    assert reports[0]["passed"] and reports[0]["dtd"] == "dtd-1.3/JATS-archivearticle1-3.dtd"
    assert reports[0]["dtd_errors"] == [] and reports[0]["findings"] == []
    assert reports[1]["passed"] is False and "not well-formed" in reports[1]["error"]


def test_the_pairs_are_there() -> None:
    """The shared truth files must be beside the checkout: no data is a failure, not a skip."""
    assert PAIRS, f"no */paper.jats.xml under {PAIRS_DIR}"


@pytest.mark.parametrize("path", PAIRS, ids=[path.parent.name for path in PAIRS])
def test_every_truth_file_gets_a_verdict(path: Path) -> None:
    """Publishers' JATS 1.1/1.2 files: checked against 1.3 Publishing, the fallback said aloud."""
    code, text = _run([path], as_json=True)
    (report,) = json.loads(text)
    assert code == (0 if report["passed"] else 1)
    assert "error" not in report, report.get("error")
    assert report["dtd"].startswith("dtd-1.3/JATS-journalpublishing1-3")
    assert report["dtd_note"].startswith("no DTD for JATS 1.")
    assert report["valid"], report["dtd_errors"][:3]
