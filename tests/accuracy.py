"""`make accuracy`: the flow's accuracy on every document that has a truth, as a page to read.

Each document (the report, its editions from tests/editions.py, ../shared/pairs,
../shared/producers and ../shared/corpus) goes through the same stage functions as
flows/publish.py, without rendering: extract → layout → segment → JATS → validate. The JATS is
scored with ../shared/eval/score.py against a gold made from the truth JATS by
../shared/eval/jats2gold.py (the report and its editions have a hand-made gold), and its word
fidelity is measured as ../shared/eval/corpus_eval.py does it.

Each document runs in its own process (WORKERS at a time) with a time limit, so a document that
crashes, hangs or exhausts memory becomes a row with its error, never the end of the run.

Writes build/accuracy/accuracy.json and build/accuracy/index.html. The accuracy.json found there
before the run is kept as accuracy.previous.json and is the baseline the run is compared with.

usage: python tests/accuracy.py [--out DIR] [--baseline FILE] [--only SUBSTRING ...] [--workers N]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from forked import run_forked

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
REPORT_GOLD = SHARED / "gold" / "nbr79.json"
OUT = ROOT / "build" / "accuracy"
EDITIONS_CACHE = ROOT / "build" / "editions"

WORKERS = 2                 # the machine's cores
TIME_LIMIT_S = 300.0        # per document; the 53-page report takes about 6 s on an idle core
REGRESSION = 0.01           # a figure that drops by more than this against the baseline is marked
WORST = 6                   # mismatches shown per document
SHOWN_CHARS = 320           # of each text in a mismatch
CONTEXT_CHARS = 60          # shown around a text found inside a longer item
EXTRA_RATIO = 50            # below this ratio to every truth item, an item of ours is "ours only"
FIRST_ERRORS = 3            # validation errors kept per invalid document

# Figures that are fractions where higher is better: the ones averaged, compared and floored.
# Each is None ("n/a") for a document whose gold has nothing of that kind (see `figures`).
FIGURES = ("text_similarity", "word_fidelity", "paragraph_exact", "paragraph_f1_near",
           "heading_f1", "heading_level_acc", "footnote_f1", "footnote_text_exact", "link_f1",
           "abstract_f1", "meta_acc")
SHORT = {"text_similarity": "text", "word_fidelity": "words", "paragraph_exact": "para",
         "paragraph_f1_near": "para≈", "heading_f1": "head", "heading_level_acc": "level",
         "footnote_f1": "notes", "footnote_text_exact": "note text", "link_f1": "links",
         "abstract_f1": "abstract", "meta_acc": "meta"}

OUTCOMES = ("valid", "invalid", "crashed", "rejected")

# Producer families for the means, looked up in order in the producer/creator text of the
# manifest, SOURCES.md or the PDF's own Info (first hit wins: "InDesign via PScript5" is InDesign).
FAMILIES = (
    ("Arbortext", r"arbortext"), ("3B2", r"\b3b2\b"), ("InDesign", r"indesign"),
    ("Aspose", r"aspose"), ("Persits", r"persits"), ("Word", r"\bword\b|pdfmaker"),
    ("Chromium", r"chromium|skia"), ("TCPDF", r"tcpdf"), ("Quartz", r"quartz"),
    ("Elsevier", r"elsevier"), ("Springer", r"springer"),
    ("LaTeX", r"latex|pdftex|xetex|luatex|miktex|dvips"), ("iText", r"itext"),
    ("LibreOffice", r"libreoffice|openoffice"), ("Distiller", r"distiller|pscript"),
)


@dataclass(frozen=True)
class Source:
    """One document to run: where it comes from, what made it, and its truth."""

    key: str            # group/name, unique
    group: str          # report | edition | pairs | producers | corpus
    producer: str       # as the manifest, SOURCES.md or the PDF says
    family: str         # FAMILIES name, or the engine of an edition
    pdf: str
    truth: str          # a truth JATS (made into a gold) or a gold JSON


# --------------------------------------------------------------------------- the documents
def family_of(producer: str) -> str:
    text = producer.lower()
    return next((name for name, pattern in FAMILIES if re.search(pattern, text)),
                "other" if text.strip() else "unknown")


def pdf_producer(pdf: Path) -> str:
    """Producer and creator from the PDF's Info, for documents no list describes."""
    from pypdf import PdfReader

    try:
        info = PdfReader(pdf).metadata or {}
    except Exception as exc:  # a PDF the reader refuses still gets a row; the run says why
        return f"unreadable Info ({type(exc).__name__})"
    return " / ".join(str(info[k]) for k in ("/Producer", "/Creator") if info.get(k))


