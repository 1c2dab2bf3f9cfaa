"""Editions of the gold report typeset by the engines publishers use, each scored against one gold.

tests/variants.py re-typesets the report with WeasyPrint only, so all its editions share one
engine's text encoding, word spacing, font programs and note placement. This module typesets the
same gold JSON with other engines, each driven the way a publisher would drive it:

- LaTeX through pdfLaTeX, XeLaTeX and LuaLaTeX: one column and `twocolumn` (notes at the foot of
  each column), Type 1 fonts that have no space glyph (the engine positions words) and pdfTeX's
  `\\pdfinterwordspaceon`, which writes a real space glyph between words;
- LibreOffice Writer: flat ODT written here, notes labelled `1`, `(1)` or superscript, the body of
  the essays in a two-column section; and a DOCX written by pandoc (Word's own note style,
  numbered through the whole document) converted by LibreOffice;
- Chromium printing HTML, notes as endnotes after each part;
- Typst (PyPI `typst`), one and two columns;
- groff with the ms macros (`groff -ms -Tpdf`);
- and the WeasyPrint editions of tests/variants.py.

Every word of an edition comes from the gold, so the gold scores it unchanged
(`variants.variant_gold` with all parts). Editions are built into a cache folder under build/ and
rebuilt only when the gold, this module or variants.py changes; engines run WORKERS at a time.

Run `python tests/editions.py [--out DIR] [NAME ...]` to build them and list what was built.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import variants

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "editions"
WORKERS = 2
ENGINE_TIMEOUT_S = 600.0    # one engine run; LaTeX twice over the 50-page report takes ~20 s
MARK = variants.MARK
MONTHS = variants.MONTHS


@dataclass(frozen=True)
class EditionSpec:
    """One edition: which engine, and the options the engine's writer takes."""

    name: str
    engine: str                 # shown in reports as the edition's producer
    writer: str                 # key of WRITERS
    options: tuple[tuple[str, object], ...] = ()
    notes: str = ""

    def option(self, key: str, default: object = None) -> object:
        return dict(self.options).get(key, default)


@dataclass(frozen=True)
class Edition:
    name: str
    engine: str
    pdf: Path
    gold: Path
    seconds: float
    cached: bool
    error: str = ""             # why the engine failed; "" when the PDF is there


# ------------------------------------------------------------------------ the gold, walked
def report_authors(gold: dict) -> list[str]:
    """The essayists (authors with a bio), in part order: the report's byline."""
    return [a["name"] for p in gold["parts"] for a in p.get("authors", []) if a.get("bio")]


def joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]


def series_line(meta: dict) -> str:
    year, _, month = meta["date"].partition("-")
    when = f"{MONTHS[int(month) - 1]} {year}" if month else year
    return f"{meta.get('series', '')} #{meta.get('number', '')} | {when}"


def front_items(gold: dict) -> Iterator[tuple[str, str]]:
    """Front matter as (kind, text): a title page, publisher notes with the copyright, and
    contents. kind is one of series, title, subtitle, byline, publisher, note, contents, entry."""
    meta = gold["meta"]
    yield "series", series_line(meta)
    yield "title", meta["title"]
    if meta.get("subtitle"):
        yield "subtitle", meta["subtitle"]
    yield "byline", "By " + joined(report_authors(gold))
    yield "publisher", meta.get("publisher", "")
    if meta.get("publisher_loc"):
        yield "publisher", meta["publisher_loc"]
    yield "pagebreak", ""
    for note in meta.get("front_notes", []):
        yield "note", note
    if meta.get("copyright") and not any(meta["copyright"] in n
                                         for n in meta.get("front_notes", [])):
        yield "note", meta["copyright"]
    yield "pagebreak", ""
    yield "contents", "Contents"
    by = {t["title"]: t.get("by", "") for t in meta.get("toc", [])}
    for part in gold["parts"]:
        yield "entry", f"{part['title']} — {by.get(part['title'], '')}".rstrip(" —")


def part_items(part: dict) -> Iterator[tuple[str, object]]:
    """A part as (kind, payload) in reading order: title, byline, abstract headings and blocks,
    bios, body headings (payload (level, text)), paragraphs, quotes, lists and the signature.
    Paragraph-like payloads are lists of ("text", s) and ("note", text) pieces."""
    authors = part.get("authors", [])
    notes = part.get("footnotes", {})
    yield "part", part["title"]
    essayists = [a["name"] for a in authors if a.get("bio")]
    if essayists:
        yield "byline", " and ".join(essayists) if len(essayists) == 2 else joined(essayists)
    for sec in part.get("abstract") or []:
        yield "abstract-head", sec["title"]
        for block in sec.get("blocks", []):
            yield from block_items(block, notes, "abstract-")
    for a in authors:
        if a.get("bio"):
            yield "bio", a["bio"]
    yield "body", ""
    for block in part.get("blocks", []):
        yield from block_items(block, notes, "")
    for a in authors:
        if not a.get("bio"):
            yield "signature", a["name"]
            if a.get("role"):
                yield "signature", a["role"]
    yield "end", ""


