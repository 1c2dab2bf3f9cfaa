"""Stage 2, text, on hand-built lines: joining lines, line-end hyphens, links."""

from __future__ import annotations

from segment_lines import evidence_of, line, paragraph

from flows.layout_model import Span
from flows.segment.richtext import link_urls, rich_text, text_of


def document_using(*sentences: str) -> list:
    """A page whose running text uses these words somewhere, unbroken."""
    lines = paragraph(740, 4)
    lines += [line(text, 680 - 12 * i) for i, text in enumerate(sentences)]
    return lines


def test_a_hyphen_is_dropped_where_the_joined_word_is_the_documents() -> None:
    evidence = evidence_of(document_using("a multivector is used here and there"))
    joined = rich_text([line("the multivec-", 600), line("tor space", 588)], evidence)
    assert text_of(joined) == "the multivector space"


def test_a_hyphen_is_kept_where_the_document_writes_the_word_with_it() -> None:
    evidence = evidence_of(document_using("a well-known rule holds in every city"))
    joined = rich_text([line("a well-", 600), line("known rule", 588)], evidence)
    assert text_of(joined) == "a well-known rule"


def test_lines_join_with_a_space_and_styles_stay_apart() -> None:
    evidence = evidence_of(paragraph(740, 4))
    first = line("", 600)
    first.spans[:] = [Span("see ", False, False), Span("Water Policy", False, True)]
    rich = rich_text([first, line("for more", 588)], evidence)
    # the space joining the lines belongs to the italic run it follows
    assert [(i.kind, i.text) for i in rich] == [
        ("text", "see "), ("italic", "Water Policy "), ("text", "for more")]


def test_a_url_broken_at_the_line_end_stays_whole_and_becomes_a_link() -> None:
    evidence = evidence_of(paragraph(740, 4))
    rich = link_urls(rich_text([line("read https://example.org/water/", 600),
                                line("tariffs.html today", 588)], evidence))
    links = [i for i in rich if i.kind == "link"]
    assert [(i.text, i.target) for i in links] == [
        ("https://example.org/water/tariffs.html", "https://example.org/water/tariffs.html")]
    assert text_of(rich) == "read https://example.org/water/tariffs.html today"


def test_rich_text_reads_its_lines_and_leaves_them_as_they_were() -> None:
    evidence = evidence_of(paragraph(740, 4))
    lines = [line("the multivec-", 600), line("tor space", 588)]
    before = [list(ln.spans) for ln in lines]
    rich_text(lines, evidence)
    assert [list(ln.spans) for ln in lines] == before
