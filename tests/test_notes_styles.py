"""Notes in every common label style: "1", "(1)", "1)", "[1]", "1.", raised "1", the
symbols "*", "†", "‡", "§" and the letters "a", "b", "c" (raised, "a)", "(a)"); set against
the note's text, after a tab or with a hanging indent; under a rule or not; numbered on
across pages or starting again on each page. Whatever the style, each note is found with
its bare label and its text without the label, and each callout in the text links to it.

The pages are laid out by hand (WeasyPrint sets its own footnotes one way only): a text box,
and a notes box at the foot of the page in smaller type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import segmented

from flows.jats import build_jats
from flows.model import Document, iter_paragraphs, note_targets
from flows.model import Note as ModelNote

WORDS = ("water boards weigh tariffs against maintenance backlogs every year while the "
         "councils argue about meters pipes pumps and the price of steady repairs").split()
SYMBOLS = ("*", "†", "‡")
LETTERS = tuple("abcdef")
NOTES_PER_PAGE = 3
PAGES = 2


def words(start: int, count: int) -> str:
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(count))


@dataclass(frozen=True)
class Style:
    name: str
    label: str  # how a label is printed, "{}" standing for the mark
    marks: tuple[str, ...] = ()  # symbols or letters in their order, rather than numbers
    raised: bool = False  # the label set as a superscript
    hanging: bool = False  # the note's other lines set in under its first word
    rule: bool = True  # a rule above the notes
    restart: bool = False  # numbers start again at 1 on each page
    against: bool = False  # no space between the label and the note's text
    same_size: bool = False  # notes as large as the text, spaced like its paragraphs (Word)
    tab: bool = False  # the label in a box of its own before the text (a word processor's tab)
    follows: bool = False  # the notes follow the text closely, not set at the page's foot
    call: str = "{}"  # how a callout is printed, raised ("({})": a word processor's "(1)")


STYLES = [
    Style("plain", "{} ", rule=False),
    Style("paren", "({})", hanging=True, against=True),
    Style("paren-spaced", "({}) ", rule=False),
    Style("close-paren", "{}) ", hanging=True),
    Style("bracket", "[{}] ", rule=False, hanging=True),
    Style("stop", "{}. "),
    Style("raised", "{}", raised=True, rule=False),
    Style("against", "{}", against=True),
    Style("symbols", "{} ", marks=SYMBOLS, restart=True),
    Style("symbols-against", "{}", marks=SYMBOLS, restart=True, against=True, rule=False),
    Style("symbols-section", "{} ", marks=("†", "‡", "§"), restart=True, raised=True),
    Style("letters-raised", "{}", marks=LETTERS, raised=True, rule=False),
    Style("letters-raised-restart", "{} ", marks=LETTERS, raised=True, restart=True),
    Style("letters-close-paren", "{}) ", marks=LETTERS, hanging=True),
    Style("letters-paren-against", "({})", marks=LETTERS, against=True, rule=False),
    Style("bracket-against", "[{}]", against=True),
    Style("close-paren-against", "{})", against=True, rule=False),
    Style("symbols-doubled", "{} ", marks=("*", "**", "***"), restart=True),
    Style("symbols-doubled-raised", "{}", marks=("†", "††", "‡"), restart=True, raised=True,
          rule=False),
    Style("raised-paren", "({})", raised=True, hanging=True),
    Style("word-paren-tab", "({})", hanging=True, rule=False, tab=True),
    Style("word-paren-called", "({})", hanging=True, rule=False, tab=True, call="({})"),
    Style("restart", "{}. ", restart=True, hanging=True),
    Style("word", "{} ", raised=True, rule=False, same_size=True),
    Style("word-same-paren", "({}) ", rule=False, same_size=True, call="({})"),
    Style("follows", "{} ", rule=False, follows=True),
    Style("follows-rule", "({}) ", follows=True, hanging=True),
]


def mark(style: Style, page: int, index: int) -> str:
    """The mark of the page's index-th note (0-based)."""
    number = index if style.restart else page * NOTES_PER_PAGE + index
    return style.marks[number] if style.marks else str(number + 1)