def pieces(text: str, notes: dict[str, str]) -> list[tuple[str, str]]:
    """Gold inline text → [("text", …), ("note", note text), …]; every callout has its note."""
    out: list[tuple[str, str]] = []
    split = MARK.split(text)
    for i, chunk in enumerate(split):
        if i % 2 == 0:
            if chunk:
                out.append(("text", chunk))
        else:
            out.append(("note", notes[chunk]))
    return out


def block_items(block: dict, notes: dict[str, str], prefix: str) -> Iterator[tuple[str, object]]:
    kind = block["type"]
    if kind == "heading":
        yield "heading", (int(block.get("level", 1)), block["text"])
    elif kind in ("p", "quote"):
        yield prefix + kind, pieces(block["text"], notes)
    elif kind == "list":
        yield prefix + "list", [pieces(t, notes) for t in block["items"]]
    else:
        raise ValueError(f"unknown block type {kind!r}")


def endnotes(part: dict) -> list[str]:
    """The part's notes in callout order (abstract callouts first, as they are read)."""
    texts = [b.get("text", "") for sec in part.get("abstract") or [] for b in sec["blocks"]]
    texts += [t for b in part.get("blocks", []) for t in ([b["text"]] if "text" in b
                                                            else b.get("items", []))]
    return [part["footnotes"][n] for t in texts for n in MARK.findall(t)]


# ------------------------------------------------------------------------------- LaTeX
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%",
                 "~": r"\textasciitilde{}"}
URLISH = re.compile(r"\S*(?:://|www\.)\S*")


def tex(text: str) -> str:
    """Escape for LaTeX; long web addresses may break after / . - so they do not overrun a
    column (a break point adds no character to the text)."""
    def escape(s: str) -> str:
        return "".join(LATEX_SPECIAL.get(c, c) for c in s)

    out, last = [], 0
    for m in URLISH.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(re.sub(r"([/.\-])", r"\1\\allowbreak{}", escape(m.group())))
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def tex_inline(parts: list[tuple[str, str]]) -> str:
    return "".join(tex(t) if k == "text" else f"\\footnote{{{tex(t)}}}" for k, t in parts)


def latex_source(gold: dict, spec: EditionSpec) -> str:
    engine = spec.writer
    paper = "a4paper" if spec.option("paper") == "a4" else "letterpaper"
    cols = "twocolumn" if spec.option("twocolumn") else "onecolumn"
    head = [f"\\documentclass[{spec.option('size', '11pt')},{paper},{cols}]{{article}}",
            "\\usepackage[margin=2.2cm]{geometry}"]
    if engine == "pdflatex":
        head += ["\\usepackage[T1]{fontenc}", "\\usepackage[utf8]{inputenc}",
                 f"\\usepackage{{{spec.option('font', 'lmodern')}}}"]
        if spec.option("space_glyph"):
            # pdfTeX ≥ 1.40.15 writes a real space glyph where a word space falls.
            head += ["\\pdfinterwordspaceon", "\\pdffakespace"]
    else:
        head += ["\\usepackage{fontspec}", f"\\setmainfont{{{spec.option('font')}}}"]
    head += ["\\usepackage{fancyhdr}", "\\pagestyle{fancy}", "\\fancyhf{}",
             f"\\fancyhead[R]{{\\small {tex(series_line(gold['meta']))}}}",
             "\\fancyfoot[C]{\\thepage}", "\\setlength{\\parskip}{0pt}", "\\sloppy",
             "\\begin{document}"]
    body: list[str] = []
    for kind, text in front_items(gold):
        if kind == "pagebreak":
            body.append("\\clearpage")
        elif kind == "title":
            body.append(f"{{\\LARGE\\bfseries {tex(text)}\\par}}\\medskip")
        elif kind == "subtitle":
            body.append(f"{{\\Large {tex(text)}\\par}}\\bigskip")
        elif kind == "contents":
            body.append(f"{{\\large\\bfseries {tex(text)}\\par}}\\medskip")
        else:
            body.append(f"\\noindent {tex(text)}\\par\\medskip")
    for part in gold["parts"]:
        body.append("\\clearpage\\setcounter{footnote}{0}")
        body += list(latex_part(part))
    return "\n".join(head + body + ["\\end{document}\n"])


