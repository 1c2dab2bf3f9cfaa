"""Accessibility report over real outputs, with the real checkers (axe-core, EPUBCheck, pikepdf)."""

import json

import pytest
from lxml import etree
from sample_jats import sample_jats, truth
from weasyprint import HTML

from flows.accessibility import (
    FAIL,
    NOT_RUN,
    PASS,
    check_outputs,
    check_pdf,
    check_text,
    summary_markdown,
)
from flows.render_epub import render_epub
from flows.render_html import render_html, write_css
from flows.render_pdf import print_footnotes, render_pdf
from flows.render_text import render_text


def publish(folder, jats, stem):
    """All outputs for one document in one folder, as the flow writes them."""
    jats.write(str(folder / f"{stem}.xml"), encoding="utf-8", xml_declaration=True)
    write_css(folder)
    html = folder / f"{stem}.html"
    html.write_text(render_html(jats), encoding="utf-8")
    render_pdf(html, folder / f"{stem}.pdf", source_date_epoch=1_557_000_000)
    (folder / f"{stem}.txt").write_text(render_text(jats), encoding="utf-8")
    render_epub(html, folder / f"{stem}.epub", title=stem, language="en",
                identifier=f"urn:jatsflow:{stem}", modified="2019-05-04T20:00:00Z")
    return folder


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    folder = publish(tmp_path_factory.mktemp("sample"), sample_jats(), "sample")
    return folder, check_outputs(folder, "sample")


@pytest.fixture(scope="module")
def tinf_folder(tmp_path_factory):
    return publish(tmp_path_factory.mktemp("tinf"), truth("2318-0889-tinf-33-e200057"), "tinf")


def failures(report):
    return {(kind, check["id"]): check["problems"] for kind, output in report["outputs"].items()
            for check in output["checks"] if check["status"] != PASS}


def test_every_output_passes_every_check(sample_report):
    report = sample_report[1]
    assert failures(report) == {}
    assert report["summary"] == {PASS: 4}
    html = report["outputs"]["html"]
    assert html["tool"].startswith("axe-core") and html["checks"][-2]["count"] > 10


def test_truth_file_outputs_pass_too(tinf_folder):
    report = check_outputs(tinf_folder, "tinf")
    assert failures(report) == {}


def test_reports_are_written_for_a_reviewer(sample_report):
    folder, report = sample_report
    assert json.loads((folder / "accessibility.json").read_text()) == report
    page = (folder / "accessibility.html").read_text()
    root = etree.fromstring(page.split("\n", 1)[1], etree.HTMLParser())
    assert root.get("lang") == "en"
    assert root.findtext(".//title").startswith("Accessibility report")
    assert [h.text for h in root.iter("h2")][:2] == ["HTML (web page): sample.html",
                                                      "EPUB 3 (e-book): sample.epub"]
    assert "Footnotes tagged Note" in page
    markdown = summary_markdown(report)
    assert markdown.startswith("# Accessibility: sample")
    assert "| PDF/UA (print) |" in markdown and "To fix" not in markdown


def test_untagged_footnotes_fail_the_pdf_check(tmp_path):
    """WeasyPrint's own tagging (no repair pass) must not pass: the check can fail."""
    write_css(tmp_path)
    html = tmp_path / "raw.html"
    html.write_text(render_html(sample_jats()), encoding="utf-8")
    page = etree.parse(str(html)).getroot()
    print_footnotes(page)
    HTML(string=etree.tostring(page, encoding="unicode"),
         base_url=tmp_path.as_uri() + "/").write_pdf(tmp_path / "raw.pdf", pdf_variant="pdf/ua-1")
    checks = {c["id"]: c for c in check_pdf(tmp_path / "raw.pdf", html)[0]}
    assert checks["pdf-notes"]["status"] == FAIL
    assert checks["pdf-artifacts"]["status"] == FAIL
    assert checks["pdf-headings"]["status"] == PASS


def test_text_problems_are_located(tmp_path):
    text = tmp_path / "bad.txt"
    text.write_text("short line\n" + "word " * 20 + "\n\tindented\n", encoding="utf-8")
    checks = {c["id"]: c for c in check_text(text)[0]}
    assert checks["text-width"]["status"] == FAIL
    assert checks["text-width"]["problems"][0]["where"] == "line 2"
    assert checks["text-control"]["problems"][0]["where"] == "line 3"


def test_missing_outputs_are_not_run_not_passed(tmp_path):
    (tmp_path / "only.txt").write_text("Hello.\n", encoding="utf-8")
    report = check_outputs(tmp_path, "only")
    statuses = {kind: output["status"] for kind, output in report["outputs"].items()}
    assert statuses == {"html": NOT_RUN, "epub": NOT_RUN, "pdf": NOT_RUN, "text": PASS}
    assert report["outputs"]["pdf"]["reason"] == "only.pdf was not produced"
    assert "not run (only.html was not produced)" in summary_markdown(report)
