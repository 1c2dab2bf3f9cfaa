"""The Prefect flows: the business process of publishing reports, one task per stage.

This is the only module that imports Prefect (the embedded server is a child process that
imports it itself, see processes.py). Tasks are thin wrappers around the stage functions; an
expected failure (bad input, invalid JATS, a stage past its time limit) comes back as a Failed
state with a one-line message, never as a traceback, and publishes nothing: outputs are
written to a temporary folder beside the destination and swapped into place only when all
succeeded, under a lock on that destination, so runs into the same folder queue.

Two flows: ``publish-report`` for one PDF and ``publish-batch`` for a folder or list of PDFs,
run concurrently. Both are served to the Prefect UI by ``jatsflow serve`` and registered with
a work pool by ``jatsflow deploy``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import prefect
from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State
from prefect.task_engine import TaskRunTimeoutError
from prefect.task_runners import ThreadPoolTaskRunner

from flows import __version__
from flows.accessibility import OutputChecks, warm_up
from flows.accessibility import summary_markdown as accessibility_markdown
from flows.archive import build_bag, source_date_epoch
from flows.checkers import close_checkers
from flows.errors import JatsflowError, UsageError
from flows.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    ExtractedPdf,
    Limits,
    export_images,
    extract_pdf,
)
from flows.files import (
    folder_lock,
    partial_prefix,
    pdfs_in,
    replace_folder,
    safe_stem,
    sweep_partials,
)
from flows.jats import build_jats, serialize
from flows.layout import Layout, analyse_layout
from flows.model import Document, SourceInfo, iter_figures
from flows.processes import healthy
from flows.profile import HouseStyle, ProfileError, house_style
from flows.provenance import layout_sidecar, source_page_size
from flows.render_epub import epub_metadata, render_epub
from flows.render_html import render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.reuse import (
    DEFAULT_STAGE_TIMEOUT,
    Options,
    Reuse,
    file_sha256,
    reusable_report,
    reuse_key,
    worker_count,
    write_report,
)
from flows.segment import segment
from flows.summary import Outcome, artifact_key, summary_markdown
from flows.validate import ValidationResult, validate_jats
from flows.xmlsafe import parse_xml

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_THREADS = 4
REJECTED = "Rejected"  # the name of a Failed state for bad input: a retry fails the same way
WORK_POOL = "jatsflow"


class InvalidJatsError(JatsflowError):
    """The JATS we built does not validate; nothing is published, the errors are kept."""

    def __init__(self, message: str, report: dict[str, Any]) -> None:
        super().__init__(message)
        self.report = report


class StageTimeoutError(JatsflowError):
    """A stage ran past its time limit: a pathological page must not hang a batch."""


# --- tasks: one per stage -------------------------------------------------------------------

def _retry_unexpected(task, task_run, state) -> bool:
    """Retry only what a retry can help: not bad input, which fails the same way again, and
    not a stage past its time limit, which would only hold the batch up twice as long."""
    return state.name not in (REJECTED, "TimedOut")


def _stage(name: str, retries: int = 0) -> Callable[[Callable[..., T]], Any]:
    """A task for one stage: an expected failure becomes a Failed state named Rejected that
    carries its one-line message, instead of an exception whose traceback fills the log.
    No Prefect cache policy: reuse is decided once per document, from its outputs, and
    Prefect would otherwise hash every stage's inputs (a whole document model) for nothing."""
    def decorate(function: Callable[..., T]) -> Any:
        @functools.wraps(function)
        def run(*args: Any) -> T | State:
            try:
                return function(*args)
            except JatsflowError as exc:
                return Failed(message=str(exc), name=REJECTED)
        return task(run, name=name, retries=retries, retry_condition_fn=_retry_unexpected,
                    cache_policy=NONE)
    return decorate


@_stage("extract", retries=1)
def extract_task(pdf: Path, limits: Limits) -> ExtractedPdf:
    return extract_pdf(pdf, limits)


@_stage("layout")
def layout_task(extracted: ExtractedPdf) -> Layout:
    return analyse_layout(extracted)


@_stage("segment")
def segment_task(layout: Layout, source: SourceInfo, style: HouseStyle) -> Document:
    return segment(layout, source, style)


