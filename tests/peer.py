"""`make peer`: jatsflow beside its best Python peer, scored alike on the same documents.

The peer is pymupdf4llm with PyMuPDF's layout model (an ONNX model shipped inside the PyMuPDF
wheel). PyMuPDF is AGPL and not the design card's PDF library, so it lives in its own virtual
environment (PEER_VENV, made by `make peer`) and runs there in a subprocess of this script
(`--markdown`); nothing in flows/ or the project's dependencies knows about it. It is a measuring
tool only.

The documents are `make accuracy`'s (tests/accuracy.py: report, editions, pairs, producers,
corpus), taken from the rows of an accuracy.json (default build/accuracy/accuracy.json), whose
figures are jatsflow's side of the table. For each document the peer's Markdown is turned into a
minimal JATS (`markdown_to_jats`) and scored with ../shared/eval/score.py against the same gold.
The peer writes the blocks its layout model calls footnotes as block quotes (pymupdf4llm's
document_layout.footnote_to_md), so those become notes; it does not link callouts to notes, so
there are no link figures, and it has no abstract zone, so its abstract is body text.

Writes build/peer/peer.json (one row per document, both tools' figures) and build/peer/peer.md
(per document, per group means, where the peer is ahead) and prints the summary. The peer's
Markdown is kept in build/peer/md/ with its PDF's SHA-256, and reused for the same PDF.

usage: python tests/peer.py [--accuracy FILE] [--out DIR] [--only SUBSTRING ...]
       PEER_PYTHON tests/peer.py --markdown PDF OUT.md        (inside the peer's venv)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
PEER_VENV = ROOT / "build" / "peer-venv"
PEER_PYTHON = PEER_VENV / "bin" / "python"
ACCURACY = ROOT / "build" / "accuracy" / "accuracy.json"
OUT = ROOT / "build" / "peer"

TIME_LIMIT_S = 1800.0       # per document; the layout model takes about 3 s a page on a busy core
NETWORK_EXIT = 3            # the peer's exit code when it tried to reach the network
# Figures compared side by side, named as in accuracy.json's rows.
FIGURES = ("text_similarity", "heading_f1", "abstract_f1", "paragraph_exact",
           "paragraph_f1_near", "footnote_f1")
SHORT = {"text_similarity": "text", "heading_f1": "head", "abstract_f1": "abstract",
         "paragraph_exact": "para", "paragraph_f1_near": "para≈", "footnote_f1": "notes"}
TRAILING = 15               # documents listed where jatsflow trails the peer most
AHEAD = 0.0001              # a difference smaller than this is a tie (figures have 4 decimals)


# ------------------------------------------------------------------ the peer (its own venv)
class NetworkRefused(RuntimeError):
    """The peer tried to open a connection: a model or data fetched at run time."""


def refuse_network() -> None:
    """Every internet connection or name lookup from this process raises NetworkRefused (local
    Unix sockets, which a worker pool may use, still connect)."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NetworkRefused(f"network access attempted: {args!r}"[:300])

    def guarded(original: Any) -> Any:
        def call(self: socket.socket, address: Any) -> Any:
            if self.family == socket.AF_UNIX:
                return original(self, address)
            return refuse(address)
        return call

    socket.socket.connect = guarded(connect)          # type: ignore[method-assign]
    socket.socket.connect_ex = guarded(connect_ex)    # type: ignore[method-assign]
    socket.create_connection = refuse                 # type: ignore[assignment]
    socket.getaddrinfo = refuse                       # type: ignore[assignment]