def latex_part(part: dict) -> Iterator[str]:
    for kind, payload in part_items(part):
        if kind == "part":
            yield f"{{\\noindent\\LARGE\\bfseries {tex(payload)}\\par}}\\bigskip"
        elif kind == "byline":
            yield f"{{\\noindent\\large\\bfseries {tex(payload)}\\par}}\\medskip"
        elif kind == "abstract-head":
            yield f"\\subsubsection*{{{tex(payload)}}}"
        elif kind in ("abstract-p", "abstract-quote"):
            yield f"{{\\small {tex_inline(payload)}\\par}}"
        elif kind in ("abstract-list", "list"):
            items = "".join(f"\\item {tex_inline(i)}\n" for i in payload)
            yield f"\\begin{{itemize}}\n{items}\\end{{itemize}}"
        elif kind == "bio":
            yield f"{{\\small\\itshape\\noindent {tex(payload)}\\par}}\\bigskip"
        elif kind == "heading":
            level, text = payload
            yield f"\\{'sub' * (level - 1)}section*{{{tex(text)}}}" if level <= 2 else (
                f"\\paragraph*{{{tex(text)}}}")
        elif kind == "p":
            yield f"{tex_inline(payload)}\n"
        elif kind == "quote":
            yield f"\\begin{{quote}}\n{tex_inline(payload)}\n\\end{{quote}}"
        elif kind == "signature":
            yield f"\\noindent {tex(payload)}\\par"


