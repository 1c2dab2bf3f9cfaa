"""What Prefect costs and what concurrency buys, as `jatsflow publish` is run by staff.

    .venv/bin/python tests/bench_prefect.py [PDF] [--copies 8]     (or: make bench-prefect)

Prints two tables:
- overhead: wall time of one `jatsflow publish` minus the time its stages took, on the
  embedded server (started by each process) and on a running `prefect server start`;
- throughput: a folder of copies of one PDF, on threads and on 1 and 2 Dask worker processes.
Each figure is one run on a quiet machine: read them as sizes, not to the decimal.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed_publish(args: list[str], out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of one `jatsflow publish` and the seconds its stages took in all."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows", "publish", *args, "--out", str(out),
                    "--no-reuse"], cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    stages = sum(sum(json.loads(report.read_text())["seconds"].values())
                 for report in out.glob("*/report.json"))
    return wall, stages


def overhead(pdf: Path, work: Path, server_url: str, runs: int = 3) -> list[tuple]:
    """Per run: Prefect's share of a single-document publish, embedded and on a server."""
    rows = []
    for mode, extra in (("embedded", {}), ("server", {"PREFECT_API_URL": server_url})):
        env = {**os.environ, **extra}
        timed_publish([str(pdf)], work / "warm-up", env)  # first run creates the database
        figures = [timed_publish([str(pdf)], work / f"{mode}-{n}", env) for n in range(runs)]
        wall = min(w for w, _ in figures)
        stages = min(s for _, s in figures)
        rows.append((mode, f"{wall:.1f}", f"{stages:.1f}", f"{wall - stages:.1f}"))
    return rows


def throughput(pdf: Path, work: Path, copies: int) -> list[tuple]:
    """Documents per minute for a folder of copies, by how the batch runs them."""
    folder = work / "batch"
    folder.mkdir()
    for n in range(copies):
        shutil.copy(pdf, folder / f"copy{n}.pdf")
    rows = []
    for label, extra in (("threads (default)", []), ("1 worker process", ["--workers", "1"]),
                         ("2 worker processes", ["--workers", "2"])):
        out = work / f"out-{label.split()[0]}-{len(rows)}"
        wall, stages = timed_publish([str(folder), *extra], out, dict(os.environ))
        rows.append((label, f"{wall:.1f}", f"{stages:.1f}", f"{copies * 60 / wall:.1f}"))
    return rows


def show(title: str, header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for row in [header, *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "source" / "nbr79.pdf")
    parser.add_argument("--copies", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-prefect-") as tmp:
        work = Path(tmp)
        # a Prefect home of its own, so the figures include no history of other runs
        os.environ.update(PREFECT_HOME=str(work / "prefect-home"), DO_NOT_TRACK="1",
                          PREFECT_SERVER_ANALYTICS_ENABLED="false",
                          PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180")
        from flows.publish import local_server

        with local_server(4300) as url:
            rows = overhead(args.pdf, work, f"{url}/api")
        show(f"Prefect overhead per `jatsflow publish {args.pdf.name}` (best of 3, seconds)",
             ("Prefect", "wall", "stages", "overhead"), rows)
        show(f"Batch of {args.copies} copies of {args.pdf.name}, embedded Prefect",
             ("runs on", "wall s", "stages s", "docs/min"),
             throughput(args.pdf, work, args.copies))


if __name__ == "__main__":
    main()