def write_peer_markdown(pdf: Path, out: Path) -> int:
    """Runs inside the peer's venv: the PDF as pymupdf4llm's Markdown, with its layout model.

    Page headers and footers are left out (the peer's own furniture detection, its best setting
    for body text); OCR is off since every document has a text layer and no Tesseract is
    installed.
    """
    refuse_network()
    try:
        import pymupdf.layout  # noqa: F401  the ONNX layout model; pymupdf4llm uses it if present
        import pymupdf4llm

        markdown = pymupdf4llm.to_markdown(str(pdf), header=False, footer=False, use_ocr=False,
                                           show_progress=False)
    except NetworkRefused as exc:
        print(f"peer: {exc}", file=sys.stderr)
        return NETWORK_EXIT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown, encoding="utf-8")
    return 0



# ------------------------------------------------------------ Markdown → a minimal JATS
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
TABLE_ROW = re.compile(r"^\s*\|")
RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
QUOTE = re.compile(r"^\s*>\s?(.*)$")  # pymupdf4llm's footnotes, one note per quoted paragraph
NOTE_LABEL = re.compile(r"^(?:<sup>)?\s*(\d{1,4}|[*†‡§¶]{1,3})\s*(?:</sup>)?(?:\s+|$)", re.I)
# Pictures: a Markdown image, or the placeholder pymupdf4llm writes where it leaves one out.
PICTURE = re.compile(r"^\s*(?:!\[[^\]]*\]\([^)]*\)|\*\*==>.*<==\*\*)\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
SCRIPT = re.compile(r"<(sup|sub)>(.*?)</\1>", re.S | re.I)
DROPPED_TAGS = re.compile(r"</?(?:b|i|em|strong|u|span|a|code|mark|s)(?:\s[^<>]*)?>", re.I)
BREAK = re.compile(r"<br\s*/?>", re.I)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)")
STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
STRIKE_CODE = re.compile(r"(~~|`)(.+?)\1")
LEFT_OVER_STRONG = re.compile(r"\*\*|__")      # an unmatched pair marker, never literal text
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
ESCAPE_BASE = 0xF0000             # plane 15, private use: stand-ins for escaped characters
SET_ASIDE = re.compile("[\U000F0000-\U000F007F]")
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def plain_inline(text: str) -> str:
    """Markdown inline text without its markup: emphasis, code and strike markers, links and
    images reduced to their words, HTML tags other than sup/sub dropped, escapes undone."""
    # escaped characters are set aside first (as private-use stand-ins) so that an escaped
    # star or underscore is never taken for an emphasis marker
    text = ESCAPED.sub(lambda m: chr(ESCAPE_BASE + ord(m.group(1))), text)
    text = BREAK.sub(" ", text)
    text = DROPPED_TAGS.sub("", text)
    text = LINK.sub(r"\1", text)
    text = STRIKE_CODE.sub(r"\2", text)
    previous = None
    while previous != text:            # nested emphasis: ***x***, **_x_**
        previous = text
        text = STRONG.sub(r"\2", text)
        text = EMPHASIS.sub(r"\2", text)
    text = LEFT_OVER_STRONG.sub("", text)
    return SET_ASIDE.sub(lambda m: chr(ord(m.group()) - ESCAPE_BASE), text)


def inline_xml(text: str) -> str:
    """One line or paragraph of Markdown as JATS mixed content: plain words, with the peer's
    <sup>/<sub> kept as JATS sup/sub (so a superscript reads as jatsflow's does to the scorer)."""
    text = NOT_XML.sub("", COMMENT.sub("", text))
    out, at = [], 0
    for m in SCRIPT.finditer(text):
        out.append(escape(plain_inline(text[at:m.start()])))
        inner = escape(plain_inline(m.group(2)))
        name = m.group(1).lower()
        out.append(f"<{name}>{inner}</{name}>")
        at = m.end()
    out.append(escape(plain_inline(text[at:])))
    return " ".join("".join(out).split())


