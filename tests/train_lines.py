"""Train the heading check of flows/line_model.py: rebuilds flows/models/heading_lines.json and
its held-back figures (flows/models/heading_lines.figures.json) from the development documents.

1. Collect: every document `tests/accuracy.py` measures (the report, its engine editions,
   ../shared/pairs, producers and corpus) goes through extract → layout → segment with the
   learned check switched off; each line the rules take for a heading is recorded with its
   features (flows/line_features.py), exactly where flows/segment/blocks.py asks the model.
2. Label: the line is aligned to the document's truth (the truth JATS, or the hand-made gold
   of the report and its editions) as a heading (a section, back-matter or abstract title),
   body text, caption, footnote, reference, front matter, table cell, or furniture (matched
   by nothing).
3. Fit a gradient-boosted tree model (scikit-learn, fixed seed, one thread) on heading vs.
   everything else and export its trees as JSON for the pure-Python inference.

Held-back figures: trained on corpus + report + editions and measured on producers + pairs;
and five folds split by document over everything. Collected records are cached per
document in build/line-data/, keyed by the PDF, its truth and the source of flows/, so a
second run with nothing changed skips the slow extraction and rebuilds the same bytes.

usage: python tests/train_lines.py [--out DIR] [--cache DIR] [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import accuracy  # noqa: E402  (tests/accuracy.py: the document list and gold making)

MODELS = ROOT / "flows" / "models"
CACHE = ROOT / "build" / "line-data"
# The model: small and shallow, so the file stays small and the trees generalise.
TREES = 120
DEPTH = 3
LEARNING_RATE = 0.1
MIN_LEAF = 8
SEED = 0
DOCUMENT_CAP = 150  # candidate lines: a document with more is weighted down to this many
FOLDS = 5
HEADING_PARTIAL = 0.25  # of a heading's text: a line holding this much of it is one of its lines
HEADING_PIECE = 3  # letters: the least a line opening or closing a heading must hold
HEADING_RATIO = 90  # fuzz ratio: a line this close to a heading's text is that heading
# the truth's elements whose title is a heading in the text
SECTIONS = ("sec", "ack", "ref-list", "app", "app-group", "glossary", "fn-group", "notes",
            "abstract", "trans-abstract", "bio")
KINDS = ("heading", "reference", "caption", "footnote", "table", "front", "body", "furniture")


# --------------------------------------------------------------------------- truth
def norm(text: str) -> str:
    """Letters and digits only: the truth's markup and the PDF's spacing differ (a reference's
    names run together in its elements; a PDF may split a word), so spaces are left out."""
    return re.sub(r"[\W_]+", "", text.lower())


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def truth_items(truth: Path) -> dict[str, list[str]]:
    """kind → normalised texts of the truth's items of that kind."""
    items: dict[str, list[str]] = {kind: [] for kind in KINDS}
    if truth.suffix == ".json":
        gold = json.loads(truth.read_text(encoding="utf-8"))
        for part in gold.get("parts", []):
            items["heading"].append(norm(part.get("title", "")))
            for section in part.get("abstract") or []:
                items["heading"].append(norm(section.get("title", "")))
                items["front"] += [norm(b.get("text", "")) for b in section.get("blocks", [])]
            for block in part.get("blocks", []):
                kind = "heading" if block.get("type") == "heading" else "body"
                items[kind].append(norm(block.get("text", "")))
            items["footnote"] += [norm(t) for t in (part.get("footnotes") or {}).values()]
        return items
    from lxml import etree

    root = etree.parse(str(truth), etree.XMLParser(resolve_entities=False, no_network=True,
                                                   load_dtd=False, recover=True)).getroot()
    for element in root.iter("title"):
        parent = element.getparent()
        if parent is None or parent.tag not in SECTIONS:
            continue  # a caption's title is the caption's
        label = parent.find("label")
        text = _text(element)
        items["heading"].append(norm(text))
        if label is not None:
            items["heading"].append(norm(_text(label) + " " + text))
    kinds = (("reference", ("ref",)), ("caption", ("caption", "label")),
             ("footnote", ("fn",)), ("table", ("td", "th")),
             ("front", ("article-title", "contrib", "aff", "abstract", "kwd-group",
                        "author-notes", "history", "permissions", "journal-title")),
             ("body", ("p", "list-item", "disp-quote")))
    for kind, tags in kinds:
        for tag in tags:
            items[kind] += [norm(_text(e)) for e in root.iter(tag)]
    return items


