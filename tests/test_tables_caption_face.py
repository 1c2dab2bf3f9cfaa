"""A table's caption set in the face of the section headings ("Table 1: …" in the same bold
as "Methods"): the line opens a caption, so it is the table's caption, not a section."""

from __future__ import annotations

from pathlib import Path

from flows.extract import ExtractedPdf, Page, Run
from flows.layout import analyse_layout
from flows.model import Section, SourceInfo, Table, walk_blocks
from flows.segment import segment

LEFT = 72.0


def _run(text: str, y: float, size: float = 10.0, bold: bool = False, x: float = LEFT,
         width: float = 440) -> Run:
    return Run(text, x, y, width, size, "Serif-Bold" if bold else "Serif", bold, False)


def _text(prefix: str, top: float, count: int) -> list[Run]:
    return [_run(f"{prefix}{i} the water boards of three cities weigh their tariffs against "
                 f"the backlog", top - 12 * i) for i in range(count)]


def test_a_caption_in_the_heading_face_is_the_tables_caption() -> None:
    pages = []
    for n, name in ((1, "Methods"), (2, "Results")):
        runs = [_run(name, 780, 11, bold=True, width=60), *_text(f"p{n}x", 760, 50)]
        pages.append(Page(n, 595, 842, runs))
    runs = [_run("Discussion", 780, 11, bold=True, width=70), *_text("d", 760, 10)]
    runs.append(_run("Table 1: Tariffs by city", 620, 11, bold=True, width=150))
    for i, (city, rate) in enumerate((("Alpha", "1.20"), ("Beta", "0.95"), ("Gamma", "1.05"))):
        runs += [_run(city, 600 - 10 * i, 8, width=40), _run(rate, 600 - 10 * i, 8, x=300,
                                                               width=20)]
    runs += _text("after", 540, 20)
    document = segment(analyse_layout(ExtractedPdf(Path("article.pdf"), "", [
        *pages, Page(3, 595, 842, runs)])), SourceInfo("article.pdf", "", 3))
    blocks = list(walk_blocks(document.parts[0].blocks))
    titles = ["".join(i.text for i in b.title) for b in blocks if isinstance(b, Section)]
    assert not any(t.startswith("Table 1") for t in titles)
    assert "Discussion" in titles
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 1
    assert "".join(i.text for i in tables[0].caption).startswith("Table 1")