@_stage("jats")
def jats_task(document: Document, pdf: Path, folder: Path, stem: str,
              layout: Layout | None = None) -> Path:
    """The JATS, the figures' images beside it, and the layout sidecar."""
    figures = [f for f in iter_figures(document) if f.source_image]
    names = export_images(pdf, [f.source_image for f in figures], folder, stem)
    for figure in figures:
        figure.image = names.get(figure.source_image, "")
    path = folder / f"{stem}.xml"
    path.write_bytes(serialize(build_jats(document)))
    sidecar = layout_sidecar(document, layout)
    (folder / f"{stem}.layout.json").write_text(
        json.dumps(sidecar, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@_stage("validate")
def validate_task(xml_path: Path) -> ValidationResult:
    return validate_jats(parse_xml(xml_path))


@_stage("render-html")
def render_html_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.html"
    sidecar = json.loads((folder / f"{stem}.layout.json").read_text(encoding="utf-8"))
    path.write_text(render_html(parse_xml(xml_path), sidecar=sidecar), encoding="utf-8")
    write_css(folder)
    return path


@_stage("render-pdf", retries=1)
def render_pdf_task(html_path: Path, folder: Path, stem: str, epoch: int,
                    page_size: str = "") -> Path:
    """The PDF at `page_size` (--page-size), by default at the source's page size."""
    path = folder / f"{stem}.pdf"
    sidecar = json.loads((folder / f"{stem}.layout.json").read_text(encoding="utf-8"))
    render_pdf(html_path, path, source_date_epoch=epoch,
               page_size=page_size or source_page_size(sidecar))
    return path


@_stage("render-text")
def render_text_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(render_text(parse_xml(xml_path)), encoding="utf-8")
    return path


@_stage("render-epub")
def render_epub_task(xml_path: Path, html_path: Path, folder: Path, stem: str, sha256: str,
                     epoch: int, conforms: bool = True) -> Path:
    """EPUB 3 from the same XHTML; its page list names the source PDF as the print edition."""
    path = folder / f"{stem}.epub"
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    render_epub(html_path, path, **epub_metadata(parse_xml(xml_path)),
                identifier=f"urn:sha256:{sha256}", modified=modified,
                source=f"urn:sha256:{sha256}", conforms=conforms)
    return path


@_stage("check")
def check_task(checks: OutputChecks) -> dict[str, Any]:
    """Accessibility checks of every output; writes accessibility.json and .html. The checks
    of the HTML, EPUB and text began as each was written: this stage waits for what is left."""
    return checks.report()


@_stage("archive")
def archive_task(published: Path, pdf: Path, archive_root: Path, stem: str) -> Path:
    run = prefect.runtime.flow_run.id
    return build_bag(published, pdf, archive_root, flow_run_id=str(run) if run else None,
                     stem=stem)


@dataclass
class StageClock:
    """Runs stage tasks under the time limit; keeps wall time per stage for report.json, the
    timing artifact and the benchmark."""

    pdf: Path
    timeout: float
    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, stage: Any, *args: Any) -> Any:
        name = stage.name.replace("-", "_")
        start = time.perf_counter()
        try:
            result = stage.with_options(timeout_seconds=self.timeout)(*args)
        except TaskRunTimeoutError as exc:
            raise StageTimeoutError(
                f"{self.pdf}: stage {stage.name} ran past its {self.timeout:g} s limit") from exc
        finally:
            self.seconds[name] = round(time.perf_counter() - start, 3)
        if isinstance(result, State):
            raise JatsflowError(result.message)
        return result


# --- one document ---------------------------------------------------------------------------

def _publish_into(pdf: Path, folder: Path, stem: str, options: Options) -> dict[str, Any]:
    warm_up()  # the checkers start while extraction runs, not when the first output is ready
    clock = StageClock(pdf, options.stage_timeout)
    extracted = clock.run(extract_task, pdf, Limits(options.max_pages, options.max_bytes))
    layout = clock.run(layout_task, extracted)
    source = SourceInfo(pdf.name, extracted.sha256, extracted.page_count, extracted.created)
    document = clock.run(segment_task, layout, source, options.style)
    xml_path = clock.run(jats_task, document, pdf, folder, stem, layout)
    validation = clock.run(validate_task, xml_path)
    report: dict[str, Any] = {
        "source": pdf.name,  # as people know it; the files are named by "stem"
        "stem": stem,
        "sha256": extracted.sha256,
        "pages": extracted.page_count,
        "jatsflow": __version__,
        "reuse_key": reuse_key(extracted.sha256, options),
        "options": options.key_fields(),
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
        # fonts whose glyphs have no Unicode text (no usable ToUnicode map or encoding)
        "fonts_without_unicode": extracted.unmapped_fonts,
        # the PDF gives no text alternative: someone must write one for each of these
        "figures_needing_alt_text": [f.id for f in iter_figures(document)],
    }
    if not validation.passed:
        first = (validation.errors[0][1] if validation.errors
                 else validation.rule_errors[0].message)
        raise InvalidJatsError(f"{pdf}: the JATS is not valid ({first})", report)
    epoch = source_date_epoch(pdf)
    # Each output's checks start as soon as it is written, in other processes (Chromium,
    # EPUBCheck's JVM, Ace), while the PDF, the slowest output, is still rendering.
    checks = OutputChecks(folder, stem)
    try:
        html_path = clock.run(render_html_task, xml_path, folder, stem)
        clock.run(render_epub_task, xml_path, html_path, folder, stem, extracted.sha256, epoch)
        checks.start("html", "epub")
        clock.run(render_text_task, xml_path, folder, stem)
        checks.start("text")
        clock.run(render_pdf_task, html_path, folder, stem, epoch, options.page_size)
        accessibility = clock.run(check_task, checks)
    finally:
        checks.abandon()
    if not accessibility["conformance"]["backed"]:  # the EPUB claims only what passed
        clock.run(render_epub_task, xml_path, html_path, folder, stem, extracted.sha256, epoch,
                  False)
    report["accessibility"] = {"summary": accessibility["summary"],
                               "report": "accessibility.html"}
    create_markdown_artifact(accessibility_markdown(accessibility),
                             key=artifact_key(stem, "accessibility"),
                             description="Accessibility checks of every output")
    report["seconds"] = clock.seconds
    # each output's own checking time; most of it ran beside the rendering, so it is more
    # than the "check" stage waited
    report["check_seconds"] = dict(sorted(checks.seconds.items()))
    report["outputs"] = {path.name: file_sha256(path)
                         for path in sorted(folder.iterdir()) if path.is_file()}
    write_report(folder, report)
    return report


def publish_document(pdf: Path, out: Path, options: Options) -> State:
    """Publish one PDF into out/<stem>/ and its bag into out/archive/<stem>/, or reuse what
    is there for the same bytes, code and options. Always returns a state: Completed (or
    Completed named Cached) with the report, or Failed with one line; a bug still raises, so
    Prefect records its traceback.

    Runs into the same folder wait for each other (a lock per output folder); whatever a
    killed run left half-written there is swept first."""
    started = time.time()
    stem = safe_stem(pdf.name)
    destination = out / stem
    bag = out / "archive" / stem if options.archive else None
    with folder_lock(out, stem):
        for parent in (out, out / "archive"):
            sweep_partials(parent, stem, before=started)
        reuse, report = Reuse.NOTHING, None
        if options.reuse and pdf.is_file():
            reuse, report = reusable_report(destination, reuse_key(file_sha256(pdf), options),
                                            bag)
        if reuse is Reuse.NOTHING:
            state = _publish_anew(pdf, out, stem, options)
            if not isinstance(state, dict):
                return state
            report = state
        assert report is not None
        report.update(output=str(destination), reused=reuse is not Reuse.NOTHING)
        if bag is not None and reuse is not Reuse.ALL:
            try:
                report["archive"] = str(_archive(destination, pdf, out, stem, options))
            except JatsflowError as exc:  # the outputs stand; the bag is what failed
                return Failed(message=f"{pdf}: published, but not archived: {exc}",
                              name=REJECTED)
    _artifacts(report)
    if reuse is Reuse.ALL:
        return Completed(data=report, name="Cached",
                         message=f"{pdf}: unchanged, outputs in {destination}/ reused")
    if reuse is Reuse.OUTPUTS:
        return Completed(data=report, name="Cached",
                         message=f"{pdf}: unchanged, outputs reused, archive bag made again")
    return Completed(data=report, message=f"{pdf}: published to {destination}/")


def _publish_anew(pdf: Path, out: Path, stem: str, options: Options) -> dict[str, Any] | State:
    """Every stage into a work folder, swapped in for out/<stem>/ when all succeeded; the
    report, or a Failed state."""
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=partial_prefix(stem), dir=out))
    work.chmod(0o755)  # mkdtemp makes it private; the published folder is for everyone
    try:
        report = _publish_into(pdf, work, stem, options)
    except InvalidJatsError as exc:
        shutil.rmtree(work, ignore_errors=True)
        failed = out / f"{stem}.invalid.json"
        failed.write_text(json.dumps(exc.report, indent=1, ensure_ascii=False), encoding="utf-8")
        _validation_artifact(stem, exc.report)
        return Failed(message=f"{exc} — errors with lines in {failed}", name=REJECTED)
    except JatsflowError as exc:
        shutil.rmtree(work, ignore_errors=True)
        return Failed(message=str(exc), name=REJECTED)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    replace_folder(work, out / stem)
    (out / f"{stem}.invalid.json").unlink(missing_ok=True)  # an earlier rejection, now fixed
    return report


