"""Round trip: our JATS read back into the model and written again gives the same bytes."""

from __future__ import annotations

from pathlib import Path

from test_jats import sample_document

from flows.extract import extract_pdf
from flows.jats import build_jats, serialize
from flows.jats_reader import read_jats
from flows.layout import analyse_layout
from flows.model import SourceInfo
from flows.segment import segment
from flows.xmlsafe import parse_xml


def round_trip(data: bytes) -> bytes:
    return serialize(build_jats(read_jats(parse_xml(data))))


def test_sample_report_round_trips() -> None:
    data = serialize(build_jats(sample_document()))
    assert round_trip(data) == data


def test_small_report_round_trips(small_report: Path) -> None:
    extracted = extract_pdf(small_report)
    document = segment(analyse_layout(extracted),
                       SourceInfo(small_report.name, extracted.sha256, extracted.page_count))
    data = serialize(build_jats(document))
    assert round_trip(data) == data


def test_published_report_round_trips(published: Path) -> None:
    data = (published / "nbr79.xml").read_bytes()
    assert round_trip(data) == data


def test_reader_recovers_the_model() -> None:
    document = read_jats(parse_xml(serialize(build_jats(sample_document()))))
    kinds = [p.kind for p in document.parts]
    assert kinds == ["foreword", "essay", "essay"]
    essay = document.parts[1]
    assert essay.contributors[0].email == "ada@example.org"
    assert [n.label for n in essay.notes] == ["1", "2"]
    callouts = [i.target for p in essay.blocks[:1] for i in p.content if i.kind == "callout"]
    assert callouts == ["1"]
    assert document.source.sha256 == "ab" * 32
