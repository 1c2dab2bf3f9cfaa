"""Bylines set in the kinds of layout that used to lose names: names in tab-separated cells
on one line ("Lemos1<tab>| Valle2<tab>and Chaves3"), degrees after each name ("Ana Souza,
BDS, MSc"), a line of affiliation marks set apart between two lines of names, one face
embedded twice under numbered names, and affiliations set smaller right under the names
(they look like names when a byline is set small); a line run to its column's edge with no
joiner at its end breaks inside a name."""

from __future__ import annotations

from segment_lines import evidence_of, line, paragraph

from flows.profile import DEFAULT_STYLE
from flows.segment.head import read_byline, split_names

TEXT = paragraph(500, 12)  # sets the body size (10 pt)


def names_of(lines: list) -> list[str]:
    byline, _ = read_byline([*lines, *TEXT], evidence_of([*lines, *TEXT]), DEFAULT_STYLE)
    return split_names(byline)


def test_names_in_further_cells_of_a_line_are_kept() -> None:
    names = line("Ana Souza1\t| Wei Chen2,3\t| Rui Lopes4\t|", 700, size=12.0)
    more = line("Eva Braun5\tand Li Na6", 686, size=12.0)
    assert names_of([names, more]) == ["Ana Souza", "Wei Chen", "Rui Lopes", "Eva Braun",
                                       "Li Na"]


def test_a_badge_cell_is_not_a_name() -> None:
    names = line("Ana Souza1\tiD", 700, size=12.0)
    assert names_of([names]) == ["Ana Souza"]


def test_degrees_after_names_are_not_names() -> None:
    names = line("Ana M. Souza, BDS, MSc, Wei Chen, PhD.", 700, size=10.0)
    assert names_of([names]) == ["Ana M. Souza", "Wei Chen"]


def test_a_surname_like_a_degree_in_another_case_stays() -> None:
    names = line("Li Wei, Ma Bin and Rui Lopes", 700, size=12.0)
    assert names_of([names]) == ["Li Wei", "Ma Bin", "Rui Lopes"]


def test_a_line_of_marks_between_lines_of_names_belongs_to_the_byline() -> None:
    first = line("Ana Souza, Wei Chen, Rui Lopes,", 700, size=11.0)
    marks = line("1,2,3*\t1,2*", 692, size=7.0, x1=200)
    second = line("Eva Braun and Li Na", 686, size=11.0)
    byline, rest = read_byline([first, marks, second, *TEXT],
                               evidence_of([first, marks, second, *TEXT]), DEFAULT_STYLE)
    assert split_names(byline) == ["Ana Souza", "Wei Chen", "Rui Lopes", "Eva Braun", "Li Na"]
    assert rest[0] is TEXT[0]


def test_one_face_embedded_twice_keeps_the_byline_going() -> None:
    first = line("Ana Souza, Wei Chen, Rui Lopes,", 700, size=12.0, bold=True,
                 font="Sans-Bold2")
    second = line("Eva Braun & Li Na", 686, size=12.0, bold=True, font="Sans-Bold")
    heading_like = [line(f"Some Words {i}", 400 - 20 * i, size=12.0, bold=True,
                         font="Sans-Bold") for i in range(3)]
    lines = [first, second, *TEXT]
    byline, _ = read_byline(lines, evidence_of([*lines, *heading_like]), DEFAULT_STYLE)
    assert split_names(byline) == ["Ana Souza", "Wei Chen", "Rui Lopes", "Eva Braun", "Li Na"]


def test_affiliations_set_smaller_under_a_small_byline_are_not_names() -> None:
    names = line("Ana Souza1 | Wei Chen2", 700, size=10.0)
    affiliation = line("1Wildlife Program, College of Forestry, University of Porto", 688,
                       size=8.0)
    byline, rest = read_byline([names, affiliation, *TEXT],
                               evidence_of([names, affiliation, *TEXT]), DEFAULT_STYLE)
    assert split_names(byline) == ["Ana Souza", "Wei Chen"] and rest[0] is affiliation


def test_a_line_run_to_the_edge_without_a_joiner_breaks_inside_a_name() -> None:
    first = line("Ana Souza1, Wei Chen2, Mohammad Hosein", 700, size=12.0)  # to the edge
    second = line("Farzaei3 and Rui Lopes4", 686, size=12.0, x1=250)
    assert names_of([first, second]) == ["Ana Souza", "Wei Chen", "Mohammad Hosein Farzaei",
                                         "Rui Lopes"]


def test_short_lines_of_one_name_each_hold_whole_names() -> None:
    lines = [line("Ana Souza1", 700, size=12.0, x1=120), line("Wei Chen2", 686, size=12.0,
                                                               x1=120)]
    assert names_of(lines) == ["Ana Souza", "Wei Chen"]