def _archive(published: Path, pdf: Path, out: Path, stem: str, options: Options) -> Path:
    """The bag of a published folder, under the stage time limit; JatsflowError if not."""
    bag = archive_task.with_options(timeout_seconds=options.stage_timeout)(
        published, pdf, out / "archive", stem)
    if isinstance(bag, State):
        raise JatsflowError(bag.message)
    return bag


# --- artifacts: what a person sees in the Prefect UI -----------------------------------------

def _validation_artifact(stem: str, report: dict[str, Any]) -> None:
    """The reasons a document was not published, where staff look first."""
    validation = report["validation"]
    lines = [f"# {report['source']}: JATS not valid, nothing published", "",
             f"DTD `{validation['dtd']}`", ""]
    lines += [f"- line {e['line']}: {e['message']}" for e in validation["errors"][:50]]
    lines += [f"- line {f['line']}: [{f['rule']}] {f['message']}"
              for f in validation["rule_findings"] if f["severity"] == "error"][:50]
    create_markdown_artifact("\n".join(lines), key=artifact_key(stem, "invalid"),
                             description="Validation errors")


def _artifacts(report: dict[str, Any]) -> None:
    stem = report.get("stem") or Path(report["output"]).name
    for name in [*report["outputs"], "report.json"]:  # report.json cannot list itself
        create_link_artifact(link=(Path(report["output"]) / name).resolve().as_uri(),
                             link_text=name, key=artifact_key(stem, name.removeprefix(stem)),
                             description=f"{report['source']}: {name}")
    create_markdown_artifact(summary_markdown(report), key=artifact_key(stem, "summary"),
                             description=f"{report['source']}: summary")
    create_table_artifact([{"stage": stage, "seconds": seconds}
                           for stage, seconds in report["seconds"].items()],
                          key=artifact_key(stem, "timings"),
                          description=f"{report['source']}: wall time per stage")


