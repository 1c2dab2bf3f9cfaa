"""Printed page labels from the folios the layout stage finds (flows/provenance.py)."""

from __future__ import annotations

import pytest

from flows.layout import Layout, Line, PageLayout, Role, Span
from flows.provenance import page_labels, source_page_size


def page(number: int, folio: str, head: str = "", width: float = 612, height: float = 792):
    """A page with one body line and, if given, a running head and a folio as furniture."""
    def line(text: str, y: float, role: Role) -> Line:
        return Line(number, [Span(text, False, False, size=10)], 72, 300, y, 10, (72, 540),
                    role=role)

    lines = [line("Body text of the page.", 400, Role.BODY)]
    if head:
        lines.append(line(head, 760, Role.FURNITURE))
    if folio:
        lines.append(line(folio, 40, Role.FURNITURE))
    return PageLayout(number, width, height, lines)


def labels(folios: list[str]) -> list[str]:
    pages = [page(n, folio, head="Series 9 | 2019") for n, folio in enumerate(folios, 1)]
    return [entry["label"] for entry in page_labels(Layout(pages, 10, 12))]


@pytest.mark.parametrize(("folios", "expected"), [
    # unnumbered front pages count back from the first roman folio
    (["", "", "iii", "iv", "1", "2"], ["i", "ii", "iii", "iv", "1", "2"]),
    # a part title without a folio continues the numbering
    (["1", "2", "", "4"], ["1", "2", "3", "4"]),
    # a blank between roman and arabic numbering takes the roman sequence on
    (["v", "vi", "", "1"], ["v", "vi", "vii", "1"]),
    # no folio anywhere: the sheet number
    (["", "", ""], ["1", "2", "3"]),
])
def test_labels_are_printed_or_inferred_folios(folios, expected):
    assert labels(folios) == expected


def test_folio_in_a_running_head_counts_and_sizes_are_kept():
    pages = [page(1, "", head="12 Report title"), page(2, "", head="Report title 13")]
    entries = page_labels(Layout(pages, 10, 12))
    assert [e["label"] for e in entries] == ["12", "13"]
    assert source_page_size({"page_labels": entries}) == "612pt 792pt"
