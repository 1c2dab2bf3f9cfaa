"""tests/forked.py, the harness of `make accuracy` and `make sweep`: rows come back in the
items' order; a child past the time limit is killed and a child that dies leaves a failed row."""

from __future__ import annotations

import os
import time
from pathlib import Path

from forked import run_forked


def work(item: int) -> dict:
    if item == 1:
        time.sleep(30)  # hangs: killed at the limit
    if item == 2:
        os._exit(3)  # dies without a row
    return {"item": item, "outcome": "valid"}


def failed(item: int, why: str, seconds: float) -> dict:
    return {"item": item, "outcome": "failed", "why": why}


def test_rows_in_order_a_hung_child_killed_a_dead_child_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    start = time.monotonic()
    rows = run_forked([0, 1, 2, 3], work, lambda index, _: tmp_path / f"{index}.json", failed,
                      workers=2, limit=2.0, report=lambda done, item, row: seen.append(done))
    assert time.monotonic() - start < 20
    assert [row["item"] for row in rows] == [0, 1, 2, 3]
    assert [row["outcome"] for row in rows] == ["valid", "failed", "failed", "valid"]
    assert rows[1]["why"] == "past the time limit of 2 s"
    assert rows[2]["why"] == "process died (exit code 3)"
    assert seen == [1, 2, 3, 4]