def note_words(page: int, index: int) -> str:
    """A note long enough to wrap, so a hanging indent shows."""
    return ("Source " + words(page * 5 + index, 34)).replace(" the ", " a ") + " and no more."


def page_html(style: Style, page: int) -> str:
    paragraphs = []
    for index in range(NOTES_PER_PAGE):
        callout = f"<sup>{style.call.format(mark(style, page, index))}</sup>"
        length = 50 if style.same_size else 65  # the text must leave room for the notes
        paragraphs.append(f"<p>{words(page + index, length).capitalize()}{callout} "
                          f"{words(page + index + 3, length)}.</p>")
    notes = []
    for index in range(NOTES_PER_PAGE):
        label = style.label.format(mark(style, page, index))
        label = f"<sup>{label}</sup>" if style.raised else label
        label = f'<span class="tab">{label}</span>' if style.tab else label
        text = note_words(page, index)
        notes.append(f'<p class="note">{label}{text}</p>')
    heading = "<h1>Tariffs and Repairs</h1>" if page == 0 else ""
    if style.follows:
        return (f'<div class="page">{heading}<div class="text">{"".join(paragraphs)}'
                f'<div class="flow">{"".join(notes)}</div></div></div>')
    if style.same_size:  # the notes follow the text as its paragraphs follow each other
        return (f'<div class="page">{heading}<div class="text">{"".join(paragraphs)}'
                f'{"".join(notes)}</div></div>')
    return (f'<div class="page">{heading}<div class="text">{"".join(paragraphs)}</div>'
            f'<div class="notes">{"".join(notes)}</div></div>')


def document_html(style: Style) -> str:
    indent = "padding-left: 1.6em; text-indent: -1.6em;" if style.hanging else ""
    rule = "border-top: 0.5pt solid black;" if style.rule else ""
    notes = ("font-size: 11pt; line-height: 1.4;" if style.same_size else
             "font-size: 8pt; line-height: 1.3;")
    spacing = "6pt" if style.same_size else "2pt"
    pages = "".join(page_html(style, page) for page in range(PAGES))
    return f"""<html lang="en"><head><style>
      @page {{ size: A4; margin: 0 }}
      body {{ font-family: 'DejaVu Serif'; font-size: 11pt; line-height: 1.4; margin: 0 }}
      .page {{ position: relative; width: 210mm; height: 297mm; page-break-after: always }}
      h1 {{ position: absolute; top: 15mm; left: 22mm; font-size: 20pt; margin: 0 }}
      .text {{ position: absolute; top: 32mm; left: 22mm; right: 22mm; text-align: justify }}
      .text p {{ margin: 0 0 6pt 0 }}
      .notes {{ position: absolute; bottom: 18mm; left: 22mm; right: 22mm; {notes}
                padding-top: 4pt; {rule} }}
      .note {{ margin: 0 0 {spacing} 0; {indent} }}
      .flow {{ {notes} {rule} padding-top: 2pt }}
      .tab {{ display: inline-block; width: 1.6em; text-indent: 0 }}
      sup {{ font-size: 6pt }}
      </style></head><body>{pages}</body></html>"""


def expected_labels(style: Style) -> list[str]:
    return [mark(style, page, index) for page in range(PAGES) for index in range(NOTES_PER_PAGE)]


@pytest.fixture(scope="module", params=STYLES, ids=[s.name for s in STYLES])
def styled(request, tmp_path_factory) -> tuple[Style, Document]:
    style: Style = request.param
    path = tmp_path_factory.mktemp("notes") / f"{style.name}.pdf"
    return style, segmented(document_html(style), path)


def all_notes(document: Document) -> list[ModelNote]:
    return [note for part in document.parts for note in part.notes]


def test_every_note_is_found_with_its_bare_label(styled) -> None:
    style, document = styled
    notes = all_notes(document)
    assert [n.label for n in notes] == expected_labels(style)


