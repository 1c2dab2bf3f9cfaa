"""Documents each in a forked process of its own, a few at a time, killed past a time limit:
the harness `make accuracy` (tests/accuracy.py) and `make sweep` (tests/sweep.py) share.

A process per document keeps one document's crash, hang or memory from touching the others
or the harness; forking after the flows modules are imported lets each start warm. A child
writes its row as JSON to a file of its own, so a row survives the child and a killed child
leaves none (the caller's `failed` makes that row).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, TypeVar

Item = TypeVar("Item")
Row = dict[str, Any]


def _child(run: Callable[[Item], Row], item: Item, result: Path) -> None:
    result.write_text(json.dumps(run(item), ensure_ascii=False), encoding="utf-8")


def run_forked(items: list[Item], run: Callable[[Item], Row],
               result_file: Callable[[int, Item], Path],
               failed: Callable[[Item, str, float], Row], workers: int, limit: float,
               report: Callable[[int, Item, Row], None] | None = None) -> list[Row]:
    """`run(item)` for every item, `workers` processes at a time, in the items' order.

    `result_file(index, item)` names the file a child writes its row to; a child still running
    after `limit` seconds is killed, and it and a child that died get `failed(item, why,
    seconds)` as their row. `report(done, item, row)` is called as each row comes in."""
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(items))
    running: dict[Any, tuple[int, Item, Path, float, Any]] = {}
    rows: list[Row | None] = [None] * len(items)
    done = 0
    while pending or running:
        while pending and len(running) < workers:
            index, item = pending.pop(0)
            result = result_file(index, item)
            result.unlink(missing_ok=True)
            proc = ctx.Process(target=_child, args=(run, item, result), daemon=True)
            proc.start()
            running[proc.sentinel] = (index, item, result, time.monotonic(), proc)
        wait(list(running), timeout=1.0)
        for sentinel, (index, item, result, started, proc) in list(running.items()):
            elapsed = time.monotonic() - started
            if proc.is_alive() and elapsed < limit:
                continue
            if proc.is_alive():
                proc.kill()
                proc.join()
                row = failed(item, f"past the time limit of {limit:g} s", elapsed)
            else:
                proc.join()
                row = (json.loads(result.read_text(encoding="utf-8")) if result.exists()
                       else failed(item, f"process died (exit code {proc.exitcode})", elapsed))
            rows[index] = row
            del running[sentinel]
            done += 1
            if report is not None:
                report(done, item, row)
    return [row for row in rows if row is not None]