# --- the flows ------------------------------------------------------------------------------

@flow(name="publish-report")
def publish_report(pdf: str, out_dir: str = "build", max_pages: int = DEFAULT_MAX_PAGES,
                   max_bytes: int = DEFAULT_MAX_BYTES,
                   stage_timeout: float = DEFAULT_STAGE_TIMEOUT, reuse: bool = True,
                   profile: str = "", page_size: str = "") -> State:
    """Publish one report PDF: JATS, HTML, PDF and text in out_dir/<stem>/. `page_size`
    (a CSS page size: A4, letter, '210mm 297mm') overrides the source's for the PDF."""
    try:  # parameters typed into the UI are checked as the command line checks its options
        options = Options(max_pages, max_bytes, stage_timeout, reuse,
                          style=house_style(profile), page_size=page_size)
    except (UsageError, ProfileError) as exc:
        return Failed(message=str(exc), name=REJECTED)
    return publish_document(Path(pdf), Path(out_dir), options)


@task(name="publish-document", cache_policy=NONE)
def document_task(pdf: str, out_dir: str, options: Options) -> State:
    return publish_document(Path(pdf), Path(out_dir), options)


def outcome(pdf: Path, state: State) -> Outcome:
    """The summary row of a document's final state."""
    if not state.is_completed():
        expected = state.name == REJECTED
        return Outcome(str(pdf), "failed", detail=state.message if expected
                       else f"{pdf}: unexpected error, see the run in the Prefect UI "
                            f"({state.message})")
    return Outcome.of_report(pdf, state.result())


