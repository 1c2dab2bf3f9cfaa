"""The learned heading check (flows/line_model.py) on hand-built lines: the candidates the
rules cannot sort out (a bold paragraph start, a bold author in a reference list, the short
last line of a bold paragraph) stay text, while a numbered section title stays a heading.
Also: the exported trees add up to what scikit-learn predicts, and the training script
rebuilds the shipped model from the development documents byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from segment_lines import LEFT, evidence_of, filler, line, paragraph

from flows.line_features import FEATURES
from flows.line_model import MODEL, heading_probability, heading_vetoes, load_model
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import cut_blocks
from flows.segment.evidence import Frame, is_heading

ROOT = Path(__file__).resolve().parents[1]


def headings(lines) -> list[str]:
    blocks = cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)
    return [" ".join(ln.text for ln in b.lines) for b in blocks if b.kind == "heading"]


def test_a_numbered_section_title_stays_a_heading() -> None:
    lines = [*paragraph(740, 5), line("2.1 Water meters in rural districts", 662, bold=True,
                                      size=11, x1=280),
             *paragraph(646, 6, start=3), *paragraph(574, 4, start=5)]
    assert headings(lines) == ["2.1 Water meters in rural districts"]


def test_a_bold_paragraph_start_is_not_a_heading() -> None:
    """The paragraph opens with a full line in bold that runs on into plain text."""
    opening = line(filler(11, 2), 662, bold=True, x0=LEFT + 12)
    rest = [line(filler(11, 4 + i), 650 - 12 * i) for i in range(3)]
    rest.append(line("the councils agreed.", 614, x1=LEFT + 120))
    lines = [*paragraph(740, 6), opening, *rest, *paragraph(590, 5, start=3)]
    assert is_heading(opening, evidence_of(lines))  # the rules alone take it for one
    assert headings(lines) == []


def test_a_bold_author_in_a_reference_list_is_not_a_heading() -> None:
    entries = []
    y = 620.0
    for n, (authors, title) in enumerate((
            ("Smith, J. A., Brown, K. L., and Jones, P. (2019).", "Tariffs and leaks"),
            ("Garcia, M., and Lee, T. (2021).", "Meters in rural districts"),
            ("Okafor, N. (2018).", "Pumps and councils"))):
        entries.append(line(authors, y, bold=True, x1=LEFT + 240))
        entries.append(line(f"{title}: {filler(6, n)}. Water Policy 12, 33–41.", y - 12,
                            x1=LEFT + 400))
        y -= 30
    lines = [*paragraph(740, 6), line("References", 656, bold=True, size=11, x1=140),
             *entries]
    ev = evidence_of(lines)
    assert all(is_heading(entries[i], ev) for i in (0, 2, 4))
    assert headings(lines) == ["References"]


def test_the_short_last_line_of_a_bold_paragraph_is_not_a_heading() -> None:
    """A paragraph set in bold for emphasis: its lines, the short last one too, are text."""
    bold = [line(filler(11, i), 662 - 12 * i, bold=True, x0=LEFT + (12 if i == 0 else 0))
            for i in range(3)]
    bold.append(line("of the year.", 626, bold=True, x1=LEFT + 70))
    lines = [*paragraph(740, 6), *bold, *paragraph(602, 5, start=3)]
    assert is_heading(bold[-1], evidence_of(lines))
    assert headings(lines) == []


def test_zone_headings_are_never_vetoed() -> None:
    lines = [*paragraph(740, 6), line("References", 656, bold=True, size=11, x1=140),
             line("Smith, J. (2019). Tariffs and leaks. Water Policy 12, 33–41.", 640)]
    ev = evidence_of(lines)
    assert heading_vetoes(lines, ev, Frame(lines, ev.params), DEFAULT_STYLE) == set()


def test_the_shipped_model_is_small_and_matches_the_features() -> None:
    assert MODEL.stat().st_size < 300_000
    assert load_model()["features"] == list(FEATURES)


def test_the_exported_trees_add_up_to_what_scikit_learn_predicts() -> None:
    """The export and the pure-Python sum agree with the library on a model fitted here."""
    import random

    import train_lines

    rng = random.Random(7)
    x = [[rng.uniform(-2, 2) for _ in FEATURES] for _ in range(400)]
    y = [int(row[0] + row[3] * row[5] > 0.3) for row in x]
    docs = [{"group": "corpus", "key": "synthetic", "records": [
        {"features": row, "label": "heading" if label else "body"}
        for row, label in zip(x, y, strict=True)]}]
    fitted = train_lines.fit(docs)
    exported = train_lines.export(fitted)
    expected = fitted.predict_proba(x)[:, 1]
    for row, want in zip(x, expected, strict=True):
        assert heading_probability(row, exported) == pytest.approx(want, abs=1e-6)


@pytest.mark.retrain
def test_the_training_script_rebuilds_the_shipped_model(tmp_path: Path) -> None:
    """Fails (not skips) without ../shared: the model must stay reproducible from its data."""
    import train_lines

    assert train_lines.main(["--out", str(tmp_path), "--workers", "2"]) == 0
    for name in ("heading_lines.json", "heading_lines.figures.json"):
        assert (tmp_path / name).read_bytes() == (MODEL.parent / name).read_bytes(), name
    json.loads((tmp_path / "heading_lines.figures.json").read_text(encoding="utf-8"))
