"""Accuracy, measured with ../shared/eval/score.py against the gold and the publishers' JATS.

The figures are printed (run pytest with -s to see them) and held to the bars of issue #3.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOLD, SCORE, SHARED

from flows.extract import extract_pdf
from flows.jats import build_jats, serialize
from flows.layout import analyse_layout
from flows.model import SourceInfo
from flows.segment import segment

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared/eval not available")

REPORT_BARS = {
    "text_similarity": 0.995, "paragraph_exact": 0.97, "heading_f1": 0.97,
    "heading_level_acc": 0.95, "footnote_f1": 0.99, "footnote_text_exact": 0.97,
    "link_f1": 0.99, "abstract_f1": 0.98, "meta_acc": 1.0,
}


def jats_for(pdf: Path, out: Path) -> Path:
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted),
                       SourceInfo(pdf.name, extracted.sha256, extracted.page_count))
    out.write_bytes(serialize(build_jats(document)))
    return out


def score(xml: Path, gold: Path) -> dict:
    result = subprocess.run([sys.executable, str(SCORE), str(xml), str(gold), "--json"],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout)
    for key in ("heading", "footnote", "link", "abstract"):
        figures[f"{key}_f1"] = figures[f"{key}_prf"][2]
    return figures


def show(name: str, figures: dict) -> None:
    keys = ("text_similarity", "paragraph_exact", "heading_f1", "heading_level_acc",
            "footnote_f1", "footnote_text_exact", "link_f1", "links_dangling",
            "footnotes_unreferenced", "abstract_f1", "meta_acc", "furniture_leaks",
            "parts_found")
    print(f"\n[accuracy] {name}: " + ", ".join(f"{k}={figures[k]}" for k in keys))


def check_report_bars(figures: dict, slack: float = 0.0) -> None:
    failed = {k: figures[k] for k, bar in REPORT_BARS.items() if figures[k] < bar - slack}
    assert not failed, failed
    assert figures["links_dangling"] == 0
    assert figures["footnotes_unreferenced"] == 0
    assert figures["furniture_leaks"] == 0
    assert figures["parts_found"] == "4/4"


def test_report_meets_the_bars(tmp_path: Path) -> None:
    figures = score(jats_for(SHARED / "source" / "nbr79.pdf", tmp_path / "nbr79.xml"), GOLD)
    show("nbr79", figures)
    check_report_bars(figures)
