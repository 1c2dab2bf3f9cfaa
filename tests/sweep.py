"""Sweep: run PDFs nobody has tuned for through extract → layout → segment → JATS → DTD validation.

Issue 15 asks that every unseen PDF publish a valid JATS. This machine holds hundreds of real
PDFs the project has never seen (TeX Live package manuals, KOMA-Script letters, class docs,
Debian docs: one and two columns, tables, code listings, margin notes, landscape pages). The
sweep takes a seeded sample of them and tabulates what the converter does with each, without
rendering:

    valid      the JATS passes the DTD and the project's rules
    invalid    the JATS we built fails: the DTD message or the rule is the row's finding
    crashed    an exception that is not a JatsflowError: its type and the innermost frame in flows/
    rejected   a JatsflowError with a one-line message (encrypted, no text layer, ...): fine
               when the input is truly unusable
    timeout    past the time limit (--limit seconds), killed

and seconds per page, with the documents whose seconds per page are far above the median
(--slow times the median, over documents of 5 pages or more) listed as speed outliers.

The sample: every *.pdf under the roots (default /usr/share), skipping files over --max-mb MB
or --max-pages pages (kept quick; the skipped counts are printed), grouped by folder, each
group shuffled with --seed and taken one per folder per round, so one package's dozens of
manuals do not crowd out the rest; the same seed and N give the same sample. Each document
runs in a forked process of its own, --workers at a time.

Usage:
    nice .venv/bin/python tests/sweep.py -n 150            # or: make sweep N=150
    .venv/bin/python tests/sweep.py --pdf some.pdf other.pdf   # just these files

Writes only under build/ (default build/sweep/): sweep.json (one row per document), sweep.md
(the outcome table, the findings, the outliers) and, for invalid rows, the JATS in xml/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from forked import run_forked

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_ROOTS = ["/usr/share"]
# Kept quick: a sweep is about kinds of layout, and long manuals repeat their kinds.
MAX_PAGES = 60
MAX_MB = 5.0
TIME_LIMIT_S = 300.0
SEED = 15
# A document is a speed outlier when its seconds per page pass this multiple of the median.
SLOW_FACTOR = 4.0
# Speed is judged on documents of at least this many pages: each process pays a fixed 1-2 s
# on first use (hyphenation dictionaries, the line model), which swamps a one-page file.
MIN_SPEED_PAGES = 5
FIRST_ERRORS = 3
OUTCOMES = ("valid", "invalid", "crashed", "rejected", "timeout")


def candidates(roots: list[str]) -> list[Path]:
    """Every PDF under the roots, in a fixed order."""
    found: list[Path] = []
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            found += [Path(folder) / f for f in files if f.lower().endswith(".pdf")]
    return sorted(found)


def page_count(pdf: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(pdf).pages)
    except Exception:  # an unreadable file is still swept: the converter must refuse it cleanly
        return None


def sample(pdfs: list[Path], n: int, seed: int, max_pages: int,
           max_mb: float) -> tuple[list[Path], Counter]:
    """n PDFs spread over folders (one per folder per round, seeded), and what was skipped why."""
    rng = random.Random(seed)
    groups: dict[Path, list[Path]] = defaultdict(list)
    for pdf in pdfs:
        groups[pdf.parent].append(pdf)
    order = sorted(groups)
    rng.shuffle(order)
    for key in order:
        rng.shuffle(groups[key])
    skipped: Counter = Counter()
    chosen: list[Path] = []
    while len(chosen) < n and any(groups[k] for k in order):
        for key in order:
            if len(chosen) >= n:
                break
            while groups[key]:
                pdf = groups[key].pop()
                if not pdf.is_file() or pdf.stat().st_size > max_mb * 1e6:
                    skipped[f"over {max_mb:g} MB"] += 1
                    continue
                pages = page_count(pdf)
                if pages is not None and pages > max_pages:
                    skipped[f"over {max_pages} pages"] += 1
                    continue
                chosen.append(pdf)
                break
    return chosen, skipped


def innermost_flows_frame(exc: BaseException) -> str:
    """file:line of the innermost frame in flows/ (where the converter went wrong)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}flows{os.sep}" in f.filename]
    where = (ours or frames)[-1]
    return f"{Path(where.filename).name}:{where.lineno} {where.name}"


