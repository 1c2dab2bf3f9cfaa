"""The thresholds are named parameters passed down, and the code keeps to the bars that keep
it so: few bare decimals in detection code, no module over 600 lines, model walks with the
model."""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize

import pytest
from conftest import ROOT
from segment_lines import evidence_of, layout_of, paragraph

from flows.layout_params import DEFAULT_LAYOUT, LayoutParams
from flows.profile import DEFAULT_STYLE
from flows.segment.blocks import cut_blocks
from flows.segment.evidence import gather_evidence
from flows.segment.params import DEFAULT_PARAMS, SegmentParams

FLOWS = ROOT / "flows"
DETECTION = sorted([*FLOWS.glob("layout*.py"), *(FLOWS / "segment").glob("*.py")])


def test_parameters_are_frozen_and_share_a_meaning_once() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_PARAMS.indent = 1.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LAYOUT.small_type = 1.0  # type: ignore[misc]
    assert SegmentParams().small_type == LayoutParams().small_type
    assert SegmentParams().part_title_size == LayoutParams().title_size


def test_a_threshold_given_is_the_threshold_used() -> None:
    """With the indent threshold above the paragraphs' own indent, nothing is indented and
    the paragraphs run together: the parameter reaches the stage."""
    lines = paragraph(740, 3) + paragraph(704, 3, start=2)
    assert len(cut_blocks(lines, evidence_of(lines), DEFAULT_STYLE)) == 2
    deaf = gather_evidence(layout_of(lines), "en", SegmentParams(indent=2.0, short_line=50.0))
    assert len(cut_blocks(lines, deaf, DEFAULT_STYLE)) == 1


def decimals(path) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [t.string for t in tokens if t.type == tokenize.NUMBER and "." in t.string]


def test_detection_code_keeps_its_numbers_in_the_parameter_types() -> None:
    found = {p.name: decimals(p) for p in DETECTION if "params" not in p.name}
    assert sum(len(v) for v in found.values()) <= 10, found


def test_no_module_of_flows_layout_or_segment_is_over_600_lines() -> None:
    long = {p.name: n for p in DETECTION
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long


def imported(path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_provenance_reads_the_model_without_segment() -> None:
    assert not any(m.startswith("flows.segment") for m in imported(FLOWS / "provenance.py"))


def test_every_stage_module_says_its_input_output_and_invariant() -> None:
    stages = [p for p in (FLOWS / "segment").glob("*.py") if p.name != "__init__.py"
              and (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or ""
                  ).startswith("Stage")]
    assert len(stages) >= 6
    for path in stages:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert "Input" in doc and "Output" in doc and "Invariant" in doc, path.name
