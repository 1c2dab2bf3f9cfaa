"""A cross-reference the line break leaves at the head of a line ("… as shown in" / "Table 2.
Among the cities …") carries the paragraph on: it opens like a caption but is running
text. A caption set off by space from the text above, or after a finished sentence, stays
a caption."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.model import Paragraph, SourceInfo, Table, walk_blocks
from flows.segment import segment

LEFT = 72.0
PITCH = 12.0


def _run(text: str, y: float, size: float = 10.0, width: float = 440) -> Run:
    return Run(text, LEFT, y, width, size, "Serif", False, False)


def _text(prefix: str, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} the water boards of three cities weigh their tariffs against "
                 f"the backlog", top - PITCH * i) for i in range(count)]


def _document(last_page: list[Run]) -> list:
    pages = [Page(n, 595, 842, _text(f"p{n}x", 780, 55)) for n in (1, 2)]
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [
        *pages, Page(3, 595, 842, last_page)]))
    document = segment(layout, SourceInfo("article.pdf", "", 3))
    return list(walk_blocks(document.parts[0].blocks))


def _texts(blocks: list) -> list[str]:
    return ["".join(i.text for i in b.content) for b in blocks if isinstance(b, Paragraph)]


def _rows(top: float) -> list[Run]:
    return [_run(f"{city} {rate}", top - 10 * i, 8, width=80) for i, (city, rate) in
            enumerate((("Alpha", "1.20"), ("Beta", "0.95"), ("Gamma", "1.05")))]


def test_a_reference_wrapped_to_the_head_of_a_line_stays_in_its_paragraph() -> None:
    runs = _text("a", 780, 10)
    runs.append(_run("the tariffs each city set for the year after the reform are as shown in",
                     780 - PITCH * 10))
    runs.append(_run("Table 2. Among the cities the lowest rate was set by the smallest of "
                     "them all", 780 - PITCH * 11))
    runs += _text("b", 780 - PITCH * 12, 10)
    blocks = _document(runs)
    assert not [b for b in blocks if isinstance(b, Table)]
    assert any("as shown in Table 2. Among the cities" in t for t in _texts(blocks))


@pytest.mark.parametrize(("last_line", "caption_at", "rows_at", "text_at"), [
    # set off by a space under an unfinished line
    ("the tariffs each city set for the year after the reform are as shown in", 13, 14.5, 19),
    # right under a finished sentence
    ("the tariffs each city set for the year after the reform are shown below.", 11, 12.2, 16),
])
def test_a_caption_set_off_by_space_or_under_a_finished_sentence_stays_a_caption(
        last_line: str, caption_at: float, rows_at: float, text_at: float) -> None:
    runs = _text("a", 780, 10)
    runs.append(_run(last_line, 780 - PITCH * 10))
    runs.append(_run("Table 2. Tariffs by city", 780 - PITCH * caption_at, width=150))
    runs += _rows(780 - PITCH * rows_at)
    runs += _text("b", 780 - PITCH * text_at, 10)
    tables = [b for b in _document(runs) if isinstance(b, Table)]
    assert len(tables) == 1
    assert "".join(i.text for i in tables[0].caption).startswith("Table 2")


def test_a_caption_under_its_tables_last_row_stays_a_caption() -> None:
    # the table stands above its caption; its last row, a line of cells, ends on a number
    runs = _text("a", 780, 10)
    for i, (city, rate) in enumerate((("Alpha", "1.20"), ("Beta", "0.95"), ("Gamma", "1"))):
        runs.append(Run(f"{city}\t{rate}", LEFT, 780 - PITCH * (11.5 + i), 440, 9.0, "Serif",
                        False, False))
    runs.append(Run("Table 2. Tariffs by city in the year after the reform of the boards",
                    LEFT, 780 - PITCH * 14.5, 440, 9.0, "Serif", False, False))
    runs += _text("b", 780 - PITCH * 17, 10)
    tables = [b for b in _document(runs) if isinstance(b, Table)]
    assert len(tables) == 1
    assert "".join(i.text for i in tables[0].caption).startswith("Table 2")
