"""Faults an operator meets: bad options, odd file names, runs racing into one folder, runs
killed or interrupted. Each test reproduces one case as it was found and checks how it ends.

The reuse cases (a missing or broken bag, an edited report.json) run on Prefect's test
harness in test_flow.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPORT_PDF, ROOT, run_cli

from flows import checkers
from flows.files import (
    folder_lock,
    partial_prefix,
    pdfs_in,
    replace_folder,
    safe_stem,
    sweep_partials,
)
from flows.processes import ServerRegistry, descendants

INTERRUPT_BUDGET_SECONDS = 5.0  # Ctrl-C must end a run within this


# --- options --------------------------------------------------------------------------------

@pytest.mark.parametrize("option", [
    ["--workers", "-1"], ["--workers", "1000"], ["--stage-timeout", "-5"],
    ["--stage-timeout", "0"], ["--stage-timeout", "nan"], ["--max-pages", "-1"],
    ["--max-pages", "0"], ["--max-mb", "-2"], ["--max-mb", "many"]])
def test_bad_option_exits_2_in_one_line_before_anything_starts(option, article: Path,
                                                               tmp_path: Path) -> None:
    start = time.monotonic()
    result = run_cli("publish", str(article), "--out", str(tmp_path / "out"), *option,
                     timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"jatsflow: argument {option[0]}:"), lines
    assert not (tmp_path / "out").exists()
    assert time.monotonic() - start < 30  # refused before Prefect starts, not after


def test_options_typed_into_the_ui_are_checked_too() -> None:
    from flows.errors import UsageError
    from flows.reuse import Options

    for fields in ({"stage_timeout": 0}, {"stage_timeout": -5}, {"max_pages": -1},
                   {"max_bytes": 0}, {"max_pages": True}, {"page_size": "huge"},
                   {"page_size": 5}, {"page_size": "A4; margin: 0"}):
        with pytest.raises(UsageError):
            Options(**fields)
    assert Options(stage_timeout=2).stage_timeout == 2.0
    assert Options(page_size=" 210mm   297mm ").page_size == "210mm 297mm"


def test_defaults_are_written_once() -> None:
    """The CLI's defaults are the flow's defaults (issue 12: one place for each)."""
    from flows.cli import _parser
    from flows.reuse import MB, Options

    args = _parser().parse_args(["publish", "x.pdf"])
    options = Options()
    assert (args.max_pages, args.max_mb * MB, args.stage_timeout, args.page_size) == (
        options.max_pages, options.max_bytes, options.stage_timeout, options.page_size)


def test_folder_finds_pdf_in_any_case(tmp_path: Path) -> None:
    for name in ("b.pdf", "REPORT.PDF", "c.Pdf", "notes.txt", "pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.7")
    (tmp_path / "folder.pdf").mkdir()
    assert [p.name for p in pdfs_in([str(tmp_path)])] == ["REPORT.PDF", "b.pdf", "c.Pdf"]


def watched_cli(*args: str) -> tuple[subprocess.CompletedProcess, set[int]]:
    """`jatsflow ARGS` to its end, with every process it started on the way (polled)."""
    run = subprocess.Popen([sys.executable, "-m", "flows", *args], cwd=ROOT, env=_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    while run.poll() is None:
        seen.update(descendants(run.pid))
        time.sleep(0.2)
    stdout, stderr = run.communicate()
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr), seen


@pytest.fixture(scope="module")
def page_size_runs(article: Path, tmp_path_factory) -> dict:
    """The article published with `--page-size letter`, then again into the same folder with
    the default size, that second run watched for the processes it starts. Shared by the
    page-size test and the nothing-left-running test: each CLI publish starts a server and
    the checkers, the suite's costliest step, and the second run is an ordinary one."""
    import pikepdf

    out = tmp_path_factory.mktemp("page-size") / "out"
    pdf = out / "article" / "article.pdf"

    def size() -> list[int]:
        with pikepdf.open(pdf) as opened:
            return [round(float(v)) for v in opened.pages[0].MediaBox]

    letter = run_cli("publish", str(article), "--out", str(out), "--page-size", "letter")
    runs = {"letter": letter}
    if letter.returncode == 0:
        runs["letter_size"] = size()
        runs["letter_report"] = json.loads(
            (out / "article" / "report.json").read_text(encoding="utf-8"))
    runs["default"], runs["default_processes"] = watched_cli("publish", str(article), "--out",
                                                             str(out))
    # judged at once, as a person would see it after the prompt returns
    runs["left_running"] = _gone(sorted(runs["default_processes"]), within=2)
    if runs["default"].returncode == 0:
        runs["default_size"] = size()
    return runs


