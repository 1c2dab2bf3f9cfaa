"""Re-typeset the gold report in other house styles, to test that extraction generalises.

We have one real edition of the report (source/nbr79.pdf) but the tool will be checked on editions
typeset differently: two columns, A4, other fonts, other running heads. Committing such PDFs would
freeze one guess of them; instead this module renders them at test time from the gold JSON, so every
word in a variant comes from the gold and the same gold scores the variant (see `variant_gold`).

Each `Layout` is a small, declarative house style. `build_variant` turns gold + layout into HTML and
CSS and lets WeasyPrint paginate it: footnotes are real CSS footnotes (`float: footnote`) numbered
from 1 in each part, running heads come from `string-set`, folios from page counters, and the front
matter (cover, board, publisher notes, contents) is there so the extractor has to tell it apart.

Run `python tests/variants.py OUTDIR [NAME ...]` to write the variants and their golds to a folder.
"""

from __future__ import annotations

import copy
import html
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

GOLD_PATH = Path(__file__).resolve().parents[2] / "shared" / "gold" / "nbr79.json"

MARK = re.compile(r"\[\^(\d+)\]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


@dataclass(frozen=True)
class Layout:
    """One house style. Defaults are a plain Letter, one-column, serif book page.

    Fields are deliberately typographic, not structural: whatever a layout changes, the words, their
    order and the document structure stay those of the gold.
    """

    name: str
    page_size: str = "letter"                   # CSS size keyword: letter, A4, A5
    # top, right, bottom, left
    margins_mm: tuple[float, float, float, float] = (25.0, 25.0, 25.0, 25.0)
    columns: int = 1                            # body text columns (front-stub always spans)
    column_gap_mm: float = 7.0
    body_font: str = "Liberation Serif"
    heading_font: str = ""                      # "" = same as body
    body_pt: float = 11.0
    leading: float = 1.35
    justify: bool = True
    hyphenate: bool = False                     # hyphens: auto (pyphen, lang="en")
    hyphen_char: str = "\u2010"                 # WeasyPrint's default hyphenate-character
    paragraph: str = "indent"                   # "indent" first lines or "space" between
    ligatures: bool = True
    part_title_pt: float = 20.0
    heading_pt: tuple[float, float] = (13.0, 11.0)   # section level 1, level 2
    heading_bold: bool = True
    heading_case: str = "none"                  # none | upper | small-caps
    heading_numbered: bool = False              # "1", "1.1" before section titles
    running_head: str = "series"                # series | report-title | part-title | book | none
    running_head_at: str = "top"                # top | bottom
    running_head_align: str = "right"           # left | center | right | outer
    series_format: str = "{series_upper} #{number} | {month_upper} {year}"
    folio_at: str = "bottom"                    # top | bottom
    folio_align: str = "center"                 # center | outer
    front_folio: str = "lower-roman"            # counter style of the foreword's folios
    note_pt: float = 8.5
    note_rule: str = "short"                    # short | full | none
    # Space between rule and first note. WeasyPrint 70 misplaces notes at some geometries
    # (see misplaced_notes); the values in VARIANTS are ones that place them right first time.
    note_gap_pt: float = 3.5
    note_leading: float = 1.25
    note_marker: str = "dot"                    # dot ("1. text") | sup (superscript "1")
    quote_indent_mm: float = 10.0
    quote_italic: bool = False
    bullet: str = "\u25a0"                      # list glyph
    abstract_style: str = "box"                 # box (ruled frame) | shaded
    back_cover: bool = True
    parts: tuple[str, ...] = ()                 # part ids to render; () = all
    notes: str = ""                             # what the variant is for, shown in reports

    @property
    def heading_family(self) -> str:
        return self.heading_font or self.body_font


# Page sizes in PDF points, to check geometry.
PAGE_POINTS = {"letter": (612.0, 792.0), "A4": (595.28, 841.89), "A5": (419.53, 595.28)}


VARIANTS: dict[str, Layout] = {v.name: v for v in (
    Layout(
        name="letter-serif-1col-bottomfolio",
        notes="Closest to the original: Letter, Liberation Serif, series running head top right, "
              "arabic folio bottom centre, indented paragraphs, square bullets, no hyphenation.",
    ),
    Layout(
        name="a4-sans-2col",
        page_size="A4", margins_mm=(22.0, 18.0, 22.0, 18.0), columns=2, column_gap_mm=6.0,
        body_font="Liberation Sans", body_pt=9.5, leading=1.3, justify=False,
        paragraph="space", part_title_pt=18.0, heading_pt=(11.5, 10.0),
        running_head="part-title", running_head_align="left",
        folio_at="top", folio_align="outer", note_pt=7.5, note_rule="full", note_gap_pt=3.0,
        note_marker="sup",
        quote_indent_mm=5.0, quote_italic=True, bullet="\u2013", abstract_style="shaded",
        notes="Two ragged-right columns, sans, essay title as running head (hidden on opening "
              "pages), folio top outer, spaced paragraphs, en-dash bullets, full-width note rule.",
    ),
    Layout(
        name="a4-dejavu-hyphen",
        page_size="A4", margins_mm=(25.0, 28.0, 28.0, 28.0), body_font="DejaVu Serif",
        heading_font="DejaVu Sans", body_pt=10.0, leading=1.4, hyphenate=True,
        part_title_pt=17.0, heading_pt=(12.0, 10.5), heading_numbered=True,
        running_head="report-title", running_head_at="bottom", running_head_align="left",
        folio_at="bottom", folio_align="outer", front_folio="upper-roman",
        note_pt=8.0, note_gap_pt=4.0, quote_indent_mm=16.0, bullet="\u2022", ligatures=False,
        back_cover=False,
        notes="DejaVu Serif text with DejaVu Sans numbered headings (1, 1.1), justified with "
              "pyphen hyphenation (U+2010 hyphens), report title and folio both at the foot, "
              "upper-roman front folios, deep quote indent, round bullets, no back cover.",
    ),
    Layout(
        name="letter-2col-smallcaps-heads",
        margins_mm=(20.0, 19.0, 20.0, 19.0), columns=2, column_gap_mm=8.0, body_pt=10.0,
        leading=1.25, hyphenate=True, hyphen_char="-", heading_case="small-caps",
        heading_bold=False, heading_pt=(12.5, 10.5), running_head="book",
        running_head_align="outer", folio_at="top", folio_align="outer",
        series_format="{series} No. {number} \u00b7 {month} {year}", note_pt=8.0,
        quote_indent_mm=4.0, bullet="\u2022",
        notes="Two justified columns with ASCII-hyphen hyphenation, small-caps roman section "
              "heads, book running heads (report title verso, essay title recto), folio top "
              "outer.",
    ),
    Layout(
        name="a5-large-notes",
        page_size="A5", margins_mm=(16.0, 14.0, 18.0, 14.0), body_font="DejaVu Sans",
        body_pt=8.5, leading=1.3, justify=False, paragraph="space", part_title_pt=15.0,
        heading_pt=(10.5, 9.0), heading_case="upper", running_head="series",
        running_head_at="bottom", running_head_align="center",
        series_format="{title} \u2014 {series} {number}, {month} {year}", folio_at="top",
        folio_align="center", note_pt=8.5, note_rule="none", note_gap_pt=8.1, note_marker="sup",
        quote_indent_mm=6.0, bullet="\u25a0",
        notes="Small A5 page, DejaVu Sans, notes as large as the text and without a rule, "
              "some notes pushed to the next page, upper-case heads, report-title running foot, "
              "folio top centre.",
    ),
    Layout(
        name="a4-liberation-sans-nohead",
        page_size="A4", margins_mm=(30.0, 35.0, 30.0, 35.0), body_font="Liberation Serif",
        heading_font="Liberation Sans", body_pt=11.5, leading=1.5, running_head="none",
        folio_at="bottom", folio_align="outer", heading_pt=(14.0, 12.0), part_title_pt=22.0,
        note_pt=9.0, note_rule="full", note_gap_pt=4.0, note_leading=1.2,
        quote_indent_mm=12.0, quote_italic=True, bullet="\u2013",
        abstract_style="shaded",
        notes="Generous A4 page without running heads, serif text with sans heads, italic "
              "quotes, large notes under a full rule.",
    ),
)}


# ------------------------------------------------------------------------ gold helpers
def load_gold(path: Path = GOLD_PATH) -> dict:
    """The shared gold JSON (read-only)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def selected_parts(gold: dict, layout: Layout | None) -> list[dict]:
    """Parts a layout renders, in gold order; an unknown id is a mistake worth failing on."""
    parts = gold["parts"]
    if layout is None or not layout.parts:
        return parts
    known = {p["id"] for p in parts}
    unknown = [pid for pid in layout.parts if pid not in known]
    if unknown:
        raise ValueError(f"layout {layout.name!r} names unknown parts {unknown}")
    return [p for p in parts if p["id"] in layout.parts]


def variant_gold(gold: dict, layout: Layout | None = None) -> dict:
    """The gold a variant should be scored against.

    Usually the gold itself: every variant renders all meta fields the scorer reads (title,
    subtitle, authors, date, number, publisher, copyright). A layout that renders a subset of parts
    gets the matching subset (and contents entries). Two things differ from the source edition and
    are not scored: `meta.toc[].page` keeps the original page numbers although a variant prints its
    own, and section numbers of `heading_numbered` layouts are typeset but are not part of the
    heading text (an extractor should put them in a JATS `label`).
    """
    out = copy.deepcopy(gold)
    parts = selected_parts(gold, layout)
    if len(parts) != len(gold["parts"]):
        out["parts"] = copy.deepcopy(parts)
        titles = {p["title"] for p in parts}
        out["meta"]["toc"] = [t for t in out["meta"].get("toc", []) if t["title"] in titles]
    return out


# ------------------------------------------------------------------------- HTML side
def esc(text: str) -> str:
    return html.escape(text, quote=False)


def mark_italics(escaped: str, phrases: Iterable[str]) -> str:
    """Wrap the first occurrence of each phrase in <em>, never inside a tag already made."""
    for phrase in phrases:
        target = esc(phrase)
        start = 0
        while True:
            i = escaped.find(target, start)
            if i < 0:
                break
            # Skip hits inside an existing <em>…</em> (nested phrases) or inside a tag.
            before = escaped[:i]
            if before.count("<em>") == before.count("</em>") and before.rfind("<") <= before.rfind(
                    ">"):
                escaped = f"{escaped[:i]}<em>{target}</em>{escaped[i + len(target):]}"
                break
            start = i + len(target)
    return escaped


def inline(text: str, italics: Iterable[str] = (), notes: dict[str, str] | None = None,
           note_italics: dict[str, list[str]] | None = None, part_id: str = "p") -> str:
    """Gold inline text → HTML: italics, and `[^N]` callouts turned into CSS footnotes.

    WeasyPrint numbers footnotes itself (the `footnote` counter, reset per part), so a callout only
    gets the right number if callouts come in order 1, 2, 3… in the part; `check_callouts` makes
    sure of that before rendering.
    """
    pieces = MARK.split(text)             # text, num, text, num, …
    plain = "\x00".join(pieces[0::2])     # NULs stand where the notes go
    out = mark_italics(esc(plain), italics)
    chunks = out.split("\x00")
    html_parts = [chunks[0]]
    for num, after in zip(pieces[1::2], chunks[1:], strict=True):
        if notes is None or num not in notes:
            raise ValueError(f"callout [^{num}] has no footnote text")
        body = mark_italics(esc(notes[num]), (note_italics or {}).get(num, []))
        # Empty anchors let build_variant see on which page each call and each note landed.
        html_parts.append(f'<a class="call" id="call-{part_id}-{num}"></a>'
                          f'<span class="fn" id="note-{part_id}-{num}">{body}</span>{after}')
    return "".join(html_parts)


def check_callouts(part: dict) -> None:
    """Callouts must run 1..n once each, as CSS footnote numbering assumes."""
    seq = [int(m) for b in part.get("blocks", [])
           for t in ([b["text"]] if "text" in b else b.get("items", []))
           for m in MARK.findall(t)]
    if seq != list(range(1, len(seq) + 1)):
        raise ValueError(f"part {part['id']!r}: callouts {seq[:10]}… are not 1, 2, 3…")


def block_html(block: dict, part: dict) -> str:
    notes = part.get("footnotes", {})
    note_it = part.get("footnote_italics", {})
    pid = part.get("id", "p")
    kind = block["type"]
    if kind == "heading":
        level = int(block.get("level", 1))
        tag = "h2" if level <= 1 else "h3" if level == 2 else "h4"
        return f"<{tag}>{esc(block['text'])}</{tag}>"
    if kind == "p":
        return f"<p>{inline(block['text'], block.get('italic', []), notes, note_it, pid)}</p>"
    if kind == "quote":
        body = inline(block["text"], block.get("italic", []), notes, note_it, pid)
        return f"<blockquote><p>{body}</p></blockquote>"
    if kind == "list":
        items = "".join(f"<li>{inline(t, block.get('italic', []), notes, note_it, pid)}</li>"
                        for t in block["items"])
        return f"<ul>{items}</ul>"
    raise ValueError(f"unknown block type {kind!r}")


def date_bits(meta: dict) -> dict[str, str]:
    year, _, month = meta.get("date", "").partition("-")
    month_name = MONTHS[int(month) - 1] if month else ""
    return {"year": year, "month": month_name, "month_upper": month_name.upper()}


def series_line(meta: dict, layout: Layout) -> str:
    bits = date_bits(meta)
    return layout.series_format.format(
        series=meta.get("series", ""), series_upper=meta.get("series", "").upper(),
        number=meta.get("number", ""), title=meta.get("title", ""), **bits)


def front_matter_html(meta: dict, parts: list[dict], layout: Layout) -> str:
    """Cover, board, publisher notes with copyright, and contents with live page numbers."""
    cover_lines = meta.get("cover") or [meta["title"], meta.get("subtitle", "")]
    cover = [f'<p class="cover-series">{esc(series_line(meta, layout))}</p>',
             f'<h1 class="cover-title">{esc(cover_lines[0])}</h1>']
    cover += [f'<p class="cover-line">{esc(line)}</p>' for line in cover_lines[1:]]
    cover.append(f'<p class="cover-pub">{esc(meta.get("publisher", ""))}<br>'
                 f'{esc(meta.get("publisher_loc", ""))}</p>')
    out = [f'<div class="front cover">{"".join(cover)}</div>']

    board = []
    for group, people in meta.get("board", {}).items():
        board.append(f'<h2 class="board-group">{esc(group)}</h2>')
        for person in people:
            aff = " \u00b7 ".join(esc(a) for a in person.get("affiliation", []))
            board.append(f'<p class="board-entry"><b>{esc(person["name"])}</b> {aff}</p>')
    if board:
        out.append(f'<div class="front board">{"".join(board)}</div>')

    notes = [f'<p>{esc(n)}</p>' for n in meta.get("front_notes", [])]
    copyright_ = meta.get("copyright", "")
    if copyright_ and not any(copyright_ in n for n in meta.get("front_notes", [])):
        notes.append(f"<p>{esc(copyright_)}</p>")
    if notes:
        out.append(f'<div class="front pubnotes">{"".join(notes)}</div>')

    titles = meta.get("title_page") or [meta["title"], meta.get("subtitle", "")]
    toc = [f'<p class="tp-line">{esc(t)}</p>' for t in titles]
    toc.append('<h2 class="toc-head">Contents</h2>')
    by_title = {t["title"]: t.get("by", "") for t in meta.get("toc", [])}
    for part in parts:
        by = by_title.get(part["title"]) or " and ".join(a["name"] for a in part.get("authors", []))
        style = layout.front_folio if part["kind"] == "foreword" else "decimal"
        toc.append(f'<p class="toc-entry"><a href="#part-{part["id"]}" data-style="{style}">'
                   f'{esc(part["title"])}</a><br><span class="toc-by">{esc(by)}</span></p>')
    out.append(f'<div class="front toc">{"".join(toc)}</div>')
    return "".join(out)


def part_html(part: dict, first_main: bool) -> str:
    """One part on its own page(s): title, byline, executive summary, bios, body, signature."""
    check_callouts(part)
    kind = part.get("kind", "essay")
    page_name = "foreword" if kind == "foreword" else "mainstart" if first_main else "main"
    authors = part.get("authors", [])
    head = [f'<h1 class="part-title">{esc(part["title"])}</h1>']
    with_bio = [a for a in authors if a.get("bio")]
    if with_bio:
        names = [esc(a["name"]) for a in with_bio]
        byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        head.append(f'<p class="byline">{byline}</p>')
    if part.get("abstract"):
        box = []
        for sec in part["abstract"]:
            box.append(f'<h2 class="abs-title">{esc(sec["title"])}</h2>')
            for b in sec.get("blocks", []):
                box.append(block_html(b, part))
        head.append(f'<div class="abstract">{"".join(box)}</div>')
    if with_bio:
        bios = "".join(f'<p class="bio">{esc(a["bio"])}</p>' for a in with_bio)
        head.append(f'<div class="bios">{bios}</div>')
    body = "".join(block_html(b, part) for b in part.get("blocks", []))
    sign = "".join(
        f'<p class="sig-name">{esc(a["name"])}</p>'
        + (f'<p class="sig-role">{esc(a["role"])}</p>' if a.get("role") else "")
        for a in authors if not a.get("bio"))
    sig = f'<div class="signature">{sign}</div>' if sign else ""
    return (f'<section class="part {kind}" id="part-{part["id"]}" style="page: {page_name}">'
            f'{"".join(head)}<div class="body">{body}</div>{sig}</section>')


def back_cover_html(meta: dict) -> str:
    lines = "".join(f"<p>{esc(line)}</p>" for line in meta.get("back_cover", []))
    return f'<div class="front backcover">{lines}</div>' if lines else ""


# -------------------------------------------------------------------------- CSS side
def css_string(text: str) -> str:
    """A CSS string literal; non-ASCII stays literal (the stylesheet is UTF-8)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def margin_boxes(where: str, align: str, content: str, side: str) -> str:
    """The @page margin box for content at top/bottom and left/center/right/outer on a side."""
    if align == "outer":
        align = "left" if side == "left" else "right"
    if align == "inner":
        align = "right" if side == "left" else "left"
    return f"@{where}-{align} {{ content: {content}; }}"


def page_css(layout: Layout, meta: dict) -> str:
    """Margin boxes per named page and side: running heads and folios in this house style."""
    series = css_string(series_line(meta, layout))
    report = css_string(meta.get("title", ""))
    part = "string(parthead, first-except)"
    heads = {"series": (series, series), "report-title": (report, report),
             "part-title": (part, part), "book": (report, part), "none": (None, None)}
    left_head, right_head = heads[layout.running_head]
    rules = []
    for page, folio_style in (("foreword", layout.front_folio), ("main", "decimal"),
                              ("mainstart", "decimal")):
        folio = f"counter(page, {folio_style})"
        for side, head in (("left", left_head), ("right", right_head)):
            boxes = []
            if head:
                boxes.append(margin_boxes(layout.running_head_at, layout.running_head_align,
                                          head, side))
            fbox = margin_boxes(layout.folio_at, layout.folio_align, folio, side)
            if boxes and boxes[0].split("{")[0] == fbox.split("{")[0]:
                # Same box: print both, folio on the outside of the running head.
                where = boxes[0].split("{")[0]
                both = f"{head} '\\2003' {folio}" if side == "right" else f"{folio} '\\2003' {head}"
                boxes = [f"{where}{{ content: {both}; }}"]
            else:
                boxes.append(fbox)
            rules.append(f"@page {page}:{side} {{ {' '.join(boxes)} }}")
    rules.append("@page :nth(1 of mainstart) { counter-reset: page 1; }")
    return "\n".join(rules)


def stylesheet(layout: Layout, meta: dict, nudge_pt: float = 0.0) -> str:
    top, right, bottom, left = layout.margins_mm
    fam = f'"{layout.body_font}"'
    hfam = f'"{layout.heading_family}"'
    weight = "bold" if layout.heading_bold else "normal"
    case = {"none": "", "upper": "text-transform: uppercase; letter-spacing: .03em;",
            "small-caps": "font-variant: small-caps; letter-spacing: .02em;"}[layout.heading_case]
    h1pt, h2pt = layout.heading_pt
    para = ("p + p, blockquote + p, ul + p { text-indent: 1.5em; } .body p { margin: 0; }"
            if layout.paragraph == "indent" else ".body p { margin: 0 0 .6em; }")
    # Backgrounds in @footnote make WeasyPrint 70 drop the notes, and a narrower @footnote
    # narrows the notes too, so the short rule is a border image over a full-width border.
    rule = {"short": "border-top: .5pt solid black; border-image-source: linear-gradient("
                     "to right, black 45mm, transparent 45mm); border-image-slice: 1 0 0 0;",
            "full": "border-top: .5pt solid black;",
            "none": "border-top: none;"}[layout.note_rule]
    rule += f" padding-top: {layout.note_gap_pt + nudge_pt:.2f}pt;"
    marker = ('content: counter(footnote) ". ";' if layout.note_marker == "dot" else
              "content: counter(footnote); vertical-align: super; font-size: 75%;")
    numbering = ""
    if layout.heading_numbered:
        numbering = """
        section.part { counter-reset: footnote h2n h3n; }
        .body h2 { counter-increment: h2n; counter-reset: h3n; }
        .body h3 { counter-increment: h3n; }
        .body h2::before { content: counter(h2n) "\\2002"; }
        .body h3::before { content: counter(h2n) "." counter(h3n) "\\2002"; }"""
    return f"""
    @page {{ size: {layout.page_size}; margin: {top}mm {right}mm {bottom}mm {left}mm;
      font-family: {fam}; font-size: {layout.body_pt * 0.85:.1f}pt;
      @footnote {{ {rule} }} }}
    @page front {{ }}
    {page_css(layout, meta)}
    html {{ font-family: {fam}; font-size: {layout.body_pt}pt; line-height: {layout.leading}; }}
    body {{ margin: 0; {'font-variant-ligatures: none;' if not layout.ligatures else ''} }}
    .front {{ page: front; break-after: page; text-align: left; }}
    .cover {{ text-align: center; padding-top: 20%; }}
    .cover-series {{ font-size: 90%; letter-spacing: .05em; margin-bottom: 4em; }}
    .cover-title {{ font-family: {hfam}; font-size: {layout.part_title_pt + 8}pt; margin: 0; }}
    .cover-line {{ font-size: 130%; margin: .6em 0; }}
    .cover-pub {{ margin-top: 8em; }}
    .board {{ columns: 2; column-gap: 8mm; font-size: 75%; line-height: 1.2; }}
    .board-group {{ font-family: {hfam}; font-size: 115%; margin: 1em 0 .4em;
      break-after: avoid; }}
    .board-entry {{ margin: 0 0 .35em; padding-left: 1em; text-indent: -1em;
      break-inside: avoid; }}
    .pubnotes {{ font-size: 80%; line-height: 1.25; }}
    .pubnotes p {{ margin: 0 0 .5em; }}
    .toc .tp-line:first-child {{ font-family: {hfam}; font-size: 150%; font-weight: bold; }}
    .toc-head {{ font-family: {hfam}; margin-top: 2em; }}
    .toc-entry {{ margin: 0 0 1em; }}
    .toc-entry a {{ color: black; text-decoration: none; }}
    .toc-entry a::before {{ content: target-counter(attr(href url), page) "\\2003"; }}
    .toc-entry a[data-style=lower-roman]::before {{
      content: target-counter(attr(href url), page, lower-roman) "\\2003"; }}
    .toc-entry a[data-style=upper-roman]::before {{
      content: target-counter(attr(href url), page, upper-roman) "\\2003"; }}
    .toc-by {{ font-style: italic; }}
    .backcover {{ break-before: page; break-after: auto; font-size: 80%; padding-top: 60%; }}

    section.part {{ break-before: page; counter-reset: footnote; }}
    {numbering}
    .part-title {{ font-family: {hfam}; font-size: {layout.part_title_pt}pt; line-height: 1.15;
      margin: 0 0 .4em; string-set: parthead content(); }}
    .byline {{ font-size: 115%; margin: 0 0 1.5em; }}
    .abstract {{ font-size: 88%; padding: 3mm 4mm; margin: 0 0 1em;
      {'border: .75pt solid black;' if layout.abstract_style == 'box' else 'background: #e8e8e8;'}
    }}
    .abstract p {{ margin: 0 0 .4em; }}
    .abs-title {{ font-family: {hfam}; font-size: 100%; margin: .5em 0 .2em;
      text-transform: uppercase; letter-spacing: .04em; }}
    .bios {{ font-size: 80%; margin: 0 0 1.5em; }}
    .bios p {{ margin: 0 0 .4em; }}
    .body {{ {f'columns: {layout.columns}; column-gap: {layout.column_gap_mm}mm;'
              if layout.columns > 1 else ''} }}
    .body, .abstract {{ text-align: {'justify' if layout.justify else 'left'};
      {'hyphens: auto; hyphenate-character: ' + css_string(layout.hyphen_char) + ';'
       if layout.hyphenate else 'hyphens: manual;'} }}
    {para}
    h2, h3, h4 {{ font-family: {hfam}; font-weight: {weight}; {case} line-height: 1.2;
      break-after: avoid; text-align: left; hyphens: manual; }}
    .body h2 {{ font-size: {h1pt}pt; margin: 1.2em 0 .5em; }}
    .body h3 {{ font-size: {h2pt}pt; margin: 1em 0 .4em; {'font-style: italic;'
      if layout.heading_case == 'none' else ''} }}
    blockquote {{ margin: .6em {layout.quote_indent_mm}mm; font-size: 93%;
      {'font-style: italic;' if layout.quote_italic else ''} }}
    blockquote p {{ text-indent: 0 !important; }}
    ul {{ list-style-type: {css_string(layout.bullet + ' ')}; margin: .3em 0 .6em;
      padding-left: 1.4em; }}
    li {{ margin-bottom: .3em; }}
    .signature {{ text-align: right; margin-top: 2em; font-size: 90%; }}
    .signature p {{ margin: 0; }}
    .sig-name {{ font-weight: bold; }}
    .fn {{ float: footnote; font-size: {layout.note_pt}pt; line-height: {layout.note_leading};
      text-align: left; text-indent: 0; font-style: normal; hyphens: manual;
      overflow-wrap: anywhere; footnote-style: block; }}
    .fn em {{ font-style: italic; }}
    ::footnote-call {{ content: counter(footnote); vertical-align: super; font-size: 70%;
      line-height: 0; }}
    ::footnote-marker {{ {marker} }}
    """


def variant_html(gold: dict, layout: Layout, nudge_pt: float = 0.0) -> str:
    """The whole variant as one HTML document (lang="en" so pyphen can hyphenate)."""
    meta = gold["meta"]
    parts = selected_parts(gold, layout)
    first_main = next((p["id"] for p in parts if p.get("kind") != "foreword"), None)
    body = [front_matter_html(meta, parts, layout)]
    body += [part_html(p, p["id"] == first_main) for p in parts]
    if layout.back_cover:
        body.append(back_cover_html(meta))
    title = esc(f"{meta['title']}: {meta.get('subtitle', '')}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<style>{stylesheet(layout, meta, nudge_pt)}</style></head>'
            f'<body>{"".join(body)}</body></html>')


class FootnotePlacementError(RuntimeError):
    """WeasyPrint left a note off its page: missing, or more than one page after its call."""


def misplaced_notes(document) -> list[str]:
    """Notes not on the page of their call or the next, or out of order there.

    WeasyPrint 70 sometimes defers a note that would have fitted; every later note then lags one
    page more, and notes pushed past the last page vanish. Two deferred notes can also land in
    reverse order. Which page geometry triggers this is chaotic (a 0.5 pt change in the note area
    flips it), so every render is checked against its anchors (`call-<part>-<n>` at each call,
    `note-<part>-<n>` on each note).
    """
    calls: dict[str, int] = {}
    notes: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages):
        for anchor, (_, y, *_rest) in page.anchors.items():
            if anchor.startswith("call-"):
                calls[anchor[5:]] = number
            elif anchor.startswith("note-"):
                notes[anchor[5:]] = (number, y)
    bad = [key for key, page in calls.items() if notes.get(key, (-99, 0))[0] - page not in (0, 1)]

    def order(key: str) -> tuple[str, int]:
        part, _, num = key.rpartition("-")
        return part, int(num)

    placed = sorted(notes, key=order)
    for before, after in zip(placed, placed[1:], strict=False):
        if order(before)[0] == order(after)[0] and notes[after] < notes[before]:
            bad.append(after)
    return bad