def sources_table(path: Path) -> dict[str, str]:
    """folder → producer from a SOURCES.md table headed `| folder | producer | …`; {} if none."""
    table: dict[str, str] = {}
    if not path.exists():
        return table
    producer_table = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            producer_table = False
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[:2] == ["folder", "producer"]:
            producer_table = True
        elif producer_table and cells[1] and not set(cells[0]) <= set("-: "):
            table[cells[0]] = cells[1]
    return table


def corpus_manifest(path: Path) -> dict[str, str]:
    """id → "producer / creator" from the corpus manifest.tsv."""
    rows: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t"), strict=False))
        rows[row["id"]] = " / ".join(v.strip() for v in (row.get("producer", ""),
                                                          row.get("creator", "")) if v.strip())
    return rows


def shared_documents(shared: Path = SHARED) -> list[Source]:
    """Every pdf + truth JATS pair under pairs/, producers/ and corpus/."""
    out = []
    for group in ("pairs", "producers", "corpus"):
        folder = shared / group
        listed = (corpus_manifest(folder / "manifest.tsv") if group == "corpus"
                  else sources_table(folder / "SOURCES.md"))
        for doc in sorted(p for p in folder.iterdir() if (p / "paper.pdf").exists()):
            producer = listed.get(doc.name) or pdf_producer(doc / "paper.pdf")
            out.append(Source(f"{group}/{doc.name}", group, producer, family_of(producer),
                              str(doc / "paper.pdf"), str(doc / "paper.jats.xml")))
    return out


def report_documents(editions: list[Any]) -> list[Source]:
    """The report itself and its editions, all scored against the hand-made gold."""
    pdf = SHARED / "source" / "nbr79.pdf"
    if not pdf.exists():
        pdf = ROOT / "source" / "nbr79.pdf"
    producer = pdf_producer(pdf)
    out = [Source("report/nbr79", "report", producer, family_of(producer), str(pdf),
                  str(REPORT_GOLD))]
    out += [edition_source(e) for e in editions]
    return out


def edition_source(edition: Any) -> Source:
    return Source(f"edition/{edition.name}", "edition", edition.engine, edition.engine,
                  str(edition.pdf), str(edition.gold))


# ------------------------------------------------------------------------ one document
def shared_eval():
    """score.py and corpus_eval.py from ../shared/eval, imported from where they lie."""
    if str(EVAL) not in sys.path:
        sys.path.insert(0, str(EVAL))
    import corpus_eval
    import score

    return score, corpus_eval


def gold_for(source: Source, golds: Path) -> Path:
    """The gold JSON for a source: as given, or made from its truth JATS by jats2gold.py."""
    truth = Path(source.truth)
    if truth.suffix == ".json":
        return truth
    gold = golds / (source.key.replace("/", "__") + ".gold.json")
    if not gold.exists() or gold.stat().st_mtime < truth.stat().st_mtime:
        made = subprocess.run([sys.executable, str(EVAL / "jats2gold.py"), str(truth)],
                              capture_output=True, text=True, check=True)
        gold.write_text(made.stdout, encoding="utf-8")
    return gold


