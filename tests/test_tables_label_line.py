"""A caption whose label stands alone on its line, set apart in bold ("Table 4"), with the
caption's text on the next line in the caption's size and the rows below in smaller type:
the label opens the caption, the next line is the caption's text (not the table's first
row), and the rows are the table's. The same words in the text's own face stay text."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.model import Paragraph, SourceInfo, Table, walk_blocks
from flows.segment import segment

LEFT = 72.0
PITCH = 12.0


def _run(text: str, y: float, size: float = 10.0, bold: bool = False,
         width: float = 440) -> Run:
    return Run(text, LEFT, y, width, size, "Serif-Bold" if bold else "Serif", bold, False)


def _text(prefix: str, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} the water boards of three cities weigh their tariffs against "
                 f"the backlog", top - PITCH * i) for i in range(count)]


def _blocks(label: Run) -> list:
    pages = [Page(n, 595, 842, _text(f"p{n}x", 780, 55)) for n in (1, 2)]
    runs = [*_text("a", 780, 10), label,
            _run("Tariffs set by the water boards of each city", 780 - PITCH * 12, 9,
                 width=200)]
    for i, (city, rate) in enumerate((("Alpha", "1.20"), ("Beta", "0.95"), ("Gamma", "1.05"))):
        runs.append(_run(f"{city}\t{rate}", 780 - PITCH * 13.2 - 9 * i, 7.5, width=120))
    runs += _text("b", 780 - PITCH * 17, 10)
    layout = analyse_layout(ExtractedPdf(Path("article.pdf"), "", [
        *pages, Page(3, 595, 842, runs)]))
    return list(walk_blocks(segment(layout, SourceInfo("article.pdf", "", 3)).parts[0].blocks))


def test_a_bold_label_alone_opens_the_caption_its_next_line_completes() -> None:
    tables = [b for b in _blocks(_run("Table 4", 780 - PITCH * 11, 9, bold=True, width=35))
              if isinstance(b, Table)]
    assert len(tables) == 1
    caption = " ".join("".join(i.text for i in tables[0].caption).split())
    assert caption == "Table 4 Tariffs set by the water boards of each city"
    cells = " ".join(" ".join(row) for row in tables[0].rows)
    assert "Alpha" in cells and "Gamma" in cells and "Tariffs" not in cells


def test_the_label_alone_in_the_texts_face_is_no_caption() -> None:
    blocks = _blocks(_run("Table 4", 780 - PITCH * 11, 10, width=38))
    assert not any(isinstance(b, Table) for b in blocks)
    texts = ["".join(i.text for i in b.content) for b in blocks if isinstance(b, Paragraph)]
    assert any("Table 4" in t for t in texts)
