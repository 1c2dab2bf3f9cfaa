"""The shape of one check's result, shared by the accessibility checks of every output.

A check has an id, a title, a status (pass, warn, fail, not run), how many items it examined
(``checked``, or None when the tool does not say) and its problems, each a place and a fix.
"""

from __future__ import annotations

PASS, WARN, FAIL, NOT_RUN = "pass", "warn", "fail", "not run"
MAX_PROBLEMS = 25  # listed per check; problem_count says how many there are in all


def check(check_id: str, title: str, problems: list[dict], checked: int | None,
          *, failing: str = FAIL) -> dict:
    return {"id": check_id, "title": title, "status": failing if problems else PASS,
            "checked": checked, "problems": problems[:MAX_PROBLEMS],
            "problem_count": len(problems)}


def problem(where: str, fix: str) -> dict:
    return {"where": where, "fix": fix}


def worst(checks: list[dict]) -> str:
    statuses = {c["status"] for c in checks}
    for status in (FAIL, NOT_RUN, WARN):
        if status in statuses:
            return status
    return PASS
