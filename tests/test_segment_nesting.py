"""Stages 6–8 on hand-built lines: nesting blocks into sections, reference entries, notes
and their callouts."""

from __future__ import annotations

from dataclasses import replace

from segment_lines import LEFT, evidence_of, line, paragraph

from flows.layout_model import Span
from flows.model import Figure, Inline, Paragraph, Part, Section
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import RawBlock, cut_blocks
from flows.segment.common import box_of
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks, run_in_heading, split_label
from flows.segment.notes import confirm_callouts, parse_notes, read_notes
from flows.segment.params import DEFAULT_PARAMS
from flows.segment.references import split_references


def titles(blocks) -> list[str]:
    return ["".join(i.text for i in b.title) for b in blocks if isinstance(b, Section)]


def test_sections_nest_by_heading_level_and_keep_their_order() -> None:
    lines = [line("1 Tariffs", 760, size=12, bold=True, x1=160), *paragraph(746, 3),
             line("1.1 Meters", 700, bold=True, x1=160), *paragraph(688, 3, start=2),
             line("2 Maintenance", 640, size=12, bold=True, x1=160),
             *paragraph(626, 3, start=4)]
    evidence = evidence_of(lines)
    labelled = replace(DEFAULT_STYLE, section_numbers="label")  # (numbers go to <label>)
    blocks, references = nest_blocks(cut_blocks(lines, evidence, labelled), evidence,
                                     labelled, ImageClaims({}))
    assert titles(blocks) == ["Tariffs", "Maintenance"]
    first = blocks[0]
    assert first.label == "1" and isinstance(first.blocks[0], Paragraph)
    assert titles(first.blocks) == ["Meters"] and first.blocks[1].label == "1.1"
    assert references == []


def test_a_references_heading_sends_what_follows_to_the_reference_list() -> None:
    entries = [line(f"[{n}] Author {n}. A study of pipes. Water Press, 2020.", 680 - 12 * n,
                    x1=400) for n in (1, 2)]
    lines = [*paragraph(740, 4), line("References", 692, bold=True, x1=140), *entries]
    evidence = evidence_of(lines)
    blocks, references = nest_blocks(cut_blocks(lines, evidence, DEFAULT_STYLE), evidence,
                                     DEFAULT_STYLE, ImageClaims({}))
    assert [type(b) for b in blocks] == [Paragraph]
    assert [ln.text for b in references for ln in b.lines] == [e.text for e in entries]


def test_a_figure_caption_claims_the_nearest_image_on_its_page_once() -> None:
    from flows.extract import ImageBox

    far = ImageBox("Im1", 72, 100, 200, 100)
    near = ImageBox("Im2", 72, 560, 200, 100)
    claims = ImageClaims({1: (far, near)})
    caption = RawBlock("figure", [line("Figure 1: Leaks", 545, size=9, x1=200)])
    again = RawBlock("figure", [line("Figure 2: Meters", 520, size=9, x1=200)])
    lines = paragraph(740, 4)
    evidence = evidence_of(lines)
    blocks, _ = nest_blocks([caption, again], evidence, DEFAULT_STYLE, claims)
    assert [b.source_image for b in blocks if isinstance(b, Figure)] == ["1/Im2", "1/Im1"]
    assert claims.pool == {1: (far, near)}  # the pool is never changed
    assert claims.rest(1) == [] and claims.beside(caption.lines) == ""


def test_split_label_keeps_the_number_apart() -> None:
    label, title = split_label([Inline("bold", "2.3 Summary")])
    assert label == "2.3" and title == [Inline("bold", "Summary")]
    assert split_label([Inline("text", "2024")]) == ("", [Inline("text", "2024")])


def test_a_number_and_its_divider_in_other_faces_than_the_title() -> None:
    # "<bold>2.1</bold> | <bold>Plant material</bold>": the number, the divider and the
    # title are three runs; the label is still the number and the title what follows
    label, title = split_label([Inline("bold", "2.1"), Inline("text", " | "),
                                Inline("bold", "Plant "), Inline("italic", "material")])
    assert label == "2.1"
    assert title == [Inline("bold", "Plant "), Inline("italic", "material")]
    label, title = split_label([Inline("bold", "4"), Inline("text", " Results")])
    assert label == "4" and title == [Inline("text", "Results")]
    # a number with nothing after it is the whole title, not a label
    assert split_label([Inline("bold", "4"), Inline("text", " ")])[0] == ""


