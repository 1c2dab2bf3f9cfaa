"""Stages 3, 4, 9–11 on hand-built lines: splitting into parts, a part's head, placement
of images, the front matter, ids; and `segment` over them all."""

from __future__ import annotations

from segment_lines import LEFT, evidence_of, layout_of, line, paragraph

from flows.extract import ImageBox
from flows.layout_model import Role
from flows.model import Figure, SourceInfo, iter_paragraphs, walk_blocks
from flows.profile import DEFAULT_STYLE
from flows.segment import segment
from flows.segment.front import read_front_fields
from flows.segment.head import read_byline, read_head, split_names
from flows.segment.images import ImageClaims
from flows.segment.parts import split_document

SOURCE = SourceInfo("hand.pdf", "0" * 64, 3)


def report_lines() -> list:
    """A title page, then two parts, each opening its page with an 18 pt bold title."""
    cover = [line("Water Policy Review", 700, size=24, bold=True, x1=400),
             line("By Ada Example and Ben Sample", 660, x1=300),
             line("Test Series No. 3, March 2024", 640, x1=300),
             line("© 2024 The Test Institute", 100, size=8, x1=200)]
    first = [line("Foreword", 740, page=2, size=18, bold=True, x1=200),
             *paragraph(716, 4, page=2), *paragraph(668, 3, page=2, start=2)]
    second = [line("Pipes and Tariffs", 740, page=3, size=18, bold=True, x1=300),
              line("Ada Example", 716, page=3, x1=200),
              *paragraph(692, 4, page=3, start=3), *paragraph(644, 3, page=3, start=5)]
    return cover + first + second


def test_split_document_puts_every_line_in_one_place_in_order() -> None:
    lines = report_lines()
    layout = layout_of(lines)
    split = split_document(layout, evidence_of(lines), DEFAULT_STYLE)
    assert not split.single_article
    assert [p.lines[0].text for p in split.parts] == ["Foreword", "Pipes and Tariffs"]
    assert [p.index for p in split.parts] == [1, 2]
    rejoined = [*split.front, *(ln for p in split.parts for ln in p.lines), *split.back_cover]
    assert rejoined == lines


def test_without_a_part_style_the_largest_type_starts_a_single_article() -> None:
    lines = [line("Journal of Water 12(3)", 760, size=8, x1=200),
             line("Pipes and Tariffs", 740, size=16, bold=True, x1=300),
             *paragraph(716, 4), *paragraph(668, 3, start=2)]
    split = split_document(layout_of(lines), evidence_of(lines), DEFAULT_STYLE)
    assert split.single_article
    assert [ln.text for ln in split.front] == ["Journal of Water 12(3)"]
    assert split.parts[0].lines[0].text == "Pipes and Tariffs"


def test_notes_go_to_the_part_whose_pages_they_are_on() -> None:
    lines = report_lines()
    lines.append(line("1 A note on the foreword.", 80, page=2, size=8, x1=300,
                      role=Role.NOTE))
    split = split_document(layout_of(lines), evidence_of(lines), DEFAULT_STYLE)
    assert [len(p.notes) for p in split.parts] == [1, 0]


def test_the_head_takes_title_and_byline_and_leaves_the_body_in_order() -> None:
    lines = report_lines()[-9:]
    evidence = evidence_of(lines)
    part, rest, _ = read_head(lines, 2, evidence, DEFAULT_STYLE, ImageClaims({}))
    assert "".join(i.text for i in part.title) == "Pipes and Tariffs"
    assert [c.name for c in part.contributors] == ["Ada Example"]
    assert rest == lines[2:]


def test_a_byline_is_names_and_a_sentence_is_not() -> None:
    evidence = evidence_of(paragraph(740, 4))
    names, rest = read_byline([line("Ada Example, Ben Sample and Cy Third", 700, x1=300),
                               line("Water boards weigh tariffs every year.", 688, x1=300)],
                              evidence, DEFAULT_STYLE)
    assert split_names(names) == ["Ada Example", "Ben Sample", "Cy Third"]
    assert [ln.text for ln in rest] == ["Water boards weigh tariffs every year."]


def test_front_fields_are_read_from_patterns_any_publisher_uses() -> None:
    from flows.model import FrontMatter

    front = FrontMatter()
    read_front_fields([line("Test Series No. 3", 700), line("March 2024", 690),
                       line("© 2023 The Test Institute.", 680)], front, DEFAULT_STYLE)
    assert (front.series, front.number, front.month, front.year) == ("Test Series", "3", "3",
                                                                     "2024")
    assert front.copyright_holder == "The Test Institute" and front.copyright_year == "2023"


def test_segment_runs_the_stages_over_a_hand_built_report() -> None:
    lines = report_lines()
    layout = layout_of(lines)
    layout.pages[2].images.append(ImageBox("Im1", LEFT, 300, 200, 150))
    spans = [list(ln.spans) for ln in lines]
    document = segment(layout, SOURCE)
    assert [p.kind for p in document.parts] == ["foreword", "essay"]
    assert document.front.title == "Water Policy Review"
    assert document.front.authors == ["Ada Example", "Ben Sample"]
    assert (document.front.series, document.front.number) == ("Test Series", "3")
    # the image no caption claimed is placed as a figure after the text above it
    essay = document.parts[1]
    figures = [b for b in walk_blocks(essay.blocks) if isinstance(b, Figure)]
    assert [f.source_image for f in figures] == ["3/Im1"] and essay.blocks[-1] is figures[0]
    ids = [p.id for part in document.parts for p in iter_paragraphs(part)]
    assert len(ids) == len(set(ids)) == 4 and all(ids)
    assert [ln.spans for ln in lines] == spans  # the layout is read, never changed


def test_placement_returns_a_new_part_and_leaves_the_one_given() -> None:
    from flows.segment.parts import PartLines
    from flows.segment.placement import place_floats

    lines = report_lines()[-9:]
    evidence = evidence_of(lines)
    part, _, _ = read_head(lines, 2, evidence, DEFAULT_STYLE, ImageClaims({}))
    image = ImageBox("Im1", LEFT, 760, 200, 20)  # above everything on the page
    claims = ImageClaims({3: (image,)})
    placed = place_floats(part, PartLines(2, tuple(lines), (), ()), evidence, DEFAULT_STYLE,
                          claims)
    assert part.blocks == [] and len(placed.blocks) == 1
    assert placed.blocks[0].source_image == "3/Im1" and claims.rest(3) == []