def run_latex(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    source = work / "edition.tex"
    source.write_text(latex_source(gold, spec), encoding="utf-8")
    for _ in range(2):      # twice, as authors do: the second pass settles page references
        run([spec.writer, "-interaction=nonstopmode", "-halt-on-error", source.name], work)
    shutil.copyfile(work / "edition.pdf", pdf)


# -------------------------------------------------------------------- LibreOffice Writer
FODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fodt_source(gold: dict, spec: EditionSpec) -> str:
    """A flat ODT: Word-like page, notes at the page foot restarting at each part (chapter)."""
    label = spec.option("label", "sup")
    prefix, suffix = ("(", ")") if label == "paren" else ("", "")
    label_props = ('style:text-position="super 58%"' if label == "sup" else "")
    font = spec.option("font", "Liberation Serif")
    styles = f"""<office:font-face-decls>
 <style:font-face style:name="{font}" svg:font-family="'{font}'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties style:font-name="{font}"
   fo:font-size="11pt" fo:language="en" fo:country="US"/></style:default-style>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.18cm" fo:text-align="justify"
   fo:line-height="115%"/></style:style>
 <style:style style:name="Part" style:family="paragraph" style:default-outline-level="1">
  <style:paragraph-properties fo:break-before="page" fo:margin-bottom="0.4cm"/>
  <style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
   style:default-outline-level="2"><style:paragraph-properties fo:margin-top="0.4cm"
   fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph"
   style:default-outline-level="3"><style:paragraph-properties fo:margin-top="0.3cm"
   fo:margin-bottom="0.15cm" fo:keep-with-next="always"/>
  <style:text-properties fo:font-size="11pt" fo:font-weight="bold" fo:font-style="italic"/>
 </style:style>
 <style:style style:name="Small" style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.15cm"/>
  <style:text-properties fo:font-size="9.5pt"/></style:style>
 <style:style style:name="Quotations" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="1cm" fo:margin-right="1cm"
   fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="10pt"/></style:style>
 <style:style style:name="Footnote" style:family="paragraph">
  <style:paragraph-properties fo:margin-left="0.5cm" fo:text-indent="-0.5cm"/>
  <style:text-properties fo:font-size="8.5pt"/></style:style>
 <style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol"
   style:family="text"><style:text-properties {label_props}/></style:style>
 <style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor"
   style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
 <text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol"
   text:citation-body-style-name="Footnote_20_anchor" style:num-prefix="{prefix}"
   style:num-suffix="{suffix}" style:num-format="1" text:start-value="0"
   text:footnotes-position="page" text:start-numbering-at="chapter"/>
 <text:outline-style style:name="Outline"/>
</office:styles>"""
    width, height = ("21cm", "29.7cm") if spec.option("paper") == "a4" else ("21.59cm", "27.94cm")
    auto = f"""<office:automatic-styles>
 <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="{width}"
   fo:page-height="{height}" fo:margin-top="2cm" fo:margin-bottom="1.5cm" fo:margin-left="2.2cm"
   fo:margin-right="2.2cm"/><style:footer-style/></style:page-layout>
 <style:style style:name="Cols" style:family="section"><style:section-properties>
   <style:columns fo:column-count="2" fo:column-gap="0.7cm"/></style:section-properties>
 </style:style>
 <style:style style:name="Break" style:family="paragraph" style:parent-style-name="Text_20_body">
   <style:paragraph-properties fo:break-before="page"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
 <style:footer><text:p><text:page-number text:select-page="current"/></text:p></style:footer>
</style:master-page></office:master-styles>"""
    body: list[str] = []
    note_id = [0]

    def inline(parts: list[tuple[str, str]]) -> str:
        out = []
        for kind, text in parts:
            if kind == "text":
                out.append(xml_text(text))
            else:
                note_id[0] += 1
                out.append(f'<text:note text:id="ftn{note_id[0]}" text:note-class="footnote">'
                           f"<text:note-citation>{note_id[0]}</text:note-citation><text:note-body>"
                           f'<text:p text:style-name="Footnote">{xml_text(text)}</text:p>'
                           "</text:note-body></text:note>")
        return "".join(out)

    def para(style: str, content: str) -> str:
        return f'<text:p text:style-name="{style}">{content}</text:p>'

    broken = False
    for kind, text in front_items(gold):
        if kind == "pagebreak":
            broken = True
            continue
        style = "Break" if broken else "Text_20_body"
        broken = False
        body.append(para(style, xml_text(text)))
    columns = bool(spec.option("two_column_section"))
    for part in gold["parts"]:
        in_section = False
        for kind, payload in part_items(part):
            if kind == "part":
                body.append(f'<text:h text:style-name="Part" text:outline-level="1">'
                            f"{xml_text(payload)}</text:h>")
            elif kind == "body" and columns and part.get("kind") != "foreword":
                body.append(f'<text:section text:style-name="Cols" text:name="Body{len(body)}">')
                in_section = True
            elif kind == "end" and in_section:
                body.append("</text:section>")
            elif kind in ("byline", "abstract-head"):
                body.append(para("Heading_20_3", xml_text(payload)))
            elif kind in ("abstract-p", "abstract-quote", "bio"):
                body.append(para("Small", inline(payload) if isinstance(payload, list)
                                 else xml_text(payload)))
            elif kind in ("abstract-list", "list"):
                items = "".join(f'<text:list-item>{para("Text_20_body", inline(i))}'
                                "</text:list-item>" for i in payload)
                body.append(f"<text:list>{items}</text:list>")
            elif kind == "heading":
                level, text = payload
                body.append(f'<text:h text:style-name="Heading_20_{min(level + 1, 3)}" '
                            f'text:outline-level="{level + 1}">{xml_text(text)}</text:h>')
            elif kind == "p":
                body.append(para("Text_20_body", inline(payload)))
            elif kind == "quote":
                body.append(para("Quotations", inline(payload)))
            elif kind == "signature":
                body.append(para("Text_20_body", xml_text(payload)))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {FODT_NS} '
            'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            f"{styles}{auto}<office:body><office:text>{''.join(body)}</office:text></office:body>"
            "</office:document>\n")


def libreoffice_pdf(source: Path, work: Path, pdf: Path) -> None:
    """`soffice --headless --convert-to pdf` with a profile of its own, so runs can overlap."""
    profile = (work / "lo-profile").resolve().as_uri()
    run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(source)], work)
    shutil.copyfile(work / (source.stem + ".pdf"), pdf)


