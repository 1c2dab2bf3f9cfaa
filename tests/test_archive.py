"""The archival bag: what it holds, what bag-info.txt says, and that verify catches damage."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import bagit
import pytest
from lxml import etree

from flows import __version__
from flows.archive import (
    ArchiveError,
    SourceMismatchError,
    bag_info,
    build_bag,
    run_verify,
    verify_bag,
)
from flows.extract import extract_pdf
from flows.jats import build_jats, serialize
from flows.layout import analyse_layout
from flows.model import SourceInfo
from flows.provenance import layout_sidecar
from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.segment import segment
from flows.xmlsafe import parse_xml

EPOCH = 1_557_000_000  # 2019-05-04T20:00:00Z
RUN_ID = "0b1c2d3e-0000-4000-8000-000000000001"
OUTPUTS = {"small.xml", "small.layout.json", "small.html", "jatsflow.css", "small.pdf",
           "small.txt", "report.json"}


@pytest.fixture(scope="module")
def published(small_report, tmp_path_factory) -> Path:
    """A published folder as the flow writes it, from the small WeasyPrint report.

    The small report has no title page, so the fixture gives its JATS a title, subtitle and
    pub-date (where the DTD puts them) for bag-info.txt to read.
    """
    folder = tmp_path_factory.mktemp("build") / "small"
    folder.mkdir()
    extracted = extract_pdf(small_report)
    source = SourceInfo(small_report.name, extracted.sha256, extracted.page_count)
    document = segment(analyse_layout(extracted), source)
    jats = build_jats(document)
    titles = jats.getroot().find("front/article-meta/title-group")
    titles.find("article-title").text = "Water Policy"
    etree.SubElement(titles, "subtitle").text = "Three  Cities\n Compared"
    date = etree.Element("pub-date", {"publication-format": "print", "date-type": "pub"})
    for tag, value in (("day", "4"), ("month", "5"), ("year", "2019")):
        etree.SubElement(date, tag).text = value
    titles.addnext(date)
    xml = folder / "small.xml"
    xml.write_bytes(serialize(jats))
    (folder / "small.layout.json").write_text(json.dumps(layout_sidecar(document)),
                                              encoding="utf-8")
    html = folder / "small.html"
    html.write_text(render_html(parse_xml(xml)), encoding="utf-8")
    write_css(folder)
    render_pdf(html, folder / "small.pdf", source_date_epoch=EPOCH)
    (folder / "small.txt").write_text(render_text(parse_xml(xml)), encoding="utf-8")
    (folder / "report.json").write_text(json.dumps({"sha256": extracted.sha256}),
                                        encoding="utf-8")
    return folder


@pytest.fixture
def bag(published, small_report, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return build_bag(published, small_report, tmp_path / "archive", flow_run_id=RUN_ID)


def info(bag: Path) -> dict[str, str]:
    lines = (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


def all_bytes(bag: Path) -> dict[str, bytes]:
    return {str(p.relative_to(bag)): p.read_bytes() for p in sorted(bag.rglob("*"))
            if p.is_file()}


# --- building ---------------------------------------------------------------------------------


def test_bag_holds_the_source_and_every_output(bag, published, small_report):
    assert bag.name == "small"
    payload = {str(p.relative_to(bag / "data")) for p in (bag / "data").rglob("*") if p.is_file()}
    assert payload == {"source/small.pdf"} | {f"published/{name}" for name in OUTPUTS}
    assert (bag / "data/source/small.pdf").read_bytes() == small_report.read_bytes()
    assert (bag / "data/published/small.pdf").read_bytes() == (published / "small.pdf").read_bytes()
    for algorithm in ("sha256", "sha512"):
        manifest = (bag / f"manifest-{algorithm}.txt").read_text(encoding="utf-8")
        assert sorted(line.split()[1] for line in manifest.splitlines()) == sorted(
            f"data/{name}" for name in payload)
        assert (bag / f"tagmanifest-{algorithm}.txt").is_file()
    assert bagit.Bag(str(bag)).is_valid()
    assert verify_bag(bag) == []
    assert [p.name for p in bag.parent.iterdir()] == ["small"]  # no temporary folder left


def test_bag_info_says_what_where_from_and_what_made_it(bag, small_report):
    fields = info(bag)
    assert fields["Source-File"] == "small.pdf"
    assert fields["Source-SHA256"] == hashlib.sha256(small_report.read_bytes()).hexdigest()
    assert fields["Title"] == "Water Policy: Three Cities Compared"
    assert fields["Publication-Date"] == "2019-05-04"
    assert fields["Jatsflow-Version"] == __version__
    assert fields["Prefect-Flow-Run-Id"] == RUN_ID
    assert fields["Bagging-Date"] == "2019-05-04"  # from SOURCE_DATE_EPOCH, not today
    payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
    assert fields["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"


def test_bagging_date_falls_back_to_the_pdf_mtime(published, small_report, tmp_path,
                                                  monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "small.pdf"
    shutil.copyfile(small_report, source)
    os.utime(source, (EPOCH - 86400, EPOCH - 86400))
    bag = build_bag(published, source, tmp_path / "archive", flow_run_id=None)
    assert info(bag)["Bagging-Date"] == "2019-05-03"
    assert "Prefect-Flow-Run-Id" not in info(bag)


@pytest.mark.parametrize(("date", "expected"), [
    ("<year>2019</year>", "2019"),
    ("<month>5</month><year>2019</year>", "2019-05"),
    ("<day>4</day><month>May</month><year>2019</year>", "2019"),
    ("<season>Spring</season><year>2019</year>", "2019"),
])
def test_publication_date_is_iso_8601(date, expected):
    jats = parse_xml(f"<article><front><article-meta><title-group><article-title>T"
                     f"</article-title></title-group><pub-date>{date}</pub-date>"
                     f"</article-meta></front></article>".encode())
    assert bag_info(jats, "x.pdf", "0" * 64, EPOCH, None)["Publication-Date"] == expected


def test_two_builds_give_identical_bags(published, small_report, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = build_bag(published, small_report, tmp_path / "a", flow_run_id=RUN_ID)
    second = build_bag(published, small_report, tmp_path / "b", flow_run_id=RUN_ID)
    assert all_bytes(first) == all_bytes(second)
    assert {p.stat().st_mtime for p in [first, *first.rglob("*")]} == {EPOCH}
    tags = (first / "tagmanifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split()[1] for line in tags] == sorted(line.split()[1] for line in tags)


def test_another_flow_run_changes_only_its_id(published, small_report, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = all_bytes(build_bag(published, small_report, tmp_path / "a", flow_run_id=RUN_ID))
    second = all_bytes(build_bag(published, small_report, tmp_path / "b", flow_run_id="other"))
    assert {name for name in first if first[name] != second[name]} == {
        "bag-info.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"}
    before, after = (set(files["bag-info.txt"].decode().splitlines()) for files in (first, second))
    assert before ^ after == {f"Prefect-Flow-Run-Id: {RUN_ID}", "Prefect-Flow-Run-Id: other"}


def test_a_new_bag_replaces_the_old_one_whole(bag, published, small_report):
    (bag / "data" / "published" / "small.txt").write_text("damaged", encoding="utf-8")
    again = build_bag(published, small_report, bag.parent, flow_run_id=RUN_ID)
    assert again == bag
    assert verify_bag(bag) == []
    assert [p.name for p in bag.parent.iterdir()] == ["small"]


def test_refuses_outputs_made_from_another_pdf(published, small_report, tmp_path):
    other = tmp_path / "small.pdf"
    other.write_bytes(small_report.read_bytes() + b"\n% another edition\n")
    with pytest.raises(SourceMismatchError, match="small.xml was made from a PDF with SHA-256"):
        build_bag(published, other, tmp_path / "archive", flow_run_id=None)
    assert not (tmp_path / "archive").exists()


def test_refuses_a_folder_without_jats(small_report, tmp_path):
    (tmp_path / "small").mkdir()
    with pytest.raises(ArchiveError, match="no small.xml to archive"):
        build_bag(tmp_path / "small", small_report, tmp_path / "archive", flow_run_id=None)


# --- verifying --------------------------------------------------------------------------------


def test_changed_payload_file_is_named(bag):
    text = bag / "data" / "published" / "small.txt"
    text.write_bytes(text.read_bytes() + b"one more line\n")  # size changes: Payload-Oxum fails
    problems = verify_bag(bag)
    assert problems == [f"{text}: content differs from the manifest (sha256, sha512 checksums)"]


def test_same_size_change_is_named(bag):
    css = bag / "data" / "published" / "jatsflow.css"
    data = bytearray(css.read_bytes())
    data[0] ^= 1
    css.write_bytes(bytes(data))
    assert [p.split(":")[0] for p in verify_bag(bag)] == [str(css)]


def test_missing_file_is_named(bag):
    (bag / "data" / "published" / "small.html").unlink()
    problems = verify_bag(bag)
    assert problems == [f"{bag / 'data/published/small.html'}: listed in the manifest but missing"]


def test_extra_file_is_named(bag):
    (bag / "data" / "published" / "notes.txt").write_text("added later", encoding="utf-8")
    assert verify_bag(bag) == [
        f"{bag / 'data/published/notes.txt'}: present but not listed in the manifest"]


def test_edited_bag_info_is_named(bag):
    path = bag / "bag-info.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Water Policy", "Gas Policy"),
                    encoding="utf-8")
    assert [p.split(":")[0] for p in verify_bag(bag)] == [str(path)]


def test_invalid_jats_inside_a_sound_bag_is_named(published, small_report, tmp_path):
    """Checksums prove the files are as bagged, not that the JATS was valid when bagged."""
    folder = tmp_path / "small"
    shutil.copytree(published, folder)
    xml = folder / "small.xml"
    xml.write_text(xml.read_text(encoding="utf-8").replace("<body>", "<body><blink/>"),
                   encoding="utf-8")
    bag = build_bag(folder, small_report, tmp_path / "archive", flow_run_id=None)
    problems = verify_bag(bag)
    assert problems and all(p.startswith(f"{bag / 'data/published/small.xml'}:")
                            for p in problems)
    assert any("[dtd]" in p and "blink" in p for p in problems)


def test_jats_from_another_pdf_is_named(bag):
    """Re-bagged with another source: the checksums agree, the JATS's provenance does not."""
    source = bag / "data" / "source" / "small.pdf"
    source.write_bytes(source.read_bytes() + b"\n% swapped\n")
    rebag = bagit.Bag(str(bag))
    rebag.save(manifests=True)
    problems = verify_bag(bag)
    assert [p.split(":")[0] for p in problems] == [str(bag / "data/published/small.xml"),
                                                   str(bag / "bag-info.txt")]
    assert all("records source SHA-256" in p for p in problems)


def test_not_a_bag(tmp_path):
    assert verify_bag(tmp_path) == [
        f"{tmp_path}: not a readable BagIt bag (Expected bagit.txt does not exist: "
        f"{tmp_path / 'bagit.txt'})"]


def test_run_verify_prints_ok_or_problems(bag, tmp_path):
    out = io.StringIO()
    assert run_verify([bag], out) == 0
    assert out.getvalue() == f"OK {bag}\n"
    (bag / "data" / "source" / "small.pdf").unlink()
    out = io.StringIO()
    assert run_verify([bag, tmp_path / "archive"], out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{bag / 'data/source/small.pdf'}: listed in the manifest but missing"
    assert not any(line.startswith("OK") for line in lines)
