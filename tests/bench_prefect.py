"""What Prefect and the checks cost, as staff run `jatsflow publish`.

    .venv/bin/python tests/bench_prefect.py [PDF] [--copies 8] [--runs 2]   (make bench-prefect)

Prints two tables:
- single: wall time of one `jatsflow publish PDF` into a new output folder against its core
  pipeline time (the stages extract → render, from report.json), the checks and the rest
  (Python and Prefect start-up, the embedded server, the archive). The bar is a wall time of
  at most WALL_BAR × the core time.
- batch: a folder of `--copies` copies of the PDF on threads and on 2 Dask worker processes:
  seconds per document for `check` (its mean) and for the whole flow (wall / documents), and
  the whole batch against the sum of the documents' core pipeline times.
Each figure is measured here, in a Prefect home of its own; on a busy machine read them as
sizes, not to the decimal.
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
CORE_STAGES = ("extract", "layout", "segment", "jats", "validate", "render_html", "render_pdf",
               "render_text", "render_epub")
WALL_BAR = 2.5  # issue 17: a single publish within 2.5 × its core pipeline time
BATCH_BAR = 1.5  # issue 17: a batch within 1.5 × the sum of its core pipeline times


def timed_publish(args: list[str], out: Path, env: dict[str, str]) -> tuple[float, list[dict]]:
    """Wall seconds of one `jatsflow publish` into `out` and the stage times of each document."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows", "publish", *args, "--out", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    seconds = [json.loads(report.read_text())["seconds"]
               for report in sorted(out.glob("*/report.json"))]
    return wall, seconds


def core(seconds: dict[str, float]) -> float:
    return sum(seconds.get(stage, 0.0) for stage in CORE_STAGES)


def single(pdf: Path, work: Path, env: dict[str, str], runs: int) -> list[tuple]:
    timed_publish([str(pdf)], work / "warm-up", env)  # the first run creates the database
    rows = []
    for n in range(runs):
        wall, [seconds] = timed_publish([str(pdf)], work / f"single-{n}", env)
        rest = wall - core(seconds) - seconds.get("check", 0.0)
        rows.append((n + 1, f"{wall:.1f}", f"{core(seconds):.1f}",
                     f"{seconds.get('check', 0.0):.1f}", f"{rest:.1f}",
                     f"{wall / core(seconds):.2f}"))
    return rows


def batch(pdf: Path, work: Path, env: dict[str, str], copies: int) -> list[tuple]:
    folder = work / "batch"
    folder.mkdir()
    for n in range(copies):
        shutil.copy(pdf, folder / f"copy{n}.pdf")
    rows = []
    for label, extra in (("threads", []), ("2 workers", ["--workers", "2"])):
        wall, seconds = timed_publish([str(folder), *extra], work / f"out-{len(rows)}", env)
        checks = [s.get("check", 0.0) for s in seconds]
        core_sum = sum(core(s) for s in seconds)
        rows.append((label, len(seconds), f"{wall:.1f}", f"{wall / len(seconds):.1f}",
                     f"{sum(checks) / len(checks):.1f}", f"{core_sum:.1f}",
                     f"{wall / core_sum:.2f}"))
    return rows


def show(title: str, header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}", flush=True)
    for row in [header, *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)),
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=ROOT / "source" / "nbr79.pdf")
    parser.add_argument("--copies", type=int, default=8)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-prefect-") as tmp:
        work = Path(tmp)
        # a Prefect home of its own, so the figures include no history of other runs
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "DO_NOT_TRACK": "1",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
        env.pop("PREFECT_API_URL", None)
        show(f"Single `jatsflow publish {args.pdf.name}` into a new folder (seconds; "
             f"bar: wall ≤ {WALL_BAR} × core)",
             ("run", "wall", "core", "check", "rest", "wall/core"),
             single(args.pdf, work, env, args.runs))
        if not args.skip_batch:
            show(f"Batch of {args.copies} copies of {args.pdf.name} (seconds; bar: wall ≤ "
                 f"{BATCH_BAR} × the core sum)",
                 ("runs on", "docs", "wall", "wall/doc", "check/doc", "core sum", "wall/core"),
                 batch(args.pdf, work, env, args.copies))


if __name__ == "__main__":
    main()