def test_reference_entries_by_label_and_by_hanging_indent() -> None:
    labelled = [line("[1] One, A. Pipes.", 700, x1=300),
                line("Water Press.", 688, x0=LEFT + 15, x1=200),
                line("[2] Two, B. Meters.", 676, x1=300)]
    evidence = evidence_of(paragraph(740, 4) + labelled)
    assert [len(e) for e in split_references(labelled, evidence)] == [2, 1]
    hanging = [line("One, A. 2020. Pipes and", 700, x1=400),
               line("pumps. Water Press.", 688, x0=LEFT + 15, x1=300),
               line("Two, B. 2021. Meters.", 676, x1=300),
               line("Three, C. 2022. Leaks", 664, x1=400),
               line("in cities.", 652, x0=LEFT + 15, x1=200)]
    entries = split_references(hanging, evidence_of(paragraph(740, 4) + hanging))
    assert [len(e) for e in entries] == [2, 1, 2]
    assert [ln for e in entries for ln in e] == hanging  # nothing added, dropped or moved


def note(text: str, y: float, raised_label: str = "") -> object:
    made = line(text, y, size=8, x1=400)
    if raised_label:
        made.spans[:0] = [Span(raised_label, False, False, True, 5)]
    return made


def test_notes_group_their_lines_and_a_number_out_of_sequence_is_text() -> None:
    lines = [note("1 A note about pipes.", 100), note("It runs on.", 90),
             note("2 Another note, see vol.", 80), note("10 (2017): 22.", 70),
             note("", 60, raised_label="3"), ]
    lines[-1].spans.append(Span(" A raised label.", False, False))
    grouped = parse_notes(lines)
    assert [(label, len(group)) for label, group in grouped] == [("1", 2), ("2", 2), ("3", 1)]


def test_a_superscript_is_a_callout_only_when_the_part_has_that_note() -> None:
    evidence = evidence_of(paragraph(740, 4))
    notes = read_notes([note("1 The only note.", 100)], evidence)
    text = Paragraph([Inline("text", "pipes"), Inline("sup", "1"), Inline("text", " and m"),
                      Inline("sup", "2")], box_of(paragraph(740, 1), DEFAULT_PARAMS))
    part = Part("essay", [Inline("text", "Water")], box_of(paragraph(740, 1), DEFAULT_PARAMS),
                blocks=[text], notes=notes)
    confirm_callouts(part)
    assert [(i.kind, i.target) for i in text.content if i.kind != "text"] == [
        ("callout", "1"), ("sup", "")]
    assert "".join(i.text for i in notes[0].content) == "The only note."


def _run_in(head: str, text: str, y: float, *, bold: bool = False, italic: bool = True
            ) -> list:
    """A paragraph whose first line opens with `head` in bold or italic, `text` after it."""
    first = line(head, y, x0=LEFT + 12)
    first = replace(first, spans=[Span(head, bold, italic, False, 10, "Serif-Styled"),
                                  Span(" " + text, False, False, False, 10, "Serif")])
    return [first, *paragraph(y - 12, 3, indent=0, start=3)]


def _nested(lines: list) -> list:
    evidence = evidence_of(lines)
    blocks, _ = nest_blocks(cut_blocks(lines, evidence, DEFAULT_STYLE), evidence,
                            DEFAULT_STYLE, ImageClaims({}), run_in=True)
    return blocks


def test_run_in_headings_become_sections_one_level_below_the_last_heading() -> None:
    lines = [line("2 Methods", 760, size=12, bold=True, x1=160),
             *_run_in("2.1. Study Design.", "Patients were enrolled in spring.", 740),
             *_run_in("2.2. Outcomes", ". Pain was scored daily by nurses.", 680),
             line("3 Results", 620, size=12, bold=True, x1=160), *paragraph(600, 3)]
    blocks = _nested(lines)
    assert titles(blocks) == ["2 Methods", "3 Results"]
    methods = blocks[0]
    assert titles(methods.blocks) == ["2.1. Study Design", "2.2. Outcomes"]
    first = methods.blocks[0].blocks[0]
    assert isinstance(first, Paragraph)
    text = "".join(i.text for i in first.content)
    assert text.startswith("Patients were enrolled") and "Study Design" not in text
    second = "".join(i.text for i in methods.blocks[1].blocks[0].content)
    assert second.startswith("Pain was scored")  # the stop set in roman left with the title


def test_a_single_run_in_phrase_or_a_float_label_stays_in_its_paragraph() -> None:
    alone = [*paragraph(760, 3), *_run_in("Study Design.", "Patients were enrolled.", 700)]
    assert titles(_nested(alone)) == []
    labels = [*_run_in("Figure 3.", "Pain scores by week.", 760, bold=True, italic=False),
              *_run_in("Table 2.", "Patients by site.", 700, bold=True, italic=False),
              *_run_in("Keywords:", "Pain, nursing.", 640, bold=True, italic=False)]
    assert titles(_nested(labels)) == []