def label_of(text: str, items: dict[str, list[str]], joined: dict[str, str]) -> str:
    """The kind of truth item this line's text belongs to."""
    from rapidfuzz import fuzz

    line = norm(text)
    if not line:
        return "furniture"
    unnumbered = norm(re.sub(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5}|[A-H])[.)]?\s+", "",
                             text))
    for heading in items["heading"]:
        if not heading:
            continue
        whole = line == heading or unnumbered == heading or fuzz.ratio(line, heading) >= \
            HEADING_RATIO
        # one line of a heading set on several: its start, its end, or a good share of it
        piece = len(unnumbered) >= HEADING_PIECE and unnumbered in heading and (
            heading.startswith(unnumbered) or heading.endswith(unnumbered)
            or len(unnumbered) >= HEADING_PARTIAL * len(heading))
        if whole or piece:
            return "heading"
    words = text.split()
    inner = norm(" ".join(words[1:-1])) if len(words) >= 4 else line  # ends: hyphen halves
    for kind in KINDS[1:-1]:
        if inner in joined[kind]:
            return kind
    return "furniture"


# --------------------------------------------------------------------------- collect
def code_fingerprint() -> str:
    """The source the collected features depend on: flows/, less the model that is off."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "flows").rglob("*.py")):
        if path.name != "line_model.py":
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def collect(source: accuracy.Source) -> list[dict[str, Any]]:
    """The candidate headings of one document with their features, the model switched off."""
    from flows import line_features, line_model
    from flows.extract import extract_pdf
    from flows.layout import analyse_layout
    from flows.model import SourceInfo
    from flows.segment import segment

    records: dict[int, dict[str, Any]] = {}

    def record(lines, ev, frame, style) -> set[int]:
        for index, features in line_features.heading_candidates(lines, ev, frame):
            records.setdefault(id(lines[index]), {"text": lines[index].text,
                                                  "features": features})
        return set()

    line_model.heading_vetoes = record  # the rules alone: the model under training is off
    pdf = Path(source.pdf)
    extracted = extract_pdf(pdf)
    layout = analyse_layout(extracted)
    segment(layout, SourceInfo(pdf.name, extracted.sha256, extracted.page_count,
                               extracted.created))
    return list(records.values())


def collected(source: accuracy.Source, cache: Path, code: str) -> dict[str, Any]:
    """One document's records, from the cache when nothing they depend on changed."""
    digest = hashlib.sha256(code.encode())
    for path in (source.pdf, source.truth):
        digest.update(Path(path).read_bytes())
    key = digest.hexdigest()
    cached = cache / (source.key.replace("/", "__") + ".json")
    if cached.exists():
        data = json.loads(cached.read_text(encoding="utf-8"))
        if data["fingerprint"] == key:
            return data
    try:
        records = collect(source)
        error = ""
    except Exception as exc:  # a document the pipeline cannot read adds no lines; said in the run
        records, error = [], f"{type(exc).__name__}: {exc}"
    data = {"fingerprint": key, "key": source.key, "group": source.group, "error": error,
            "records": records}
    cache.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def _collected_task(task: tuple[accuracy.Source, Path, str]) -> dict[str, Any]:
    return collected(*task)


def label(source: accuracy.Source, doc: dict[str, Any]) -> None:
    """Each record's kind, from the document's truth; zone headings the model is never asked
    about are left out."""
    from flows.line_model import names_a_zone
    from flows.profile import DEFAULT_STYLE

    items = truth_items(Path(source.truth))
    joined = {kind: "|".join(texts) for kind, texts in items.items()}
    doc["records"] = [rec for rec in doc["records"]
                      if not names_a_zone(rec["text"], DEFAULT_STYLE)]
    for rec in doc["records"]:
        rec["label"] = label_of(rec["text"], items, joined)


def documents(workers: int) -> list[accuracy.Source]:
    import editions as edition_builder

    built = edition_builder.build_editions(accuracy.EDITIONS_CACHE, workers=workers)
    failed = [e.name for e in built if e.error]
    if failed:
        raise RuntimeError(f"editions not built: {failed}")
    return accuracy.report_documents(built) + accuracy.shared_documents()


# --------------------------------------------------------------------------- fit
def dataset(docs: list[dict[str, Any]]) -> tuple[list[list[float]], list[int], list[float]]:
    x: list[list[float]] = []
    y: list[int] = []
    weights: list[float] = []
    for doc in docs:
        records = doc["records"]
        weight = min(1.0, DOCUMENT_CAP / len(records)) if records else 1.0
        for rec in records:
            x.append(rec["features"])
            y.append(int(rec["label"] == "heading"))
            weights.append(weight)
    return x, y, weights


def fit(docs: list[dict[str, Any]]):
    from sklearn.ensemble import GradientBoostingClassifier

    x, y, weights = dataset(docs)
    model = GradientBoostingClassifier(n_estimators=TREES, max_depth=DEPTH,
                                       learning_rate=LEARNING_RATE, min_samples_leaf=MIN_LEAF,
                                       random_state=SEED)
    model.fit(x, y, sample_weight=weights)
    return model


