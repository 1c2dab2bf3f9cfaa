"""Notes at the foot of each column of a two-column page (as LaTeX and many journals set them),
with paragraphs running on from one column to the next across the notes.

WeasyPrint puts its own footnotes across the page, so the pages here are laid out by hand: each
column is a box whose notes sit at its foot, and the text is cut between columns mid-sentence.
The notes are labelled in several styles: numbers, "(1)", raised letters, symbols.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_pdf

from flows.extract import extract_pdf
from flows.layout import Role, analyse_layout
from flows.model import SourceInfo, iter_paragraphs, note_targets
from flows.segment import segment

WORDS = ("councils weigh tariffs against the backlog of repairs that older networks carry "
         "while engineers ask for steady budgets and residents for fair bills").split()


def words(start: int, count: int) -> str:
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(count))


# Each column: (text before the callout, note number, text after) — a column's text ends
# mid-sentence and the next column carries on, except where a paragraph ends.
COLUMNS = [
    (words(0, 240), 1, words(3, 110), False),
    (words(5, 260), 2, words(7, 90) + ".", True),
    (words(9, 220), 3, words(2, 130), False),
    (words(4, 250), 4, words(6, 100) + ".", True),
]


# Label styles: (name, the marks of notes 1-4, how a note's label is printed)
LABELS = [("numbers", ("1", "2", "3", "4"), "{} "),
          ("paren", ("1", "2", "3", "4"), "({}) "),
          ("raised-letters", ("a", "b", "c", "d"), "<sup>{}</sup> "),
          ("symbols", ("*", "†", "‡", "§"), "{} ")]


def column_html(index: int, before: str, number: int, after: str, ends: bool,
                marks: tuple[str, ...], label: str) -> str:
    opening = index == 0 or COLUMNS[index - 1][3]
    text = before.capitalize() if opening else before
    mark = marks[number - 1]
    return (f'<div class="text"><p class="{"" if opening else "cont"}">'
            f'{text}<sup>{mark}</sup> {after}</p></div>'
            f'<div class="notes"><p>{label.format(mark)}Note {number} cites a source on '
            f'{WORDS[number]} and says no more.</p></div>')


def document_html(marks: tuple[str, ...] = LABELS[0][1], label: str = LABELS[0][2]) -> str:
    pages = []
    for page in range(0, len(COLUMNS), 2):
        left, right = (column_html(i, *COLUMNS[i], marks, label) for i in (page, page + 1))
        heading = "<h1>Tariffs and Repairs</h1>" if page == 0 else ""
        pages.append(f'<div class="page">{heading}<div class="col left">{left}</div>'
                     f'<div class="col right">{right}</div></div>')
    return f"""<html lang="en"><head><style>
      @page {{ size: A4; margin: 0 }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35; margin: 0 }}
      .page {{ position: relative; width: 210mm; height: 297mm; page-break-after: always }}
      h1 {{ position: absolute; top: 15mm; left: 18mm; font-size: 20pt; margin: 0 }}
      .col {{ position: absolute; top: 30mm; bottom: 20mm; width: 83mm; text-align: justify }}
      .left {{ left: 18mm }} .right {{ left: 109mm }}
      .text p {{ margin: 0; text-indent: 1.5em }} .text p.cont {{ text-indent: 0 }}
      .notes {{ position: absolute; bottom: 0; left: 0; right: 0; font-size: 8pt;
                border-top: 0.5pt solid black; padding-top: 3pt }}
      .notes p {{ margin: 0 }} sup {{ font-size: 6pt }}
      </style></head><body>{"".join(pages)}</body></html>"""


@pytest.fixture(scope="module", params=LABELS, ids=[name for name, _, _ in LABELS])
def column_notes_pdf(request, tmp_path_factory) -> tuple[tuple[str, ...], Path]:
    name, marks, label = request.param
    path = tmp_path_factory.mktemp("colnotes") / f"colnotes-{name}.pdf"
    return marks, build_pdf(document_html(marks, label), path)


def test_each_column_foot_holds_its_notes(column_notes_pdf) -> None:
    marks, pdf = column_notes_pdf
    layout = analyse_layout(extract_pdf(pdf))
    notes = [ln for ln in layout.lines(Role.NOTE)]
    assert [ln.text.split()[0].strip("()") for ln in notes] == list(marks)
    assert len({(ln.page, ln.column) for ln in notes}) == 4


def test_paragraphs_run_on_across_columns_and_callouts_link(column_notes_pdf) -> None:
    marks, column_notes_pdf = column_notes_pdf
    extracted = extract_pdf(column_notes_pdf)
    document = segment(analyse_layout(extracted),
                       SourceInfo(column_notes_pdf.name, extracted.sha256, 2))
    part = document.parts[0]
    paragraphs = ["".join(i.text for i in p.content) for p in iter_paragraphs(part)]
    assert len(paragraphs) == 2, [p[:40] for p in paragraphs]
    callouts = [i.target for p in iter_paragraphs(part) for i in p.content
                if i.kind == "callout"]
    assert [n.label for n in part.notes] == list(marks)
    assert callouts == note_targets(list(marks))
    assert [c.text for p in iter_paragraphs(part) for c in p.content
            if c.kind == "callout"] == list(marks)
    assert all("Note" not in p for p in paragraphs)