def test_run_in_check_wants_a_stop_then_text_going_on_with_a_capital() -> None:
    assert run_in_heading(_run_in("Nature.", "1981; 290: 12-15.", 700)) is None
    assert run_in_heading(_run_in("Study design", "and patients were enrolled.", 700)) is None
    head, text = run_in_heading(_run_in("Study design.", "Patients were enrolled.", 700))
    assert [ln.text for ln in head] == ["Study design"]
    assert text[0].text.strip() == "Patients were enrolled."
    # a heading that fills its first line and wraps onto the next
    wrapped = _run_in("of the liver.", "Samples were fixed.", 688)
    top = line("Determination of the enzymes", 700)
    top = replace(top, spans=[Span(top.text, False, True, False, 10, "Serif-Styled")])
    head, text = run_in_heading([top, *wrapped])
    assert " ".join(ln.text for ln in head) == "Determination of the enzymes of the liver"
    assert text[0].text.strip() == "Samples were fixed."


def test_a_run_in_line_finishing_a_wrapped_heading_joins_that_heading() -> None:
    top = line("2.2. Measurement of Body Weight and Gly-", 700)  # filling the measure
    top = replace(top, spans=[Span(top.text, False, True, False, 10, "Serif-Styled")])
    head = line("2 Methods", 760, size=12, bold=True, x1=160)
    animals = _run_in("2.1. Animals.", "Rats were housed in pairs.", 740)
    rest = _run_in("cated Hemoglobin.", "Body weight and glycated hemoglobin were read.", 688)
    evidence = evidence_of([head, *animals, top, *rest])
    # the wrapped heading's first line, set alone, is a heading the rules found on its own
    # (and ranked below the run-in level): it takes the run-in headings' level
    raw = [RawBlock("heading", [head], 1), RawBlock("p", animals),
           RawBlock("heading", [top], 3), RawBlock("p", rest)]
    blocks, _ = nest_blocks(raw, evidence, DEFAULT_STYLE, ImageClaims({}), run_in=True)
    assert titles(blocks[0].blocks) == ["2.1. Animals",
                                        "2.2. Measurement of Body Weight and Glycated Hemoglobin"]
    text = "".join(i.text for i in blocks[0].blocks[1].blocks[0].content)
    assert text.startswith("Body weight and glycated")


def test_bold_run_in_headings_rank_above_italic_ones_and_keep_bold_italic_words() -> None:
    bold = _run_in("Cloning of the gene.", "Primers were designed.", 740, bold=True,
                   italic=False)
    first = bold[0]
    bold[0] = replace(first, spans=[Span("Cloning of the", True, False, False, 10, "B"),
                                    Span(" OkHMGR", True, True, False, 10, "BI"),
                                    Span(" gene.", True, False, False, 10, "B"),
                                    *first.spans[1:]])
    lines = [line("Results", 760, size=12, bold=True, x1=160), *bold,
             *_run_in("Expression.", "Leaves were sampled.", 680),
             *_run_in("Activity.", "Enzymes were assayed.", 620)]
    blocks = _nested(lines)
    assert titles(blocks) == ["Results"]
    assert titles(blocks[0].blocks) == ["Cloning of the OkHMGR gene"]
    assert titles(blocks[0].blocks[0].blocks) == ["Expression", "Activity"]


def test_a_heading_block_running_on_into_its_text_gives_the_text_to_the_paragraph() -> None:
    head = line("Results", 760, size=12, bold=True, x1=160)
    first = _run_in("Cloning.", "Primers were", 740, bold=True, italic=False)
    second = _run_in("Assays.", "Enzymes were assayed.", 680, bold=True, italic=False)
    evidence = evidence_of([head, *first, *second])
    # the rules took the first run-in line whole for a heading; its paragraph goes on below
    raw = [RawBlock("heading", [head], 1), RawBlock("heading", first[:1], 3),
           RawBlock("p", first[1:]), RawBlock("p", second)]
    blocks, _ = nest_blocks(raw, evidence, DEFAULT_STYLE, ImageClaims({}), run_in=True)
    assert titles(blocks[0].blocks) == ["Cloning", "Assays"]
    cloning = blocks[0].blocks[0].blocks
    assert len(cloning) == 1 and "".join(i.text for i in cloning[0].content).startswith(
        "Primers were " + first[1].text)