# Extra space above the notes tried in turn when a render misplaces notes.
NUDGES_PT = (0.0, 0.7, 1.4, -0.7, 2.1, 2.8, 3.5)


def render_document(gold: dict, layout: Layout):
    """Lay out the variant until every note sits by its call; return (document, nudge_pt).

    When WeasyPrint misplaces notes (see `misplaced_notes`), the space above the notes is nudged
    and the variant laid out again; if no nudge helps, FootnotePlacementError names the notes,
    rather than a fixture silently dropping them.
    """
    from weasyprint import HTML  # imported late: importing the module stays cheap

    bad: list[str] = []
    for nudge in NUDGES_PT:
        document = HTML(string=variant_html(gold, layout, nudge)).render()
        bad = misplaced_notes(document)
        if not bad:
            return document, nudge
    raise FootnotePlacementError(
        f"{layout.name}: notes {bad[:8]} (of {len(bad)}) are not on their call's page or the next")


def build_variant(gold: dict, layout: Layout, out_pdf: Path) -> Path:
    """Render `gold` in `layout` to `out_pdf` (parent folders are made) and return the path."""
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    document, _ = render_document(gold, layout)
    document.write_pdf(out_pdf)
    return out_pdf


@dataclass
class Built:
    """A rendered variant: where it is, its gold, and how long it took (for the render budget)."""

    name: str
    pdf: Path
    gold: Path
    seconds: float
    nudge_pt: float = 0.0       # extra space above the notes that placed them right
    pages: int = 0