@pytest.mark.slow
def test_page_size_option_and_the_source_size_by_default(article: Path, page_size_runs) -> None:
    """`publish --page-size` sets the PDF's pages; without it the source's size (A5 here)
    stands, and the size is part of the reuse key: changing it publishes again."""
    import pikepdf

    result = page_size_runs["letter"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert page_size_runs["letter_size"] == [0, 0, 612, 792]
    assert page_size_runs["letter_report"]["options"]["page_size"] == "letter"
    result = page_size_runs["default"]
    assert result.returncode == 0 and "reused" not in result.stdout, result.stdout
    with pikepdf.open(article) as source:
        assert page_size_runs["default_size"] == [
            round(float(v)) for v in source.pages[0].MediaBox]  # A5


def test_walking_processes_that_end_meanwhile_does_not_fail(monkeypatch) -> None:
    """A process that ends while its /proc folder is read has no children, rather than an
    error: the batch test's watcher and a run's cleanup walk processes that come and go (the
    batch test failed once with FileNotFoundError on /proc/<pid>/task under load)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert descendants(child.pid) == []  # ended and gone
    real_scandir, real_listdir = os.scandir, os.listdir

    def ended(real):
        def read(path="."):
            if str(path).endswith("/task"):  # it ended between finding and reading it
                raise FileNotFoundError(2, "No such file or directory", str(path))
            return real(path)
        return read

    monkeypatch.setattr(os, "scandir", ended(real_scandir))
    monkeypatch.setattr(os, "listdir", ended(real_listdir))
    assert descendants(os.getpid()) == []


# --- checkers: stuck, not slow -------------------------------------------------------------

class _ScriptChecker(checkers._LineWorker):
    """A line worker running a small Python script in place of EPUBCheck's JVM."""

    reply = "DONE "

    def __init__(self, script: str) -> None:
        super().__init__()
        self.script = script

    def _command(self) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, "-c", "import sys, time\nsys.stdin.readline()\n" + self.script], {}


@pytest.fixture
def quick_watch(monkeypatch):
    monkeypatch.setattr(checkers, "CHECKER_POLL_S", 0.2)
    monkeypatch.setattr(checkers, "CHECKER_STALL_S", 3.0)
    monkeypatch.setattr(checkers, "CHECKER_CPU_LIMIT_S", 300.0)


@pytest.mark.parametrize(("script", "limit", "reason"), [
    ("time.sleep(600)", {}, "no CPU used in 3 s"),
    ("while True: pass", {"CHECKER_CPU_LIMIT_S": 0.5}, "over 0.5 CPU seconds"),
], ids=["hang", "runaway"])
def test_a_stuck_checker_is_given_up_with_the_reason(script, limit, reason, quick_watch,
                                                     monkeypatch) -> None:
    for name, value in limit.items():
        monkeypatch.setattr(checkers, name, value)
    worker = _ScriptChecker(script)
    try:
        with pytest.raises(RuntimeError, match=reason):
            worker._ask("job")
    finally:
        worker.close()