def export(model) -> dict[str, Any]:
    """The fitted trees as plain lists, with what inference needs to add them up."""
    import numpy as np

    from flows.line_features import FEATURES

    prior = model.init_.class_prior_[1]
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        leaf = tree.children_left == -1
        trees.append({
            "feature": [int(f) if not lf else -1 for f, lf in zip(tree.feature, leaf,
                                                                   strict=True)],
            "threshold": [float(t) if not lf else 0.0 for t, lf in zip(tree.threshold, leaf,
                                                                       strict=True)],
            "left": [int(v) for v in tree.children_left],
            "right": [int(v) for v in tree.children_right],
            "value": [float(np.round(v, 12)) for v in tree.value[:, 0, 0]],
        })
    return {"features": list(FEATURES), "init": float(np.log(prior / (1 - prior))),
            "learning_rate": float(model.learning_rate), "trees": trees}


def scores(docs: list[dict[str, Any]], exported: dict[str, Any]) -> dict[str, Any]:
    """How the rules alone and the rules with the model judge these documents' candidates."""
    from flows.line_model import VETO_BELOW, heading_probability

    tp = fp = fn = kept_true = 0
    rejected: dict[str, int] = {}
    total = 0
    for doc in docs:
        for rec in doc["records"]:
            total += 1
            truth = rec["label"] == "heading"
            kept = heading_probability(rec["features"], exported) >= VETO_BELOW
            kept_true += truth
            tp += kept and truth
            fp += kept and not truth
            fn += truth and not kept
            if not kept and not truth:
                rejected[rec["label"]] = rejected.get(rec["label"], 0) + 1
    rules_precision = kept_true / total if total else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / kept_true if kept_true else 0.0
    return {"documents": len(docs), "candidates": total, "true_headings": kept_true,
            "rules_precision": round(rules_precision, 4),
            "model_precision": round(precision, 4), "model_recall": round(recall, 4),
            "headings_kept": tp, "non_headings_kept": fp, "headings_lost": fn,
            "non_headings_vetoed": dict(sorted(rejected.items()))}


def held_back(docs: list[dict[str, Any]]) -> dict[str, Any]:
    train = [d for d in docs if d["group"] in ("corpus", "report", "edition")]
    test = [d for d in docs if d["group"] not in ("corpus", "report", "edition")]
    figures: dict[str, Any] = {"train_corpus_report_editions__test_producers_pairs":
                               scores(test, export(fit(train)))}
    folds = []
    ordered = sorted(docs, key=lambda d: hashlib.sha256(d["key"].encode()).hexdigest())
    for fold in range(FOLDS):
        test = ordered[fold::FOLDS]
        train = [d for i, d in enumerate(ordered) if i % FOLDS != fold]
        folds.append(scores(test, export(fit(train))))
    tp = sum(f["headings_kept"] for f in folds)
    fp = sum(f["non_headings_kept"] for f in folds)
    true = sum(f["true_headings"] for f in folds)
    figures[f"{FOLDS}_folds_by_document"] = {
        "folds": folds,
        "rules_precision": round(true / sum(f["candidates"] for f in folds), 4),
        "model_precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "model_recall": round(tp / true, 4) if true else 0.0}
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=MODELS, help="where the model files go")
    ap.add_argument("--cache", type=Path, default=CACHE, help="collected records per document")
    ap.add_argument("--workers", type=int, default=accuracy.WORKERS)
    args = ap.parse_args(argv)
    if not accuracy.EVAL.exists():
        print(f"train_lines: no development data at {accuracy.SHARED}", file=sys.stderr)
        return 2
    sources = documents(args.workers)
    code = code_fingerprint()
    tasks = [(s, args.cache, code) for s in sources]
    with multiprocessing.get_context("spawn").Pool(args.workers, maxtasksperchild=1) as pool:
        docs = pool.map(_collected_task, tasks, chunksize=1)
    for source, doc in zip(sources, docs, strict=True):
        label(source, doc)
        if doc["error"]:
            print(f"train_lines: {doc['key']}: {doc['error']}", file=sys.stderr)
    exported = export(fit(docs))
    figures = held_back(docs)
    labels: dict[str, int] = {}
    for doc in docs:
        for rec in doc["records"]:
            labels[rec["label"]] = labels.get(rec["label"], 0) + 1
    figures["candidate_labels"] = dict(sorted(labels.items()))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "heading_lines.json").write_text(
        json.dumps(exported, separators=(",", ":")) + "\n", encoding="utf-8")
    (args.out / "heading_lines.figures.json").write_text(
        json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in figures.items() if k != "5_folds_by_document"},
                     indent=1))
    print(json.dumps({k: v for k, v in figures["5_folds_by_document"].items()
                      if k != "folds"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