def run_writer(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    source = work / "edition.fodt"
    source.write_text(fodt_source(gold, spec), encoding="utf-8")
    libreoffice_pdf(source, work, pdf)


# ------------------------------------------------------------------ pandoc → DOCX → PDF
def pandoc_inlines(text: str) -> list[dict]:
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def pandoc_para(parts: list[tuple[str, str]]) -> list[dict]:
    out: list[dict] = []
    for kind, text in parts:
        if kind == "text":
            out += pandoc_inlines(text)
        else:
            out.append({"t": "Note", "c": [{"t": "Para", "c": pandoc_inlines(text)}]})
    return out


def pandoc_document(gold: dict) -> dict:
    """The report as a pandoc AST (JSON): no markup to escape, notes as real Word footnotes."""
    page_break = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}
    blocks: list[dict] = []
    for kind, text in front_items(gold):
        blocks.append(page_break if kind == "pagebreak" else
                      {"t": "Para", "c": pandoc_inlines(text)})
    attr = ["", [], []]
    for part in gold["parts"]:
        blocks.append(page_break)
        for kind, payload in part_items(part):
            if kind == "part":
                blocks.append({"t": "Header", "c": [1, attr, pandoc_inlines(payload)]})
            elif kind in ("byline", "abstract-head"):
                blocks.append({"t": "Para", "c": [{"t": "Strong",
                                                   "c": pandoc_inlines(payload)}]})
            elif kind in ("abstract-p", "p", "abstract-quote"):
                blocks.append({"t": "Para", "c": pandoc_para(payload)})
            elif kind == "quote":
                blocks.append({"t": "BlockQuote", "c": [{"t": "Para", "c": pandoc_para(payload)}]})
            elif kind in ("abstract-list", "list"):
                blocks.append({"t": "BulletList", "c": [[{"t": "Plain", "c": pandoc_para(i)}]
                                                        for i in payload]})
            elif kind == "bio":
                blocks.append({"t": "Para", "c": [{"t": "Emph", "c": pandoc_inlines(payload)}]})
            elif kind == "heading":
                level, heading = payload
                blocks.append({"t": "Header", "c": [level + 1, attr, pandoc_inlines(heading)]})
            elif kind == "signature":
                blocks.append({"t": "Para", "c": pandoc_inlines(payload)})
    return {"pandoc-api-version": pandoc_api_version(), "meta": {}, "blocks": blocks}


def pandoc_api_version() -> list[int]:
    """The AST version the installed pandoc reads (it refuses another major version)."""
    made = subprocess.run(["pandoc", "-f", "markdown", "-t", "json"], input="x",
                          capture_output=True, text=True, check=True)
    return json.loads(made.stdout)["pandoc-api-version"]


def run_docx(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    ast = work / "edition.json"
    ast.write_text(json.dumps(pandoc_document(gold), ensure_ascii=False), encoding="utf-8")
    docx = work / "edition.docx"
    run(["pandoc", "-f", "json", "-t", "docx", "-o", str(docx), str(ast)], work)
    libreoffice_pdf(docx, work, pdf)


# --------------------------------------------------------------------- Chromium (HTML)
def html_inline(parts: list[tuple[str, str]], counter: list[int], part_id: str) -> str:
    out = []
    for kind, text in parts:
        if kind == "text":
            out.append(variants.esc(text))
        else:
            counter[0] += 1
            n = counter[0]
            out.append(f'<sup><a href="#{part_id}-n{n}">{n}</a></sup>')
    return "".join(out)


def chromium_html(gold: dict, spec: EditionSpec) -> str:
    size = "A4" if spec.option("paper") == "a4" else "letter"
    css = (f"@page {{ size: {size}; margin: 22mm 20mm; }}"
           f"body {{ font: 10.5pt/1.45 '{spec.option('font', 'DejaVu Serif')}'; }}"
           "p { margin: 0 0 6pt; text-align: justify; } .part { break-before: page; }"
           "h1 { font-size: 20pt; } h2 { font-size: 13pt; } h3 { font-size: 11pt; }"
           ".small { font-size: 9pt; } .notes li { font-size: 9pt; margin-bottom: 3pt; }"
           ".front-break { break-after: page; }")
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><style>{css}</style>"
           f"<title>{variants.esc(gold['meta']['title'])}</title></head><body>"]
    for kind, text in front_items(gold):
        out.append("<div class='front-break'></div>" if kind == "pagebreak"
                   else f"<p>{variants.esc(text)}</p>")
    for part in gold["parts"]:
        pid, counter = part["id"], [0]
        out.append(f"<section class='part' id='{pid}'>")
        for kind, payload in part_items(part):
            if kind == "part":
                out.append(f"<h1>{variants.esc(payload)}</h1>")
            elif kind in ("byline", "abstract-head"):
                out.append(f"<h3>{variants.esc(payload)}</h3>")
            elif kind in ("abstract-p", "abstract-quote"):
                out.append(f"<p class='small'>{html_inline(payload, counter, pid)}</p>")
            elif kind == "bio":
                out.append(f"<p class='small'><i>{variants.esc(payload)}</i></p>")
            elif kind in ("abstract-list", "list"):
                items = "".join(f"<li>{html_inline(i, counter, pid)}</li>" for i in payload)
                out.append(f"<ul>{items}</ul>")
            elif kind == "heading":
                level, text = payload
                out.append(f"<h{level + 1}>{variants.esc(text)}</h{level + 1}>")
            elif kind == "p":
                out.append(f"<p>{html_inline(payload, counter, pid)}</p>")
            elif kind == "quote":
                out.append(f"<blockquote><p>{html_inline(payload, counter, pid)}</p></blockquote>")
            elif kind == "signature":
                out.append(f"<p>{variants.esc(payload)}</p>")
        notes = endnotes(part)
        if notes:
            items = "".join(f"<li id='{pid}-n{i}'>{variants.esc(t)}</li>"
                            for i, t in enumerate(notes, 1))
            out.append(f"<h2>Notes</h2><ol class='notes'>{items}</ol>")
        out.append("</section>")
    out.append("</body></html>")
    return "".join(out)