def test_a_slow_checker_that_works_is_not_given_up(quick_watch) -> None:
    """Busy for twice the stall window, then it answers: a wall-clock limit killed such a
    checker on a loaded machine (EPUBCheck's JVM compiling its schemas)."""
    worker = _ScriptChecker("end = time.monotonic() + 6\n"
                            "while time.monotonic() < end: pass\n"
                            "print('DONE ok', flush=True)\nsys.stdin.readline()")
    try:
        assert worker._ask("job") == "ok"
    finally:
        worker.close()


# --- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a b.pdf", "x<y>&z.pdf", "Über uns.pdf", "報告.pdf",
                                  "-rf.pdf", ".hidden.pdf", "a" * 300 + ".pdf"])
def test_safe_stem_is_a_plain_file_name(name: str) -> None:
    stem = safe_stem(name)
    assert stem and len(stem) <= 100
    assert all(c.isascii() and (c.isalnum() or c in "_.-") for c in stem), stem
    assert stem[0] not in ".-"


def test_safe_stem_keeps_plain_names_and_apart_different_ones() -> None:
    assert safe_stem("nbr79.pdf") == "nbr79" and safe_stem("Report_2.v1.PDF") == "Report_2.v1"
    assert len({safe_stem(n) for n in ("a b.pdf", "a&b.pdf", "a-b.pdf", "a  b.pdf")}) == 4


