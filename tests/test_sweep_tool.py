"""tests/sweep.py: the seeded sample spreads over folders and keeps to its limits; a crash and
a refusal each become the document's row, not the sweep's end."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from conftest import build_pdf

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sweep  # noqa: E402


def _tree(root: Path) -> list[Path]:
    """Three folders: one of ten files, two of one file each, and one file too big."""
    files = []
    for folder, n in (("many", 10), ("one", 1), ("two", 1)):
        (root / folder).mkdir()
        for i in range(n):
            path = root / folder / f"{i}.pdf"
            path.write_bytes(b"not really a PDF")
            files.append(path)
    big = root / "one" / "big.pdf"
    big.write_bytes(b"x" * 3000)
    return files + [big]


def test_the_sample_is_seeded_and_spread_over_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    pdfs = sweep.candidates([str(tmp_path)])
    assert len(pdfs) == 13
    chosen, _ = sweep.sample(pdfs, 3, seed=1, max_pages=60, max_mb=0.001)
    assert sorted(p.parent.name for p in chosen) == ["many", "one", "two"]
    assert sweep.sample(pdfs, 3, seed=1, max_pages=60, max_mb=0.001)[0] == chosen
    everything, skipped = sweep.sample(pdfs, 100, seed=1, max_pages=60, max_mb=0.001)
    assert skipped == Counter({"over 0.001 MB": 1})
    assert len(everything) == 12 and chosen == everything[:3]  # a larger N extends a smaller


def test_every_outcome_is_a_row(tmp_path: Path) -> None:
    out = tmp_path / "out"
    page = build_pdf("<html><body><h1>A Title</h1><p>Some words to read in a paragraph.</p>"
                     "</body></html>", tmp_path / "page.pdf")
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a PDF")
    rows = {Path(r["pdf"]).name: r for r in sweep.run_all([page, fake], out, 1, 120)}
    assert rows["page.pdf"]["outcome"] == "valid" and rows["page.pdf"]["pages"] == 1
    assert rows["fake.pdf"]["outcome"] == "rejected" and rows["fake.pdf"]["one_line"]
    assert "valid | 1 |" in sweep.summary(list(rows.values()), Counter(), 4.0)
