"""The Prefect flows on real Prefect: reuse, artifacts, time limits, batches, parallel CLIs.

In-process tests run against Prefect's test harness (a real server on a temporary database);
the command-line tests start `jatsflow` as staff do. The one-article PDF (conftest.article,
built once per session) validates, so a run goes through every stage in a second or two.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPORT_PDF, ROOT, article_html, build_pdf

from flows.processes import descendants

# The harness's server migrates a new database as it starts: at load 50 on two cores 180 s was
# not enough (the four reuse tests errored before they ran).
HARNESS_STARTUP_S = 600


@pytest.fixture(scope="module")
def harness():
    """Prefect's own test harness: a real server subprocess on a throw-away database."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=HARNESS_STARTUP_S):
        yield


def _publish(pdf: Path, out: Path, **options):
    from flows.publish import publish_report

    return publish_report(str(pdf), str(out), **options, return_state=True)


def test_unchanged_pdf_reused_changed_pdf_republished(harness, article: Path,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _publish(article, out)
    assert first.is_completed() and first.name == "Completed", first.message
    assert not first.result()["reused"]
    assert {"article.xml", "article.pdf", "article.txt", "report.json"} <= {
        p.name for p in (out / "article").iterdir()}

    # the same bytes under another path: the key is the content, not the path
    elsewhere = tmp_path / "copy" / "article.pdf"
    elsewhere.parent.mkdir()
    shutil.copy(article, elsewhere)
    again = _publish(elsewhere, out)
    assert again.name == "Cached" and again.result()["reused"], again.message

    # an output edited by hand is not vouched for: publish again
    (out / "article" / "article.txt").write_text("edited")
    assert _publish(article, out).name == "Completed"

    # new bytes under the old name: publish again
    build_pdf(article_html("Water Policy in Four Cities"), elsewhere)
    changed = _publish(elsewhere, out)
    assert changed.name == "Completed"
    assert changed.result()["sha256"] != first.result()["sha256"]

    # the options that decide acceptance are part of the key, the switch can force a run
    assert _publish(elsewhere, out, max_pages=50).name == "Completed"
    assert _publish(elsewhere, out, max_pages=50, reuse=False).name == "Completed"


def test_a_missing_or_broken_bag_is_made_again_not_reused(harness, article: Path,
                                                          tmp_path: Path) -> None:
    from flows.archive import verify_bag

    out = tmp_path / "out"
    assert _publish(article, out).name == "Completed"
    bag = out / "archive" / "article"
    report_before = (out / "article" / "report.json").read_bytes()

    shutil.rmtree(bag)  # deleted by hand
    again = _publish(article, out)
    assert again.name == "Cached" and "archive bag made again" in again.message, again.message
    assert verify_bag(bag) == []
    assert (out / "article" / "report.json").read_bytes() == report_before  # outputs kept

    (bag / "data" / "published" / "article.txt").write_text("tampered")
    assert _publish(article, out).name == "Cached"
    assert verify_bag(bag) == []

    assert _publish(article, out).message.endswith("reused")  # all of it stands now


def test_a_bag_that_failed_once_is_made_on_the_next_run(harness, article: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "archive").write_text("not a folder")  # the bag cannot be written (as a full disk)
    failed = _publish(article, out)
    assert failed.is_failed() and "published, but not archived" in failed.message
    assert (out / "article" / "article.xml").is_file()
    (out / "archive").unlink()
    made = _publish(article, out)
    assert made.is_completed() and "archive bag made again" in made.message, made.message
    assert (out / "archive" / "article" / "bagit.txt").is_file()


def test_an_edited_report_json_is_noticed(harness, article: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _publish(article, out).name == "Completed"
    path = out / "article" / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    report["pages"] = 999
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    again = _publish(article, out)
    assert again.name == "Completed" and again.result()["pages"] == 2
    assert json.loads(path.read_text(encoding="utf-8"))["pages"] == 2


def test_no_reuse_sweeps_what_killed_runs_left(harness, article: Path, tmp_path: Path) -> None:
    from flows.files import partial_prefix

    out = tmp_path / "out"
    left = [out / f"{partial_prefix('article')}killed", out / "archive" /
            f"{partial_prefix('article')}killed"]
    for folder in left:
        folder.mkdir(parents=True)
        os.utime(folder, (0, 0))
    assert _publish(article, out, reuse=False).name == "Completed"
    assert not any(folder.exists() for folder in left)


def test_options_from_the_ui_are_refused_in_one_line(harness, article: Path,
                                                     tmp_path: Path) -> None:
    state = _publish(article, tmp_path / "out", stage_timeout=0)
    assert state.is_failed() and state.message.startswith("--stage-timeout must be"), \
        state.message
    assert not (tmp_path / "out").exists()


def test_artifacts_link_summary_timings(harness, article: Path, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    state = _publish(article, tmp_path / "out", reuse=False)
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    by_key = {a.key: a for a in artifacts}
    assert by_key["article-summary"].type == "markdown"
    assert "| pages | 2 |" in by_key["article-summary"].data
    assert by_key["article-timings"].type == "table"
    assert "render_pdf" in str(by_key["article-timings"].data)
    folder = tmp_path / "out" / "article"
    assert folder.joinpath("article.pdf").as_uri() in by_key["article-pdf"].data
    assert folder.joinpath("report.json").as_uri() in by_key["article-report-json"].data


def test_stage_past_its_time_limit_fails_in_one_line(harness, tmp_path: Path) -> None:
    out = tmp_path / "out"
    state = _publish(REPORT_PDF, out, stage_timeout=0.2)
    assert state.is_failed()
    # Which stage trips first depends on where Prefect can interrupt; each one must say so.
    assert re.fullmatch(rf"{re.escape(str(REPORT_PDF))}: stage [a-z-]+ ran past its 0\.2 s limit",
                        state.message), state.message
    # no partial folder left behind, only the (hidden) lock of the output folder
    assert not out.exists() or [p.name for p in out.iterdir()] == [".nbr79.lock"]


def test_retries_only_what_a_retry_can_help() -> None:
    from prefect.states import Failed

    from flows.publish import REJECTED, _retry_unexpected

    assert not _retry_unexpected(None, None, Failed(message="not a PDF", name=REJECTED))
    assert not _retry_unexpected(None, None, Failed(message="too slow", name="TimedOut"))
    assert _retry_unexpected(None, None, Failed(data=OSError("disk hiccup")))


def test_batch_goes_on_past_a_bad_pdf(harness, article: Path, tmp_path: Path,
                                      capsys) -> None:
    from flows.publish import publish_batch

    source = tmp_path / "source"
    source.mkdir()
    for name in ("a", "b"):
        shutil.copy(article, source / f"{name}.pdf")
    (source / "broken.pdf").write_bytes(b"%PDF-1.7\n not really")
    state = publish_batch([str(source)], str(tmp_path / "out"), return_state=True)
    assert state.is_failed() and state.message == "1 of 3 documents failed"
    rows = {Path(r["source"]).name: r for r in state.result(raise_on_failure=False)}
    assert rows["a.pdf"]["status"] == rows["b.pdf"]["status"] == "published"
    assert rows["broken.pdf"]["status"] == "failed"
    assert "broken.pdf" in rows["broken.pdf"]["detail"]
    progress = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in progress] == ["[1/3", "[2/3", "[3/3"]
    assert (tmp_path / "out" / "a" / "a.xml").exists()
    assert not (tmp_path / "out" / "broken").exists()


def test_undated_report_is_published_with_the_gap_named(harness, tmp_path: Path) -> None:
    """No date anywhere (nor in the PDF's info): the JATS is still published, and report.json
    names the missing date; an error report left by an earlier rejection is cleared."""
    out, pdf = tmp_path / "out", tmp_path / "memo.pdf"
    undated = article_html("Water Policy").replace("Test Series No. 3, March 2024", "Memo")
    build_pdf(undated.replace("© 2024 The Test Institute", "The Test Institute"), pdf)
    out.mkdir()
    (out / "memo.invalid.json").write_text("{}", encoding="utf-8")  # from an earlier run
    assert _publish(pdf, out).is_completed()
    report = json.loads((out / "memo" / "report.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in report["validation"]["rule_findings"]}
    assert "pub-date" in rules
    assert (out / "memo" / "memo.xml").exists() and not (out / "memo.invalid.json").exists()


def test_cli_batch_on_worker_processes(article: Path, tmp_path: Path) -> None:
    """A folder on two Dask worker processes: a table at the end, exit 1 for the bad PDF."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("one", "two", "three"):
        shutil.copy(article, source / f"{name}.pdf")
    (source / "empty.pdf").write_bytes(b"")
    # The flake this test once showed (a client traceback from set_flow_run_state) came from
    # each Dask worker starting an embedded server of its own on the same SQLite database;
    # the run's one server is watched for while it runs.
    env = {**os.environ, "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(ROOT / ".prefect"))}
    run = subprocess.Popen([sys.executable, "-m", "flows", "publish", str(source), "--out",
                            str(tmp_path / "out"), "--workers", "2"], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    servers: dict[int, tuple[int, str]] = {}
    while run.poll() is None:
        for pid in descendants(run.pid):
            found = _server(pid)
            if found:
                servers[pid] = found
        time.sleep(0.2)
    stdout, stderr = run.communicate()
    result = subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)
    # a server's own short-lived child (forked to run a command) carries its command line
    # until it execs: it is not a second server
    assert len([pid for pid, (parent, _) in servers.items() if parent not in servers]) == 1, \
        servers
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("jatsflow:")] == [
        ln for ln in result.stderr.splitlines() if ln.strip()]
    assert "empty.pdf" in result.stderr and "one.pdf" not in result.stderr
    table = result.stdout[result.stdout.index("document"):].splitlines()
    assert len(table) == 5 and sum("published" in row for row in table) == 3
    assert "[4/4]" in result.stdout


def test_dask_workers_keep_missed_heartbeats_off_stderr(monkeypatch) -> None:
    """The batch test's second flake (load 56): a worker that missed a heartbeat printed
    Dask's traceback on the run's stderr. The batch's workers are started with Dask's log
    off the terminal and connection limits that a busy machine does not reach."""
    import logging

    from flows import publish

    for name in [*publish.DASK_SETTINGS, "PREFECT_API_URL"]:
        monkeypatch.setenv(name, "")  # so that teardown restores the environment as it was
        monkeypatch.delenv(name)
    level = logging.getLogger("distributed").level
    try:
        publish.batch_flow(2)
    finally:
        logging.getLogger("distributed").setLevel(level)
    probe = subprocess.run(  # as a worker process starts: a child with the run's environment
        [sys.executable, "-c", "import logging, dask, distributed\n"
         "print(logging.getLogger('distributed.worker').getEffectiveLevel(),\n"
         "      dask.config.get('distributed.comm.timeouts.tcp'),\n"
         "      dask.config.get('distributed.comm.timeouts.connect'))"],
        env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert probe.returncode == 0, probe.stderr[-2000:]
    level, tcp, connect = probe.stdout.split()
    assert int(level) > logging.ERROR  # logger.exception is ERROR: it must not pass
    assert [tcp, connect] == ["300s", "300s"]


def _server(pid: int) -> tuple[int, str] | None:
    """The parent and command line of a Prefect API server process; None if `pid` is not one."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    if b"create_app" not in command:
        return None
    parent = int(stat[stat.rindex(")") + 2:].split()[1])
    return parent, command.replace(b"\0", b" ")[:120].decode(errors="replace")


def test_four_publish_processes_at_once_share_one_new_prefect_home(article: Path,
                                                                   tmp_path: Path) -> None:
    """Four `jatsflow publish` started together on a fresh PREFECT_HOME all finish: the first
    creates the database while the others wait, then all run side by side on SQLite."""
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    runs = []
    for n in range(4):
        pdf = shutil.copy(article, tmp_path / f"doc{n}.pdf")
        runs.append(subprocess.Popen(
            [sys.executable, "-m", "flows", "publish", str(pdf), "--out", str(tmp_path / "out")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr[-2000:]
        assert "locked" not in stderr
    published = sorted(p.name for p in (tmp_path / "out").iterdir()
                       if p.name != "archive" and not p.name.endswith(".lock"))
    assert published == [f"doc{n}" for n in range(4)]
    assert sorted(p.name for p in (tmp_path / "out" / "archive").iterdir()
                  if not p.name.endswith(".lock")) == published