def figures(raw: dict, gold: dict, words: float | None) -> dict[str, float | None]:
    """The FIGURES of one document; None where the gold has nothing to score it on."""
    has_abstract = any(p.get("abstract") for p in gold.get("parts", []))
    pick = {
        "text_similarity": raw["text_similarity"],
        "word_fidelity": words,
        "paragraph_exact": raw["paragraph_exact"] if raw["paragraphs_gold"] else None,
        "paragraph_f1_near": raw["paragraph_f1_near"] if raw["paragraphs_gold"] else None,
        "heading_f1": raw["heading_prf"][2] if raw["headings_gold"] else None,
        "heading_level_acc": raw["heading_level_acc"] if raw["headings_gold"] else None,
        "footnote_f1": raw["footnote_prf"][2] if raw["footnotes_gold"] else None,
        "footnote_text_exact": raw["footnote_text_exact"] if raw["footnotes_gold"] else None,
        "link_f1": raw["link_prf"][2] if raw["links_gold"] else None,
        "abstract_f1": raw["abstract_prf"][2] if has_abstract else None,
        "meta_acc": raw["meta_acc"] if raw["meta"] else None,
    }
    return {k: (None if v is None else round(float(v), 4)) for k, v in pick.items()}


def worst_mismatches(score, root, gold: dict, n: int = WORST) -> list[dict[str, Any]]:
    """The truth's items we wrote worst (missing or garbled) beside what we wrote instead, then
    what we wrote that matches nothing in the truth (merged or split text, leaked furniture).

    For each gold paragraph, heading, note and abstract paragraph: the closest item of the same
    kind in our JATS (rapidfuzz ratio, as score.py aligns them); the n lowest are kept. Then up
    to n // 2 of our items whose best ratio is below EXTRA_RATIO, each beside the truth item it
    contains or overlaps most (partial ratio), which shows a merge or a split at a glance.
    """
    g_blocks, g_heads, g_fns, _, g_abs = score.gold_sequences(gold)
    o_blocks, o_heads, o_fns, _, o_abs = score.output_sequences(root)
    kinds = (
        ("paragraph", [score.strip_marks(b) for b in g_blocks],
         [score.norm(score.MARK_ANY.sub("", b)) for b in o_blocks]),
        ("heading", [h for _, h in g_heads], [h for _, h in o_heads]),
        ("note", [t for _, t in g_fns], [t for _, t in o_fns]),
        ("abstract", [score.norm(a) for a in g_abs], list(o_abs)),
    )
    missed: list[dict[str, Any]] = []
    extra: list[dict[str, Any]] = []
    for kind, truth, ours in kinds:
        for text in truth:
            ratio, shown = closest(text, ours)
            if ratio < 100:
                missed.append({"kind": kind, "ratio": ratio, "truth": text, "ours": shown})
        for text in ours:
            ratio, shown = closest(text, truth)
            if ratio < EXTRA_RATIO:
                extra.append({"kind": f"{kind} (ours only)", "ratio": ratio, "truth": shown,
                              "ours": text})
    missed.sort(key=lambda m: m["ratio"])
    extra.sort(key=lambda m: m["ratio"])
    return [{**m, "truth": m["truth"][:SHOWN_CHARS], "ours": m["ours"][:SHOWN_CHARS]}
            for m in missed[:n] + extra[:n // 2]]


def closest(text: str, candidates: list[str]) -> tuple[float, str]:
    """The ratio of `text` to its closest candidate, and what to show beside it: that candidate,
    or, when nothing is close (text merged into a longer item), the part of the candidate that
    holds it best, cut out with some context."""
    from rapidfuzz import fuzz, process

    if not candidates:
        return 0.0, ""
    best = process.extractOne(text, candidates, scorer=fuzz.ratio)
    if best[1] >= EXTRA_RATIO:
        return round(best[1], 1), best[0]
    near = process.extractOne(text, candidates, scorer=fuzz.partial_ratio)[0]
    if len(near) <= len(text):
        return round(best[1], 1), near
    where = fuzz.partial_ratio_alignment(text, near)
    start, end = max(0, where.dest_start - CONTEXT_CHARS), where.dest_end + CONTEXT_CHARS
    return round(best[1], 1), (("…" if start else "") + near[start:end]
                               + ("…" if end < len(near) else ""))


def report_gold_style() -> Any:
    """The house style the report's gold is written in: its hand-made gold keeps printed
    section numbers out of titles (the editions' engines number the report's headings), so
    that house style's JATS puts them in <label>. Third-party truth keeps them in <title>,
    as the default house style does."""
    from flows.profile import DEFAULT_STYLE

    return replace(DEFAULT_STYLE, section_numbers="label")


def run_document(source: Source, work: Path) -> dict[str, Any]:
    """Extract → validate one document and score it; every failure becomes the row's outcome."""
    from flows.errors import JatsflowError
    from flows.extract import extract_pdf
    from flows.jats import build_jats, serialize
    from flows.layout import analyse_layout
    from flows.model import SourceInfo
    from flows.profile import DEFAULT_STYLE
    from flows.segment import segment
    from flows.validate import validate_jats
    from flows.xmlsafe import parse_xml

    row: dict[str, Any] = {**asdict(source), "pages": None, "outcome": "crashed", "errors": [],
                           "figures": {}, "raw": {}, "mismatches": []}
    t0 = time.perf_counter()
    stage = "extract"
    try:
        pdf = Path(source.pdf)
        try:
            extracted = extract_pdf(pdf)
        except JatsflowError as exc:
            row.update(outcome="rejected", errors=[str(exc)], pages=page_count(pdf))
            return row
        row["pages"] = extracted.page_count
        stage = "layout"
        layout = analyse_layout(extracted)
        stage = "segment"
        style = report_gold_style() if source.group in ("report", "edition") else DEFAULT_STYLE
        document = segment(layout, SourceInfo(pdf.name, extracted.sha256, extracted.page_count,
                                              extracted.created), style)
        stage = "jats"
        xml = work / "xml" / (source.key.replace("/", "__") + ".xml")
        xml.parent.mkdir(parents=True, exist_ok=True)
        xml.write_bytes(serialize(build_jats(document)))
        stage = "validate"
        verdict = validate_jats(parse_xml(xml))
        row["xml"] = str(xml)
        if verdict.passed:
            row["outcome"] = "valid"
        else:
            row["outcome"] = "invalid"
            row["errors"] = ([f"line {line}: {msg}" for line, msg in verdict.errors]
                             + [f"[{f.rule}] {f.message}" for f in verdict.rule_errors]
                             )[:FIRST_ERRORS]
        stage = "score"
        score, corpus_eval = shared_eval()
        gold_path = gold_for(source, work / "golds")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = score.score(str(xml), str(gold_path))
        words = corpus_eval.body_words(str(xml))
        known = corpus_eval.words_pdftotext(str(pdf))
        # pdftotext keeps ligature glyphs ("efﬁciency"); the same word with the letters
        # spelled out (as extract writes it, issue 14) is a word pdftotext found
        known |= {unicodedata.normalize("NFKC", w) for w in known}
        fidelity = sum(w in known for w in words) / len(words) if words else None
        row["raw"] = raw
        row["figures"] = figures(raw, gold, fidelity)
        row["mismatches"] = worst_mismatches(score, parse_xml(xml).getroot(), gold)
    except Exception as exc:  # the run goes on: a crash is this document's row, said in one line
        if row["outcome"] in ("valid", "invalid") and stage == "score":
            row["errors"].append(f"scoring failed: {type(exc).__name__}: {exc}")
        else:
            row["outcome"] = "crashed"
            where = traceback.extract_tb(exc.__traceback__)[-1]
            row["errors"] = [f"{stage}: {type(exc).__name__}: {exc} "
                             f"({Path(where.filename).name}:{where.lineno})"]
    finally:
        row["seconds"] = round(time.perf_counter() - t0, 2)
    return row


def page_count(pdf: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(pdf).pages)
    except Exception:  # a refused file may not even open; its row says so elsewhere
        return None


def run_all(sources: list[Source], work: Path, workers: int = WORKERS,
            limit: float = TIME_LIMIT_S, progress: bool = True) -> list[dict[str, Any]]:
    """Each document in its own process, `workers` at a time, killed after `limit` seconds."""
    results = work / "rows"
    results.mkdir(parents=True, exist_ok=True)
    (work / "golds").mkdir(parents=True, exist_ok=True)

    def report(done: int, source: Source, row: dict[str, Any]) -> None:
        print(f"[{done}/{len(sources)}] {row['outcome']:8s} {row['seconds']:6.1f} s  "
              f"{source.key}", flush=True)

    return run_forked(sources, lambda source: run_document(source, work),
                      lambda _, source: results / (source.key.replace("/", "__") + ".json"),
                      failed_row, workers, limit, report if progress else None)


def failed_row(source: Source, error: str, seconds: float) -> dict[str, Any]:
    return {**asdict(source), "pages": None, "outcome": "crashed", "errors": [error],
            "figures": {}, "raw": {}, "mismatches": [], "seconds": round(seconds, 2)}


# ------------------------------------------------------------------------- the summary
def means(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Outcome counts and the mean of each figure over the rows that have it."""
    out: dict[str, Any] = {"documents": len(rows)}
    out.update({o: sum(1 for r in rows if r["outcome"] == o) for o in OUTCOMES})
    for key in FIGURES:
        values = [r["figures"][key] for r in rows if r["figures"].get(key) is not None]
        out[key] = round(sum(values) / len(values), 4) if values else None
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["family"], []).append(r)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_group.setdefault(r["group"], []).append(r)
    return {"overall": means(rows),
            "by_producer": {k: means(v) for k, v in sorted(groups.items())},
            "by_group": {k: means(v) for k, v in sorted(by_group.items())}}


def compare(rows: list[dict[str, Any]], baseline: dict[str, Any] | None) -> dict[str, Any]:
    """Per document and figure, the change against the baseline run; drops past REGRESSION and
    outcomes that got worse (valid → anything else) are regressions."""
    if not baseline:
        return {"baseline": None, "regressions": [], "changes": {}}
    before = {r["key"]: r for r in baseline.get("rows", [])}
    changes: dict[str, dict[str, float]] = {}
    regressions: list[dict[str, Any]] = []
    for r in rows:
        old = before.get(r["key"])
        if old is None:
            continue
        delta = {}
        for key in FIGURES:
            new_v, old_v = r["figures"].get(key), old["figures"].get(key)
            if new_v is not None and old_v is not None and abs(new_v - old_v) >= 0.0001:
                delta[key] = round(new_v - old_v, 4)
                if new_v < old_v - REGRESSION:
                    regressions.append({"key": r["key"], "figure": key, "was": old_v,
                                        "now": new_v})
        if old["outcome"] == "valid" and r["outcome"] != "valid":
            regressions.append({"key": r["key"], "figure": "outcome", "was": "valid",
                                "now": r["outcome"]})
        if old["outcome"] != r["outcome"]:
            delta["outcome"] = f"{old['outcome']} → {r['outcome']}"
        if delta:
            changes[r["key"]] = delta
    overall = {}
    old_overall = baseline.get("summary", {}).get("overall", {})
    new_overall = means(rows)
    for key in FIGURES + OUTCOMES:
        if isinstance(old_overall.get(key), int | float) and new_overall.get(key) is not None:
            overall[key] = round(new_overall[key] - old_overall[key], 4)
    return {"baseline": baseline.get("finished"), "regressions": regressions,
            "changes": changes, "overall": overall}


# --------------------------------------------------------------------------- CI floors
FLOORS_FILE = ROOT / "tests" / "accuracy_floors.json"
FLOOR_SLACK = 0.01          # a floor is the measured figure minus this
# The CI subset: every ../shared/producers document (one or two per kind of producer), one
# InDesign and one LaTeX pair (the latter with page-foot notes), and the engine editions.
FLOOR_PAIRS = ("pairs/a1", "pairs/jose.00292")


def floor_sources(cache: Path = EDITIONS_CACHE, workers: int = WORKERS) -> list[Source]:
    import editions as edition_builder

    built = edition_builder.build_editions(cache, list(edition_builder.EDITIONS), workers)
    failed = [f"{e.name}: {e.error}" for e in built if e.error]
    if failed:
        raise RuntimeError(f"editions not built: {failed}")
    chosen = [s for s in report_documents(built) if s.group == "edition"]
    return chosen + [s for s in shared_documents()
                     if s.group == "producers" or s.key in FLOOR_PAIRS]


def floors_from(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per document: its outcome and each figure it has, less FLOOR_SLACK."""
    return {r["key"]: {"outcome": r["outcome"],
                       "figures": {k: max(0.0, round(v - FLOOR_SLACK, 4))
                                   for k, v in r["figures"].items() if v is not None}}
            for r in sorted(rows, key=lambda r: r["key"])}


def floor_failures(row: dict[str, Any], floor: dict[str, Any]) -> list[str]:
    """What fell below its floor: a figure, or a valid (or rightly rejected) outcome lost."""
    failed = []
    if floor["outcome"] in ("valid", "rejected") and row["outcome"] != floor["outcome"]:
        failed.append(f"outcome {row['outcome']} (was {floor['outcome']}): {row['errors'][:1]}")
    for key, bar in floor["figures"].items():
        value = row["figures"].get(key)
        if value is None or value < bar:
            failed.append(f"{key} {value} < floor {bar}")
    return failed


def write_floors(path: Path, rows: list[dict[str, Any]], seconds: float) -> None:
    data = {"about": "Floors for tests/test_accuracy_floors.py: each figure as measured by "
                     f"`make accuracy-floors`, less {FLOOR_SLACK}. Re-measure after a change "
                     "meant to move them, and commit this file with the change.",
            "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "seconds": round(seconds, 1), "documents": floors_from(rows)}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- the page
CSS = """body{font:14px/1.4 sans-serif;margin:1.5em;color:#111}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:2px 6px;
vertical-align:top}th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
.valid{background:#e6f4e6}.invalid{background:#fde9c8}.crashed{background:#f8d0d0}
.rejected{background:#e4e4f4}.reg{background:#f8c0c0;font-weight:bold}.up{color:#060}
.down{color:#a00}td.t{max-width:38em;font-size:12px}caption{text-align:left;font-weight:bold}"""


def _cell(value: Any, delta: Any = None, regressed: bool = False) -> str:
    if value is None:
        text = "–"
    elif isinstance(value, float):
        text = f"{value:.3f}"
    else:
        text = html.escape(str(value))
    if isinstance(delta, int | float) and delta:
        cls = "up" if delta > 0 else "down"
        text += f' <span class="{cls}">{"▲" if delta > 0 else "▼"}{delta:+.3f}</span>'
    return f'<td class="n{" reg" if regressed else ""}">{text}</td>'


def _means_table(title: str, table: dict[str, dict[str, Any]]) -> str:
    head = "".join(f"<th>{SHORT[k]}</th>" for k in FIGURES)
    rows = []
    for name, m in table.items():
        counts = "".join(f'<td class="n">{m[o]}</td>' for o in OUTCOMES)
        rows.append(f"<tr><td>{html.escape(name)}</td><td class='n'>{m['documents']}</td>"
                    f"{counts}{''.join(_cell(m[k]) for k in FIGURES)}</tr>")
    return (f"<table><caption>{html.escape(title)}</caption><tr><th>producer</th><th>docs</th>"
            f"{''.join(f'<th>{o}</th>' for o in OUTCOMES)}{head}</tr>{''.join(rows)}</table>")


def write_html(report: dict[str, Any], path: Path) -> None:
    """A plain page: summary, means per producer, a row per document, then each one's details."""
    summary, cmp = report["summary"], report["comparison"]
    overall = summary["overall"]
    reg_keys = {(g["key"], g["figure"]) for g in cmp["regressions"]}
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>jatsflow accuracy</title><style>{CSS}</style></head><body>",
             "<h1>jatsflow accuracy</h1>",
             f"<p>Run finished {html.escape(report['finished'])} in {report['seconds']:.0f} s "
             f"({report['workers']} processes, {report['time_limit_s']:.0f} s limit per "
             f"document). {overall['documents']} documents: {overall['valid']} valid JATS, "
             f"{overall['invalid']} invalid, {overall['crashed']} crashed, "
             f"{overall['rejected']} rejected input. Figures from ../shared/eval/score.py "
             f"(words: share of our body words that pdftotext also reads in the PDF); "
             f"– means the truth has nothing of that kind; means are over the documents that "
             f"have the figure.</p>"]
    if cmp["baseline"]:
        parts.append(f"<p>Compared with the run of {html.escape(cmp['baseline'])}: "
                     f"{len(cmp['regressions'])} regressions (a figure down by more than "
                     f"{REGRESSION}, or a valid document no longer valid), marked in red.</p>")
        if cmp["regressions"]:
            items = "".join(f"<li>{html.escape(g['key'])}: {g['figure']} {g['was']} → "
                            f"{g['now']}</li>" for g in cmp["regressions"])
            parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>No previous run to compare with.</p>")
    delta = cmp.get("overall", {})
    parts.append("<table><caption>Overall</caption><tr>"
                 + "".join(f"<th>{SHORT[k]}</th>" for k in FIGURES) + "</tr><tr>"
                 + "".join(_cell(overall[k], delta.get(k)) for k in FIGURES) + "</tr></table>")
    parts.append(_means_table("Means per producer (editions: per engine)",
                              summary["by_producer"]))
    parts.append(_means_table("Means per source group", summary["by_group"]))

    head = "".join(f"<th>{SHORT[k]}</th>" for k in FIGURES)
    rows = []
    for r in report["rows"]:
        anchor = r["key"].replace("/", "__")
        changes = cmp["changes"].get(r["key"], {})
        cells = "".join(_cell(r["figures"].get(k), changes.get(k), (r["key"], k) in reg_keys)
                        for k in FIGURES)
        outcome_reg = " reg" if (r["key"], "outcome") in reg_keys else ""
        first = html.escape(r["errors"][0][:160]) if r["errors"] else ""
        rows.append(f"<tr><td><a href='#{anchor}'>{html.escape(r['key'])}</a></td>"
                    f"<td>{html.escape(r['group'])}</td><td>{html.escape(r['family'])}</td>"
                    f"<td class='n'>{r['pages'] if r['pages'] is not None else '–'}</td>"
                    f"<td class='{r['outcome']}{outcome_reg}'>{r['outcome']}</td>{cells}"
                    f"<td class='n'>{r['seconds']:.1f}</td><td class='t'>{first}</td></tr>")
    parts.append("<table><caption>Documents</caption><tr><th>document</th><th>group</th>"
                 f"<th>producer</th><th>pages</th><th>outcome</th>{head}<th>s</th>"
                 f"<th>first error</th></tr>{''.join(rows)}</table>")

    parts.append("<h2>Each document: errors and worst mismatches</h2>")
    for r in report["rows"]:
        anchor = r["key"].replace("/", "__")
        parts.append(f"<h3 id='{anchor}'>{html.escape(r['key'])} — {r['outcome']}</h3>"
                     f"<p>{html.escape(r['producer'])}; {html.escape(r['pdf'])}</p>")
        if r["errors"]:
            parts.append("<ul>" + "".join(f"<li>{html.escape(e)}</li>" for e in r["errors"])
                         + "</ul>")
        raw = r.get("raw") or {}
        if raw:
            counts = ", ".join(f"{k} {raw[k]}" for k in (
                "paragraphs_gold", "paragraphs_out", "headings_gold", "headings_out",
                "footnotes_gold", "footnotes_out", "links_gold", "links_out", "links_dangling",
                "footnotes_unreferenced", "furniture_leaks", "parts_found") if k in raw)
            parts.append(f"<p>{html.escape(counts)}; meta {html.escape(str(raw.get('meta')))}"
                         "</p>")
        if r["mismatches"]:
            lines = "".join(
                f"<tr><td>{m['kind']}</td><td class='n'>{m['ratio']:.0f}</td>"
                f"<td class='t'>{html.escape(m['truth']) or '<i>(nothing)</i>'}</td>"
                f"<td class='t'>{html.escape(m['ours']) or '<i>(nothing)</i>'}</td></tr>"
                for m in r["mismatches"])
            parts.append("<table><tr><th>kind</th><th>ratio</th><th>the truth</th>"
                         f"<th>what we wrote</th></tr>{lines}</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


# ---------------------------------------------------------------------------- the run
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Accuracy of the flow on every document with a "
                                             "truth; writes accuracy.json and index.html.")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--baseline", type=Path, help="an accuracy.json to compare with (default: "
                                                  "the one the last run left in --out)")
    ap.add_argument("--only", nargs="*", default=[], help="keep documents whose key contains "
                                                           "one of these")
    ap.add_argument("--workers", type=int, default=WORKERS)
    ap.add_argument("--time-limit", type=float, default=TIME_LIMIT_S)
    ap.add_argument("--no-editions", action="store_true", help="skip building the editions")
    ap.add_argument("--write-floors", action="store_true",
                    help=f"measure the CI subset and write {FLOORS_FILE.name}, nothing else")
    args = ap.parse_args(argv)
    if not EVAL.joinpath("score.py").exists():
        print(f"accuracy: {EVAL}/score.py not found", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    if args.write_floors:
        with tempfile.TemporaryDirectory(prefix="accuracy-floors-") as tmp:
            rows = run_all(floor_sources(workers=args.workers), Path(tmp), args.workers,
                           args.time_limit)
        late = [r["key"] for r in rows if any("time limit" in e for e in r["errors"])]
        if late:    # a floor must measure the document, not how busy the machine was
            print(f"accuracy: not writing floors, past the time limit: {late}", file=sys.stderr)
            return 1
        write_floors(FLOORS_FILE, rows, time.perf_counter() - t0)
        print(f"{len(rows)} documents in {time.perf_counter() - t0:.0f} s → {FLOORS_FILE}")
        return 0
    editions = []
    if not args.no_editions:
        import editions as edition_builder

        editions = edition_builder.build_editions(EDITIONS_CACHE, workers=args.workers)
    # An edition whose engine failed is a row with the engine's error, like any failure.
    unbuilt = [failed_row(edition_source(e), f"edition not built: {e.error}", e.seconds)
               for e in editions if e.error]
    sources = report_documents([e for e in editions if not e.error]) + shared_documents()
    if args.only:
        sources = [s for s in sources if any(o in s.key for o in args.only)]
        unbuilt = [r for r in unbuilt if any(o in r["key"] for o in args.only)]
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    current = out / "accuracy.json"
    baseline_path = args.baseline
    if baseline_path is None and current.exists():
        baseline_path = out / "accuracy.previous.json"
        shutil.copyfile(current, baseline_path)
    baseline = (json.loads(baseline_path.read_text(encoding="utf-8"))
                if baseline_path and baseline_path.exists() else None)
    rows = unbuilt + run_all(sources, out, args.workers, args.time_limit)
    report = {"finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
              "seconds": round(time.perf_counter() - t0, 1), "workers": args.workers,
              "time_limit_s": args.time_limit, "figures": list(FIGURES),
              "summary": summarise(rows), "comparison": compare(rows, baseline), "rows": rows}
    current.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    write_html(report, out / "index.html")
    o = report["summary"]["overall"]
    print(f"{o['documents']} documents in {report['seconds']:.0f} s: {o['valid']} valid, "
          f"{o['invalid']} invalid, {o['crashed']} crashed, {o['rejected']} rejected; "
          f"text {o['text_similarity']}, words {o['word_fidelity']}; "
          f"{len(report['comparison']['regressions'])} regressions; {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    sys.exit(main())
