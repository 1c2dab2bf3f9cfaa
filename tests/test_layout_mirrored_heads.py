"""Running heads mirrored on facing pages: the page number stands at the outer edge, before
the journal's name on a left-hand page ("2 Journal of Water") and after it on a right-hand
one ("Journal of Water 3"). Neither form recurs on three pages by itself; the words do,
whichever side the number stands, so every such head is furniture."""

from __future__ import annotations

from flows.layout_furniture import mark_furniture
from flows.layout_model import Line, PageLayout, Role, Span

WORDS = "water boards weigh tariffs against maintenance backlogs every year".split()


def _line(text: str, y: float, page: int) -> Line:
    return Line(page, [Span(text, False, False, False, 10.0, "Serif")], 72,
                72 + 6 * len(text), y, 10.0, (72, 540))


def _prose(page: int, i: int) -> str:
    return " ".join(WORDS[(page + i + k) % len(WORDS)] for k in range(12))


def _pages(head) -> list[PageLayout]:
    pages = [PageLayout(1, 595, 842, [_line(_prose(1, i), 700 - 12 * i, 1)
                                      for i in range(20)])]
    for number in range(2, 6):
        lines = [_line(head(number), 760, number),
                 *[_line(_prose(number, i), 700 - 12 * i, number) for i in range(20)]]
        pages.append(PageLayout(number, 595, 842, lines))
    return pages


def test_a_head_mirrored_on_facing_pages_is_furniture() -> None:
    pages = _pages(lambda n: f"{n} Journal of Water Studies" if n % 2 == 0
                   else f"Journal of Water Studies {n}")
    mark_furniture(pages)
    heads = [p.lines[0] for p in pages[1:]]
    assert all(ln.role is Role.FURNITURE for ln in heads)
    assert all(ln.role is Role.BODY for p in pages for ln in p.lines if ln not in heads)


def test_numbered_lines_with_words_of_their_own_stay_text() -> None:
    titles = {2: "2 Methods of the survey", 3: "Results of the survey 3",
              4: "4 Discussion of the results", 5: "Conclusions for the boards 5"}
    pages = _pages(titles.__getitem__)
    mark_furniture(pages)
    assert all(ln.role is Role.BODY for p in pages for ln in p.lines)