class VariantStore:
    """Render each variant at most once per test session, on first use.

    Tests of the generator and end-to-end tests of the extractor both want the same PDFs; a
    session fixture can hold one store, e.g. in conftest.py::

        @pytest.fixture(scope="session")
        def variant_store(tmp_path_factory):
            return VariantStore(tmp_path_factory.mktemp("variants"))

    and `variant_store.get("a4-sans-2col")` gives a `Built` with the PDF and its gold file.
    """

    def __init__(self, outdir: Path, gold: dict | None = None) -> None:
        self.outdir = Path(outdir)
        self.gold = gold if gold is not None else load_gold()
        self._built: dict[str, Built] = {}

    def get(self, name: str) -> Built:
        if name not in self._built:
            self._built[name] = build_all(self.outdir, [name], self.gold)[0]
        return self._built[name]


def build_all(outdir: Path, names: Iterable[str] | None = None,
              gold: dict | None = None) -> list[Built]:
    """Write `<name>.pdf` and `<name>.gold.json` for each variant into `outdir`."""
    gold = gold if gold is not None else load_gold()
    outdir = Path(outdir)
    built = []
    for name in names or VARIANTS:
        layout = VARIANTS[name]
        t0 = time.perf_counter()
        document, nudge = render_document(gold, layout)
        pdf = outdir / f"{name}.pdf"
        outdir.mkdir(parents=True, exist_ok=True)
        document.write_pdf(pdf)
        seconds = time.perf_counter() - t0
        gold_path = outdir / f"{name}.gold.json"
        gold_path.write_text(json.dumps(variant_gold(gold, layout), ensure_ascii=False, indent=1),
                             encoding="utf-8")
        built.append(Built(name, pdf, gold_path, seconds, nudge, len(document.pages)))
    return built


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(f"usage: python {Path(__file__).name} OUTDIR [VARIANT ...]\n"
              f"variants: {', '.join(VARIANTS)}")
        return 0 if argv else 2
    unknown = [n for n in argv[1:] if n not in VARIANTS]
    if unknown:
        print(f"unknown variants: {unknown}; known: {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    for b in build_all(Path(argv[0]), argv[1:] or None):
        print(f"{b.name:30s} {b.pages:4d} pages {b.seconds:6.1f} s  "
              f"note nudge {b.nudge_pt:+.1f} pt  {b.pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
