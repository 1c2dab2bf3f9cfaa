"""Two runs over the same PDF give the same bytes: JATS, layout sidecar, HTML, text, EPUB, PDF.

Archivists compare checksums; a file that changes on every run (a timestamp, a random id, an
order that depends on a hash seed) would look like a changed publication. The stages run in
this process and again in a fresh interpreter with another hash seed, so set or dict order
leaking from ``hash()`` would show here too.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from flows.extract import extract_pdf
from flows.jats import build_jats, serialize
from flows.layout import analyse_layout
from flows.model import SourceInfo
from flows.provenance import layout_sidecar
from flows.render_epub import render_epub
from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.segment import segment
from flows.xmlsafe import parse_xml

EPOCH = 1_557_000_000  # 2019-05-04T20:00:00Z
ROOT = Path(__file__).resolve().parents[1]


def publish_stages(pdf: Path, folder: Path) -> dict[str, str]:
    """Run every stage as the flow does; return the SHA-256 of each file written."""
    folder.mkdir(parents=True, exist_ok=True)
    extracted = extract_pdf(pdf)
    source = SourceInfo(pdf.name, extracted.sha256, extracted.page_count)
    document = segment(analyse_layout(extracted), source)
    xml = folder / "doc.xml"
    xml.write_bytes(serialize(build_jats(document)))
    (folder / "doc.layout.json").write_text(
        json.dumps(layout_sidecar(document), indent=1, ensure_ascii=False), encoding="utf-8")
    jats = parse_xml(xml)
    html = folder / "doc.html"
    html.write_text(render_html(jats), encoding="utf-8")
    write_css(folder)
    (folder / "doc.txt").write_text(render_text(jats), encoding="utf-8")
    render_pdf(html, folder / "doc.pdf", source_date_epoch=EPOCH)
    render_epub(html, folder / "doc.epub", title="Water Policy", language="en",
                identifier="urn:sha256:" + extracted.sha256, modified="2019-05-04T20:00:00Z")
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def first_run(small_report, tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("run1")


@pytest.fixture(scope="module")
def two_runs(small_report, first_run, tmp_path_factory) -> tuple[dict[str, str], dict[str, str]]:
    """One run here, one in a child interpreter with a different PYTHONHASHSEED."""
    here = publish_stages(small_report, first_run)
    folder = tmp_path_factory.mktemp("run2")
    code = ("import json, sys; sys.path.insert(0, sys.argv[3]); "
            "from pathlib import Path; from test_reproducible import publish_stages; "
            "print(json.dumps(publish_stages(Path(sys.argv[1]), Path(sys.argv[2]))))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    child = subprocess.run(
        [sys.executable, "-c", code, str(small_report), str(folder), str(ROOT / "tests")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr[-2000:]
    return here, json.loads(child.stdout.splitlines()[-1])


def test_every_output_is_written(two_runs):
    first, second = two_runs
    expected = {"doc.xml", "doc.layout.json", "doc.html", "jatsflow.css", "doc.txt", "doc.pdf",
                "doc.epub"}
    assert set(first) == set(second) == expected


@pytest.mark.parametrize("name", ["doc.xml", "doc.layout.json", "doc.html", "jatsflow.css",
                                  "doc.txt", "doc.pdf", "doc.epub"])
def test_two_runs_give_identical_bytes(two_runs, name):
    first, second = two_runs
    assert first[name] == second[name], f"{name} differs between two runs"


def test_pdf_dates_follow_the_epoch_not_the_clock(two_runs, first_run, tmp_path):
    """Identical bytes could also come from a clock that did not tick; the dates say which."""
    with pikepdf.open(first_run / "doc.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20190504200000Z"
        assert str(pdf.docinfo.ModDate) == "D:20190504200000Z"
        first_id = bytes(pdf.trailer.ID[0])
    render_pdf(first_run / "doc.html", tmp_path / "later.pdf", source_date_epoch=EPOCH + 86400)
    with pikepdf.open(tmp_path / "later.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20190505200000Z"
        assert bytes(pdf.trailer.ID[0]) != first_id  # the /ID follows the content
