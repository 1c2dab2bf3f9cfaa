"""The Prefect flow: the business process of publishing one report, one task per stage.

This is the only module that imports Prefect. Tasks are thin wrappers around the stage
functions; an expected failure (bad input, invalid JATS) comes back as a Failed state with
a one-line message, never as a traceback, and publishes nothing: outputs are written to a
temporary folder beside the destination and renamed into place only when all succeeded.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from prefect import flow, task
from prefect.states import Failed, State

from flows import __version__
from flows.errors import JatsflowError
from flows.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    ExtractedPdf,
    Limits,
    extract_pdf,
)
from flows.jats import build_jats, serialize
from flows.layout import Layout, analyse_layout
from flows.model import Document, SourceInfo
from flows.provenance import layout_sidecar
from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.segment import segment
from flows.validate import ValidationResult, validate_jats
from flows.xmlsafe import parse_xml

T = TypeVar("T")


class InvalidJatsError(JatsflowError):
    """The JATS we built does not validate; nothing is published."""


@dataclass
class StageClock:
    """Wall time per stage, for report.json and the benchmark."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, function: Callable[..., T], *args: Any) -> T:
        start = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)


def _expected_failure(stage: str, function: Callable[..., T], *args: Any) -> T | State:
    """Run a stage; an expected failure becomes a Failed state carrying its message."""
    try:
        return function(*args)
    except JatsflowError as exc:
        return Failed(message=str(exc))


def _retry_unexpected(task, task_run, state) -> bool:
    """Retry only what a retry can help: not bad input, which fails the same way again."""
    try:
        state.result()
    except JatsflowError:
        return False
    except Exception:  # noqa: BLE001 - anything else may be transient (I/O, memory)
        return True
    return False


@task(name="extract", retries=1, retry_condition_fn=_retry_unexpected)
def extract_task(pdf: Path, limits: Limits) -> ExtractedPdf:
    return _expected_failure("extract", extract_pdf, pdf, limits)


@task(name="layout")
def layout_task(extracted: ExtractedPdf) -> Layout:
    return analyse_layout(extracted)


@task(name="segment")
def segment_task(layout: Layout, source: SourceInfo) -> Document:
    return segment(layout, source)


@task(name="jats")
def jats_task(document: Document, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.xml"
    path.write_bytes(serialize(build_jats(document)))
    (folder / f"{stem}.layout.json").write_text(
        json.dumps(layout_sidecar(document), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@task(name="validate")
def validate_task(xml_path: Path) -> ValidationResult:
    return validate_jats(parse_xml(xml_path))


@task(name="render-html")
def render_html_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.html"
    path.write_text(render_html(parse_xml(xml_path)), encoding="utf-8")
    write_css(folder)
    return path


@task(name="render-pdf", retries=1, retry_condition_fn=_retry_unexpected)
def render_pdf_task(html_path: Path, folder: Path, stem: str, epoch: int) -> Path:
    path = folder / f"{stem}.pdf"
    render_pdf(html_path, path, source_date_epoch=epoch)
    return path


@task(name="render-text")
def render_text_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(render_text(parse_xml(xml_path)), encoding="utf-8")
    return path


def _publish_into(pdf: Path, folder: Path, stem: str, limits: Limits) -> dict[str, Any] | State:
    clock = StageClock()
    extracted = clock.run("extract", extract_task, pdf, limits)
    if isinstance(extracted, State):
        return extracted
    layout = clock.run("layout", layout_task, extracted)
    source = SourceInfo(pdf.name, extracted.sha256, extracted.page_count)
    document = clock.run("segment", segment_task, layout, source)
    xml_path = clock.run("jats", jats_task, document, folder, stem)
    validation = clock.run("validate", validate_task, xml_path)
    report: dict[str, Any] = {
        "source": pdf.name,
        "sha256": extracted.sha256,
        "pages": extracted.page_count,
        "jatsflow": __version__,
        "validation": {
            "dtd": validation.dtd,
            "valid": validation.valid,
            "errors": [{"line": line, "message": msg} for line, msg in validation.errors],
            "rule_findings": [f.__dict__ for f in validation.findings],
        },
        "warnings": document.warnings + [f.message for f in validation.findings
                                         if f.severity == "warning"],
        "parts": len(document.parts),
        "notes": sum(len(p.notes) for p in document.parts),
    }
    if not validation.passed:
        (folder / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        first = (validation.errors[0][1] if validation.errors
                 else validation.rule_errors[0].message)
        raise InvalidJatsError(f"{pdf}: the JATS is not valid ({first})")
    html_path = clock.run("render_html", render_html_task, xml_path, folder, stem)
    clock.run("render_pdf", render_pdf_task, html_path, folder, stem, int(pdf.stat().st_mtime))
    clock.run("render_text", render_text_task, xml_path, folder, stem)
    report["seconds"] = clock.seconds
    (folder / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                        encoding="utf-8")
    return report


def _replace(folder: Path, destination: Path) -> None:
    """Swap the finished folder into place; the old outputs go only once the new are in."""
    old = destination.with_name(f".{destination.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if destination.exists():
        destination.rename(old)
    folder.rename(destination)
    if old.exists():
        shutil.rmtree(old)


@flow(name="publish-report", log_prints=True)
def publish_report(pdf: str, out_dir: str = "build", max_pages: int = DEFAULT_MAX_PAGES,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any] | State:
    """Publish one report PDF: JATS, HTML, PDF and text in out_dir/<stem>/."""
    source = Path(pdf)
    stem = source.stem
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{stem}.partial-", dir=out))
    work.chmod(0o755)  # mkdtemp makes it private; the published folder is for everyone
    try:
        report = _publish_into(source, work, stem, Limits(max_pages, max_bytes))
    except JatsflowError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return Failed(message=str(exc))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if isinstance(report, State):
        shutil.rmtree(work, ignore_errors=True)
        return Failed(message=report.message)
    _replace(work, out / stem)
    report["output"] = str(out / stem)
    return report