def run_chromium(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    page = work / "edition.html"
    page.write_text(chromium_html(gold, spec), encoding="utf-8")
    # --no-sandbox: the test machines run as root, where Chromium's sandbox refuses to start.
    run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={work / 'chromium-profile'}", f"--print-to-pdf={pdf}",
         page.resolve().as_uri()], work)


# ---------------------------------------------------------------------------- Typst
def typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # Typst strings take JSON's escapes


def typst_inline(parts: list[tuple[str, str]]) -> str:
    return "".join(f"#{typst_string(t)}" if k == "text" else f"#footnote[#{typst_string(t)}]"
                   for k, t in parts)


def typst_source(gold: dict, spec: EditionSpec) -> str:
    paper = "a4" if spec.option("paper") == "a4" else "us-letter"
    cols = 2 if spec.option("twocolumn") else 1
    out = [f'#set page(paper: "{paper}", margin: 2cm, columns: {cols}, numbering: "1", '
           f'header: align(right, text(size: 8pt)[#{typst_string(series_line(gold["meta"]))}]))',
           f'#set text(font: "{spec.option("font", "DejaVu Serif")}", size: 10pt, lang: "en")',
           "#set par(justify: true)", ""]
    for kind, text in front_items(gold):
        out.append("#pagebreak()" if kind == "pagebreak" else f"#{typst_string(text)}\n")
    for part in gold["parts"]:
        out.append("#pagebreak()\n#counter(footnote).update(0)")
        for kind, payload in part_items(part):
            if kind == "part":
                out.append(f"#text(size: 18pt, weight: \"bold\")[#{typst_string(payload)}]\n")
            elif kind in ("byline", "abstract-head"):
                out.append(f"#strong[#{typst_string(payload)}]\n")
            elif kind in ("abstract-p", "abstract-quote"):
                out.append(f"#text(size: 9pt)[{typst_inline(payload)}]\n")
            elif kind == "bio":
                out.append(f"#emph[#{typst_string(payload)}]\n")
            elif kind in ("abstract-list", "list"):
                out += [f"- {typst_inline(i)}" for i in payload] + [""]
            elif kind == "heading":
                level, text = payload
                out.append(f"#heading(level: {level})[#{typst_string(text)}]\n")
            elif kind == "p":
                out.append(typst_inline(payload) + "\n")
            elif kind == "quote":
                out.append(f"#quote(block: true)[{typst_inline(payload)}]\n")
            elif kind == "signature":
                out.append(f"#{typst_string(payload)}\n")
    return "\n".join(out)


