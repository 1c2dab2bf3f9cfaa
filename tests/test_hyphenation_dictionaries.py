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


def test_with_no_certain_break_a_break_any_dictionary_allows_is_allowed() -> None:
    # "prelimin-ary" is en_GB's break, not en_US's; one break, whose word the document never
    # uses whole, says nothing about which rules the typesetter follows
    assert 8 in GB.positions("preliminary") and 8 not in US.positions("preliminary")
    chosen = _choose_hyphenator(_breaks(("prelimin", "ary")), set(), "en_US")
    assert 8 in chosen.positions("preliminary")


def test_a_document_with_too_few_line_end_hyphens_is_not_taken_for_one_that_never_breaks() -> None:
    assert _breaks_words(_breaks(("prelimin", "ary")), set())
    assert _breaks_words(_Layout(["no hyphen at a line end", "here"]), set())


def test_line_end_hyphens_none_of_them_a_certain_break_say_the_typesetter_never_breaks() -> None:
    # compounds set at line ends ("long-" + "term"), no break the document confirms
    layout = _breaks(("long", "term"), ("well", "known"), ("self", "report"))
    assert not _breaks_words(layout, {"long", "term", "well", "known", "self", "report"})
    words = {"natural", "lemon", "guidelines"}
    assert _breaks_words(_breaks(("natu", "ral"), ("lem", "on"), ("guide", "lines")), words)
