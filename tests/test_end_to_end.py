"""`jatsflow publish` on the report: every output, valid JATS, clean failures."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPORT_PDF, run_cli

from flows.validate import validate_jats
from flows.xmlsafe import parse_xml


def test_all_outputs_exist(published: Path) -> None:
    for name in ("nbr79.xml", "nbr79.html", "jatsflow.css", "nbr79.pdf", "nbr79.txt",
                 "report.json", "nbr79.layout.json"):
        assert (published / name).stat().st_size > 0, name
    assert (published / "nbr79.pdf").read_bytes().startswith(b"%PDF-")


def test_jats_is_valid_against_the_dtd(published: Path) -> None:
    result = validate_jats(parse_xml(published / "nbr79.xml"))
    assert result.valid, result.errors[:5]
    assert not result.rule_errors, result.rule_errors[:5]


def test_report_json(published: Path) -> None:
    report = json.loads((published / "report.json").read_text())
    assert report["pages"] == 53
    assert report["validation"]["valid"] is True
    assert set(report["seconds"]) >= {"extract", "segment", "jats", "validate", "render_pdf"}
    import hashlib

    assert report["sha256"] == hashlib.sha256(REPORT_PDF.read_bytes()).hexdigest()


def test_layout_sidecar_traces_jats_ids(published: Path) -> None:
    sidecar = json.loads((published / "nbr79.layout.json").read_text())["elements"]
    root = parse_xml(published / "nbr79.xml").getroot()
    for tag in ("p", "fn", "sec", "list-item"):
        ids = [el.get("id") for el in root.iter(tag) if el.get("id")]
        assert ids, tag
        missing = [i for i in ids if i not in sidecar]
        assert not missing, (tag, missing[:5])
    note = sidecar["p2-fn1"]
    assert note["kind"] == "note" and 1 <= note["pages"][0] <= 53


def test_cli_validate_on_output(published: Path) -> None:
    result = run_cli("validate", str(published / "nbr79.xml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_input_one_line_no_partial_output(tmp_path: Path, published: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    out = tmp_path / "out"
    result = run_cli("publish", str(bad), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("jatsflow:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0]
    assert not (out / "broken").exists()
    assert [p.name for p in out.iterdir()] == [".broken.lock"]  # no partial folder


def test_usage_error_exit_code() -> None:
    assert run_cli("publish").returncode == 2