def run_typst(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    import typst

    source = work / "edition.typ"
    source.write_text(typst_source(gold, spec), encoding="utf-8")
    typst.compile(str(source), output=str(pdf), font_paths=["/usr/share/fonts"])


# ---------------------------------------------------------------------------- groff
def roff(text: str) -> str:
    """Escape for troff: backslashes, and a leading . or ' that would start a request."""
    text = text.replace("\\", "\\e")
    return "\\&" + text if text[:1] in (".", "'") else text


def roff_inline(parts: list[tuple[str, str]]) -> str:
    """Text with ms auto-numbered notes: the call \\** and the note between .FS and .FE.

    A line end is a word space in troff, so text that goes on without a space after a call
    (a comma, a full stop) is joined to the call's line with \\c."""
    lines = []
    for i, (kind, text) in enumerate(parts):
        if kind == "text":
            lines.append(roff(text.strip()))
            continue
        glued = i + 1 < len(parts) and not parts[i + 1][1].startswith(" ")
        call = "\\**\\c" if glued else "\\**"
        if lines and lines[-1] and not lines[-1].startswith("."):
            lines[-1] += call
        else:
            lines.append("\\&" + call)
        lines += [".FS", roff(text), ".FE"]
    return "\n".join(line for line in lines if line)


def groff_source(gold: dict, spec: EditionSpec) -> str:
    out = [".nr PS 10", ".nr VS 12", ".nr FPS 8", ".nr FVS 10"]
    for kind, text in front_items(gold):
        out += [".bp"] if kind == "pagebreak" else [".LP", roff(text)]
    for part in gold["parts"]:
        out.append(".bp")
        out.append(".nr * 0")       # restart the auto-numbered notes in each part
        for kind, payload in part_items(part):
            if kind == "part":
                out += [".SH 1", ".ps 16", roff(payload), ".ps"]
            elif kind in ("byline", "abstract-head"):
                out += [".LP", f"\\fB{roff(payload)}\\fP"]
            elif kind in ("abstract-p", "abstract-quote", "p"):
                out += [".PP", roff_inline(payload)]
            elif kind == "bio":
                out += [".LP", f"\\fI{roff(payload)}\\fP"]
            elif kind in ("abstract-list", "list"):
                for item in payload:
                    out += [".IP \\(bu 2", roff_inline(item)]
            elif kind == "heading":
                level, text = payload
                out += [f".SH {level + 1}", roff(text)]
            elif kind == "quote":
                out += [".QP", roff_inline(payload)]
            elif kind == "signature":
                out += [".LP", roff(payload)]
    return "\n".join(out) + "\n"


def run_groff(gold: dict, spec: EditionSpec, work: Path, pdf: Path) -> None:
    source = work / "edition.ms"
    source.write_text(groff_source(gold, spec), encoding="utf-8")
    # -k: preconv reads the UTF-8 source; -ms: the macros; gropdf writes the PDF.
    made = run(["groff", "-k", "-ms", "-Tpdf", "-P-p" + spec.option("paper", "letter"),
                source.name], work)
    pdf.write_bytes(made)


# ------------------------------------------------------------------------ the editions
WRITERS: dict[str, Callable[[dict, EditionSpec, Path, Path], None]] = {
    "pdflatex": run_latex, "xelatex": run_latex, "lualatex": run_latex,
    "writer": run_writer, "docx": run_docx, "chromium": run_chromium, "typst": run_typst,
    "groff": run_groff,
}

EDITIONS: dict[str, EditionSpec] = {e.name: e for e in (
    EditionSpec("pdflatex-letter-1col", "pdfLaTeX", "pdflatex",
                notes="Latin Modern Type 1 fonts, no space glyph: words are positioned."),
    EditionSpec("pdflatex-a4-2col-spaceglyph", "pdfLaTeX", "pdflatex",
                (("paper", "a4"), ("twocolumn", True), ("size", "10pt"),
                 ("font", "mathptmx"), ("space_glyph", True)),
                notes="Times, two columns with notes at each column's foot; "
                      "\\pdfinterwordspaceon writes a space glyph between words."),
    EditionSpec("xelatex-a4-2col", "XeLaTeX", "xelatex",
                (("paper", "a4"), ("twocolumn", True), ("size", "10pt"),
                 ("font", "Liberation Serif")),
                notes="Liberation Serif (TrueType) in two columns, notes at each column's foot."),
    EditionSpec("xelatex-letter-1col-sans", "XeLaTeX", "xelatex",
                (("font", "DejaVu Sans"),), notes="DejaVu Sans, one column."),
    EditionSpec("lualatex-a4-1col", "LuaLaTeX", "lualatex",
                (("paper", "a4"), ("font", "DejaVu Serif")), notes="DejaVu Serif, one column."),
    EditionSpec("lualatex-letter-2col", "LuaLaTeX", "lualatex",
                (("twocolumn", True), ("size", "10pt"), ("font", "Liberation Sans")),
                notes="Liberation Sans, two columns, notes at each column's foot."),
    EditionSpec("writer-notes-plain", "LibreOffice", "writer",
                (("label", "plain"), ("paper", "a4")),
                notes="Flat ODT; notes labelled 1 on the baseline, calls superscript."),
    EditionSpec("writer-notes-paren", "LibreOffice", "writer",
                (("label", "paren"), ("font", "DejaVu Serif")),
                notes="Flat ODT; notes labelled (1)."),
    EditionSpec("writer-notes-sup-2col", "LibreOffice", "writer",
                (("label", "sup"), ("two_column_section", True), ("paper", "a4")),
                notes="Flat ODT; superscript note labels; essays' bodies in a two-column "
                      "section, notes page-wide."),
    EditionSpec("word-docx-pandoc", "LibreOffice (DOCX)", "docx",
                notes="DOCX written by pandoc (Word's note styles, notes numbered through the "
                      "document), converted by LibreOffice."),
    EditionSpec("chromium-endnotes", "Chromium", "chromium",
                notes="HTML printed by headless Chromium; notes as endnotes after each part."),
    EditionSpec("typst-a4-1col", "Typst", "typst", (("paper", "a4"),),
                notes="Typst, DejaVu Serif, one column."),
    EditionSpec("typst-letter-2col", "Typst", "typst",
                (("twocolumn", True), ("font", "Liberation Serif")),
                notes="Typst, two columns, notes page-wide."),
    EditionSpec("groff-ms", "groff", "groff", notes="groff -ms -Tpdf, Times, notes at the foot."),
)}


class EngineError(RuntimeError):
    """An engine failed; the message ends with the tail of its output."""


def run(cmd: list[str], cwd: Path) -> bytes:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=ENGINE_TIMEOUT_S,
                          env={**os.environ, "HOME": str(cwd)})
    if done.returncode:
        tail = (done.stdout[-1500:] + done.stderr[-1500:]).decode("utf-8", "replace")
        raise EngineError(f"{cmd[0]} exited {done.returncode}: {tail}")
    return done.stdout


