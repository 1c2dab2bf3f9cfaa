"""Floats out of the text: a chart's live-text labels (axis ticks, a legend, panel letters)
read before its caption go into the figure, not the body."""

from __future__ import annotations

from segment_lines import evidence_of, line, paragraph

from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import cut_blocks, starts_item


def _chart(top: float) -> list:
    """Two-panel chart labels in 8 pt: axis values, a row of ticks as wide as the column, a
    legend set in, a panel letter."""
    labels = [line(value, top - 12 * i, x0=80, x1=95, size=8) for i, value in
              enumerate(("250", "200", "150", "100", "50", "0"))]
    labels.append(line("0 1 2 3 4 5 6 7 8", top - 80, x0=100, x1=520, size=8))
    labels += [line(word, top - 100 - 10 * i, x0=140, x1=175, size=8)
               for i, word in enumerate(("Normal", "HC", "HC+OS"))]
    labels.append(line("(a)", top - 140, x0=300, x1=315, size=8))
    return labels


def test_chart_labels_before_the_caption_go_into_the_figure() -> None:
    text = paragraph(740, 6)
    chart = _chart(640)
    caption = line("Figure 1: Gain of body weight in all groups.", 480, x1=400, size=9)
    after = paragraph(440, 4, start=3)
    lines = [*text, *chart, caption, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    kinds = [b.kind for b in blocks]
    assert kinds == ["p", "figure", "figure-text", "p"]
    assert [ln.text for ln in blocks[2].lines] == [ln.text for ln in chart]


def test_an_enumerator_alone_is_no_list_item() -> None:
    assert starts_item(line("(a)", 300, x1=90)) == (False, False)
    assert starts_item(line("(a) the councils argue", 300)) == (True, True)


def test_a_small_paragraph_before_a_caption_stays_text() -> None:
    # a note set in small type, in full lines, is no chart label
    text = paragraph(740, 6)
    note = [line(f"Note {i}: water boards weigh tariffs against maintenance backlogs every "
                 "year while the councils argue", 650 - 10 * i, size=8) for i in range(3)]
    caption = line("Figure 1: Gain of body weight in all groups.", 600, x1=400, size=9)
    lines = [*text, *note, caption, *paragraph(560, 4, start=3)]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert "figure-text" not in [b.kind for b in blocks]


def test_a_caption_set_like_the_text_ends_with_its_last_short_line() -> None:
    text = paragraph(740, 4)
    caption = [line("Figure 2: Tariffs by city, water boards weigh tariffs against backlogs", 680),
               line("and the councils argue about meters.", 668, x1=300)]
    after = [line("Water boards weigh tariffs against maintenance backlogs every year while", 656),
             *paragraph(644, 3, start=2)]
    lines = [*text, *caption, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    figure = next(b for b in blocks if b.kind == "figure")
    assert [ln.text for ln in figure.lines] == [ln.text for ln in caption]
    holder = next(b for b in blocks if any(ln is after[0] for ln in b.lines))
    assert holder.kind == "p" and holder.lines[0] is after[0]


def test_a_caption_goes_on_after_the_chart_labels_taken_in_above_it() -> None:
    text = paragraph(740, 6)
    chart = _chart(640)
    caption = [line("Figure 3: Myocardial cells, water boards weigh tariffs against the", 480,
                    size=9),
               line("backlogs (arrows) in normal cells (a), and the councils argue.", 470, x1=420,
                    size=9)]
    lines = [*text, *chart, *caption, *paragraph(440, 4, start=3)]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    figure = next(b for b in blocks if b.kind == "figure")
    assert figure.lines == caption


def test_a_hyphenated_table_label_opens_a_caption() -> None:
    from flows.segment.blocks import caption_kind
    assert caption_kind(line("Table-5: Carcass weights of the birds", 400), DEFAULT_STYLE) == \
        "table"


def test_the_text_after_a_table_closes_it() -> None:
    # a paragraph broken by a table goes on after it; its next paragraph, indented, is text
    before = paragraph(740, 3)[:-1] + [line("water boards weigh tariffs against maintenance "
                                            "backlogs", 716)]
    table = [line("Table 3: Yields by city.", 690, x1=300, size=9),
             line("Aloe\t12.5\t13.0", 678, x1=300, size=9),
             line("Values are means of seven cities.", 668, x1=300, size=8)]
    after = [line("every year while the councils argue about meters pipes and pumps.", 640,
                  x1=400),
             *paragraph(628, 3, start=4)]
    lines = [*before, *table, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    holder = next(b for b in blocks if any(ln is after[1] for ln in b.lines))
    assert holder.kind == "p"


def test_a_caption_is_closed_once_the_interrupted_paragraph_goes_on() -> None:
    # a paragraph broken off mid-sentence at the foot of a page, a figure at the head of the
    # next: the paragraph's next line, set well below the caption, goes back to the
    # paragraph, and the lines set close below it follow it there, not into the caption
    text = paragraph(140, 4, last="and the councils")
    caption = [line("Figure 2: Tariffs by city, water boards weigh tariffs against backlogs",
                    680, page=2),
               line("and the councils argue about meters.", 668, x1=300, page=2)]
    after = [line("argue about meters every year while the water boards weigh tariffs", 630,
                  page=2),
             line("against maintenance backlogs every year while the councils argue about",
                  618, page=2),
             line("meters and the end.", 606, x1=200, page=2)]
    lines = [*text, *caption, *after]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    figure = next(b for b in blocks if b.kind == "figure")
    assert [ln.text for ln in figure.lines] == [ln.text for ln in caption]
    for moved in after:
        holder = next(b for b in blocks if any(ln is moved for ln in b.lines))
        assert holder.kind == "p"
