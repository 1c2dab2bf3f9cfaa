"""Accuracy floors in CI: a fixed small subset may not fall below what it measured.

The subset (accuracy.floor_sources) is every ../shared/producers document, two of the pairs and
the report's editions from real engines (tests/editions.py). Each runs through the same stages
as `make accuracy`, in its own process, and each figure must stay at or above the floor in
tests/accuracy_floors.json: the figure measured by `make accuracy-floors`, less 0.01. A document
that was valid must stay valid; one rightly refused must stay refused. After a change meant to
move the figures, run `make accuracy-floors` and commit the new floors with the change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import accuracy
import pytest

FLOORS = json.loads(accuracy.FLOORS_FILE.read_text(encoding="utf-8"))["documents"]
# Per document. On an idle core the slowest here takes about 10 s; the limit is the flow's
# own stage limit, so a hang still fails the test and a busy machine does not.
TIME_LIMIT_S = 900.0


@pytest.fixture(scope="module")
def subset() -> list[accuracy.Source]:
    return accuracy.floor_sources()


@pytest.fixture(scope="module")
def measured(subset, tmp_path_factory) -> dict[str, dict[str, Any]]:
    work: Path = tmp_path_factory.mktemp("accuracy")
    rows = accuracy.run_all(subset, work, limit=TIME_LIMIT_S, progress=False)
    return {row["key"]: row for row in rows}


def test_the_floors_cover_the_subset(subset) -> None:
    """Adding or losing a document (an edition, a shared file) means measuring the floors again."""
    assert sorted(s.key for s in subset) == sorted(FLOORS)


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_floor(key: str, measured) -> None:
    row = measured[key]
    failures = accuracy.floor_failures(row, FLOORS[key])
    assert not failures, (failures, row["errors"][:2])


# ------------------------------------------------------------------ the runner itself
def test_failures_are_rows_not_the_end_of_the_run(tmp_path: Path) -> None:
    """A refused input and a document past its time limit each become a row with its error."""
    not_pdf = tmp_path / "not.pdf"
    not_pdf.write_text("plain text, not a PDF")
    truth = str(accuracy.REPORT_GOLD)
    refused = accuracy.Source("t/refused", "t", "", "other", str(not_pdf), truth)
    slow = accuracy.Source("t/slow", "t", "", "other", str(accuracy.ROOT / "source" / "nbr79.pdf"),
                           truth)
    (row,) = accuracy.run_all([refused], tmp_path, workers=1, limit=TIME_LIMIT_S,
                              progress=False)
    assert row["key"] == "t/refused" and row["outcome"] == "rejected" and row["errors"]
    (row,) = accuracy.run_all([slow], tmp_path, workers=1, limit=0.5, progress=False)
    assert row["outcome"] == "crashed" and "time limit" in row["errors"][0]


def test_a_drop_past_the_slack_or_a_lost_valid_outcome_is_a_regression() -> None:
    def row(key: str, outcome: str, text: float) -> dict[str, Any]:
        return {"key": key, "outcome": outcome, "figures": {"text_similarity": text}}

    before = {"finished": "then", "rows": [row("a", "valid", 0.9), row("b", "valid", 0.9),
                                           row("c", "valid", 0.9)]}
    now = [row("a", "valid", 0.895), row("b", "valid", 0.85), row("c", "invalid", 0.95)]
    found = {(g["key"], g["figure"]) for g in accuracy.compare(now, before)["regressions"]}
    assert found == {("b", "text_similarity"), ("c", "outcome")}


def test_producers_are_grouped_by_kind() -> None:
    assert accuracy.family_of("Acrobat Distiller 7.0; modified using iText / LaTeX with "
                              "hyperref package") == "LaTeX"
    assert accuracy.family_of("InDesign via PScript5 + Distiller 9") == "InDesign"
    assert accuracy.family_of("") == "unknown"
    table = accuracy.sources_table(accuracy.SHARED / "producers" / "SOURCES.md")
    assert len(table) == 15 and all(table.values())