def _announce(line: str) -> None:
    """Progress goes to the terminal that started the batch and to the run's log in the UI."""
    print(line, flush=True)
    get_run_logger().info(line)


@flow(name="publish-batch", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_THREADS))
def publish_batch(sources: list[str], out_dir: str = "build",
                  max_pages: int = DEFAULT_MAX_PAGES, max_bytes: int = DEFAULT_MAX_BYTES,
                  stage_timeout: float = DEFAULT_STAGE_TIMEOUT,
                  reuse: bool = True, profile: str = "",
                  page_size: str = "") -> list[dict[str, Any]]:
    """Publish every PDF in `sources` (files or folders) concurrently. One bad PDF does not
    stop the others; the batch fails if any document failed, after all have finished."""
    try:
        options = Options(max_pages, max_bytes, stage_timeout, reuse,
                          style=house_style(profile), page_size=page_size)
    except (UsageError, ProfileError) as exc:
        return Failed(message=str(exc), name=REJECTED)
    pdfs = pdfs_in(sources)
    if not pdfs:
        return Failed(message=f"no PDF in {', '.join(sources)}", name=REJECTED)
    outcomes: dict[Path, Outcome] = {}
    futures = {}
    for pdf in pdfs:
        stem = safe_stem(pdf.name)
        if stem in {safe_stem(p.name) for p in futures.values()}:
            outcomes[pdf] = Outcome(str(pdf), "failed", detail=(
                f"{pdf}: another PDF in this batch has the same name (as a file name: "
                f"{stem}); both would publish to {out_dir}/{stem}/"))
            _announce(f"[{len(outcomes)}/{len(pdfs)}] {outcomes[pdf].line()}")
            continue
        futures[document_task.submit(str(pdf), out_dir, options)] = pdf
    for future in as_completed(list(futures)):
        pdf = futures[future]
        future.wait()  # keeps the state as the task returned it, message and report included
        outcomes[pdf] = outcome(pdf, future.state)
        _announce(f"[{len(outcomes)}/{len(pdfs)}] {outcomes[pdf].line()}")
    close_checkers()  # this process's shared browser, Ace and EPUBCheck (workers: at their exit)
    rows = [asdict(outcomes[pdf]) for pdf in pdfs]
    create_table_artifact(rows, key="publish-batch-summary",
                          description="One row per document: status, size, time, output")
    failed = sum(1 for row in rows if row["status"] == "failed")
    if failed:
        return Failed(message=f"{failed} of {len(rows)} documents failed", data=rows)
    return rows


