"""Accessibility report over real outputs, with the real checkers (axe-core in Chromium,
EPUBCheck, DAISY Ace, pikepdf)."""

import ast
import json
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree
from sample_jats import sample_jats, truth
from test_render_epub import SOURCE, sample_sidecar
from weasyprint import HTML

from flows import accessibility, checkers
from flows.accessibility import (
    FAIL,
    NOT_RUN,
    PASS,
    REFLOW_WIDTH,
    check_epub,
    check_html,
    check_outputs,
    check_pdf,
    check_text,
    summary_markdown,
    warm_up,
)
from flows.render_epub import epub_metadata, render_epub
from flows.render_html import render_html, write_css
from flows.render_pdf import print_footnotes, render_pdf
from flows.render_text import render_text

ROOT = Path(__file__).resolve().parents[1]
CHECKER_MODULES = ["accessibility.py", "check_pdf.py", "check_report.py", "checkers.py"]


def publish(folder, jats, stem, sidecar=None):
    """All outputs for one document in one folder, as the flow writes them."""
    jats.write(str(folder / f"{stem}.xml"), encoding="utf-8", xml_declaration=True)
    write_css(folder)
    html = folder / f"{stem}.html"
    html.write_text(render_html(jats, sidecar=sidecar), encoding="utf-8")
    render_pdf(html, folder / f"{stem}.pdf", source_date_epoch=1_557_000_000)
    (folder / f"{stem}.txt").write_text(render_text(jats), encoding="utf-8")
    render_epub(html, folder / f"{stem}.epub", **epub_metadata(jats),
                identifier=f"urn:jatsflow:{stem}", modified="2019-05-04T20:00:00Z",
                source=SOURCE if sidecar else "", conforms=True)
    return folder


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    folder = publish(tmp_path_factory.mktemp("sample"), sample_jats(), "sample",
                     sample_sidecar())
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
    assert html["tool"].startswith("axe-core") and html["checks"][-3]["checked"] > 10
    assert "DAISY Ace" in report["outputs"]["epub"]["tool"]
    assert report["conformance"]["backed"]


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
    headings = [h.text for h in root.iter("h2")]
    assert headings[:2] == ["Conformance claim", "Still to check by a person"]
    assert "HTML (web page): sample.html" in headings
    assert "Footnotes tagged Note" in page
    assert "0 checked" not in page and "No problems found" in page
    for output in report["outputs"].values():  # who checked it and what it cannot see
        assert output["tool"] and output["cannot_check"]
    assert report["outputs"]["pdf"]["verdict"] == (
        "structure checks passed (no PDF/UA validator available)")
    assert "PDF/UA validator" in page and len(report["human_checks"]) >= 3
    markdown = summary_markdown(report)
    assert markdown.startswith("# Accessibility: sample")
    assert "| PDF/UA (print) |" in markdown and "To fix" not in markdown


def test_checkers_never_import_a_renderer():
    for name in CHECKER_MODULES:
        tree = ast.parse((ROOT / "flows" / name).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                     for alias in node.names}
        assert not {m for m in imported if m and m.startswith("flows.render")}, name


def test_reflow_fails_when_a_long_string_cannot_wrap(sample_report, tmp_path):
    folder = sample_report[0]
    checks = {c["id"]: c for c in check_html(folder / "sample.html")[0]}
    assert checks["reflow"]["status"] == PASS
    width = int(re.search(r"page width (\d+) px", checks["reflow"]["title"]).group(1))
    assert width <= REFLOW_WIDTH
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><html lang="en"><head><title>Wide</title></head><body>'
                    '<main><h1>Wide</h1><p style="white-space: nowrap">' + "x" * 400 +
                    "</p></main></body></html>", encoding="utf-8")
    checks = {c["id"]: c for c in check_html(wide)[0]}
    assert checks["reflow"]["status"] == FAIL


def test_ace_finds_a_page_list_without_its_source_edition(sample_report, tmp_path):
    """DAISY Ace is really run: a page list whose print edition is not named is a violation."""
    folder = sample_report[0]
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(folder / "sample.epub") as source, \
            zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".opf"):
                data = re.sub(rb"<dc:source>.*?</dc:source>|<meta property=\"pageBreakSource\""
                              rb">.*?</meta>", b"", data)
            target.writestr(info, data)
    # checked at the same time as the sound book: Ace runs both at once, and each check
    # gets its own book's answer
    with ThreadPoolExecutor(max_workers=2) as pool:
        both = [pool.submit(check_epub, path) for path in (broken, folder / "sample.epub")]
        checks, sound = ({c["id"]: c for c in future.result()[0]} for future in both)
    assert checks["ace"]["status"] == FAIL
    assert any("epub-pagesource" in p["fix"] for p in checks["ace"]["problems"])
    assert checks["epubcheck-errors"]["status"] == PASS
    assert sound["ace"]["status"] == PASS


def test_pdf_keeps_print_pages_paragraphs_and_link_words(sample_report):
    folder = sample_report[0]
    checks = {c["id"]: c for c in check_pdf(folder / "sample.pdf", folder / "sample.html")[0]}
    for check_id in ("pdf-page-labels", "pdf-paragraphs", "pdf-link-text", "pdf-toc",
                     "pdf-blockquote"):
        assert checks[check_id]["status"] == PASS, checks[check_id]


def test_checkers_are_shared_and_closed(sample_report):
    folder = sample_report[0]
    check_html(folder / "sample.html")
    browser = checkers.BROWSER._thread
    check_html(folder / "sample.html")
    assert checkers.BROWSER._thread is browser and browser.is_alive()
    check_epub(folder / "sample.epub")
    ace = checkers.ACE._process
    check_epub(folder / "sample.epub")
    assert checkers.ACE._process is ace and ace.poll() is None
    checkers.close_checkers()
    assert ace.poll() is not None and not browser.is_alive()


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
    assert checks["pdf-link-text"]["status"] == FAIL  # WeasyPrint describes links by id
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
    assert "not run: only.html was not produced" in summary_markdown(report)
    assert not report["conformance"]["backed"]


def test_warm_up_starts_every_checker_on_a_valid_book(tmp_path):
    """Warming leaves Chromium, Ace and EPUBCheck running for the first real check, and its
    book is one EPUBCheck accepts (so it loads the schemas a real book needs)."""
    checkers.close_checkers()
    warm_up()
    accessibility._warming.join(timeout=600)
    assert checkers.BROWSER.running and checkers.ACE.running and checkers.EPUBCHECK.running
    ace, epubcheck = checkers.ACE._process, checkers.EPUBCHECK._process
    warm_up()  # already warm: nothing new is started
    assert not accessibility._warming.is_alive()
    page, epub = checkers.warm_up_epub(tmp_path)
    messages = checkers.EPUBCHECK.check(epub)["messages"]
    assert [m for m in messages if m["severity"] in ("ERROR", "FATAL", "WARNING")] == []
    assert check_html(page)[0][-1]["status"] == PASS  # the page reflows at 320 px
    assert checkers.ACE._process is ace and checkers.EPUBCHECK._process is epubcheck
    checkers.close_checkers()
    assert not checkers.BROWSER.running and not checkers.ACE.running
