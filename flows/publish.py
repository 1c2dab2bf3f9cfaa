"""The Prefect flows: the business process of publishing reports, one task per stage.

This is the only module that imports Prefect. Tasks are thin wrappers around the stage
functions; an expected failure (bad input, invalid JATS, a stage past its time limit) comes
back as a Failed state with a one-line message, never as a traceback, and publishes nothing:
outputs are written to a temporary folder beside the destination and renamed into place only
when all succeeded.

Two flows: ``publish-report`` for one PDF and ``publish-batch`` for a folder or list of PDFs,
run concurrently. Both are served to the Prefect UI by ``jatsflow serve`` and registered with
a work pool by ``jatsflow deploy``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
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
from flows.accessibility import check_outputs
from flows.accessibility import summary_markdown as accessibility_markdown
from flows.archive import build_bag, source_date_epoch
from flows.errors import JatsflowError
from flows.extract import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    ExtractedPdf,
    Limits,
    export_images,
    extract_pdf,
)
from flows.files import replace_folder
from flows.jats import build_jats, serialize
from flows.layout import Layout, analyse_layout
from flows.model import Document, SourceInfo
from flows.provenance import layout_sidecar
from flows.render_epub import render_epub
from flows.render_html import document_title, jats_language, render_html, write_css
from flows.render_pdf import render_pdf
from flows.render_text import render_text
from flows.segment import iter_figures, segment
from flows.validate import ValidationResult, validate_jats
from flows.xmlsafe import parse_xml

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STAGE_TIMEOUT = 900.0  # seconds; the 53-page report's slowest stage takes about 5
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


@dataclass(frozen=True)
class Options:
    """How a document is published. The limits decide what is accepted, so they are part of
    the reuse key; the time limit and the reuse switch change no output, so they are not."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_bytes: int = DEFAULT_MAX_BYTES
    stage_timeout: float = DEFAULT_STAGE_TIMEOUT
    reuse: bool = True
    archive: bool = True  # also write the BagIt package under out/archive/

    def key_fields(self) -> dict[str, int]:
        return {"max_pages": self.max_pages, "max_bytes": self.max_bytes}


# --- reuse of unchanged outputs -------------------------------------------------------------

