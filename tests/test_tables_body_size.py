"""A table set in the text's own size: below its caption and header row, its rows are
short lines (they stop short of the column's edge) standing up to a few pitches apart, in
the same size and face as the text. They stay in the table; the first line that runs to
the column's edge is the text again."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.model import Paragraph, SourceInfo, Table, walk_blocks
from flows.segment import segment

LEFT = 72.0
PITCH = 12.0
ROWS = (("Alpha", "1.20"), ("Beta", "0.95"), ("Gamma", "1.05"), ("Delta", "1.10"))


def _run(text: str, y: float, width: float = 440, bold: bool = False) -> Run:
    return Run(text, LEFT, y, width, 10.0, "Serif-Bold" if bold else "Serif", bold, False)


def _text(prefix: str, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} the water boards of three cities weigh their tariffs against "
                 f"the backlog", top - PITCH * i) for i in range(count)]


def _blocks(row_pitch: float) -> list:
    pages = [Page(n, 595, 842, _text(f"p{n}x", 780, 55)) for n in (1, 2)]
    runs = _text("a", 780, 10)
    top = 780 - PITCH * 12
    runs.append(_run("Table 1: Tariffs by city", top, width=150))
    runs.append(_run("City rate in euro per cubic metre", top - PITCH * 1.5, width=190,
                     bold=True))
    for i, (city, rate) in enumerate(ROWS):
        runs.append(_run(f"{city} {rate}", top - PITCH * 1.5 - row_pitch * (i + 1), width=60))
    after = top - PITCH * 1.5 - row_pitch * len(ROWS) - 2 * PITCH
    runs += _text("b", after, 10)
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [
        *pages, Page(3, 595, 842, runs)]))
    document = segment(layout, SourceInfo("article.pdf", "", 3))
    return list(walk_blocks(document.parts[0].blocks))


def test_rows_in_the_texts_size_stay_in_their_table() -> None:
    blocks = _blocks(row_pitch=2 * PITCH)
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    cells = " ".join(" ".join(row) for row in tables[0].rows)
    assert all(city in cells for city, _ in ROWS)
    texts = ["".join(i.text for i in b.content) for b in blocks if isinstance(b, Paragraph)]
    assert not any(city in t for t in texts for city, _ in ROWS)
    assert any(t.startswith("b0 the water boards") for t in texts)  # the text goes on


def test_a_short_line_far_below_the_last_row_is_no_row() -> None:
    blocks = _blocks(row_pitch=5 * PITCH)
    tables = [b for b in blocks if isinstance(b, Table)]
    cells = " ".join(" ".join(row) for t in tables for row in t.rows)
    assert "Alpha" not in cells