def batch_flow(workers: int | None) -> Any:
    """The batch flow on threads (the default: no extra processes to start), or on `workers`
    Dask worker processes, which use both cores for the CPU-bound stages.

    The workers are child processes: they find the Prefect API in PREFECT_API_URL, which the
    command line sets to its server before it starts them. Without it each worker would start
    an embedded server of its own on the same SQLite database, three servers contending for
    one file's lock; under load a state update then failed (the batch's flaky traceback)."""
    if not worker_count(workers or 0):
        return publish_batch
    api_url = prefect.settings.PREFECT_API_URL.value()
    if api_url and not os.environ.get("PREFECT_API_URL"):  # a server started in-process
        os.environ["PREFECT_API_URL"] = api_url
    for name, value in DASK_SETTINGS.items():  # the workers read them when they start
        os.environ.setdefault(name, value)
    import dask
    import distributed  # noqa: F401 - sets its loggers up from the settings above

    dask.config.refresh()  # this process's Dask may have read its settings already
    logging.getLogger("distributed").setLevel(
        os.environ["DASK_LOGGING__DISTRIBUTED"].upper())
    from prefect_dask import DaskTaskRunner

    # The scheduler serves HTTP even without a dashboard, on 8787 by default: a second batch
    # at the same time found it taken and printed a warning on stderr. Any free loopback port.
    return publish_batch.with_options(task_runner=DaskTaskRunner(cluster_kwargs={
        "n_workers": workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": DASK_HTTP_ADDRESS}))


DASK_HTTP_ADDRESS = "127.0.0.1:0"
# Dask's settings for a batch on worker processes (an operator's own environment wins).
DASK_SETTINGS = {
    # A worker that misses a heartbeat on a busy machine logs it as an error with a
    # traceback, on the run's stderr where only one line per failed document belongs (the
    # batch test failed so under load 56); a failure that matters reaches the batch's table
    # as that document's Failed state.
    "DASK_LOGGING__DISTRIBUTED": "critical",
    # Dask gives a connection 30 s; on a machine others load, a worker's event loop can wait
    # longer. These are loopback connections: one whose process ended fails at once, so a
    # longer limit only spares live ones.
    "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "300s",
    "DASK_DISTRIBUTED__COMM__TIMEOUTS__TCP": "300s",
}


# --- serving and deploying ----------------------------------------------------------------------

@contextlib.contextmanager
def local_server(port: int) -> Iterator[str]:
    """A Prefect server with its UI on 127.0.0.1:`port` while the block runs, on the same
    database as `jatsflow publish` (PREFECT_HOME): one command for staff who want the UI.

    The UI asks the API at PREFECT_UI_API_URL, which defaults to PREFECT_API_URL or else to
    PREFECT_SERVER_API_HOST/PORT, not to the --port given to `prefect server start`: all are
    set, or a UI on another port than 4200 would call the API on 4200."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PREFECT_SERVER_API_HOST": "127.0.0.1",
           "PREFECT_SERVER_API_PORT": str(port), "PREFECT_UI_API_URL": f"{url}/api",
           "PREFECT_API_URL": f"{url}/api"}
    process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start",
                                "--host", "127.0.0.1", "--port", str(port)], env=env)
    try:
        deadline = time.monotonic() + float(
            prefect.settings.PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        while not healthy(f"{url}/api"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise JatsflowError(f"the Prefect server did not start on {url} "
                                    "(is the port in use? try --port)")
            time.sleep(0.5)
        print(f"Prefect UI: {url}", flush=True)
        # processes started from here (Dask workers of a batch) find the server in the
        # environment, as with `jatsflow publish`
        os.environ["PREFECT_API_URL"] = f"{url}/api"
        with prefect.settings.temporary_settings({prefect.settings.PREFECT_API_URL: f"{url}/api"}):
            yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


DEPLOYMENTS = {
    # flow: the defaults a person sees in the UI's run form; paths are absolute because a
    # deployment runs wherever its runner or worker was started
    publish_report: {"out_dir": str(ROOT / "build")},
    publish_batch: {"sources": [str(ROOT / "source")], "out_dir": str(ROOT / "build")},
}


def serve_deployments() -> None:
    """Serve both flows from this process: runs started in the UI execute here."""
    prefect.serve(*(flow_.to_deployment(name="jatsflow", parameters=parameters)
                    for flow_, parameters in DEPLOYMENTS.items()))


def deploy_deployments(pool: str = WORK_POOL) -> list[str]:
    """Register both flows with a process work pool, code taken from this source folder (no
    git pull): every worker machine needs the project at the same path, as a shared folder or
    a checkout of the same commit. Creates the pool if it does not exist yet."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
        except ObjectAlreadyExists:
            pass
    names = []
    for flow_, parameters in DEPLOYMENTS.items():
        source = flow_.from_source(source=str(ROOT),
                                   entrypoint=f"flows/publish.py:{flow_.fn.__name__}")
        source.deploy(name="jatsflow", work_pool_name=pool, build=False, push=False,
                      parameters=parameters, print_next_steps=False, ignore_warnings=True)
        names.append(f"{flow_.name}/jatsflow")
    return names