def test_a_note_text_starts_after_its_label(styled) -> None:
    style, document = styled
    for note, page_index in zip(all_notes(document),
                                [(p, i) for p in range(PAGES) for i in range(NOTES_PER_PAGE)],
                                strict=True):
        text = "".join(i.text for i in note.content).strip()
        assert text.startswith("Source "), (style.name, text[:40])
        assert text.endswith("and no more."), (style.name, text[-40:])
        assert " ".join(text.split()) == " ".join(note_words(*page_index).split())


def test_every_callout_links_a_note_and_no_note_text_stays_in_the_body(styled) -> None:
    style, document = styled
    callouts = [i for part in document.parts for p in iter_paragraphs(part)
                for i in p.content if i.kind == "callout"]
    assert [c.text for c in callouts] == [style.call.format(m) for m in expected_labels(style)]
    # each callout links the note of its own page, also where numbering starts again
    notes = all_notes(document)
    targets = note_targets([n.label for n in notes])
    assert [c.target for c in callouts] == targets
    root = build_jats(document).getroot()
    rids = [x.get("rid") for x in root.iter("xref") if x.get("ref-type") == "fn"]
    assert rids == [fn.get("id") for fn in root.iter("fn")]
    body = " ".join(i.text for part in document.parts for p in iter_paragraphs(part)
                    for i in p.content)
    assert "and no more" not in body


def test_restarted_numbers_are_labels_not_note_text() -> None:
    """Numbering that starts again at 1 on a new page opens a new note there, where a
    number out of sequence on the same page continues the note before it."""
    from flows.layout_model import Line, Role, Span

    def note_line(text: str, page: int, y: float) -> Line:
        return Line(page, [Span(text, False, False, False, 8.0, "Serif")], 72, 540, y, 8.0,
                    (72.0, 540.0), Role.NOTE)

    from flows.segment.notes import parse_notes

    lines = [note_line("1 First note on water tariffs.", 1, 100),
             note_line("2 Second note on the meters, vol.", 1, 90),
             note_line("7 (2017): 22 and no more.", 1, 80),
             note_line("1 A new page's first note.", 2, 100)]
    notes = parse_notes(lines)
    assert [label for label, _ in notes] == ["1", "2", "1"]
    assert [len(group) for _, group in notes] == [1, 2, 1]


def test_a_lettered_item_inside_a_numbered_note_is_its_text() -> None:
    """"a)" opening a line of note 1 is an item of that note's list, where a raised letter
    or a letter after lettered notes opens a note of its own."""
    from flows.layout_model import Line, Role, Span
    from flows.segment.notes import parse_notes

    def note_line(text: str, y: float, raised: str = "") -> Line:
        spans = [Span(raised, False, False, True, 6.0, "Serif")] if raised else []
        return Line(1, spans + [Span(text, False, False, False, 8.0, "Serif")], 72, 540, y,
                    8.0, (72.0, 540.0), Role.NOTE)

    numbered = [note_line("1 Tariffs are set in two ways:", 100),
                note_line("a) by the council, yearly;", 90),
                note_line("b) by the board, at need.", 80),
                note_line("2 Repairs are another matter.", 70)]
    assert [(label, len(group)) for label, group in parse_notes(numbered)] == [
        ("1", 3), ("2", 1)]
    lettered = [note_line("a) Tariffs by the council.", 100),
                note_line("b) Repairs by the board.", 90),
                note_line(" Meters by the city.", 80, raised="c")]
    assert [label for label, _ in parse_notes(lettered)] == ["a", "b", "c"]