def run_document(pdf: Path, out: Path) -> dict[str, Any]:
    """One document through the stages up to validation; every outcome becomes its row."""
    from flows.errors import JatsflowError
    from flows.extract import extract_pdf
    from flows.jats import build_jats, serialize
    from flows.layout import analyse_layout
    from flows.model import SourceInfo
    from flows.profile import DEFAULT_STYLE
    from flows.provenance import layout_sidecar
    from flows.segment import segment
    from flows.validate import validate_jats
    from flows.xmlsafe import parse_xml

    row: dict[str, Any] = {"pdf": str(pdf), "pages": None, "outcome": "crashed", "finding": "",
                           "stages": {}}
    t0 = time.perf_counter()
    stage = "extract"
    clock = t0

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        row["stages"][name] = round(now - clock, 2)
        clock = now

    try:
        extracted = extract_pdf(pdf)
        row["pages"] = extracted.page_count
        lap(stage)
        stage = "layout"
        layout = analyse_layout(extracted)
        lap(stage)
        stage = "segment"
        document = segment(layout, SourceInfo(pdf.name, extracted.sha256, extracted.page_count,
                                              extracted.created), DEFAULT_STYLE)
        lap(stage)
        stage = "jats"
        data = serialize(build_jats(document))
        layout_sidecar(document, layout)  # the publish flow writes it too: it must not crash
        lap(stage)
        stage = "validate"
        verdict = validate_jats(parse_xml(data))
        lap(stage)
        if verdict.passed:
            row["outcome"] = "valid"
        else:
            row["outcome"] = "invalid"
            errors = ([f"DTD: {msg}" for _line, msg in verdict.errors]
                      + [f"rule {f.rule}: {f.message}" for f in verdict.rule_errors])
            row["finding"] = " | ".join(errors[:FIRST_ERRORS])
            xml = out / "xml" / (pdf.stem + ".xml")
            xml.parent.mkdir(parents=True, exist_ok=True)
            xml.write_bytes(data)
            row["xml"] = str(xml)
    except JatsflowError as exc:
        message = str(exc).replace(str(pdf), "PDF")  # findings group by kind, not by file
        row["outcome"] = "rejected"
        row["finding"] = f"{stage}: {message}"
        row["one_line"] = "\n" not in message.strip() and bool(message.strip())
        row["pages"] = row["pages"] or page_count(pdf)
    except Exception as exc:  # a crash is this document's row: the sweep goes on
        row["outcome"] = "crashed"
        row["finding"] = f"{stage}: {type(exc).__name__} at {innermost_flows_frame(exc)}"
        row["detail"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    row["seconds"] = round(time.perf_counter() - t0, 2)
    return row


def run_all(pdfs: list[Path], out: Path, workers: int, limit: float) -> list[dict[str, Any]]:
    """Each document in a forked process of its own, `workers` at a time, killed past `limit`."""
    import flows.layout  # noqa: F401  imported once here, so each fork starts warm
    import flows.segment  # noqa: F401
    import flows.validate  # noqa: F401

    rows_dir = out / "rows"
    rows_dir.mkdir(parents=True, exist_ok=True)

    def failed(pdf: Path, why: str, seconds: float) -> dict[str, Any]:
        return {"pdf": str(pdf), "pages": page_count(pdf),
                "outcome": "timeout" if why.startswith("past the time limit") else "crashed",
                "finding": why, "seconds": round(seconds, 2)}

    def report(done: int, pdf: Path, row: dict[str, Any]) -> None:
        print(f"[{done}/{len(pdfs)}] {row['outcome']:8s} {row['seconds']:6.1f} s "
              f"{row.get('pages') or '?':>3} p  {pdf}  {row.get('finding', '')}", flush=True)

    return run_forked(pdfs, lambda pdf: run_document(pdf, out),
                      lambda index, _: rows_dir / f"{index:04d}.json", failed, workers, limit,
                      report)


def per_page(row: dict[str, Any]) -> float | None:
    return row["seconds"] / row["pages"] if row.get("pages") else None


def summary(rows: list[dict[str, Any]], skipped: Counter, slow: float) -> str:
    """The outcome table, each finding with its documents, and the speed outliers, as Markdown."""
    counts = Counter(r["outcome"] for r in rows)
    lines = ["# Sweep", "", "| outcome | documents |", "|---|---|"]
    lines += [f"| {o} | {counts.get(o, 0)} |" for o in OUTCOMES]
    lines += [f"| total | {len(rows)} |", ""]
    if skipped:
        lines += ["Skipped while sampling: " + ", ".join(f"{n} {why}" for why, n in
                                                          sorted(skipped.items())), ""]
    findings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r["outcome"] != "valid":
            findings[(r["outcome"], r.get("finding", ""))].append(r["pdf"])
    if findings:
        lines += ["## Findings", ""]
        for (outcome, finding), pdfs in sorted(findings.items()):
            lines.append(f"- **{outcome}** ({len(pdfs)}) {finding}")
            lines += [f"  - {p}" for p in pdfs]
        lines.append("")
    speeds = [(s, r) for r in rows if r["outcome"] != "timeout"
              and (r.get("pages") or 0) >= MIN_SPEED_PAGES and (s := per_page(r)) is not None]
    if speeds:
        median = statistics.median(s for s, _ in speeds)
        lines += [f"## Speed: median {median:.2f} s per page over the {len(speeds)} documents "
                  f"of {MIN_SPEED_PAGES} pages or more, outliers above {slow:g} × median", ""]
        for s, r in sorted(speeds, key=lambda p: -p[0]):
            if s > slow * median:
                stages = ", ".join(f"{k} {v}" for k, v in r.get("stages", {}).items())
                lines.append(f"- {s:.2f} s/page ({r['seconds']} s, {r['pages']} p; {stages}) "
                             f"{r['pdf']}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=150, help="how many PDFs to sample")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--roots", nargs="+", default=DEFAULT_ROOTS,
                        help="folders searched for *.pdf")
    parser.add_argument("--pdf", nargs="+", type=Path, help="sweep these files, no sampling")
    parser.add_argument("--skip", type=int, default=0,
                        help="leave out the first SKIP of the sample (to extend an earlier run)")
    parser.add_argument("--max-pages", type=int, default=MAX_PAGES)
    parser.add_argument("--max-mb", type=float, default=MAX_MB)
    parser.add_argument("--limit", type=float, default=TIME_LIMIT_S,
                        help="seconds per document before it is killed")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--slow", type=float, default=SLOW_FACTOR,
                        help="speed outlier: seconds per page above this multiple of the median")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "sweep")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if (ROOT / "build").resolve() not in (out, *out.parents):
        print(f"sweep: --out must lie under {ROOT / 'build'}", file=sys.stderr)
        return 2
    skipped: Counter = Counter()
    if args.pdf:
        pdfs = args.pdf
    else:
        pdfs, skipped = sample(candidates(args.roots), args.n, args.seed, args.max_pages,
                               args.max_mb)
        pdfs = pdfs[args.skip:]
    if not pdfs:
        print("sweep: no PDFs to sweep", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    rows = run_all(pdfs, out, args.workers, args.limit)
    (out / "sweep.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False),
                                    encoding="utf-8")
    text = summary(rows, skipped, args.slow)
    (out / "sweep.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
