"""Stage 5, blocks, on hand-built lines: paragraphs, headings, list items, quotes, captions,
callouts. Every line lands in one block, in order, and the layout's lines never change."""

from __future__ import annotations

from segment_lines import LEFT, evidence_of, line, paragraph, texts

from flows.layout_model import Span
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import caption_kind, cut_blocks, starts_item


def kinds(blocks) -> list[tuple[str, int]]:
    return [(b.kind, len(b.lines)) for b in blocks]


def every_line(blocks) -> list[str]:
    return [ln.text for b in blocks for ln in b.lines]


def test_first_line_indents_start_paragraphs() -> None:
    lines = paragraph(740, 3) + paragraph(704, 4, start=2) + paragraph(656, 2, start=4)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("p", 3), ("p", 4), ("p", 2)]
    assert every_line(blocks) == texts(lines)


def test_a_heading_line_is_a_heading_block_at_its_level() -> None:
    # Each heading stands a line and a half above its text: a bold word at the text's own
    # pitch and size is as likely a run-in start, and the learned check may say so.
    lines = [line("Tariffs", 758, bold=True, x1=120), *paragraph(740, 4),
             line("Meters", 686, bold=True, x1=120), *paragraph(668, 3, start=2)]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("heading", 1), ("p", 4), ("heading", 1), ("p", 3)]
    assert blocks[0].level == blocks[2].level == 1


def test_bullets_and_numbers_open_list_items_and_hanging_lines_continue_them() -> None:
    body = paragraph(740, 4)
    items = [line("• First point about pipes and pumps", 680, x1=300),
             line("• Second point about meters and the", 668),
             line("councils that read them", 656, x0=LEFT + 10, x1=250),
             line("1. A numbered step", 644, x1=200),
             line("2. Another numbered step", 632, x1=220)]
    lines = body + items + paragraph(608, 3, start=3)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("p", 4), ("item", 1), ("item", 2), ("item", 1), ("item", 1),
                             ("p", 3)]
    assert [b.ordered for b in blocks[1:5]] == [False, False, True, True]
    assert starts_item(items[0]) == (True, False) and starts_item(items[3]) == (True, True)
    assert starts_item(body[0]) == (False, False)


def test_lines_set_in_further_than_the_indent_are_a_quote() -> None:
    quote = [line(f"quoted words of a council report on leaks, line {n}", 680 - 12 * n,
                  x0=LEFT + 36, x1=500) for n in range(3)]
    lines = paragraph(740, 4) + quote + paragraph(632, 3, start=2)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("p", 4), ("quote", 3), ("p", 3)]


def test_a_caption_needs_a_label_a_number_and_a_separator() -> None:
    assert caption_kind(line("Figure 2: Leaks by city", 0), DEFAULT_STYLE) == "figure"
    assert caption_kind(line("Table S1. Tariffs", 0), DEFAULT_STYLE) == "table"
    assert caption_kind(line("Figure 2 shows the leaks", 0), DEFAULT_STYLE) == ""
    caption = line("Figure 1: Leaks per kilometre of pipe", 680, size=9, x1=300)
    lines = paragraph(740, 4) + [caption] + paragraph(656, 3, start=2)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("p", 4), ("figure", 1), ("p", 3)]


def test_a_lone_callout_joins_the_line_before_without_changing_the_layouts_line() -> None:
    text = paragraph(740, 4)
    called = text[-1]
    spans_before = list(called.spans)
    callout = line("3", 707, size=6, x0=280, x1=283)  # raised over the last line
    lines = [*text, callout, *paragraph(680, 3, start=2)]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == [("p", 4), ("p", 3)]
    joined = blocks[0].lines[-1]
    assert joined.spans[-1] == Span("3", False, False, True, 6)
    assert joined.text == called.text + "3"
    assert called.spans == spans_before  # the layout's line is as it was
    assert joined is not called


def _mixed(y: float, *parts: tuple[str, bool]) -> object:
    """A bold heading line whose words are set upright or italic (a species name)."""
    text = "".join(t for t, _ in parts)
    base = line(text, y, size=12, bold=True, x1=300)
    return base.__class__(base.page, [Span(t, True, it, False, 12, "Sans-BoldIt" if it else
                                           "Sans-Bold") for t, it in parts],
                          base.x0, base.x1, base.y, base.size, base.column, base.role)


def test_a_heading_whose_lines_mix_bold_and_bold_italic_words_stays_one_heading() -> None:
    head = [_mixed(700, ("Survival of larvae after", True), (" E. coli", False)),
            _mixed(686, ("E. coli strain K12 grown", False), (" in gut", True))]
    new = [_mixed(640, ("Larvae fed on", True), (" E. coli", False)),
           _mixed(626, ("2.2 Counts of", False), (" E. coli", False), (" cells", True))]
    lines = [*paragraph(740, 3), *head, *paragraph(666, 3, start=2), *new,
             *paragraph(604, 3, start=4)]
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    headings = [[ln.text for ln in b.lines] for b in blocks if b.kind == "heading"]
    assert headings[0] == [ln.text for ln in head]  # its dominant font changed: one heading
    # faces shared, but a new number: a new heading
    assert headings[1:] == [[new[0].text], [new[1].text]]