def test_labels_of_every_style_on_a_line() -> None:
    from flows.layout_model import Line, Role, Span
    from flows.layout_notes import note_label

    def line(*spans: tuple[str, bool]) -> Line:
        return Line(1, [Span(t, False, False, raised, 8.0, "Serif") for t, raised in spans],
                    72, 540, 100, 8.0, (72.0, 540.0), Role.BODY)

    cases = {"1 Note text": "1", "(12) Note text": "12", "(3)Note text": "3",
             "4) Note text": "4", "[5] Note text": "5", "6. Note text": "6",
             "7Note text": "7", "* Note text": "*", "†Note text": "†", "‡ Note text": "‡",
             "** Note text": "**", '(9)"A title," Note text': "9", '10“A title” text': "10"}
    for text, label in cases.items():
        assert note_label(line((text, False))) == label, text
    assert note_label(line(("(8)", True), ("Note text", False))) == "8"
    assert note_label(line(("†", True), (" Note text", False))) == "†"
    # letters, raised or bracketed
    for text, label in {"a) Note text": "a", "(b) Note text": "b", "(c)Note text": "c",
                        "[d] Note text": "d"}.items():
        assert note_label(line((text, False))) == label, text
    assert note_label(line(("e", True), (" Note text", False))) == "e"
    # not labels: a year, a decimal, a number in a row of figures, words (a lone letter
    # set in text, not raised nor bracketed, is a word: "a", "e", "o")
    for text in ("2018 was a year of notes", "1.5 million notes", "12 34 56", "Note text",
                 "a note on the text", "e outros textos", "aNote text"):
        assert note_label(line((text, False))) is None, text



def test_a_bracketed_reference_list_at_a_page_foot_is_no_notes(tmp_path) -> None:
    """References numbered "[1]" in small type at the foot of a page are no notes, though
    the byline's raised affiliation marks share their numbers."""
    from conftest import build_pdf

    from flows.extract import extract_pdf
    from flows.layout import Role, analyse_layout

    byline = "".join(f"Author {name}<sup>{n}</sup> " for n, name in enumerate("ABC", 1))
    body = "".join(f"<p>{words(i, 90).capitalize()} [{i % 5 + 1}].</p>" for i in range(9))
    references = "".join(f'<p class="ref">[{n}] {words(n, 24)}, vol. {n}, 2009.</p>'
                         for n in range(1, 6))
    html = f"""<html lang="en"><head><style>
      @page {{ size: A4; margin: 20mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }}
      h1 {{ font-size: 18pt }} h2 {{ font-size: 10pt; font-weight: bold }}
      p {{ margin: 0 0 4pt 0 }} .ref {{ font-size: 8pt; margin: 0 }}
      sup {{ font-size: 6pt }}
      </style></head><body><h1>Tariffs and Repairs</h1><p>{byline}</p>{body}
      <h2>References</h2>{references}</body></html>"""
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "refs.pdf")))
    references = [ln for ln in layout.lines(Role.BODY) if ln.text.lstrip().startswith("[")]
    assert len(references) == 5  # the entries are on the page, as body lines
    assert not [ln.text for ln in layout.lines(Role.NOTE)]


def test_restarted_notes_round_trip_through_the_reader(styled, tmp_path) -> None:
    """Callouts to notes whose numbers start again keep their own notes when the JATS is
    read back and written again."""
    from flows.jats import serialize
    from flows.jats_reader import read_jats
    from flows.xmlsafe import parse_xml

    _, document = styled
    data = serialize(build_jats(document))
    xml = tmp_path / "notes.xml"
    xml.write_bytes(data)
    assert serialize(build_jats(read_jats(parse_xml(xml)))) == data