def cache_key(gold: dict, name: str) -> str:
    """Changes with the gold, the edition's name and the code that writes it: variants.py for
    every edition, this module too for the engine editions."""
    digest = hashlib.sha256(json.dumps(gold, sort_keys=True).encode())
    code = [Path(variants.__file__)] + ([Path(__file__)] if name in EDITIONS else [])
    for path in code:
        digest.update(path.read_bytes())
    digest.update(name.encode())
    return digest.hexdigest()


def build_one(name: str, gold: dict, cache: Path) -> Edition:
    pdf, gold_path, stamp = (cache / f"{name}.pdf", cache / f"{name}.gold.json",
                             cache / f"{name}.key")
    key = cache_key(gold, name)
    engine = EDITIONS[name].engine if name in EDITIONS else "WeasyPrint"
    if pdf.exists() and gold_path.exists() and stamp.exists() and stamp.read_text() == key:
        return Edition(name, engine, pdf, gold_path, 0.0, True)
    t0 = time.perf_counter()
    if name in EDITIONS:
        with tempfile.TemporaryDirectory(prefix=f"edition-{name}-") as tmp:
            WRITERS[EDITIONS[name].writer](gold, EDITIONS[name], Path(tmp), pdf)
        gold_path.write_text(json.dumps(variants.variant_gold(gold), ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    else:
        variants.build_all(cache, [name], gold)
    stamp.write_text(key)
    return Edition(name, engine, pdf, gold_path, round(time.perf_counter() - t0, 1), False)


def all_names() -> list[str]:
    return list(EDITIONS) + list(variants.VARIANTS)


def build_editions(cache: Path = CACHE, names: list[str] | None = None,
                   workers: int = WORKERS) -> list[Edition]:
    """Build (or reuse from `cache`) the named editions, engine ones and WeasyPrint ones."""
    gold = variants.load_gold()
    cache.mkdir(parents=True, exist_ok=True)
    wanted = names or all_names()
    unknown = [n for n in wanted if n not in EDITIONS and n not in variants.VARIANTS]
    if unknown:
        raise ValueError(f"unknown editions {unknown}")
    with ThreadPoolExecutor(workers) as pool:   # engines are processes; threads just wait
        return list(pool.map(lambda n: try_build(n, gold, cache), wanted))


def try_build(name: str, gold: dict, cache: Path) -> Edition:
    """build_one, or an Edition that says in one line why its engine failed."""
    try:
        return build_one(name, gold, cache)
    except Exception as exc:  # one engine's failure must not stop the other editions
        engine = EDITIONS[name].engine if name in EDITIONS else "WeasyPrint"
        first = (str(exc).strip().splitlines() or [""])[0]
        return Edition(name, engine, cache / f"{name}.pdf", cache / f"{name}.gold.json", 0.0,
                       False, f"{type(exc).__name__}: {first}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Typeset the gold report with several engines.")
    ap.add_argument("--out", type=Path, default=CACHE)
    ap.add_argument("names", nargs="*", help=f"editions (default all): {', '.join(all_names())}")
    args = ap.parse_args(argv)
    try:
        built = build_editions(args.out, args.names or None)
    except ValueError as exc:
        print(f"editions: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    for e in built:
        state = "FAILED" if e.error else "cached" if e.cached else f"{e.seconds:5.1f} s"
        print(f"{e.name:32s} {e.engine:20s} {state:>8s}  {e.error or e.pdf}")
    return 1 if any(e.error for e in built) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
