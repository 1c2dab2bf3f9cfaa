"""Headings by kind of layout, on hand-built lines: weights named by abbreviation, numbered
headings set in the text's size, heading faces set smaller than the text, italic headings
standing alone, and where a printed section number goes. Each kind is checked for what the
rule must find and for what it must leave alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from segment_lines import BODY, LEFT, PITCH, evidence_of, filler, layout_of, line, paragraph

from flows.fonts import style_flags
from flows.jats import build_jats
from flows.model import Section, SourceInfo
from flows.profile import DEFAULT_STYLE, ProfileError, load_profile
from flows.segment import segment
from flows.segment.blocks import cut_blocks
from flows.segment.evidence import looks_like_heading
from flows.segment.images import ImageClaims
from flows.segment.nesting import nest_blocks


def kinds(blocks) -> list[str]:
    return [b.kind for b in blocks]


def titles(blocks) -> list[str]:
    return ["".join(i.text for i in b.title) for b in blocks if isinstance(b, Section)]


# --- 1. bold and italic named by abbreviation
@pytest.mark.parametrize("name, bold, italic", [
    ("NimbusRomNo9L-Medi", True, False),      # URW: Medi is the bold of Regu
    ("NimbusRomNo9L-MediItal", True, True),
    ("AdvOT3b30f6db.B", True, False),         # Advent/3B2 one-letter styles
    ("AdvOT3b30f6db.BI", True, True),
    ("AdvOT56309c18.I", False, True),
    ("FrutigerLTStd-Bd", True, False),
    ("Optima-BdIt", True, True),
    ("HelveticaNeueLTStd-Hv", True, False),
    ("FrutigerLTStd-Blk", True, False),
    ("MinionPro-It", False, True),
])
def test_abbreviated_weights_and_slants_are_read(name: str, bold: bool, italic: bool) -> None:
    assert style_flags({"/BaseFont": "/ABCDEF+" + name}) == (name, bold, italic)


@pytest.mark.parametrize("name", [
    "NimbusRomNo9L-Regu", "AdvOT863180fb", "AdvPSA88B", "HelveticaNeue-Medium", "ArialMT",
    "MinionPro-Regular", "Univers-Condensed", "TT2478o00"])
def test_names_without_a_weight_abbreviation_stay_regular(name: str) -> None:
    # an obfuscated name may end in any letter ("88B"): only a separated letter is a style
    assert style_flags({"/BaseFont": "/" + name}) == (name, False, False)


# --- 2. numbered headings in the text's own size and weight
def numbered_article(separator: str = ". ") -> list:
    """Bold numbered headings at the text's size, each a line and a half above its text; the
    number set off from the title by `separator`."""
    out = []
    y = 760.0
    for number, title in enumerate(("Introduction", "Methods", "Results"), start=1):
        out.append(line(f"{number}{separator}{title}", y, bold=True, x1=LEFT + 80))
        out += paragraph(y - 1.5 * PITCH, 4, start=number)
        y -= 1.5 * PITCH + 5 * PITCH
    return out


def test_numbered_bold_headings_at_text_size_are_headings() -> None:
    lines = numbered_article()
    evidence = evidence_of(lines)
    blocks = cut_blocks(lines, evidence, DEFAULT_STYLE)
    assert kinds(blocks) == ["heading", "p"] * 3


def test_a_bold_numbered_list_in_running_text_stays_a_list() -> None:
    # bold steps that run on into long lines, one under the other at the text's pitch: items
    steps = [line(f"{n}. " + filler(12, n), 680 - PITCH * n, bold=True) for n in range(1, 4)]
    lines = numbered_article()[:6] + steps + paragraph(620, 3, start=5)
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks)[-4:] == ["item", "item", "item", "p"]


# --- 3. heading faces set smaller than the text
def small_sans_heads(size: float) -> list:
    out = paragraph(760, 3, start=7)  # the text before the first heading
    y = 760.0 - 4.5 * PITCH
    for n, title in enumerate(("Ethics approval", "Cell culture", "Statistics")):
        out.append(line(title, y, size=size, bold=True, font="Sans-Bold", x1=LEFT + 90))
        out += paragraph(y - 1.5 * PITCH, 4, start=n)
        y -= 1.5 * PITCH + 5 * PITCH
    return out


def test_a_small_face_used_only_for_standalone_lines_heads_sections() -> None:
    lines = small_sans_heads(0.8 * BODY)
    evidence = evidence_of(lines)
    assert looks_like_heading(lines[3], evidence)
    assert kinds(cut_blocks(lines, evidence, DEFAULT_STYLE)) == ["p"] + ["heading", "p"] * 3


def test_small_bold_lines_that_follow_each_other_are_no_heading_face() -> None:
    # a table's bold rows: the same small style line after line
    rows = [line(f"Group {n}\t{n * 3}\t{n * 7}", 640 - 9 * n, size=0.8 * BODY, bold=True,
                 font="Sans-Bold", x1=LEFT + 200) for n in range(5)]
    lines = paragraph(740, 4) + rows + paragraph(580, 3, start=2)
    evidence = evidence_of(lines)
    assert not any(looks_like_heading(row, evidence) for row in rows)


def test_a_face_far_smaller_than_the_text_is_no_heading_face() -> None:
    lines = small_sans_heads(0.6 * BODY)  # below standalone_heading_size
    evidence = evidence_of(lines)
    assert not looks_like_heading(lines[3], evidence)


# --- 4. italic headings standing alone at the text's size
def test_italic_lines_standing_alone_head_subsections() -> None:
    lines = []
    y = 760.0
    for n, title in enumerate(("2.1. Plant material", "2.2. Extraction", "2.3. Assays")):
        lines.append(line(title, y, italic=True, font="Serif-Italic", x1=LEFT + 90))
        lines += paragraph(y - 1.5 * PITCH, 4, start=n)
        y -= 1.5 * PITCH + 5 * PITCH
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == ["heading", "p"] * 3


def test_italic_paragraph_openings_stay_text() -> None:
    # each paragraph opens with a whole line in italic (a quoted phrase, a species name)
    lines = []
    y = 760.0
    for n in range(3):
        lines.append(line(filler(14, n), y, italic=True, font="Serif-Italic", x0=LEFT + 12))
        lines += [line(filler(11, n + i), y - PITCH * i) for i in (1, 2)]
        lines.append(line(filler(4, n) + " the end.", y - 3 * PITCH, x1=LEFT + 200))
        y -= 4 * PITCH
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    assert kinds(blocks) == ["p"] * 3


def test_italic_names_standing_alone_in_a_text_that_sets_them_inline_stay_text() -> None:
    # a name in italic on a line of its own over each paragraph, while the same italic
    # fills lines inside the paragraphs' sentences: the text's emphasis, not a heading face
    lines = []
    y = 760.0
    for n, name in enumerate(("Aloe vera (Aloe)", "Punica granatum", "Ocimum spp. (Basil)")):
        lines.append(line(name, y, italic=True, font="Serif-Italic", x1=LEFT + 90))
        lines.append(line(filler(10, n) + " of", y - PITCH, x0=LEFT + 12))
        lines.append(line("Mentha piperita and Salvia officinalis", y - 2 * PITCH,
                          italic=True, font="Serif-Italic", x1=LEFT + 200))
        lines.append(line(filler(4, n) + " the end.", y - 3 * PITCH, x1=LEFT + 200))
        y -= 4 * PITCH + 0.8 * PITCH
    evidence = evidence_of(lines)
    assert not any(looks_like_heading(ln, evidence) for ln in lines)
    assert "heading" not in kinds(cut_blocks(lines, evidence, DEFAULT_STYLE))


def test_an_italic_heading_face_stays_beside_italic_lines_after_a_sentence_end() -> None:
    # the italic face also fills a line inside a paragraph, but after a full stop (a new
    # sentence), not carrying on one: that does not make it the text's emphasis
    lines = []
    y = 760.0
    for n, title in enumerate(("2.1. Plant material", "2.2. Extraction", "2.3. Assays")):
        lines.append(line(title, y, italic=True, font="Serif-Italic", x1=LEFT + 90))
        lines.append(line(filler(9, n) + " weigh.", y - 1.5 * PITCH, x0=LEFT + 12))
        lines.append(line("Mentha piperita and Salvia officinalis", y - 2.5 * PITCH,
                          italic=True, font="Serif-Italic", x1=LEFT + 200))
        lines.append(line(filler(4, n) + " the end.", y - 3.5 * PITCH, x1=LEFT + 200))
        y -= 5 * PITCH
    evidence = evidence_of(lines)
    assert all(looks_like_heading(lines[i], evidence) for i in (0, 4, 8))


def test_an_italic_heading_face_stays_beside_one_italic_line_inside_a_sentence() -> None:
    # once is chance (a heading under a line that lost its full stop, a lone species name
    # filling a line): emphasis needs lines carrying on the text again and again
    lines = []
    y = 760.0
    for n, title in enumerate(("Plant material", "Extraction", "Assays", "Statistics")):
        lines.append(line(title, y, italic=True, font="Serif-Italic", x1=LEFT + 90))
        lines.append(line(filler(10, n) + " of", y - 1.5 * PITCH, x0=LEFT + 12))
        if n == 0:
            lines.append(line("Mentha piperita and Salvia officinalis", y - 2.5 * PITCH,
                              italic=True, font="Serif-Italic", x1=LEFT + 200))
        lines.append(line(filler(4, n) + " the end.", y - 3.5 * PITCH, x1=LEFT + 200))
        y -= 5 * PITCH
    evidence = evidence_of(lines)
    headings = [ln for ln in lines if ln.text in ("Extraction", "Assays", "Statistics")]
    assert all(looks_like_heading(ln, evidence) for ln in headings)


def test_italic_headings_set_apart_by_space_below_stay_beside_italic_words_inline() -> None:
    # the same italic fills lines inside sentences, but most of its lines stand alone a
    # space above their text, as headings do: those stay headings
    lines = []
    y = 760.0
    for n, name in enumerate(("Aloe vera (Aloe)", "Punica granatum", "Ocimum spp. (Basil)",
                              "Salvia officinalis")):
        lines.append(line(name, y, italic=True, font="Serif-Italic", x1=LEFT + 90))
        lines.append(line(filler(10, n) + " of", y - 1.5 * PITCH, x0=LEFT + 12))
        if n < 3:
            lines.append(line("Mentha piperita and Salvia officinalis", y - 2.5 * PITCH,
                              italic=True, font="Serif-Italic", x1=LEFT + 200))
        lines.append(line(filler(4, n) + " the end.", y - 3.5 * PITCH, x1=LEFT + 200))
        y -= 5 * PITCH
    evidence = evidence_of(lines)
    headings = [ln for ln in lines if ln.text.startswith(("Aloe", "Punica", "Ocimum", "Salvia o"))]
    assert len(headings) == 4 and all(looks_like_heading(ln, evidence) for ln in headings)


# --- 5. where a printed section number goes
def nested(style) -> list:
    lines = numbered_article()
    evidence = evidence_of(lines)
    blocks, _ = nest_blocks(cut_blocks(lines, evidence, style), evidence, style,
                            ImageClaims({}))
    return blocks


def test_the_number_stays_in_the_title_by_default() -> None:
    sections = [b for b in nested(DEFAULT_STYLE) if isinstance(b, Section)]
    assert titles(sections) == ["1. Introduction", "2. Methods", "3. Results"]
    assert all(s.label == "" for s in sections)


def test_the_label_option_moves_the_number_to_the_label() -> None:
    sections = [b for b in nested(replace(DEFAULT_STYLE, section_numbers="label"))
                if isinstance(b, Section)]
    assert titles(sections) == ["Introduction", "Methods", "Results"]
    assert [s.label for s in sections] == ["1", "2", "3"]


@pytest.mark.parametrize("place", ["title", "label"])
def test_the_jats_shows_the_number_once_either_way(place: str) -> None:
    lines = [line("Pipes and meters", 780, size=2 * BODY, bold=True, x1=LEFT + 200),
             *numbered_article()]
    document = segment(layout_of(lines), SourceInfo("x.pdf", "0" * 64, 1),
                       replace(DEFAULT_STYLE, section_numbers=place))
    secs = list(build_jats(document).iter("sec"))
    assert len(secs) == 3
    for number, sec in enumerate(secs, start=1):
        label, title = sec.findtext("label") or "", "".join(sec.find("title").itertext())
        assert (label, title.split()[0]) == (("", f"{number}.") if place == "title" else
                                             (str(number), title.split()[0]))
        assert (label + " " + title).count(str(number)) == 1


def test_the_profile_names_where_numbers_go(tmp_path: Path) -> None:
    good = tmp_path / "label.toml"
    good.write_text('section_numbers = "label"\n', encoding="utf-8")
    assert load_profile(good).section_numbers == "label"
    bad = tmp_path / "bad.toml"
    bad.write_text('section_numbers = "margin"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="section_numbers"):
        load_profile(bad)


@pytest.mark.parametrize("separator", [" | ", " • "])
def test_a_number_set_off_by_a_divider_leaves_the_title(separator: str) -> None:
    lines = numbered_article(separator)
    evidence = evidence_of(lines)
    blocks, _ = nest_blocks(cut_blocks(lines, evidence, DEFAULT_STYLE), evidence,
                            DEFAULT_STYLE, ImageClaims({}))
    sections = [b for b in blocks if isinstance(b, Section)]
    assert titles(sections) == ["Introduction", "Methods", "Results"]
    assert [s.label for s in sections] == ["1", "2", "3"]


def test_a_number_set_off_by_a_space_stays_in_the_title() -> None:
    lines = numbered_article(" ")
    evidence = evidence_of(lines)
    blocks, _ = nest_blocks(cut_blocks(lines, evidence, DEFAULT_STYLE), evidence,
                            DEFAULT_STYLE, ImageClaims({}))
    assert titles([b for b in blocks if isinstance(b, Section)])[0] == "1 Introduction"
