"""`jatsflow render FILE.xml --out DIR`: every output and its checks from a JATS alone."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pikepdf
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "pairs"


# Publishers' JATS rendered in one run (one process, the checkers shared): a JOSE paper with a
# figure and notes, and a SciELO article with tables wider than a phone, styled words inside
# citation links and a URL the JATS breaks with a space.
TRUTH = {"jose": "jose.00090", "scielo": "a1"}


def test_render_a_publishers_truth_jats(tmp_path: Path) -> None:
    files = []
    for stem, pair in TRUTH.items():
        source = PAIRS / pair / "paper.jats.xml"
        assert source.is_file(), source
        files.append(tmp_path / f"{stem}.xml")
        shutil.copyfile(source, files[-1])
    result = run_cli("render", *map(str, files), "--out", str(tmp_path / "out"),
                     "--page-size", "A4")
    assert result.returncode == 0, result.stdout + result.stderr
    for stem in TRUTH:
        folder = tmp_path / "out" / stem
        for name in (f"{stem}.html", "jatsflow.css", f"{stem}.pdf", f"{stem}.epub",
                     f"{stem}.txt", "accessibility.html", "accessibility.json"):
            assert (folder / name).stat().st_size > 0, name
        report = json.loads((folder / "accessibility.json").read_text(encoding="utf-8"))
        assert set(report["outputs"]) == {"html", "epub", "pdf", "text"}
        failed = {f"{kind}:{c['id']}": c["problems"][:3] for kind, output in
                  report["outputs"].items() for c in output["checks"] if c["status"] == "fail"}
        assert failed == {}, stem
        assert "fail" not in report["summary"] and "not run" not in report["summary"], stem
        assert f"{stem}/accessibility.html" in result.stdout
        with pikepdf.open(folder / f"{stem}.pdf") as pdf:  # --page-size A4
            assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_bad_input_and_bad_page_size(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<article><front>", encoding="utf-8")
    result = run_cli("render", str(broken), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("jatsflow:")]
    result = run_cli("render", str(broken), "--page-size", "huge")
    assert result.returncode == 2 and "page size" in result.stderr


def test_no_conformance_claim_when_a_page_check_fails(tmp_path: Path, monkeypatch) -> None:
    """The EPUB claims EPUB Accessibility 1.1 / WCAG 2.1 AA only when the checks behind it
    passed: with one HTML check failing (the real checks, plus a failing one), the book is
    packed again without the claim and the report says why."""
    from sample_jats import sample_jats

    from flows import accessibility
    from flows.check_report import check, problem
    from flows.render_all import render_outputs

    real = accessibility.check_html

    def one_more_failing(path: Path):
        checks, tool = real(path)
        return checks + [check("stand-in", "A page check that fails", [
            problem("body", "a problem the real checks did not find")], 1)], tool

    monkeypatch.setattr(accessibility, "check_html", one_more_failing)
    jats = tmp_path / "sample.xml"
    sample_jats().write(str(jats), encoding="utf-8", xml_declaration=True)
    report = render_outputs(jats, tmp_path / "out")
    assert not report["conformance"]["backed"]
    assert report["conformance"]["because"] == ["HTML (web page): A page check that fails"]
    with zipfile.ZipFile(tmp_path / "out" / "sample.epub") as archive:
        package = archive.read("EPUB/package.opf").decode()
    assert "dcterms:conformsTo" not in package and "schema:accessibilitySummary" in package
