"""Which hyphenation dictionary reads a document's line-end breaks (flows/segment/evidence.py):
the one that explains the breaks the typesetter certainly made, and, where two explain them
equally well, both (Word hyphenates by rules of its own, which follow either); and whether
the typesetter breaks words at all."""

from __future__ import annotations

from types import SimpleNamespace

import pyphen

from flows.segment.evidence import _breaks_words, _choose_hyphenator


class _Layout:
    """Just what the chooser reads: the body lines' text."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def lines(self, role=None) -> list[SimpleNamespace]:
        return [SimpleNamespace(text=t) for t in self.texts]


US, GB = pyphen.Pyphen(lang="en_US"), pyphen.Pyphen(lang="en_GB")


def _breaks(*pairs: tuple[str, str]) -> _Layout:
    texts: list[str] = []
    for left, right in pairs:
        texts += [f"some words {left}-", f"{right} and more"]
    return _Layout(texts)


def test_the_dictionaries_premises() -> None:
    # the breaks below tell the two apart: each allows one the other does not
    assert 4 in US.positions("natural") and 4 not in GB.positions("natural")
    assert 3 in GB.positions("lemon") and 3 not in US.positions("lemon")
    assert 5 in US.positions("guidelines") and 5 not in GB.positions("guidelines")
    assert 9 in US.positions("hemorrhagic") and 9 not in GB.positions("hemorrhagic")


def test_a_tie_allows_a_break_either_dictionary_allows() -> None:
    words = {"natural", "lemon"}
    chosen = _choose_hyphenator(_breaks(("natu", "ral"), ("lem", "on")), words, "en")
    assert 9 in chosen.positions("hemorrhagic")  # en_US's break
    assert 3 in chosen.positions("lemon")  # en_GB's break


def test_a_dictionary_that_explains_more_breaks_is_taken_alone() -> None:
    words = {"natural", "lemon", "guidelines"}
    chosen = _choose_hyphenator(_breaks(("natu", "ral"), ("lem", "on"), ("guide", "lines")),
                                words, "en")
    assert chosen.positions("lemon") == US.positions("lemon")
    assert 3 not in chosen.positions("lemon")


def test_one_certain_break_shows_a_typesetter_breaks_words_where_there_are_too_few_for_more(
        ) -> None:
    # a one-page notice: "art-" + "icle" (the document says "article" elsewhere) and one
    # more break, whose word it never uses whole
    words = {"article", "preliminary"}
    assert _breaks_words(_breaks(("art", "icle"), ("prelimin", "ary")), words)
    # no certain break among them: nothing shows the typesetter breaks words
    assert not _breaks_words(_breaks(("species", "distribution")), {"species"})
    # the certain break is en_GB's, and so the dictionary the other break is judged by
    chosen = _choose_hyphenator(_breaks(("art", "icle"), ("prelimin", "ary")), words, "en_US")
    assert 8 in chosen.positions("preliminary") and 8 not in US.positions("preliminary")


def test_one_certain_break_among_many_line_end_hyphens_is_not_enough() -> None:
    # compounds set at line ends ("long-" + "term") and one certain break
    words = {"long", "term", "well", "known", "self", "report", "natural"}
    layout = _breaks(("long", "term"), ("well", "known"), ("self", "report"), ("natu", "ral"))
    assert not _breaks_words(layout, words)
    words = {"natural", "lemon", "guidelines"}
    assert _breaks_words(_breaks(("natu", "ral"), ("lem", "on"), ("guide", "lines")), words)
