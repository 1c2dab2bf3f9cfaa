"""`jatsflow render FILE.xml --out DIR`: every output and its checks from a JATS alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "pairs"


def test_render_a_publishers_truth_jats(tmp_path: Path) -> None:
    source = PAIRS / "jose.00090" / "paper.jats.xml"
    assert source.is_file(), source
    jats = tmp_path / "jose.xml"
    shutil.copyfile(source, jats)
    result = run_cli("render", str(jats), "--out", str(tmp_path / "out"),
                     "--page-size", "A4")
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "out" / "jose"
    for name in ("jose.html", "jatsflow.css", "jose.pdf", "jose.epub", "jose.txt",
                 "accessibility.html", "accessibility.json"):
        assert (folder / name).stat().st_size > 0, name
    report = json.loads((folder / "accessibility.json").read_text(encoding="utf-8"))
    assert set(report["outputs"]) == {"html", "epub", "pdf", "text"}
    assert "fail" not in report["summary"] and "not run" not in report["summary"]
    assert "accessibility.html" in result.stdout


def test_bad_input_and_bad_page_size(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<article><front>", encoding="utf-8")
    result = run_cli("render", str(broken), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("jatsflow:")]
    result = run_cli("render", str(broken), "--page-size", "huge")
    assert result.returncode == 2 and "page size" in result.stderr
