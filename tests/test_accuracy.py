"""Accuracy, measured with ../shared/eval/score.py against the gold and the publishers' JATS.

The figures are printed (run pytest with -s to see them) and held to the bars of issue #3.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from accuracy import report_gold_style
from conftest import GOLD, SCORE, SHARED

from flows.extract import extract_pdf
from flows.jats import build_jats, serialize
from flows.layout import analyse_layout
from flows.model import SourceInfo
from flows.profile import DEFAULT_STYLE, HouseStyle
from flows.segment import segment
from flows.validate import validate_jats
from flows.xmlsafe import parse_xml


def test_the_shared_scorer_is_beside_the_project():
    # the accuracy tests measure with ../shared/eval: without it they must fail, not skip
    assert SCORE.exists(), f"{SCORE} not found: ../shared must sit beside the checkout"


REPORT_BARS = {
    "text_similarity": 0.995, "paragraph_exact": 0.97, "heading_f1": 0.97,
    "heading_level_acc": 0.95, "footnote_f1": 0.99, "footnote_text_exact": 0.97,
    "link_f1": 0.99, "abstract_f1": 0.98, "meta_acc": 1.0,
}


def jats_for(pdf: Path, out: Path, style: HouseStyle = DEFAULT_STYLE) -> Path:
    extracted = extract_pdf(pdf)
    document = segment(analyse_layout(extracted),
                       SourceInfo(pdf.name, extracted.sha256, extracted.page_count,
                                  extracted.created), style)
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


def test_report_meets_the_bars(published: Path) -> None:
    """Scored on the JATS that `jatsflow publish` wrote (the session's one run of the report,
    conftest.published): what users get, without running the report's stages a second time."""
    figures = score(published / "nbr79.xml", GOLD)
    show("nbr79", figures)
    check_report_bars(figures)


# Editions of the report re-typeset by tests/variants.py (A4, two columns, other fonts, running
# heads and note styles). Issue #3 asks for the report's bars within 0.01 on such editions.
VARIANT_FLOORS = {k: (1.0 if k == "meta_acc" else bar - 0.01) for k, bar in REPORT_BARS.items()}


@pytest.mark.parametrize("name", [
    "letter-serif-1col-bottomfolio", "a4-sans-2col", "a4-dejavu-hyphen",
    "letter-2col-smallcaps-heads", "a5-large-notes", "a4-liberation-sans-nohead"])
def test_variant_editions(name: str, variant_store, tmp_path: Path) -> None:
    built = variant_store.get(name)
    figures = score(jats_for(built.pdf, tmp_path / f"{name}.xml", report_gold_style()),
                    built.gold)
    show(name, figures)
    missed = {k: figures[k] for k, floor in VARIANT_FLOORS.items() if figures[k] < floor}
    assert not missed, missed
    assert figures["links_dangling"] == 0 and figures["footnotes_unreferenced"] == 0
    assert figures["furniture_leaks"] == 0
    assert figures["parts_found"] == "4/4"


# Third-party articles with their publishers' JATS (LaTeX and InDesign). Bars from issue #3:
# text similarity 0.95, heading F1 0.85, title and authors, link F1 0.95 where there are notes.
# The reference list is measured too: one `ref` per entry the publisher's JATS has. a1 prints
# a second list (its supplementary material's) that its JATS leaves out, so only a floor.
MORE_REFERENCES_PRINTED = {"a1"}
PAIRS = sorted(p.name for p in (SHARED / "pairs").iterdir() if p.is_dir()) if (
    SHARED / "pairs").exists() else []


@pytest.mark.parametrize("name", PAIRS)
def test_pairs(name: str, tmp_path: Path) -> None:
    folder = SHARED / "pairs" / name
    gold = tmp_path / "gold.json"
    made = subprocess.run([sys.executable, str(SHARED / "eval" / "jats2gold.py"),
                           str(folder / "paper.jats.xml")], capture_output=True, text=True,
                          check=True)
    gold.write_text(made.stdout, encoding="utf-8")
    xml = jats_for(folder / "paper.pdf", tmp_path / "out.xml")
    verdict = validate_jats(parse_xml(xml))
    assert verdict.valid and not verdict.rule_errors, (verdict.errors[:3], verdict.rule_errors[:3])
    figures = score(xml, gold)
    show(name, figures)
    ours = sum(1 for _ in parse_xml(xml).iter("ref"))
    truth = sum(1 for _ in parse_xml(folder / "paper.jats.xml").iter("ref"))
    print(f"[accuracy] {name}: references {ours} of the publisher's {truth}")
    assert figures["text_similarity"] >= 0.95
    if name in MORE_REFERENCES_PRINTED:
        assert ours >= truth
    else:
        assert ours == truth
    assert figures["heading_f1"] >= 0.85
    assert figures["meta"]["title"]
    assert figures["meta"]["authors"]
    if figures["links_gold"]:
        assert figures["link_f1"] >= 0.95
