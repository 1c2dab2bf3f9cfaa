"""Which lines of a first page are the title, on hand-built lines: an article-type label
set flush left in the title's own type over a centred title, and a journal's name set
larger than the title that its running heads give abbreviated."""

from __future__ import annotations

from segment_lines import BODY, layout_of, line

from flows.profile import DEFAULT_STYLE
from flows.segment.evidence import gather_evidence
from flows.segment.head import _looks_like_names, read_byline, split_names
from flows.segment.params import DEFAULT_PARAMS
from flows.segment.titleblock import title_run

TITLE = "Seed Oils against Larvae of a Mosquito"


def test_a_flush_left_label_over_a_centred_title_is_left_out() -> None:
    label = line("Short Communication", 700, size=14.0, bold=True, x0=72, x1=200)
    title = line(TITLE, 682, size=14.0, bold=True, x0=150, x1=460)
    assert title_run([label, title], "", BODY, DEFAULT_PARAMS) == [title]


def test_a_title_whose_short_first_line_shares_its_left_edge_keeps_it() -> None:
    first = line("Seed Oils", 700, size=14.0, bold=True, x0=72, x1=160)
    second = line("against Larvae of a Mosquito", 682, size=14.0, bold=True, x0=72, x1=300)
    assert title_run([first, second], "", BODY, DEFAULT_PARAMS) == [first, second]


def test_a_journal_name_its_running_heads_abbreviate_is_not_the_title() -> None:
    journal = line("Northern Journal of Basic Marine Sciences", 740, size=19.0, bold=True,
                   x1=430)
    title = line(TITLE, 690, size=18.0, x1=500)
    heads = "north j basic mar sci, vol. 21, no. 4, apr 2018\nsome text"
    assert title_run([journal, title], heads, BODY, DEFAULT_PARAMS) == [title]
    assert title_run([journal, title], "some text", BODY, DEFAULT_PARAMS) == [journal]


def test_bylines_joined_by_semicolons_bullets_or_ampersands_give_each_name() -> None:
    assert split_names("Ana Souza; Wei Chen • Bo Kim & Cy Doe") == [
        "Ana Souza", "Wei Chen", "Bo Kim", "Cy Doe"]
    assert _looks_like_names("Siddhant Jain & Mohan Singh Mehata", DEFAULT_PARAMS)
    assert not _looks_like_names("Seed oils & larvae of the mosquito", DEFAULT_PARAMS)


def test_an_orcid_badge_read_as_text_is_not_part_of_the_last_name() -> None:
    byline = line("Adrian Slater, Peter NickID", 700, size=11.0, x1=300)
    text = [line("The text of the article begins here and runs on.", 680 - 12 * i)
            for i in range(6)]
    ev = gather_evidence(layout_of([byline, *text]), "en")
    names, _ = read_byline([byline, *text], ev, DEFAULT_STYLE)
    assert names == "Adrian Slater, Peter Nick"
