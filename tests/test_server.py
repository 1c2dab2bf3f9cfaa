"""The deployments on a Prefect server backed by PostgreSQL, run by a process worker.

The services come from tests/server/run.sh (`make test-server`), which starts them, runs
this module and tears them down; under plain `make test` these tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import article_html, build_pdf

pytestmark = pytest.mark.skipif(
    not os.environ.get("JATSFLOW_SERVER_TEST"),
    reason="needs the server, database and worker that tests/server/run.sh starts")


def _run(name: str, parameters: dict):
    from prefect.deployments import run_deployment

    run = run_deployment(name, parameters=parameters, timeout=600)
    assert run.state.is_completed(), f"{name}: {run.state.name} {run.state.message}"
    return run


def test_report_deployment_runs_on_the_worker(tmp_path: Path) -> None:
    pdf = build_pdf(article_html("Water Policy in Three Cities"), tmp_path / "article.pdf")
    out = tmp_path / "out"
    _run("publish-report/jatsflow", {"pdf": str(pdf), "out_dir": str(out)})
    for name in ("article.xml", "article.html", "article.pdf", "article.txt", "report.json"):
        assert (out / "article" / name).stat().st_size > 0, name


def test_batch_deployment_runs_on_the_worker(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    build_pdf(article_html("Water Policy in Three Cities"), source / "one.pdf")
    shutil.copy(source / "one.pdf", source / "two.pdf")
    out = tmp_path / "out"
    _run("publish-batch/jatsflow", {"sources": [str(source)], "out_dir": str(out)})
    # (each folder's hidden lock file aside)
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".lock") == [
        "archive", "one", "two"]
    assert sorted(p.name for p in (out / "archive").iterdir() if p.suffix != ".lock") == [
        "one", "two"]


def test_runs_are_recorded_in_postgresql() -> None:
    count = subprocess.run(
        ["psql", os.environ["JATSFLOW_TEST_PG"], "-tAc",
         "select count(*) from flow_run where state_type = 'COMPLETED'"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert int(count) >= 2