def test_letters_under_a_table_at_the_page_foot_are_no_notes(tmp_path) -> None:
    """A table set in small type at a page's foot, its cells calling notes "a", "b" that
    stand under it: those are the table's notes, called from its cells, not from the text,
    and no body note; a raised letter in the text ("x^a", an exponent) does not change that
    when the text calls no note with it."""
    from conftest import build_pdf

    from flows.extract import extract_pdf
    from flows.layout import Role, analyse_layout

    body = "".join(f"<p>{words(i, 80).capitalize()}.</p>" for i in range(5))
    rows = "".join(f"<tr><td>{words(n, 2)}<sup>{'ab'[n % 2]}</sup></td><td>{n},{n}5</td>"
                   f"<td>0,{n}01</td></tr>" for n in range(6))
    html = f"""<html lang="en"><head><style>
      @page {{ size: A4; margin: 0 }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35; margin: 0 }}
      .page {{ position: relative; width: 210mm; height: 297mm }}
      .text {{ position: absolute; top: 20mm; left: 22mm; right: 22mm }}
      .text p {{ margin: 0 0 5pt 0 }}
      .table {{ position: absolute; bottom: 18mm; left: 22mm; font-size: 8pt }}
      td {{ padding: 1pt 8pt 1pt 0 }} .tfn {{ margin: 2pt 0 0 0 }} sup {{ font-size: 5.5pt }}
      </style></head><body><div class="page"><div class="text">
      <h1>Tariffs and Repairs</h1>{body}<p>A power of two, 2<sup>a</sup>, is rare.</p></div>
      <div class="table"><p>Table 1. Tariffs by city</p><table>{rows}</table>
      <p class="tfn"><sup>a</sup> Kruskal-Wallis test of the tariffs by city</p>
      <p class="tfn"><sup>b</sup> Behrens-Fisher test of the repairs by city</p>
      </div></div></body></html>"""
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "table.pdf")))
    texts = [ln.text for ln in layout.lines(Role.BODY)]
    assert any("Kruskal-Wallis" in t for t in texts)  # on the page, as the table's lines
    assert not [ln.text for ln in layout.lines(Role.NOTE)]


def test_bracketed_superscripts_call_notes_only_where_bare_ones_do_not() -> None:
    """"(1)" raised calls note 1 where the text calls its notes that way; where the text
    calls note 1 with a bare raised "1", a raised "(2)" is not note 2's call; a raised "[2]"
    is a citation of the references, never a note's call."""
    from flows.model import Box, Inline, Paragraph, Part
    from flows.segment.notes import confirm_callouts

    box = Box([1], (0.0, 0.0, 1.0, 1.0))

    def part(*calls: str) -> Part:
        content = [x for call in calls for x in (Inline("text", "Tariffs rise"),
                                                 Inline("sup", call))]
        notes = [ModelNote(label, [Inline("text", "A note.")], box) for label in ("1", "2")]
        return Part("essay", [Inline("text", "Water")], box,
                    blocks=[Paragraph(content, box)], notes=notes)

    worded = part("(1)", "(2)")
    confirm_callouts(worded)
    assert [(i.kind, i.target) for i in worded.blocks[0].content if i.kind != "text"] == [
        ("callout", "1"), ("callout", "2")]
    for calls in (("1", "(2)"), ("[1]", "[2]")):
        mixed = part(*calls)
        confirm_callouts(mixed)
        assert [i.kind for i in mixed.blocks[0].content if i.kind != "text"] == [
            "callout" if call == "1" else "sup" for call in calls]


def test_a_numbered_heading_under_a_called_byline_is_no_note(tmp_path) -> None:
    """"1. Introduction" set as large as the text, below a byline whose raised "1" calls an
    affiliation, opens a section, not a word processor's notes; nor does a reference list
    numbered "1." whose numbers the text raises."""
    from conftest import build_pdf

    from flows.extract import extract_pdf
    from flows.layout import Role, analyse_layout

    body = "".join(f"<p>{words(i, 70).capitalize()}<sup>{i + 1}</sup>.</p>" for i in range(3))
    references = "".join(f"<p>{n}. {words(n, 20)}, vol. {n}, 2009.</p>" for n in range(1, 4))
    html = f"""<html lang="en"><head><style>
      @page {{ size: A4; margin: 20mm }}
      body {{ font-family: 'DejaVu Serif'; font-size: 10pt; line-height: 1.35 }}
      h1 {{ font-size: 18pt }} h2 {{ font-size: 10pt; font-weight: bold; margin: 14pt 0 4pt }}
      p {{ margin: 0 0 4pt 0 }} sup {{ font-size: 6pt }}
      </style></head><body><h1>Tariffs and Repairs</h1><p>Ada Example<sup>1</sup></p>
      <p>Water Institute, Example City</p><h2>1. Introduction</h2>{body}
      <h2>2. References</h2>{references}</body></html>"""
    layout = analyse_layout(extract_pdf(build_pdf(html, tmp_path / "heading.pdf")))
    assert not [ln.text for ln in layout.lines(Role.NOTE)]