def markdown_blocks(markdown: str) -> list[tuple[str, Any]]:
    """The Markdown as a flat list of blocks in reading order:
    ("heading", (level, text)), ("p", text), ("list", [item, ...]), ("table", [[cell, ...]]),
    ("note", text).

    Paragraphs split on blank lines; the lines of one paragraph are joined. List items that
    follow each other, with or without blank lines between them, make one list (a nested item
    is kept as an item of the same list: the scorer reads each item as one block either way).
    Pictures and horizontal rules are dropped; fenced code is a paragraph of its lines; each
    quoted paragraph is a note.
    """
    blocks: list[tuple[str, Any]] = []
    lines: list[str] = []               # the paragraph or list item being read
    kind = ""                           # what `lines` is: "p", "li" or "note"
    fenced = False

    def flush() -> None:
        nonlocal lines, kind
        if lines:
            text = " ".join(line.strip() for line in lines)
            if kind == "li":
                if blocks and blocks[-1][0] == "list":
                    blocks[-1][1].append(text)
                else:
                    blocks.append(("list", [text]))
            elif text.strip():
                blocks.append((kind, text))
        lines, kind = [], ""

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if FENCE.match(line):
            flush()
            fenced = not fenced
            kind = "p" if fenced else ""
            continue
        if fenced:
            lines.append(line)
            continue
        if not line.strip():
            flush()
            continue
        heading = HEADING.match(line)
        item = LIST_ITEM.match(line)
        quote = QUOTE.match(line)
        if quote:
            if kind != "note":
                flush()
                kind = "note"
            lines.append(quote.group(1))
        elif heading:
            flush()
            blocks.append(("heading", (len(heading.group(1)), heading.group(2))))
        elif TABLE_ROW.match(line):
            flush()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue                # the row under a table's header
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        elif RULE.match(line) or PICTURE.match(line):
            flush()
        elif item:
            flush()
            lines, kind = [item.group(2)], "li"
        else:
            if not kind:
                kind = "p"
            lines.append(line)
    flush()
    return blocks


def markdown_to_jats(markdown: str) -> str:
    """A minimal JATS article the scorer reads: the first level-1 heading as the article title,
    the other headings as nested `sec`/`title` by level, `p` for paragraphs, `list`/`list-item`
    for lists and each table inside a `table-wrap` (which the scorer leaves out, as it does
    ours). Notes (the peer's block quotes) go to a `fn-group` in `back`, each with its label;
    a quoted label alone labels the next note, and a quoted paragraph without a label right
    after a note goes on with it (a note the peer split at a line break)."""
    title = ""
    body: list[str] = []
    notes: list[list[str]] = []         # [label, text] in reading order
    open_levels: list[int] = []         # heading levels of the sec elements still open
    pending_label = ""                  # a label the peer quoted on a line of its own
    after_note = False
    for kind, value in markdown_blocks(markdown):
        if kind == "note":
            label_match = NOTE_LABEL.match(value)
            label = label_match.group(1) if label_match else ""
            text = inline_xml(value[label_match.end():] if label_match else value)
            if not text:
                pending_label = label or pending_label
            elif label or pending_label or not (after_note and notes):
                notes.append([escape(label or pending_label), text])
                pending_label = ""
            else:
                notes[-1][1] += " " + text
            after_note = True
            continue
        after_note = False
        if kind == "heading":
            level, raw_text = value
            text = inline_xml(raw_text)
            if not text:
                continue
            if level == 1 and not title:
                title = text            # a level-1 heading: it closes every open sec
                body.extend("</sec>" for _ in open_levels)
                open_levels.clear()
                continue
            while open_levels and open_levels[-1] >= level:
                body.append("</sec>")
                open_levels.pop()
            body.append(f"<sec><title>{text}</title>")
            open_levels.append(level)
        elif kind == "p":
            text = inline_xml(value)
            if text:
                body.append(f"<p>{text}</p>")
        elif kind == "list":
            items = "".join(f"<list-item><p>{inline_xml(t)}</p></list-item>" for t in value)
            body.append(f'<list list-type="bullet">{items}</list>')
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{inline_xml(c)}</td>" for c in row) + "</tr>"
                           for row in value)
            body.append(f"<table-wrap><table><tbody>{rows}</tbody></table></table-wrap>")
    body.extend("</sec>" for _ in open_levels)
    fns = "".join(f'<fn id="fn{i}">' + (f"<label>{label}</label>" if label else "")
                  + f"<p>{text}</p></fn>" for i, (label, text) in enumerate(notes, 1))
    back = f"<back><fn-group>{fns}</fn-group></back>" if notes else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<article article-type="other">'
            "<front><article-meta><title-group><article-title>"
            f"{title}</article-title></title-group></article-meta></front>"
            f"<body>{''.join(body)}</body>{back}</article>\n")