@pytest.mark.slow
def test_odd_source_name_publishes_safe_files_and_no_machine_path(article: Path,
                                                                 tmp_path: Path) -> None:
    name = "Water & <Policy> é.pdf"
    source = tmp_path / "in" / name
    source.parent.mkdir()
    shutil.copy(article, source)
    out = tmp_path / "out"
    result = run_cli("publish", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    stem = safe_stem(name)
    folder = out / stem
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert report["source"] == name and report["stem"] == stem
    assert {f"{stem}.xml", f"{stem}.epub", f"{stem}.html", f"{stem}.pdf"} <= set(
        report["outputs"])
    accessibility = json.loads((folder / "accessibility.json").read_text(encoding="utf-8"))
    assert accessibility["outputs"]["epub"]["status"] == "pass", accessibility["outputs"]["epub"]
    bag = out / "archive" / stem
    assert (bag / "data" / "source" / f"{stem}.pdf").read_bytes() == article.read_bytes()
    assert f"Source-File: {name}" in (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert run_cli("verify", str(bag)).returncode == 0
    # no output names the machine's folders (the work folder was random: reruns differed)
    for path in [*folder.iterdir(), *bag.rglob("*")]:
        if path.is_file() and path.suffix not in (".pdf", ".epub", ".png"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert str(tmp_path) not in text and partial_prefix(stem) not in text, path


# --- folders: the swap, the lock, what killed runs leave ------------------------------------

def test_swap_never_leaves_the_destination_missing(tmp_path: Path) -> None:
    destination = tmp_path / "doc"
    destination.mkdir()
    (destination / "n").write_text("0")
    missing = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not (destination / "n").exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(1, 200):
            work = tmp_path / f".doc.partial-{n}"
            work.mkdir()
            (work / "n").write_text(str(n))
            replace_folder(work, destination)
    finally:
        done.set()
        watcher.join()
    assert missing == []
    assert (destination / "n").read_text() == "199"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc"]


def test_swap_after_a_crash_between_two_renames_restores_the_old_folder(tmp_path: Path,
                                                                        monkeypatch) -> None:
    """Where the file system cannot exchange two folders, the fallback's crash window is
    repaired by the next swap: the old folder set aside is put back first."""
    import flows.files

    old = tmp_path / ".doc.old"
    old.mkdir()
    (old / "n").write_text("old")
    work = tmp_path / ".doc.partial-1"
    work.mkdir()
    (work / "n").write_text("new")
    monkeypatch.setattr(flows.files, "_exchange",
                        lambda a, b: (_ for _ in ()).throw(OSError(38, "no renameat2")))
    replace_folder(work, tmp_path / "doc")
    assert (tmp_path / "doc" / "n").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc"]


def test_folder_lock_makes_a_second_run_wait(tmp_path: Path) -> None:
    order = []
    held = threading.Event()

    def second() -> None:
        held.wait()
        with folder_lock(tmp_path, "doc"):
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with folder_lock(tmp_path, "doc"):
        held.set()
        time.sleep(0.5)
        order.append("first")
    thread.join()
    assert order == ["first", "second"]


def test_partials_of_killed_runs_are_swept_not_those_of_others(tmp_path: Path) -> None:
    stale = tmp_path / f"{partial_prefix('doc')}abc123"
    other = tmp_path / f"{partial_prefix('doc2')}abc123"
    for folder in (stale, other):
        folder.mkdir()
        os.utime(folder, (time.time() - 60, time.time() - 60))
    fresh = tmp_path / f"{partial_prefix('doc')}new456"
    fresh.mkdir()
    removed = sweep_partials(tmp_path, "doc", before=time.time() - 10)
    assert removed == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, fresh.name])


@pytest.mark.slow
def test_two_runs_into_one_folder_both_succeed_one_after_the_other(article: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / f"{partial_prefix('article')}killed"
    stale.mkdir(parents=True)
    os.utime(stale, (time.time() - 600, time.time() - 600))
    runs = [subprocess.Popen([sys.executable, "-m", "flows", "publish", str(article), "--out",
                              str(out), "--no-reuse"], cwd=ROOT, env=_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr[-2000:]
    assert sorted(p.name for p in out.iterdir()) == [".article.lock", "archive", "article"]
    report = json.loads((out / "article" / "report.json").read_text(encoding="utf-8"))
    for name in report["outputs"]:
        assert (out / "article" / name).is_file(), name
    assert run_cli("verify", str(out / "archive" / "article")).returncode == 0


# --- processes: nothing left running ---------------------------------------------------------

def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    return env


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _start_report_run(out: Path, source: Path = REPORT_PDF) -> tuple[subprocess.Popen,
                                                                     list[int]]:
    """`jatsflow publish` of the 53-page report (or a folder holding it: a batch), in a
    session of its own like a terminal's foreground job; returns once its stages are running,
    with the processes it started."""
    run = subprocess.Popen([sys.executable, "-m", "flows", "publish", str(source), "--out",
                            str(out), "--no-reuse"], cwd=ROOT, env=_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    deadline = time.monotonic() + 300
    while not list(out.glob(f"{partial_prefix('nbr79')}*")):
        assert run.poll() is None, run.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the run never started its stages"
        time.sleep(0.2)
    time.sleep(1.0)
    helpers = descendants(run.pid)
    assert helpers, "the run has no embedded server"
    return run, helpers


def _gone(pids: list[int], within: float) -> list[int]:
    deadline = time.monotonic() + within
    while any(map(_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


@pytest.mark.slow
@pytest.mark.parametrize("batch", [False, True], ids=["one", "batch"])
@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                   (signal.SIGTERM, 143, "terminated")])
def test_interrupted_run_ends_at_once_in_one_line_and_takes_its_helpers(sig, code, word, batch,
                                                                        tmp_path: Path) -> None:
    source = REPORT_PDF
    if batch:  # the batch flow on threads, which Prefect's own SIGTERM handler held up
        source = tmp_path / "in"
        source.mkdir()
        shutil.copy(REPORT_PDF, source)
    run, helpers = _start_report_run(tmp_path / "out", source)
    start = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(run.pid, sig)  # Ctrl-C: the terminal signals its whole foreground group
    else:
        run.send_signal(sig)  # kill PID: the run alone
    _, stderr = run.communicate(timeout=60)
    took = time.monotonic() - start
    assert run.returncode == code, stderr[-2000:]
    assert took < INTERRUPT_BUDGET_SECONDS, took
    assert stderr.strip().splitlines() == [f"jatsflow: {word}, stopping"], stderr[-2000:]
    assert _gone(helpers, within=2) == []
    assert not (tmp_path / "out" / "nbr79").exists()


@pytest.mark.slow
def test_killed_run_leaves_no_server_and_the_next_run_sweeps_its_partials(article: Path,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "out"
    run, helpers = _start_report_run(out)
    registry = ServerRegistry(Path(_env()["PREFECT_HOME"]))
    pid_files = [registry.folder / f"{pid}.json" for pid in helpers
                 if (registry.folder / f"{pid}.json").exists()]
    run.kill()
    run.communicate(timeout=60)
    # the server asked the kernel for SIGTERM when its parent dies
    assert _gone(helpers, within=10) == []
    partials = list(out.glob(f"{partial_prefix('nbr79')}*"))
    assert partials
    for partial in partials:  # as they would be a while later
        os.utime(partial, (time.time() - 60, time.time() - 60))
    # The next run of that document: a short one under the same name does what the 53 pages
    # would (partials are found by name and age), in seconds instead of a minute.
    again = shutil.copy(article, tmp_path / "nbr79.pdf")
    result = run_cli("publish", str(again), "--out", str(out), "--no-reuse")
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "nbr79" / "nbr79.xml").is_file()
    assert not list(out.glob(f"{partial_prefix('nbr79')}*"))
    assert not list((out / "archive").glob(f"{partial_prefix('nbr79')}*"))
    # the killed run's pid file, left behind, was read and removed by the next run
    assert pid_files and not any(path.exists() for path in pid_files)


def test_next_run_stops_the_server_of_a_run_killed_before(tmp_path: Path) -> None:
    """A server whose run is gone (its pid file names a dead owner) is stopped; one whose run
    is alive is left alone."""
    registry = ServerRegistry(tmp_path)
    dead_owner = subprocess.Popen(["true"])
    dead_owner.wait()
    orphan = subprocess.Popen(["sleep", "300"])
    kept = subprocess.Popen(["sleep", "300"])
    try:
        registry.register(orphan.pid, "http://127.0.0.1:1/api")
        record_path = registry.folder / f"{orphan.pid}.json"
        record = json.loads(record_path.read_text())
        record["owner"] = dead_owner.pid
        record_path.write_text(json.dumps(record))
        registry.register(kept.pid, "http://127.0.0.1:2/api")  # owned by this live process
        assert registry.stop_orphans() == [orphan.pid]
        assert orphan.wait(timeout=10) is not None
        assert kept.poll() is None
        assert sorted(p.name for p in registry.folder.iterdir()) == [f"{kept.pid}.json"]
    finally:
        for process in (orphan, kept):
            process.kill()
            process.wait()


@pytest.mark.slow
def test_successful_run_leaves_nothing_running(page_size_runs) -> None:
    result = page_size_runs["default"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert page_size_runs["default_processes"] and page_size_runs["left_running"] == []


# --- the UI on another port ------------------------------------------------------------------

@pytest.mark.slow
def test_serve_on_another_port_gives_a_ui_that_calls_that_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    serve = subprocess.Popen([sys.executable, "-m", "flows", "serve", "--port", str(port)],
                             cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        settings = None
        while settings is None:
            assert serve.poll() is None, serve.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "the UI never answered"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings",
                                            timeout=5) as response:
                    settings = json.loads(response.read())
            except OSError:
                time.sleep(1)
        assert settings["api_url"] == f"http://127.0.0.1:{port}/api"
        with urllib.request.urlopen(f"{settings['api_url']}/health", timeout=5) as response:
            assert response.status == 200
        # the page itself, and the call its run list makes, on that same port
        assert settings["available_uis"], settings
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200 and b"<html" in response.read().lower()
        runs = urllib.request.Request(f"{settings['api_url']}/flow_runs/filter", data=b"{}",
                                      headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(runs, timeout=30) as response:
            assert isinstance(json.loads(response.read()), list)
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