@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the package's own files. The version number alone changes too rarely: a
    fix in segment.py must not be hidden behind outputs made by the code before it."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.iterdir()):
        if path.suffix in (".py", ".css"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reuse_key(pdf_sha256: str, options: Options) -> str:
    """What the outputs are a function of: the PDF's bytes (not its path), the code, the
    options that change what is published."""
    fields = {"pdf": pdf_sha256, "jatsflow": __version__, "code": code_fingerprint(),
              **options.key_fields()}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def reusable_report(folder: Path, key: str) -> dict[str, Any] | None:
    """The report of outputs already in `folder` for this key, if every output listed in it
    is still there unchanged; otherwise None and the document is published again.

    The cache lives beside the outputs rather than in Prefect's result storage: a cached
    result that points at files someone has since deleted or edited would be a lie, and the
    outputs are what the key stands for."""
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if report.get("reuse_key") != key or not report.get("outputs"):
        return None
    for name, digest in report["outputs"].items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != digest:
            return None
    return report


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
def segment_task(layout: Layout, source: SourceInfo) -> Document:
    return segment(layout, source)


@_stage("jats")
def jats_task(document: Document, pdf: Path, folder: Path, stem: str) -> Path:
    """The JATS, the figures' images beside it, and the layout sidecar."""
    figures = [f for f in iter_figures(document) if f.source_image]
    names = export_images(pdf, [f.source_image for f in figures], folder, stem)
    for figure in figures:
        figure.image = names.get(figure.source_image, "")
    path = folder / f"{stem}.xml"
    path.write_bytes(serialize(build_jats(document)))
    (folder / f"{stem}.layout.json").write_text(
        json.dumps(layout_sidecar(document), indent=1, ensure_ascii=False), encoding="utf-8")
    return path


@_stage("validate")
def validate_task(xml_path: Path) -> ValidationResult:
    return validate_jats(parse_xml(xml_path))


@_stage("render-html")
def render_html_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.html"
    path.write_text(render_html(parse_xml(xml_path)), encoding="utf-8")
    write_css(folder)
    return path


@_stage("render-pdf", retries=1)
def render_pdf_task(html_path: Path, folder: Path, stem: str, epoch: int) -> Path:
    path = folder / f"{stem}.pdf"
    render_pdf(html_path, path, source_date_epoch=epoch)
    return path


@_stage("render-text")
def render_text_task(xml_path: Path, folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.txt"
    path.write_text(render_text(parse_xml(xml_path)), encoding="utf-8")
    return path


@_stage("render-epub")
def render_epub_task(xml_path: Path, html_path: Path, folder: Path, stem: str, sha256: str,
                     epoch: int) -> Path:
    """EPUB 3 from the same XHTML; its page list points at the source PDF's pages."""
    path = folder / f"{stem}.epub"
    root = parse_xml(xml_path).getroot()
    sidecar = json.loads((folder / f"{stem}.layout.json").read_text(encoding="utf-8"))
    page_map = {key: str(entry["pages"][0]) for key, entry in sidecar["elements"].items()
                if entry["kind"] in ("heading", "paragraph")}
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    render_epub(html_path, path, title=document_title(root), language=jats_language(root),
                identifier=f"urn:sha256:{sha256}", modified=modified, page_map=page_map)
    return path


@_stage("check")
def check_task(folder: Path, stem: str) -> dict[str, Any]:
    """Accessibility checks of every output; writes accessibility.json and .html."""
    return check_outputs(folder, stem)


@_stage("archive")
def archive_task(published: Path, pdf: Path, archive_root: Path) -> Path:
    run = prefect.runtime.flow_run.id
    return build_bag(published, pdf, archive_root, flow_run_id=str(run) if run else None)


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
    clock = StageClock(pdf, options.stage_timeout)
    extracted = clock.run(extract_task, pdf, Limits(options.max_pages, options.max_bytes))
    layout = clock.run(layout_task, extracted)
    source = SourceInfo(pdf.name, extracted.sha256, extracted.page_count, extracted.created)
    document = clock.run(segment_task, layout, source)
    xml_path = clock.run(jats_task, document, pdf, folder, stem)
    validation = clock.run(validate_task, xml_path)
    report: dict[str, Any] = {
        "source": pdf.name,
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
    html_path = clock.run(render_html_task, xml_path, folder, stem)
    clock.run(render_pdf_task, html_path, folder, stem, epoch)
    clock.run(render_text_task, xml_path, folder, stem)
    clock.run(render_epub_task, xml_path, html_path, folder, stem, extracted.sha256, epoch)
    accessibility = clock.run(check_task, folder, stem)
    report["accessibility"] = {"summary": accessibility["summary"],
                               "report": "accessibility.html"}
    create_markdown_artifact(accessibility_markdown(accessibility),
                             key=_artifact_key(stem, "accessibility"),
                             description="Accessibility checks of every output")
    report["seconds"] = clock.seconds
    report["outputs"] = {path.name: file_sha256(path)
                         for path in sorted(folder.iterdir()) if path.is_file()}
    (folder / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False),
                                        encoding="utf-8")
    return report


def publish_document(pdf: Path, out: Path, options: Options) -> State:
    """Publish one PDF into out/<stem>/, or reuse what is there for the same bytes, code and
    options. Always returns a state: Completed (or Completed named Cached) with the report,
    or Failed with one line; a bug still raises, so Prefect records its traceback."""
    stem = pdf.stem
    destination = out / stem
    if options.reuse and pdf.is_file():
        report = reusable_report(destination, reuse_key(file_sha256(pdf), options))
        if report is not None:
            report.update(output=str(destination), reused=True)
            _artifacts(report)
            return Completed(data=report, name="Cached",
                             message=f"{pdf}: unchanged, outputs in {destination}/ reused")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{stem}.partial-", dir=out))
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
    replace_folder(work, destination)
    (out / f"{stem}.invalid.json").unlink(missing_ok=True)  # an earlier rejection, now fixed
    report.update(output=str(destination), reused=False)
    if options.archive:
        try:
            bag = archive_task.with_options(timeout_seconds=options.stage_timeout)(
                destination, pdf, out / "archive")
        except JatsflowError as exc:  # the outputs stand; the bag is what failed
            return Failed(message=f"{pdf}: published, but not archived: {exc}", name=REJECTED)
        if isinstance(bag, State):
            return Failed(message=f"{pdf}: published, but not archived: {bag.message}",
                          name=REJECTED)
        report["archive"] = str(bag)
    _artifacts(report)
    return Completed(data=report, message=f"{pdf}: published to {destination}/")


# --- artifacts: what a person sees in the Prefect UI -----------------------------------------

def _validation_artifact(stem: str, report: dict[str, Any]) -> None:
    """The reasons a document was not published, where staff look first."""
    validation = report["validation"]
    lines = [f"# {report['source']}: JATS not valid, nothing published", "",
             f"DTD `{validation['dtd']}`", ""]
    lines += [f"- line {e['line']}: {e['message']}" for e in validation["errors"][:50]]
    lines += [f"- line {f['line']}: [{f['rule']}] {f['message']}"
              for f in validation["rule_findings"] if f["severity"] == "error"][:50]
    create_markdown_artifact("\n".join(lines), key=_artifact_key(stem, "invalid"),
                             description="Validation errors")


def _artifact_key(stem: str, kind: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes; one key per document and kind
    gives every artifact a history across runs."""
    return re.sub(r"[^a-z0-9]+", "-", f"{stem}-{kind}".lower()).strip("-")


def summary_markdown(report: dict[str, Any]) -> str:
    """The run as a reviewer wants it first: valid or not, how much was found, what to check."""
    validation = report["validation"]
    made = "reused, the input is unchanged" if report["reused"] else "new"
    lines = [
        f"# {report['source']}",
        "",
        "| | |", "|---|---|",
        f"| JATS | {'valid' if validation['valid'] else 'NOT valid'} against {validation['dtd']} |",
        f"| pages | {report['pages']} |",
        f"| parts | {report['parts']} |",
        f"| notes | {report['notes']} |",
        f"| warnings | {len(report['warnings'])} |",
        f"| outputs | `{report['output']}/` ({made}) |",
    ]
    accessibility = report.get("accessibility")
    if accessibility:
        counts = ", ".join(f"{n} {status}" for status, n in accessibility["summary"].items())
        lines.append(f"| accessibility | {counts} |")
    if report["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in report["warnings"][:20]]
    return "\n".join(lines) + "\n"


def _artifacts(report: dict[str, Any]) -> None:
    stem = Path(report["output"]).name
    for name in [*report["outputs"], "report.json"]:  # report.json cannot list itself
        create_link_artifact(link=(Path(report["output"]) / name).resolve().as_uri(),
                             link_text=name, key=_artifact_key(stem, name.removeprefix(stem)),
                             description=f"{report['source']}: {name}")
    create_markdown_artifact(summary_markdown(report), key=_artifact_key(stem, "summary"),
                             description=f"{report['source']}: summary")
    create_table_artifact([{"stage": stage, "seconds": seconds}
                           for stage, seconds in report["seconds"].items()],
                          key=_artifact_key(stem, "timings"),
                          description=f"{report['source']}: wall time per stage")


# --- the flows ------------------------------------------------------------------------------

@flow(name="publish-report")
def publish_report(pdf: str, out_dir: str = "build", max_pages: int = DEFAULT_MAX_PAGES,
                   max_bytes: int = DEFAULT_MAX_BYTES,
                   stage_timeout: float = DEFAULT_STAGE_TIMEOUT, reuse: bool = True) -> State:
    """Publish one report PDF: JATS, HTML, PDF and text in out_dir/<stem>/."""
    return publish_document(Path(pdf), Path(out_dir),
                            Options(max_pages, max_bytes, stage_timeout, reuse))


@task(name="publish-document", cache_policy=NONE)
def document_task(pdf: str, out_dir: str, options: Options) -> State:
    return publish_document(Path(pdf), Path(out_dir), options)


def pdfs_in(sources: list[str]) -> list[Path]:
    """Files as given, folders as the PDFs directly inside them, in name order."""
    found: list[Path] = []
    for source in map(Path, sources):
        found += sorted(source.glob("*.pdf")) if source.is_dir() else [source]
    return found


@dataclass
class Outcome:
    """One row of the batch summary."""

    source: str
    status: str  # published, reused or failed
    pages: int | None = None
    notes: int | None = None
    seconds: float | None = None
    detail: str = ""  # the output folder, or why it failed

    @classmethod
    def of(cls, pdf: Path, state: State) -> Outcome:
        if not state.is_completed():
            expected = state.name == REJECTED
            return cls(str(pdf), "failed", detail=state.message if expected
                       else f"{pdf}: unexpected error, see the run in the Prefect UI "
                            f"({state.message})")
        report = state.result()
        return cls(str(pdf), "reused" if report["reused"] else "published", report["pages"],
                   report["notes"], round(sum(report["seconds"].values()), 1), report["output"])

    def line(self) -> str:
        if self.status == "failed":
            return self.detail
        done = "published to" if self.status == "published" else "unchanged, reused"
        return (f"{self.source}: {done} {self.detail}/ "
                f"({self.pages} pages, {self.notes} notes, JATS valid)")


def _announce(line: str) -> None:
    """Progress goes to the terminal that started the batch and to the run's log in the UI."""
    print(line, flush=True)
    get_run_logger().info(line)


@flow(name="publish-batch", task_runner=ThreadPoolTaskRunner(max_workers=DEFAULT_THREADS))
def publish_batch(sources: list[str], out_dir: str = "build",
                  max_pages: int = DEFAULT_MAX_PAGES, max_bytes: int = DEFAULT_MAX_BYTES,
                  stage_timeout: float = DEFAULT_STAGE_TIMEOUT,
                  reuse: bool = True) -> list[dict[str, Any]]:
    """Publish every PDF in `sources` (files or folders) concurrently. One bad PDF does not
    stop the others; the batch fails if any document failed, after all have finished."""
    options = Options(max_pages, max_bytes, stage_timeout, reuse)
    pdfs = pdfs_in(sources)
    if not pdfs:
        return Failed(message=f"no PDF in {', '.join(sources)}", name=REJECTED)
    outcomes: dict[Path, Outcome] = {}
    futures = {}
    for pdf in pdfs:
        if pdf.stem in {p.stem for p in futures.values()}:
            outcomes[pdf] = Outcome(str(pdf), "failed", detail=(
                f"{pdf}: another PDF in this batch is also named {pdf.stem}; "
                f"both would publish to {out_dir}/{pdf.stem}/"))
            _announce(f"[{len(outcomes)}/{len(pdfs)}] {outcomes[pdf].line()}")
            continue
        futures[document_task.submit(str(pdf), out_dir, options)] = pdf
    for future in as_completed(list(futures)):
        pdf = futures[future]
        future.wait()  # keeps the state as the task returned it, message and report included
        outcomes[pdf] = Outcome.of(pdf, future.state)
        _announce(f"[{len(outcomes)}/{len(pdfs)}] {outcomes[pdf].line()}")
    rows = [asdict(outcomes[pdf]) for pdf in pdfs]
    create_table_artifact(rows, key="publish-batch-summary",
                          description="One row per document: status, size, time, output")
    failed = sum(1 for row in rows if row["status"] == "failed")
    if failed:
        return Failed(message=f"{failed} of {len(rows)} documents failed", data=rows)
    return rows


def batch_flow(workers: int | None) -> Any:
    """The batch flow on threads (the default: no extra processes to start), or on `workers`
    Dask worker processes, which use both cores for the CPU-bound stages."""
    if not workers:
        return publish_batch
    from prefect_dask import DaskTaskRunner

    return publish_batch.with_options(task_runner=DaskTaskRunner(cluster_kwargs={
        "n_workers": workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": None}))


# --- the embedded server, serving and deploying -----------------------------------------------

def ensure_embedded_database() -> None:
    """Start the embedded Prefect server once for a new PREFECT_HOME, under a file lock.

    The embedded server migrates its SQLite database when it starts, without a lock of its
    own: four `jatsflow publish` started at once on a new .prefect/ race on the same ALTER
    TABLE and some fail. The first process to take the lock creates the database; the others
    wait, then find it current and start their own servers in parallel as usual."""
    if prefect.settings.PREFECT_API_URL.value():
        return
    home = Path(prefect.settings.PREFECT_HOME.value())
    home.mkdir(parents=True, exist_ok=True)
    ready = home / f".jatsflow-database-ready-{prefect.__version__}"
    if ready.exists():
        return
    from prefect.server.api.server import SubprocessASGIServer

    with (home / ".jatsflow-database.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            SubprocessASGIServer().start()  # the same server this process's flows then use
            ready.touch()


@contextlib.contextmanager
def local_server(port: int) -> Iterator[str]:
    """A Prefect server with its UI on 127.0.0.1:`port` while the block runs, on the same
    database as `jatsflow publish` (PREFECT_HOME): one command for staff who want the UI."""
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start",
                                "--host", "127.0.0.1", "--port", str(port)])
    try:
        deadline = time.monotonic() + float(
            prefect.settings.PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        while not _healthy(f"{url}/api/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise JatsflowError(f"the Prefect server did not start on {url} "
                                    "(is the port in use? try --port)")
            time.sleep(0.5)
        print(f"Prefect UI: {url}", flush=True)
        with prefect.settings.temporary_settings({prefect.settings.PREFECT_API_URL: f"{url}/api"}):
            yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


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