# ------------------------------------------------------------------- the comparison run
def local_path(path: str) -> Path:
    """A path from an accuracy.json made in another worktree, read from this one's build/:
    the editions and XML live under each worktree's own build/ folder."""
    p = Path(path)
    if ROOT in p.parents or "build" not in p.parts:
        return p
    return ROOT.joinpath(*p.parts[p.parts.index("build"):])


def peer_version() -> str:
    made = subprocess.run([str(PEER_PYTHON), "-c", "import importlib.metadata as m; "
                           "print(m.version('pymupdf'), m.version('onnxruntime'))"],
                          capture_output=True, text=True, check=True)
    pymupdf, onnxruntime = made.stdout.split()
    return f"PyMuPDF {pymupdf} (pymupdf4llm, layout model), onnxruntime {onnxruntime}"


def peer_markdown(pdf: Path, out: Path, limit: float) -> str | None:
    """The peer's Markdown for one PDF, made in its venv unless one made from the same bytes is
    kept; None and the reason on failure. Raises NetworkRefused when the peer tried to reach
    the network.

    The Markdown is kept with the PDF's SHA-256 beside it (`.sha256`), not by file times: a
    fresh copy of ../shared is newer than every kept Markdown, yet holds the same PDFs."""
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    noted = out.with_suffix(".sha256")
    if out.exists() and noted.exists() and noted.read_text(encoding="utf-8").strip() == digest:
        return None
    try:
        made = subprocess.run([str(PEER_PYTHON), str(Path(__file__).resolve()), "--markdown",
                               str(pdf), str(out)], capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired:
        return f"past the time limit of {limit:g} s"
    if made.returncode == NETWORK_EXIT:
        raise NetworkRefused(made.stderr.strip())
    if made.returncode:
        lines = made.stderr.strip().splitlines() or [f"exit code {made.returncode}"]
        return f"peer failed: {lines[-1]}"
    noted.write_text(digest + "\n", encoding="utf-8")
    return None


def score_peer(row: dict[str, Any], markdown: Path, work: Path) -> dict[str, Any]:
    """The peer's Markdown as JATS, scored against the document's gold as accuracy.py does."""
    import accuracy

    score, _ = accuracy.shared_eval()
    source = accuracy.Source(row["key"], row["group"], row["producer"], row["family"],
                             str(local_path(row["pdf"])), str(local_path(row["truth"])))
    (work / "golds").mkdir(parents=True, exist_ok=True)
    gold_path = accuracy.gold_for(source, work / "golds")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    xml = work / "xml" / (row["key"].replace("/", "__") + ".xml")
    xml.parent.mkdir(parents=True, exist_ok=True)
    xml.write_text(markdown_to_jats(markdown.read_text(encoding="utf-8")), encoding="utf-8")
    raw = score.score(str(xml), str(gold_path))
    return accuracy.figures(raw, gold, None)


def compare_document(row: dict[str, Any], work: Path, limit: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    pdf = local_path(row["pdf"])
    markdown = work / "md" / (row["key"].replace("/", "__") + ".md")
    out = {"key": row["key"], "group": row["group"], "family": row["family"],
           "pages": row.get("pages"), "jatsflow_outcome": row["outcome"],
           "jatsflow": {k: row["figures"].get(k) for k in FIGURES}, "peer": {},
           "peer_error": None}
    error = peer_markdown(pdf, markdown, limit)
    if error:
        out["peer_error"] = error
    else:
        try:
            figures = score_peer(row, markdown, work)
            out["peer"] = {k: figures.get(k) for k in FIGURES}
        except Exception as exc:  # a Markdown the converter or scorer chokes on is a row
            out["peer_error"] = f"scoring failed: {type(exc).__name__}: {exc}"
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def gap(row: dict[str, Any], figure: str) -> float | None:
    """peer minus jatsflow on one figure; None where either has no value."""
    ours, theirs = row["jatsflow"].get(figure), row["peer"].get(figure)
    return None if ours is None or theirs is None else round(theirs - ours, 4)


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def group_means(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each tool's mean of each figure over the documents where both tools have it, so the
    two means are over the same documents."""
    out: dict[str, Any] = {"documents": len(rows),
                           "peer_failed": sum(1 for r in rows if r["peer_error"])}
    for figure in FIGURES:
        both = [r for r in rows if gap(r, figure) is not None]
        out[figure] = {"documents": len(both),
                       "jatsflow": mean([r["jatsflow"][figure] for r in both]),
                       "peer": mean([r["peer"][figure] for r in both])}
    text = [gap(r, "text_similarity") for r in rows]
    out["text_jatsflow_ahead"] = sum(1 for g in text if g is not None and g < -AHEAD)
    out["text_jatsflow_behind"] = sum(1 for g in text if g is not None and g > AHEAD)
    out["text_tied"] = sum(1 for g in text if g is not None and abs(g) <= AHEAD)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    return {"overall": group_means(rows),
            "by_group": {k: group_means(v) for k, v in sorted(groups.items())}}


def peer_ahead(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents where the peer beats jatsflow on text similarity or heading F1, the widest
    gap (the larger of the two) first."""
    out = []
    for r in rows:
        text, heading = gap(r, "text_similarity"), gap(r, "heading_f1")
        widest = max(g for g in (text, heading, 0.0) if g is not None)
        if widest > AHEAD:
            out.append({"key": r["key"], "text_gap": text, "heading_gap": heading,
                        "widest": widest})
    return sorted(out, key=lambda a: -a["widest"])


def number(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def write_markdown(report: dict[str, Any], path: Path) -> None:
    rows, summary = report["rows"], report["summary"]
    lines = ["# jatsflow beside pymupdf4llm + layout model", "",
             f"{report['peer']}; run finished {report['finished']}. jatsflow's figures: "
             f"{report['accuracy']} ({report['accuracy_finished']}). Both scored with "
             "../shared/eval/score.py; the peer's Markdown made into a minimal JATS by "
             "tests/peer.py (its block quotes are its footnotes; it links no callouts; it has "
             "no abstract, front-matter or reference zone, so that text counts as body). "
             "Means are over the documents where both tools have the figure; – where the "
             "truth has nothing of that kind or a tool failed.", "", "## Means per group", "",
             "| group | docs | peer failed | text jf / peer | ahead / behind / tied on text | "
             + " | ".join(f"{SHORT[f]} jf / peer" for f in FIGURES[1:]) + " |",
             "|---|--:|--:|---|---|" + "---|" * (len(FIGURES) - 1)]
    for name, m in [("all", summary["overall"]), *summary["by_group"].items()]:
        cells = [f"{number(m[f]['jatsflow'])} / {number(m[f]['peer'])}" for f in FIGURES]
        lines.append(f"| {name} | {m['documents']} | {m['peer_failed']} | {cells[0]} | "
                     f"{m['text_jatsflow_ahead']} / {m['text_jatsflow_behind']} / "
                     f"{m['text_tied']} | " + " | ".join(cells[1:]) + " |")
    lines += ["", "## Where the peer is ahead (text similarity or heading F1)", "",
              "| document | text: peer − jatsflow | heading F1: peer − jatsflow |",
              "|---|--:|--:|"]
    lines += [f"| {a['key']} | {number(a['text_gap'], True)} | "
              f"{number(a['heading_gap'], True)} |" for a in report["peer_ahead"]]
    lines += ["", "## Per document (jatsflow / peer)", "",
              "| document | group | " + " | ".join(SHORT[f] for f in FIGURES) + " | peer error |",
              "|---|---|" + "---|" * len(FIGURES) + "---|"]
    for r in rows:
        cells = [f"{number(r['jatsflow'][f])} / {number(r['peer'].get(f))}" for f in FIGURES]
        lines.append(f"| {r['key']} | {r['group']} | " + " | ".join(cells)
                     + f" | {r['peer_error'] or ''} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def print_summary(report: dict[str, Any], path: Path) -> None:
    o = report["summary"]["overall"]
    print(f"{o['documents']} documents ({o['peer_failed']} the peer failed on); "
          "jatsflow / peer:")
    for name, m in [("all", o), *report["summary"]["by_group"].items()]:
        print(f"  {name:10s} " + "  ".join(
            f"{SHORT[f]} {number(m[f]['jatsflow'])}/{number(m[f]['peer'])}" for f in FIGURES))
    print(f"text similarity: jatsflow ahead on {o['text_jatsflow_ahead']}, behind on "
          f"{o['text_jatsflow_behind']}, tied on {o['text_tied']}")
    print("jatsflow trails most on: " + ", ".join(
        f"{a['key']} ({number(a['widest'], True)})" for a in report["peer_ahead"][:TRAILING]))
    print(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="jatsflow beside pymupdf4llm with PyMuPDF's "
                                             "layout model, scored alike.")
    ap.add_argument("--accuracy", type=Path, default=ACCURACY,
                    help="the accuracy.json with jatsflow's rows (make accuracy)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--only", nargs="*", default=[], help="keep documents whose key contains "
                                                           "one of these")
    ap.add_argument("--time-limit", type=float, default=TIME_LIMIT_S)
    args = ap.parse_args(argv)
    for needed, how in ((args.accuracy, "run `make accuracy` first"),
                        (PEER_PYTHON, "run `make peer`, which makes the peer's venv"),
                        (EVAL / "score.py", "../shared/eval is needed")):
        if not needed.exists():
            print(f"peer: {needed} not found: {how}", file=sys.stderr)
            return 2
    accuracy_run = json.loads(args.accuracy.read_text(encoding="utf-8"))
    rows = [r for r in accuracy_run["rows"]
            if not args.only or any(o in r["key"] for o in args.only)]
    version = peer_version()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    compared = []
    for i, row in enumerate(rows, 1):
        try:
            result = compare_document(row, out, args.time_limit)
        except NetworkRefused as exc:
            print(f"peer: stopped: it tried to download at run time ({exc})", file=sys.stderr)
            return 1
        compared.append(result)
        print(f"[{i}/{len(rows)}] {result['seconds']:7.1f} s  {row['key']}"
              + (f"  peer: {result['peer_error']}" if result["peer_error"] else ""), flush=True)
    report = {"finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
              "seconds": round(time.perf_counter() - t0, 1), "peer": version,
              "accuracy": str(args.accuracy), "accuracy_finished": accuracy_run.get("finished"),
              "figures": list(FIGURES), "summary": summarise(compared),
              "peer_ahead": peer_ahead(compared), "rows": compared}
    (out / "peer.json").write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                   encoding="utf-8")
    write_markdown(report, out / "peer.md")
    print_summary(report, out / "peer.md")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--markdown"]:
        sys.exit(write_peer_markdown(Path(sys.argv[2]), Path(sys.argv[3])))
    sys.path.insert(0, str(ROOT / "tests"))
    sys.exit(main())
